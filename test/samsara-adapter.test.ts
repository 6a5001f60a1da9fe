// The Samsara adapter over real HTTP against the Samsara sandbox: what it writes, how it authenticates,
// and how every kind of bad answer is classified for the retry logic and the operation log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { UserAttributes } from '../src/contract/resources/users.ts';
import { samsaraAdapter } from '../src/tsps/samsara/index.ts';
import { usersOf } from './helpers/adapters.ts';
import type { UserWrite } from './helpers/adapters.ts';
import type { TspTarget } from '../src/tsps/kit/types.ts';
import { createSamsaraSandboxState, samsaraSandboxPlugin, startSamsaraSandbox } from '../src/sandbox/samsara/index.ts';

const samsaraUsers = usersOf(samsaraAdapter);

type Json = Record<string, unknown>;
const OPTS = { timeoutMs: 2000 };

let sandbox: Awaited<ReturnType<typeof startSamsaraSandbox>>;
before(async () => {
  sandbox = await startSamsaraSandbox({ port: 0 });
});
after(async () => {
  await sandbox.close();
});

async function account(): Promise<{ token: string; target: TspTarget }> {
  const { access_token: token } = sandbox.state.createAccount();
  await control(token, 'PUT', '/_sandbox/settings', { rate_limit_per_second: 10_000 });
  return { token, target: { baseUrl: sandbox.url, credentials: { access_token: token } } };
}

async function control(token: string, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(sandbox.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path} → ${res.status}`);
  return (await res.json()) as Json;
}

const fault = (token: string, f: Json): Promise<Json> => control(token, 'POST', '/_sandbox/faults', f);
const readDriver = async (token: string, id: string): Promise<Json> =>
  (await control(token, 'GET', `/fleet/drivers/${encodeURIComponent(id)}`)).data as Json;
const sandboxRequests = async (token: string): Promise<Json[]> => (await control(token, 'GET', '/_sandbox/requests')).requests as Json[];

let seq = 0;
/** Every normalized field, with values Samsara can represent. */
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
    phone_number: '555-123-4567',
    country_code: 'USA',
    license_country: 'USA',
    license_region: 'TX',
    license_number: `D${seq}`,
    license_expiration: '2030-01-31',
    employee_number: `E-${seq}`,
    carrier_number: 'MC-1',
    notes: 'night shifts',
    hos_ruleset_code: 'US_INT_PROP_70_8_NOBRK_BIG',
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
  const attempt = await samsaraUsers.write(target, write, OPTS);
  assert.equal(attempt.ok, true, JSON.stringify(attempt));
  return attempt.sourceId as string;
}

describe('writing drivers', () => {
  test('create maps every storable field and the driver reads back from Samsara as sent', async () => {
    const { token, target } = await account();
    const write = createWrite();
    assert.deepEqual(samsaraUsers.refusals(write), []);
    // Samsara drivers have no e-mail: user_email is reported dropped, never sent.
    assert.deepEqual(samsaraUsers.dropped(write), ['user_email', 'license_country', 'license_expiration', 'carrier_number']);
    const attempt = await samsaraUsers.write(target, write, OPTS);
    assert.equal(attempt.ok, true, JSON.stringify(attempt));
    assert.equal(attempt.statusCode, 200);
    assert.match(attempt.sourceId ?? '', /^\d+$/);
    const d = await readDriver(token, attempt.sourceId as string);
    const expected: Json = {
      id: attempt.sourceId, name: 'John Doe', username: (write.changes.username as string),
      phone: '+15551234567', notes: 'night shifts', licenseNumber: write.changes.license_number, licenseState: 'TX',
      timezone: 'America/Chicago', locale: 'us', driverActivationStatus: 'active', isDeactivated: false,
      eldYmEnabled: true, eldPcEnabled: true, eldAdverseWeatherExemptionEnabled: true, eldBigDayExemptionEnabled: true,
      waitingTimeDutyStatusEnabled: false, eldExempt: false, eldExemptReason: '',
      carrierSettings: { dotNumber: 1234567 },
      externalIds: { fleetgate: write.externalId, employeeId: (write.changes.employee_number as string) },
      usDriverRulesetOverride: { cycle: 'USA Property (8/70)', restart: '34-hour Restart', restbreak: 'None', usStateToOverride: '' },
    };
    for (const [field, value] of Object.entries(expected)) assert.deepEqual(d[field], value, field);
    const extra = Object.keys(d).filter((k) => !(k in expected) && !/AtTime$/.test(k));
    assert.deepEqual(extra, []);
  });

  test('the generated password is sent, never returned, and differs per driver', async () => {
    const { token, target } = await account();
    await created(target);
    await created(target);
    const posts = (await sandboxRequests(token)).filter((r) => r.method === 'POST');
    assert.equal(posts.length, 2);
    for (const p of posts) {
      assert.equal((p.body as Json).password, '[REDACTED]'); // present in the request, masked by the sandbox log
      assert.equal(JSON.stringify(p.response_body).includes('password'), false);
    }
  });

  test('update PATCHes only the changed fields', async () => {
    const { token, target } = await account();
    const write = createWrite();
    const id = await created(target, write);
    const changes: UserAttributes = { first_name: 'Jane', allow_yard_move: false, status: 'INACTIVE', is_active: false };
    const attempt = await samsaraUsers.write(
      target,
      { operation: 'update', changes, merged: { ...write.merged, ...changes }, externalId: write.externalId, sourceId: id },
      OPTS,
    );
    assert.equal(attempt.ok, true, JSON.stringify(attempt));
    assert.deepEqual([attempt.statusCode, attempt.sourceId], [200, id]);
    const patches = (await sandboxRequests(token)).filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 1);
    assert.equal(patches[0].path, `/fleet/drivers/${id}`);
    assert.deepEqual(patches[0].body, { name: 'Jane Doe', eldYmEnabled: false, driverActivationStatus: 'deactivated' });
    const d = await readDriver(token, id);
    assert.deepEqual([d.name, d.eldYmEnabled, d.driverActivationStatus, d.username], ['Jane Doe', false, 'deactivated', (write.changes.username as string)]);
  });

  test("an employee_number change keeps fleetgate's and other integrations' external ids", async () => {
    const { token, target } = await account();
    const write = createWrite();
    const id = await created(target, write);
    await control(token, 'PATCH', `/fleet/drivers/${id}`, { externalIds: { fleetgate: write.externalId, employeeId: 'E-old', payroll: 'P-7' } });
    const changes: UserAttributes = { employee_number: 'E-new', dot_id: '7654321' };
    const attempt = await samsaraUsers.write(
      target,
      { operation: 'update', changes, merged: { ...write.merged, ...changes }, externalId: write.externalId, sourceId: id },
      OPTS,
    );
    assert.equal(attempt.ok, true, JSON.stringify(attempt));
    const d = await readDriver(token, id);
    assert.deepEqual(d.externalIds, { fleetgate: write.externalId, employeeId: 'E-new', payroll: 'P-7' });
    assert.deepEqual(d.carrierSettings, { dotNumber: 7654321 });
    // Removing one external id is documented nowhere: refused before Samsara is called.
    const cleared = { employee_number: null };
    const refused = samsaraUsers.refusals({ operation: 'update', changes: cleared, merged: { ...write.merged, ...changes, ...cleared }, externalId: write.externalId, sourceId: id });
    assert.deepEqual(refused.map((r) => r.field), ['employee_number']);
  });

  test('a value Samsara cannot represent is refused without calling Samsara', async () => {
    const { token, target } = await account();
    const write = createWrite({ ...fullUser(), hos_ruleset_code: 'CA_FED_C1_70_7' });
    assert.equal(samsaraUsers.refusals(write)[0]?.field, 'hos_ruleset_code');
    const attempt = await samsaraUsers.write(target, write, OPTS);
    assert.deepEqual([attempt.ok, attempt.errorType, attempt.statusCode], [false, 'validation', null]);
    assert.match(attempt.errorDetails ?? '', /Canadian cycles cannot be set/);
    assert.deepEqual(await sandboxRequests(token), []);
  });
});

describe('credentials', () => {
  test('a good token checks out; a bad one is an auth failure with Samsara\'s message', async () => {
    const { target } = await account();
    assert.equal((await samsaraAdapter.checkCredentials(target, OPTS)).ok, true);
    const badTarget: TspTarget = { baseUrl: sandbox.url, credentials: { access_token: 'nope' } };
    const bad = await samsaraAdapter.checkCredentials(badTarget, OPTS);
    assert.deepEqual([bad.ok, bad.statusCode, bad.errorType], [false, 401, 'auth']);
    assert.match(bad.errorDetails ?? '', /invalid token \(requestId [0-9a-f]+\)/);
    const w = await samsaraUsers.write(badTarget, createWrite(), OPTS);
    assert.equal(w.errorType, 'auth');
  });

  test('a base URL with a path (the sandbox mounted in the app) keeps its prefix', async () => {
    const state = await createSamsaraSandboxState();
    const app = Fastify({ logger: false });
    await app.register(samsaraSandboxPlugin, { state, prefix: '/sandbox/samsara' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const target: TspTarget = { baseUrl: `http://127.0.0.1:${port}/sandbox/samsara/`, credentials: { access_token: state.createAccount().access_token } };
      assert.equal((await samsaraAdapter.checkCredentials(target, OPTS)).statusCode, 200);
      assert.ok((await samsaraUsers.write(target, createWrite(), OPTS)).sourceId);
    } finally {
      await app.close();
      await state.close();
    }
  });

  test('the schema takes exactly a non-empty access_token; masking keeps only the last 4', () => {
    const parse = (c: unknown) => samsaraAdapter.credentialsSchema.safeParse(c).success;
    assert.equal(parse({ access_token: 't'.repeat(20) }), true);
    for (const bad of [{}, { access_token: ' ' }, { api_key: 'k'.repeat(20) }, { access_token: 'x', extra: 'y' }]) assert.equal(parse(bad), false, JSON.stringify(bad));
    assert.deepEqual(samsaraAdapter.maskCredentials({ access_token: 'samsara_api_abcdWXYZ' }), { access_token: '****WXYZ' });
    assert.deepEqual(samsaraAdapter.maskCredentials({ access_token: 'short' }), { access_token: '****' });
  });

  test('identity and capabilities', () => {
    assert.deepEqual(
      [samsaraAdapter.tsp, samsaraAdapter.displayName, samsaraAdapter.defaultBaseUrl, samsaraAdapter.sandboxPath],
      ['samsara', 'Samsara', 'https://api.samsara.com', '/sandbox/samsara'],
    );
    assert.deepEqual(samsaraAdapter.capabilities.resources.user, { create: 'implemented', update: 'implemented' });
    assert.equal(samsaraAdapter.capabilities.fields.user!.notes, true);
    assert.equal(samsaraAdapter.capabilities.fields.user!.hos_ruleset_code, true);
    assert.equal(samsaraAdapter.capabilities.fields.user!.license_expiration, false);
    // Samsara drivers have no e-mail (SDK CreateDriverRequest, UpdateDriverRequest, Driver).
    assert.equal(samsaraAdapter.capabilities.fields.user!.user_email, false);
    assert.ok(samsaraAdapter.defaultRateLimitPerMinute < 150 * 60);
  });
});

describe('classifying failures', () => {
  test('500 with a plain-text body is transient and keeps the text', async () => {
    const { token, target } = await account();
    await fault(token, { status: 500, body: 'upstream exploded' });
    const a = await samsaraUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([a.ok, a.statusCode, a.errorType, a.errorDetails], [false, 500, 'transient', 'upstream exploded']);
  });

  test('429 with a fractional Retry-After is rate_limited with retryAfterMs rounded up', async () => {
    const { token, target } = await account();
    await fault(token, { status: 429, headers: { 'retry-after': '0.40235' } });
    const a = await samsaraUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([a.errorType, a.retryAfterMs, a.headers['retry-after']], ['rate_limited', 403, '0.40235']);
    assert.match(a.errorDetails ?? '', /^Rate limit exceeded/);
  });

  test("the sandbox's real rate limit is classified the same way", async () => {
    const { token, target } = await account();
    await control(token, 'PUT', '/_sandbox/settings', { rate_limit_per_second: 1 });
    await samsaraAdapter.checkCredentials(target, OPTS);
    const a = await samsaraAdapter.checkCredentials(target, OPTS);
    assert.equal(a.errorType, 'rate_limited');
    assert.ok((a.retryAfterMs ?? 0) > 0 && (a.retryAfterMs ?? 0) <= 1000, String(a.retryAfterMs));
  });

  test("400 is validation with Samsara's own message; a real duplicate username too", async () => {
    const { token, target } = await account();
    await fault(token, { status: 400, body: { message: 'Invalid value for licenseState', requestId: 'r1' } });
    const a = await samsaraUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([a.errorType, a.errorDetails], ['validation', 'Invalid value for licenseState (requestId r1)']);
    const first = createWrite();
    await created(target, first);
    const dup = await samsaraUsers.write(target, createWrite({ ...fullUser(), username: (first.changes.username as string) }), OPTS);
    assert.deepEqual([dup.statusCode, dup.errorType], [400, 'validation']);
    assert.match(dup.errorDetails ?? '', /username .* is already in use/);
    // Another driver's employee number (an external id too) is the partner's data problem, not a retry conflict.
    const taken = await samsaraUsers.write(target, createWrite({ ...fullUser(), employee_number: (first.changes.employee_number as string) }), OPTS);
    assert.deepEqual([taken.statusCode, taken.errorType], [400, 'validation']);
    assert.match(taken.errorDetails ?? '', /externalId employeeId:/);
  });

  test('update of an unknown Samsara id is not_found', async () => {
    const { target } = await account();
    const changes: UserAttributes = { first_name: 'X', last_name: 'Y' };
    const a = await samsaraUsers.write(target, { operation: 'update', changes, merged: { ...changes, username: 'u' }, externalId: 'r', sourceId: '999' }, OPTS);
    assert.deepEqual([a.statusCode, a.errorType], [404, 'not_found']);
  });

  test('an answer slower than timeoutMs is a timeout', async () => {
    const { token, target } = await account();
    await fault(token, { delay_ms: 400 });
    const a = await samsaraUsers.write(target, createWrite(), { timeoutMs: 100 });
    assert.deepEqual([a.ok, a.statusCode, a.errorType], [false, null, 'timeout']);
  });

  test('a lost create answer: findExisting finds the driver by its fleetgate external id', async () => {
    const { token, target } = await account();
    const write = createWrite();
    await fault(token, { after_apply: true, status: 502, body: 'Bad Gateway' });
    const lost = await samsaraUsers.write(target, write, OPTS);
    assert.deepEqual([lost.ok, lost.errorType, lost.errorDetails], [false, 'transient', 'Bad Gateway']);
    const found = await samsaraUsers.findExisting(target, write, OPTS);
    assert.deepEqual([found.ok, found.found, found.statusCode], [true, true, 200]);
    assert.equal((await readDriver(token, found.sourceId as string)).username, (write.changes.username as string));
    const again = await samsaraUsers.write(target, write, OPTS);
    assert.deepEqual([again.statusCode, again.errorType], [400, 'conflict']);
    const none = await samsaraUsers.findExisting(target, { ...write, externalId: 'never-written' }, OPTS);
    assert.deepEqual([none.ok, none.found, none.statusCode, none.errorType], [true, false, 404, undefined]);
    const lookups = (await sandboxRequests(token)).filter((r) => r.method === 'GET').map((r) => r.path);
    assert.ok(lookups.includes(`/fleet/drivers/${encodeURIComponent(`fleetgate:${write.externalId}`)}`), lookups.join());
  });

  test("a repeated create is recognised by looking the driver up, whatever words Samsara's 400 uses", async () => {
    const { token, target } = await account();
    const write = createWrite();
    await created(target, write);
    // The same create again, refused in words no rule could match: the lookup finds fleetgate's driver.
    await fault(token, { status: 400, body: { message: 'Duplicate entity', requestId: 'r2' } });
    const again = await samsaraUsers.write(target, write, OPTS);
    assert.deepEqual([again.statusCode, again.errorType], [400, 'conflict']);
    assert.match(again.errorDetails ?? '', /Duplicate entity \(requestId r2\); Samsara already holds the record/);
    // Words that used to mean "taken" do not make a conflict when no such driver exists.
    await fault(token, { status: 400, body: { message: 'externalId fleetgate:x is already in use by another driver', requestId: 'r3' } });
    const fresh = await samsaraUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([fresh.statusCode, fresh.errorType], [400, 'validation']);
    // A lookup that cannot answer (429) is reported as such, so the engine tries again rather than fail.
    await fault(token, { status: 400, body: { message: 'Bad request', requestId: 'r4' } });
    await fault(token, { status: 429, headers: { 'retry-after': '1' } });
    const unsure = await samsaraUsers.write(target, write, OPTS);
    assert.deepEqual([unsure.statusCode, unsure.errorType], [429, 'rate_limited']);
  });

  test('findExisting with a bad token is an auth failure, not "not found"', async () => {
    const a = await samsaraUsers.findExisting({ baseUrl: sandbox.url, credentials: { access_token: 'nope' } }, createWrite(), OPTS);
    assert.deepEqual([a.ok, a.found, a.errorType], [false, false, 'auth']);
  });

  test('stored response headers have cookies and credentials masked', async () => {
    const { token, target } = await account();
    await fault(token, { status: 503, headers: { 'set-cookie': 'sid=abc', 'x-session-id': 's1', 'x-request-id': 'req-1', 'retry-after': '1.5' } });
    const a = await samsaraUsers.write(target, createWrite(), OPTS);
    assert.deepEqual([a.errorType, a.retryAfterMs], ['transient', 1500]);
    assert.equal(a.headers['set-cookie'], '[REDACTED]');
    assert.equal(a.headers['x-session-id'], '[REDACTED]');
    assert.equal(a.headers['x-request-id'], 'req-1');
  });
});
