// Contract: what the Motive adapter can send against what the Motive sandbox accepts. The two keep
// their vocabularies apart (src/tsps/motive/native.ts, src/sandbox/motive/vendor.ts and fleet-vendor.ts,
// each from Motive's own material), so a wrong fact on either side shows up here as a disagreement:
// every value list of the adapter must lie inside the sandbox's, and every body the adapter maps for a
// value it does not refuse must be accepted by the sandbox over HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HOS_RULESET_CODES, TIME_ZONES } from '../src/contract/enums.ts';
import type { UserAttributes } from '../src/contract/resources/users.ts';
import { startMotiveSandbox } from '../src/sandbox/motive/index.ts';
import { ASSET_TYPES, FUEL_TYPES } from '../src/sandbox/motive/fleet-vendor.ts';
import { USER_FIELDS } from '../src/sandbox/motive/user-model.ts';
import * as sandboxVocabulary from '../src/sandbox/motive/vendor.ts';
import { MOTIVE_ASSET_TYPES, MOTIVE_FUEL_TYPES } from '../src/tsps/motive/fleet-native.ts';
import * as adapterVocabulary from '../src/tsps/motive/native.ts';
import { mapUserToMotive, MOTIVE_FIELD_SUPPORT, MOTIVE_HOS, MOTIVE_ZONE_FOR_IANA } from '../src/tsps/motive/users/mapping.ts';
import { mapVehicleToMotive } from '../src/tsps/motive/vehicles/mapping.ts';
import { mapTrailerToMotive } from '../src/tsps/motive/trailers/mapping.ts';
import { motiveCall } from './helpers/sandbox-http.ts';
import type { Json } from './helpers/sandbox-http.ts';

const within = (what: string, adapter: Iterable<string>, sandbox: Iterable<string>): void => {
  const accepted = new Set(sandbox);
  assert.deepEqual([...adapter].filter((v) => !accepted.has(v)), [], `${what}: values the adapter can send that the sandbox refuses`);
};

describe('value lists: the adapter sends nothing outside what the sandbox takes from Motive', () => {
  test('users', () => {
    within('cycle', adapterVocabulary.MOTIVE_CYCLES, sandboxVocabulary.CYCLES);
    within('time_zone', adapterVocabulary.MOTIVE_TIME_ZONE_NAMES, sandboxVocabulary.TIME_ZONE_NAMES);
    within('role', adapterVocabulary.MOTIVE_ROLES, sandboxVocabulary.ROLES);
    within('status', adapterVocabulary.MOTIVE_USER_STATUSES, sandboxVocabulary.USER_STATUSES);
    within('eld_mode', adapterVocabulary.MOTIVE_ELD_MODES, sandboxVocabulary.ELD_MODES);
    within('time_tracking_mode', adapterVocabulary.MOTIVE_TIME_TRACKING_MODES, sandboxVocabulary.TIME_TRACKING_MODES);
    within('exception flags', adapterVocabulary.MOTIVE_EXCEPTION_FLAGS, sandboxVocabulary.EXCEPTION_FLAGS);
    within('mapped cycles', Object.values(MOTIVE_HOS).flatMap((e) => ('cycle' in e ? [e.cycle] : [])), sandboxVocabulary.CYCLES);
    within('mapped zones', Object.values(MOTIVE_ZONE_FOR_IANA).filter((z): z is string => typeof z === 'string'), sandboxVocabulary.TIME_ZONE_NAMES);
  });

  test('the eld_mode / time_tracking_mode rule is the same on both sides, pair by pair', () => {
    for (const ttm of sandboxVocabulary.TIME_TRACKING_MODES) {
      for (const eld of sandboxVocabulary.ELD_MODES) {
        assert.equal(adapterVocabulary.timeTrackingAllowsEldMode(ttm, eld), sandboxVocabulary.timeTrackingAllowsEldMode(ttm, eld), `${eld}/${ttm}`);
      }
    }
  });

  test('vehicles and assets', () => {
    within('fuel_type', MOTIVE_FUEL_TYPES, FUEL_TYPES);
    within('asset type', MOTIVE_ASSET_TYPES, ASSET_TYPES);
  });
});

let sandbox: Awaited<ReturnType<typeof startMotiveSandbox>>;
let key = '';
before(async () => {
  sandbox = await startMotiveSandbox({ port: 0 });
  key = sandbox.state.createAccount().api_key;
  const res = await motiveCall(sandbox.url, 'PUT', '/_sandbox/settings', key, { rate_limit_per_minute: 1_000_000 });
  assert.equal(res.status, 200);
});
after(async () => sandbox.close());

let seq = 0;
const nextId = (): string => `contract-${++seq}`;
const send = (method: string, path: string, body: unknown) => motiveCall(sandbox.url, method, path, key, body);

function mappedUser(operation: 'create' | 'update', changes: UserAttributes, merged: UserAttributes = changes): Record<string, unknown> {
  const result = mapUserToMotive({ operation, changes, merged, externalId: nextId() });
  assert.ok(result.ok, JSON.stringify(result));
  return result.body;
}

const base = (): UserAttributes => ({ first_name: 'Con', last_name: 'Tract', phone_country_code: '+1' });

describe('bodies: every user body the adapter maps is accepted by the sandbox', () => {
  test('every body key is a field the sandbox reads (nothing silently dropped by strong params)', () => {
    const known = new Set([...USER_FIELDS.map((f) => f.name), 'password', 'external_ids_attributes']);
    const full: UserAttributes = {
      ...base(),
      username: 'contract.full', user_email: 'full@example.com', phone_number: '5551234567', is_active: true, is_driver: true,
      license_number: 'D1', license_region: 'TX', employee_number: 'E-1', dot_id: '123', hos_ruleset_code: 'US_INT_PROP_70_8_SH',
      allow_yard_move: true, allow_personal_conveyance: true, allow_adverse_driving: true, default_time_zone: 'America/Chicago',
      hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic',
    };
    const body = mappedUser('create', full);
    assert.deepEqual(Object.keys(body).filter((k) => !known.has(k)), []);
  });

  test('every HOS ruleset the adapter writes', async () => {
    const codes = HOS_RULESET_CODES.filter((code) => 'cycle' in MOTIVE_HOS[code]);
    assert.ok(codes.length > 0);
    for (const code of codes) {
      const res = await send('POST', '/v1/users', mappedUser('create', { ...base(), hos_ruleset_code: code }));
      assert.equal(res.status, 201, `${code}: ${JSON.stringify(res.body)}`);
    }
  });

  test('every time zone the adapter writes', async () => {
    const zones = TIME_ZONES.filter((zone) => typeof MOTIVE_ZONE_FOR_IANA[zone] === 'string');
    assert.ok(zones.length > 0);
    for (const zone of zones) {
      const res = await send('POST', '/v1/users', mappedUser('create', { ...base(), default_time_zone: zone }));
      assert.equal(res.status, 201, `${zone}: ${JSON.stringify(res.body)}`);
    }
  });

  test('every HOS tracking mode, role and status the adapter writes', async () => {
    const variants: UserAttributes[] = [
      { hos_compliance_type: 'exempt' },
      { hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic' },
      { hos_compliance_type: 'non_exempt', hos_tracking_method: 'manual' },
      { is_driver: false, user_designation: 'ADMIN' },
      { is_driver: false, user_designation: 'Dispatcher' },
      { status: 'INACTIVE' },
    ];
    for (const v of variants) {
      const res = await send('POST', '/v1/users', mappedUser('create', { ...base(), ...v }));
      assert.equal(res.status, 201, `${JSON.stringify(v)}: ${JSON.stringify(res.body)}`);
    }
  });

  test('every clear the adapter sends on update is accepted and reads back cleared', async () => {
    const before: UserAttributes = {
      ...base(), user_email: 'clear@example.com', phone_number: '5550001111', employee_number: 'E-9', license_number: 'L-9', license_region: 'CA',
      allow_yard_move: true, allow_personal_conveyance: true,
    };
    const created = await send('POST', '/v1/users', mappedUser('create', before));
    assert.equal(created.status, 201);
    const clears: UserAttributes = { user_email: null, phone_number: null, employee_number: null, license_number: null, license_region: null, allow_yard_move: null, allow_personal_conveyance: null };
    const body = mappedUser('update', clears, { ...before, ...clears });
    const res = await send('PUT', `/v1/users/${created.body.user.id}`, body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const u = res.body.user as Json;
    for (const [field, value] of Object.entries(body)) if (field !== 'phone_country_code') assert.equal(u[field], value, field);
  });

  test('a null on update, for every user field: refused by the adapter at submit, or accepted by the sandbox', async () => {
    const before: UserAttributes = {
      ...base(), username: 'contract.nulls', user_email: 'nulls@example.com', phone_number: '5550002222', employee_number: 'E-8', dot_id: '99',
      hos_ruleset_code: 'US_INT_PROP_70_8', default_time_zone: 'America/Chicago', hos_compliance_type: 'non_exempt', hos_tracking_method: 'manual',
    };
    const created = await send('POST', '/v1/users', mappedUser('create', before));
    assert.equal(created.status, 201);
    const sentToMotive: string[] = [];
    for (const field of Object.keys(MOTIVE_FIELD_SUPPORT) as Array<keyof UserAttributes>) {
      const changes: UserAttributes = { [field]: null };
      const result = mapUserToMotive({ operation: 'update', changes, merged: { ...before, ...changes }, externalId: nextId() });
      if (!result.ok) continue;
      const res = await send('PUT', `/v1/users/${created.body.user.id}`, result.body);
      assert.equal(res.status, 200, `${field}: the adapter sends ${JSON.stringify(result.body)}, the sandbox answers ${JSON.stringify(res.body)}`);
      sentToMotive.push(field);
    }
    assert.ok(sentToMotive.includes('user_email') && !sentToMotive.includes('hos_ruleset_code'), sentToMotive.join());
  });

  test('a retried create (the same external id) is refused by the sandbox, so the adapter has something to look up', async () => {
    const write = { operation: 'create' as const, changes: base(), merged: base(), externalId: nextId() };
    const result = mapUserToMotive(write);
    assert.ok(result.ok);
    assert.equal((await send('POST', '/v1/users', result.body)).status, 201);
    assert.equal((await send('POST', '/v1/users', result.body)).status, 422);
  });
});

describe('bodies: vehicles and trailers', () => {
  test('a full vehicle and a full trailer as the adapter maps them are accepted', async () => {
    const vehicle = mapVehicleToMotive({
      operation: 'create',
      changes: { vehicle_name: 'V-1', vin: '1FTFW1E50PFA00001', oem: 'Ford', model_type: 'F-150', model_year: 2023, license_plate_number: 'ABC123', license_plate_region: 'TX', engine_type: 'DIESEL', status: 'ACTIVE', notes: 'n', odometer_unit: 'km' },
      merged: {},
      externalId: nextId(),
    });
    assert.ok(vehicle.ok, JSON.stringify(vehicle));
    const v = await send('POST', '/v1/vehicles', vehicle.body);
    assert.equal(v.status, 201, JSON.stringify(v.body));
    const trailer = mapTrailerToMotive({
      operation: 'create',
      changes: { trailer_name: 'T-1', trailer_type: 'FLATBED', oem: 'Utility', model_type: '4000D-X', model_year: 2020, vin: '1UYVS2530LU000001', license_plate_number: 'TRL1', license_plate_region: 'TX', status: 'ACTIVE' },
      merged: {},
      externalId: nextId(),
    });
    assert.ok(trailer.ok, JSON.stringify(trailer));
    const a = await send('POST', '/v1/assets', trailer.body);
    assert.equal(a.status, 201, JSON.stringify(a.body));
  });
});
