// The Samsara sandbox over real HTTP: it must validate, reject, rate-limit and fail the way Samsara is
// documented to (shared/reference/providers.md), or every adapter test built on it proves nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { createSamsaraSandboxState, samsaraSandboxPlugin, startSamsaraSandbox } from '../src/sandbox/samsara/index.ts';
import { Samsara } from '@samsarahq/samsara';

// The cycles as the official SDK lists them (its runtime enum), not as the adapter does.
const SDK_CYCLES = Object.values(Samsara.UsDriverRulesetOverride.Cycle);

type Json = Record<string, unknown>;
interface Res {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

async function call(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | undefined;
  if (opts.raw !== undefined || opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    payload = opts.raw ?? JSON.stringify(opts.body);
  }
  const res = await fetch(base + path, { method, headers, body: payload, signal: opts.signal });
  const text = await res.text();
  let body: Json = {};
  try {
    body = JSON.parse(text) as Json;
  } catch {
    // Non-JSON answers (string fault bodies) are checked through `text`.
  }
  return { status: res.status, headers: res.headers, body, text };
}

let seq = 0;
const minimal = (extra: Json = {}): Json => {
  seq += 1;
  return { name: 'Ada Lovelace', username: `ada${seq}`, password: 'secret-pw', ...extra };
};
const OVERRIDE = { cycle: 'USA Property (8/70)', restart: '34-hour Restart', restbreak: 'Property (off-duty/sleeper)', usStateToOverride: '' };

let base = '';
let close: () => Promise<void>;
let clock = Date.parse('2026-03-01T12:00:00Z');
let frozen = false;
before(async () => {
  const server = await startSamsaraSandbox({ port: 0, now: () => (frozen ? clock : Date.now()) });
  base = server.url;
  close = server.close;
});
after(async () => close());

async function newAccount(settings: Json = { rate_limit_per_second: 10_000 }): Promise<string> {
  const res = await call(base, 'POST', '/_sandbox/accounts');
  assert.equal(res.status, 201);
  assert.equal(res.body.api_key, res.body.access_token);
  const token = res.body.api_key as string;
  assert.equal((await call(base, 'PUT', '/_sandbox/settings', { token, body: settings })).status, 200);
  return token;
}
const data = (res: Res): Json => res.body.data as Json;
const create = async (token: string, body: Json = minimal()): Promise<Json> => {
  const res = await call(base, 'POST', '/fleet/drivers', { token, body });
  assert.equal(res.status, 200, res.text);
  return data(res);
};

describe('auth', () => {
  test('Bearer token authenticates; unknown, missing or X-Api-Key is 401 {message, requestId}', async () => {
    const token = await newAccount();
    assert.equal((await call(base, 'GET', '/fleet/drivers', { token })).status, 200);
    for (const res of [
      await call(base, 'GET', '/fleet/drivers', { token: 'nope' }),
      await call(base, 'GET', '/fleet/drivers'),
      await call(base, 'GET', '/fleet/drivers', { headers: { 'x-api-key': token } }),
    ]) {
      assert.equal(res.status, 401);
      assert.equal(typeof res.body.message, 'string');
      assert.match(String(res.body.requestId), /^[0-9a-f]{16}$/);
    }
  });
});

describe('create', () => {
  test('answers 200 {data} with a digit-string id, active status, every accepted field and no password', async () => {
    const token = await newAccount();
    const body = minimal({
      phone: '+15551234567', notes: 'n', licenseNumber: 'D1', licenseState: 'TX',
      timezone: 'America/Chicago', locale: 'us', eldExempt: false, eldExemptReason: '', eldAdverseWeatherExemptionEnabled: true,
      eldBigDayExemptionEnabled: true, eldPcEnabled: true, eldYmEnabled: false, waitingTimeDutyStatusEnabled: false,
      carrierSettings: { carrierName: 'ACME', dotNumber: 1234567, mainOfficeAddress: '1 Main', homeTerminalName: 'T', homeTerminalAddress: '2 Side' },
      externalIds: { fleetgate: 'abc', payroll: '42' }, usDriverRulesetOverride: OVERRIDE,
    });
    const res = await call(base, 'POST', '/fleet/drivers', { token, body });
    assert.equal(res.status, 200);
    const d = data(res);
    assert.match(String(d.id), /^\d+$/);
    assert.equal(d.driverActivationStatus, 'active');
    assert.equal(d.isDeactivated, false);
    for (const [k, v] of Object.entries(body)) if (k !== 'password') assert.deepEqual(d[k], v, k);
    assert.doesNotMatch(res.text, /password|secret-pw/);
  });

  test('external id values of another type are kept as strings ("Samsara will convert External ID values to strings")', async () => {
    const token = await newAccount();
    const d = await create(token, minimal({ externalIds: { payroll: 4711, active: true } }));
    assert.deepEqual(d.externalIds, { payroll: '4711', active: 'true' });
    assert.equal(data(await call(base, 'GET', '/fleet/drivers/payroll:4711', { token })).id, d.id);
  });

  test('IANA ids Intl knows only as links (Asia/Kolkata, America/Nipigon) and UTC are accepted', async () => {
    const token = await newAccount();
    for (const timezone of ['Asia/Kolkata', 'America/Nipigon', 'Europe/Kyiv', 'UTC']) {
      assert.equal((await create(token, minimal({ timezone }))).timezone, timezone);
    }
  });

  test('every documented ruleset cycle is accepted', async () => {
    const token = await newAccount();
    for (const cycle of SDK_CYCLES) await create(token, minimal({ usDriverRulesetOverride: { ...OVERRIDE, cycle } }));
  });

  const rejected: Array<[string, Json, RegExp]> = [
    ['name missing', { username: 'u1', password: 'p' }, /name is required/],
    ['username missing', { name: 'N', password: 'p' }, /username is required/],
    ['password missing', { name: 'N', username: 'u2' }, /password is required/],
    ['username with a space', minimal({ username: 'a b' }), /username/],
    ['username with @', minimal({ username: 'a@b' }), /username/],
    ['unknown field', minimal({ firstName: 'x' }), /Unknown field: firstName/],
    ['driverActivationStatus on create', minimal({ driverActivationStatus: 'active' }), /Unknown field/],
    ['licenseState not a state', minimal({ licenseState: 'XX' }), /licenseState/],
    ['timezone not IANA', minimal({ timezone: 'Eastern Time (US & Canada)' }), /timezone/],
    ['locale unknown', minimal({ locale: 'jp' }), /locale/],
    ['boolean as string', minimal({ eldPcEnabled: 'true' }), /eldPcEnabled/],
    ['dotNumber as string', minimal({ carrierSettings: { dotNumber: '123' } }), /dotNumber/],
    ['carrierSettings unknown key', minimal({ carrierSettings: { dot: 1 } }), /carrierSettings.dot/],
    ['externalIds value an object', minimal({ externalIds: { a: { b: 1 } } }), /externalIds/],
    ['externalIds empty value', minimal({ externalIds: { a: '' } }), /externalIds/],
    ['override missing a field', minimal({ usDriverRulesetOverride: { cycle: 'USA Property (8/70)', restart: 'None', restbreak: 'None' } }), /usStateToOverride is required/],
    ['override Canadian cycle', minimal({ usDriverRulesetOverride: { ...OVERRIDE, cycle: 'Canada South Cycle 1 (70 hour / 7 day)' } }), /cycle/],
    ['override unknown restart', minimal({ usDriverRulesetOverride: { ...OVERRIDE, restart: '48-hour Restart' } }), /restart/],
    ['override extra key', minimal({ usDriverRulesetOverride: { ...OVERRIDE, shift: 'x' } }), /Unknown field usDriverRulesetOverride.shift/],
    // Samsara drivers have no e-mail: not a member of the SDK's CreateDriverRequest.
    ['email sent', minimal({ email: 'ada@example.com' }), /Unknown field: email/],
    ['a null where the SDK types no null', minimal({ notes: null }), /notes: must not be null/],
    ['usStateToOverride outside the SDK enum', minimal({ usDriverRulesetOverride: { ...OVERRIDE, usStateToOverride: 'NY' } }), /usStateToOverride/],
    ['eldDayStartHour neither 0 nor 12', minimal({ eldDayStartHour: 6 }), /eldDayStartHour: must be 0 or 12/],
    ['hosSetting unknown key', minimal({ hosSetting: { heavyHaul: true } }), /Unknown field hosSetting.heavyHaul/],
    ['a tag id the organization lacks', minimal({ tagIds: ['123'] }), /tagIds: no tag 123/],
    ['a vehicleGroupTagId the organization lacks', minimal({ vehicleGroupTagId: '9' }), /vehicleGroupTagId: no tag 9/],
    ['a static vehicle the organization lacks', minimal({ staticAssignedVehicleId: '9' }), /staticAssignedVehicleId: no vehicle 9/],
    ['deactivatedAtTime on create', minimal({ deactivatedAtTime: '2026-01-01T00:00:00Z' }), /Unknown field: deactivatedAtTime/],
  ];
  for (const [name, body, message] of rejected) {
    test(`400 {message, requestId} when ${name}`, async () => {
      const token = await newAccount();
      const res = await call(base, 'POST', '/fleet/drivers', { token, body });
      assert.equal(res.status, 400);
      assert.match(String(res.body.message), message);
      assert.equal(typeof res.body.requestId, 'string');
      assert.deepEqual((await call(base, 'GET', '/fleet/drivers', { token })).body.data, []);
    });
  }

  test('malformed JSON and a non-object body are 400', async () => {
    const token = await newAccount();
    assert.equal((await call(base, 'POST', '/fleet/drivers', { token, raw: '{"name":' })).status, 400);
    assert.equal((await call(base, 'POST', '/fleet/drivers', { token, raw: '[1]' })).status, 400);
  });

  test('username (case-insensitive), license pair and external id pair are unique per account only', async () => {
    const token = await newAccount();
    await create(token, minimal({ username: 'Jo', licenseNumber: 'L1', licenseState: 'TX', externalIds: { fleetgate: 'x1' } }));
    const dup = async (body: Json, re: RegExp) => {
      const res = await call(base, 'POST', '/fleet/drivers', { token, body });
      assert.equal(res.status, 400);
      assert.match(String(res.body.message), re);
    };
    await dup(minimal({ username: 'jo' }), /username jo is already in use/);
    await dup(minimal({ licenseNumber: 'l1', licenseState: 'TX' }), /licenseNumber and licenseState/);
    await dup(minimal({ externalIds: { fleetgate: 'x1' } }), /externalId fleetgate:x1 is already in use/);
    await create(token, minimal({ licenseNumber: 'L1', licenseState: 'OK', externalIds: { other: 'x1' } }));
    const other = await newAccount();
    await create(other, minimal({ username: 'jo', externalIds: { fleetgate: 'x1' } }));
  });
});

describe('read and update', () => {
  test('GET and PATCH address a driver by id or by URL-encoded key:value external id', async () => {
    const token = await newAccount();
    const d = await create(token, minimal({ externalIds: { fleetgate: 'res/1 a' } }));
    const ext = encodeURIComponent('fleetgate:res/1 a');
    assert.equal(data(await call(base, 'GET', `/fleet/drivers/${d.id}`, { token })).id, d.id);
    assert.equal(data(await call(base, 'GET', `/fleet/drivers/${ext}`, { token })).id, d.id);
    const res = await call(base, 'PATCH', `/fleet/drivers/${ext}`, { token, body: { notes: 'via ext' } });
    assert.equal(res.status, 200);
    assert.equal(data(res).notes, 'via ext');
    for (const id of ['999999999', encodeURIComponent('fleetgate:none'), 'abc']) {
      for (const method of ['GET', 'PATCH']) {
        const r = await call(base, method, `/fleet/drivers/${id}`, { token, body: method === 'PATCH' ? { notes: 'x' } : undefined });
        assert.equal(r.status, 404, `${method} ${id}`);
        assert.equal(typeof r.body.message, 'string');
      }
    }
  });

  test('PATCH is partial; null only as the documented override clear, a 400 on every other member', async () => {
    const token = await newAccount();
    const d = await create(token, minimal({ notes: 'keep', phone: '+15550001111', usDriverRulesetOverride: OVERRIDE }));
    const r = data(await call(base, 'PATCH', `/fleet/drivers/${d.id}`, { token, body: { eldYmEnabled: true } }));
    assert.equal(r.notes, 'keep');
    assert.equal(r.eldYmEnabled, true);
    assert.equal(r.username, d.username);
    for (const body of [{ name: null }, { username: null }, { notes: null }, { phone: null }, { email: null }, { email: 'a@b.co' }, { bogus: 1 }, { username: 'has space' }]) {
      const res = await call(base, 'PATCH', `/fleet/drivers/${d.id}`, { token, body });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    const kept = data(await call(base, 'GET', `/fleet/drivers/${d.id}`, { token }));
    assert.deepEqual([kept.notes, kept.phone, kept.usDriverRulesetOverride], ['keep', '+15550001111', OVERRIDE]);
    // "Explicitly setting this field to `null` will delete driver's ruleset override" (SDK docstring).
    const cleared = await call(base, 'PATCH', `/fleet/drivers/${d.id}`, { token, body: { usDriverRulesetOverride: null } });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal('usDriverRulesetOverride' in data(cleared), false);
    assert.equal('usDriverRulesetOverride' in data(await call(base, 'GET', `/fleet/drivers/${d.id}`, { token })), false);
  });

  test('PATCH replaces externalIds whole and keeps uniqueness; keeping your own username is fine', async () => {
    const token = await newAccount();
    const a = await create(token, minimal({ externalIds: { fleetgate: 'a', payroll: '1' } }));
    const b = await create(token, minimal({ externalIds: { fleetgate: 'b' } }));
    const r = data(await call(base, 'PATCH', `/fleet/drivers/${a.id}`, { token, body: { externalIds: { fleetgate: 'a' }, username: a.username } }));
    assert.deepEqual(r.externalIds, { fleetgate: 'a' });
    const clash = await call(base, 'PATCH', `/fleet/drivers/${b.id}`, { token, body: { externalIds: { fleetgate: 'a' } } });
    assert.equal(clash.status, 400);
    const taken = await call(base, 'PATCH', `/fleet/drivers/${b.id}`, { token, body: { username: String(a.username).toUpperCase() } });
    assert.equal(taken.status, 400);
  });

  test('driverActivationStatus is set by PATCH and filters the list (default active)', async () => {
    const token = await newAccount();
    const a = await create(token);
    const b = await create(token);
    const r = data(await call(base, 'PATCH', `/fleet/drivers/${b.id}`, { token, body: { driverActivationStatus: 'deactivated' } }));
    assert.equal(r.driverActivationStatus, 'deactivated');
    assert.equal(r.isDeactivated, true);
    // The SDK's Driver has no deactivatedAtTime: the read does not show one.
    assert.equal('deactivatedAtTime' in r, false);
    const ids = async (q: string) => ((await call(base, 'GET', `/fleet/drivers${q}`, { token })).body.data as Json[]).map((d) => d.id);
    assert.deepEqual(await ids(''), [a.id]);
    assert.deepEqual(await ids('?driverActivationStatus=deactivated'), [b.id]);
    assert.equal((await call(base, 'GET', '/fleet/drivers?driverActivationStatus=gone', { token })).status, 400);
    assert.equal((await call(base, 'PATCH', `/fleet/drivers/${b.id}`, { token, body: { driverActivationStatus: 'paused' } })).status, 400);
  });

  test('list pages with limit (1..512) and the after cursor', async () => {
    const token = await newAccount();
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await create(token)).id);
    const seen: unknown[] = [];
    let after = '';
    for (;;) {
      const res = await call(base, 'GET', `/fleet/drivers?limit=2${after ? `&after=${after}` : ''}`, { token });
      assert.equal(res.status, 200);
      seen.push(...(res.body.data as Json[]).map((d) => d.id));
      const p = res.body.pagination as Json;
      if (!p.hasNextPage) {
        assert.equal(p.endCursor, '');
        break;
      }
      after = String(p.endCursor);
    }
    assert.deepEqual(seen, made);
    for (const q of ['limit=0', 'limit=513', 'limit=x', 'after=bogus']) {
      assert.equal((await call(base, 'GET', `/fleet/drivers?${q}`, { token })).status, 400, q);
    }
  });

  test('a list parameter the sandbox does not implement, or the SDK does not have, is a 400, never ignored', async () => {
    const token = await newAccount();
    await create(token);
    for (const [q, re] of [
      ['attributeValueIds=076efac2-83b5-47aa-ba36-18428436dcac', /attributeValueIds is not supported by the Samsara sandbox/],
      ['isDriver=true', /Unknown query parameter: isDriver/],
      ['createdAfterTime=yesterday', /createdAfterTime: must be an RFC 3339/],
      ['attributes=noColon', /attributes/],
    ] as const) {
      const res = await call(base, 'GET', `/fleet/drivers?${q}`, { token });
      assert.equal(res.status, 400, q);
      assert.match(String(res.body.message), re);
      assert.equal(typeof res.body.requestId, 'string');
    }
  });

  test('tags: made by POST /tags, read by GET /tags/{id}; a driver reads its tags back as tags, not tagIds', async () => {
    const token = await newAccount();
    const parent = data(await call(base, 'POST', '/tags', { token, body: { name: 'West' } }));
    const child = data(await call(base, 'POST', '/tags', { token, body: { name: 'Depot', parentTagId: parent.id } }));
    assert.deepEqual(data(await call(base, 'GET', `/tags/${child.id}`, { token })), { id: child.id, name: 'Depot', parentTagId: parent.id });
    const d = await create(token, minimal({ tagIds: [child.id] }));
    assert.deepEqual(d.tags, [{ id: child.id, name: 'Depot', parentTagId: parent.id }]);
    assert.equal('tagIds' in d, false);
    for (const [body, re] of [
      [{ name: 'x', parentTagId: '1' }, /parentTagId: no tag 1/],
      [{ name: 'x', drivers: [String(d.id)] }, /drivers is not supported by the Samsara sandbox/],
      [{}, /name is required/],
    ] as const) {
      const res = await call(base, 'POST', '/tags', { token, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(String(res.body.message), re);
    }
    assert.equal((await call(base, 'GET', '/tags/999', { token })).status, 404);
  });

  test('deactivatedAtTime: only with deactivated, RFC 3339, at most six months back; profile image one way at a time', async () => {
    const token = await newAccount();
    const d = await create(token);
    const patch = (body: Json) => call(base, 'PATCH', `/fleet/drivers/${d.id}`, { token, body });
    for (const [body, re] of [
      [{ deactivatedAtTime: new Date().toISOString() }, /only be sent with driverActivationStatus deactivated/],
      [{ driverActivationStatus: 'active', deactivatedAtTime: new Date().toISOString() }, /only be sent with driverActivationStatus deactivated/],
      [{ driverActivationStatus: 'deactivated', deactivatedAtTime: '2026-01-01' }, /RFC 3339/],
      [{ driverActivationStatus: 'deactivated', deactivatedAtTime: new Date(Date.now() - 200 * 86_400_000).toISOString() }, /6 months/],
      [{ profileImageBase64: 'iVBORw0KGgo=', profileImageUrl: 'https://example.com/a.png' }, /not both/],
      [{ profileImageBase64: 'not base64!' }, /profileImageBase64/],
      [{ profileImageUrl: 'ftp://example.com/a.png' }, /profileImageUrl/],
    ] as const) {
      const res = await patch(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(String(res.body.message), re);
    }
    assert.equal(data(await call(base, 'GET', `/fleet/drivers/${d.id}`, { token })).driverActivationStatus, 'active');
    assert.equal((await patch({ driverActivationStatus: 'deactivated', deactivatedAtTime: new Date(Date.now() - 86_400_000).toISOString() })).status, 200);
  });
});

describe('faults, latency and the request log', () => {
  test('status, string body and headers replace the answer, in queue order', async () => {
    const token = await newAccount();
    const queued = await call(base, 'POST', '/_sandbox/faults', {
      token,
      body: { faults: [{ status: 502, body: 'Bad Gateway' }, { status: 503, headers: { 'retry-after': '2' } }] },
    });
    assert.deepEqual(queued.body, { queued: 2, pending: 2 });
    const a = await call(base, 'GET', '/fleet/drivers', { token });
    assert.deepEqual([a.status, a.text, a.headers.get('content-type')?.startsWith('text/plain')], [502, 'Bad Gateway', true]);
    const b = await call(base, 'GET', '/fleet/drivers', { token });
    assert.deepEqual([b.status, b.headers.get('retry-after'), typeof b.body.message], [503, '2', 'string']);
    assert.equal((await call(base, 'GET', '/fleet/drivers', { token })).status, 200);
    assert.equal((await call(base, 'POST', '/_sandbox/faults', { token, body: { status: 99 } })).status, 400);
    await call(base, 'POST', '/_sandbox/faults', { token, body: { status: 500 } });
    assert.deepEqual((await call(base, 'DELETE', '/_sandbox/faults', { token })).body, { cleared: 1, pending: 0 });
  });

  test('after_apply performs the write and loses the response', async () => {
    const token = await newAccount();
    await call(base, 'POST', '/_sandbox/faults', { token, body: { after_apply: true, status: 504, body: 'Gateway Timeout' } });
    const res = await call(base, 'POST', '/fleet/drivers', { token, body: minimal({ externalIds: { fleetgate: 'lost' } }) });
    assert.equal(res.status, 504);
    assert.equal(data(await call(base, 'GET', `/fleet/drivers/${encodeURIComponent('fleetgate:lost')}`, { token })).externalIds instanceof Object, true);
  });

  test('delay_ms makes a client time out', async () => {
    const token = await newAccount();
    await call(base, 'POST', '/_sandbox/faults', { token, body: { delay_ms: 300 } });
    await assert.rejects(call(base, 'GET', '/fleet/drivers', { token, signal: AbortSignal.timeout(50) }));
  });

  test('the request log shows prefix-free paths and bodies with the password masked', async () => {
    const token = await newAccount();
    await create(token, minimal({ password: 'hunter2-secret' }));
    const log = (await call(base, 'GET', '/_sandbox/requests', { token })).body.requests as Json[];
    assert.equal(log.length, 1);
    assert.deepEqual([log[0].method, log[0].path, log[0].status], ['POST', '/fleet/drivers', 200]);
    assert.equal((log[0].body as Json).password, '[REDACTED]');
    assert.doesNotMatch(JSON.stringify(log), /hunter2/);
  });

  test('settings are validated', async () => {
    const token = await newAccount();
    assert.deepEqual((await call(base, 'GET', '/_sandbox/settings', { token })).body, { rate_limit_per_second: 10_000, latency_ms: 0 });
    for (const body of [{ rate_limit_per_second: 0 }, { latency_ms: -1 }, { rate_limit_per_minute: 5 }]) {
      assert.equal((await call(base, 'PUT', '/_sandbox/settings', { token, body })).status, 400, JSON.stringify(body));
    }
  });
});

describe('rate limit', () => {
  test('default 150/s; over it 429 with a fractional Retry-After; the window slides; 429s do not count', async () => {
    const res = await call(base, 'POST', '/_sandbox/accounts');
    const token = res.body.api_key as string;
    assert.equal((await call(base, 'GET', '/_sandbox/settings', { token })).body.rate_limit_per_second, 150);
    await call(base, 'PUT', '/_sandbox/settings', { token, body: { rate_limit_per_second: 3 } });
    frozen = true;
    try {
      clock = Date.parse('2026-03-01T12:00:00Z');
      for (let i = 0; i < 3; i++) {
        assert.equal((await call(base, 'GET', '/fleet/drivers', { token })).status, 200);
        clock += 100;
      }
      clock += 98; // 398 ms after the first admission
      const limited = await call(base, 'GET', '/fleet/drivers', { token });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '0.602');
      assert.equal(limited.body.message, 'Rate limit exceeded');
      assert.equal(typeof limited.body.requestId, 'string');
      clock += 602;
      assert.equal((await call(base, 'GET', '/fleet/drivers', { token })).status, 200);
    } finally {
      frozen = false;
    }
  });
});

describe('persistence and mounting', () => {
  test('accounts, drivers and settings survive a restart; no password in clear', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'samsara-sbx-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startSamsaraSandbox({ port: 0, stateFile });
      const token = (await call(first.url, 'POST', '/_sandbox/accounts')).body.api_key as string;
      await call(first.url, 'PUT', '/_sandbox/settings', { token, body: { latency_ms: 1 } });
      const tag = data(await call(first.url, 'POST', '/tags', { token, body: { name: 'Kept' } }));
      const d = data(await call(first.url, 'POST', '/fleet/drivers', { token, body: minimal({ password: 'pw-in-clear', tagIds: [tag.id] }) }));
      await first.close();
      const saved = await readFile(stateFile, 'utf8');
      assert.doesNotMatch(saved, /pw-in-clear/);
      // A state file written before the SDK vocabulary may hold an e-mail: the read never shows it.
      const old = JSON.parse(saved) as { accounts: Array<{ drivers: Array<{ fields: Json }> }> };
      old.accounts[0].drivers[0].fields.email = 'stale@example.com';
      await writeFile(stateFile, JSON.stringify(old));
      const second = await startSamsaraSandbox({ port: 0, stateFile });
      try {
        const read = data(await call(second.url, 'GET', `/fleet/drivers/${d.id}`, { token }));
        assert.equal(read.username, d.username);
        assert.deepEqual(read.tags, [{ id: tag.id, name: 'Kept' }]);
        assert.equal('email' in read, false);
        assert.equal((await call(second.url, 'GET', '/_sandbox/settings', { token })).body.latency_ms, 1);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('mounted under a prefix it answers Samsara-style; unknown routes are 404 {message}', async () => {
    const state = await createSamsaraSandboxState();
    const app = Fastify({ logger: false });
    await app.register(samsaraSandboxPlugin, { state, prefix: '/sandbox/samsara' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as { port: number };
      const root = `http://127.0.0.1:${port}/sandbox/samsara`;
      const token = (await call(root, 'POST', '/_sandbox/accounts')).body.access_token as string;
      assert.equal((await call(root, 'POST', '/fleet/drivers', { token, body: minimal() })).status, 200);
      const missing = await call(root, 'GET', '/fleet/nothing', { token });
      assert.equal(missing.status, 404);
      assert.equal(typeof missing.body.message, 'string');
      const log = (await call(root, 'GET', '/_sandbox/requests', { token })).body.requests as Json[];
      assert.equal(log[0].path, '/fleet/drivers');
    } finally {
      await app.close();
      await state.close();
    }
  });
});
