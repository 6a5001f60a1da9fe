// The Motive sandbox over real HTTP: it must validate, reject, rate-limit and fail the way Motive is
// documented to (shared/reference/providers.md), or every adapter test built on it proves nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import {
  createMotiveSandboxState,
  motiveSandboxPlugin,
  startMotiveSandbox,
} from '../src/sandbox/motive/index.ts';
import { debounceAfter, DebouncedStateWriter } from '../src/sandbox/kit/persistence.ts';

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
  opts: { key?: string; bearer?: string; body?: unknown; raw?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers['x-api-key'] = opts.key;
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
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

const newAccount = async (base: string): Promise<string> => {
  const res = await call(base, 'POST', '/_sandbox/accounts');
  assert.equal(res.status, 201);
  return res.body.api_key as string;
};

const minimal = (extra: Json = {}): Json => ({ first_name: 'Ada', last_name: 'Lovelace', phone_country_code: '+1', ...extra });

/** The seed body (shared/seeds/motive-create-user.txt) plus the Feb 2025 phone_country_code. */
const seedBody = (): Json => ({
  email: null, first_name: 'John', last_name: 'Doe', phone: null, phone_ext: null, time_zone: null,
  carrier_name: null, carrier_street: null, carrier_city: null, carrier_state: null, carrier_zip: null,
  violation_alerts: '1_hour', terminal_street: null, terminal_city: null, terminal_state: null, terminal_zip: null,
  exception_24_hour_restart: false, exception_8_hour_break: false, exception_wait_time: false,
  exception_short_haul: false, exception_ca_farm_school_bus: false, exception_adverse_driving: false,
  export_combined: true, export_recap: true, export_odometers: true, metric_units: false,
  username: 'john.doe.demo.fleet', password: 'password', cycle: null, driver_company_id: null, minute_logs: false,
  duty_status: 'off_duty', eld_mode: 'none', drivers_license_number: null, drivers_license_state: null,
  yard_moves_enabled: false, personal_conveyance_enabled: false, manual_driving_enabled: false,
  role: 'driver', status: 'active', dot_id: '12345678', time_tracking_mode: 'logs', phone_country_code: '+1',
});

const user = (res: Res): Json => res.body.user as Json;

let base = '';
let close: () => Promise<void>;

before(async () => {
  const server = await startMotiveSandbox({ port: 0 });
  base = server.url;
  close = server.close;
});
after(async () => close());

describe('accounts and auth', () => {
  test('accounts get distinct, long random keys', async () => {
    const a = await newAccount(base);
    const b = await newAccount(base);
    assert.notEqual(a, b);
    assert.ok(a.length >= 32);
  });

  test('X-Api-Key and Authorization: Bearer both authenticate', async () => {
    const key = await newAccount(base);
    assert.equal((await call(base, 'GET', '/v1/users', { key })).status, 200);
    assert.equal((await call(base, 'GET', '/v1/users', { bearer: key })).status, 200);
  });

  test('an unknown or missing key is 401 with error_message', async () => {
    for (const res of [await call(base, 'GET', '/v1/users', { key: 'nope' }), await call(base, 'GET', '/v1/users')]) {
      assert.equal(res.status, 401);
      assert.equal(typeof res.body.error_message, 'string');
    }
    assert.equal((await call(base, 'GET', '/_sandbox/settings', { bearer: 'nope' })).status, 401);
  });

  test('each account sees only its own users, and ids increase per account', async () => {
    const a = await newAccount(base);
    const b = await newAccount(base);
    const a1 = user(await call(base, 'POST', '/v1/users', { key: a, body: minimal() }));
    const a2 = user(await call(base, 'POST', '/v1/users', { key: a, body: minimal() }));
    const b1 = user(await call(base, 'POST', '/v1/users', { key: b, body: minimal() }));
    assert.equal(typeof a1.id, 'number');
    assert.ok((a2.id as number) > (a1.id as number));
    assert.equal(b1.id, a1.id); // ids are per account
    assert.equal((await call(base, 'GET', `/v1/users/${a2.id}`, { key: b })).status, 404);
    assert.equal(((await call(base, 'GET', '/v1/users', { key: b })).body.pagination as Json).total, 1);
  });
});

describe('create', () => {
  test('the seed body is accepted and echoed with defaults, never the password', async () => {
    const key = await newAccount(base);
    const res = await call(base, 'POST', '/v1/users', { key, body: { ...seedBody(), not_a_field: 'ignored' } });
    assert.equal(res.status, 201);
    const u = user(res);
    const seed = seedBody();
    for (const [k, v] of Object.entries(seed)) {
      if (k === 'password' || v === null) continue;
      assert.deepEqual(u[k], v, k);
    }
    assert.equal(u.time_zone, 'Eastern Time (US & Canada)'); // nil → company default
    assert.equal(u.cycle, '70_8');
    assert.equal(u.email, null);
    assert.equal('password' in u, false);
    assert.equal('password_digest' in u, false);
    assert.equal('not_a_field' in u, false);
    assert.deepEqual(u.external_ids, []);
    assert.match(String(u.created_at), /^\d{4}-\d\d-\d\dT/);
    assert.equal(u.created_at, u.updated_at);
    assert.doesNotMatch(res.text, /"password"/);
  });

  test('a minimal body gets Motive-like defaults', async () => {
    const key = await newAccount(base);
    const u = user(await call(base, 'POST', '/v1/users', { key, body: minimal() }));
    assert.equal(u.role, 'driver');
    assert.equal(u.status, 'active');
    assert.equal(u.eld_mode, 'none');
    assert.equal(u.time_tracking_mode, 'logs');
    assert.equal(u.duty_status, 'off_duty');
    assert.equal(u.violation_alerts, '1_hour');
    assert.equal(u.export_combined, true);
    assert.equal(u.exception_short_haul, false);
    assert.equal(u.username, null);
  });

  test('external_ids_attributes are stored and rendered as external_ids, each with its own id', async () => {
    const key = await newAccount(base);
    const body = minimal({ external_ids_attributes: [{ external_id: '987', integration_name: 'generic_tms' }] });
    const u = user(await call(base, 'POST', '/v1/users', { key, body }));
    const [pair] = u.external_ids as Json[];
    assert.equal(typeof pair.id, 'number');
    assert.deepEqual(u.external_ids, [{ id: pair.id, external_id: '987', integration_name: 'generic_tms' }]);
  });

  const rejected: Array<[string, Json, string]> = [
    ['first_name missing', { last_name: 'L', phone_country_code: '+1' }, "First name can't be blank"],
    ['first_name blank', minimal({ first_name: '  ' }), "First name can't be blank"],
    ['last_name missing', { first_name: 'F', phone_country_code: '+1' }, "Last name can't be blank"],
    ['phone_country_code missing', { first_name: 'F', last_name: 'L' }, "Phone country code can't be blank"],
    ['phone_country_code null', minimal({ phone_country_code: null }), "Phone country code can't be blank"],
    ['phone_country_code without +', minimal({ phone_country_code: '1' }), 'Phone country code is invalid'],
    ['phone_country_code 5 digits', minimal({ phone_country_code: '+12345' }), 'Phone country code is invalid'],
    ['phone_country_code letters', minimal({ phone_country_code: '+1a' }), 'Phone country code is invalid'],
    ['time_zone as IANA id', minimal({ time_zone: 'America/New_York' }), 'Time zone is not included in the list'],
    ['cycle unknown', minimal({ cycle: '70_9' }), 'Cycle is not included in the list'],
    ['violation_alerts unknown', minimal({ violation_alerts: '2_hours' }), 'Violation alerts is not included in the list'],
    ['duty_status unknown', minimal({ duty_status: 'napping' }), 'Duty status is not included in the list'],
    ['eld_mode unknown', minimal({ eld_mode: 'auto' }), 'Eld mode is not included in the list'],
    ['time_tracking_mode unknown', minimal({ time_tracking_mode: 'x' }), 'Time tracking mode is not included in the list'],
    ['role unknown', minimal({ role: 'owner' }), 'Role is not included in the list'],
    ['status unknown', minimal({ status: 'inactive' }), 'Status is not included in the list'],
    ['boolean as string', minimal({ metric_units: 'true' }), 'Metric units must be true or false'],
    ['exception flag as number', minimal({ exception_short_haul: 1 }), 'Exception short haul must be true or false'],
    ['string field as object', minimal({ carrier_name: { x: 1 } }), 'Carrier name must be a string'],
    ['email malformed', minimal({ email: 'not-an-email' }), 'Email is invalid'],
    ['eld exempt with logs tracking', minimal({ eld_mode: 'exempt', time_tracking_mode: 'logs' }), 'Eld mode exempt is not allowed with time tracking mode logs'],
    ['eld logs with timecards', minimal({ eld_mode: 'logs', time_tracking_mode: 'timecards' }), 'Eld mode logs is not allowed with time tracking mode timecards'],
    ['eld none with not_required', minimal({ time_tracking_mode: 'not_required' }), 'Eld mode none is not allowed with time tracking mode not_required'],
    ['external id blank', minimal({ external_ids_attributes: [{ external_id: '', integration_name: 'x' }] }), "External ids external id can't be blank"],
    ['external ids not a list', minimal({ external_ids_attributes: 'x' }), 'External ids is invalid'],
  ];
  for (const [name, body, message] of rejected) {
    test(`422 when ${name}`, async () => {
      const key = await newAccount(base);
      const res = await call(base, 'POST', '/v1/users', { key, body });
      assert.equal(res.status, 422);
      assert.deepEqual(res.body, { error_message: `Validation failed: ${message}` });
      assert.equal(((await call(base, 'GET', '/v1/users', { key })).body.pagination as Json).total, 0);
    });
  }

  test('documented values are accepted: Rails zone names, cycles, eld/tracking pairs', async () => {
    const key = await newAccount(base);
    const ok: Json[] = [
      minimal({ time_zone: 'Arizona', cycle: 'tx_70_7' }),
      minimal({ time_zone: 'Central Time (US & Canada)', cycle: '120_14_north' }),
      minimal({ eld_mode: 'logs', time_tracking_mode: 'logs' }),
      minimal({ eld_mode: 'exempt', time_tracking_mode: 'timecards' }),
      minimal({ eld_mode: 'exempt', time_tracking_mode: 'not_required', phone_country_code: '+1242' }),
      minimal({ dot_id: 12345678 }), // Rails typecasts a number sent for a string column
    ];
    for (const body of ok) assert.equal((await call(base, 'POST', '/v1/users', { key, body })).status, 201, JSON.stringify(body));
  });

  test('malformed JSON is 400 with error_message; a non-object body is 400', async () => {
    const key = await newAccount(base);
    const bad = await call(base, 'POST', '/v1/users', { key, raw: '{"first_name": ' });
    assert.equal(bad.status, 400);
    assert.equal(typeof bad.body.error_message, 'string');
    assert.equal((await call(base, 'POST', '/v1/users', { key, raw: '[1,2]' })).status, 400);
  });
});

describe('uniqueness per account', () => {
  test('username and email are unique case-insensitively, but only within an account', async () => {
    const key = await newAccount(base);
    const other = await newAccount(base);
    const first = minimal({ username: 'Jo.Doe', email: 'Jo@Example.com' });
    assert.equal((await call(base, 'POST', '/v1/users', { key, body: first })).status, 201);
    const dupUser = await call(base, 'POST', '/v1/users', { key, body: minimal({ username: 'jo.doe' }) });
    assert.deepEqual([dupUser.status, dupUser.body.error_message], [422, 'Validation failed: Username has already been taken']);
    const dupMail = await call(base, 'POST', '/v1/users', { key, body: minimal({ email: 'jo@example.COM' }) });
    assert.deepEqual([dupMail.status, dupMail.body.error_message], [422, 'Validation failed: Email has already been taken']);
    assert.equal((await call(base, 'POST', '/v1/users', { key: other, body: first })).status, 201);
  });

  test('(external_id, integration_name) pairs are unique, on create and on update', async () => {
    const key = await newAccount(base);
    const pair = { external_id: '987', integration_name: 'generic_tms' };
    const a = user(await call(base, 'POST', '/v1/users', { key, body: minimal({ external_ids_attributes: [pair] }) }));
    const dup = await call(base, 'POST', '/v1/users', { key, body: minimal({ external_ids_attributes: [pair] }) });
    assert.deepEqual([dup.status, dup.body.error_message], [422, 'Validation failed: External ids external id has already been taken']);
    // Same external id under another integration is a different pair.
    const b = user(await call(base, 'POST', '/v1/users', {
      key, body: minimal({ external_ids_attributes: [{ external_id: '987', integration_name: 'other_tms' }] }),
    }));
    const upd = await call(base, 'PUT', `/v1/users/${b.id}`, { key, body: { phone_country_code: '+1', external_ids_attributes: [pair] } });
    assert.equal(upd.status, 422);
    const inOneRequest = await call(base, 'POST', '/v1/users', {
      key, body: minimal({ external_ids_attributes: [{ external_id: '1', integration_name: 'x' }, { external_id: '1', integration_name: 'x' }] }),
    });
    assert.equal(inOneRequest.status, 422);
    assert.ok(a.id);
  });
});

describe('update', () => {
  test('PUT is partial: only fields present change, updated_at moves', async () => {
    const key = await newAccount(base);
    const created = user(await call(base, 'POST', '/v1/users', { key, body: minimal({ username: 'ada', carrier_name: 'ACME' }) }));
    await new Promise((r) => setTimeout(r, 5));
    const res = await call(base, 'PUT', `/v1/users/${created.id}`, { key, body: { phone_country_code: '+44', last_name: 'King', carrier_name: null } });
    assert.equal(res.status, 200);
    const u = user(res);
    assert.equal(u.last_name, 'King');
    assert.equal(u.first_name, 'Ada');
    assert.equal(u.username, 'ada');
    assert.equal(u.carrier_name, null);
    assert.equal(u.phone_country_code, '+44');
    assert.equal(u.created_at, created.created_at);
    assert.notEqual(u.updated_at, created.updated_at);
    assert.deepEqual(user(await call(base, 'GET', `/v1/users/${created.id}`, { key })), u);
  });

  test('phone_country_code is required on update too', async () => {
    const key = await newAccount(base);
    const { id } = user(await call(base, 'POST', '/v1/users', { key, body: minimal() }));
    const res = await call(base, 'PUT', `/v1/users/${id}`, { key, body: { last_name: 'X' } });
    assert.deepEqual([res.status, res.body.error_message], [422, "Validation failed: Phone country code can't be blank"]);
  });

  test('the eld/time tracking rule is checked on the user as it would be after the write', async () => {
    const key = await newAccount(base);
    const { id } = user(await call(base, 'POST', '/v1/users', { key, body: minimal() }));
    const alone = await call(base, 'PUT', `/v1/users/${id}`, { key, body: { phone_country_code: '+1', eld_mode: 'exempt' } });
    assert.equal(alone.status, 422);
    assert.match(String(alone.body.error_message), /Eld mode exempt is not allowed with time tracking mode logs/);
    const both = await call(base, 'PUT', `/v1/users/${id}`, { key, body: { phone_country_code: '+1', eld_mode: 'exempt', time_tracking_mode: 'timecards' } });
    assert.equal(both.status, 200);
    const back = await call(base, 'PUT', `/v1/users/${id}`, { key, body: { phone_country_code: '+1', time_tracking_mode: 'logs' } });
    assert.equal(back.status, 422);
  });

  test('a rejected update leaves the user untouched; blanking a name is rejected', async () => {
    const key = await newAccount(base);
    const created = user(await call(base, 'POST', '/v1/users', { key, body: minimal() }));
    const res = await call(base, 'PUT', `/v1/users/${created.id}`, { key, body: { phone_country_code: '+1', last_name: 'New', role: 'boss' } });
    assert.equal(res.status, 422);
    const blank = await call(base, 'PUT', `/v1/users/${created.id}`, { key, body: { phone_country_code: '+1', first_name: '' } });
    assert.deepEqual(blank.body, { error_message: "Validation failed: First name can't be blank" });
    const nulled = await call(base, 'PUT', `/v1/users/${created.id}`, { key, body: { phone_country_code: '+1', role: null } });
    assert.equal(nulled.status, 422);
    assert.deepEqual(user(await call(base, 'GET', `/v1/users/${created.id}`, { key })), created);
  });

  test('keeping your own username is fine; taking another user\'s is not', async () => {
    const key = await newAccount(base);
    const a = user(await call(base, 'POST', '/v1/users', { key, body: minimal({ username: 'a' }) }));
    await call(base, 'POST', '/v1/users', { key, body: minimal({ username: 'b' }) });
    assert.equal((await call(base, 'PUT', `/v1/users/${a.id}`, { key, body: { phone_country_code: '+1', username: 'A' } })).status, 200);
    assert.equal((await call(base, 'PUT', `/v1/users/${a.id}`, { key, body: { phone_country_code: '+1', username: 'B' } })).status, 422);
  });

  test('external_ids_attributes on update: without an id they add a pair, with one they change that pair', async () => {
    const key = await newAccount(base);
    const created = user(await call(base, 'POST', '/v1/users', { key, body: minimal({ external_ids_attributes: [{ external_id: '1', integration_name: 'a' }] }) }));
    const [first] = created.external_ids as Json[];
    const added = user(await call(base, 'PUT', `/v1/users/${created.id}`, { key, body: { phone_country_code: '+1', external_ids_attributes: [{ external_id: '2', integration_name: 'b' }] } }));
    const [, second] = added.external_ids as Json[];
    assert.deepEqual(added.external_ids, [{ id: first.id, external_id: '1', integration_name: 'a' }, { id: second.id, external_id: '2', integration_name: 'b' }]);
    assert.notEqual(second.id, first.id);
    // The documented id-carrying update changes that pair in place: no second pair, the same id.
    const changed = await call(base, 'PUT', `/v1/users/${created.id}`, { key, body: { phone_country_code: '+1', external_ids_attributes: [{ id: first.id, external_id: '1b' }] } });
    assert.equal(changed.status, 200);
    assert.deepEqual(user(changed).external_ids, [{ id: first.id, external_id: '1b', integration_name: 'a' }, { id: second.id, external_id: '2', integration_name: 'b' }]);
    const lookup = (q: string) => call(base, 'GET', `/v1/users/lookup_by_external_id?${q}`, { key });
    assert.equal((await lookup('external_id=1&integration_name=a')).status, 404);
    assert.equal(user(await lookup('external_id=1b&integration_name=a')).id, created.id);
    // Deleting through nested attributes is not Motive's documented way: refused, never ignored.
    const destroy = await call(base, 'PUT', `/v1/users/${created.id}`, { key, body: { phone_country_code: '+1', external_ids_attributes: [{ id: second.id, _destroy: true }] } });
    assert.equal(destroy.status, 422);
    assert.match(String(destroy.body.error_message), /_destroy is not supported/);
    // Re-sending a pair by its own id is no conflict with itself.
    assert.equal((await call(base, 'PUT', `/v1/users/${created.id}`, { key, body: { phone_country_code: '+1', external_ids_attributes: [{ id: String(first.id), external_id: '1b', integration_name: 'a' }] } })).status, 200);
  });

  test("an external id's id that is not the user's is 404; changing a pair onto a taken one is 422; either leaves the user untouched", async () => {
    const key = await newAccount(base);
    const a = user(await call(base, 'POST', '/v1/users', { key, body: minimal({ external_ids_attributes: [{ external_id: 'A', integration_name: 'x' }] }) }));
    const b = user(await call(base, 'POST', '/v1/users', { key, body: minimal({ external_ids_attributes: [{ external_id: 'B', integration_name: 'x' }] }) }));
    const aPair = (a.external_ids as Json[])[0];
    const bPair = (b.external_ids as Json[])[0];
    const foreign = await call(base, 'PUT', `/v1/users/${b.id}`, { key, body: { phone_country_code: '+1', last_name: 'Changed', external_ids_attributes: [{ id: aPair.id, external_id: 'Z' }] } });
    assert.deepEqual([foreign.status, foreign.body], [404, { error_message: `Couldn't find ExternalId with ID=${aPair.id} for User with ID=${b.id}` }]);
    const taken = await call(base, 'PUT', `/v1/users/${b.id}`, { key, body: { phone_country_code: '+1', external_ids_attributes: [{ id: bPair.id, external_id: 'A' }] } });
    assert.deepEqual([taken.status, taken.body.error_message], [422, 'Validation failed: External ids external id has already been taken']);
    assert.deepEqual(user(await call(base, 'GET', `/v1/users/${b.id}`, { key })), b);
    assert.deepEqual(user(await call(base, 'GET', `/v1/users/${a.id}`, { key })), a);
  });

  test('unknown ids are 404 with error_message, for GET and PUT', async () => {
    const key = await newAccount(base);
    for (const res of [
      await call(base, 'GET', '/v1/users/999', { key }),
      await call(base, 'GET', '/v1/users/abc', { key }),
      await call(base, 'PUT', '/v1/users/999', { key, body: minimal() }),
    ]) {
      assert.equal(res.status, 404);
      assert.equal(typeof res.body.error_message, 'string');
    }
  });
});

describe('list and lookups', () => {
  test('list pages with per_page (default 25, max 100) and page_no, filtered by role and status', async () => {
    const key = await newAccount(base);
    await call(base, 'PUT', '/_sandbox/settings', { key, body: { rate_limit_per_minute: 1000 } });
    for (let i = 0; i < 27; i++) await call(base, 'POST', '/v1/users', { key, body: minimal({ username: `u${i}` }) });
    await call(base, 'POST', '/v1/users', { key, body: minimal({ role: 'admin', status: 'deactivated' }) });
    const first = await call(base, 'GET', '/v1/users', { key });
    assert.deepEqual(first.body.pagination, { per_page: 25, page_no: 1, total: 28 });
    const users = first.body.users as Array<{ user: Json }>;
    assert.equal(users.length, 25);
    assert.equal(users[0].user.username, 'u0');
    const second = await call(base, 'GET', '/v1/users?page_no=2', { key });
    assert.equal((second.body.users as unknown[]).length, 3);
    assert.deepEqual((await call(base, 'GET', '/v1/users?per_page=500', { key })).body.pagination, { per_page: 100, page_no: 1, total: 28 });
    const small = await call(base, 'GET', '/v1/users?per_page=10&page_no=3', { key });
    assert.deepEqual([(small.body.users as unknown[]).length, small.body.pagination], [8, { per_page: 10, page_no: 3, total: 28 }]);
    const admins = await call(base, 'GET', '/v1/users?role=admin', { key });
    assert.equal((admins.body.pagination as Json).total, 1);
    assert.equal(((await call(base, 'GET', '/v1/users?status=active', { key })).body.pagination as Json).total, 27);
  });

  test('lookup by email (case-insensitive), username, driver_company_id and phone; 404 otherwise', async () => {
    const key = await newAccount(base);
    const u = user(await call(base, 'POST', '/v1/users', {
      key, body: minimal({ email: 'Ada@x.io', username: 'ada', driver_company_id: 'E-7', phone: '5551234' }),
    }));
    for (const q of ['email=ada%40X.io', 'username=ADA', 'driver_company_id=E-7', 'phone=5551234']) {
      const res = await call(base, 'GET', `/v1/users/lookup?${q}`, { key });
      assert.equal(res.status, 200, q);
      assert.equal(user(res).id, u.id);
    }
    const missing = await call(base, 'GET', '/v1/users/lookup?username=nobody', { key });
    assert.equal(missing.status, 404);
    assert.equal(typeof missing.body.error_message, 'string');
    assert.equal((await call(base, 'GET', '/v1/users/lookup', { key })).status, 400);
  });

  test('lookup_by_external_id finds the exact pair only', async () => {
    const key = await newAccount(base);
    const u = user(await call(base, 'POST', '/v1/users', { key, body: minimal({ external_ids_attributes: [{ external_id: '42', integration_name: 'fleetgate' }] }) }));
    const hit = await call(base, 'GET', '/v1/users/lookup_by_external_id?external_id=42&integration_name=fleetgate', { key });
    assert.equal(user(hit).id, u.id);
    assert.equal((await call(base, 'GET', '/v1/users/lookup_by_external_id?external_id=42&integration_name=other', { key })).status, 404);
    assert.equal((await call(base, 'GET', '/v1/users/lookup_by_external_id?external_id=42', { key })).status, 400);
  });

  test('unknown routes are 404 Motive-style', async () => {
    const res = await call(base, 'GET', '/v2/nothing');
    assert.equal(res.status, 404);
    assert.equal(typeof res.body.error_message, 'string');
  });
});

describe('faults', () => {
  test('status, body and headers replace the answer, in queue order, one per request', async () => {
    const key = await newAccount(base);
    const queued = await call(base, 'POST', '/_sandbox/faults', {
      key,
      body: { faults: [{ status: 503, body: { error_message: 'maintenance' }, headers: { 'Retry-After': '7' } }, { status: 502, body: '<html>Bad Gateway</html>' }, { status: 500 }] },
    });
    assert.deepEqual([queued.status, queued.body], [201, { queued: 3, pending: 3 }]);
    const r1 = await call(base, 'POST', '/v1/users', { key, body: minimal() });
    assert.deepEqual([r1.status, r1.body, r1.headers.get('retry-after')], [503, { error_message: 'maintenance' }, '7']);
    const r2 = await call(base, 'GET', '/v1/users', { key });
    assert.deepEqual([r2.status, r2.text], [502, '<html>Bad Gateway</html>']);
    const r3 = await call(base, 'GET', '/v1/users', { key });
    assert.deepEqual([r3.status, r3.body], [500, { error_message: 'Internal Server Error' }]);
    assert.equal((await call(base, 'GET', '/v1/users', { key })).status, 200);
    // The faulted create never happened.
    assert.equal(((await call(base, 'GET', '/v1/users', { key })).body.pagination as Json).total, 0);
  });

  test('a single fault object is accepted; DELETE clears the queue; bad faults are 422', async () => {
    const key = await newAccount(base);
    await call(base, 'POST', '/_sandbox/faults', { key, body: { status: 500 } });
    await call(base, 'POST', '/_sandbox/faults', { key, body: { status: 500 } });
    assert.deepEqual((await call(base, 'DELETE', '/_sandbox/faults', { key })).body, { cleared: 2, pending: 0 });
    assert.equal((await call(base, 'GET', '/v1/users', { key })).status, 200);
    assert.equal((await call(base, 'POST', '/_sandbox/faults', { key, body: { status: 'boom' } })).status, 422);
    assert.equal((await call(base, 'POST', '/_sandbox/faults', { key, body: { delay_ms: -1 } })).status, 422);
  });

  test('delay_ms makes the client time out; a delay-only fault then answers normally', async () => {
    const key = await newAccount(base);
    await call(base, 'POST', '/_sandbox/faults', { key, body: { faults: [{ delay_ms: 400 }, { delay_ms: 150 }] } });
    await assert.rejects(call(base, 'GET', '/v1/users', { key, signal: AbortSignal.timeout(100) }), /TimeoutError|aborted/i);
    await new Promise((r) => setTimeout(r, 350)); // let the first delayed answer finish
    const started = Date.now();
    const res = await call(base, 'POST', '/v1/users', { key, body: minimal() });
    assert.equal(res.status, 201);
    assert.ok(Date.now() - started >= 140, 'answer was delayed');
  });

  test('after_apply performs the write and loses the response', async () => {
    const key = await newAccount(base);
    await call(base, 'POST', '/_sandbox/faults', { key, body: { status: 500, after_apply: true } });
    const res = await call(base, 'POST', '/v1/users', { key, body: minimal({ username: 'lost' }) });
    assert.equal(res.status, 500);
    const found = await call(base, 'GET', '/v1/users/lookup?username=lost', { key });
    assert.equal(found.status, 200);
    // A retry of the same create now meets the user it already made.
    assert.equal((await call(base, 'POST', '/v1/users', { key, body: minimal({ username: 'lost' }) })).status, 422);
  });

  test('after_apply with only a delay writes first, then times the client out', async () => {
    const key = await newAccount(base);
    await call(base, 'POST', '/_sandbox/faults', { key, body: { delay_ms: 300, after_apply: true } });
    await assert.rejects(call(base, 'POST', '/v1/users', { key, body: minimal({ username: 'slow' }), signal: AbortSignal.timeout(80) }));
    assert.equal((await call(base, 'GET', '/v1/users/lookup?username=slow', { key })).status, 200);
  });

  test('the latency setting delays every /v1 answer', async () => {
    const key = await newAccount(base);
    const set = await call(base, 'PUT', '/_sandbox/settings', { key, body: { latency_ms: 120 } });
    assert.deepEqual(set.body, { rate_limit_per_minute: 60, latency_ms: 120 });
    const started = Date.now();
    assert.equal((await call(base, 'GET', '/v1/users', { key })).status, 200);
    assert.ok(Date.now() - started >= 110);
    assert.deepEqual((await call(base, 'GET', '/_sandbox/settings', { key })).body, { rate_limit_per_minute: 60, latency_ms: 120 });
  });

  test('settings are validated', async () => {
    const key = await newAccount(base);
    for (const body of [{ rate_limit_per_minute: 0 }, { rate_limit_per_minute: 1.5 }, { latency_ms: -1 }, { latncy_ms: 5 }]) {
      const res = await call(base, 'PUT', '/_sandbox/settings', { key, body });
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(typeof res.body.error_message, 'string');
    }
  });
});

describe('rate limit (sliding 60 s window, injectable clock)', () => {
  let clock = 1_700_000_000_000;
  let rl: Awaited<ReturnType<typeof startMotiveSandbox>>;
  before(async () => {
    rl = await startMotiveSandbox({ port: 0, now: () => clock });
  });
  after(async () => rl.close());

  test('the default is 60 per minute', async () => {
    const key = await newAccount(rl.url);
    for (let i = 0; i < 60; i++) assert.equal((await call(rl.url, 'GET', '/v1/users', { key })).status, 200);
    assert.equal((await call(rl.url, 'GET', '/v1/users', { key })).status, 429);
  });

  test('over the limit is 429 with Retry-After; the window slides; 429s do not count', async () => {
    const key = await newAccount(rl.url);
    assert.equal((await call(rl.url, 'PUT', '/_sandbox/settings', { key, body: { rate_limit_per_minute: 3 } })).status, 200);
    const t0 = clock;
    for (let i = 0; i < 3; i++) {
      assert.equal((await call(rl.url, 'GET', '/v1/users', { key })).status, 200);
      clock += 10_000; // admitted at t0, t0+10s, t0+20s
    }
    const limited = await call(rl.url, 'GET', '/v1/users', { key }); // at t0+30s
    assert.equal(limited.status, 429);
    assert.deepEqual(limited.body, { error_message: 'Rate limit exceeded' });
    assert.equal(limited.headers.get('retry-after'), '30');
    // Control endpoints are not limited.
    assert.equal((await call(rl.url, 'GET', '/_sandbox/settings', { key })).status, 200);
    clock = t0 + 59_500;
    assert.equal((await call(rl.url, 'GET', '/v1/users', { key })).headers.get('retry-after'), '1');
    clock = t0 + 60_000; // the first admission leaves the window
    assert.equal((await call(rl.url, 'GET', '/v1/users', { key })).status, 200);
    const again = await call(rl.url, 'GET', '/v1/users', { key });
    assert.equal(again.status, 429);
    assert.equal(again.headers.get('retry-after'), '10'); // the t0+10s admission frees next
    // Rejected requests were not counted: exactly one slot per freed admission.
    clock = t0 + 70_000;
    assert.equal((await call(rl.url, 'GET', '/v1/users', { key })).status, 200);
    assert.equal((await call(rl.url, 'GET', '/v1/users', { key })).status, 429);
  });

  test('each account has its own window', async () => {
    const a = await newAccount(rl.url);
    const b = await newAccount(rl.url);
    await call(rl.url, 'PUT', '/_sandbox/settings', { key: a, body: { rate_limit_per_minute: 1 } });
    assert.equal((await call(rl.url, 'GET', '/v1/users', { key: a })).status, 200);
    assert.equal((await call(rl.url, 'GET', '/v1/users', { key: a })).status, 429);
    assert.equal((await call(rl.url, 'GET', '/v1/users', { key: b })).status, 200);
  });
});

describe('request log', () => {
  test('lists requests newest last with status and response body, password masked', async () => {
    const key = await newAccount(base);
    await call(base, 'POST', '/v1/users', { key, body: minimal({ password: 'hunter2' }) });
    await call(base, 'GET', '/v1/users?role=driver', { key });
    await call(base, 'POST', '/v1/users', { key, raw: '{"password": "s3cret", ' });
    const res = await call(base, 'GET', '/_sandbox/requests', { key });
    const log = res.body.requests as Json[];
    assert.equal(log.length, 3);
    assert.equal(log[0].method, 'POST');
    assert.equal(log[0].path, '/v1/users');
    assert.equal(log[0].status, 201);
    assert.equal((log[0].body as Json).password, '[REDACTED]');
    assert.equal(((log[0].response_body as Json).user as Json).first_name, 'Ada');
    assert.deepEqual([log[1].method, log[1].query, log[1].status], ['GET', { role: 'driver' }, 200]);
    assert.equal(log[2].status, 400);
    assert.match(String(log[0].at), /^\d{4}-\d\d-\d\dT.*Z$/);
    assert.doesNotMatch(res.text, /hunter2|s3cret/);
  });

  test('keeps only the last 1000 requests per account', async () => {
    const state = await createMotiveSandboxState();
    const { api_key } = state.createAccount();
    const account = state.findAccount(api_key);
    assert.ok(account);
    for (let i = 0; i < 1005; i++) {
      account.logRequest({ at: '', method: 'GET', path: `/v1/users/${i}`, query: {}, body: null, status: 200, response_body: null });
    }
    assert.equal(account.requests.length, 1000);
    assert.equal(account.requests[0].path, '/v1/users/5');
    assert.equal(account.requests[999].path, '/v1/users/1004');
  });
});

describe('state file', () => {
  test('the writer paces itself: a write waits 20 times as long as the last one took (100 ms to 5 s)', async () => {
    assert.equal(debounceAfter(0), 100);
    assert.equal(debounceAfter(2), 100);
    assert.equal(debounceAfter(30), 600);
    assert.equal(debounceAfter(1_000), 5_000);
    const dir = await mkdtemp(join(tmpdir(), 'motive-sbx-'));
    try {
      let snapshots = 0;
      // A snapshot that takes 15 ms of the thread, as a big state does.
      const writer = new DebouncedStateWriter(join(dir, 's.json'), () => {
        snapshots++;
        const until = performance.now() + 15;
        while (performance.now() < until);
        return { version: 1, accounts: [] };
      });
      writer.schedule();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(snapshots, 1, 'the first change is written after 100 ms');
      writer.schedule();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(snapshots, 1, 'after a 15 ms write the next waits about 300 ms, not 100');
      // Due about 300 ms after the change (20 x 15 ms); a slow turn makes it later, never much.
      await new Promise((r) => setTimeout(r, 1_500));
      assert.equal(snapshots, 2);
      writer.schedule();
      await writer.flush();
      assert.equal(snapshots, 3, 'flush (close) writes at once');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('accounts, users and settings survive a restart; the password is not stored in clear', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'motive-sbx-'));
    const stateFile = join(dir, 'nested', 'motive.json');
    // Servers are closed in `finally`: one left listening after a failed assertion would hang the run.
    let first: Awaited<ReturnType<typeof startMotiveSandbox>> | undefined;
    try {
      first = await startMotiveSandbox({ port: 0, stateFile });
      const key = await newAccount(first.url);
      await call(first.url, 'PUT', '/_sandbox/settings', { key, body: { rate_limit_per_minute: 42 } });
      const created = user(await call(first.url, 'POST', '/v1/users', { key, body: minimal({ username: 'keep', password: 'plaintext-pw', external_ids_attributes: [{ external_id: 'e', integration_name: 'i' }] }) }));
      await new Promise((r) => setTimeout(r, 250)); // debounced write lands without close()
      const written = await readFile(stateFile, 'utf8');
      assert.match(written, /"keep"/);
      assert.doesNotMatch(written, /plaintext-pw/);
      await call(first.url, 'PUT', `/v1/users/${created.id}`, { key, body: { phone_country_code: '+1', last_name: 'Flushed' } });
      await first.close(); // flushes the pending write
      first = undefined;

      const second = await startMotiveSandbox({ port: 0, stateFile });
      try {
        const got = user(await call(second.url, 'GET', `/v1/users/${created.id}`, { key }));
        assert.equal(got.last_name, 'Flushed');
        assert.equal(got.username, 'keep');
        assert.deepEqual((await call(second.url, 'GET', '/_sandbox/settings', { key })).body, { rate_limit_per_minute: 42, latency_ms: 0 });
        const next = user(await call(second.url, 'POST', '/v1/users', { key, body: minimal() }));
        assert.ok((next.id as number) > (created.id as number), 'ids keep increasing after restart');
        assert.equal((await call(second.url, 'GET', '/v1/users/lookup_by_external_id?external_id=e&integration_name=i', { key })).status, 200);
      } finally {
        await second.close();
      }
    } finally {
      await first?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a state file from before external ids had ids loads with an id for each, never one reused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'motive-sbx-'));
    const stateFile = join(dir, 'motive.json');
    try {
      const first = await startMotiveSandbox({ port: 0, stateFile });
      const key = await newAccount(first.url);
      const pairs = [{ external_id: 'old-1', integration_name: 'i' }, { external_id: 'old-2', integration_name: 'i' }];
      const created = user(await call(first.url, 'POST', '/v1/users', { key, body: minimal({ external_ids_attributes: pairs }) }));
      await first.close();
      // Rewrite the file as the sandbox wrote it before: pairs without ids, no id sequence.
      const strip = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(strip);
        if (typeof v !== 'object' || v === null) return v;
        const o = v as Json;
        const isPair = 'external_id' in o && 'integration_name' in o;
        return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'next_external_id' && !(isPair && k === 'id')).map(([k, x]) => [k, strip(x)]));
      };
      const { writeFile } = await import('node:fs/promises');
      const old = strip(JSON.parse(await readFile(stateFile, 'utf8')));
      assert.doesNotMatch(JSON.stringify(old), /next_external_id/);
      await writeFile(stateFile, JSON.stringify(old));
      const second = await startMotiveSandbox({ port: 0, stateFile });
      try {
        const loaded = (user(await call(second.url, 'GET', `/v1/users/${created.id}`, { key })).external_ids as Json[]);
        assert.deepEqual(loaded.map((e) => [e.external_id, typeof e.id]), [['old-1', 'number'], ['old-2', 'number']]);
        const added = user(await call(second.url, 'POST', '/v1/users', { key, body: minimal({ external_ids_attributes: [{ external_id: 'new', integration_name: 'i' }] }) }));
        const ids = [...loaded, ...(added.external_ids as Json[])].map((e) => e.id);
        assert.equal(new Set(ids).size, 3, `ids ${ids.join()} are distinct`);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('createAccount called directly (as the demo does) is persisted on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'motive-sbx-'));
    const stateFile = join(dir, 'motive.json');
    try {
      const state = await createMotiveSandboxState({ stateFile });
      const { api_key } = state.createAccount();
      await state.close();
      const reloaded = await createMotiveSandboxState({ stateFile });
      assert.ok(reloaded.findAccount(api_key));
      await reloaded.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('mounted under a prefix in another Fastify app', () => {
  let hostUrl = '';
  let host: FastifyInstance;
  let key = '';
  before(async () => {
    const app = Fastify({ logger: false });
    host = app;
    // The host's own envelope, which must not leak into the sandbox's answers.
    app.setErrorHandler((_err, _req, reply) => reply.code(418).send({ code: 'host', message: 'host error' }));
    app.setNotFoundHandler((_req, reply) => reply.code(404).send({ code: 'not_found', message: 'host 404' }));
    host.get('/health', async () => ({ ok: true }));
    const state = await createMotiveSandboxState();
    key = state.createAccount().api_key;
    await host.register(motiveSandboxPlugin, { prefix: '/sandbox/motive', state });
    await host.listen({ port: 0, host: '127.0.0.1' });
    const addr = host.server.address();
    hostUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  after(async () => host.close());

  test('answers Motive-style for success, 401, 422, 400 and 404 under its prefix', async () => {
    const p = '/sandbox/motive';
    assert.equal((await call(hostUrl, 'POST', `${p}/v1/users`, { key, body: minimal() })).status, 201);
    assert.deepEqual(Object.keys((await call(hostUrl, 'GET', `${p}/v1/users`, { key: 'x' })).body), ['error_message']);
    const invalid = await call(hostUrl, 'POST', `${p}/v1/users`, { key, body: {} });
    assert.deepEqual([invalid.status, Object.keys(invalid.body)], [422, ['error_message']]);
    const malformed = await call(hostUrl, 'POST', `${p}/v1/users`, { key, raw: '{' });
    assert.deepEqual([malformed.status, Object.keys(malformed.body)], [400, ['error_message']]);
    const missing = await call(hostUrl, 'GET', `${p}/v1/nothing`, { key });
    assert.deepEqual([missing.status, Object.keys(missing.body)], [404, ['error_message']]);
    const account = await call(hostUrl, 'POST', `${p}/_sandbox/accounts`);
    assert.equal(account.status, 201);
  });

  test('the host keeps its own shape outside the prefix; the log shows prefix-free paths', async () => {
    assert.deepEqual((await call(hostUrl, 'GET', '/elsewhere')).body, { code: 'not_found', message: 'host 404' });
    assert.deepEqual((await call(hostUrl, 'GET', '/health')).body, { ok: true });
    const log = (await call(hostUrl, 'GET', '/sandbox/motive/_sandbox/requests', { key })).body.requests as Json[];
    assert.equal(log[0].path, '/v1/users');
  });
});
