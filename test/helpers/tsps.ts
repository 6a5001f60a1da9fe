// One fixture per TSP, so the users suite runs unchanged against every TSP: an account in the app's
// built-in sandbox, a connection to it, the TSP's own way to read a user back and to inject faults.
import assert from 'node:assert/strict';
import type { Partner, TestApp } from './app.ts';
import { call } from './app.ts';

export type FaultKind = 'transient' | 'rate_limited_1s' | 'validation' | 'lost_response';

export interface TspConnection {
  connectionId: string;
  fault(kind: FaultKind): Promise<void>;
  /** The user as the TSP stores it. */
  native(sourceId: string): Promise<Record<string, any>>; // `any`: each TSP's native shape, read field by field
  /** Users the partner's writes made at the TSP (the sandbox's own users excluded). */
  userCount(): Promise<number>;
  /** The TSP's first name of a native user (Samsara keeps one `name`). */
  firstName(native: Record<string, any>): string;
}

export interface TspFixture {
  tsp: 'motive' | 'samsara' | 'geotab';
  connect(t: TestApp, partner: Partner): Promise<TspConnection>;
  /**
   * Fields the TSP has no column for but whose value it represents all the same, so they are not
   * "dropped" (Samsara: user_designation DRIVER is what a Samsara driver is).
   */
  representedOtherwise?: string[];
  /**
   * For the full user below: what the TSP must hold, by its own field names (an object, or a list of
   * objects, names the members it must have: the TSP adds its own, such as a Motive external id's `id`).
   */
  expectedNative(resourceId: string): Record<string, unknown>;
}

/** Asserts the native record holds what `expectedNative` says, by the rule written there. */
export function assertHoldsNative(native: Record<string, any>, expected: Record<string, unknown>, tsp: string): void {
  const holds = (actual: any, want: unknown, label: string): void => {
    if (Array.isArray(want) && want.every((w) => w && typeof w === 'object')) {
      assert.ok(Array.isArray(actual) && actual.length === want.length, `${label}: ${JSON.stringify(actual)}`);
      want.forEach((w, i) => holds(actual[i], w, `${label}[${i}]`));
    } else if (want && typeof want === 'object' && !Array.isArray(want)) {
      for (const [k, v] of Object.entries(want)) holds(actual?.[k], v, `${label}.${k}`);
    } else {
      assert.deepEqual(actual, want, label);
    }
  };
  for (const [field, value] of Object.entries(expected)) holds(native[field], value, `${tsp} ${field}`);
}

/** Every seed field, with values every TSP can represent. */
export const FULL_USER = {
  username: 'ada.lovelace',
  is_active: true,
  status: 'ACTIVE',
  is_driver: true,
  user_designation: 'DRIVER',
  user_email: 'ada@example.com',
  first_name: 'Ada',
  last_name: 'Lovelace',
  phone_number: '5555550100',
  country_code: 'USA',
  license_country: 'USA',
  license_region: 'TX',
  license_number: 'TX1234567',
  license_expiration: '2028-02-29',
  employee_number: 'EMP-42',
  carrier_number: 'MC-998877',
  notes: 'Prefers night shifts',
  hos_ruleset_code: 'US_INT_PROP_70_8',
  allow_yard_move: true,
  allow_personal_conveyance: false,
  allow_adverse_driving: true,
  default_time_zone: 'America/Chicago',
  dot_id: '1234567',
  phone_country_code: '+1',
  hos_tracking_mode: { hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic' },
  hos_compliance_type: 'non_exempt',
  hos_tracking_method: 'automatic',
} as const;

const FAST = 100_000;

async function connection(t: TestApp, partner: Partner, tsp: string, credentials: Record<string, string>): Promise<string> {
  const res = await call(t, 'POST', '/v2/integrations/connections', {
    token: partner.token,
    json: { tsp, sandbox: true, credentials, rate_limit_per_minute: FAST },
  });
  assert.equal(res.status, 200, res.text);
  return res.body.id;
}

const motive: TspFixture = {
  tsp: 'motive',
  async connect(t, partner) {
    const { api_key } = (await call(t, 'POST', '/sandbox/motive/_sandbox/accounts')).body;
    const sb = (method: string, path: string, json?: unknown) => call(t, method, `/sandbox/motive${path}`, { headers: { 'x-api-key': api_key }, json });
    await sb('PUT', '/_sandbox/settings', { rate_limit_per_minute: FAST });
    const faults: Record<FaultKind, object> = {
      transient: { status: 500, body: 'Internal Server Error' },
      rate_limited_1s: { status: 429, headers: { 'retry-after': '1' }, body: { error_message: 'Rate limit exceeded' } },
      validation: { status: 422, body: { error_message: 'Validation failed: Phone is invalid' } },
      lost_response: { status: 502, body: 'Bad Gateway', after_apply: true },
    };
    return {
      connectionId: await connection(t, partner, 'motive', { api_key }),
      fault: async (kind) => void (await sb('POST', '/_sandbox/faults', faults[kind])),
      native: async (id) => (await sb('GET', `/v1/users/${id}`)).body.user,
      userCount: async () => (await sb('GET', '/v1/users?per_page=100')).body.pagination.total,
      firstName: (n) => n.first_name,
    };
  },
  expectedNative: (resourceId) => ({
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'ada@example.com',
    username: 'ada.lovelace',
    phone: '5555550100',
    phone_country_code: '+1',
    time_zone: 'Central Time (US & Canada)',
    cycle: '70_8',
    role: 'driver',
    status: 'active',
    drivers_license_number: 'TX1234567',
    drivers_license_state: 'TX',
    driver_company_id: 'EMP-42',
    dot_id: '1234567',
    yard_moves_enabled: true,
    personal_conveyance_enabled: false,
    exception_adverse_driving: true,
    eld_mode: 'logs',
    time_tracking_mode: 'logs',
    external_ids: [{ external_id: resourceId, integration_name: 'fleetgate' }],
  }),
};

const samsara: TspFixture = {
  tsp: 'samsara',
  representedOtherwise: ['user_designation'],
  async connect(t, partner) {
    const { access_token } = (await call(t, 'POST', '/sandbox/samsara/_sandbox/accounts')).body;
    const sb = (method: string, path: string, json?: unknown) =>
      call(t, method, `/sandbox/samsara${path}`, { headers: { authorization: `Bearer ${access_token}` }, json });
    const faults: Record<FaultKind, object> = {
      transient: { status: 500, body: 'Internal Server Error' },
      rate_limited_1s: { status: 429, headers: { 'retry-after': '1' }, body: { message: 'Rate limit exceeded', requestId: 'r1' } },
      validation: { status: 400, body: { message: 'Invalid phone', requestId: 'r2' } },
      lost_response: { status: 502, body: 'Bad Gateway', after_apply: true },
    };
    return {
      connectionId: await connection(t, partner, 'samsara', { access_token }),
      fault: async (kind) => void (await sb('POST', '/_sandbox/faults', faults[kind])),
      native: async (id) => (await sb('GET', `/fleet/drivers/${id}`)).body.data,
      userCount: async () => (await sb('GET', '/fleet/drivers?limit=512')).body.data.length,
      firstName: (n) => String(n.name).split(' ')[0]!,
    };
  },
  expectedNative: (resourceId) => ({
    name: 'Ada Lovelace',
    username: 'ada.lovelace',
    // No email: Samsara's driver has none (the SDK's CreateDriverRequest), so user_email is dropped.
    email: undefined,
    phone: '+15555550100',
    timezone: 'America/Chicago',
    locale: 'us',
    notes: 'Prefers night shifts',
    licenseNumber: 'TX1234567',
    licenseState: 'TX',
    eldYmEnabled: true,
    eldPcEnabled: false,
    eldAdverseWeatherExemptionEnabled: true,
    eldExempt: false,
    carrierSettings: { dotNumber: 1234567 },
    externalIds: { fleetgate: resourceId, employeeId: 'EMP-42' },
    usDriverRulesetOverride: { cycle: 'USA Property (8/70)', restart: '34-hour Restart', restbreak: 'Property (off-duty/sleeper)', usStateToOverride: '' },
    driverActivationStatus: 'active',
  }),
};

const geotab: TspFixture = {
  tsp: 'geotab',
  async connect(t, partner) {
    const account = (await call(t, 'POST', '/sandbox/geotab/_sandbox/accounts')).body;
    const control = { 'x-sandbox-database': account.database, 'x-sandbox-password': account.password };
    const sb = (method: string, path: string, json?: unknown) => call(t, method, `/sandbox/geotab${path}`, { headers: control, json });
    await sb('PUT', '/_sandbox/settings', { add_user_per_minute: FAST, authenticate_per_minute: FAST, call_per_minute: FAST });
    const rpc = async (method: string, params: Record<string, unknown>) => {
      const auth = await call(t, 'POST', '/sandbox/geotab/apiv1', {
        json: { method: 'Authenticate', params: { database: account.database, userName: account.userName, password: account.password } },
      });
      const res = await call(t, 'POST', '/sandbox/geotab/apiv1', { json: { method, params: { ...params, credentials: auth.body.result.credentials } } });
      assert.equal(res.body.error, undefined, JSON.stringify(res.body.error));
      return res.body.result;
    };
    const faults: Record<FaultKind, object> = {
      transient: { method: 'Add', status: 500, body: 'Internal Server Error' },
      rate_limited_1s: { method: 'Add', headers: { 'retry-after': '1' }, error: { type: 'OverLimitException', message: 'API calls quota exceeded' } },
      validation: { method: 'Add', error: { type: 'ArgumentException', message: 'phoneNumber is invalid' } },
      lost_response: { method: 'Add', status: 502, body: 'Bad Gateway', after_apply: true },
    };
    return {
      connectionId: await connection(t, partner, 'geotab', { database: account.database, username: account.userName, password: account.password }),
      fault: async (kind) => void (await sb('POST', '/_sandbox/faults', faults[kind])),
      native: async (id) => (await rpc('Get', { typeName: 'User', search: { id } }))[0],
      userCount: async () => (await rpc('Get', { typeName: 'User' })).filter((u: { name: string }) => u.name !== account.userName).length,
      firstName: (n) => n.firstName,
    };
  },
  expectedNative: () => ({
    name: 'ada.lovelace',
    firstName: 'Ada',
    lastName: 'Lovelace',
    employeeNo: 'EMP-42',
    designation: 'DRIVER',
    comment: 'Prefers night shifts',
    countryCode: 'US',
    phoneNumber: '+1 5555550100',
    timeZoneId: 'America/Chicago',
    carrierNumber: '1234567',
    licenseNumber: 'TX1234567',
    licenseProvince: 'TX',
    isDriver: true,
    hosRuleSet: 'America8Day',
    isYardMoveEnabled: true,
    isPersonalConveyanceEnabled: false,
    isAdverseDrivingEnabled: true,
    isExemptHOSEnabled: false,
    securityGroups: [{ id: 'GroupDriveUserSecurityId' }],
  }),
};

export const TSP_FIXTURES: TspFixture[] = [motive, samsara, geotab];
