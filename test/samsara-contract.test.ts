// Contract between the Samsara adapter and the Samsara sandbox, whose vocabulary is generated from the
// official SDK (src/sandbox/samsara/sdk-vocabulary.ts) and shares nothing with the adapter: every body the
// adapter can build — a full create, every HOS code, every field changed or cleared on an update — names
// only members the SDK's request type has and is accepted by the sandbox's own validator; what the
// adapter cannot send is refused before a request, never sent to be refused by Samsara.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { HOS_RULESET_CODES } from '../src/contract/enums.ts';
import { USER_ATTRIBUTE_NAMES } from '../src/contract/resources/users.ts';
import type { UserAttributeName, UserAttributes } from '../src/contract/resources/users.ts';
import type { TrailerAttributes } from '../src/contract/resources/trailers.ts';
import type { VehicleAttributes } from '../src/contract/resources/vehicles.ts';
import { mapUserToSamsara, SAMSARA_FIELD_SUPPORT } from '../src/tsps/samsara/users/mapping.ts';
import { mapTrailerToSamsara } from '../src/tsps/samsara/trailers/mapping.ts';
import { mapVehicleToSamsara } from '../src/tsps/samsara/vehicles/mapping.ts';
import type { MappingResult, Write } from '../src/tsps/kit/types.ts';
import { mapMessageToSamsara } from '../src/tsps/samsara/messages/mapping.ts';
import { mapGroupMessageToSamsara } from '../src/tsps/samsara/group-messages/mapping.ts';
import { mapFuelTransactionToSamsara } from '../src/tsps/samsara/fuel-transactions/mapping.ts';
import { parseDriverWrite } from '../src/sandbox/samsara/driver-model.ts';
import { checkSdkObject } from '../src/sandbox/samsara/sdk-check.ts';
import { parseAssetWrite } from '../src/sandbox/samsara/asset-model.ts';
import { applyTrailerPatch, parseTrailerCreate } from '../src/sandbox/samsara/trailer-model.ts';
import { SAMSARA_SDK } from '../src/sandbox/samsara/sdk-vocabulary.ts';

type Json = Record<string, unknown>;
const EXT = randomUUID();
const members = (object: string): string[] => Object.keys(SAMSARA_SDK.objects[object].fields);
const NO_REFS = {
  tag: (id: string) => assert.fail(`the adapter referred to tag ${id}`),
  findTag: () => undefined,
  vehicleName: () => undefined,
  nowMs: Date.now(),
};

const FULL_USER: UserAttributes = {
  username: 'jdoe', first_name: 'John', last_name: 'Doe', is_active: true, status: 'ACTIVE', is_driver: true, user_designation: 'DRIVER',
  user_email: 'j@x.io', phone_number: '(555) 123-4567', phone_country_code: '+1', country_code: 'USA', license_country: 'USA',
  license_region: 'TX', license_number: 'D1', license_expiration: '2030-01-01', employee_number: 'E-1', carrier_number: 'MC1', notes: 'n',
  hos_ruleset_code: 'US_INT_PROP_70_8', allow_yard_move: true, allow_personal_conveyance: true, allow_adverse_driving: true,
  default_time_zone: 'America/Denver', dot_id: '1234567', hos_tracking_mode: { hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic' },
  hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic',
};
/** Another value for each field, one a change to it would send. */
const OTHER: Partial<Record<UserAttributeName, unknown>> = {
  username: 'jdoe2', first_name: 'Jane', last_name: 'Roe', is_active: false, status: 'INACTIVE', user_designation: 'Driver', user_email: 'k@x.io',
  phone_number: '+442079460958', phone_country_code: '+44', country_code: 'CAN', license_region: 'ON', license_number: 'D2', employee_number: 'E-2',
  notes: 'm', hos_ruleset_code: 'US_TX_INTRA_PROP_70_7', allow_yard_move: false, allow_personal_conveyance: false, allow_adverse_driving: false,
  default_time_zone: 'Asia/Kolkata', dot_id: '7654321', hos_compliance_type: 'exempt', hos_tracking_method: 'automatic',
  hos_tracking_mode: { hos_compliance_type: 'exempt' },
};

const userBody = (operation: 'create' | 'update', changes: UserAttributes, before: UserAttributes = FULL_USER) =>
  mapUserToSamsara({ operation, changes, merged: operation === 'create' ? changes : { ...before, ...changes }, externalId: EXT });

/** The body, which must name only SDK members and pass the sandbox's validator. */
function sendable(result: MappingResult | ReturnType<typeof userBody>, sdkType: string, accept: (body: Json) => void, label: string): Json | undefined {
  if (!result.ok) return undefined;
  const body = result.body as Json;
  const unknown = Object.keys(body).filter((k) => !members(sdkType).includes(k));
  assert.deepEqual(unknown, [], `${label}: members ${sdkType} lacks`);
  assert.doesNotThrow(() => accept(body), (e: Error) => `${label}: the sandbox refused ${JSON.stringify(body)}: ${e.message}`);
  return body;
}

test('every user body the adapter can build is a CreateDriverRequest / UpdateDriverRequest the sandbox accepts', () => {
  const written = new Set<string>();
  const create = (b: Json) => parseDriverWrite({ ...b, password: 'pw' }, 'create', NO_REFS);
  const update = (b: Json) => parseDriverWrite(b, 'update', NO_REFS);
  const note = (b: Json | undefined) => Object.keys(b ?? {}).forEach((k) => written.add(k));

  const full = sendable(userBody('create', FULL_USER), 'CreateDriverRequest', create, 'full create');
  assert.ok(full, 'the full create was mapped');
  note(full);
  let hos = 0;
  for (const code of HOS_RULESET_CODES) {
    const b = sendable(userBody('create', { ...FULL_USER, hos_ruleset_code: code }), 'CreateDriverRequest', create, code);
    if (b) hos += 1;
  }
  assert.ok(hos > 60, `${hos} HOS codes mapped`);

  let refusedClears = 0;
  for (const field of USER_ATTRIBUTE_NAMES) {
    if (Object.hasOwn(OTHER, field)) note(sendable(userBody('update', { [field]: OTHER[field] }), 'UpdateDriverRequest', update, `update ${field}`));
    const clear = userBody('update', { [field]: null });
    if (clear.ok) note(sendable(clear, 'UpdateDriverRequest', update, `clear ${field}`));
    else refusedClears += 1;
  }
  // The clears Samsara documents no way to write (phone, locale, licence, notes, zone, DOT number, employee id, username, names).
  assert.ok(refusedClears >= 9, String(refusedClears));

  // Every field Samsara stores reaches a member of the SDK's request; the e-mail reaches none.
  const stored = USER_ATTRIBUTE_NAMES.filter((f) => SAMSARA_FIELD_SUPPORT[f] === 'stored');
  assert.ok(!stored.includes('user_email'));
  assert.ok(written.size >= 15, [...written].join());
  for (const member of written) assert.ok(members('UpdateDriverRequest').includes(member) || members('CreateDriverRequest').includes(member), member);
  assert.equal(written.has('email'), false);
});

test('a clear the adapter refuses is one the sandbox would refuse too (a null the SDK types no null for)', () => {
  for (const field of USER_ATTRIBUTE_NAMES) {
    const clear = userBody('update', { [field]: null });
    if (clear.ok) continue;
    // Refused at submit with the reason (a documented clear is missing, or the value is required).
    const refusal = clear.refusals.find((r) => r.field === field);
    assert.match(refusal?.message ?? '', /documents no way to clear|requires|cannot be cleared/, field);
  }
  for (const member of ['phone', 'locale', 'licenseState', 'licenseNumber', 'notes', 'timezone', 'carrierSettings', 'externalIds']) {
    assert.throws(() => parseDriverWrite({ [member]: null }, 'update', NO_REFS), /must not be null/, member);
  }
  assert.doesNotThrow(() => parseDriverWrite({ usDriverRulesetOverride: null }, 'update', NO_REFS));
});

const TRAILER: TrailerAttributes = { trailer_name: 'T 1', license_plate_number: '7TYP290', notes: 'swing door', vin: 'SN-1', external_id: 'T-1' };
const VEHICLE: VehicleAttributes = { vehicle_name: 'Truck 1', oem: 'Freightliner', model_type: 'Cascadia', model_year: 2022, vin: '1FUJGLDR12LM12345', license_plate_number: 'HMT-3570', notes: 'n', external_id: 'V-1' };
const assetWrite = <A extends Record<string, unknown>>(operation: 'create' | 'update', changes: A, before: A): Write => ({
  operation,
  changes,
  merged: operation === 'create' ? changes : { ...before, ...changes },
  externalId: EXT,
  ...(operation === 'update' && { sourceId: '1' }),
});

test('every trailer and vehicle body the adapter can build names only SDK members and is accepted by the sandbox', () => {
  assert.ok(sendable(mapTrailerToSamsara(assetWrite('create', TRAILER, TRAILER)), 'TrailersCreateTrailerRequestBody', (b) => parseTrailerCreate(b), 'trailer create'));
  for (const [field, value] of Object.entries({ trailer_name: 'T 2', license_plate_number: 'X1', notes: null, vin: null, external_id: 'T-2' })) {
    assert.ok(sendable(mapTrailerToSamsara(assetWrite('update', { [field]: value }, TRAILER)), 'TrailersUpdateTrailerRequestBody', (b) => applyTrailerPatch({ name: 'T 1' }, b), `trailer ${field}`));
  }
  assert.ok(sendable(mapVehicleToSamsara(assetWrite('create', VEHICLE, VEHICLE)), 'AssetsCreateAssetRequestBody', (b) => parseAssetWrite(b, 'create'), 'vehicle create'));
  for (const [field, value] of Object.entries({ vehicle_name: 'Truck 2', oem: null, vin: 'SHORT1', notes: null, external_id: 'V-2', model_year: 2023 })) {
    assert.ok(sendable(mapVehicleToSamsara(assetWrite('update', { [field]: value }, VEHICLE)), 'AssetsUpdateAssetRequestBody', (b) => parseAssetWrite(b, 'update'), `vehicle ${field}`));
  }
});

test('message, group message and fuel purchase bodies are the SDK\'s InlineObject2 and FuelPurchasePostFuelPurchaseRequestBody', () => {
  const once = (changes: Json, refs: Write['refs']): Write => ({ operation: 'create', changes, merged: changes, externalId: EXT, refs });
  const sdkShaped = (sdkType: string) => (b: Json) => checkSdkObject(sdkType, b, 'body');
  assert.ok(sendable(mapMessageToSamsara(once({ sender_id: randomUUID(), recipient_id: randomUUID(), message_text: 'Dock 4', priority: 'high' }, { sender_id: '7', recipient_id: '8' })),
    'InlineObject2', sdkShaped('InlineObject2'), 'message'));
  assert.ok(sendable(mapGroupMessageToSamsara(once({ sender_id: randomUUID(), recipient_ids: [randomUUID(), randomUUID()], message_text: 'Yard' }, { sender_id: '7', recipient_ids: ['8', '9'] })),
    'InlineObject2', sdkShaped('InlineObject2'), 'group message'));
  const fuel = {
    driver_id: randomUUID(), vehicle_id: randomUUID(), latitude: 40.748441, longitude: -73.985664, transaction_time: '2026-02-27T14:20:50.52-07:00',
    fuel_type: 'DIESEL', fuel_volume: 12.5, fuel_volume_unit: 'US_GALLON', fuel_vendor: 'Shell', total_cost: '150.25', currency: 'USD',
  };
  const body = sendable(mapFuelTransactionToSamsara(once(fuel, { driver_id: '5', vehicle_id: '6' })), 'FuelPurchasePostFuelPurchaseRequestBody',
    sdkShaped('FuelPurchasePostFuelPurchaseRequestBody'), 'fuel purchase');
  assert.ok(body, 'the fuel purchase was mapped');
});
