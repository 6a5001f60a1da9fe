// Catena's token endpoints as a client generated from Catena's authentication document uses them, over
// real HTTP on PGlite and (with TEST_DATABASE_URL) PostgreSQL: the token request at
// /realms/catena/protocol/openid-connect/token (form body, scope=organization), narrower scopes, every
// refusal in Catena's {error, error_description}, HTTP Basic, revocation seen by every process on the
// database (a second `fleetgate serve` on PostgreSQL), its retention, and the OpenAPI document against
// Catena's own (shared/reference/catena/authentication.openapi.json, when ../shared is there).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createClient, createPartner } from '../src/accounts/partners.ts';
import { SCOPES } from '../src/accounts/scopes.ts';
import type { Scope } from '../src/accounts/scopes.ts';
import { issueToken } from '../src/accounts/tokens.ts';
import { ErrorResponse, OAUTH_ERRORS, TokenResponse } from '../src/contract/auth.ts';
import { runRetention } from '../src/engine/retention.ts';
import { buildOpenApiDocument } from '../src/main/openapi.ts';
import type { CallResult, TestApp } from './helpers/app.ts';
import { call, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import { serve } from './helpers/proc.ts';

const TOKEN = '/realms/catena/protocol/openid-connect/token';
const REVOKE = '/realms/catena/protocol/openid-connect/revoke';
const CONNECTIONS = '/v2/integrations/connections';
const WEBHOOKS = '/v2/notifications/webhooks';
const JSON_TYPE = 'application/json; charset=utf-8';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
// One key for this file's app and the second process: both must verify the same tokens.
const KEY = randomBytes(32).toString('base64');

const CATENA_PATH = fileURLToPath(new URL('../../shared/reference/catena/authentication.openapi.json', import.meta.url));
const CATENA = fs.existsSync(CATENA_PATH) ? (JSON.parse(fs.readFileSync(CATENA_PATH, 'utf8')) as CatenaDoc) : undefined;
const NEEDS_CATENA = CATENA === undefined && `needs Catena's authentication document at ${CATENA_PATH} (../shared beside the repository; absent on a plain clone)`;
// `any`: OpenAPI documents are read loosely, field by field.
type CatenaDoc = { paths: Record<string, any>; components: { schemas: Record<string, any> } };
type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any>; securitySchemes: Record<string, any> } };

interface Client {
  partnerId: string;
  id: string;
  secret: string;
  scopes: Scope[];
}

/** A Catena error: exactly {error, error_description}, JSON, never cached. */
function assertCatenaError(res: CallResult<any>, status: number, error: string) {
  const where = `${status} ${error} expected, got ${res.status} ${res.text.slice(0, 300)}`;
  assert.equal(res.status, status, where);
  assert.equal(res.headers['content-type'], JSON_TYPE, where);
  assert.equal(res.headers['cache-control'], 'no-store', where);
  assert.deepEqual(Object.keys(res.body).sort(), ['error', 'error_description'], where);
  assert.equal(res.body.error, error, where);
  assert.equal(typeof res.body.error_description, 'string', where);
  assert.ok(ErrorResponse.safeParse(res.body).success, where);
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

for (const kind of testDbKinds()) {
  describe(`Catena's token endpoints (${kind})`, () => {
    let t: TestApp;
    let all: Client;
    let narrow: Client;

    const newClient = async (scopes: Scope[] = [...SCOPES], fixed?: { clientId: string; clientSecret: string }): Promise<Client> => {
      const db = t.services.database.db;
      const p = await createPartner(db, `partner-${randomBytes(3).toString('hex')}`);
      const c = await createClient(db, p.id, scopes, fixed);
      return { partnerId: p.id, id: c.client_id, secret: c.client_secret, scopes };
    };
    /** The request a client generated from Catena's document sends: a form with its four fields. */
    const catenaToken = (c: Client, scope = 'organization') =>
      call(t, 'POST', TOKEN, { form: { grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret, scope } });
    const tokenOf = async (c: Client, scope?: string) => {
      const res = await catenaToken(c, scope);
      assert.equal(res.status, 200, res.text);
      return res.body.access_token as string;
    };
    const revoke = (c: Client, token: string) => call(t, 'POST', REVOKE, { form: { token, client_id: c.id, client_secret: c.secret } });
    const revokedRows = async (): Promise<number> => {
      const res = (await t.database.db.execute(sql`SELECT count(*)::int AS n FROM revoked_tokens`)) as unknown as { rows: Array<{ n: number }> };
      return Number(res.rows[0]!.n);
    };

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_ENCRYPTION_KEY: KEY, FLEETGATE_ADMIN_TOKEN: ADMIN_TOKEN } });
      all = await newClient();
      narrow = await newClient(['telematics:read', 'connection:read', 'webhook:read']);
    });
    after(async () => {
      await t?.close();
    });

    describe('POST /realms/catena/protocol/openid-connect/token', () => {
      test("a Catena client's request (form, four fields, scope=organization) gets every scope of the client, and the token works", async () => {
        for (const c of [all, narrow]) {
          const res = await catenaToken(c);
          assert.equal(res.status, 200, res.text);
          assert.equal(res.headers['content-type'], JSON_TYPE);
          assert.equal(res.headers['cache-control'], 'no-store');
          assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
          assert.ok(TokenResponse.safeParse(res.body).success, res.text);
          assert.equal(res.body.token_type, 'Bearer');
          assert.ok(Number.isInteger(res.body.expires_in) && res.body.expires_in === 3600);
          assert.deepEqual(res.body.scope.split(' ').sort(), [...c.scopes].sort(), 'organization: exactly the scopes the client holds');
          const list = await call(t, 'GET', CONNECTIONS, { token: res.body.access_token });
          assert.equal(list.status, 200, list.text);
          assert.deepEqual(list.body.items, []);
        }
      });

      test('a space-separated list of scope names grants those, and only those', async () => {
        const res = await catenaToken(all, 'connection:read webhook:read');
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body.scope.split(' ').sort(), ['connection:read', 'webhook:read']);
        assert.equal((await call(t, 'GET', CONNECTIONS, { token: res.body.access_token })).status, 200);
        assert.equal((await call(t, 'GET', WEBHOOKS, { token: res.body.access_token })).status, 200);
        const refused = await call(t, 'GET', `${CONNECTIONS}/resource-operations`, { token: res.body.access_token });
        assert.equal(refused.status, 403, 'resource_operation:read was not asked for');
        // organization next to scope names is still every scope the client holds.
        const both = await catenaToken(narrow, 'organization telematics:read');
        assert.deepEqual(both.body.scope.split(' ').sort(), [...narrow.scopes].sort());
      });

      test('an unknown scope, or one the client does not hold, is 400 invalid_scope', async () => {
        assertCatenaError(await catenaToken(all, 'telematics:read admin:all'), 400, 'invalid_scope');
        assertCatenaError(await catenaToken(all, 'webhook:manage'), 400, 'invalid_scope');
        assertCatenaError(await catenaToken(all, 'openid'), 400, 'invalid_scope');
        const notHeld = await catenaToken(narrow, 'telematics:write');
        assertCatenaError(notHeld, 400, 'invalid_scope');
        assert.match(notHeld.body.error_description, /telematics:write/);
      });

      test('a wrong secret or an unknown client is 401 invalid_client', async () => {
        const wrong = await catenaToken({ ...all, secret: 'wrong-secret' });
        assertCatenaError(wrong, 401, 'invalid_client');
        assert.equal(wrong.body.error_description, 'Invalid client or Invalid client credentials', "Keycloak's words, as Catena's document shows them");
        assert.match(String(wrong.headers['www-authenticate']), /^Basic/);
        assertCatenaError(await catenaToken({ ...all, id: 'fgc_nobody' }), 401, 'invalid_client');
        assert.ok(!wrong.text.includes(all.secret) && !wrong.text.includes('wrong-secret'), 'no secret in the answer');
      });

      test('a grant other than client_credentials is 400 unsupported_grant_type', async () => {
        for (const grant of ['password', 'refresh_token', 'authorization_code']) {
          const res = await call(t, 'POST', TOKEN, { form: { grant_type: grant, client_id: all.id, client_secret: all.secret, scope: 'organization' } });
          assertCatenaError(res, 400, 'unsupported_grant_type');
        }
      });

      test('missing fields: grant_type or scope is 400 invalid_request; no client authentication is 401 invalid_client', async () => {
        const form = { grant_type: 'client_credentials', client_id: all.id, client_secret: all.secret, scope: 'organization' };
        const without = (field: keyof typeof form) => Object.fromEntries(Object.entries(form).filter(([k]) => k !== field));
        const noGrant = await call(t, 'POST', TOKEN, { form: without('grant_type') });
        assertCatenaError(noGrant, 400, 'invalid_request');
        assert.equal(noGrant.body.error_description, 'grant_type is required');
        const noScope = await call(t, 'POST', TOKEN, { form: without('scope') });
        assertCatenaError(noScope, 400, 'invalid_request');
        assert.equal(noScope.body.error_description, 'scope is required', "Catena's document requires scope");
        assertCatenaError(await call(t, 'POST', TOKEN, { form: { ...form, scope: '' } }), 400, 'invalid_request');
        assertCatenaError(await call(t, 'POST', TOKEN, { form: without('client_id') }), 401, 'invalid_client');
        assertCatenaError(await call(t, 'POST', TOKEN, { form: without('client_secret') }), 401, 'invalid_client');
        assertCatenaError(await call(t, 'POST', TOKEN, {}), 400, 'invalid_request');
        const repeated = `${new URLSearchParams(form)}&scope=organization`;
        assertCatenaError(await call(t, 'POST', TOKEN, { raw: repeated, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'invalid_request');
        const nul = await call(t, 'POST', TOKEN, { form: { ...form, client_id: 'a\u0000b' } });
        assertCatenaError(nul, 400, 'invalid_request');
        // fleetgate's own path keeps scope optional: absent is every scope the client holds.
        const own = await call(t, 'POST', '/oauth/token', { form: without('scope') });
        assert.equal(own.status, 200, own.text);
        assert.deepEqual(own.body.scope.split(' ').sort(), [...SCOPES].sort());
      });

      test("a JSON body is 415 at Catena's path (its document takes a form only), and a token at /oauth/token", async () => {
        const body = { grant_type: 'client_credentials', client_id: all.id, client_secret: all.secret, scope: 'organization' };
        assertCatenaError(await call(t, 'POST', TOKEN, { json: body }), 415, 'invalid_request');
        assertCatenaError(await call(t, 'POST', TOKEN, { raw: '{"grant_type": ' }), 415, 'invalid_request');
        assertCatenaError(await call(t, 'POST', TOKEN, { raw: 'grant_type=client_credentials', headers: { 'content-type': 'text/plain' } }), 415, 'invalid_request');
        const own = await call(t, 'POST', '/oauth/token', { json: body });
        assert.equal(own.status, 200, own.text);
        const big = `${new URLSearchParams(body)}&pad=${'x'.repeat(1024 * 1024)}`;
        assertCatenaError(await call(t, 'POST', TOKEN, { raw: big, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 413, 'invalid_request');
      });

      test('another method than POST is 405 in the same shape, on both paths', async () => {
        for (const path of [TOKEN, REVOKE, '/oauth/token']) {
          for (const method of ['GET', 'PUT', 'DELETE']) {
            const res = await call(t, method, path);
            assertCatenaError(res, 405, 'invalid_request');
            assert.equal(res.headers.allow, 'POST');
          }
        }
      });

      test('HTTP Basic client authentication (each part form-urlencoded), as OAuth libraries send it', async () => {
        const odd = await newClient(['connection:read'], { clientId: 'fgc odd:id+1', clientSecret: 'secret with spaces:+/%=é' });
        const res = await call(t, 'POST', TOKEN, { form: { grant_type: 'client_credentials', scope: 'organization' }, headers: { authorization: basic(odd.id, odd.secret) } });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.scope, 'connection:read');
        assert.equal((await call(t, 'GET', CONNECTIONS, { token: res.body.access_token })).status, 200);
        const sameId = await call(t, 'POST', TOKEN, { form: { grant_type: 'client_credentials', client_id: odd.id, scope: 'organization' }, headers: { authorization: basic(odd.id, odd.secret) } });
        assert.equal(sameId.status, 200, 'client_id in the body too, the same client: accepted');
        const wrong = await call(t, 'POST', TOKEN, { form: { grant_type: 'client_credentials', scope: 'organization' }, headers: { authorization: basic(odd.id, 'nope') } });
        assertCatenaError(wrong, 401, 'invalid_client');
        assertCatenaError(await call(t, 'POST', TOKEN, { form: { grant_type: 'client_credentials', scope: 'organization' }, headers: { authorization: 'Basic !!!' } }), 401, 'invalid_client');
        const both = await call(t, 'POST', TOKEN, {
          form: { grant_type: 'client_credentials', client_secret: odd.secret, scope: 'organization' },
          headers: { authorization: basic(odd.id, odd.secret) },
        });
        assertCatenaError(both, 400, 'invalid_request');
        const other = await call(t, 'POST', TOKEN, {
          form: { grant_type: 'client_credentials', client_id: all.id, scope: 'organization' },
          headers: { authorization: basic(odd.id, odd.secret) },
        });
        assertCatenaError(other, 400, 'invalid_request');
      });
    });

    describe('POST /realms/catena/protocol/openid-connect/revoke', () => {
      test('a revoked token is refused (401) by the API from then on; the client\'s other tokens are not', async () => {
        const token = await tokenOf(all);
        const kept = await tokenOf(all);
        assert.equal((await call(t, 'GET', CONNECTIONS, { token })).status, 200);
        const res = await revoke(all, token);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.text, '', 'the body is empty');
        assert.equal(res.headers['content-type'], undefined);
        const refused = await call(t, 'GET', CONNECTIONS, { token });
        assert.equal(refused.status, 401);
        assert.match(refused.body.message, /revoked/);
        assert.equal((await call(t, 'GET', WEBHOOKS, { token })).status, 401, 'on every route');
        // Also where any token will do (Catena's `Bearer: []`): the event schemas.
        const schema = '/v2/notifications/schemas/resource_operation.created';
        assert.equal((await call(t, 'GET', schema, { token: kept })).status, 200);
        assert.equal((await call(t, 'GET', schema, { token })).status, 401, 'a route needing any token');
        assert.equal((await call(t, 'GET', CONNECTIONS, { token: kept })).status, 200);
        assert.equal((await revoke(all, token)).status, 200, 'revoking it again: 200, nothing changes');
      });

      test('with HTTP Basic client authentication', async () => {
        const token = await tokenOf(narrow);
        const res = await call(t, 'POST', REVOKE, { form: { token }, headers: { authorization: basic(narrow.id, narrow.secret) } });
        assert.equal(res.status, 200, res.text);
        assert.equal((await call(t, 'GET', CONNECTIONS, { token })).status, 401);
      });

      test('an unknown, malformed, foreign or expired token answers 200 (RFC 7009 §2.2) and stores nothing', async () => {
        const before = await revokedRows();
        const now = Math.floor(Date.now() / 1000);
        const expired = await issueToken(t.services.keys.signing, { partnerId: all.partnerId, clientId: all.id, scopes: ['connection:read'] }, now - 7200);
        const foreign = await issueToken(randomBytes(32), { partnerId: all.partnerId, clientId: all.id, scopes: ['connection:read'] }, now);
        for (const token of ['not-a-token', 'a.b.c', expired, foreign]) {
          const res = await revoke(all, token);
          assert.equal(res.status, 200, `${token.slice(0, 20)}: ${res.text}`);
        }
        assert.equal(await revokedRows(), before);
      });

      test("refusals: bad client authentication 401, no token 400, another client's token 400 unauthorized_client, JSON 415", async () => {
        const token = await tokenOf(all);
        assertCatenaError(await revoke({ ...all, secret: 'wrong-secret' }, token), 401, 'invalid_client');
        assertCatenaError(await call(t, 'POST', REVOKE, { form: { token } }), 401, 'invalid_client');
        assertCatenaError(await call(t, 'POST', REVOKE, { form: { client_id: all.id, client_secret: all.secret } }), 400, 'invalid_request');
        assertCatenaError(await revoke(narrow, token), 400, 'unauthorized_client');
        assertCatenaError(await call(t, 'POST', REVOKE, { json: { token, client_id: all.id, client_secret: all.secret } }), 415, 'invalid_request');
        assert.equal((await call(t, 'GET', CONNECTIONS, { token })).status, 200, 'none of these revoked it');
      });

      test('concurrent requests with a revoked and a live token: each gets its own answer', async () => {
        const dead = await tokenOf(all);
        const live = await tokenOf(all);
        await revoke(all, dead);
        const tokens = Array.from({ length: 40 }, (_, i) => (i % 2 ? dead : live));
        const statuses = await Promise.all(tokens.map((token) => call(t, 'GET', CONNECTIONS, { token }).then((r) => r.status)));
        assert.deepEqual(statuses, tokens.map((tok) => (tok === dead ? 401 : 200)));
      });

      test('retention deletes a revocation a day after its token expired, and keeps live ones', async () => {
        const old = await tokenOf(all);
        const live = await tokenOf(all);
        await revoke(all, old);
        await revoke(all, live);
        const jti = (tok: string) => JSON.parse(Buffer.from(tok.split('.')[1]!, 'base64url').toString()).jti as string;
        await t.database.db.execute(sql`UPDATE revoked_tokens SET expires_at = now() - interval '25 hours' WHERE jti = ${jti(old)}`);
        const counts = await runRetention(t.services);
        assert.ok(counts.revokedTokens >= 1, JSON.stringify(counts));
        const left = (await t.database.db.execute(sql`SELECT jti FROM revoked_tokens WHERE jti IN (${jti(old)}, ${jti(live)})`)) as unknown as { rows: Array<{ jti: string }> };
        assert.deepEqual(left.rows.map((r) => r.jti), [jti(live)]);
        assert.equal((await call(t, 'GET', CONNECTIONS, { token: live })).status, 401);
      });

      test('on PostgreSQL, a second fleetgate process refuses a token revoked here, and this one a token revoked there', { skip: kind !== 'postgres' && 'needs PostgreSQL (PGlite is one process)', timeout: 60_000 }, async () => {
        const other = await serve({ DATABASE_URL: process.env.TEST_DATABASE_URL, FLEETGATE_ENCRYPTION_KEY: KEY }, ['--no-worker']);
        try {
          const here = await tokenOf(all);
          const there = (await call({ url: other.url }, 'POST', TOKEN, { form: { grant_type: 'client_credentials', client_id: all.id, client_secret: all.secret, scope: 'organization' } })).body.access_token as string;
          for (const token of [here, there]) {
            assert.equal((await call({ url: other.url }, 'GET', CONNECTIONS, { token })).status, 200);
            assert.equal((await call(t, 'GET', CONNECTIONS, { token })).status, 200);
          }
          assert.equal((await revoke(all, here)).status, 200);
          assert.equal((await call({ url: other.url }, 'GET', CONNECTIONS, { token: here })).status, 401, 'the other process, at once');
          const res = await call({ url: other.url }, 'POST', REVOKE, { form: { token: there, client_id: all.id, client_secret: all.secret } });
          assert.equal(res.status, 200, res.text);
          assert.equal((await call(t, 'GET', CONNECTIONS, { token: there })).status, 401, 'this process, at once');
        } finally {
          await other.stop();
        }
      });
    });

    test('operator API: client scopes are validated against Catena\'s scope names', async () => {
      const partner = await createPartner(t.database.db, 'scoped');
      const path = `/admin/v1/partners/${partner.id}/clients`;
      const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const ok = await call(t, 'POST', path, { headers: auth, json: { scopes: ['resource_operation:read', 'webhook:read', 'webhook:create', 'webhook:update', 'webhook:delete'] } });
      assert.equal(ok.status, 201, ok.text);
      for (const bad of ['webhook:manage', 'organization', 'telematics']) {
        assert.equal((await call(t, 'POST', path, { headers: auth, json: { scopes: [bad] } })).status, 422, bad);
      }
      const res = await call(t, 'POST', TOKEN, { form: { grant_type: 'client_credentials', client_id: ok.body.client_id, client_secret: ok.body.client_secret, scope: 'organization' } });
      assert.deepEqual(res.body.scope.split(' ').sort(), ['resource_operation:read', 'webhook:create', 'webhook:delete', 'webhook:read', 'webhook:update']);
    });
  });
}

describe("the OpenAPI document: Catena's token and revoke paths", () => {
  let doc: Doc;
  before(async () => {
    doc = (await buildOpenApiDocument()) as unknown as Doc;
  });
  const ref = (name: string) => `#/components/schemas/${name}`;
  const schemaOf = (response: any) => response.content['application/json'].schema;

  test('both paths: a form body only, HTTP Basic offered, Catena\'s operationIds, every error an ErrorResponse', () => {
    const token = doc.paths[TOKEN]!.post;
    const revoke = doc.paths[REVOKE]!.post;
    assert.equal(token.operationId, 'token');
    assert.equal(revoke.operationId, 'revokeToken');
    for (const op of [token, revoke]) {
      assert.deepEqual(Object.keys(op.requestBody.content), ['application/x-www-form-urlencoded']);
      assert.deepEqual(op.security, [{}, { clientBasic: [] }]);
      assert.match(op.description, /HTTP Basic/);
      for (const status of ['400', '401', '413', '415', '500', '503']) assert.equal(schemaOf(op.responses[status]).$ref, ref('ErrorResponse'), status);
      assert.equal(op.responses['422'], undefined);
    }
    const form = token.requestBody.content['application/x-www-form-urlencoded'].schema;
    assert.deepEqual(Object.keys(form.properties).sort(), ['client_id', 'client_secret', 'grant_type', 'scope']);
    assert.deepEqual(form.required, ['grant_type', 'scope']);
    assert.deepEqual(form.properties.grant_type.enum, ['client_credentials']);
    assert.match(form.properties.client_id.description, /unless the client authenticates with HTTP Basic/);
    assert.match(form.properties.scope.description, /organization/);
    assert.equal(schemaOf(token.responses['200']).$ref, ref('TokenResponse'));
    const revokeForm = revoke.requestBody.content['application/x-www-form-urlencoded'].schema;
    assert.deepEqual(revokeForm.required, ['token']);
    assert.ok(revokeForm.properties.client_id && revokeForm.properties.client_secret);
    assert.equal(revoke.responses['200'].content, undefined, 'the 200 has no body');
    assert.equal(doc.components.securitySchemes.clientBasic.scheme, 'basic');
    // fleetgate's own path: form or JSON, scope optional.
    const own = doc.paths['/oauth/token']!.post;
    assert.deepEqual(Object.keys(own.requestBody.content).sort(), ['application/json', 'application/x-www-form-urlencoded']);
    assert.deepEqual(own.requestBody.content['application/json'].schema.required, ['grant_type']);
  });

  test('the error codes are counted', () => {
    assert.equal(OAUTH_ERRORS.length, 7);
    assert.deepEqual(doc.components.schemas.ErrorResponse.properties.error.enum, [...OAUTH_ERRORS]);
  });

  test("every field and status of Catena's authentication document is in fleetgate's, with its type", { skip: NEEDS_CATENA }, () => {
    const catena = CATENA!;
    for (const [path, mine] of [['/protocol/openid-connect/token', TOKEN], ['/protocol/openid-connect/revoke', REVOKE]] as const) {
      const theirs = catena.paths[path].post;
      const ours = doc.paths[mine]!.post;
      assert.deepEqual(Object.keys(ours.requestBody.content), Object.keys(theirs.requestBody.content), `${path}: media types`);
      const tForm = theirs.requestBody.content['application/x-www-form-urlencoded'].schema;
      const oForm = ours.requestBody.content['application/x-www-form-urlencoded'].schema;
      for (const [field, s] of Object.entries<any>(tForm.properties)) {
        assert.ok(oForm.properties[field], `${path}: ${field} declared`);
        assert.equal(oForm.properties[field].type, s.type, `${path}: ${field} type`);
        if (s.format) assert.equal(oForm.properties[field].format, s.format, `${path}: ${field} format`);
        // Catena's consts: grant_type is one value here too; scope takes Catena's value and scope names besides.
        if (field === 'grant_type') assert.deepEqual(oForm.properties[field].enum, [s.const]);
        else if (s.const !== undefined) assert.match(oForm.properties[field].description, new RegExp(s.const), `${path}: ${field} takes ${s.const}`);
      }
      // Catena requires every field; fleetgate requires each of them too, except the client's credentials,
      // which HTTP Basic may carry instead (so they are optional in the body, and say so).
      for (const field of tForm.required as string[]) {
        if (field === 'client_id' || field === 'client_secret') assert.match(oForm.properties[field].description, /Required unless/, `${path}: ${field}`);
        else assert.ok(oForm.required.includes(field), `${path}: ${field} required`);
      }
      for (const status of Object.keys(theirs.responses)) assert.ok(ours.responses[status], `${path}: ${status} declared`);
      assert.equal(schemaOf(ours.responses['401']).$ref, ref('ErrorResponse'));
    }
    // The answers: Catena's required fields required, with Catena's types; nothing fleetgate sends that Catena lacks.
    for (const name of ['TokenResponse', 'ErrorResponse']) {
      const theirs = catena.components.schemas[name];
      const ours = doc.components.schemas[name];
      for (const field of theirs.required as string[]) assert.ok(ours.required.includes(field), `${name}.${field} required`);
      for (const [field, s] of Object.entries<any>(ours.properties)) {
        assert.ok(theirs.properties[field], `${name}.${field} is Catena's`);
        assert.equal(s.type, theirs.properties[field].type, `${name}.${field} type`);
      }
    }
  });
});
