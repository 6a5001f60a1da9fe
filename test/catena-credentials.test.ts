// Catena's typed credential models in a connection create body (integrations.openapi.json):
// MotiveCreds and SamsaraCreds (an OAuth 2.0 authorization code, exchanged at the TSP's token endpoint,
// then refreshed) and GeotabCreds (username, password, database, session_id?), against the built-in
// sandboxes' token endpoints and a sandbox-minted code.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { tokenKeeperFor } from '../src/accounts/credential-refresh.ts';
import { targetOf } from '../src/accounts/connections.ts';
import { openDatabase } from '../src/db/client.ts';
import type { Database } from '../src/db/client.ts';
import { connections } from '../src/db/schema.ts';
import { unseal } from '../src/platform/keys.ts';
import { startMotiveSandbox } from '../src/sandbox/motive/index.ts';
import { startSamsaraSandbox } from '../src/sandbox/samsara/index.ts';
import { adapterFor } from '../src/tsps/registry.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';

type Json = Record<string, any>;

interface OAuthTsp {
  tsp: 'motive' | 'samsara';
  /** A new sandbox account's key and the headers its control calls carry. */
  account(base: string): Promise<{ key: string; headers: Record<string, string> }>;
  /** Catena's model for a minted code. */
  model(minted: Json): Json;
  /** What a read shows of it. */
  masked(minted: Json): Json;
  start(): Promise<{ url: string; close(): Promise<void> }>;
}

const tail = (s: string) => `****${s.slice(-4)}`;

const OAUTH_TSPS: OAuthTsp[] = [
  {
    tsp: 'motive',
    account: async (base) => {
      const key = (await call({ url: base }, 'POST', '/_sandbox/accounts')).body.api_key as string;
      return { key, headers: { 'x-api-key': key } };
    },
    model: (m) => ({ client_id: m.client_id, client_secret: m.client_secret, auth_code: m.code, redirect_uri: m.redirect_uri }),
    masked: (m) => ({ client_id: m.client_id, client_secret: tail(m.client_secret), auth_code: '****', redirect_uri: m.redirect_uri }),
    start: () => startMotiveSandbox({ port: 0 }),
  },
  {
    tsp: 'samsara',
    account: async (base) => {
      const key = (await call({ url: base }, 'POST', '/_sandbox/accounts')).body.access_token as string;
      return { key, headers: { authorization: `Bearer ${key}` } };
    },
    model: (m) => ({ client_id: m.client_id, client_secret: m.client_secret, auth_code: m.code }),
    masked: (m) => ({ client_id: m.client_id, client_secret: tail(m.client_secret), auth_code: '****' }),
    start: () => startSamsaraSandbox({ port: 0 }),
  },
];

const ENV = { FLEETGATE_SYNC_TIMEOUT_MS: '5000' };

const CATENA_PATH = fileURLToPath(new URL('../../shared/reference/catena/integrations.openapi.json', import.meta.url));
const CATENA = fs.existsSync(CATENA_PATH) ? (JSON.parse(fs.readFileSync(CATENA_PATH, 'utf8')) as { components: { schemas: Record<string, any> } }) : undefined;
const NEEDS_CATENA = CATENA === undefined && `needs Catena's integrations document at ${CATENA_PATH} (../shared beside the repository; absent on a plain clone)`;

describe("the credential models are Catena's", () => {
  test('each model has the fields of its Catena -Input model, with its required ones, and the document says so', { skip: NEEDS_CATENA }, async () => {
    const { buildOpenApiDocument } = await import('../src/main/openapi.ts');
    const ours = ((await buildOpenApiDocument()) as any).components.schemas;
    const pairs = [
      ['MotiveCredsInput', 'MotiveCreds-Input'],
      ['SamsaraCredsInput', 'SamsaraCreds-Input'],
      ['GeotabCredentialsInput', 'GeotabCreds-Input'],
    ] as const;
    for (const [mine, theirs] of pairs) {
      const catena = CATENA!.components.schemas[theirs];
      assert.ok(catena, theirs);
      assert.deepEqual(Object.keys(ours[mine].properties).sort(), Object.keys(catena.properties).sort(), mine);
      assert.deepEqual([...(ours[mine].required ?? [])].sort(), [...catena.required].sort(), mine);
      // What a read shows: the -Output model's fields (secret ones masked).
      const output = CATENA!.components.schemas[theirs.replace('-Input', '-Output')];
      assert.deepEqual([...output.required].sort(), [...catena.required].sort(), `${theirs} Output`);
    }
  });
});

describe("the sandboxes' OAuth token endpoints", () => {
  const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

  test('Motive: form client credentials, redirect_uri required and matched, codes used once, RFC 6749 errors', async () => {
    const sb = await startMotiveSandbox({ port: 0 });
    try {
      const { headers } = await OAUTH_TSPS[0]!.account(sb.url);
      const m = (await call(sb, 'POST', '/_sandbox/authorization_codes', { headers, json: { redirect_uri: 'https://partner.example/cb' } })).body;
      assert.equal(m.redirect_uri, 'https://partner.example/cb');
      const token = (form: Record<string, string>, extra: Record<string, string> = {}) => call(sb, 'POST', '/oauth/token', { form, headers: extra });
      const base = { grant_type: 'authorization_code', code: m.code, client_id: m.client_id, client_secret: m.client_secret };
      const missing = await token(base);
      assert.deepEqual([missing.status, missing.body.error], [400, 'invalid_request']);
      assert.match(missing.body.error_description, /redirect_uri/);
      assert.deepEqual([(await token({ ...base, redirect_uri: m.redirect_uri, client_secret: 'nope' })).status], [401]);
      assert.equal((await token({ ...base, redirect_uri: m.redirect_uri, grant_type: 'password' })).body.error, 'unsupported_grant_type');
      const ok = await token({ ...base, redirect_uri: m.redirect_uri });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.token_type, 'Bearer');
      assert.equal(ok.body.expires_in, 7200);
      assert.equal(ok.headers['cache-control'], 'no-store');
      assert.equal((await token({ ...base, redirect_uri: m.redirect_uri })).body.error, 'invalid_grant');
      // The access token authorizes the API; an expired one does not.
      assert.equal((await call(sb, 'GET', '/v1/users', { headers: { authorization: `Bearer ${ok.body.access_token}` } })).status, 200);
      await call(sb, 'PUT', '/_sandbox/oauth', { headers, json: { access_token_lifetime_seconds: 1 } });
      const next = await call(sb, 'POST', '/_sandbox/authorization_codes', { headers, json: { client_id: m.client_id } });
      assert.equal(next.body.client_secret, undefined, 'the secret is shown once');
      const short = await token({ ...base, code: next.body.code, redirect_uri: m.redirect_uri });
      assert.equal(short.body.expires_in, 1);
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal((await call(sb, 'GET', '/v1/users', { headers: { authorization: `Bearer ${short.body.access_token}` } })).status, 401);
      for (const json of [{ colour: 'red' }, { client_id: 'motive_sbx_app_unknown' }, { client_id: m.client_id, redirect_uri: 'https://elsewhere.example' }]) {
        assert.equal((await call(sb, 'POST', '/_sandbox/authorization_codes', { headers, json })).status, 422, JSON.stringify(json));
      }
    } finally {
      await sb.close();
    }
  });

  test('Samsara: HTTP Basic only, no redirect_uri needed, refresh tokens rotate', async () => {
    const sb = await startSamsaraSandbox({ port: 0 });
    try {
      const { headers } = await OAUTH_TSPS[1]!.account(sb.url);
      const m = (await call(sb, 'POST', '/_sandbox/authorization_codes', { headers, json: {} })).body;
      const token = (form: Record<string, string>, extra: Record<string, string> = {}) => call(sb, 'POST', '/oauth2/token', { form, headers: extra });
      const inBody = await token({ grant_type: 'authorization_code', code: m.code, client_id: m.client_id, client_secret: m.client_secret });
      assert.deepEqual([inBody.status, inBody.body.error], [401, 'invalid_client']);
      const ok = await token({ grant_type: 'authorization_code', code: m.code }, basic(m.client_id, m.client_secret));
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.expires_in, 3600);
      assert.equal((await call(sb, 'GET', '/fleet/drivers', { headers: { authorization: `Bearer ${ok.body.access_token}` } })).status, 200);
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: ok.body.refresh_token }, basic(m.client_id, m.client_secret));
      assert.equal(refreshed.status, 200);
      assert.notEqual(refreshed.body.refresh_token, ok.body.refresh_token);
      assert.equal((await token({ grant_type: 'refresh_token', refresh_token: ok.body.refresh_token }, basic(m.client_id, m.client_secret))).body.error, 'invalid_grant');
      assert.deepEqual((await call(sb, 'GET', '/_sandbox/oauth', { headers })).body.exchanges, { authorization_code: 1, refresh_token: 1 });
    } finally {
      await sb.close();
    }
  });

  test('apps and tokens survive a restart with a state file', async () => {
    const dir = fs.mkdtempSync(`${(await import('node:os')).tmpdir()}/fleetgate-oauth-`);
    const stateFile = `${dir}/motive.json`;
    try {
      const first = await startMotiveSandbox({ port: 0, stateFile });
      const { headers } = await OAUTH_TSPS[0]!.account(first.url);
      const m = (await call(first, 'POST', '/_sandbox/authorization_codes', { headers, json: {} })).body;
      const ok = await call(first, 'POST', '/oauth/token', { form: { grant_type: 'authorization_code', code: m.code, redirect_uri: m.redirect_uri, client_id: m.client_id, client_secret: m.client_secret } });
      await first.close();
      const text = fs.readFileSync(stateFile, 'utf8');
      for (const s of [m.client_secret, ok.body.access_token, ok.body.refresh_token]) assert.ok(!text.includes(s), 'a secret in clear in the state file');
      const second = await startMotiveSandbox({ port: 0, stateFile });
      try {
        assert.equal((await call(second, 'GET', '/v1/users', { headers: { authorization: `Bearer ${ok.body.access_token}` } })).status, 200);
        const refreshed = await call(second, 'POST', '/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: ok.body.refresh_token, client_id: m.client_id, client_secret: m.client_secret } });
        assert.equal(refreshed.status, 200, refreshed.text);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const kind of testDbKinds()) {
  describe(`Catena credential models (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    before(async () => {
      t = await startTestApp(kind, { env: ENV });
      p = await newPartner(t);
    });
    after(async () => {
      await t?.close();
    });

    const create = (body: Json, app: TestApp = t, partner: Partner = p) => call(app, 'POST', '/v2/integrations/connections', { token: partner.token, json: body });
    const userWrite = (connectionId: string, app: TestApp = t, partner: Partner = p) =>
      call(app, 'POST', '/v2/telematics/users?is_sync=true', {
        token: partner.token,
        json: { connection_id: connectionId, username: `u.${randomUUID().slice(0, 8)}`, first_name: 'Min', last_name: 'Catena', phone_number: '5555550199', phone_country_code: '+1', is_driver: true },
      });
    const storedCredentials = async (id: string) => {
      const [row] = await t.services.database.db.select().from(connections).where(eq(connections.id, id));
      return JSON.parse(unseal(t.services.keys.sealing, row!.credentialsSealed, id)) as Record<string, string>;
    };

    for (const fx of OAUTH_TSPS) {
      describe(fx.tsp, () => {
        const prefix = `/sandbox/${fx.tsp}`;
        const sandbox = (path: string) => `${prefix}${path}`;
        const mint = async (base: string, headers: Record<string, string>, json: Json = {}) => {
          const res = await call({ url: base }, 'POST', '/_sandbox/authorization_codes', { headers, json });
          assert.equal(res.status, 201, res.text);
          return res.body as Json;
        };
        const oauthSummary = async (base: string, headers: Record<string, string>) => (await call({ url: base }, 'GET', '/_sandbox/oauth', { headers })).body;

        test("a connection made with Catena's model and a minted code is active; writes go with the exchanged token; reads show the Output model masked", async () => {
          const base = `${t.url}${prefix}`;
          const { headers } = await fx.account(base);
          const minted = await mint(base, headers);
          const res = await create({ tsp: fx.tsp, sandbox: true, credentials: fx.model(minted) });
          assert.equal(res.status, 200, res.text);
          assert.equal(res.body.status, 'active');
          assert.deepEqual(res.body.credentials, fx.masked(minted));
          const secrets = [minted.client_secret, minted.code];
          // The token pair was kept in the code's place, sealed.
          const stored = await storedCredentials(res.body.id);
          assert.equal(stored.auth_code, undefined);
          assert.ok(stored.access_token && stored.refresh_token && stored.expires_at);
          secrets.push(stored.access_token!, stored.refresh_token!);
          assert.equal((await oauthSummary(base, headers)).exchanges.authorization_code, 1);

          const written = await userWrite(res.body.id);
          assert.equal(written.status, 200, written.text);
          assert.equal(written.body.status, 'success', JSON.stringify(written.body.logs));

          // No secret in any read, nor in clear in the row.
          const reads = [
            res,
            await call(t, 'GET', `/v2/integrations/connections/${res.body.id}`, { token: p.token }),
            await call(t, 'GET', '/v2/integrations/connections', { token: p.token }),
            written,
          ];
          for (const r of reads) for (const s of secrets) assert.ok(!r.text.includes(s), 'a secret in a read');
          const rows = await t.database.withSession((q) => q(`SELECT * FROM connections WHERE id = '${res.body.id}'`));
          for (const s of secrets) assert.ok(!JSON.stringify(rows[0]).includes(s), 'a secret in clear in the row');
        });

        test('a body refused for its fleet does not spend the code: the same code then makes the connection', async () => {
          const base = `${t.url}${prefix}`;
          const { headers } = await fx.account(base);
          const minted = await mint(base, headers);
          const unknownFleet = await create({ tsp: fx.tsp, sandbox: true, credentials: fx.model(minted), fleet_id: randomUUID() });
          assert.equal(unknownFleet.status, 422, unknownFleet.text);
          assert.equal(unknownFleet.body.detail[0].error_type, 'unknown_fleet');
          const contradiction = await create({ tsp: fx.tsp, sandbox: true, credentials: fx.model(minted), fleet_ref: 'f', fleet_id: null });
          assert.equal(contradiction.status, 422, contradiction.text);
          assert.equal((await oauthSummary(base, headers)).exchanges.authorization_code ?? 0, 0, 'no exchange for a refused body');
          const made = await create({ tsp: fx.tsp, sandbox: true, credentials: fx.model(minted) });
          assert.equal(made.status, 200, made.text);
        });

        test('a code the TSP refuses is 422 invalid_credentials, and nothing is stored', async () => {
          const base = `${t.url}${prefix}`;
          const { headers } = await fx.account(base);
          const minted = await mint(base, headers);
          const before = (await call(t, 'GET', '/v2/integrations/connections', { token: p.token })).body.items.length;
          assert.equal((await create({ tsp: fx.tsp, sandbox: true, credentials: fx.model(minted) })).status, 200);
          const cases: Json[] = [
            // Spent: a code is used once.
            fx.model(minted),
            fx.model({ ...(await mint(base, headers, { client_id: minted.client_id })), client_secret: 'wrong-secret-0123456789' }),
            fx.model({ ...minted, code: 'not-a-code' }),
          ];
          if (fx.tsp === 'motive') cases.push(fx.model({ ...(await mint(base, headers, { client_id: minted.client_id })), client_secret: minted.client_secret, redirect_uri: 'https://elsewhere.example/cb' }));
          for (const credentials of cases) {
            const res = await create({ tsp: fx.tsp, sandbox: true, credentials });
            assert.equal(res.status, 422, res.text);
            assert.equal(res.body.detail[0].error_type, 'invalid_credentials', res.text);
            assert.match(res.body.detail[0].message, /refused the authorization code \(HTTP 40[01]: invalid_(grant|client)\)/);
            for (const s of [minted.client_secret, minted.code, credentials.auth_code, credentials.client_secret]) assert.ok(!res.text.includes(s), 'a secret echoed');
          }
          assert.equal((await call(t, 'GET', '/v2/integrations/connections', { token: p.token })).body.items.length, before + 1);
        });

        test("credentials of no accepted shape are 422 naming the shapes; Catena's model is in the document", async () => {
          const res = await create({ tsp: fx.tsp, sandbox: true, credentials: { client_id: 'x', client_secret: 'y' } });
          assert.equal(res.status, 422, res.text);
          assert.ok(res.body.detail.some((d: Json) => d.path.startsWith('body.credentials')), res.text);
          const doc = (await call(t, 'GET', '/openapi.json')).body;
          const id = fx.tsp === 'motive' ? 'MotiveCredsInput' : 'SamsaraCredsInput';
          const model = doc.components.schemas[id];
          assert.deepEqual(model.required, fx.tsp === 'motive' ? ['client_id', 'client_secret', 'auth_code', 'redirect_uri'] : ['client_id', 'client_secret', 'auth_code']);
          assert.equal(model.additionalProperties, false);
          assert.ok(JSON.stringify(doc.components.schemas.ConnectionCreateInput).includes(`#/components/schemas/${id}`));
        });

        describe('refresh', () => {
          let sb: { url: string; close(): Promise<void> };
          before(async () => {
            sb = await fx.start();
          });
          after(async () => {
            await sb?.close();
          });

          /** A connection through the standalone sandbox whose first access token lives `seconds`. */
          const shortLived = async (seconds: number) => {
            const { headers } = await fx.account(sb.url);
            await call(sb, 'PUT', '/_sandbox/oauth', { headers, json: { access_token_lifetime_seconds: seconds } });
            const minted = await mint(sb.url, headers);
            const res = await create({ tsp: fx.tsp, base_url: sb.url, credentials: fx.model(minted) });
            assert.equal(res.status, 200, res.text);
            // Tokens issued from now on (the refreshed ones) live an hour.
            await call(sb, 'PUT', '/_sandbox/oauth', { headers, json: { access_token_lifetime_seconds: 3600 } });
            return { id: res.body.id as string, headers, minted };
          };
          const requests = async (headers: Record<string, string>) => (await call(sb, 'GET', '/_sandbox/requests', { headers })).body.requests as Json[];

          test('an expired token is refreshed before the write; the new pair is persisted and a new app instance uses it', async () => {
            const { id, headers } = await shortLived(1);
            const first = await storedCredentials(id);
            await new Promise((r) => setTimeout(r, 1200));
            const written = await userWrite(id);
            assert.equal(written.body.status, 'success', written.text);
            assert.equal((await oauthSummary(sb.url, headers)).exchanges.refresh_token, 1);
            // Refreshed before the call: the API never saw the expired token.
            assert.ok(!(await requests(headers)).some((r) => r.status === 401));
            const second = await storedCredentials(id);
            assert.notEqual(second.access_token, first.access_token);
            assert.notEqual(second.refresh_token, first.refresh_token);
            assert.ok(Date.parse(second.expires_at!) > Date.now() + 3000_000);

            // Another fleetgate on the same database (and sealing key) writes with the stored pair: the
            // first pair's token expired and its refresh token died with the refresh, so nothing else would do.
            const other = await startTestApp(kind, { database: t.database, env: { ...ENV, FLEETGATE_ENCRYPTION_KEY: t.services.config.encryptionKey! } });
            try {
              const again = await userWrite(id, other);
              assert.equal(again.body.status, 'success', again.text);
              assert.equal((await oauthSummary(sb.url, headers)).exchanges.refresh_token, 1);
            } finally {
              await other.app.close();
            }
          });

          test('a 401 is refreshed once and the call sent again', async () => {
            const { id, headers } = await shortLived(3600);
            const before = await storedCredentials(id);
            await call(sb, 'POST', '/_sandbox/faults', { headers, json: { status: 401, body: { message: 'token revoked' } } });
            const written = await userWrite(id);
            assert.equal(written.body.status, 'success', written.text);
            assert.equal((await oauthSummary(sb.url, headers)).exchanges.refresh_token, 1);
            const statuses = (await requests(headers)).map((r) => r.status);
            assert.deepEqual(statuses.slice(-2).map((s) => s >= 200 && s < 300), [false, true]);
            assert.equal(statuses.at(-2), 401);
            assert.notEqual((await storedCredentials(id)).access_token, before.access_token);
            assert.equal((await call(t, 'GET', `/v2/integrations/connections/${id}`, { token: p.token })).body.status, 'active');
          });

          test('a refresh token the TSP refuses fails the connection; a new code in a PATCH makes it active again', async () => {
            const { id, headers, minted } = await shortLived(1);
            // Someone else spends the stored refresh token (rotation kills it): fleetgate's copy is dead.
            const stored = await storedCredentials(id);
            const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: stored.refresh_token! };
            const auth: Record<string, string> = {};
            if (fx.tsp === 'motive') Object.assign(form, { client_id: minted.client_id, client_secret: minted.client_secret });
            else auth.authorization = `Basic ${Buffer.from(`${minted.client_id}:${minted.client_secret}`).toString('base64')}`;
            const path = fx.tsp === 'motive' ? '/oauth/token' : '/oauth2/token';
            assert.equal((await call(sb, 'POST', path, { form, headers: auth })).status, 200);
            const replay = await call(sb, 'POST', path, { form, headers: auth });
            assert.equal(replay.status, 400);
            assert.equal(replay.body.error, 'invalid_grant');
            assert.equal(replay.headers['cache-control'], 'no-store');
            await new Promise((r) => setTimeout(r, 1200));

            const written = await userWrite(id);
            assert.equal(written.body.status, 'failed', written.text);
            const failed = await call(t, 'GET', `/v2/integrations/connections/${id}`, { token: p.token });
            assert.equal(failed.body.status, 'failed');
            assert.match(failed.body.status_reason, /refused the refresh token \(HTTP 400: invalid_grant\)/);
            for (const s of [stored.refresh_token!, stored.access_token!, minted.client_secret]) assert.ok(!written.text.includes(s) && !failed.text.includes(s));

            const fresh = await mint(sb.url, headers, { client_id: minted.client_id });
            const patched = await call(t, 'PATCH', `/v2/integrations/connections/${id}`, { token: p.token, json: { credentials: fx.model({ ...minted, ...fresh }) } });
            assert.equal(patched.status, 200, patched.text);
            assert.equal(patched.body.status, 'active');
            assert.deepEqual(patched.body.credentials, fx.masked(minted));
            assert.equal((await userWrite(id)).body.status, 'success');
          });

          test('two concurrent refreshes use one refresh token exchange', async () => {
            const { id, headers } = await shortLived(1);
            await new Promise((r) => setTimeout(r, 1200));
            // Two sync writes at once, through one process.
            const [a, b] = await Promise.all([userWrite(id), userWrite(id)]);
            assert.equal(a.body.status, 'success', a.text);
            assert.equal(b.body.status, 'success', b.text);
            assert.equal((await oauthSummary(sb.url, headers)).exchanges.refresh_token, 1);

            // Two "processes" (two database handles on PostgreSQL; one shared in-process map on PGlite)
            // both told the pair they hold was refused: one refreshes, the other reuses its pair.
            const held = await storedCredentials(id);
            const second: Database = kind === 'postgres' ? await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL, poolSize: 2 }) : t.database;
            try {
              const adapter = adapterFor(fx.tsp)!;
              const keeperOf = (database: Database) => {
                const ctx = { ...t.services, database };
                return async () => {
                  const [row] = await database.db.select().from(connections).where(eq(connections.id, id));
                  const { target } = targetOf(ctx, row!);
                  return tokenKeeperFor(ctx, row!, adapter, target)!.renew(held, 'refused');
                };
              };
              const [x, y] = await Promise.all([keeperOf(t.database)(), keeperOf(second)()]);
              assert.ok(x.ok && y.ok);
              assert.equal(x.credentials.access_token, y.credentials.access_token);
              assert.notEqual(x.credentials.access_token, held.access_token);
              assert.equal((await oauthSummary(sb.url, headers)).exchanges.refresh_token, 2);
              assert.equal((await storedCredentials(id)).access_token, x.credentials.access_token);
            } finally {
              if (second !== t.database) await second.close();
            }
          });
        });
      });
    }

    test('no secret of an OAuth connection reaches the log', async () => {
      const lines: string[] = [];
      const { Writable } = await import('node:stream');
      const logStream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
      const logged = await startTestApp('pglite', { env: { ...ENV, LOG_LEVEL: 'info' }, logStream });
      try {
        const q = await newPartner(logged);
        const base = `${logged.url}/sandbox/motive`;
        const { headers } = await OAUTH_TSPS[0]!.account(base);
        await call({ url: base }, 'PUT', '/_sandbox/oauth', { headers, json: { access_token_lifetime_seconds: 1 } });
        const minted = (await call({ url: base }, 'POST', '/_sandbox/authorization_codes', { headers, json: {} })).body;
        const created = await create({ tsp: 'motive', sandbox: true, credentials: OAUTH_TSPS[0]!.model(minted) }, logged, q);
        assert.equal(created.status, 200, created.text);
        const refused = await create({ tsp: 'motive', sandbox: true, credentials: OAUTH_TSPS[0]!.model(minted) }, logged, q);
        assert.equal(refused.status, 422);
        await new Promise((r) => setTimeout(r, 1200));
        assert.equal((await userWrite(created.body.id, logged, q)).body.status, 'success');
        const [row] = await logged.services.database.db.select().from(connections).where(eq(connections.id, created.body.id));
        const pair = JSON.parse(unseal(logged.services.keys.sealing, row!.credentialsSealed, row!.id)) as Record<string, string>;
        const text = lines.join('');
        assert.ok(text.length > 0, 'nothing was logged');
        for (const s of [minted.client_secret, minted.code, pair.access_token!, pair.refresh_token!]) assert.ok(!text.includes(s), 'a secret in the log');
      } finally {
        await logged.close();
      }
    });

    describe('geotab', () => {
      const geotab = (path: string, json?: unknown, headers?: Record<string, string>) => call(t, 'POST', `/sandbox/geotab${path}`, { json, headers });
      const newDatabase = async () => {
        const account = (await geotab('/_sandbox/accounts')).body;
        const control = { 'x-sandbox-database': account.database, 'x-sandbox-password': account.password };
        return { account, control };
      };
      const authenticates = async (control: Record<string, string>) =>
        ((await call(t, 'GET', '/sandbox/geotab/_sandbox/requests', { headers: control })).body.requests as Json[]).filter((r) => r.method === 'Authenticate').length;

      test("Catena's GeotabCreds without session_id authenticates with the password, as today", async () => {
        const { account, control } = await newDatabase();
        const res = await create({ tsp: 'geotab', sandbox: true, credentials: { username: account.userName, password: account.password, database: account.database, session_id: null } });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body.credentials, { database: account.database, username: account.userName, password: '****' });
        assert.equal(await authenticates(control), 1);
      });

      test('with session_id the session serves instead of Authenticate; a refused one falls back to the password', async () => {
        const { account, control } = await newDatabase();
        const login = await geotab('/apiv1', { method: 'Authenticate', params: { database: account.database, userName: account.userName, password: account.password } });
        const sessionId = login.body.result.credentials.sessionId as string;
        const credentials = { username: account.userName, password: account.password, database: account.database, session_id: sessionId };
        const res = await create({ tsp: 'geotab', sandbox: true, credentials });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body.credentials, { database: account.database, username: account.userName, password: '****', session_id: '****' });
        assert.ok(!res.text.includes(sessionId) && !res.text.includes(account.password));
        // Only the test's own Authenticate: the connection used the session.
        assert.equal(await authenticates(control), 1);
        const written = await userWrite(res.body.id);
        assert.equal(written.body.status, 'success', written.text);
        assert.equal(await authenticates(control), 1);

        // A session Geotab no longer knows: the password authenticates.
        const stale = await create({ tsp: 'geotab', sandbox: true, credentials: { ...credentials, session_id: 'no-such-session' } });
        assert.equal(stale.status, 200, stale.text);
        assert.equal(await authenticates(control), 2);
        // Neither the session nor the password works: refused.
        const refused = await create({ tsp: 'geotab', sandbox: true, credentials: { ...credentials, session_id: 'no-such-session', password: 'wrong password' } });
        assert.equal(refused.status, 422, refused.text);
        assert.equal(refused.body.detail[0].error_type, 'invalid_credentials');
        assert.ok(!refused.text.includes('wrong password'));
      });
    });
  });
}
