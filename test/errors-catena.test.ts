// Errors and write answers as Catena publishes them (../shared/reference/catena/*.json), over real HTTP
// on PGlite (and PostgreSQL with TEST_DATABASE_URL):
//   - every error status's body, live, against Catena's schema for it (Ajv over Catena's own document),
//     and fleetgate's document declaring Catena's error schemas (properties, types, defaults, required);
//   - 422 detail items exactly Catena's ValidationErrorDetail from every source: body, query, path,
//     header, cursor, and the engine's refusals (unsupported_by_tsp, references, connection mismatch);
//   - a query parameter an operation does not declare: 422 naming it, on every kind of route, while the
//     declared ones (lists of values included) keep working;
//   - unknown body fields ignored and listed in the operation (ignored_fields), on every resource write;
//   - a wrong method on a known path: 405 with Allow;
//   - sync writes: 200 only for a success, 502 with the failed operation otherwise (sandbox faults: 5xx,
//     429, a lost answer, a refusal), 202 without is_sync;
//   - 501 where the connection's TSP has no fleetgate adapter for the write.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
// Ajv and ajv-formats come with @seriousme/openapi-schema-validator (a devDependency).
import Ajv2020 from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { z } from 'zod';
import { PRODUCT_CATALOG } from '../src/catalog.ts';
import type { Catalog } from '../src/engine/resource.ts';
import { buildOpenApiDocument } from '../src/main/openapi.ts';
import { defineTsp } from '../src/tsps/kit/descriptor.ts';
import { motiveAdapter } from '../src/tsps/motive/index.ts';
import type { CallResult, Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection } from './helpers/motive.ts';

type Schema = Record<string, any>; // `any`: JSON Schema read from the documents
type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };

// ../shared beside the repository; CATENA_REFERENCE_DIR overrides it (a worktree elsewhere), as test/helpers/catena-docs.ts.
const CATENA_PATH = path.join(process.env.CATENA_REFERENCE_DIR ?? fileURLToPath(new URL('../../shared/reference/catena', import.meta.url)), 'telematics.openapi.excerpt.json');
const CATENA = fs.existsSync(CATENA_PATH) ? (JSON.parse(fs.readFileSync(CATENA_PATH, 'utf8')) as Doc) : undefined;
const NEEDS_CATENA = CATENA === undefined && `needs Catena's telematics document at ${CATENA_PATH} (../shared beside the repository; absent on a plain clone)`;

/** Each error status fleetgate answers in one of Catena's error models, by the model's name. */
const CATENA_MODELS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  422: 'UnprocessableEntity',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  501: 'NotImplementedResponse',
};

const { default: addFormats } = addFormatsModule as unknown as { default: (ajv: unknown) => void };

/** Ajv over Catena's document: `check(model, body)` lists what the body breaks of Catena's model. */
function catenaValidator(doc: Doc) {
  // @ts-expect-error ajv's CommonJS default export is the class
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'catena', components: doc.components });
  const compiled = new Map<string, (v: unknown) => boolean>();
  return (model: string, body: unknown): string => {
    let validate = compiled.get(model) as ((v: unknown) => boolean) & { errors?: unknown };
    if (!validate) compiled.set(model, (validate = ajv.compile({ $ref: `catena#/components/schemas/${model}` })));
    return validate(body) ? '' : JSON.stringify(validate.errors);
  };
}

const JSON_TYPE = 'application/json; charset=utf-8';
const USERS = '/v2/telematics/users';
const CONNECTIONS = '/v2/integrations/connections';
const OPERATIONS = '/v2/integrations/connections/resource-operations';

/** The JSON types a property schema allows ('ref:Name' for a component, 'array<...>' for a list). */
function typesOf(s: Schema): string[] {
  if (s.$ref) return [`ref:${String(s.$ref).split('/').pop()}`];
  if (s.anyOf) return [...new Set((s.anyOf as Schema[]).flatMap(typesOf))].sort();
  const types = Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : [];
  return types.map((t) => (t === 'array' ? `array<${s.items ? typesOf(s.items).join('|') : ''}>` : t)).sort();
}

/** A Catena-shaped error: typed JSON, Catena's three fields (and only documented additions), valid against Catena's model. */
function assertCatenaError(res: CallResult<any>, status: number, check: ((model: string, body: unknown) => string) | undefined, where = '') {
  const label = `${where} ${status} expected, got ${res.status} ${res.text.slice(0, 400)}`;
  assert.equal(res.status, status, label);
  assert.equal(res.headers['content-type'], JSON_TYPE, label);
  assert.equal(res.body.code, status, label);
  assert.equal(typeof res.body.message, 'string', label);
  assert.ok(['code', 'message', 'detail'].every((k) => Object.hasOwn(res.body, k)), label);
  if (check) assert.equal(check(CATENA_MODELS[status]!, res.body), '', `Catena's ${CATENA_MODELS[status]}: ${label}`);
}

/** A 422 whose items are exactly Catena's ValidationErrorDetail; the items, for more checks. */
function assert422(res: CallResult<any>, check: ((model: string, body: unknown) => string) | undefined, where = ''): Array<Record<string, string>> {
  assertCatenaError(res, 422, check, where);
  assert.deepEqual(Object.keys(res.body).sort(), ['code', 'detail', 'message'], where);
  assert.ok(Array.isArray(res.body.detail) && res.body.detail.length > 0, `${where}: ${res.text}`);
  for (const d of res.body.detail) {
    assert.deepEqual(Object.keys(d).sort(), ['error_type', 'input', 'message', 'path'], `${where}: ${JSON.stringify(d)}`);
    for (const v of Object.values(d)) assert.equal(typeof v, 'string', `${where}: ${JSON.stringify(d)}`);
  }
  return res.body.detail;
}

const item = (items: Array<Record<string, string>>, at: string) => {
  const found = items.find((d) => d.path === at);
  assert.ok(found, `no problem at ${at} in ${JSON.stringify(items)}`);
  return found;
};

/** The product catalog with Motive lacking its vehicle adapter: fleetgate "has no adapter" for vehicle writes there. */
function catalogWithoutMotiveVehicles(): Catalog {
  const { vehicle: _dropped, ...resources } = motiveAdapter.resources;
  const motive = defineTsp(motiveAdapter.descriptor, { checkCredentials: motiveAdapter.checkCredentials, resources });
  return { resources: PRODUCT_CATALOG.resources, tsps: { ...PRODUCT_CATALOG.tsps, motive } };
}

const testRoutes = (app: import('fastify').FastifyInstance) => {
  // A route of the API with list-valued and preprocessed filters, as the list routes declare them: the
  // unknown-parameter check reads whatever the querystring schema declares.
  app.get(
    '/v2/test/filters',
    {
      schema: {
        operationId: 'test_filters',
        querystring: z.preprocess(
          (q) => q,
          z.object({ fleet_ids: z.union([z.string(), z.array(z.string())]).optional(), is_driver: z.enum(['true', 'false']).optional() }),
        ),
      },
    },
    async (request) => request.query,
  );
  app.get('/v2/test/boom', { schema: { hide: true } }, async () => {
    throw new Error('unexpected');
  });
};

test('a querystring schema whose parameter names cannot be read is refused when the route is registered', async () => {
  await assert.rejects(
    buildOpenApiDocument({
      plugins: [(app) => void app.get('/v2/test/opaque', { schema: { operationId: 'opaque', querystring: z.record(z.string(), z.string()) } }, async () => ({}))],
    }),
    /cannot read the parameter names of a querystring schema of type record/,
  );
});

describe("fleetgate's document declares Catena's error models", () => {
  let doc: Doc;
  before(async () => {
    doc = (await buildOpenApiDocument()) as unknown as Doc;
  });

  test("each error model: Catena's properties with Catena's types and defaults, Catena's required, further fields allowed", { skip: NEEDS_CATENA }, () => {
    const catena = CATENA!.components.schemas;
    for (const name of [...Object.values(CATENA_MODELS), 'ValidationErrorDetail', 'RetryAfterDetail']) {
      const ours = doc.components.schemas[name];
      const theirs = catena[name]!;
      assert.ok(ours, `fleetgate's document has no ${name}`);
      for (const [prop, s] of Object.entries(theirs.properties as Record<string, Schema>)) {
        assert.ok(ours.properties?.[prop], `${name}.${prop} missing`);
        assert.deepEqual(typesOf(ours.properties[prop]), typesOf(s), `${name}.${prop}: types`);
        if ('default' in s) assert.equal(ours.properties[prop].default, s.default, `${name}.${prop}: default`);
      }
      assert.deepEqual([...(ours.required ?? [])].sort(), [...(theirs.required ?? [])].sort(), `${name}: required`);
      assert.notEqual(ours.additionalProperties, false, `${name}: Catena's models take further fields`);
      // fleetgate's own additions are optional and say so.
      for (const [prop, s] of Object.entries(ours.properties as Record<string, Schema>)) {
        if (!(prop in theirs.properties)) assert.match(String(s.description), /^fleetgate's addition/, `${name}.${prop}`);
      }
    }
  });

  test('the user writes declare what Catena declares and what fleetgate answers: 200, 202 and 502 with the operation; no 504; 501 only where a TSP lacks an adapter', { skip: NEEDS_CATENA }, () => {
    // fleetgate's name of the update's path parameter may differ from Catena's {id}.
    const updatePath = Object.keys(doc.paths).find((x) => /^\/v2\/telematics\/users\/\{[^}]+\}$/.test(x) && doc.paths[x]!.patch)!;
    for (const [path, method, catenaPath] of [
      [USERS, 'post', '/v2/telematics/users'],
      [updatePath, 'patch', '/v2/telematics/users/{id}'],
    ] as const) {
      const ours = doc.paths[path]![method].responses as Record<string, any>;
      const theirs = CATENA!.paths[catenaPath]![method].responses as Record<string, any>;
      for (const status of Object.keys(theirs)) {
        // Every TSP has an adapter for the user writes, so they never answer 501 and do not say they may.
        if (status === '501') continue;
        assert.ok(ours[status], `${method} ${path} declares ${status}`);
        const ref = (r: any) => String(r.content['application/json'].schema.$ref).split('/').pop();
        assert.equal(ref(ours[status]), ref(theirs[status]), `${method} ${path} ${status}: Catena's model`);
      }
      assert.equal(ours['501'], undefined);
      assert.equal(ours['504'], undefined, 'Catena declares no 504 here: the sync budget running out is a 502');
      // fleetgate's own statuses, which Catena does not declare, are still answered and so declared.
      for (const status of ['413', '415', '503']) assert.ok(ours[status], `${method} ${path} ${status}`);
      assert.deepEqual(Object.keys(ours['405'].headers ?? {}), ['allow']);
    }
  });

  test('every route declares 405 and 422 (a wrong method on its path, an unknown query parameter)', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        // The token endpoints answer in OAuth's own error shape (RFC 6749 §5.2), their 405 included.
        if (op.security?.some((s: Record<string, unknown>) => 'clientBasic' in s)) continue;
        assert.ok(op.responses['405'] && op.responses['422'], `${method} ${path}`);
      }
    }
  });
});

for (const kind of testDbKinds()) {
  describe(`Catena's errors and write answers (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    let m: MotiveFixture;
    const check = CATENA ? catenaValidator(CATENA) : undefined;

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_SYNC_TIMEOUT_MS: '4000' }, app: { plugins: [testRoutes] } });
      p = await newPartner(t);
      m = await motiveConnection(t, p);
    });
    after(async () => {
      await t?.close();
    });

    const user = (extra: Record<string, unknown> = {}) => ({ connection_id: m.connectionId, first_name: 'Ada', last_name: 'Lovelace', phone_country_code: '+1', ...extra });

    describe('422: Catena\'s UnprocessableEntity, whatever found the problems', () => {
      test(`every item is ValidationErrorDetail: a dotted path, the input as text ("" when absent), message, error_type${NEEDS_CATENA ? ' (Ajv against Catena\'s schema skipped: ' + NEEDS_CATENA + ')' : ''}`, async () => {
        const res = await call(t, 'POST', USERS, {
          token: p.token,
          json: { first_name: 42, is_driver: 'yes', country_code: 'US', hos_tracking_mode: { hos_compliance_type: 'EXEMPT' }, status: { v: [1] }, notes: null },
        });
        const items = assert422(res, check, 'body');
        assert.deepEqual(item(items, 'body.connection_id'), { path: 'body.connection_id', input: '', message: item(items, 'body.connection_id').message, error_type: 'missing' });
        assert.equal(item(items, 'body.first_name').input, '42');
        assert.equal(item(items, 'body.is_driver').input, 'yes');
        assert.equal(item(items, 'body.country_code').input, 'US');
        assert.equal(item(items, 'body.hos_tracking_mode.hos_compliance_type').input, 'EXEMPT');
        assert.equal(item(items, 'body.status').input, '{"v":[1]}', 'an object as its JSON text');
        assert.equal(items.length, 6);
      });

      test('query, path, header and cursor problems are 422 items too (query validation is 422, as Catena)', async () => {
        assert.equal(item(assert422(await call(t, 'GET', `${USERS}?size=0`, { token: p.token }), check, 'query'), 'query.size').input, '0');
        assert.equal(item(assert422(await call(t, 'GET', `${OPERATIONS}?status=done`, { token: p.token }), check, 'query enum'), 'query.status').error_type, 'enum');
        const inPath = assert422(await call(t, 'GET', `${USERS}/not-a-uuid`, { token: p.token }), check, 'path');
        assert.match(inPath[0]!.path, /^path\.\w+$/);
        assert.equal(inPath[0]!.input, 'not-a-uuid');
        const header = assert422(await call(t, 'POST', USERS, { token: p.token, json: user(), headers: { 'idempotency-key': 'k'.repeat(256) } }), check, 'header');
        assert.equal(item(header, 'header.idempotency-key').input, 'k'.repeat(256));
        assert.equal(item(assert422(await call(t, 'GET', `${CONNECTIONS}?cursor=garbage`, { token: p.token }), check, 'cursor'), 'query.cursor').error_type, 'cursor');
      });

      test("the engine's refusals carry paths: unsupported_by_tsp, unknown references, another connection's record; credentials are never echoed", async () => {
        const tsp = assert422(await call(t, 'POST', USERS, { token: p.token, json: user({ hos_ruleset_code: 'CA_FED_C1_TEAM' }) }), check, 'unsupported_by_tsp');
        assert.deepEqual(item(tsp, 'body.hos_ruleset_code').error_type, 'unsupported_by_tsp');
        assert.equal(item(tsp, 'body.hos_ruleset_code').input, 'CA_FED_C1_TEAM');
        const stranger = randomUUID();
        const ref = assert422(await call(t, 'POST', '/v2/telematics/messages', { token: p.token, json: { connection_id: m.connectionId, sender_id: stranger, recipient_id: stranger } }), check, 'reference');
        assert.equal(item(ref, 'body.recipient_id').input, stranger);
        assert.equal(item(ref, 'body.recipient_id').error_type, 'not_found');
        const created = await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: user() });
        assert.equal(created.status, 200, created.text);
        const other = await motiveConnection(t, p);
        const mismatch = assert422(await call(t, 'PATCH', `${USERS}/${created.body.resource_id}`, { token: p.token, json: { connection_id: other.connectionId, first_name: 'X' } }), check, 'mismatch');
        assert.equal(item(mismatch, 'body.connection_id').error_type, 'connection_mismatch');
        const secret = `secret-${randomUUID()}`;
        const creds = await call(t, 'POST', CONNECTIONS, { token: p.token, json: { tsp: 'motive', sandbox: true, credentials: { api_key: 42, access_token: secret } } });
        const credItems = assert422(creds, check, 'credentials');
        assert.ok(credItems.every((d) => d.input === '' || !d.path.includes('credentials')), JSON.stringify(credItems));
        assert.ok(!creds.text.includes(secret));
      });
    });

    describe('every other error status in its Catena model', () => {
      test('400, 401, 403, 404, 405, 409, 429, 500 live bodies validate against Catena\'s models', async () => {
        assertCatenaError(await call(t, 'POST', CONNECTIONS, { token: p.token, raw: '{"tsp": ' }), 400, check, 'malformed JSON');
        assertCatenaError(await call(t, 'GET', CONNECTIONS), 401, check);
        const writer = await newPartner(t, ['telematics:write']);
        const forbidden = await call(t, 'GET', OPERATIONS, { token: writer.token });
        assertCatenaError(forbidden, 403, check);
        assert.equal(forbidden.body.detail, 'required scope: resource_operation:read', 'a sentence, as Catena types it');
        assert.equal(forbidden.body.required_scope, 'resource_operation:read', "fleetgate's added field");
        assertCatenaError(await call(t, 'GET', `${CONNECTIONS}/${randomUUID()}`, { token: p.token }), 404, check);
        const unknownConnection = await call(t, 'POST', USERS, { token: p.token, json: user({ connection_id: randomUUID() }) });
        assertCatenaError(unknownConnection, 404, check, 'unknown body connection');
        assert.match(unknownConnection.body.detail, /^body\.connection_id: /);
        assertCatenaError(await call(t, 'DELETE', USERS, { token: p.token }), 405, check);
        const key = { 'idempotency-key': `k-${randomUUID()}` };
        assert.equal((await call(t, 'POST', USERS, { token: p.token, headers: key, json: user() })).status, 202);
        assertCatenaError(await call(t, 'POST', USERS, { token: p.token, headers: key, json: user({ first_name: 'Other' }) }), 409, check);
        const limited = await motiveConnection(t, p, { rate_limit_per_minute: 1 });
        await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: user({ connection_id: limited.connectionId }) });
        const tooMany = await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: user({ connection_id: limited.connectionId, first_name: 'Again' }) });
        assertCatenaError(tooMany, 429, check);
        assert.deepEqual(Object.keys(tooMany.body.detail).sort(), ['message', 'retry_after_seconds'], "Catena's RetryAfterDetail");
        assert.equal(String(tooMany.body.detail.retry_after_seconds), tooMany.headers['retry-after']);
        const boom = await call(t, 'GET', '/v2/test/boom');
        assertCatenaError(boom, 500, check);
        assert.deepEqual(boom.body, { code: 500, message: 'Internal server error', detail: null });
      });
    });

    describe('unknown query parameters: 422 naming each, on every route; the declared ones keep working', () => {
      test('lists, reads, writes, the catalogue: each refuses a parameter it does not declare', async () => {
        const created = await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: user() });
        assert.equal(created.status, 200, created.text);
        const count = async () => (await call(t, 'GET', `${OPERATIONS}?connection_id=${m.connectionId}&size=1000`, { token: p.token })).body.items.length as number;
        const before = await count();
        const routes: Array<[string, string, unknown?]> = [
          ['GET', `${USERS}?size=5&colour=red`],
          ['GET', `${USERS}/${created.body.resource_id}?colour=red`],
          ['POST', `${USERS}?is_sync=false&colour=red`, user()],
          ['PATCH', `${USERS}/${created.body.resource_id}?colour=red`, { connection_id: m.connectionId }],
          ['GET', `${CONNECTIONS}?colour=red`],
          ['GET', `${CONNECTIONS}/${m.connectionId}?colour=red`],
          ['GET', `${OPERATIONS}?colour=red`],
          ['GET', `${CONNECTIONS}/${m.connectionId}/resource-operations/${created.body.id}?colour=red`],
          ['GET', `/v2/integrations/tsps?colour=red`],
          ['GET', `/v2/notifications/webhooks?colour=red`],
          ['GET', `/v2/telematics/vehicles?colour=red`],
        ];
        for (const [method, url, json] of routes) {
          const items = assert422(await call(t, method, url, { token: p.token, json }), check, `${method} ${url}`);
          assert.deepEqual(items.map((d) => [d.path, d.input, d.error_type]), [['query.colour', 'red', 'unknown_parameter']], `${method} ${url}`);
        }
        assert.equal(await count(), before, 'nothing was written by the refused write and update');
      });

      test('every unknown name is listed, with the declared parameters\' own problems; a repeated unknown name once, its values as JSON', async () => {
        const items = assert422(await call(t, 'GET', `${USERS}?limit=5&size=0&page=2&page=3`, { token: p.token }), check);
        assert.deepEqual(items.map((d) => [d.path, d.input]).sort(), [['query.limit', '5'], ['query.page', '["2","3"]'], ['query.size', '0']]);
      });

      test('declared parameters keep working: repeated (a list), preprocessed, Catena\'s is_sync; the OAuth token endpoint ignores unknown ones', async () => {
        const list = await call(t, 'GET', '/v2/test/filters?fleet_ids=a&fleet_ids=b&is_driver=false', { token: p.token });
        assert.equal(list.status, 200, list.text);
        assert.deepEqual(list.body, { fleet_ids: ['a', 'b'], is_driver: 'false' });
        assert.equal((await call(t, 'GET', '/v2/test/filters?fleet_ids=a')).status, 200);
        assert.deepEqual(assert422(await call(t, 'GET', '/v2/test/filters?fleet_ids=a&fleet_id=b'), check).map((d) => d.path), ['query.fleet_id']);
        assert.equal((await call(t, 'POST', `${USERS}?is_sync=false`, { token: p.token, json: user() })).status, 202);
        const token = await call(t, 'POST', '/oauth/token?audience=x', { form: { grant_type: 'client_credentials', client_id: p.clientId, client_secret: p.clientSecret } });
        assert.equal(token.status, 200, token.text);
      });
    });

    describe('unknown body fields: accepted, ignored, listed in the operation', () => {
      test('on every resource write: users, vehicles, trailers, messages (top level and nested)', async () => {
        const u = await call(t, 'POST', USERS, { token: p.token, json: user({ colour: 'red', hos_tracking_mode: { hos_compliance_type: 'exempt', mode: 'eld' } }) });
        assert.equal(u.status, 202, u.text);
        assert.deepEqual(u.body.ignored_fields, ['colour', 'hos_tracking_mode.mode']);
        assert.deepEqual(u.body.payload.hos_tracking_mode, { hos_compliance_type: 'exempt' });
        const v = await call(t, 'POST', '/v2/telematics/vehicles', { token: p.token, json: { connection_id: m.connectionId, vehicle_name: 'Truck 1', wheels: 18 } });
        assert.equal(v.status, 202, v.text);
        assert.deepEqual(v.body.ignored_fields, ['wheels']);
        const listed = await call(t, 'GET', `${OPERATIONS}?connection_id=${m.connectionId}&size=1000`, { token: p.token });
        const byId = new Map(listed.body.items.map((o: { id: string; ignored_fields: string[] }) => [o.id, o.ignored_fields]));
        assert.deepEqual(byId.get(u.body.id), ['colour', 'hos_tracking_mode.mode'], 'in the operation list too');
        assert.deepEqual(byId.get(v.body.id), ['wheels']);
        // An operation with nothing ignored says so.
        assert.ok([...byId.values()].some((f) => Array.isArray(f) && (f as string[]).length === 0));
      });

      test('the write runs without them: the TSP receives only the known fields', async () => {
        const res = await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: user({ first_name: 'Ignoring', nickname: 'Ig' }) });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
        assert.deepEqual(res.body.ignored_fields, ['nickname']);
        const sent = await m.sandbox('GET', `/v1/users/${res.body.source_id}`);
        assert.equal(sent.body.user.first_name, 'Ignoring');
        assert.ok(!JSON.stringify(sent.body).includes('"Ig"'));
      });
    });

    describe('405: a wrong method on a known path', () => {
      test("Catena's MethodNotAllowed with an Allow header naming the path's methods, on every kind of path", async () => {
        const created = await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: user() });
        for (const [method, url, allow] of [
          ['DELETE', USERS, 'GET, HEAD, POST'],
          ['PUT', `${USERS}/${created.body.resource_id}`, 'GET, HEAD, PATCH'],
          ['POST', `${CONNECTIONS}/${m.connectionId}`, 'GET, HEAD, PATCH, DELETE'],
          ['DELETE', `${CONNECTIONS}/${m.connectionId}/resource-operations/${randomUUID()}`, 'GET, HEAD'],
          ['OPTIONS', '/v2/notifications/webhooks', 'GET, HEAD, POST'],
        ] as const) {
          // Answered before authentication, as a 404 would be: the path and its methods are the public document's.
          const res = await call(t, method, url);
          assertCatenaError(res, 405, check, `${method} ${url}`);
          assert.equal(res.headers.allow, allow, `${method} ${url}`);
          assert.equal(res.body.detail, null);
        }
        assertCatenaError(await call(t, 'GET', '/v2/telematics/nothing-here'), 404, check);
        // The token endpoints keep OAuth's shape for theirs (RFC 6749 §5.2), with Allow too.
        const token = await call(t, 'GET', '/oauth/token');
        assert.equal(token.status, 405);
        assert.equal(token.headers.allow, 'POST');
        assert.deepEqual(Object.keys(token.body).sort(), ['error', 'error_description']);
        assert.equal((await call(t, 'HEAD', USERS, { token: p.token })).status, 200, 'HEAD of a GET route is served');
      });
    });

    describe('sync writes: 502 with the failed operation when the write could not be processed', () => {
      const fault = (f: Record<string, unknown>) => m.sandbox('POST', '/_sandbox/faults', f).then((r) => assert.equal(r.status, 201));

      test('a 5xx from the TSP (a sandbox fault): 502, the operation failed and kept; its replay 502 as well', async () => {
        await fault({ status: 503, body: { error_message: 'maintenance' } });
        const key = { 'idempotency-key': `f-${randomUUID()}` };
        const res = await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: user(), headers: key });
        assert.equal(res.status, 502, res.text);
        assert.equal(res.body.status, 'failed');
        assert.equal(res.body.resource, 'user');
        assert.deepEqual(res.body.logs.map((l: { response_status_code: number }) => l.response_status_code), [503]);
        const kept = await call(t, 'GET', `${CONNECTIONS}/${m.connectionId}/resource-operations/${res.body.id}`, { token: p.token });
        assert.equal(kept.status, 200);
        assert.equal(kept.body.status, 'failed');
        const replay = await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: user(), headers: key });
        assert.equal(replay.status, 502, replay.text);
        assert.equal(replay.headers['idempotent-replayed'], 'true');
        assert.equal(replay.body.id, res.body.id);
      });

      test('a TSP 429 and a lost answer (an HTML 502 page) on an update: 502', async () => {
        const created = await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: user() });
        assert.equal(created.status, 200, created.text);
        // (The 429 last: it pauses the connection for its Retry-After, which a sync write then waits out.)
        for (const f of [{ status: 502, body: 'Bad Gateway', after_apply: true }, { status: 429, headers: { 'retry-after': '1' } }]) {
          await fault(f);
          const res = await call(t, 'PATCH', `${USERS}/${created.body.resource_id}?is_sync=true`, { token: p.token, json: { connection_id: m.connectionId, first_name: 'Later' } });
          assert.equal(res.status, 502, `${JSON.stringify(f)}: ${res.text}`);
          assert.equal(res.body.operation_type, 'update');
          assert.equal(res.body.status, 'failed');
        }
      });

      test('a refusal of the content or the credentials: 502 with the failed operation too; only a success is a 200 ("created successfully")', async () => {
        await fault({ status: 422, body: { error_message: 'Validation failed: Phone is invalid' } });
        const refused = await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: user() });
        assert.equal(refused.status, 502, refused.text);
        assert.equal(refused.body.status, 'failed');
        assert.equal(refused.body.logs[0].response_status_code, 422);
        assert.match(refused.body.logs[0].error_details, /Phone is invalid/);
        const ok = await call(t, 'POST', `${USERS}?is_sync=true`, { token: p.token, json: user() });
        assert.equal(ok.status, 200, ok.text);
        assert.equal(ok.body.status, 'success');
        // Without is_sync the operation is queued whatever the TSP will say: 202.
        assert.equal((await call(t, 'POST', USERS, { token: p.token, json: user() })).status, 202);
      });

      test('the same on another resource (vehicles): 502 from a sandbox fault', async () => {
        await fault({ status: 500, body: { error_message: 'boom' } });
        const res = await call(t, 'POST', '/v2/telematics/vehicles?is_sync=true', { token: p.token, json: { connection_id: m.connectionId, vehicle_name: 'Faulty' } });
        assert.equal(res.status, 502, res.text);
        assert.equal(res.body.resource, 'vehicle');
      });
    });
  });

  describe(`501 where the connection's TSP has no fleetgate adapter for the write (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    let m: MotiveFixture;
    const check = CATENA ? catenaValidator(CATENA) : undefined;

    before(async () => {
      t = await startTestApp(kind, { app: { catalog: catalogWithoutMotiveVehicles() } });
      p = await newPartner(t);
      m = await motiveConnection(t, p);
    });
    after(async () => {
      await t?.close();
    });

    test("Catena's NotImplementedResponse, nothing stored; a TSP that cannot do a write at all stays a 422 at body.connection_id", async () => {
      const res = await call(t, 'POST', '/v2/telematics/vehicles', { token: p.token, json: { connection_id: m.connectionId, vehicle_name: 'Nope' } });
      assertCatenaError(res, 501, check);
      assert.match(res.body.detail, /no Motive adapter for vehicle create/);
      const ops = await call(t, 'GET', OPERATIONS, { token: p.token });
      assert.deepEqual(ops.body.items, []);
      // Motive's API has no DVIR create: not_supported, a property of the TSP named by the connection.
      const dvir = await call(t, 'POST', '/v2/telematics/dvir-logs', { token: p.token, json: { connection_id: m.connectionId, driver_id: randomUUID() } });
      assert.deepEqual(assert422(dvir, check).map((d) => [d.path, d.error_type]), [['body.connection_id', 'unsupported_by_tsp']]);
    });

    test('the document declares 501 exactly where it can be answered', async () => {
      const doc = (await call(t, 'GET', '/openapi.json')).body as Doc;
      assert.ok(doc.paths['/v2/telematics/vehicles']!.post.responses['501'], 'vehicle create: Motive has no adapter here');
      assert.ok(doc.paths['/v2/telematics/vehicles/{id}']!.patch.responses['501']);
      assert.equal(doc.paths[USERS]!.post.responses['501'], undefined, 'every TSP writes users');
      const product = (await buildOpenApiDocument()) as unknown as Doc;
      for (const [path, ops] of Object.entries(product.paths)) for (const [method, op] of Object.entries(ops)) assert.equal(op.responses['501'], undefined, `${method} ${path}`);
    });
  });
}
