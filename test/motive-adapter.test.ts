// The Motive adapter over real HTTP against the Motive sandbox: what it writes, how it authenticates,
// and how every kind of bad answer is classified for the retry logic and the operation log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UserAttributes } from '../src/contract/resources/users.ts';
import { classifyStatus, parseRetryAfter, redactHeaders } from '../src/tsps/kit/http.ts';
import { motiveAdapter } from '../src/tsps/motive/index.ts';
import { usersOf } from './helpers/adapters.ts';
import type { UserWrite } from './helpers/adapters.ts';
import type { TspTarget } from '../src/tsps/kit/types.ts';
import Fastify from 'fastify';
import { createMotiveSandboxState, motiveSandboxPlugin, startMotiveSandbox } from '../src/sandbox/motive/index.ts';

const motiveUsers = usersOf(motiveAdapter);

type Json = Record<string, unknown>;
const OPTS = { timeoutMs: 2000 };

let sandbox: Awaited<ReturnType<typeof startMotiveSandbox>>;
before(async () => {
  sandbox = await startMotiveSandbox({ port: 0 });
});
after(async () => {
  await sandbox.close();
});

/** A fresh sandbox account with a rate limit high enough that only injected 429s happen. */
async function account(): Promise<{ key: string; target: TspTarget }> {
  const { api_key: key } = sandbox.state.createAccount();
  await control(key, 'PUT', '/_sandbox/settings', { rate_limit_per_minute: 10_000 });
  return { key, target: { baseUrl: sandbox.url, credentials: { api_key: key } } };
}

async function control(key: string, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(sandbox.url + path, {
    method,
    headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path} → ${res.status}`);
  return (await res.json()) as Json;
}

const fault = (key: string, f: Json): Promise<Json> => control(key, 'POST', '/_sandbox/faults', f);
const readUser = async (key: string, id: string): Promise<Json> =>
  (await control(key, 'GET', `/v1/users/${id}`)).user as Json;
const sandboxRequests = async (key: string): Promise<Json[]> =>
  (await control(key, 'GET', '/_sandbox/requests')).requests as Json[];

let seq = 0;
/** Every normalized field, with values Motive can represent. */
function fullUser(): UserAttributes {
  seq += 1;
  return {
    username: `jdoe${seq}`,
    is_active: true,
    status: 'ACTIVE',
    is_driver: true,
    user_designation: 'DRIVER',
    user_email: `jdoe${seq}@example.com`,
    first_name: 'John',
    last_name: 'Doe',
    phone_number: '5551234567',
    country_code: 'USA',
    license_country: 'USA',
    license_region: 'TX',
    license_number: 'D1234567',
    license_expiration: '2030-01-31',
    employee_number: 'E-42',
    carrier_number: 'MC-1',
    notes: 'night shifts',
    hos_ruleset_code: 'US_INT_PROP_70_8_SH',
    allow_yard_move: true,
    allow_personal_conveyance: true,
    allow_adverse_driving: true,
    default_time_zone: 'America/Chicago',
    dot_id: '1234567',
    phone_country_code: '+1',
    hos_tracking_mode: { hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic' },
    hos_compliance_type: 'non_exempt',
    hos_tracking_method: 'automatic',
  };
}

const createWrite = (user: UserAttributes = fullUser()): UserWrite => ({
  operation: 'create',
  changes: user,
  merged: user,
  externalId: `res-${seq}-${Math.random().toString(36).slice(2)}`,
});

async function created(target: TspTarget, write = createWrite()): Promise<string> {
  const attempt = await motiveUsers.write(target, write, OPTS);
  assert.equal(attempt.ok, true, JSON.stringify(attempt));
  return attempt.sourceId as string;
}

describe('writing users', () => {
  test('create maps every storable field and the user reads back from Motive as sent', async () => {
    const { key, target } = await account();
    const write = createWrite();
    assert.deepEqual(motiveUsers.refusals(write), []);
    assert.deepEqual(motiveUsers.dropped(write).sort(), [
      'carrier_number', 'country_code', 'license_country', 'license_expiration', 'notes',
    ]);
    const attempt = await motiveUsers.write(target, write, OPTS);
    assert.equal(attempt.ok, true);
    assert.equal(attempt.statusCode, 201);
    assert.match(attempt.sourceId ?? '', /^\d+$/);
    const user = await readUser(key, attempt.sourceId as string);
    const expected: Json = {
      username: (write.changes.username as string), email: write.changes.user_email, first_name: 'John', last_name: 'Doe',
      phone: '5551234567', phone_country_code: '+1', status: 'active', role: 'driver',
      drivers_license_state: 'TX', drivers_license_number: 'D1234567', driver_company_id: 'E-42',
      dot_id: '1234567', time_zone: 'Central Time (US & Canada)', cycle: '70_8',
      exception_short_haul: true, exception_adverse_driving: true, exception_24_hour_restart: false,
      exception_8_hour_break: false, exception_wait_time: false, exception_ca_farm_school_bus: false,
      yard_moves_enabled: true, personal_conveyance_enabled: true, eld_mode: 'logs', time_tracking_mode: 'logs',
    };
    for (const [field, value] of Object.entries(expected)) assert.deepEqual(user[field], value, field);
    const pairId = (user.external_ids as Json[])[0].id as unknown;
    assert.equal(typeof pairId, 'number');
    assert.deepEqual(user.external_ids, [{ id: pairId, external_id: write.externalId, integration_name: 'fleetgate' }]);
  });

  test('update PUTs only the changed fields (plus the mandatory phone_country_code)', async () => {
    const { key, target } = await account();
    const write = createWrite();
    const id = await created(target, write);
    const changes: UserAttributes = { first_name: 'Jane', allow_yard_move: false };
    const attempt = await motiveUsers.write(
      target,
      { operation: 'update', changes, merged: { ...write.merged, ...changes }, externalId: write.externalId, sourceId: id },
      OPTS,
    );
    assert.equal(attempt.ok, true, JSON.stringify(attempt));
    assert.equal(attempt.statusCode, 200);
    assert.equal(attempt.sourceId, id);
    const put = (await sandboxRequests(key)).filter((r) => r.method === 'PUT');
    assert.equal(put.length, 1);
    assert.equal(put[0].path, `/v1/users/${id}`);
    assert.deepEqual(put[0].body, { first_name: 'Jane', yard_moves_enabled: false, phone_country_code: '+1' });
    const user = await readUser(key, id);
    assert.equal(user.first_name, 'Jane');
    assert.equal(user.yard_moves_enabled, false);
    assert.equal(user.username, (write.changes.username as string));
  });

  test('a value Motive cannot represent is refused without calling Motive', async () => {
    const { key, target } = await account();
    const write = createWrite({ ...fullUser(), hos_ruleset_code: 'US_INT_PROP_60_7_BIG' });
    assert.equal(motiveUsers.refusals(write)[0]?.field, 'hos_ruleset_code');
    const attempt = await motiveUsers.write(target, write, OPTS);
    assert.equal(attempt.ok, false);
    assert.equal(attempt.errorType, 'validation');
    assert.equal(attempt.statusCode, null);
    assert.deepEqual(await sandboxRequests(key), []);
  });
});

describe('credentials', () => {
  test('api_key and access_token both authenticate; a bad key is an auth failure', async () => {
    const { key } = await account();
    const viaKey: TspTarget = { baseUrl: sandbox.url, credentials: { api_key: key } };
    const viaToken: TspTarget = { baseUrl: `${sandbox.url}/`, credentials: { access_token: key } };
    assert.equal((await motiveAdapter.checkCredentials(viaKey, OPTS)).ok, true);
    assert.equal((await motiveAdapter.checkCredentials(viaToken, OPTS)).ok, true);
    assert.ok((await motiveUsers.write(viaToken, createWrite(), OPTS)).sourceId);
    const bad = await motiveAdapter.checkCredentials({ baseUrl: sandbox.url, credentials: { api_key: 'nope' } }, OPTS);
    assert.equal(bad.ok, false);
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.errorType, 'auth');
    assert.match(bad.errorDetails ?? '', /invalid API key/);
  });

  test('a base URL with a path (the sandbox mounted in the app) keeps its prefix', async () => {
    const state = await createMotiveSandboxState();
    const app = Fastify({ logger: false });
    await app.register(motiveSandboxPlugin, { state, prefix: '/sandbox/motive' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const target: TspTarget = { baseUrl: `http://127.0.0.1:${port}/sandbox/motive`, credentials: state.createAccount() };
      assert.equal((await motiveAdapter.checkCredentials(target, OPTS)).statusCode, 200);
      assert.ok((await motiveUsers.write(target, createWrite(), OPTS)).sourceId);
    } finally {
      await app.close();
      await state.close();
    }
  });

  test('the schema takes exactly one non-empty credential, and masking keeps only the last 4', () => {
    const parse = (c: unknown) => motiveAdapter.credentialsSchema.safeParse(c).success;
    assert.equal(parse({ api_key: 'k'.repeat(20) }), true);
    assert.equal(parse({ access_token: 't'.repeat(20) }), true);
    assert.equal(parse({}), false);
    assert.equal(parse({ api_key: 'a', access_token: 'b' }), false);
    assert.equal(parse({ api_key: '  ' }), false);
    assert.equal(parse({ api_key: 'a', extra: 'x' }), false);
    assert.deepEqual(motiveAdapter.maskCredentials({ api_key: 'motive_sbx_abcdefWXYZ' }), { api_key: '****WXYZ' });
    assert.deepEqual(motiveAdapter.maskCredentials({ access_token: 'short' }), { access_token: '****' });
  });

  test('capabilities list users, vehicles and trailers as implemented and derive field support from the mapping', () => {
    assert.deepEqual(motiveAdapter.capabilities.resources.user, { create: 'implemented', update: 'implemented' });
    assert.deepEqual(motiveAdapter.capabilities.resources.trailer, { create: 'implemented', update: 'implemented' });
    assert.equal(motiveAdapter.capabilities.resources.asset, undefined);
    assert.equal(motiveAdapter.capabilities.fields.user!.first_name, true);
    assert.equal(motiveAdapter.capabilities.fields.user!.hos_ruleset_code, true);
    assert.equal(motiveAdapter.capabilities.fields.user!.notes, false);
  });
});

describe('classifying failures', () => {
  test('500 with a plain-text page is transient and keeps the text', async () => {
    const { key, target } = await account();
    await fault(key, { status: 500, body: 'upstream exploded', headers: { 'content-type': 'text/plain' } });
    const a = await motiveUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([a.ok, a.statusCode, a.errorType, a.errorDetails], [false, 500, 'transient', 'upstream exploded']);
  });

  test('429 with Retry-After: 1 is rate_limited with retryAfterMs 1000', async () => {
    const { key, target } = await account();
    await fault(key, { status: 429, headers: { 'retry-after': '1' } });
    const a = await motiveUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([a.errorType, a.retryAfterMs, a.headers['retry-after']], ['rate_limited', 1000, '1']);
  });

  test("422 is validation with Motive's own message", async () => {
    const { key, target } = await account();
    await fault(key, { status: 422, body: { error_message: 'Validation failed: Dot id is invalid' } });
    const a = await motiveUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([a.errorType, a.errorDetails], ['validation', 'Validation failed: Dot id is invalid']);
    // A real rule of the sandbox, not an injected fault: usernames are unique per company.
    const first = createWrite();
    await created(target, first);
    const dup = await motiveUsers.write(target, createWrite({ ...fullUser(), username: (first.changes.username as string) }), OPTS);
    assert.deepEqual([dup.statusCode, dup.errorType, dup.errorDetails], [422, 'validation', 'Validation failed: Username has already been taken']);
  });

  test('update of an unknown Motive id is not_found', async () => {
    const { target } = await account();
    const changes: UserAttributes = { first_name: 'X', phone_country_code: '+1' };
    const a = await motiveUsers.write(
      target,
      { operation: 'update', changes, merged: changes, externalId: 'r-unknown', sourceId: '999999' },
      OPTS,
    );
    assert.deepEqual([a.statusCode, a.errorType], [404, 'not_found']);
    assert.match(a.errorDetails ?? '', /Couldn't find User/);
  });

  test('an answer slower than timeoutMs is a timeout', async () => {
    const { key, target } = await account();
    await fault(key, { delay_ms: 400 });
    const a = await motiveUsers.write(target, createWrite(), { timeoutMs: 100 });
    assert.deepEqual([a.ok, a.statusCode, a.errorType], [false, null, 'timeout']);
    assert.ok(a.durationMs >= 90 && a.durationMs < 400, String(a.durationMs));
  });

  test('a closed port is transient', async () => {
    const srv = createServer();
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const { port } = srv.address() as AddressInfo;
    await new Promise<void>((resolve) => srv.close(() => resolve()));
    const target: TspTarget = { baseUrl: `http://127.0.0.1:${port}`, credentials: { api_key: 'k' } };
    const a = await motiveAdapter.checkCredentials(target, OPTS);
    assert.deepEqual([a.ok, a.statusCode, a.errorType], [false, null, 'transient']);
    assert.match(a.errorDetails ?? '', /ECONNREFUSED/);
  });

  test('a lost create answer: findByExternalId finds the user the write created', async () => {
    const { key, target } = await account();
    const write = createWrite();
    await fault(key, { after_apply: true, status: 504, body: 'Gateway Timeout' });
    const lost = await motiveUsers.write(target, write, OPTS);
    assert.deepEqual([lost.ok, lost.errorType, lost.errorDetails], [false, 'transient', 'Gateway Timeout']);
    const found = await motiveUsers.findExisting(target, write, OPTS);
    assert.deepEqual([found.ok, found.found, found.statusCode], [true, true, 200]);
    assert.equal((await readUser(key, found.sourceId as string)).username, (write.changes.username as string));
    const none = await motiveUsers.findExisting(target, { ...write, externalId: 'never-written' }, OPTS);
    assert.deepEqual([none.ok, none.found, none.statusCode, none.errorType], [true, false, 404, undefined]);
  });

  test('re-creating a user whose external id Motive already has adopts that user, found by looking it up', async () => {
    const { target } = await account();
    // Without username/email, the external id pair is the only uniqueness rule the retry can break.
    const write = createWrite({ ...fullUser(), username: null, user_email: null });
    const id = await created(target, write);
    const again = await motiveUsers.write(target, write, OPTS);
    assert.deepEqual([again.ok, again.statusCode, again.sourceId, again.errorType], [true, 200, id, undefined]);
    assert.equal((again.sourceData as Json).id, Number(id));
  });

  test('a refused re-create is recognised by looking the user up, whatever Motive says first', async () => {
    const { key, target } = await account();
    // With a username, Motive refuses "Username has already been taken" before it gets to the pair; the
    // lookup by fleetgate's external id still finds the earlier attempt's user.
    const write = createWrite();
    const id = await created(target, write);
    const again = await motiveUsers.write(target, write, OPTS);
    assert.deepEqual([again.ok, again.sourceId], [true, id]);
    const calls = (await sandboxRequests(key)).map((r) => `${String(r.method)} ${String(r.path).split('?')[0]} ${String(r.status)}`);
    assert.deepEqual(calls.slice(-2), ['POST /v1/users 422', 'GET /v1/users/lookup_by_external_id 200']);
  });

  test('a refusal of another user\'s username stays the partner\'s validation error after the lookup finds nothing', async () => {
    const { target } = await account();
    const first = fullUser();
    await created(target, createWrite(first));
    const clash = await motiveUsers.write(target, createWrite({ ...fullUser(), username: first.username }), OPTS);
    assert.deepEqual([clash.ok, clash.statusCode, clash.errorType], [false, 422, 'validation']);
    assert.match(clash.errorDetails ?? '', /Username has already been taken/);
  });

  test('the wording of a refusal proves nothing: "already been taken" for a user that is not there stays a validation error', async () => {
    const { key, target } = await account();
    await fault(key, { status: 422, body: { error_message: 'Validation failed: External ids external id has already been taken' } });
    const attempt = await motiveUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([attempt.statusCode, attempt.errorType], [422, 'validation']);
  });

  test('stored response headers have cookies and credentials masked', async () => {
    const { key, target } = await account();
    await fault(key, {
      status: 503,
      headers: { 'set-cookie': 'sid=abc', 'x-api-key': 'leaked', 'x-session-id': 's1', 'x-request-id': 'req-1', 'retry-after': '2' },
    });
    const a = await motiveUsers.write(target, createWrite(), OPTS);
    assert.equal(a.errorType, 'transient');
    assert.equal(a.retryAfterMs, 2000);
    assert.equal(a.headers['set-cookie'], '[REDACTED]');
    assert.equal(a.headers['x-api-key'], '[REDACTED]');
    assert.equal(a.headers['x-session-id'], '[REDACTED]');
    assert.equal(a.headers['x-request-id'], 'req-1');
    assert.ok(!JSON.stringify(a).includes('leaked') && !JSON.stringify(a).includes('sid=abc'));
  });
});

describe('http helpers', () => {
  test('parseRetryAfter reads seconds, fractions and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('1', now), 1000);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
    assert.equal(parseRetryAfter('0.40235', now), 403);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
    for (const junk of [undefined, null, '', 'soon', '-5', '1 2', '1e3']) assert.equal(parseRetryAfter(junk, now), undefined, String(junk));
  });

  test('classifyStatus follows the adapter rules', () => {
    const cases: Array<[number, string]> = [
      [400, 'validation'], [401, 'auth'], [403, 'auth'], [404, 'not_found'], [409, 'conflict'], [413, 'validation'],
      [422, 'validation'], [429, 'rate_limited'], [500, 'transient'], [502, 'transient'], [503, 'transient'],
    ];
    for (const [status, type] of cases) assert.equal(classifyStatus(status), type, String(status));
  });

  test('redactHeaders masks credential-looking names and keeps the rest', () => {
    assert.deepEqual(
      redactHeaders({ Authorization: 'Bearer x', Cookie: 'a=b', 'X-Refresh-Token': 't', 'X-Client-Secret': 's', 'Content-Type': 'application/json' }),
      { authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-refresh-token': '[REDACTED]', 'x-client-secret': '[REDACTED]', 'content-type': 'application/json' },
    );
  });
});
