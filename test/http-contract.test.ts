// What a client reading the OpenAPI document sees at the edges, over real HTTP on PGlite (and
// PostgreSQL with TEST_DATABASE_URL): no 5xx for malformed input the schema lets through to a
// refine or to the database; every error typed application/json; /oauth/token answering every
// failure in OAuth's shape (unknown query parameters ignored there, RFC 6749 §3.2); long path
// parameters and bad percent-encodings in the envelope; and
// validators that accept exactly what the document publishes (is_sync, size, tsp, URLs, names).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildOpenApiDocument } from '../src/main/openapi.ts';
import { testDbKinds } from './helpers/db.ts';
import type { CallResult, Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection } from './helpers/motive.ts';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const JSON_TYPE = 'application/json; charset=utf-8';
const CONNECTIONS = '/v2/integrations/connections';
const OPERATIONS = '/v2/integrations/connections/resource-operations';
const USERS = '/v2/telematics/users';

type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } }; // `any`: the document is read loosely

// `any`: response bodies are read loosely, field by field.
const pathsOf = (res: CallResult<any>) => (Array.isArray(res.body?.detail) ? res.body.detail.map((d: { path: string }) => d.path) : []);

/** fleetgate's added fields beside Catena's three (documented on the status's error schema). */
const ADDED_FIELDS: Record<number, string[]> = { 403: ['required_scope'], 409: ['newer_operation_id', 'pending_operation_id'] };

/** An error in the envelope, typed as JSON, with a problem at `at` when given. */
function assertEnvelope(res: CallResult<any>, status: number, at?: string) {
  const where = `${status} expected, got ${res.status} ${res.text.slice(0, 300)}`;
  assert.equal(res.status, status, where);
  assert.equal(res.headers['content-type'], JSON_TYPE, where);
  const catenas = Object.keys(res.body).filter((k) => !(ADDED_FIELDS[status] ?? []).includes(k));
  assert.deepEqual(catenas.sort(), ['code', 'detail', 'message'], where);
  assert.equal(res.body.code, status, where);
  if (at) assert.ok(pathsOf(res).some((x: string) => x === at || x.startsWith(`${at}.`)), `${at} not in ${JSON.stringify(pathsOf(res))}: ${where}`);
}

/** An RFC 6749 §5.2 error, typed as JSON, never cached. */
function assertOAuthError(res: CallResult<any>, status: number, error: string) {
  const where = `${status} ${error} expected, got ${res.status} ${res.text.slice(0, 300)}`;
  assert.equal(res.status, status, where);
  assert.equal(res.headers['content-type'], JSON_TYPE, where);
  assert.equal(res.headers['cache-control'], 'no-store', where);
  assert.deepEqual(Object.keys(res.body).sort(), ['error', 'error_description'], where);
  assert.equal(res.body.error, error, where);
  assert.equal(typeof res.body.error_description, 'string', where);
}

for (const kind of testDbKinds()) {
  describe(`the HTTP contract at its edges (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    let motive: MotiveFixture;
    let doc: Doc;
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

    before(async () => {
      t = await startTestApp(kind, {
        // A short sync budget: an is_sync write that cannot get a rate-limit slot within half of it is a 429.
        env: { FLEETGATE_ADMIN_TOKEN: ADMIN_TOKEN, FLEETGATE_SYNC_TIMEOUT_MS: '4000' },
        app: {
          plugins: [
            (app) => {
              app.get('/v2/test/boom', { schema: { hide: true } }, async () => {
                throw new Error('unexpected');
              });
            },
          ],
        },
      });
      p = await newPartner(t);
      motive = await motiveConnection(t, p);
      doc = (await buildOpenApiDocument()) as unknown as Doc;
    });
    after(async () => {
      await t?.close();
    });

    describe('no 5xx for input that passes the schema\'s first checks', () => {
      test('a malformed base_url on create and update is a 422 at body.base_url', async () => {
        for (const base_url of ['x', 'http://', 'http://a b', 'http://[::1', 'https://1.2.3.999', 'http://a:99999', 'http://%zz', 'HTTPS://api.gomotive.com', 'http://xn--zz']) {
          const created = await call(t, 'POST', CONNECTIONS, { token: p.token, json: { tsp: 'motive', base_url, credentials: { api_key: 'k' } } });
          assertEnvelope(created, 422, 'body.base_url');
          const updated = await call(t, 'PATCH', `${CONNECTIONS}/${motive.connectionId}`, { token: p.token, json: { base_url } });
          assertEnvelope(updated, 422, 'body.base_url');
        }
      });

      test('date filters outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999Z (UTC) are refused at their query path', async () => {
        for (const [name, value] of [
          ['from_datetime', '0000-01-01T00:00:00Z'],
          ['to_datetime', '9999-12-31T23:59:59-14:00'],
          ['from_datetime', '0001-01-01T00:59:59+01:00'],
          ['to_datetime', '9999-12-31T23:59:59-00:01'],
          ['to_datetime', '2024-01-01T00:00:00.1234567890Z'],
          ['from_datetime', '2024-02-30T00:00:00Z'],
          ['from_datetime', '2024-01-01T00:00:00'],
          // RFC 3339 allows offsets up to ±23:59; PostgreSQL stops at ±15:59 (real offsets at ±14:00).
          ['from_datetime', '2100-01-01T00:00:00+23:59'],
          ['to_datetime', '2024-01-01T00:00:00.0-16:00'],
        ] as const) {
          const res = await call(t, 'GET', `${OPERATIONS}?${name}=${encodeURIComponent(value)}`, { token: p.token });
          // A bad query parameter is a 422, as Catena answers it, with the problem at its path.
          assertEnvelope(res, 422, `query.${name}`);
        }
      });

      test('date filters at the edges of the range are answered, at full precision', async () => {
        // Windows of at most 45 days (Catena's cap) at each end of the range.
        for (const q of [
          'from_datetime=0001-01-01T00:00:00Z&to_datetime=0001-01-02T00:00:00Z',
          // The default from_datetime, a day before, is in the year 0001 BC for PostgreSQL: it holds it.
          'to_datetime=0001-01-01T00:00:00Z',
          'to_datetime=9999-12-31T23:59:59.999Z',
          // Rounds to 10000-01-01 in PostgreSQL, which holds it.
          'to_datetime=9999-12-31T23:59:59.999999999Z',
          'from_datetime=9999-12-01T01:00:00%2B01:00&to_datetime=9999-12-31T09:59:59-14:00',
          'from_datetime=2024-01-01T00:00:00%2B15:59&to_datetime=2024-01-01T00:00:00-15:59',
        ]) {
          const res = await call(t, 'GET', `${OPERATIONS}?${q}`, { token: p.token });
          assert.equal(res.status, 200, `${q}: ${res.text}`);
        }
        // The whole range at once is a window past 45 days: a 422, not a failure.
        for (const q of ['from_datetime=0001-01-01T00:00:00Z', 'from_datetime=0001-01-01T01:00:00%2B01:00&to_datetime=9999-12-31T09:59:59-14:00']) {
          const res = await call(t, 'GET', `${OPERATIONS}?${q}`, { token: p.token });
          assert.equal(res.status, 422, `${q}: ${res.text}`);
        }
        const op = await call(t, 'POST', USERS, { token: p.token, json: { connection_id: motive.connectionId, first_name: 'Range', last_name: 'Edge', phone_country_code: '+1' } });
        assert.equal(op.status, 202, op.text);
        const at = op.body.created_at as string;
        const listed = async (q: string) =>
          ((await call(t, 'GET', `${OPERATIONS}?connection_id=${motive.connectionId}&${q}`, { token: p.token })).body.items as Array<{ id: string }>).map((o) => o.id);
        assert.ok((await listed(`from_datetime=${at}`)).includes(op.body.id), 'from_datetime is inclusive');
        const before = new Date(Date.parse(at) - 1).toISOString();
        assert.ok(!(await listed(`to_datetime=${before}`)).includes(op.body.id));
        // The same instant in another offset.
        const shifted = new Date(Date.parse(at) - 1).toISOString().replace('Z', '+00:00');
        assert.ok(!(await listed(`to_datetime=${encodeURIComponent(shifted)}`)).includes(op.body.id));
      });
    });

    describe('every error is typed application/json', () => {
      test('across operations and statuses', async () => {
        const writer = await newPartner(t, ['telematics:write']);
        assertEnvelope(await call(t, 'POST', CONNECTIONS, { raw: '{"tsp": ', token: p.token }), 400);
        assertEnvelope(await call(t, 'GET', `${CONNECTIONS}?size=0`, { token: p.token }), 422, 'query.size');
        assertEnvelope(await call(t, 'GET', `${CONNECTIONS}?colour=red`, { token: p.token }), 422, 'query.colour');
        assertEnvelope(await call(t, 'GET', CONNECTIONS), 401);
        assertEnvelope(await call(t, 'GET', USERS, { token: 'nope' }), 401);
        assertEnvelope(await call(t, 'GET', OPERATIONS, { token: writer.token }), 403);
        assertEnvelope(await call(t, 'GET', '/v2/nowhere', { token: p.token }), 404);
        assertEnvelope(await call(t, 'GET', `${CONNECTIONS}/00000000-0000-4000-8000-000000000000`, { token: p.token }), 404);
        assertEnvelope(await call(t, 'PUT', CONNECTIONS, { token: p.token, json: {} }), 405);
        const key = { 'idempotency-key': `ct-${Date.now()}` };
        const first = await call(t, 'POST', USERS, { token: p.token, headers: key, json: { connection_id: motive.connectionId, first_name: 'A', last_name: 'B', phone_country_code: '+1' } });
        assert.equal(first.status, 202, first.text);
        assertEnvelope(await call(t, 'POST', USERS, { token: p.token, headers: key, json: { connection_id: motive.connectionId, first_name: 'C', last_name: 'D', phone_country_code: '+1' } }), 409);
        assertEnvelope(await call(t, 'POST', '/v2/notifications/webhooks', { token: p.token, json: { url: 'http://127.0.0.1:9/hook', description: 'x'.repeat(1024 * 1024) } }), 413);
        assertEnvelope(await call(t, 'POST', USERS, { token: p.token, raw: '{}', headers: { 'content-type': 'text/plain' } }), 415);
        assertEnvelope(await call(t, 'POST', USERS, { token: p.token, json: { connection_id: 'nope' } }), 422, 'body.connection_id');
        assertEnvelope(await call(t, 'POST', '/admin/v1/partners', { headers: admin, json: {} }), 422, 'body.name');
        assertEnvelope(await call(t, 'GET', '/v2/test/boom'), 500);
      });

      test('a sync write that cannot get a rate-limit slot: 429 with Retry-After, as the document says', async () => {
        const limited = await motiveConnection(t, p, { rate_limit_per_minute: 1 });
        const body = { connection_id: limited.connectionId, first_name: 'Rate', last_name: 'Limited', phone_country_code: '+1' };
        const first = await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: body });
        // The sandbox account's one call a minute went to the connection's credential check: Motive
        // answers this write 429, so it could not be processed at this time (Catena's 502, the operation).
        assert.equal(first.status, 502, first.text);
        assert.equal(first.body.logs[0].response_status_code, 429);
        const second = await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: { ...body, first_name: 'Again' } });
        assertEnvelope(second, 429);
        assert.match(String(second.headers['retry-after']), /^\d+$/);
        for (const [path, method] of [[USERS, 'post'], [`${USERS}/{id}`, 'patch']] as const) {
          const documented = doc.paths[path]![method].responses['429'];
          assert.ok(documented, `${method} ${path} documents 429`);
          assert.equal(documented.headers['retry-after'].schema.type, 'integer');
          assert.ok(documented.content['application/json']);
        }
      });
    });

    describe('path parameters and URLs the router refuses', () => {
      test('a path parameter over 100 characters is authenticated, then refused at its path (not a bare 414)', async () => {
        for (const length of [101, 5000]) {
          const id = 'a'.repeat(length);
          assertEnvelope(await call(t, 'GET', `${CONNECTIONS}/${id}`), 401);
          assertEnvelope(await call(t, 'GET', `${CONNECTIONS}/${id}`, { token: p.token }), 422, 'path.connection_id');
          assertEnvelope(await call(t, 'GET', `${OPERATIONS.replace('/resource-operations', '')}/${id}/resource-operations/${id}`, { token: p.token }), 422, 'path.connection_id');
        }
      });
      test('a malformed percent-encoding in the path is a 400 in the envelope', async () => {
        assertEnvelope(await call(t, 'GET', `${CONNECTIONS}/%zz`, { token: p.token }), 400);
      });
    });

    describe('POST /oauth/token answers every failure in OAuth\'s shape', () => {
      const token = (opts: Parameters<typeof call>[3]) => call(t, 'POST', '/oauth/token', opts);
      const creds = () => ({ client_id: p.clientId, client_secret: p.clientSecret });

      test('parse failures: malformed JSON, no body, a body neither form nor JSON, a body over 1 MiB', async () => {
        assertOAuthError(await token({ raw: '{"grant_type": ' }), 400, 'invalid_request');
        assertOAuthError(await token({}), 400, 'invalid_request');
        assertOAuthError(await token({ raw: 'grant_type=client_credentials', headers: { 'content-type': 'text/plain' } }), 415, 'invalid_request');
        assertOAuthError(await token({ raw: JSON.stringify({ grant_type: 'x'.repeat(1024 * 1024) }) }), 413, 'invalid_request');
        assertOAuthError(await token({ raw: '[1]' }), 400, 'invalid_request');
      });

      test('validation failures: invalid_request or unsupported_grant_type, never a 422', async () => {
        assertOAuthError(await token({ json: creds() }), 400, 'invalid_request');
        assertOAuthError(await token({ form: { grant_type: '', ...creds() } }), 400, 'invalid_request');
        assertOAuthError(await token({ json: { grant_type: 42, ...creds() } }), 400, 'invalid_request');
        assertOAuthError(await token({ json: { grant_type: 'client_credentials', client_id: 7, client_secret: 'x' } }), 400, 'invalid_request');
        assertOAuthError(await token({ json: { grant_type: 'password', ...creds() } }), 400, 'unsupported_grant_type');
        const repeated = `grant_type=client_credentials&grant_type=client_credentials&client_id=${p.clientId}&client_secret=${p.clientSecret}`;
        assertOAuthError(await token({ raw: repeated, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'invalid_request');
      });

      test('client authentication and scope failures', async () => {
        const basic = `Basic ${Buffer.from(`${p.clientId}:${p.clientSecret}`).toString('base64')}`;
        assertOAuthError(await token({ form: { grant_type: 'client_credentials', client_secret: p.clientSecret }, headers: { authorization: basic } }), 400, 'invalid_request');
        assertOAuthError(await token({ form: { grant_type: 'client_credentials' }, headers: { authorization: 'Basic !!!' } }), 401, 'invalid_client');
        assertOAuthError(await token({ form: { grant_type: 'client_credentials', client_id: p.clientId, client_secret: '' } }), 401, 'invalid_client');
        assertOAuthError(await token({ form: { grant_type: 'client_credentials', ...creds(), scope: 'telematics:read nope' } }), 400, 'invalid_scope');
        const unauthenticated = await token({ form: { grant_type: 'client_credentials' } });
        assertOAuthError(unauthenticated, 401, 'invalid_client');
        assert.match(String(unauthenticated.headers['www-authenticate']), /^Basic/);
      });

      test('a JSON body and unknown parameters (ignored, RFC 6749 §3.2) get a token', async () => {
        const res = await token({ json: { grant_type: 'client_credentials', ...creds(), extra: 'ignored' } });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.token_type, 'Bearer');
        // In the query too: the OAuth endpoints are the one exception to the API's unknown-parameter 422.
        const queried = await call(t, 'POST', '/oauth/token?extra=ignored', { form: { grant_type: 'client_credentials', ...creds() } });
        assert.equal(queried.status, 200, queried.text);
      });

      test('the document: form and JSON bodies, grant_type required, HTTP Basic offered, OAuth errors', async () => {
        const op = doc.paths['/oauth/token']!.post;
        assert.deepEqual(Object.keys(op.requestBody.content).sort(), ['application/json', 'application/x-www-form-urlencoded']);
        for (const media of Object.values(op.requestBody.content) as Array<{ schema: any }>) {
          assert.deepEqual(media.schema.required, ['grant_type']);
          assert.deepEqual(media.schema.properties.grant_type.enum, ['client_credentials']);
          assert.ok(media.schema.properties.client_id && media.schema.properties.client_secret);
        }
        assert.deepEqual(op.security, [{}, { clientBasic: [] }]);
        assert.match(op.description, /HTTP Basic/);
        for (const status of ['400', '401', '413', '415', '500', '503']) {
          assert.equal(op.responses[status].content['application/json'].schema.$ref, '#/components/schemas/ErrorResponse', status);
        }
        assert.equal(op.responses['422'], undefined);
      });
    });

    describe('validators accept exactly what the document publishes', () => {
      const isSyncEnum = () => doc.paths[USERS]!.post.parameters.find((x: { name: string }) => x.name === 'is_sync').schema.enum as string[];

      test('is_sync: an enum of the words it takes, and nothing else', async () => {
        const words = isSyncEnum();
        assert.equal(words.length, 14);
        for (const word of words) {
          const res = await call(t, 'POST', `${USERS}?is_sync=${word}`, { token: p.token, json: { connection_id: motive.connectionId, first_name: `Sync ${word}`, last_name: 'Word', phone_country_code: '+1' } });
          assert.ok(res.status === 200 || res.status === 202, `${word}: ${res.status} ${res.text}`);
          assert.equal(res.status === 200, ['true', '1', 'yes', 'on', 'y', 'enabled', 'True'].includes(word), word);
        }
        for (const word of ['TRUE', 'Yes', 'maybe', '', 't', '2']) {
          assertEnvelope(await call(t, 'POST', `${USERS}?is_sync=${word}`, { token: p.token, json: { connection_id: motive.connectionId } }), 422, 'query.is_sync');
        }
      });

      test('size: an integer in digits, 1..1000, documented as such', async () => {
        const size = doc.paths[CONNECTIONS]!.get.parameters.find((x: { name: string }) => x.name === 'size').schema;
        assert.deepEqual(size, { default: 300, type: 'integer', minimum: 1, maximum: 1000 });
        for (const bad of ['1e2', '0x10', '7.0', '+7', '-1', ' 7', '', '0', '1001', 'seven']) {
          for (const path of [CONNECTIONS, OPERATIONS, USERS, '/v2/notifications/webhooks']) {
            assertEnvelope(await call(t, 'GET', `${path}?size=${encodeURIComponent(bad)}`, { token: p.token }), 422, 'query.size');
          }
        }
        for (const good of ['1', '007', '1000']) {
          const res = await call(t, 'GET', `${CONNECTIONS}?size=${good}`, { token: p.token });
          assert.equal(res.status, 200, `${good}: ${res.text}`);
        }
      });

      test('the connection list\'s tsp filter is the tsp enum', async () => {
        const tsp = doc.paths[CONNECTIONS]!.get.parameters.find((x: { name: string }) => x.name === 'tsp').schema;
        assert.deepEqual(tsp.enum, ['motive', 'samsara', 'geotab']);
        assert.equal((await call(t, 'GET', `${CONNECTIONS}?tsp=motive`, { token: p.token })).status, 200);
        assertEnvelope(await call(t, 'GET', `${CONNECTIONS}?tsp=teletrac`, { token: p.token }), 422, 'query.tsp');
      });

      test('URLs: the published pattern is the check (http(s) only, no credentials; base URLs without query or fragment)', async () => {
        const base = new RegExp(doc.components.schemas.ConnectionCreateInput.properties.base_url.pattern, 'u');
        const createRef = String(doc.paths['/v2/notifications/webhooks'].post.requestBody.content['application/json'].schema.$ref).split('/').pop()!;
        const hook = new RegExp(doc.components.schemas[createRef].properties.url.pattern, 'u');
        assert.ok(base.test('http://[::1]:8080/x') && base.test('https://api.gomotive.com') && !base.test('ftp://x') && !base.test('https://u:p@h') && !base.test('https://h/?q'));
        assert.ok(hook.test('https://h/hook?token=1') && !hook.test('https://h/hook#f'));
        const created = await call(t, 'POST', '/v2/notifications/webhooks', { token: p.token, json: { url: 'http://127.0.0.1:9/hook?token=abc', event_name: 'resource_operation.created' } });
        assert.equal(created.status, 200, created.text);
        for (const url of ['ftp://127.0.0.1/x', 'http://u:p@127.0.0.1/x', 'http://127.0.0.1:99999/x', 'http://127.0.0.1/x#frag', 'javascript:alert(1)']) {
          assertEnvelope(await call(t, 'POST', '/v2/notifications/webhooks', { token: p.token, json: { url, event_name: 'resource_operation.created' } }), 422, 'body.url');
        }
      });

      test('names: lengths apply to the name as sent, and blank is refused', async () => {
        const name = doc.paths['/admin/v1/partners']!.post.requestBody.content['application/json'].schema.properties.name;
        assert.equal(name.maxLength, 200);
        assert.equal(name.pattern, '\\S');
        assert.match(name.description, /spaces are removed/);
        assertEnvelope(await call(t, 'POST', '/admin/v1/partners', { headers: admin, json: { name: '   ' } }), 422, 'body.name');
        assertEnvelope(await call(t, 'POST', '/admin/v1/partners', { headers: admin, json: { name: `${' '.repeat(200)}a` } }), 422, 'body.name');
        const ok = await call(t, 'POST', '/admin/v1/partners', { headers: admin, json: { name: '  Acme  ' } });
        assert.equal(ok.status, 201, ok.text);
        assert.equal(ok.body.name, 'Acme');
      });

      test('credentials: blank values are refused as the pattern says, and Motive takes exactly one of its two', async () => {
        const schema = doc.components.schemas.MotiveCredentialsInput;
        assert.deepEqual(schema.oneOf, [{ required: ['api_key'] }, { required: ['access_token'] }]);
        assert.equal(schema.properties.api_key.pattern, '\\S');
        for (const credentials of [{ api_key: ' ' }, { api_key: '' }, {}, { api_key: 'a', access_token: 'b' }]) {
          assertEnvelope(await call(t, 'POST', CONNECTIONS, { token: p.token, json: { tsp: 'motive', sandbox: true, credentials } }), 422, 'body.credentials');
        }
      });
    });
  });
}
