// The Geotab mapping tables as data: every normalized HOS code and time zone either maps to a value
// Geotab accepts or is refused with a reason, and every field rule does what providers.md says.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HOS_RULESET_CODES, TIME_ZONES } from '../src/contract/enums.ts';
import type { UserAttributes } from '../src/contract/resources/users.ts';
import { ALPHA2_FOR_ALPHA3, GEOTAB_FIELD_SUPPORT, GEOTAB_HOS, mapUserToGeotab } from '../src/tsps/geotab/users/mapping.ts';
import { GEOTAB_ACTIVE_FOREVER, GEOTAB_HOS_RULESET_SET, isAlpha2, isIanaZone } from '../src/tsps/geotab/native.ts';
import { USER_FIELDS } from '../src/sandbox/geotab/user-model.ts';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const create = (user: UserAttributes) => mapUserToGeotab({ operation: 'create', changes: user, merged: user, now: NOW });
const update = (before: UserAttributes, changes: UserAttributes) =>
  mapUserToGeotab({ operation: 'update', changes, merged: { ...before, ...changes }, now: NOW });
const body = (r: ReturnType<typeof mapUserToGeotab>): Record<string, unknown> => {
  assert.equal(r.ok, true, JSON.stringify(r));
  return (r as { body: Record<string, unknown> }).body;
};
const refusedFields = (r: ReturnType<typeof mapUserToGeotab>): string[] => {
  assert.equal(r.ok, false);
  return (r as { refusals: { field: string }[] }).refusals.map((x) => x.field);
};

describe('HOS rulesets', () => {
  test('all 134 codes are explicit: a Geotab hosRuleSet value or a refusal with a reason', () => {
    assert.equal(HOS_RULESET_CODES.length, 134);
    assert.deepEqual(Object.keys(GEOTAB_HOS).sort(), [...HOS_RULESET_CODES].sort());
    let mapped = 0;
    for (const code of HOS_RULESET_CODES) {
      const entry = GEOTAB_HOS[code];
      if (typeof entry === 'string') {
        assert.ok(GEOTAB_HOS_RULESET_SET.has(entry), `${code} → ${entry} is not a Geotab value`);
        assert.equal(body(create({ username: 'u', hos_ruleset_code: code })).hosRuleSet, entry);
        mapped += 1;
      } else {
        assert.ok(entry.unsupported.length > 20, code);
        const r = create({ username: 'u', hos_ruleset_code: code });
        assert.deepEqual(refusedFields(r), ['hos_ruleset_code'], code);
        assert.match((r as { refusals: { message: string }[] }).refusals[0].message, new RegExp(`Geotab cannot represent ${code}`));
      }
    }
    assert.equal(mapped, 121); // and 13 refused
  });

  test('the Canadian team, no-ruleset, oil-and-gas and BC logging codes map to the rulesets Geotab added for them', () => {
    // Refused before on the false ground that Geotab had no such ruleset (issue 14).
    assert.deepEqual(
      (['CA_N60_C1_TEAM', 'CA_N60_C2_TEAM', 'CA_N60_NOHOS', 'CA_N60_OIL', 'CA_N60_OIL_TEAM', 'CA_S60_OIL', 'CA_OIL_TEAM', 'CA_BC_PROV_LOG'] as const).map(
        (code) => body(create({ username: 'u', hos_ruleset_code: code })).hosRuleSet,
      ),
      ['CanadaNorthOf60CycleOneTeam', 'CanadaNorthOf60CycleTwoTeam', 'NoneCanadaNorthOf60', 'CanadaNorthOf60Oil', 'CanadaNorthOf60OilTeam', 'CanadaOil', 'CanadaOilTeam', 'CanadaBCLoggingTruck'],
    );
  });

  test("providers.md's examples map as documented", () => {
    assert.equal(GEOTAB_HOS.US_INT_PROP_70_8, 'America8Day');
    assert.equal(GEOTAB_HOS.US_INT_PROP_70_8_SH, 'AmericaShortHaul8Day');
    assert.equal(GEOTAB_HOS.US_INT_PROP_70_8_NOBRK, 'AmericaNoRestRequirement8Day');
    assert.equal(GEOTAB_HOS.US_TX_INTRA_PROP_70_7, 'AmericaTexas');
    assert.equal(GEOTAB_HOS.CA_FED_C1_70_7, 'CanadaCycleOne');
    assert.equal(GEOTAB_HOS.CA_N60_C2_120_14, 'CanadaNorthOf60CycleTwo');
  });

  test('no two codes share a Geotab ruleset (each mapping is name for name)', () => {
    const values = Object.values(GEOTAB_HOS).filter((v) => typeof v === 'string');
    assert.equal(new Set(values).size, values.length);
  });

  test('a ruleset cannot be cleared on update (Geotab always holds one)', () => {
    assert.deepEqual(refusedFields(update({ username: 'u' }, { hos_ruleset_code: null })), ['hos_ruleset_code']);
  });
});

describe('time zones', () => {
  test('all 169 seed zones pass through as IANA ids the sandbox accepts', () => {
    assert.equal(TIME_ZONES.length, 169);
    const check = (USER_FIELDS.timeZoneId as { check: (v: string) => string | null }).check;
    for (const zone of TIME_ZONES) {
      assert.ok(isIanaZone(zone), zone);
      assert.equal(check(zone), null, zone);
      assert.equal(body(create({ username: 'u', default_time_zone: zone })).timeZoneId, zone);
    }
  });

  test('an explicit null on update is refused (Geotab users always have a zone)', () => {
    assert.deepEqual(refusedFields(update({ username: 'u' }, { default_time_zone: null })), ['default_time_zone']);
  });
});

describe('countries', () => {
  test('every alpha-3 in the table maps to a distinct valid ISO alpha-2', () => {
    const values = Object.values(ALPHA2_FOR_ALPHA3);
    assert.equal(new Set(values).size, values.length);
    for (const [a3, a2] of Object.entries(ALPHA2_FOR_ALPHA3)) {
      assert.match(a3, /^[A-Z]{3}$/);
      assert.ok(isAlpha2(a2), `${a3} → ${a2}`);
    }
  });

  test("the countries of the seed's time zones are all covered", () => {
    const zoneCountries = [
      'USA', 'CAN', 'MEX', 'GTM', 'BLZ', 'HND', 'NIC', 'CRI', 'PAN', 'COL', 'PER', 'CHL', 'ARG', 'BRA', 'URY', 'PRI',
      'GBR', 'IRL', 'PRT', 'ESP', 'FRA', 'BEL', 'NLD', 'LUX', 'DEU', 'CHE', 'AUT', 'ITA', 'DNK', 'SWE', 'NOR', 'CZE',
      'HUN', 'POL', 'FIN', 'EST', 'LVA', 'LTU', 'SRB', 'ALB', 'BGR', 'GRC', 'ROU', 'UKR', 'MDA', 'TUR', 'RUS', 'MAR',
      'DZA', 'TUN', 'EGY', 'LBY', 'NGA', 'GHA', 'SEN', 'CIV', 'KEN', 'TZA', 'UGA', 'ZAF', 'MOZ', 'NAM', 'ARE', 'SAU',
      'QAT', 'KWT', 'BHR', 'OMN', 'IRQ', 'JOR', 'LBN', 'ISR', 'AZE', 'GEO', 'ARM', 'KAZ', 'UZB', 'PAK', 'IND', 'BGD',
      'LKA', 'NPL', 'THA', 'VNM', 'SGP', 'MYS', 'IDN', 'PHL', 'CHN', 'HKG', 'TWN', 'KOR', 'JPN', 'AUS', 'NZL',
    ];
    for (const a3 of zoneCountries) assert.ok(Object.hasOwn(ALPHA2_FOR_ALPHA3, a3), a3);
    assert.equal(body(create({ username: 'u', country_code: 'CAN' })).countryCode, 'CA');
    assert.equal(body(create({ username: 'u', country_code: 'usa' })).countryCode, 'US');
  });

  test('an unknown country is refused, never guessed', () => {
    assert.deepEqual(refusedFields(create({ username: 'u', country_code: 'XYZ' })), ['country_code']);
  });
});

describe('field rules', () => {
  test('name is the username, else the e-mail; neither is refused; an e-mail beside a username is dropped', () => {
    const both = create({ username: 'jdoe', user_email: 'j@x.io' });
    assert.equal(body(both).name, 'jdoe');
    assert.deepEqual((both as { dropped: string[] }).dropped, ['user_email']);
    assert.equal(body(create({ user_email: 'j@x.io' })).name, 'j@x.io');
    assert.deepEqual(refusedFields(create({ first_name: 'A' })), ['username']);
    assert.deepEqual(refusedFields(create({ username: 'x'.repeat(256) })), ['username']);
  });

  test('a create carries what Add needs: groups, authentication type, active period; never a password', () => {
    const b = body(create({ username: 'u', first_name: 'Ada', last_name: 'L' }));
    assert.deepEqual(b.companyGroups, [{ id: 'GroupCompanyId' }]);
    assert.equal(b.userAuthenticationType, 'BasicAuthentication');
    assert.equal(b.activeFrom, NOW.toISOString());
    assert.equal(b.activeTo, GEOTAB_ACTIVE_FOREVER);
    assert.equal(b.changePassword, true);
    assert.equal(Object.hasOwn(b, 'password'), false);
    assert.deepEqual(b.securityGroups, [{ id: 'GroupViewOnlySecurityId' }]);
  });

  test('clearances: driver → Drive, ADMIN → Everything, other titles → Supervisor; contradictions refused', () => {
    const groups = (u: UserAttributes) => body(create({ username: 'u', ...u })).securityGroups;
    assert.deepEqual(groups({ is_driver: true }), [{ id: 'GroupDriveUserSecurityId' }]);
    assert.deepEqual(groups({ user_designation: 'DRIVER' }), [{ id: 'GroupDriveUserSecurityId' }]);
    assert.deepEqual(groups({ user_designation: 'Admin' }), [{ id: 'GroupEverythingSecurityId' }]);
    assert.deepEqual(groups({ user_designation: 'ADMIN', is_driver: true }), [{ id: 'GroupEverythingSecurityId' }]);
    assert.deepEqual(groups({ user_designation: 'DISPATCHER' }), [{ id: 'GroupSupervisorSecurityId' }]);
    assert.deepEqual(groups({ is_driver: false }), [{ id: 'GroupSupervisorSecurityId' }]);
    const driver = body(create({ username: 'u', is_driver: true, user_designation: 'Owner-Operator' }));
    assert.deepEqual([driver.isDriver, driver.designation, driver.driverGroups], [true, 'Owner-Operator', [{ id: 'GroupCompanyId' }]]);
    assert.deepEqual(refusedFields(create({ username: 'u', is_driver: false, user_designation: 'DRIVER' })), ['is_driver']);
    assert.deepEqual(refusedFields(create({ username: 'u', user_designation: 'x'.repeat(51) })), ['user_designation']);
  });

  test('status: ACTIVE → activeTo 2050-01-01, INACTIVE → now; contradictions refused', () => {
    assert.equal(body(update({ username: 'u' }, { status: 'INACTIVE' })).activeTo, NOW.toISOString());
    assert.equal(body(update({ username: 'u' }, { is_active: true })).activeTo, GEOTAB_ACTIVE_FOREVER);
    assert.deepEqual(refusedFields(create({ username: 'u', status: 'ACTIVE', is_active: false })), ['status']);
  });

  test('phone "+1 5555555555" from the country code and number; ≤20 characters', () => {
    assert.equal(body(create({ username: 'u', phone_country_code: '+1', phone_number: '5555555555' })).phoneNumber, '+1 5555555555');
    assert.equal(body(create({ username: 'u', phone_number: '+44 20 7946 0958' })).phoneNumber, '+44 20 7946 0958');
    assert.deepEqual(refusedFields(create({ username: 'u', phone_country_code: '1', phone_number: '5' })), ['phone_country_code']);
    assert.deepEqual(refusedFields(create({ username: 'u', phone_country_code: '+1', phone_number: '5'.repeat(19) })), ['phone_number']);
    assert.equal(body(update({ username: 'u', phone_number: '5' }, { phone_number: null })).phoneNumber, '');
  });

  test('carrierNumber from dot_id, else carrier_number; a different carrier_number beside dot_id is dropped', () => {
    assert.equal(body(create({ username: 'u', carrier_number: 'MC-1' })).carrierNumber, 'MC-1');
    const both = create({ username: 'u', carrier_number: 'MC-1', dot_id: '1234567' });
    assert.equal(body(both).carrierNumber, '1234567');
    assert.deepEqual((both as { dropped: string[] }).dropped, ['carrier_number']);
  });

  test('isExemptHOSEnabled from hos_compliance_type; the grouped object must agree', () => {
    assert.equal(body(create({ username: 'u', hos_compliance_type: 'exempt' })).isExemptHOSEnabled, true);
    assert.equal(body(create({ username: 'u', hos_tracking_mode: { hos_compliance_type: 'non_exempt' } })).isExemptHOSEnabled, false);
    const clash = create({ username: 'u', hos_compliance_type: 'exempt', hos_tracking_mode: { hos_compliance_type: 'non_exempt' } });
    assert.deepEqual(refusedFields(clash), ['hos_tracking_mode']);
  });

  test('an update writes only the touched fields; nulls clear text to "" and permissions to false', () => {
    const b = body(update({ username: 'u', first_name: 'A', notes: 'n' }, { first_name: 'B', notes: null, allow_yard_move: null }));
    assert.deepEqual(b, { firstName: 'B', comment: '', isYardMoveEnabled: false });
    assert.deepEqual(refusedFields(update({ username: 'u' }, { employee_number: 'e'.repeat(51) })), ['employee_number']);
  });

  test('fields Geotab cannot store are reported as dropped and marked unsupported', () => {
    const r = create({ username: 'u', license_country: 'USA', license_expiration: '2030-01-01', hos_tracking_method: 'manual' });
    assert.deepEqual((r as { dropped: string[] }).dropped.sort(), ['hos_tracking_method', 'license_country', 'license_expiration']);
    const unsupported = Object.entries(GEOTAB_FIELD_SUPPORT).filter(([, s]) => s === 'not_stored').map(([f]) => f).sort();
    assert.deepEqual(unsupported, ['hos_tracking_method', 'license_country', 'license_expiration']);
  });
});
