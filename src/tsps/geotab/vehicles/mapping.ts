// Normalized vehicle (Catena's VehicleCreate / VehicleUpdate) → Geotab `Device` members for Add (create)
// or the members to apply to the fetched device before Set (update; Set replaces the whole entity).
// One row per normalized field (FIELD_RULES), each with its source; the capability matrix, the submit-time
// refusals and the mapper all read the table. Source keys as in ../assets-native.ts:
//   [dev:X] developers.geotab.com/myGeotab/apiReference/objects/X   [ff:X] fairfleet/geotab ObjectModel/X.ts
//   [sdkxml] Geotab/sdk software/api/SDK.xml   [notes] Geotab/sdk src/new.md   [import] importDevices.js
import type { VehicleAttributeName, VehicleAttributes } from '../../../contract/resources/vehicles.ts';
import { applyFieldRules, fieldSupport, refusalCollector, sent, writtenChanges } from '../../kit/mapping-kit.ts';
import type { Attrs, DirectRule, FieldSupport, MappingResult } from '../../kit/mapping-kit.ts';
import { GEOTAB_VEHICLE_GROUPS } from '../assets-native.ts';
import { deriveActivation, deviceText, deviceTypeRefusal, productIdRefusal, toDeviceType, toProductId } from './derive.ts';

type FieldRule =
  | DirectRule
  /** is_active and status together: the device's activeTo (derive.ts). */
  | { kind: 'derived'; group: 'activation' }
  /** Geotab's Device has no member for it: reported in `dropped` when sent non-null. */
  | { kind: 'not_stored'; why: string };

/** An update's null writes "" (Geotab's default for these texts) or is refused where Geotab always holds a value. */
const direct = (native: string, onNull: 'empty' | 'refuse', extra: Pick<DirectRule, 'convert' | 'refuse'> = {}): DirectRule => ({
  kind: 'direct',
  native,
  onNull,
  ...(onNull === 'refuse' && { nullRefusal: `Geotab always holds a device's ${native}; it cannot be cleared` }),
  ...extra,
});
const notStored = (why: string): FieldRule => ({ kind: 'not_stored', why });

const NO_MODEL = 'a Geotab Device has no make, model or year member [ff:Device]; Geotab decodes them from the VIN itself';
const NO_UNITS = "a Geotab Device has no unit or fuel-capacity member [ff:Device]; units are each user's setting";

const FIELD_RULES: Readonly<Record<VehicleAttributeName, FieldRule>> = {
  // Device.name: required on Add ([import]: "Device Name is required."), "Maximum length [50]" [dev:Device].
  vehicle_name: direct('name', 'refuse', { refuse: deviceText('name', true) }),
  oem: notStored(NO_MODEL),
  model_type: notStored(NO_MODEL),
  model_year: notStored(NO_MODEL),
  // VehicleIdentificationNumber "Maximum length [50] Default [""]" [dev:GoAnywhereLite; sdkxml GoDevice]; [import] sends it.
  vin: direct('vehicleIdentificationNumber', 'empty', { refuse: deviceText('vehicleIdentificationNumber') }),
  // EngineVehicleIdentificationNumber is "reported by the engine" and not settable ([sdkxml]: isSupported false).
  engine_vin: notStored('Geotab keeps only the engine VIN its device reads from the engine (engineVehicleIdentificationNumber)'),
  // LicenseState "The state or province of the vehicle … Maximum length [50]" [dev:GoAnywhereLite].
  license_plate_region: direct('licenseState', 'empty', { refuse: deviceText('licenseState') }),
  license_plate_country: notStored('a Geotab Device keeps the plate state (licenseState) but no plate country [dev:GoAnywhereLite]'),
  // LicensePlate "Maximum length [50] Default [""]" [dev:GoAnywhereLite].
  license_plate_number: direct('licensePlate', 'empty', { refuse: deviceText('licensePlate') }),
  // activeTo: now archives, the max date 2050-01-01 is active ([notes] 5.7.1901, 5.7.1902; [dev:Device] Default [MaxDate]).
  is_active: { kind: 'derived', group: 'activation' },
  status: { kind: 'derived', group: 'activation' },
  // Comment: "Free text field where any user information can be stored" [dev:Device].
  notes: direct('comment', 'empty'),
  eld_id: notStored("Geotab assigns a device's id itself; it knows the ELD by its serial number (eld_serial_number)"),
  // SerialNumber: required on Add ([import]: "Serial Number is required."), "Maximum length [12]" [dev:Device].
  eld_serial_number: direct('serialNumber', 'refuse', { refuse: deviceText('serialNumber', true) }),
  // DeviceType enumeration [ff:DeviceType], spelled as Geotab spells it.
  eld_device_type: direct('deviceType', 'refuse', { convert: toDeviceType, refuse: deviceTypeRefusal }),
  // ProductId "Each device is assigned a unique hardware product id" (an integer, [sdkxml] System.Int32).
  eld_product_id: direct('productId', 'refuse', { convert: toProductId, refuse: productIdRefusal }),
  total_axles: notStored('a Geotab Device has no axle count [ff:Device]'),
  // Geotab keeps no external id on a device: findExisting finds a device by its serial number instead.
  external_id: notStored('a Geotab Device has no external-id member [ff:Device]'),
  speed_unit: notStored(NO_UNITS),
  odometer_unit: notStored(NO_UNITS),
  fuel_unit: notStored(NO_UNITS),
  fuel_capacity: notStored(NO_UNITS),
  // The powertrain and fuel-type groups of 8.0 "automatically classif[y]" vehicles ([notes] 8.0): Geotab's own reading.
  engine_type: notStored('Geotab classifies a vehicle\'s powertrain and fuel type itself (built-in groups of 8.0)'),
};

/** What Geotab keeps of each normalized vehicle field (read by the capability matrix). */
export const GEOTAB_VEHICLE_FIELD_SUPPORT: Readonly<Record<VehicleAttributeName, FieldSupport>> = fieldSupport(FIELD_RULES);

// Add needs both; without them Geotab refuses the device, so the write is refused at submit instead.
const REQUIRED_ON_CREATE: ReadonlyArray<[VehicleAttributeName, string]> = [
  ['vehicle_name', 'Geotab requires a device name (Device.name, at most 50 characters): send vehicle_name'],
  ['eld_serial_number', 'Geotab adds a vehicle as the device that tracks it and requires its serial number (Device.serialNumber, at most 12 characters): send eld_serial_number'],
];

export function mapVehicleToGeotab(input: { operation: 'create' | 'update'; changes: VehicleAttributes; merged: VehicleAttributes; now?: Date }): MappingResult {
  const isCreate = input.operation === 'create';
  const changes = writtenChanges(input.operation, input.changes as Attrs);
  const merged = input.merged as Attrs;
  const body: Record<string, unknown> = {};
  const dropped: VehicleAttributeName[] = [];
  const { refusals, refuse } = refusalCollector();

  applyFieldRules('Geotab', FIELD_RULES, changes, { body, drop: (field) => dropped.push(field), refuse });
  if (isCreate) {
    for (const [field, message] of REQUIRED_ON_CREATE) if (!sent(changes, field)) refuse({ field, input: null, message });
  }
  const activation = deriveActivation(merged, changes, isCreate, input.now ?? new Date());
  if ('refusal' in activation) refuse(activation.refusal);
  else {
    Object.assign(body, activation.fields);
    dropped.push(...activation.dropped);
  }

  if (refusals.length > 0) return { ok: false, refusals };
  if (isCreate) body.groups = GEOTAB_VEHICLE_GROUPS.map((g) => ({ ...g }));
  return { ok: true, body, dropped };
}
