// Motive native vocabulary and the normalized user → Motive mapping: every HOS code and time zone is
// either mapped to a valid native value or refused with a reason, and the mapper builds the bodies
// Motive documents (shared/reference/providers.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOS_RULESET_CODES, TIME_ZONES } from '../src/contract/enums.ts';
import type { HosRulesetCode } from '../src/contract/enums.ts';
import { USER_ATTRIBUTE_NAMES } from '../src/contract/resources/users.ts';
import type { UserAttributeName, UserAttributes } from '../src/contract/resources/users.ts';
import { deriveHos } from '../src/tsps/motive/users/derive.ts';
import {
  mapUserToMotive,
  MOTIVE_FIELD_SUPPORT,
  MOTIVE_HOS,
  MOTIVE_ZONE_FOR_IANA,
  motiveRefusalFor,
} from '../src/tsps/motive/users/mapping.ts';
import type { MotiveMappingResult } from '../src/tsps/motive/users/mapping.ts';
import {
  MOTIVE_CYCLES,
  MOTIVE_ELD_MODES,
  MOTIVE_EXCEPTION_FLAGS,
  MOTIVE_INTEGRATION_NAME,
  MOTIVE_TIME_TRACKING_MODES,
  MOTIVE_TIME_ZONE_NAMES,
  MOTIVE_TIME_ZONES,
  timeTrackingAllowsEldMode,
} from '../src/tsps/motive/native.ts';
import { callingCodeFor } from '../src/tsps/kit/phone.ts';

// ---------- helpers ----------

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
/** UTC offset of `zone` at `instant`, e.g. "GMT-05:00", as the platform's tz database says. */
function offsetAt(zone: string, instant: number): string {
  let f = offsetFormatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormatters.set(zone, f);
  }
  return f.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/** Offset at the start plus every offset change (to the minute) over 2025–2026: the zone's current rules. */
function ruleSignature(zone: string): string {
  const day = 86_400_000;
  const start = Date.UTC(2025, 0, 1, 12);
  let prev = offsetAt(zone, start);
  const out = [prev];
  for (let t = start + day; t <= start + 730 * day; t += day) {
    const now = offsetAt(zone, t);
    if (now === prev) continue;
    let lo = t - day;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(zone, mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push(`${Math.floor(hi / 60_000)}>${now}`);
    prev = now;
  }
  return out.join(' ');
}

const railsIana = new Map(MOTIVE_TIME_ZONES.map((z) => [z.name, z.iana]));
const JANUARY = Date.UTC(2026, 0, 15, 12);
const JULY = Date.UTC(2026, 6, 15, 12);

function mapped(code: HosRulesetCode) {
  const entry = MOTIVE_HOS[code];
  assert.ok(!('unsupported' in entry), `${code} should be mapped`);
  return entry;
}
function flagsOf(code: HosRulesetCode): string[] {
  return Object.keys(mapped(code).exceptions).sort();
}
function okBody(result: MotiveMappingResult): Record<string, unknown> {
  assert.equal(result.ok, true, JSON.stringify(result));
  return result.ok ? result.body : {};
}
function refusalsOf(result: MotiveMappingResult) {
  assert.equal(result.ok, false, `expected a refusal, got ${JSON.stringify(result)}`);
  return result.ok ? [] : result.refusals;
}
const create = (changes: UserAttributes) => mapUserToMotive({ operation: 'create', changes, merged: changes, externalId: 'fg-1' });
const update = (changes: UserAttributes, before: UserAttributes) =>
  mapUserToMotive({ operation: 'update', changes, merged: { ...before, ...changes }, externalId: 'fg-1' });

/** The smallest create Motive accepts: names plus the mandatory phone_country_code. */
const MINIMAL: UserAttributes = { first_name: 'Ada', last_name: 'Lovelace', phone_country_code: '+1' };

/** Every seed field set. */
const FULL: UserAttributes = {
  username: 'ada.l',
  is_active: true,
  status: 'ACTIVE',
  is_driver: true,
  user_designation: 'DRIVER',
  user_email: 'ada@example.com',
  first_name: 'Ada',
  last_name: 'Lovelace',
  phone_number: '5551234567',
  country_code: 'USA',
  license_country: 'USA',
  license_region: 'TX',
  license_number: 'D1234567',
  license_expiration: '2030-06-30',
  employee_number: 'E-42',
  carrier_number: 'MC-999',
  notes: 'night shifts',
  hos_ruleset_code: 'US_INT_PROP_70_8_SH',
  allow_yard_move: true,
  allow_personal_conveyance: false,
  allow_adverse_driving: true,
  default_time_zone: 'America/Chicago',
  dot_id: '1234567',
  phone_country_code: '+1',
  hos_tracking_mode: { hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic' },
  hos_compliance_type: 'non_exempt',
  hos_tracking_method: 'automatic',
};

// ---------- native vocabulary ----------

test('the Rails zone list is the ActiveSupport MAPPING: unique names, ids the tz database knows', () => {
  assert.equal(MOTIVE_TIME_ZONES.length, 151);
  assert.equal(MOTIVE_TIME_ZONE_NAMES.size, MOTIVE_TIME_ZONES.length);
  for (const name of ['Eastern Time (US & Canada)', 'Arizona', 'Saskatchewan', 'Hawaii', 'Alaska', 'Indiana (East)',
    'Atlantic Time (Canada)', 'Newfoundland', 'Mexico City', 'London', 'UTC']) {
    assert.ok(MOTIVE_TIME_ZONE_NAMES.has(name), name);
  }
  assert.equal(railsIana.get('Saskatchewan'), 'America/Regina');
  assert.equal(railsIana.get('Eastern Time (US & Canada)'), 'America/New_York');
  for (const z of MOTIVE_TIME_ZONES) assert.doesNotThrow(() => offsetAt(z.iana, JANUARY), z.iana);
});

test('time_tracking_mode/eld_mode pairs follow Motive rule: logs → none|logs, timecards|not_required → exempt', () => {
  const allowed = new Set(['logs/none', 'logs/logs', 'timecards/exempt', 'not_required/exempt']);
  for (const ttm of MOTIVE_TIME_TRACKING_MODES) {
    for (const eld of MOTIVE_ELD_MODES) {
      assert.equal(timeTrackingAllowsEldMode(ttm, eld), allowed.has(`${ttm}/${eld}`), `${ttm}/${eld}`);
    }
  }
  assert.equal(timeTrackingAllowsEldMode('hours', 'logs'), false);
  assert.equal(timeTrackingAllowsEldMode('logs', 'aobrd'), false);
  assert.equal(timeTrackingAllowsEldMode('toString', 'logs'), false);
});

// ---------- HOS table ----------

test('every one of the 134 HOS codes is mapped to a Motive cycle with known flags or refused with a reason', () => {
  assert.equal(HOS_RULESET_CODES.length, 134);
  assert.deepEqual(Object.keys(MOTIVE_HOS).sort(), [...HOS_RULESET_CODES].sort());
  const cycles: readonly string[] = MOTIVE_CYCLES;
  const flags: readonly string[] = MOTIVE_EXCEPTION_FLAGS;
  for (const code of HOS_RULESET_CODES) {
    const entry = MOTIVE_HOS[code];
    if ('unsupported' in entry) {
      assert.ok(entry.unsupported.length > 15, `${code} needs a reason`);
      assert.match(motiveRefusalFor('hos_ruleset_code', code) ?? '', new RegExp(code));
    } else {
      assert.ok(cycles.includes(entry.cycle), `${code} → ${entry.cycle}`);
      for (const [flag, value] of Object.entries(entry.exceptions)) {
        assert.ok(flags.includes(flag), `${code}: ${flag}`);
        assert.equal(value, true);
      }
      assert.equal(motiveRefusalFor('hos_ruleset_code', code), null, code);
    }
  }
});

test('HOS examples from providers.md map as documented', () => {
  assert.deepEqual(MOTIVE_HOS.US_INT_PROP_70_8, { cycle: '70_8', exceptions: {} });
  assert.deepEqual(MOTIVE_HOS.US_INT_PROP_60_7, { cycle: '60_7', exceptions: {} });
  assert.deepEqual(MOTIVE_HOS.US_INT_PROP_70_8_SH, { cycle: '70_8', exceptions: { exception_short_haul: true } });
  assert.deepEqual(MOTIVE_HOS.US_INT_PROP_70_8_NOBRK, { cycle: '70_8', exceptions: { exception_8_hour_break: true } });
  assert.deepEqual(MOTIVE_HOS.US_TX_INTRA_PROP_70_7, { cycle: 'tx_70_7', exceptions: {} });
  assert.deepEqual(MOTIVE_HOS.CA_FED_C1_70_7, { cycle: '70_7', exceptions: {} });
  assert.equal(mapped('CA_FED_C2_120_14').cycle, '120_14');
  assert.equal(mapped('CA_N60_C1_80_7').cycle, '80_7');
  assert.equal(mapped('CA_N60_C2_120_14').cycle, '120_14_north');
  assert.equal(mapped('US_INT_PAX_70_8').cycle, '70_8_p');
  assert.equal(mapped('US_CA_INTRA_PROP_80_8').cycle, '80_8');
  assert.equal(mapped('US_AK_INTRA_PAX_80_8').cycle, 'ak_80_8_p');
  assert.deepEqual(flagsOf('US_INT_OILWL_70_8'), ['exception_24_hour_restart', 'exception_wait_time']);
  assert.equal(mapped('US_INT_OILWL_70_8').cycle, '70_8_o');
});

test('HOS families follow one rule each (big-day, no-restart, break, short-haul, oilfield, states)', () => {
  for (const code of HOS_RULESET_CODES) {
    const entry = MOTIVE_HOS[code];
    // Motive has no big-day flag and no "no 34-hour restart" setting: refused, never downgraded.
    if (/_BIG|_NORST|SLPVAR|_TEAM|NOHOS|_EX$|SALESP/.test(code)) {
      assert.ok('unsupported' in entry, `${code} must be refused`);
      continue;
    }
    // States whose cycles are not in Motive's list.
    if (/^US_(FL|OR|MD|NE|NC|ND|SC|WA|WI)_/.test(code)) assert.ok('unsupported' in entry, code);
    if (/^CA_(AB|SK|BC)_PROV/.test(code)) assert.ok('unsupported' in entry, code);
    if ('unsupported' in entry) continue;
    const flags = flagsOf(code);
    assert.equal(flags.includes('exception_8_hour_break'), code.includes('_NOBRK'), `${code}: break flag`);
    assert.equal(flags.includes('exception_short_haul'), code.includes('_SH'), `${code}: short-haul flag`);
    assert.equal(flags.includes('exception_24_hour_restart'), /OIL(TR|WL)/.test(code), `${code}: 24h restart`);
    assert.equal(flags.includes('exception_wait_time'), code.includes('OILWL'), `${code}: wait time`);
    assert.equal(flags.includes('exception_adverse_driving'), false, `${code}: adverse comes from allow_adverse_driving`);
    assert.equal(flags.includes('exception_ca_farm_school_bus'), false, code);
    if (/OIL(TR|WL)/.test(code) && code.startsWith('US_')) assert.match(entry.cycle, /_o$/, code);
    if (code.includes('_PAX_')) assert.match(entry.cycle, /_p$/, code);
    if (code.startsWith('US_INT_') && code.includes('60_7')) assert.match(entry.cycle, /^60_7/, code);
    if (code.startsWith('US_INT_') && code.includes('70_8')) assert.match(entry.cycle, /^70_8/, code);
  }
});

// ---------- time zones ----------

test('every one of the 169 seed zones maps to a Rails zone name or is refused with a reason', () => {
  assert.equal(TIME_ZONES.length, 169);
  assert.deepEqual(Object.keys(MOTIVE_ZONE_FOR_IANA).sort(), [...TIME_ZONES].sort());
  for (const zone of TIME_ZONES) {
    const entry = MOTIVE_ZONE_FOR_IANA[zone];
    if (typeof entry === 'string') {
      assert.ok(MOTIVE_TIME_ZONE_NAMES.has(entry), `${zone} → ${entry} is not a Rails zone`);
      assert.equal(motiveRefusalFor('default_time_zone', zone), null);
    } else {
      assert.ok(entry.unsupported.length > 15, zone);
      assert.match(motiveRefusalFor('default_time_zone', zone) ?? '', /Motive cannot represent/);
    }
  }
  assert.equal(MOTIVE_ZONE_FOR_IANA['America/New_York'], 'Eastern Time (US & Canada)');
  assert.equal(MOTIVE_ZONE_FOR_IANA['America/Phoenix'], 'Arizona');
  assert.equal(MOTIVE_ZONE_FOR_IANA['America/Regina'], 'Saskatchewan');
  assert.equal(MOTIVE_ZONE_FOR_IANA['America/Indiana/Indianapolis'], 'Indiana (East)');
  assert.equal(typeof MOTIVE_ZONE_FOR_IANA['America/Adak'], 'object');
});

test('each mapped zone has the same UTC offset as its Rails zone in January and in July', () => {
  for (const zone of TIME_ZONES) {
    const entry = MOTIVE_ZONE_FOR_IANA[zone];
    if (typeof entry !== 'string') continue;
    const iana = railsIana.get(entry) ?? '';
    assert.equal(offsetAt(zone, JANUARY), offsetAt(iana, JANUARY), `${zone} vs ${entry} (${iana}) in January`);
    assert.equal(offsetAt(zone, JULY), offsetAt(iana, JULY), `${zone} vs ${entry} (${iana}) in July`);
  }
});

test('each mapped zone switches offset at the same instants as its Rails zone; refused zones match no Rails zone', () => {
  const railsSignatures = new Map(MOTIVE_TIME_ZONES.map((z) => [z.name, ruleSignature(z.iana)]));
  for (const zone of TIME_ZONES) {
    const entry = MOTIVE_ZONE_FOR_IANA[zone];
    const signature = ruleSignature(zone);
    if (typeof entry === 'string') {
      assert.equal(signature, railsSignatures.get(entry), `${zone} vs ${entry}`);
    } else {
      const twins = [...railsSignatures].filter(([, s]) => s === signature).map(([n]) => n);
      assert.deepEqual(twins, [], `${zone} is refused but has the same rules as ${twins.join(', ')}`);
    }
  }
});

// ---------- the mapper ----------

test('a create with every seed field set yields the full Motive body and lists what Motive cannot store', () => {
  const result = create(FULL);
  assert.deepEqual(result, {
    ok: true,
    body: {
      username: 'ada.l',
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      phone: '5551234567',
      phone_country_code: '+1',
      drivers_license_state: 'TX',
      drivers_license_number: 'D1234567',
      driver_company_id: 'E-42',
      dot_id: '1234567',
      time_zone: 'Central Time (US & Canada)',
      yard_moves_enabled: true,
      personal_conveyance_enabled: false,
      status: 'active',
      role: 'driver',
      cycle: '70_8',
      exception_24_hour_restart: false,
      exception_8_hour_break: false,
      exception_wait_time: false,
      exception_short_haul: true,
      exception_ca_farm_school_bus: false,
      exception_adverse_driving: true,
      eld_mode: 'logs',
      time_tracking_mode: 'logs',
      external_ids_attributes: [{ external_id: 'fg-1', integration_name: 'fleetgate' }],
    },
    dropped: ['country_code', 'license_country', 'license_expiration', 'carrier_number', 'notes'],
  });
  assert.equal(MOTIVE_INTEGRATION_NAME, 'fleetgate');
});

test('an update sends only the changed fields plus phone_country_code', () => {
  const body = okBody(update({ user_email: 'new@example.com' }, FULL));
  assert.deepEqual(body, { email: 'new@example.com', phone_country_code: '+1' });
  const body2 = okBody(update({ license_number: 'Z9', allow_yard_move: false }, FULL));
  assert.deepEqual(body2, { drivers_license_number: 'Z9', yard_moves_enabled: false, phone_country_code: '+1' });
  assert.equal('external_ids_attributes' in body2, false);
});

test('an update of one field of a derived group sends the whole group, computed from the merged user', () => {
  // A ruleset change sets every exception flag, so the old short-haul flag is cleared.
  const hos = okBody(update({ hos_ruleset_code: 'US_INT_PROP_60_7_NOBRK' }, FULL));
  assert.deepEqual(hos, {
    phone_country_code: '+1',
    cycle: '60_7',
    exception_24_hour_restart: false,
    exception_8_hour_break: true,
    exception_wait_time: false,
    exception_short_haul: false,
    exception_ca_farm_school_bus: false,
    exception_adverse_driving: true, // from the stored allow_adverse_driving
  });
  const adverse = okBody(update({ allow_adverse_driving: false }, FULL));
  assert.equal(adverse.cycle, '70_8');
  assert.equal(adverse.exception_short_haul, true);
  assert.equal(adverse.exception_adverse_driving, false);
  assert.deepEqual(okBody(update({ hos_tracking_method: 'manual', hos_tracking_mode: null }, FULL)), {
    phone_country_code: '+1',
    eld_mode: 'none',
    time_tracking_mode: 'logs',
  });
  assert.deepEqual(okBody(update({ user_designation: 'DISPATCHER', is_driver: false }, FULL)), {
    phone_country_code: '+1',
    role: 'fleet_user',
  });
  assert.deepEqual(okBody(update({ status: 'INACTIVE', is_active: false }, FULL)), {
    phone_country_code: '+1',
    status: 'deactivated',
  });
});

test('role, status and eld/time-tracking derivations follow the documented tables', () => {
  const role = (attrs: UserAttributes) => okBody(create({ ...MINIMAL, ...attrs })).role;
  assert.equal(role({ user_designation: 'DRIVER' }), 'driver');
  assert.equal(role({ user_designation: 'admin' }), 'admin');
  assert.equal(role({ user_designation: 'DISPATCHER' }), 'fleet_user');
  assert.equal(role({ is_driver: true }), 'driver');
  assert.equal(role({ is_driver: false }), 'fleet_user');
  assert.equal(role({ is_driver: false, user_designation: 'ADMIN' }), 'admin');
  assert.equal(role({}), undefined);
  const status = (attrs: UserAttributes) => okBody(create({ ...MINIMAL, ...attrs })).status;
  assert.equal(status({ status: 'ACTIVE' }), 'active');
  assert.equal(status({ is_active: false }), 'deactivated');
  assert.equal(status({ status: 'INACTIVE', is_active: false }), 'deactivated');
  const eld = (attrs: UserAttributes) => {
    const b = okBody(create({ ...MINIMAL, ...attrs }));
    assert.ok(timeTrackingAllowsEldMode(String(b.time_tracking_mode), String(b.eld_mode)));
    return `${String(b.eld_mode)}/${String(b.time_tracking_mode)}`;
  };
  assert.equal(eld({ hos_compliance_type: 'exempt' }), 'exempt/timecards');
  assert.equal(eld({ hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic' }), 'logs/logs');
  assert.equal(eld({ hos_compliance_type: 'non_exempt', hos_tracking_method: 'manual' }), 'none/logs');
  assert.equal(eld({ hos_tracking_mode: { hos_compliance_type: 'non_exempt', hos_tracking_method: 'manual' } }), 'none/logs');
  assert.equal(eld({ hos_tracking_mode: { hos_compliance_type: 'exempt' }, hos_compliance_type: 'exempt' }), 'exempt/timecards');
});

test('a null sent on update clears only what Motive takes null for (its own example body); other clears are refused', () => {
  // The seed (Motive's "Create a new user" body) sends null for phone, email, driver_company_id and the
  // licence fields; permissions fall back to false, the seed's value for them.
  const body = okBody(
    update(
      { phone_number: null, user_email: null, employee_number: null, license_number: null, license_region: null, allow_yard_move: null, allow_personal_conveyance: null },
      FULL,
    ),
  );
  assert.deepEqual(body, {
    phone: null,
    email: null,
    driver_company_id: null,
    drivers_license_number: null,
    drivers_license_state: null,
    yard_moves_enabled: false,
    personal_conveyance_enabled: false,
    phone_country_code: '+1',
  });
  // No documented way to unset a cycle, a time zone, a username or a DOT id: refused, never sent as null.
  for (const field of ['hos_ruleset_code', 'default_time_zone', 'username', 'dot_id'] as const) {
    const refusals = refusalsOf(update({ [field]: null }, FULL));
    assert.deepEqual(refusals.map((r) => r.field), [field], field);
    assert.match(refusals[0].message, /Motive documents no way to clear/, field);
  }
  // Nulls on create mean "not set": nothing is sent and nothing is dropped.
  const fresh = create({ ...MINIMAL, phone_number: null, notes: null, hos_ruleset_code: null });
  assert.deepEqual(fresh, {
    ok: true,
    body: {
      first_name: 'Ada',
      last_name: 'Lovelace',
      phone_country_code: '+1',
      external_ids_attributes: [{ external_id: 'fg-1', integration_name: 'fleetgate' }],
    },
    dropped: [],
  });
});

test('allow_adverse_driving without any known ruleset writes only exception_adverse_driving', () => {
  const body = okBody(update({ allow_adverse_driving: true }, MINIMAL));
  assert.deepEqual(body, { phone_country_code: '+1', exception_adverse_driving: true });
});

test('dropped lists the non-null fields Motive cannot store, on create and on update', () => {
  assert.deepEqual(okBody(create({ ...MINIMAL, notes: 'x', carrier_number: 'C' })).notes, undefined);
  const result = update({ notes: 'x', license_expiration: '2031-01-01', license_country: null }, FULL);
  assert.deepEqual(result, { ok: true, body: { phone_country_code: '+1' }, dropped: ['license_expiration', 'notes'] });
});

test('phone_country_code comes from the partner, else from country_code, else the write is refused', () => {
  const code = (attrs: UserAttributes) => okBody(create({ first_name: 'A', last_name: 'B', ...attrs })).phone_country_code;
  assert.equal(code({ phone_country_code: '+44', country_code: 'USA' }), '+44');
  assert.equal(code({ country_code: 'CAN' }), '+1');
  assert.equal(code({ country_code: 'MEX' }), '+52');
  assert.equal(code({ country_code: 'gbr' }), '+44');
  assert.equal(code({ country_code: 'AUS' }), '+61');
  // Derived from the stored country on an update that does not touch either field.
  assert.deepEqual(okBody(update({ username: 'x' }, { ...MINIMAL, phone_country_code: null, country_code: 'DEU' })), {
    username: 'x',
    phone_country_code: '+49',
  });
  // Every country of the seed's time zones has a calling code.
  const seedCountries = `USA CAN MEX GTM BLZ HND NIC CRI PAN COL PER CHL ARG BRA URY PRI GBR IRL PRT ESP FRA BEL NLD LUX
    DEU CHE AUT ITA DNK SWE NOR CZE HUN POL FIN EST LVA LTU SRB ALB BGR GRC ROU UKR MDA TUR RUS MAR DZA TUN EGY LBY
    NGA GHA SEN CIV KEN TZA UGA ZAF MOZ NAM ARE SAU QAT KWT BHR OMN IRQ JOR LBN ISR AZE GEO ARM KAZ UZB PAK IND BGD
    LKA NPL THA VNM SGP MYS IDN PHL CHN HKG TWN KOR JPN AUS NZL`.split(/\s+/);
  for (const c of seedCountries) assert.match(callingCodeFor(c) ?? '', /^\+[1-9]\d{0,3}$/, c);
  assert.equal(callingCodeFor('ZZZ'), null);
});

test('refusals: missing names, unrepresentable values, missing phone code, contradictions', () => {
  const fields = (r: MotiveMappingResult) => refusalsOf(r).map((x) => x.field).sort();
  // Motive requires first_name and last_name.
  assert.deepEqual(fields(create({ phone_country_code: '+1' })), ['first_name', 'last_name']);
  assert.deepEqual(fields(create({ ...MINIMAL, last_name: '  ' })), ['last_name']);
  assert.deepEqual(fields(update({ first_name: null }, FULL)), ['first_name']);
  // Values Motive cannot represent.
  const big = refusalsOf(create({ ...MINIMAL, hos_ruleset_code: 'US_INT_PROP_70_8_BIG' }));
  assert.equal(big.length, 1);
  assert.deepEqual([big[0].field, big[0].input], ['hos_ruleset_code', 'US_INT_PROP_70_8_BIG']);
  assert.match(big[0].message, /big-day/);
  assert.deepEqual(fields(update({ default_time_zone: 'America/Adak' }, FULL)), ['default_time_zone']);
  assert.deepEqual(fields(create({ ...MINIMAL, phone_country_code: '1' })), ['phone_country_code']);
  // phone_country_code: neither given, or a country with no known calling code.
  assert.deepEqual(fields(create({ first_name: 'A', last_name: 'B' })), ['phone_country_code']);
  assert.deepEqual(fields(create({ first_name: 'A', last_name: 'B', country_code: 'ZZZ' })), ['phone_country_code']);
  // Contradictions.
  assert.deepEqual(fields(create({ ...MINIMAL, is_driver: true, user_designation: 'ADMIN' })), ['is_driver']);
  assert.deepEqual(fields(update({ is_driver: false }, { ...FULL })), ['is_driver']); // stored designation DRIVER
  assert.deepEqual(fields(create({ ...MINIMAL, status: 'ACTIVE', is_active: false })), ['status']);
  assert.deepEqual(fields(update({ is_active: false }, FULL)), ['status']); // stored status ACTIVE
  assert.deepEqual(
    fields(create({ ...MINIMAL, hos_compliance_type: 'exempt', hos_tracking_mode: { hos_compliance_type: 'non_exempt' } })),
    ['hos_tracking_mode'],
  );
  assert.deepEqual(
    fields(create({ ...MINIMAL, hos_tracking_method: 'manual', hos_tracking_mode: { hos_tracking_method: 'automatic' } })),
    ['hos_tracking_mode'],
  );
  assert.deepEqual(fields(create({ ...MINIMAL, hos_compliance_type: 'non_exempt' })), ['hos_tracking_method']);
  assert.deepEqual(fields(create({ ...MINIMAL, hos_tracking_method: 'automatic' })), ['hos_compliance_type']);
  // Several problems are reported together, each once.
  const many = refusalsOf(create({ hos_ruleset_code: 'US_FL_INTRA_PROP_70_7', default_time_zone: 'Asia/Beirut' }));
  assert.deepEqual(many.map((r) => r.field).sort(), [
    'default_time_zone',
    'first_name',
    'hos_ruleset_code',
    'last_name',
    'phone_country_code',
  ]);
});

test('allow_adverse_driving=false is refused against a ruleset that implies the adverse-driving exception', () => {
  const table = { X: { cycle: '70_8' as const, exceptions: { exception_adverse_driving: true as const } } };
  const refused = deriveHos({ hos_ruleset_code: 'X', allow_adverse_driving: false }, {}, table);
  assert.ok('refusal' in refused && refused.refusal.field === 'allow_adverse_driving');
  const accepted = deriveHos({ hos_ruleset_code: 'X', allow_adverse_driving: null }, {}, table);
  assert.ok('fields' in accepted && accepted.fields.exception_adverse_driving === true);
});

test('mapUserToMotive and motiveRefusalFor agree on every HOS code and every zone', () => {
  for (const code of HOS_RULESET_CODES) {
    const result = create({ ...MINIMAL, hos_ruleset_code: code });
    assert.equal(result.ok, motiveRefusalFor('hos_ruleset_code', code) === null, code);
    if (result.ok) assert.equal(result.body.cycle, mapped(code).cycle);
  }
  for (const zone of TIME_ZONES) {
    const result = create({ ...MINIMAL, default_time_zone: zone });
    assert.equal(result.ok, motiveRefusalFor('default_time_zone', zone) === null, zone);
    if (result.ok) assert.equal(result.body.time_zone, MOTIVE_ZONE_FOR_IANA[zone]);
  }
  assert.equal(motiveRefusalFor('notes', 'anything'), null);
  assert.match(motiveRefusalFor('first_name', '') ?? '', /requires first_name/);
});

test('MOTIVE_FIELD_SUPPORT covers every attribute and matches what the mapper does with it', () => {
  assert.deepEqual(Object.keys(MOTIVE_FIELD_SUPPORT).sort(), [...USER_ATTRIBUTE_NAMES].sort());
  // A stored field changes the body when its value changes; a not-stored one never does.
  const alternative: Record<UserAttributeName, unknown> = {
    username: 'other', is_active: false, status: 'INACTIVE', is_driver: false, user_designation: 'ADMIN',
    user_email: 'o@example.com', first_name: 'Other', last_name: 'Other', phone_number: '999', country_code: 'CAN',
    license_country: 'CAN', license_region: 'ON', license_number: 'other', license_expiration: '2040-01-01',
    employee_number: 'other', carrier_number: 'other', notes: 'other', hos_ruleset_code: 'US_INT_PROP_60_7',
    allow_yard_move: false, allow_personal_conveyance: true, allow_adverse_driving: false,
    default_time_zone: 'America/Denver', dot_id: '7654321', phone_country_code: '+44',
    hos_tracking_mode: { hos_compliance_type: 'exempt' }, hos_compliance_type: 'exempt', hos_tracking_method: 'manual',
  };
  const context: Partial<Record<UserAttributeName, UserAttributes>> = {
    hos_compliance_type: { hos_tracking_method: 'automatic' },
    hos_tracking_method: { hos_compliance_type: 'non_exempt' },
  };
  const baseline = okBody(create(MINIMAL));
  for (const field of USER_ATTRIBUTE_NAMES) {
    const attempt = (value: unknown) => create({ ...MINIMAL, ...context[field], [field]: value } as UserAttributes);
    const a = attempt((FULL as Record<string, unknown>)[field]);
    const b = attempt(alternative[field]);
    assert.ok(a.ok && b.ok, `${field}: ${JSON.stringify([a, b])}`);
    if (!a.ok || !b.ok) continue;
    if (MOTIVE_FIELD_SUPPORT[field] === 'not_stored') {
      assert.deepEqual([a.dropped, b.dropped], [[field], [field]]);
      assert.deepEqual([a.body, b.body], [baseline, baseline], `${field} is not stored but changed the body`);
    } else {
      assert.deepEqual([a.dropped, b.dropped], [[], []], field);
      assert.notDeepEqual(a.body, b.body, `${field} is stored but its value does not reach the body`);
    }
  }
  assert.deepEqual(
    USER_ATTRIBUTE_NAMES.filter((f) => MOTIVE_FIELD_SUPPORT[f] === 'not_stored').sort(),
    ['carrier_number', 'country_code', 'license_country', 'license_expiration', 'notes'],
  );
});

test('an update that nulls every field of a derived group (status, role, ELD mode) is refused at submit, not sent as nothing', () => {
  const before: UserAttributes = { first_name: 'A', last_name: 'B', phone_country_code: '+1', is_active: true, status: 'ACTIVE', is_driver: true, user_designation: 'DRIVER', hos_compliance_type: 'exempt' };
  const update = (changes: UserAttributes) => mapUserToMotive({ operation: 'update', changes, merged: { ...before, ...changes }, externalId: 'x' });
  for (const [changes, field] of [
    [{ status: null, is_active: null }, 'is_active'],
    [{ is_driver: null, user_designation: null }, 'is_driver'],
    [{ hos_compliance_type: null }, 'hos_compliance_type'],
  ] as Array<[UserAttributes, string]>) {
    const result = update(changes);
    assert.ok(!result.ok, JSON.stringify(changes));
    assert.equal(result.refusals[0]!.field, field, JSON.stringify(changes));
    assert.match(result.refusals[0]!.message, /no way to clear/);
  }
  // One spelling nulled while the other still says it is not a clear: the other is written.
  const half = update({ status: null });
  assert.ok(half.ok);
  assert.equal(half.body.status, 'active');
});
