// Contract between the Geotab adapter (src/tsps/geotab) and the Geotab sandbox (src/sandbox/geotab), which
// each read Geotab's object model on their own (issue 14): every value and member the adapter can send is
// one the sandbox accepts and interprets, and every search the adapter makes uses criteria the sandbox
// implements. A disagreement means one of them misreads Geotab: look the value up in both sources.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HOS_RULESET_CODES } from '../src/contract/enums.ts';
import type { UserAttributes } from '../src/contract/resources/users.ts';
import { startGeotabSandbox } from '../src/sandbox/geotab/index.ts';
import { DEVICE_MAX_LENGTH, DEVICE_SEARCH_IMPLEMENTED, DEVICE_TYPES, GROUP_PARENTS, TRAILER_MAX_NAME, TRAILER_SEARCH_IMPLEMENTED } from '../src/sandbox/geotab/asset-vendor.ts';
import { USER_FIELDS } from '../src/sandbox/geotab/user-model.ts';
import * as sandbox from '../src/sandbox/geotab/vendor.ts';
import { DVIR_LOG_TYPES, FUEL_PRODUCT_TYPES, WRITE_RATE_LIMITS } from '../src/sandbox/geotab/writes-vendor.ts';
import { ASSET_RATE_LIMITS } from '../src/sandbox/geotab/asset-vendor.ts';
import { GEOTAB } from '../src/tsps/geotab/descriptor.ts';
import { geotabAdapter } from '../src/tsps/geotab/index.ts';
import * as adapter from '../src/tsps/geotab/native.ts';
import { GEOTAB_DEVICE_MAX_LENGTH, GEOTAB_DEVICE_TYPES, GEOTAB_TRAILER_GROUPS, GEOTAB_TRAILER_MAX_NAME, GEOTAB_VEHICLE_GROUPS } from '../src/tsps/geotab/assets-native.ts';
import { GEOTAB_HOS, mapUserToGeotab } from '../src/tsps/geotab/users/mapping.ts';
import { GEOTAB_DVIR_LOG_TYPES, GEOTAB_FUEL_PRODUCT_TYPES, WRITE_RATE_LIMITS as ADAPTER_WRITE_LIMITS } from '../src/tsps/geotab/writes-native.ts';
import { clearGeotabSessions } from '../src/tsps/geotab/session.ts';
import type { TspTarget } from '../src/tsps/kit/types.ts';
import { usersOf } from './helpers/adapters.ts';
import { geotabControl, jsonHttp } from './helpers/sandbox-http.ts';
import type { GeotabAccount, Json } from './helpers/sandbox-http.ts';

const sorted = (values: Iterable<string>) => [...values].sort();
const subset = (sent: Iterable<string>, accepted: Iterable<string>, what: string) => {
  const known = new Set(accepted);
  assert.deepEqual([...sent].filter((v) => !known.has(v)), [], `${what} the adapter sends that the sandbox does not accept`);
};

describe('the vocabulary both read from Geotab agrees', () => {
  test('HosRuleSet: the same values; every code the adapter maps lands on one of them', () => {
    assert.deepEqual(sorted(adapter.GEOTAB_HOS_RULESETS), sorted(sandbox.HOS_RULESETS));
    subset(Object.values(GEOTAB_HOS).flatMap((v) => (typeof v === 'string' ? [v] : [])), sandbox.HOS_RULESETS, 'hosRuleSet values');
  });

  test('User: groups, authentication types, lengths', () => {
    subset(adapter.GEOTAB_SECURITY_GROUPS, sandbox.SECURITY_GROUPS, 'security groups');
    subset(adapter.GEOTAB_ORGANISATION_GROUPS, sandbox.ORGANISATION_GROUPS, 'organisation groups');
    subset(adapter.GEOTAB_AUTHENTICATION_TYPES, sandbox.AUTHENTICATION_TYPES, 'authentication types');
    assert.deepEqual(adapter.GEOTAB_MAX_LENGTH, sandbox.MAX_LENGTH);
    assert.equal(adapter.GEOTAB_ACTIVE_FOREVER, sandbox.ACTIVE_FOREVER);
    // Every error type the adapter classifies for a sandbox answer exists there (JsonSerializationException no longer does).
    subset(adapter.GEOTAB_ERROR_TYPES.filter((t) => t !== 'JsonSerializationException'), sandbox.ERROR_TYPES, 'error types');
  });

  test('Device, Trailer, FuelTransaction, DVIRLog: types, groups, lengths, rate limits', () => {
    subset(GEOTAB_DEVICE_TYPES, DEVICE_TYPES, 'device types');
    assert.deepEqual(GEOTAB_DEVICE_MAX_LENGTH, DEVICE_MAX_LENGTH);
    assert.equal(GEOTAB_TRAILER_MAX_NAME, TRAILER_MAX_NAME);
    subset([...GEOTAB_VEHICLE_GROUPS, ...GEOTAB_TRAILER_GROUPS].map((g) => g.id), Object.keys(GROUP_PARENTS), 'asset groups');
    subset(GEOTAB_FUEL_PRODUCT_TYPES, FUEL_PRODUCT_TYPES, 'fuel product types');
    subset(GEOTAB_DVIR_LOG_TYPES, DVIR_LOG_TYPES, 'DVIR log types');
    // The adapter's classes (it never Sets a DVIRLog) at the sandbox's limits.
    for (const [rateClass, limit] of Object.entries(ADAPTER_WRITE_LIMITS)) {
      assert.equal((WRITE_RATE_LIMITS as Record<string, number>)[rateClass], limit, rateClass);
    }
    for (const [rateClass, entry] of Object.entries(GEOTAB.rateLimit.classes ?? {})) {
      const sandboxLimit = ({ ...ASSET_RATE_LIMITS, ...WRITE_RATE_LIMITS } as Record<string, number>)[rateClass];
      if (sandboxLimit !== undefined) assert.equal(entry.perMinute, sandboxLimit, rateClass);
    }
  });
});

describe('what the adapter sends, the sandbox takes', () => {
  let server: Awaited<ReturnType<typeof startGeotabSandbox>>;
  before(async () => {
    server = await startGeotabSandbox({ port: 0 });
  });
  after(async () => server.close());

  const full = (n: number, hos: string): UserAttributes => ({
    username: `c${n}@fleet.example`, is_active: true, status: 'ACTIVE', is_driver: true, user_designation: 'DRIVER',
    first_name: 'Jo', last_name: 'Doe', phone_number: '5551234567', phone_country_code: '+1', country_code: 'CAN',
    license_region: 'BC', license_number: `L${n}`, employee_number: `E${n}`, carrier_number: '123', notes: 'n',
    hos_ruleset_code: hos as UserAttributes['hos_ruleset_code'], allow_yard_move: true, allow_personal_conveyance: true,
    allow_adverse_driving: false, default_time_zone: 'America/Vancouver', dot_id: '1234567',
    hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic',
  });

  test('every member of every user entity the adapter maps is one the sandbox interprets', () => {
    const members = new Set([...Object.keys(USER_FIELDS), ...Object.keys(sandbox.USER_KEPT_MEMBERS), 'id', 'password']);
    HOS_RULESET_CODES.forEach((code, n) => {
      const r = mapUserToGeotab({ operation: 'create', changes: full(n, code), merged: full(n, code) });
      if (!r.ok) return;
      subset(Object.keys(r.body), members, `User members (${code})`);
    });
  });

  test('the adapter\'s creates, with every ruleset it maps, and its updates and deactivations, all succeed; its searches use implemented criteria', async () => {
    clearGeotabSessions();
    const a = (await jsonHttp(`${server.url}/_sandbox/accounts`, 'POST')).body as GeotabAccount;
    const target: TspTarget = { baseUrl: server.url, credentials: { database: a.database, username: a.userName, password: a.password } };
    const users = usersOf(geotabAdapter);
    const codes = HOS_RULESET_CODES.filter((c) => typeof GEOTAB_HOS[c] === 'string');
    let last: { id: string; user: UserAttributes } | undefined;
    for (const [n, code] of codes.entries()) {
      const user = full(n, code);
      const r = await users.write(target, { operation: 'create', changes: user, merged: user, externalId: `x${n}` }, { timeoutMs: 5000 });
      assert.equal(r.ok, true, `${code}: ${r.errorDetails}`);
      last = { id: r.sourceId as string, user };
    }
    const { id, user } = last!;
    const changes: UserAttributes = { last_name: 'Roe', hos_ruleset_code: 'CA_N60_OIL_TEAM', is_active: false, status: 'INACTIVE' };
    const r = await users.write(target, { operation: 'update', changes, merged: { ...user, ...changes }, externalId: 'x', sourceId: id }, { timeoutMs: 5000 });
    assert.equal(r.ok, true, r.errorDetails);

    const log = (await geotabControl(server.url, a, 'GET', '/_sandbox/requests')).requests as Json[];
    assert.deepEqual(log.filter((e) => e.response.error).map((e) => `${e.method}: ${e.response.error.message}`), []);
    const implemented: Record<string, readonly string[]> = {
      User: sandbox.USER_SEARCH_IMPLEMENTED, Device: DEVICE_SEARCH_IMPLEMENTED, Trailer: TRAILER_SEARCH_IMPLEMENTED,
    };
    const gets = log.filter((e) => e.method === 'Get');
    assert.ok(gets.length > 0);
    for (const g of gets) subset(Object.keys(g.params.search ?? {}), implemented[g.params.typeName as string], `${g.params.typeName}Search criteria`);
  });
});
