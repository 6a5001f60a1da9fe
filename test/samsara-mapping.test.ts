// Samsara native vocabulary and the normalized user → Samsara driver mapping: every HOS code and time
// zone is either mapped to a value the Samsara sandbox accepts or refused with a reason, and the mapper
// builds the bodies Samsara documents (shared/reference/providers.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOS_RULESET_CODES, TIME_ZONES } from '../src/contract/enums.ts';
import { USER_ATTRIBUTE_NAMES } from '../src/contract/resources/users.ts';
import type { UserAttributeName, UserAttributes } from '../src/contract/resources/users.ts';
import { mapUserToSamsara, SAMSARA_FIELD_SUPPORT, SAMSARA_HOS, samsaraRefusalFor } from '../src/tsps/samsara/users/mapping.ts';
import type { SamsaraMappingResult } from '../src/tsps/samsara/users/mapping.ts';
import { isIanaTimeZone, SAMSARA_CYCLES, SAMSARA_LOCALE_FOR_ALPHA3, SAMSARA_LOCALES } from '../src/tsps/samsara/native.ts';
import { parseDriverWrite } from '../src/sandbox/samsara/driver-model.ts';

type Json = Record<string, unknown>;
/** An organization with no tags or vehicles: the mapping writes no member that refers to one. */
const NO_REFS = {
  tag: (id: string) => assert.fail(`the mapping referred to tag ${id}`),
  findTag: () => undefined,
  vehicleName: () => undefined,
  nowMs: Date.now(),
};
const EXT = '6f1c1a52-0d8b-4a53-9d0e-1f6a2b3c4d5e';
const base: UserAttributes = { username: 'jdoe', first_name: 'John', last_name: 'Doe' };

const create = (attrs: UserAttributes): SamsaraMappingResult =>
  mapUserToSamsara({ operation: 'create', changes: attrs, merged: attrs, externalId: EXT });
const update = (changes: UserAttributes, before: UserAttributes = base): SamsaraMappingResult =>
  mapUserToSamsara({ operation: 'update', changes, merged: { ...before, ...changes }, externalId: EXT });
const body = (r: SamsaraMappingResult): Json => {
  assert.equal(r.ok, true, JSON.stringify(r));
  return (r as { body: Json }).body;
};
const refusedFields = (r: SamsaraMappingResult): string[] => (r.ok ? [] : r.refusals.map((x) => x.field));
/** The sandbox's own validator: what the real API would accept (a password is added as the adapter does). */
const acceptedBySandbox = (b: Json, mode: 'create' | 'update'): void => {
  parseDriverWrite(mode === 'create' ? { ...b, password: 'x' } : b, mode, NO_REFS);
};

test('the HOS table covers exactly the 134 seed codes', () => {
  assert.equal(HOS_RULESET_CODES.length, 134);
  assert.deepEqual(Object.keys(SAMSARA_HOS).sort(), [...HOS_RULESET_CODES].sort());
});

test('every HOS code is mapped to a complete override the sandbox accepts, or refused with a reason', () => {
  let mapped = 0;
  for (const code of HOS_RULESET_CODES) {
    const entry = SAMSARA_HOS[code];
    const r = create({ ...base, hos_ruleset_code: code });
    if ('unsupported' in entry) {
      assert.ok(entry.unsupported.length > 20, code);
      assert.deepEqual(refusedFields(r), ['hos_ruleset_code'], code);
      assert.match(samsaraRefusalFor('hos_ruleset_code', code) ?? '', new RegExp(`Samsara cannot represent ${code}`));
      continue;
    }
    mapped += 1;
    const b = body(r);
    assert.deepEqual(Object.keys(b.usDriverRulesetOverride as Json).sort(), ['cycle', 'restart', 'restbreak', 'usStateToOverride'], code);
    assert.equal(typeof b.eldBigDayExemptionEnabled, 'boolean', code);
    assert.equal(typeof b.waitingTimeDutyStatusEnabled, 'boolean', code);
    acceptedBySandbox(b, 'create');
    assert.equal(samsaraRefusalFor('hos_ruleset_code', code), null);
  }
  assert.ok(mapped > 60, `only ${mapped} codes mapped`);
});

test('HOS examples follow the documented rules', () => {
  const o = (code: (typeof HOS_RULESET_CODES)[number]) => body(create({ ...base, hos_ruleset_code: code }));
  // providers.md: US_INT_PROP_70_8 → "USA Property (8/70)", "34-hour Restart", "Property (off-duty/sleeper)", "".
  assert.deepEqual(o('US_INT_PROP_70_8'), {
    username: 'jdoe', name: 'John Doe', externalIds: { fleetgate: EXT },
    usDriverRulesetOverride: { cycle: 'USA Property (8/70)', restart: '34-hour Restart', restbreak: 'Property (off-duty/sleeper)', usStateToOverride: '' },
    eldBigDayExemptionEnabled: false, waitingTimeDutyStatusEnabled: false,
  });
  assert.equal((o('US_INT_PROP_70_8_NOBRK').usDriverRulesetOverride as Json).restbreak, 'None');
  assert.equal((o('US_INT_PROP_60_7_NORST').usDriverRulesetOverride as Json).restart, 'None');
  assert.equal(o('US_INT_PROP_60_7_BIG').eldBigDayExemptionEnabled, true);
  assert.deepEqual(o('US_INT_PROP_70_8_BIG_SLP'), o('US_INT_PROP_70_8_BIG'));
  assert.deepEqual(o('US_TX_INTRA_PROP_70_7').usDriverRulesetOverride, { cycle: 'Texas (7/70)', restart: '34-hour Restart', restbreak: 'None', usStateToOverride: 'TX' });
  const wl = o('US_INT_OILWL_70_8');
  assert.equal((wl.usDriverRulesetOverride as Json).restart, '24-hour Restart');
  assert.equal(wl.waitingTimeDutyStatusEnabled, true);
  assert.equal(o('US_INT_OILTR_70_8').waitingTimeDutyStatusEnabled, false);
  assert.equal((o('US_CA_INTRA_FARM_BRK').usDriverRulesetOverride as Json).restbreak, 'California Mealbreak (off-duty/sleeper)');
  // Canadian cycles are read-only in Samsara's API; short-haul has no setting.
  for (const code of HOS_RULESET_CODES.filter((c) => c.startsWith('CA_'))) assert.ok('unsupported' in SAMSARA_HOS[code], code);
  for (const code of HOS_RULESET_CODES.filter((c) => /_SH(_|$)/.test(c))) assert.ok('unsupported' in SAMSARA_HOS[code], code);
  // Each intrastate mapping names its own state.
  for (const code of HOS_RULESET_CODES) {
    const entry = SAMSARA_HOS[code];
    const m = /^US_([A-Z]{2})_INTRA_/.exec(code);
    if (m && !('unsupported' in entry)) assert.equal(entry.override.usStateToOverride, m[1], code);
    if (code.startsWith('US_INT_') && !('unsupported' in entry)) assert.equal(entry.override.usStateToOverride, '', code);
  }
  assert.ok(SAMSARA_CYCLES.every((c) => !/Canada/.test(c)));
});

test('all 169 seed time zones are IANA ids Samsara takes unchanged', () => {
  assert.equal(TIME_ZONES.length, 169);
  for (const zone of TIME_ZONES) {
    assert.equal(isIanaTimeZone(zone), true, zone);
    const b = body(create({ ...base, default_time_zone: zone }));
    assert.equal(b.timezone, zone);
    acceptedBySandbox(b, 'create');
  }
  for (const junk of ['Eastern Time (US & Canada)', 'EST', 'GMT+5', 'Mars/Olympus', '']) assert.equal(isIanaTimeZone(junk), false, junk);
});

test('the per-field table: what Samsara stores', () => {
  assert.deepEqual(Object.keys(SAMSARA_FIELD_SUPPORT).sort(), [...USER_ATTRIBUTE_NAMES].sort());
  const notStored = USER_ATTRIBUTE_NAMES.filter((f) => SAMSARA_FIELD_SUPPORT[f] === 'not_stored').sort();
  // Samsara drivers have no e-mail (CreateDriverRequest, UpdateDriverRequest and Driver of the SDK).
  assert.deepEqual(notStored, ['carrier_number', 'license_country', 'license_expiration', 'user_designation', 'user_email']);
});

test('a full create: every field mapped, the body accepted by the sandbox, what cannot be kept reported', () => {
  const full: UserAttributes = {
    ...base, is_active: true, status: 'ACTIVE', is_driver: true, user_designation: 'DRIVER', user_email: 'j@x.io',
    phone_number: '(555) 123-4567', phone_country_code: '+1', country_code: 'USA', license_country: 'USA', license_region: 'tx',
    license_number: 'D1', license_expiration: '2030-01-01', employee_number: 'E-1', carrier_number: 'MC1', notes: 'n',
    hos_ruleset_code: 'US_INT_PROP_60_7', allow_yard_move: true, allow_personal_conveyance: false, allow_adverse_driving: true,
    default_time_zone: 'America/Denver', dot_id: ' 1234567 ', hos_tracking_mode: { hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic' },
    hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic',
  };
  const r = create(full);
  const b = body(r);
  assert.deepEqual(b, {
    username: 'jdoe', licenseState: 'TX', licenseNumber: 'D1', notes: 'n', eldYmEnabled: true, eldPcEnabled: false,
    eldAdverseWeatherExemptionEnabled: true, timezone: 'America/Denver', name: 'John Doe', phone: '+15551234567', locale: 'us',
    externalIds: { fleetgate: EXT, employeeId: 'E-1' },
    usDriverRulesetOverride: { cycle: 'USA Property (7/60)', restart: '34-hour Restart', restbreak: 'Property (off-duty/sleeper)', usStateToOverride: '' },
    eldBigDayExemptionEnabled: false, waitingTimeDutyStatusEnabled: false, eldExempt: false, eldExemptReason: '',
    carrierSettings: { dotNumber: 1234567 },
  });
  assert.equal('password' in b, false);
  assert.deepEqual((r as { dropped: UserAttributeName[] }).dropped, ['user_email', 'license_country', 'license_expiration', 'carrier_number']);
  acceptedBySandbox(b, 'create');
});

test('create refusals: username, name, inactive, back-office, dot_id, license state', () => {
  const cases: Array<[UserAttributes, string]> = [
    [{ first_name: 'A', last_name: 'B' }, 'username'],
    [{ ...base, username: 'john doe' }, 'username'],
    [{ ...base, username: 'john@x.io' }, 'username'],
    [{ username: 'u' }, 'first_name'],
    [{ ...base, status: 'INACTIVE' }, 'status'],
    [{ ...base, is_active: false }, 'is_active'],
    [{ ...base, status: 'ACTIVE', is_active: false }, 'status'],
    [{ ...base, is_driver: false }, 'is_driver'],
    [{ ...base, user_designation: 'Dispatcher' }, 'user_designation'],
    [{ ...base, user_designation: 'Owner-Operator' }, 'user_designation'],
    [{ ...base, dot_id: 'US-123' }, 'dot_id'],
    [{ ...base, license_region: 'XX' }, 'license_region'],
    [{ ...base, hos_tracking_method: 'manual', hos_compliance_type: 'non_exempt' }, 'hos_tracking_method'],
    [{ ...base, hos_compliance_type: 'exempt', hos_tracking_mode: { hos_compliance_type: 'non_exempt' } }, 'hos_tracking_mode'],
    [{ ...base, phone_number: '5551234567' }, 'phone_country_code'],
    [{ ...base, phone_number: '12', phone_country_code: '+1' }, 'phone_number'],
    [{ ...base, phone_country_code: '1' }, 'phone_country_code'],
  ];
  for (const [attrs, field] of cases) assert.ok(refusedFields(create(attrs)).includes(field), `${JSON.stringify(attrs)} → ${field}`);
  // A free-text title beside is_driver=true is accepted but kept nowhere.
  const r = create({ ...base, is_driver: true, user_designation: 'Owner-Operator' });
  assert.deepEqual((r as { dropped: string[] }).dropped, ['user_designation']);
});

test('derivations: phone, locale, exemption, single names', () => {
  assert.equal(body(create({ ...base, phone_number: '+44 20 7946 0958' })).phone, '+442079460958');
  assert.equal(body(create({ ...base, phone_number: '0170 1234567', country_code: 'DEU' })).phone, '+491701234567');
  assert.equal(body(create({ ...base, phone_number: '06 6982 1234', country_code: 'ITA' })).phone, '+390669821234');
  assert.equal(body(create({ ...base, country_code: 'MEX' })).locale, 'mx');
  const jp = create({ ...base, country_code: 'JPN' });
  assert.equal('locale' in body(jp), false);
  assert.deepEqual((jp as { dropped: string[] }).dropped, ['country_code']);
  for (const [alpha3, locale] of Object.entries(SAMSARA_LOCALE_FOR_ALPHA3)) assert.ok((SAMSARA_LOCALES as readonly string[]).includes(locale), alpha3);
  const ex = body(create({ ...base, hos_compliance_type: 'exempt', hos_tracking_method: 'manual' }));
  assert.deepEqual([ex.eldExempt, typeof ex.eldExemptReason], [true, 'string']);
  assert.equal(body(create({ username: 'u', last_name: 'Solo' })).name, 'Solo');
});

test('update sends only what changed (+ the maps it must rewrite); a null only as a value Samsara has or its documented clear', () => {
  assert.deepEqual(body(update({ first_name: 'Jane' })), { name: 'Jane Doe' });
  assert.deepEqual(body(update({ allow_yard_move: null, user_email: null })), { eldYmEnabled: false });
  assert.deepEqual((update({ user_email: 'j@x.io' }) as { dropped: string[] }).dropped, ['user_email']);
  // "Explicitly setting this field to `null` will delete driver's ruleset override" (SDK docstring).
  assert.deepEqual(body(update({ hos_ruleset_code: null }, { ...base, hos_ruleset_code: 'US_INT_PROP_70_8' })), {
    usDriverRulesetOverride: null, eldBigDayExemptionEnabled: false, waitingTimeDutyStatusEnabled: false,
  });
  assert.deepEqual(body(update({ status: 'INACTIVE' })), { driverActivationStatus: 'deactivated' });
  assert.deepEqual(body(update({ is_active: true })), { driverActivationStatus: 'active' });
  assert.deepEqual(body(update({ employee_number: 'E-9' })), { externalIds: { fleetgate: EXT, employeeId: 'E-9' } });
  assert.deepEqual(body(update({ license_expiration: '2031-01-01' })), {});
  // country_code changes the phone's calling code only when no phone_country_code is known.
  assert.deepEqual(body(update({ country_code: 'CAN' }, { ...base, phone_number: '6045551234' })), { locale: 'ca', phone: '+16045551234' });
  assert.deepEqual(body(update({ country_code: 'CAN' }, { ...base, phone_number: '6045551234', phone_country_code: '+1' })), { locale: 'ca' });
  for (const [changes, field] of [
    [{ username: null }, 'username'], [{ first_name: null, last_name: null }, 'first_name'],
  ] as Array<[UserAttributes, string]>) {
    assert.ok(refusedFields(update(changes)).includes(field), JSON.stringify(changes));
  }
  acceptedBySandbox(body(update({ hos_ruleset_code: null })), 'update');
});

test('a clear Samsara documents no way to write is refused, naming the field, never sent as null', () => {
  const before: UserAttributes = {
    ...base, phone_number: '+15551234567', country_code: 'USA', license_region: 'TX', license_number: 'D1', notes: 'n',
    default_time_zone: 'America/Denver', dot_id: '123', employee_number: 'E-1',
  };
  for (const field of ['phone_number', 'country_code', 'license_region', 'license_number', 'notes', 'default_time_zone', 'dot_id', 'employee_number'] as const) {
    const r = update({ [field]: null }, before);
    assert.equal(r.ok, false, field);
    const refusal = (r as { refusals: Array<{ field: string; message: string }> }).refusals.find((x) => x.field === field);
    assert.match(refusal?.message ?? '', /Samsara documents no way to clear/, field);
  }
  acceptedBySandbox(body(update({ first_name: 'Jane', status: 'INACTIVE', user_email: null })), 'update');
});
