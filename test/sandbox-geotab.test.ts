// The Geotab sandbox over real HTTP: JSON-RPC semantics, errors inside HTTP 200, rate limits, session
// expiry, the redirect `path`, duplicate names and faults — the way providers.md says MyGeotab behaves.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGeotabSandbox } from '../src/sandbox/geotab/index.ts';
import { hostRpc } from './helpers/geotab-hosts.ts';

// any: these tests read arbitrary JSON-RPC answers and assert on them field by field.
type Json = Record<string, any>;
interface Res {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}
interface Account {
  database: string;
  userName: string;
  password: string;
}

let clock = Date.now();
let base = '';
let close: () => Promise<void>;
before(async () => {
  const server = await startGeotabSandbox({ port: 0, now: () => clock });
  base = server.url;
  close = server.close;
});
after(async () => close());

async function http(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Json = {};
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    // string bodies are checked through `text`
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

const rpc = (method: string, params: Json, at = base) => http(`${at}/apiv1`, 'POST', { method, params });
const newAccount = async (at = base): Promise<Account> => {
  const res = await http(`${at}/_sandbox/accounts`, 'POST');
  assert.equal(res.status, 201);
  return res.body as Account;
};
const control = async (a: Account, method: string, path: string, body?: unknown, at = base): Promise<Json> => {
  const res = await http(at + path, method, body, { 'x-sandbox-database': a.database, 'x-sandbox-password': a.password });
  assert.ok(res.status < 300, `${method} ${path} → ${res.status} ${res.text}`);
  return res.body;
};
async function login(a: Account, at = base): Promise<Json> {
  const res = await rpc('Authenticate', { database: a.database, userName: a.userName, password: a.password }, at);
  assert.equal(res.status, 200);
  return res.body.result.credentials as Json;
}
const entity = (extra: Json = {}): Json => ({
  name: `u${Math.random().toString(36).slice(2)}@fleet.example`,
  password: 'S3cret-pass',
  securityGroups: [{ id: 'GroupDriveUserSecurityId' }],
  companyGroups: [{ id: 'GroupCompanyId' }],
  ...extra,
});
const errorType = (r: Res): string => r.body.error?.data?.type;

describe('JSON-RPC basics', () => {
  test('Authenticate returns credentials and path "ThisServer"; Add/Get/Set round-trip a user', async () => {
    const a = await newAccount();
    const auth = await rpc('Authenticate', { database: a.database, userName: a.userName, password: a.password });
    assert.equal(auth.status, 200);
    assert.equal(auth.body.result.path, 'ThisServer');
    assert.deepEqual(Object.keys(auth.body.result.credentials).sort(), ['database', 'sessionId', 'userName']);
    const credentials = auth.body.result.credentials;
    const add = await rpc('Add', { typeName: 'User', credentials, entity: entity({ firstName: 'Ada', hosRuleSet: 'America8Day' }) });
    assert.match(add.body.result, /^b[0-9A-F]+$/);
    for (const h of ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset']) assert.ok(add.headers.get(h), h);
    const id = add.body.result as string;
    const got = await rpc('Get', { typeName: 'User', credentials, search: { id } });
    const user = got.body.result[0];
    assert.deepEqual([user.id, user.firstName, user.hosRuleSet, user.activeTo, user.password], [id, 'Ada', 'America8Day', '2050-01-01T00:00:00.000Z', undefined]);
    // Set replaces the entity: what is left out returns to its default.
    const set = await rpc('Set', { typeName: 'User', credentials, entity: { ...user, lastName: 'Lovelace', firstName: undefined } });
    assert.deepEqual(set.body, { result: null, jsonrpc: '2.0' });
    const reread = (await rpc('Get', { typeName: 'User', credentials, search: { id } })).body.result[0];
    assert.deepEqual([reread.firstName, reread.lastName, reread.hosRuleSet], ['', 'Lovelace', 'America8Day']);
    const byName = await rpc('Get', { typeName: 'User', credentials, search: { name: user.name.toUpperCase() } });
    assert.equal(byName.body.result[0].id, id);
    assert.deepEqual((await rpc('Get', { typeName: 'User', credentials, search: { name: 'nobody' } })).body.result, []);
  });

  test('a request id and jsonrpc field are accepted and the id is echoed', async () => {
    const a = await newAccount();
    const res = await http(`${base}/apiv1`, 'POST', { jsonrpc: '2.0', id: 7, method: 'Authenticate', params: { database: a.database, userName: a.userName, password: a.password } });
    assert.equal(res.body.id, 7);
    assert.ok(res.body.result.credentials.sessionId);
  });

  test('every failure is HTTP 200 with a JSON-RPC error naming its type', async () => {
    const a = await newAccount();
    const wrong = await rpc('Authenticate', { database: a.database, userName: a.userName, password: 'nope' });
    assert.equal(wrong.status, 200);
    assert.equal(wrong.body.error.code, -32000);
    assert.equal(wrong.body.error.name, 'JSONRPCError');
    assert.equal(errorType(wrong), 'InvalidUserException');
    assert.equal(wrong.body.error.errors[0].name, 'InvalidUserException');
    const noDb = await rpc('Authenticate', { database: 'nope', userName: a.userName, password: a.password });
    assert.equal(errorType(noDb), 'InvalidUserException');
    const malformed = await http(`${base}/apiv1`, 'POST', '{not json');
    // Geotab's serializer answer since 5.7.2103 (the older JsonSerializationException is gone).
    assert.deepEqual([malformed.status, errorType(malformed), malformed.body.error.code], [200, 'JsonSerializerException', -32700]);
    assert.equal(malformed.body.error.message, "Exception of type 'Geotab.Serialization.JsonSerializerException' was thrown.");
    const credentials = await login(a);
    assert.equal(errorType(await rpc('Frobnicate', { credentials })), 'MissingMethodException');
    assert.equal(errorType(await rpc('Get', { typeName: 'Zone', credentials })), 'ArgumentException');
    assert.equal(errorType(await rpc('Get', { typeName: 'User', credentials: { ...credentials, sessionId: 'forged' } })), 'InvalidUserException');
  });
});

describe('validation', () => {
  test('names are unique per database, case-insensitively → DuplicateException', async () => {
    const a = await newAccount();
    const credentials = await login(a);
    const e = entity();
    assert.ok((await rpc('Add', { typeName: 'User', credentials, entity: e })).body.result);
    const dup = await rpc('Add', { typeName: 'User', credentials, entity: { ...e, name: e.name.toUpperCase() } });
    assert.equal(errorType(dup), 'DuplicateException');
    // Another database may use the same name.
    const b = await newAccount();
    assert.ok((await rpc('Add', { typeName: 'User', credentials: await login(b), entity: e })).body.result);
  });

  test('ArgumentException for each documented rule', async () => {
    const a = await newAccount();
    const credentials = await login(a);
    const bad: Json[] = [
      { name: '' },
      { name: 'x'.repeat(256) },
      { firstName: 42 },
      { employeeNo: 'e'.repeat(51) },
      { designation: 'd'.repeat(51) },
      { countryCode: 'USA' },
      { countryCode: 'ZZ' },
      { phoneNumber: '+1 555555555555555555' },
      { timeZoneId: 'Mars/Olympus' },
      { hosRuleSet: 'US_INT_PROP_70_8' },
      { activeFrom: 'yesterday' },
      { activeTo: '2020-01-01T00:00:00Z', activeFrom: '2021-01-01T00:00:00Z' },
      { activeTo: new Date(clock + 3 * 86_400_000).toISOString() },
      { securityGroups: [] },
      { securityGroups: [{ id: 'GroupGodModeId' }] },
      { securityGroups: ['GroupDriveUserSecurityId'] },
      { companyGroups: [] },
      { isDriver: 'yes' },
      { password: '' },
    ];
    for (const extra of bad) {
      const res = await rpc('Add', { typeName: 'User', credentials, entity: entity(extra) });
      assert.equal(errorType(res), 'ArgumentException', JSON.stringify(extra));
    }
    const good = entity({ countryCode: 'CA', timeZoneId: 'America/Toronto', hosRuleSet: 'CanadaCycleOne', phoneNumber: '+1 5555555555', unknownMember: 1 });
    assert.match((await rpc('Add', { typeName: 'User', credentials, entity: good })).body.result, /^b/);
    const setMissing = await rpc('Set', { typeName: 'User', credentials, entity: entity({ id: 'b999' }) });
    assert.equal(errorType(setMissing), 'ArgumentException');
  });
});

describe('limits and sessions', () => {
  test('Authenticate: 10 per minute per user, then OverLimitException with Retry-After', async () => {
    const a = await newAccount();
    for (let i = 0; i < 10; i++) assert.ok((await rpc('Authenticate', { database: a.database, userName: a.userName, password: a.password })).body.result);
    const over = await rpc('Authenticate', { database: a.database, userName: a.userName, password: a.password });
    assert.equal(over.status, 200);
    assert.equal(errorType(over), 'OverLimitException');
    assert.ok(Number(over.headers.get('retry-after')) >= 1);
    clock += 61_000;
    assert.ok((await rpc('Authenticate', { database: a.database, userName: a.userName, password: a.password })).body.result);
  });

  test('Add:User: limited per minute (setting), with X-Rate-Limit headers counting down', async () => {
    const a = await newAccount();
    await control(a, 'PUT', '/_sandbox/settings', { add_user_per_minute: 2 });
    const credentials = await login(a);
    const first = await rpc('Add', { typeName: 'User', credentials, entity: entity() });
    assert.deepEqual([first.headers.get('x-rate-limit-limit'), first.headers.get('x-rate-limit-remaining')], ['2', '1']);
    await rpc('Add', { typeName: 'User', credentials, entity: entity() });
    const over = await rpc('Add', { typeName: 'User', credentials, entity: entity() });
    assert.equal(errorType(over), 'OverLimitException');
    assert.match(over.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal((await control(a, 'GET', '/_sandbox/settings')).add_user_per_minute, 2);
    assert.equal((await control(a, 'GET', '/_sandbox/settings')).authenticate_per_minute, 10);
  });

  test('expired sessions answer InvalidUserException; a new Authenticate works', async () => {
    const a = await newAccount();
    const credentials = await login(a);
    assert.ok(Array.isArray((await rpc('Get', { typeName: 'User', credentials })).body.result));
    assert.equal((await control(a, 'POST', '/_sandbox/expire-sessions')).expired, 1);
    assert.equal(errorType(await rpc('Get', { typeName: 'User', credentials })), 'InvalidUserException');
    assert.ok(Array.isArray((await rpc('Get', { typeName: 'User', credentials: await login(a) })).body.result));
    // session_ttl_ms: sessions age out on the state clock.
    await control(a, 'PUT', '/_sandbox/settings', { session_ttl_ms: 1000 });
    const short = await login(a);
    clock += 1500;
    assert.equal(errorType(await rpc('Get', { typeName: 'User', credentials: short })), 'InvalidUserException');
  });

  test('redirect_to: path is the host name the database moved to; only calls sent to that host accept the session', async () => {
    const a = await newAccount();
    const port = Number(new URL(base).port);
    const auth = (host: string) => hostRpc(port, host, 'Authenticate', { database: a.database, userName: a.userName, password: a.password });
    // A URL is no answer MyGeotab gives: the setting takes a host name only.
    const url = await http(`${base}/_sandbox/settings`, 'PUT', { redirect_to: 'http://127.0.0.1:1/my1001' }, { 'x-sandbox-database': a.database, 'x-sandbox-password': a.password });
    assert.equal(url.status, 400);
    await control(a, 'PUT', '/_sandbox/settings', { redirect_to: 'My1001.Geotab.com' });
    const first = await auth('my.geotab.com');
    assert.equal(first.body.result.path, 'my1001.geotab.com');
    const credentials = first.body.result.credentials;
    const get = (host: string) => hostRpc(port, host, 'Get', { typeName: 'User', credentials, resultsLimit: 1 });
    assert.equal((await get('my.geotab.com')).body.error.data.type, 'InvalidUserException');
    assert.equal((await get('my1001.geotab.com')).body.result.length, 1);
    // At the server that holds the database, Authenticate answers "ThisServer".
    assert.equal((await auth('my1001.geotab.com')).body.result.path, 'ThisServer');
    const log = (await control(a, 'GET', '/_sandbox/requests')).requests as Json[];
    assert.deepEqual(log.map((r) => [r.host, r.method]), [
      ['my.geotab.com', 'Authenticate'], ['my.geotab.com', 'Get'], ['my1001.geotab.com', 'Get'], ['my1001.geotab.com', 'Authenticate'],
    ]);
    await control(a, 'PUT', '/_sandbox/settings', { redirect_to: null });
    assert.equal((await auth('my.geotab.com')).body.result.path, 'ThisServer');
  });
});

describe('faults, control and the request log', () => {
  test('a fault body replaces the answer (HTTP 200 unless a status is given); method aims it', async () => {
    const a = await newAccount();
    const credentials = await login(a);
    await control(a, 'POST', '/_sandbox/faults', {
      faults: [
        { method: 'Add', error: { type: 'OverLimitException', message: 'slow down' }, headers: { 'retry-after': '7' } },
        { method: 'Get', status: 503, body: 'Service Unavailable' },
      ],
    });
    const get = await rpc('Get', { typeName: 'User', credentials });
    assert.deepEqual([get.status, get.text], [503, 'Service Unavailable']);
    const add = await rpc('Add', { typeName: 'User', credentials, entity: entity() });
    assert.deepEqual([add.status, errorType(add), add.body.error.message, add.headers.get('retry-after')], [200, 'OverLimitException', 'slow down', '7']);
    assert.match((await rpc('Add', { typeName: 'User', credentials, entity: entity() })).body.result, /^b/);
  });

  test('after_apply: the Add lands but the client hears the fault', async () => {
    const a = await newAccount();
    const credentials = await login(a);
    await control(a, 'POST', '/_sandbox/faults', { method: 'Add', after_apply: true, status: 502, body: 'Bad Gateway' });
    const e = entity();
    assert.equal((await rpc('Add', { typeName: 'User', credentials, entity: e })).status, 502);
    assert.equal((await rpc('Get', { typeName: 'User', credentials, search: { name: e.name } })).body.result.length, 1);
    assert.deepEqual(await control(a, 'DELETE', '/_sandbox/faults'), { cleared: 0, pending: 0 });
  });

  test('the request log masks passwords and session ids', async () => {
    const a = await newAccount();
    const credentials = await login(a);
    await rpc('Add', { typeName: 'User', credentials, entity: entity() });
    const text = JSON.stringify(await control(a, 'GET', '/_sandbox/requests'));
    assert.ok(!text.includes(a.password) && !text.includes('S3cret-pass') && !text.includes(credentials.sessionId));
    assert.ok(text.includes('[REDACTED]'));
  });

  test('control endpoints need the database and its admin password; bad settings are 400', async () => {
    const a = await newAccount();
    assert.equal((await http(`${base}/_sandbox/settings`, 'GET')).status, 401);
    assert.equal((await http(`${base}/_sandbox/settings`, 'GET', undefined, { 'x-sandbox-database': a.database, 'x-sandbox-password': 'x' })).status, 401);
    const res = await http(`${base}/_sandbox/settings`, 'PUT', { add_users_per_minute: 1 }, { 'x-sandbox-database': a.database, 'x-sandbox-password': a.password });
    assert.equal(res.status, 400);
    assert.equal((await http(`${base}/nope`, 'GET')).status, 404);
  });

  test('a state file keeps databases, users and settings across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geotab-sbx-'));
    try {
      const file = join(dir, 'state.json');
      const first = await startGeotabSandbox({ port: 0, stateFile: file });
      const a = await newAccount(first.url);
      const e = entity();
      await rpc('Add', { typeName: 'User', credentials: await login(a, first.url), entity: e }, first.url);
      await first.close();
      assert.ok(!(await readFile(file, 'utf8')).includes(a.password));
      const second = await startGeotabSandbox({ port: 0, stateFile: file });
      try {
        const credentials = await login(a, second.url);
        assert.equal((await rpc('Get', { typeName: 'User', credentials, search: { name: e.name } }, second.url)).body.result.length, 1);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
