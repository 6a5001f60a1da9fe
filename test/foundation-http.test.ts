// Foundation over real HTTP, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: OAuth client
// credentials, bearer/scope checks, the error envelope, health, the operator API and OpenAPI.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { buildOpenApiDocument } from '../src/main/openapi.ts';
import { SignJWT } from 'jose';
import { requireScope } from '../src/http/auth.ts';
import { SCOPES } from '../src/accounts/scopes.ts';
import { testDbKinds } from './helpers/db.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';


for (const kind of testDbKinds()) {
  describe(`foundation over HTTP (${kind})`, () => {
    let t: TestApp;
    let partner: Partner;
    const logLines: string[] = [];

    before(async () => {
      t = await startTestApp(kind, {
        env: { FLEETGATE_ADMIN_TOKEN: ADMIN_TOKEN },
        app: {
          // Routes only tests need: one guarded by a scope, one that fails unexpectedly.
          plugins: [
            (app, services) => {
              app.get('/v2/test/read', { onRequest: requireScope(services, 'telematics:read') }, async (req) => ({
                partner_id: req.principal?.partnerId,
              }));
              app.get('/v2/test/boom', async () => {
                throw new Error('SELECT secret FROM credentials WHERE api_key = "sk_live_123"');
              });
            },
          ],
        },
        logStream: new Writable({
          write(chunk, _enc, cb) {
            logLines.push(String(chunk));
            cb();
          },
        }),
      });
      partner = await newPartner(t);
    });
    after(async () => {
      await t?.close();
    });

    describe('POST /oauth/token', () => {
      test('issues a bearer token for a form body', async () => {
        const res = await call(t, 'POST', '/oauth/token', {
          form: { grant_type: 'client_credentials', client_id: partner.clientId, client_secret: partner.clientSecret },
        });
        assert.equal(res.status, 200);
        assert.equal(res.body.token_type, 'Bearer');
        assert.equal(res.body.expires_in, 3600);
        assert.deepEqual(res.body.scope.split(' ').sort(), [...SCOPES].sort());
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.match(res.body.access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      });
      test('accepts HTTP Basic client authentication', async () => {
        const basic = Buffer.from(`${partner.clientId}:${partner.clientSecret}`).toString('base64');
        const res = await call(t, 'POST', '/oauth/token', {
          form: { grant_type: 'client_credentials' },
          headers: { authorization: `Basic ${basic}` },
        });
        assert.equal(res.status, 200);
      });
      test('narrows the token to the scopes asked for', async () => {
        const res = await call(t, 'POST', '/oauth/token', {
          form: { grant_type: 'client_credentials', client_id: partner.clientId, client_secret: partner.clientSecret, scope: 'telematics:read' },
        });
        assert.equal(res.status, 200);
        assert.equal(res.body.scope, 'telematics:read');
      });
      test('refuses a scope the client does not hold', async () => {
        const res = await call(t, 'POST', '/oauth/token', {
          form: { grant_type: 'client_credentials', client_id: partner.clientId, client_secret: partner.clientSecret, scope: 'admin:all' },
        });
        assert.equal(res.status, 400);
        assert.equal(res.body.error, 'invalid_scope');
      });
      test('a wrong secret is 401 invalid_client', async () => {
        const res = await call(t, 'POST', '/oauth/token', {
          form: { grant_type: 'client_credentials', client_id: partner.clientId, client_secret: 'wrong' },
        });
        assert.equal(res.status, 401);
        assert.equal(res.body.error, 'invalid_client');
      });
      test('an unknown client is 401 invalid_client', async () => {
        const res = await call(t, 'POST', '/oauth/token', {
          form: { grant_type: 'client_credentials', client_id: 'fgc_nobody', client_secret: partner.clientSecret },
        });
        assert.equal(res.status, 401);
        assert.equal(res.body.error, 'invalid_client');
      });
      test('an unsupported grant is 400 unsupported_grant_type', async () => {
        const res = await call(t, 'POST', '/oauth/token', {
          form: { grant_type: 'password', client_id: partner.clientId, client_secret: partner.clientSecret },
        });
        assert.equal(res.status, 400);
        assert.equal(res.body.error, 'unsupported_grant_type');
      });
      test('a missing grant_type is 400 invalid_request', async () => {
        const res = await call(t, 'POST', '/oauth/token', { form: { client_id: partner.clientId } });
        assert.equal(res.status, 400);
        assert.equal(res.body.error, 'invalid_request');
      });
    });

    describe('bearer tokens and scopes', () => {
      test('a valid token reaches the route as its partner', async () => {
        const res = await call(t, 'GET', '/v2/test/read', { token: partner.token });
        assert.equal(res.status, 200);
        assert.equal(res.body.partner_id, partner.partnerId);
      });
      test('a missing bearer is 401 in the envelope', async () => {
        const res = await call(t, 'GET', '/v2/test/read');
        assert.equal(res.status, 401);
        assert.deepEqual(Object.keys(res.body).sort(), ['code', 'detail', 'message']);
        assert.equal(res.body.code, 401);
        assert.equal(res.headers['www-authenticate'], 'Bearer');
      });
      test('a malformed bearer is 401', async () => {
        for (const header of ['Bearer', 'Bearer not-a-jwt', 'Basic abc', `Bearer ${partner.token} extra`]) {
          const res = await call(t, 'GET', '/v2/test/read', { headers: { authorization: header } });
          assert.equal(res.status, 401, header);
        }
      });
      test('a tampered signature is 401', async () => {
        const [h, p, s] = partner.token.split('.');
        const flipped = `${s!.slice(0, -2)}${s!.endsWith('AA') ? 'BB' : 'AA'}`;
        assert.equal((await call(t, 'GET', '/v2/test/read', { token: `${h}.${p}.${flipped}` })).status, 401);
        // A payload edited to another partner with the old signature.
        const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
        claims.pid = '00000000-0000-4000-8000-000000000000';
        const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
        assert.equal((await call(t, 'GET', '/v2/test/read', { token: forged })).status, 401);
      });
      test('a token signed with another key is 401', async () => {
        const foreign = await new SignJWT({ pid: partner.partnerId, scope: 'telematics:read' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(partner.clientId)
          .setIssuer('fleetgate')
          .setAudience('fleetgate-api')
          .setExpirationTime('1h')
          .sign(new Uint8Array(32));
        assert.equal((await call(t, 'GET', '/v2/test/read', { token: foreign })).status, 401);
      });
      test('an expired token is 401', async () => {
        t.clock.shift(3601_000);
        try {
          const res = await call(t, 'GET', '/v2/test/read', { token: partner.token });
          assert.equal(res.status, 401);
          assert.match(res.body.message, /expired/);
        } finally {
          t.clock.shift(0);
        }
      });
      test('a token without the scope is 403', async () => {
        const writer = await newPartner(t, ['telematics:write']);
        const res = await call(t, 'GET', '/v2/test/read', { token: writer.token });
        assert.equal(res.status, 403);
        assert.equal(res.body.code, 403);
        assert.equal(res.body.detail, 'required scope: telematics:read');
        assert.equal(res.body.required_scope, 'telematics:read', "fleetgate's added field");
      });
    });

    describe('the error envelope', () => {
      test('unknown route: 404', async () => {
        const res = await call(t, 'POST', '/v2/nowhere');
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, { code: 404, message: 'Route POST /v2/nowhere not found', detail: null });
      });
      test('malformed JSON: 400', async () => {
        // (/oauth/token answers these in OAuth's shape: test/http-contract.test.ts.)
        const res = await call(t, 'POST', '/admin/v1/partners', { raw: '{"name": ', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        assert.equal(res.status, 400);
        assert.deepEqual(res.body, { code: 400, message: 'Malformed JSON body', detail: null });
      });
      test('a body that is not JSON or a form: 415', async () => {
        const res = await call(t, 'POST', '/admin/v1/partners', {
          raw: '{"name":"x"}',
          headers: { 'content-type': 'text/plain', authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        assert.equal(res.status, 415);
        assert.deepEqual(res.body, { code: 415, message: 'Unsupported content type', detail: null });
      });
      test('a body over 1 MiB: 413', async () => {
        const res = await call(t, 'POST', '/admin/v1/partners', {
          raw: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }),
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        assert.equal(res.status, 413);
        assert.equal(res.body.code, 413);
      });
      test('validation: 422 listing every problem at once', async () => {
        const res = await call(t, 'POST', '/admin/v1/partners', {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          json: { name: 42, color: 'red', size: 3 },
        });
        assert.equal(res.status, 422);
        assert.equal(res.body.message, 'Validation failed');
        const paths = res.body.detail.map((d: { path: string }) => d.path).sort();
        assert.deepEqual(paths, ['body.color', 'body.name', 'body.size']);
        const name = res.body.detail.find((d: { path: string }) => d.path === 'body.name');
        assert.equal(name.input, '42', 'input is the value as text');
        assert.equal(name.error_type, 'type');
        const color = res.body.detail.find((d: { path: string }) => d.path === 'body.color');
        assert.equal(color.error_type, 'unknown_field');
        assert.equal(color.input, 'red');
      });
      test('an unexpected failure: 500 without internals', async () => {
        const res = await call(t, 'GET', '/v2/test/boom');
        assert.equal(res.status, 500);
        assert.deepEqual(res.body, { code: 500, message: 'Internal server error', detail: null });
        assert.doesNotMatch(res.text, /SELECT|sk_live|stack|at /);
      });
    });

    describe('health', () => {
      test('/healthz and /readyz answer when the database does', async () => {
        assert.equal((await call(t, 'GET', '/healthz')).status, 200);
        const ready = await call(t, 'GET', '/readyz');
        assert.equal(ready.status, 200);
        assert.equal(ready.body.database, kind);
      });
    });

    describe('operator API', () => {
      test('refuses a wrong admin token', async () => {
        const res = await call(t, 'GET', '/admin/v1/partners', { headers: { authorization: 'Bearer wrong-token-0123456789' } });
        assert.equal(res.status, 401);
      });
      test('creates a partner and a client whose credentials get a token', async () => {
        const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
        const p = await call(t, 'POST', '/admin/v1/partners', { headers: auth, json: { name: 'Acme Insurance' } });
        assert.equal(p.status, 201);
        const c = await call(t, 'POST', `/admin/v1/partners/${p.body.id}/clients`, { headers: auth, json: { scopes: ['telematics:read'] } });
        assert.equal(c.status, 201);
        assert.deepEqual(c.body.scopes, ['telematics:read']);
        const token = await call(t, 'POST', '/oauth/token', {
          form: { grant_type: 'client_credentials', client_id: c.body.client_id, client_secret: c.body.client_secret },
        });
        assert.equal(token.status, 200);
        assert.equal(token.body.scope, 'telematics:read');
        const list = await call(t, 'GET', '/admin/v1/partners', { headers: auth });
        assert.ok(list.body.items.some((x: { id: string }) => x.id === p.body.id));
      });
      test('a client for an unknown partner is 404', async () => {
        const res = await call(t, 'POST', '/admin/v1/partners/00000000-0000-4000-8000-000000000000/clients', {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          json: {},
        });
        assert.equal(res.status, 404);
      });
    });

    describe('OpenAPI', () => {
      test('/openapi.json is a valid OpenAPI 3.1 document with the bearer scheme and error responses', async () => {
        const res = await call(t, 'GET', '/openapi.json');
        assert.equal(res.status, 200);
        assert.equal(res.body.openapi, '3.1.0');
        // Catena's scheme: OAuth 2.0 client credentials at its token path, every scope listed; each route names its own.
        const bearer = res.body.components.securitySchemes.Bearer;
        assert.equal(bearer.type, 'oauth2');
        assert.equal(bearer.flows.clientCredentials.tokenUrl, '/realms/catena/protocol/openid-connect/token');
        assert.deepEqual(Object.keys(bearer.flows.clientCredentials.scopes).sort(), [...SCOPES].sort());
        assert.deepEqual(res.body.paths['/v2/telematics/users'].post.security, [{ Bearer: ['telematics:write'] }]);
        assert.deepEqual(res.body.paths['/v2/integrations/connections/resource-operations'].get.security, [{ Bearer: ['resource_operation:read'] }]);
        assert.deepEqual(res.body.paths['/v2/telematics/users/{id}'].patch.parameters.find((p: { in: string }) => p.in === 'path').name, 'id');
        assert.ok(res.body.paths['/oauth/token'].post);
        assert.ok(res.body.paths['/admin/v1/partners'].post.responses['422']);
        const result = await new Validator().validate(res.body);
        assert.equal(result.valid, true, JSON.stringify(result.errors));
      });
      test('every operation of the document has its own operationId (Catena\'s, where Catena has the route)', async () => {
        const doc = (await buildOpenApiDocument()) as { paths: Record<string, Record<string, { operationId?: string }>> };
        const ops = Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([m, o]) => ({ at: `${m} ${p}`, id: o.operationId })));
        assert.deepEqual(ops.filter((o) => !o.id).map((o) => o.at), []);
        assert.equal(new Set(ops.map((o) => o.id)).size, ops.length, 'operationIds are unique');
        const id = (m: string, p: string) => doc.paths[p]![m]!.operationId;
        assert.deepEqual(
          [id('post', '/v2/telematics/users'), id('get', '/v2/telematics/users'), id('post', '/v2/integrations/connections'), id('get', '/v2/integrations/connections/resource-operations')],
          ['create_user', 'list_users', 'create_connection', 'list_resource_operations'],
        );
      });
      test('/docs serves Swagger UI', async () => {
        const res = await call(t, 'GET', '/docs/');
        assert.equal(res.status, 200);
        assert.match(res.text, /swagger/i);
      });
    });

    describe('logs', () => {
      test('one line per request, with no secret or token in it', async () => {
        logLines.length = 0;
        await call(t, 'POST', '/oauth/token', {
          form: { grant_type: 'client_credentials', client_id: partner.clientId, client_secret: partner.clientSecret },
        });
        await call(t, 'GET', '/v2/test/read', { token: partner.token });
        await call(t, 'GET', '/v2/test/boom', { token: partner.token });
        const requestLines = logLines.filter((l) => JSON.parse(l).msg === 'request');
        assert.equal(requestLines.length, 3);
        const all = logLines.join('\n');
        assert.ok(!all.includes(partner.clientSecret), 'client secret logged');
        assert.ok(!all.includes(partner.token), 'access token logged');
        assert.ok(all.includes('"status":500'));
      });
    });
  });
}
