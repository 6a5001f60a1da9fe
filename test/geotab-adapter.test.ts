// The Geotab adapter over real HTTP against the Geotab sandbox: what it writes (read back with Get),
// how it keeps and renews sessions, follows the server `path`, and classifies JSON-RPC failures.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { UserAttributes } from '../src/contract/resources/users.ts';
import { geotabAdapter } from '../src/tsps/geotab/index.ts';
import { usersOf } from './helpers/adapters.ts';
import type { UserWrite } from './helpers/adapters.ts';
import { clearGeotabSessions } from '../src/tsps/geotab/session.ts';
import type { TspTarget } from '../src/tsps/kit/types.ts';
import { startGeotabSandbox } from '../src/sandbox/geotab/index.ts';
import { loopbackDispatcher } from './helpers/geotab-hosts.ts';

const geotabUsers = usersOf(geotabAdapter);

// any: these tests read arbitrary JSON-RPC answers and assert on them field by field.
type Json = Record<string, any>;
const OPTS = { timeoutMs: 2000 };

let sandbox: Awaited<ReturnType<typeof startGeotabSandbox>>;
before(async () => {
  sandbox = await startGeotabSandbox({ port: 0 });
});
after(async () => sandbox.close());
beforeEach(() => clearGeotabSessions());

interface Account {
  database: string;
  userName: string;
  password: string;
}

async function account(base = sandbox.url): Promise<{ acct: Account; target: TspTarget }> {
  const acct = (await (await fetch(`${base}/_sandbox/accounts`, { method: 'POST' })).json()) as Account;
  return { acct, target: { baseUrl: base, credentials: { database: acct.database, username: acct.userName, password: acct.password } } };
}

async function control(acct: Account, method: string, path: string, body?: unknown, base = sandbox.url): Promise<Json> {
  const res = await fetch(base + path, {
    method,
    headers: { 'x-sandbox-database': acct.database, 'x-sandbox-password': acct.password, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path} → ${res.status}`);
  return (await res.json()) as Json;
}

const requests = async (acct: Account, base = sandbox.url): Promise<Json[]> => (await control(acct, 'GET', '/_sandbox/requests', undefined, base)).requests as Json[];
const methods = async (acct: Account): Promise<string[]> => (await requests(acct)).map((r) => r.method as string);

/** Reads a user straight from the sandbox with the admin login (not through the adapter). */
async function readUser(acct: Account, id: string): Promise<Json> {
  const call = async (method: string, params: Json) =>
    (await (await fetch(`${sandbox.url}/apiv1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method, params }) })).json()) as Json;
  const auth = await call('Authenticate', { database: acct.database, userName: acct.userName, password: acct.password });
  return (await call('Get', { typeName: 'User', credentials: auth.result.credentials, search: { id } })).result[0] as Json;
}

let seq = 0;
function fullUser(): UserAttributes {
  seq += 1;
  return {
    username: `jdoe${seq}@fleet.example`, is_active: true, status: 'ACTIVE', is_driver: true, user_designation: 'DRIVER',
    user_email: `jdoe${seq}@fleet.example`, first_name: 'John', last_name: 'Doe', phone_number: '5551234567', country_code: 'USA',
    license_country: 'USA', license_region: 'TX', license_number: 'D1234567', license_expiration: '2030-01-31', employee_number: 'E-42',
    carrier_number: '1234567', notes: 'night shifts', hos_ruleset_code: 'US_INT_PROP_70_8_SH', allow_yard_move: true,
    allow_personal_conveyance: true, allow_adverse_driving: true, default_time_zone: 'America/Chicago', dot_id: '1234567',
    phone_country_code: '+1', hos_tracking_mode: { hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic' },
    hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic',
  };
}

const createWrite = (user: UserAttributes = fullUser()): UserWrite => ({
  operation: 'create',
  changes: user,
  merged: user,
  externalId: `res-${seq}-${Math.random().toString(36).slice(2)}`,
});

async function created(target: TspTarget, write = createWrite()): Promise<string> {
  const a = await geotabUsers.write(target, write, OPTS);
  assert.equal(a.ok, true, JSON.stringify(a));
  return a.sourceId as string;
}

describe('writing users', () => {
  test('create: every storable field reads back from Geotab as mapped', async () => {
    const { acct, target } = await account();
    const write = createWrite();
    assert.deepEqual(geotabUsers.refusals(write), []);
    assert.deepEqual(geotabUsers.dropped(write).sort(), ['hos_tracking_method', 'license_country', 'license_expiration']);
    const a = await geotabUsers.write(target, write, OPTS);
    assert.deepEqual([a.ok, a.statusCode], [true, 200]);
    assert.match(a.sourceId ?? '', /^b[0-9A-F]+$/);
    const user = await readUser(acct, a.sourceId as string);
    const expected: Json = {
      name: (write.changes.username as string), firstName: 'John', lastName: 'Doe', employeeNo: 'E-42', designation: 'DRIVER',
      comment: 'night shifts', countryCode: 'US', phoneNumber: '+1 5551234567', timeZoneId: 'America/Chicago',
      carrierNumber: '1234567', licenseNumber: 'D1234567', licenseProvince: 'TX', hosRuleSet: 'AmericaShortHaul8Day',
      isDriver: true, isYardMoveEnabled: true, isPersonalConveyanceEnabled: true, isAdverseDrivingEnabled: true,
      isExemptHOSEnabled: false, activeTo: '2050-01-01T00:00:00.000Z', securityGroups: [{ id: 'GroupDriveUserSecurityId' }],
      companyGroups: [{ id: 'GroupCompanyId' }], driverGroups: [{ id: 'GroupCompanyId' }],
      userAuthenticationType: 'BasicAuthentication', changePassword: true,
    };
    for (const [field, value] of Object.entries(expected)) assert.deepEqual(user[field], value, field);
    assert.ok(Math.abs(Date.parse(user.activeFrom) - Date.now()) < 60_000);
    // A generated password was sent (Geotab requires one) and is kept nowhere the partner can see.
    const add = (await requests(acct)).find((r) => r.method === 'Add') as Json;
    assert.equal(add.params.entity.password, '[REDACTED]');
    assert.ok(!JSON.stringify(a).includes('password'));
  });

  test('update: Get then Set of the whole entity with only the changed fields applied', async () => {
    const { acct, target } = await account();
    const write = createWrite();
    const id = await created(target, write);
    const before = await readUser(acct, id);
    const changes: UserAttributes = { first_name: 'Jane', status: 'INACTIVE', notes: null };
    const a = await geotabUsers.write(
      target,
      { operation: 'update', changes, merged: { ...write.merged, ...changes, is_active: false }, externalId: write.externalId, sourceId: id },
      OPTS,
    );
    assert.deepEqual([a.ok, a.sourceId], [true, id], JSON.stringify(a));
    assert.deepEqual((await methods(acct)).slice(-2), ['Get', 'Set']);
    const user = await readUser(acct, id);
    assert.deepEqual([user.firstName, user.comment], ['Jane', '']);
    assert.ok(Date.parse(user.activeTo) <= Date.now());
    for (const field of ['name', 'lastName', 'employeeNo', 'hosRuleSet', 'phoneNumber', 'timeZoneId', 'securityGroups', 'isYardMoveEnabled', 'activeFrom']) {
      assert.deepEqual(user[field], before[field], field);
    }
  });

  test('update of an unknown Geotab id is not_found; a refused value never reaches Geotab', async () => {
    const { acct, target } = await account();
    const changes: UserAttributes = { first_name: 'X' };
    const missing = await geotabUsers.write(target, { operation: 'update', changes, merged: { username: 'u', ...changes }, externalId: 'r', sourceId: 'b999' }, OPTS);
    assert.deepEqual([missing.ok, missing.errorType], [false, 'not_found']);
    const before = (await requests(acct)).length;
    const bad = await geotabUsers.write(target, createWrite({ ...fullUser(), hos_ruleset_code: 'US_WI_INTRA_PROP_70_7' }), OPTS);
    assert.deepEqual([bad.ok, bad.errorType, bad.statusCode], [false, 'validation', null]);
    assert.equal((await requests(acct)).length, before);
  });
});

describe('sessions', () => {
  test('one Authenticate serves several calls, including concurrent ones', async () => {
    const { acct, target } = await account();
    await Promise.all([created(target), created(target), created(target)]);
    await created(target);
    assert.deepEqual(await methods(acct), ['Authenticate', 'Add', 'Add', 'Add', 'Add']);
  });

  test('an expired session is renewed exactly once and the call retried', async () => {
    const { acct, target } = await account();
    await created(target);
    await control(acct, 'POST', '/_sandbox/expire-sessions');
    await created(target);
    assert.deepEqual(await methods(acct), ['Authenticate', 'Add', 'Add', 'Authenticate', 'Add']);
    const log = await requests(acct);
    assert.equal(log[2].response.error.data.type, 'InvalidUserException');
  });

  test('a session refused again after re-authenticating is an auth failure (no loop)', async () => {
    const { acct, target } = await account();
    await created(target);
    const invalid = { method: 'Add', error: { type: 'InvalidUserException', message: 'Incorrect login credentials' } };
    await control(acct, 'POST', '/_sandbox/faults', { faults: [invalid, invalid, invalid] });
    const a = await geotabUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([a.ok, a.errorType, a.errorDetails], [false, 'auth', 'Incorrect login credentials']);
    assert.deepEqual((await methods(acct)).slice(1), ['Add', 'Add', 'Authenticate', 'Add']);
  });

  test('the host named by Authenticate\'s path receives every later call, at https://<host>/apiv1', async () => {
    const { acct, target } = await account();
    await control(acct, 'PUT', '/_sandbox/settings', { redirect_to: 'my1001.geotab.com' });
    // The target's dispatcher carries https://my1001.geotab.com to the local sandbox (the Host stays).
    const dispatcher = loopbackDispatcher(Number(new URL(sandbox.url).port));
    const moved: TspTarget = { ...target, dispatcher };
    try {
      const write = createWrite();
      const id = await created(moved, write);
      const update: UserWrite = { operation: 'update', changes: { last_name: 'Roe' }, merged: { ...write.merged, last_name: 'Roe' }, externalId: write.externalId, sourceId: id };
      assert.equal((await geotabUsers.write(moved, update, OPTS)).ok, true);
      const log = await requests(acct);
      assert.deepEqual(log.map((r) => `${r.host} ${r.method}`), ['127.0.0.1 Authenticate', 'my1001.geotab.com Add', 'my1001.geotab.com Get', 'my1001.geotab.com Set']);
    } finally {
      await dispatcher.close();
    }
  });

  test('an Authenticate path that is neither "ThisServer" nor a host name is refused, not followed', async () => {
    const { acct, target } = await account();
    // Geotab never answers a URL; a sandbox fault stands in for a server that does.
    await control(acct, 'POST', '/_sandbox/faults', {
      faults: [{ method: 'Authenticate', body: { result: { credentials: { database: acct.database, userName: acct.userName, sessionId: 's' }, path: 'http://127.0.0.1:1/elsewhere' }, jsonrpc: '2.0' } }],
    });
    const a = await geotabUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([a.ok, a.errorType], [false, 'unknown']);
    assert.match(a.errorDetails ?? '', /neither "ThisServer" nor a host name/);
    assert.deepEqual(await methods(acct), ['Authenticate']);
  });
});

describe('credentials', () => {
  test('checkCredentials authenticates; a wrong password is auth; the session is reused by the next write', async () => {
    const { acct, target } = await account();
    const ok = await geotabAdapter.checkCredentials(target, OPTS);
    assert.deepEqual([ok.ok, ok.statusCode], [true, 200]);
    await created(target);
    assert.deepEqual(await methods(acct), ['Authenticate', 'Add']);
    const bad = await geotabAdapter.checkCredentials({ ...target, credentials: { ...target.credentials, password: 'wrong' } }, OPTS);
    assert.deepEqual([bad.ok, bad.statusCode, bad.errorType, bad.errorDetails], [false, 200, 'auth', 'Incorrect login credentials']);
    const write = await geotabUsers.write({ ...target, credentials: { ...target.credentials, password: 'wrong' } }, createWrite(), OPTS);
    assert.equal(write.errorType, 'auth');
  });

  test('schema: three non-empty strings, nothing else; masking hides only the password', () => {
    const parse = (c: unknown) => geotabAdapter.credentialsSchema.safeParse(c).success;
    assert.equal(parse({ database: 'db', username: 'u@x', password: ' p ' }), true);
    assert.equal(parse({ database: 'db', username: 'u@x' }), false);
    assert.equal(parse({ database: ' ', username: 'u@x', password: 'p' }), false);
    assert.equal(parse({ database: 'db', username: 'u@x', password: 'p', server: 'my1' }), false);
    assert.deepEqual(geotabAdapter.maskCredentials({ database: 'db', username: 'u@x', password: 'secret' }), { database: 'db', username: 'u@x', password: '****' });
    assert.deepEqual([geotabAdapter.tsp, geotabAdapter.defaultBaseUrl, geotabAdapter.sandboxPath], ['geotab', 'https://my.geotab.com', '/sandbox/geotab']);
    assert.equal(geotabAdapter.capabilities.fields.user!.license_expiration, false);
    assert.equal(geotabAdapter.capabilities.fields.user!.hos_ruleset_code, true);
  });
});

describe('classifying failures', () => {
  test('OverLimitException inside HTTP 200 is rate_limited with retryAfterMs from Retry-After', async () => {
    const { acct, target } = await account();
    await control(acct, 'PUT', '/_sandbox/settings', { add_user_per_minute: 1 });
    await created(target);
    const a = await geotabUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([a.ok, a.statusCode, a.errorType], [false, 200, 'rate_limited']);
    assert.ok((a.retryAfterMs ?? 0) >= 1000 && (a.retryAfterMs ?? 0) <= 60_000, String(a.retryAfterMs));
    assert.match(a.errorDetails ?? '', /quota exceeded/);
  });

  test('DuplicateException is conflict; ArgumentException is validation with Geotab\'s message; 5xx is transient', async () => {
    const { acct, target } = await account();
    const write = createWrite();
    await created(target, write);
    const dup = await geotabUsers.write(target, createWrite({ ...fullUser(), username: (write.changes.username as string) }), OPTS);
    assert.deepEqual([dup.errorType, dup.statusCode], ['conflict', 200]);
    assert.match(dup.errorDetails ?? '', /already exists/);
    await control(acct, 'POST', '/_sandbox/faults', { method: 'Add', error: { type: 'ArgumentException', message: "'employeeNo' is too long" } });
    const arg = await geotabUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([arg.errorType, arg.errorDetails], ['validation', "'employeeNo' is too long"]);
    await control(acct, 'POST', '/_sandbox/faults', { method: 'Add', status: 503, body: 'Service Unavailable', headers: { 'retry-after': '2' } });
    const down = await geotabUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([down.errorType, down.statusCode, down.retryAfterMs, down.errorDetails], ['transient', 503, 2000, 'Service Unavailable']);
  });

  test('a slow answer is a timeout within the shared deadline', async () => {
    const { acct, target } = await account();
    await control(acct, 'POST', '/_sandbox/faults', { method: 'Add', delay_ms: 400 });
    const a = await geotabUsers.write(target, createWrite(), { timeoutMs: 150 });
    assert.deepEqual([a.ok, a.statusCode, a.errorType], [false, null, 'timeout']);
    assert.ok(a.durationMs < 400, String(a.durationMs));
  });

  test('lost Add answer: findExisting adopts the user the create made; absent is found:false', async () => {
    const { acct, target } = await account();
    const write = createWrite();
    await control(acct, 'POST', '/_sandbox/faults', { method: 'Add', after_apply: true, status: 504, body: 'Gateway Timeout' });
    const lost = await geotabUsers.write(target, write, OPTS);
    assert.deepEqual([lost.ok, lost.errorType], [false, 'transient']);
    const found = await geotabUsers.findExisting(target, write, OPTS);
    assert.deepEqual([found.ok, found.found], [true, true]);
    assert.equal((await readUser(acct, found.sourceId as string)).name, (write.changes.username as string));
    const none = await geotabUsers.findExisting(target, createWrite(), OPTS);
    assert.deepEqual([none.ok, none.found, none.errorType], [true, false, undefined]);
  });

  test('findExisting does not adopt a same-login user with other names: validation, not a silent takeover', async () => {
    const { target } = await account();
    const mine = createWrite();
    await created(target, createWrite({ ...fullUser(), username: mine.changes.username as string, first_name: 'Someone', last_name: 'Else' }));
    const r = await geotabUsers.findExisting(target, mine, OPTS);
    assert.deepEqual([r.ok, r.found, r.errorType], [false, false, 'validation']);
    assert.match(r.errorDetails ?? '', /firstName, lastName differ/);
  });
});
