// Normalized vehicle (Catena VehicleCreate / VehicleUpdate) → Motive `POST/PUT /v1/vehicles` body.
// One row per normalized field, each with its source; the capability matrix (MOTIVE_VEHICLE_FIELD_SUPPORT)
// and the mapper both read this table. Sources:
//   [KT16]   armdev/public_api_docs @177c9ec4 pages/11-vehicles.markdown (create: `number` required;
//            eld_device_id, ifta, metric_units, prevent_auto_odometer_entry, fuel_type, vin,
//            license_plate_state, license_plate_number, make, model, year (string); update adds status)
//   [create] https://developer.gomotive.com/reference/create-a-vehicle (example body adds `notes` and
//            `external_ids_attributes`; "The combination of the external ID and the integration name will
//            always be unique")
import type { VehicleAttributeName } from '../../../contract/resources/vehicles.ts';
import { activationSent, labelDropped } from '../../kit/assets.ts';
import { applyFieldRules, fieldSupport, refusalCollector, sent, writtenChanges } from '../../kit/mapping-kit.ts';
import type { Attrs, DirectRule, FieldSupport } from '../../kit/mapping-kit.ts';
import type { MappingResult, Write } from '../../kit/types.ts';
import { MOTIVE_INTEGRATION_NAME } from '../native.ts';
import { deriveStatus, deriveUnits, fuelRefusal, fuelTypeFor, unitRefusal } from './derive.ts';
import type { DerivedGroup, GroupResult } from './derive.ts';

type FieldRule =
  | DirectRule
  | { kind: 'derived'; group: DerivedGroup; refuse?: (value: unknown) => string | null }
  | { kind: 'not_stored'; why: string };

const NUMBER_REQUIRED = 'Motive requires number (the vehicle_name) on every vehicle';
const requiredNumber = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? null : NUMBER_REQUIRED);
const NO_ELD_LOOKUP = 'Motive attaches an ELD only by its own eld_device_id [KT16], which fleetgate does not resolve';

const FIELD_RULES: Readonly<Record<VehicleAttributeName, FieldRule>> = {
  vehicle_name: { kind: 'direct', native: 'number', onNull: 'refuse', nullRefusal: NUMBER_REQUIRED, refuse: (v) => (v == null ? null : requiredNumber(v)) }, // [KT16] required
  oem: { kind: 'direct', native: 'make', onNull: 'null' }, // [KT16]
  model_type: { kind: 'direct', native: 'model', onNull: 'null' }, // [KT16]
  model_year: { kind: 'direct', native: 'year', onNull: 'null', convert: (v) => String(v) }, // [KT16] year is a string
  vin: { kind: 'direct', native: 'vin', onNull: 'null' }, // [KT16]
  engine_vin: { kind: 'not_stored', why: 'Motive vehicles have no engine serial field [KT16]' },
  license_plate_region: { kind: 'direct', native: 'license_plate_state', onNull: 'null' }, // [KT16]
  license_plate_country: { kind: 'not_stored', why: 'Motive keeps the plate state only [KT16]' },
  license_plate_number: { kind: 'direct', native: 'license_plate_number', onNull: 'null' }, // [KT16]
  is_active: { kind: 'derived', group: 'status' }, // [KT16] status active|deactivated
  status: { kind: 'derived', group: 'status' }, // OUT_OF_SERVICE → deactivated, other labels → active (kit/assets.ts)
  notes: { kind: 'direct', native: 'notes', onNull: 'null' }, // [create]
  eld_id: { kind: 'not_stored', why: NO_ELD_LOOKUP },
  eld_serial_number: { kind: 'not_stored', why: NO_ELD_LOOKUP },
  eld_device_type: { kind: 'not_stored', why: 'eld_device.model is read-only at Motive [KT16]' },
  eld_product_id: { kind: 'not_stored', why: 'Motive vehicles have no ELD product field [KT16]' },
  total_axles: { kind: 'not_stored', why: 'Motive vehicles have no axle field [KT16]' },
  external_id: { kind: 'not_stored', why: "Motive's external ids are keyed by integration; fleetgate's pair holds its own id" },
  speed_unit: { kind: 'derived', group: 'units', refuse: unitRefusal('speed_unit') }, // [KT16] metric_units
  odometer_unit: { kind: 'derived', group: 'units', refuse: unitRefusal('odometer_unit') }, // [KT16] metric_units
  fuel_unit: { kind: 'not_stored', why: 'Motive keeps no fuel unit of its own beyond metric_units [KT16]' },
  fuel_capacity: { kind: 'not_stored', why: 'Motive vehicles have no fuel capacity field [KT16]' },
  engine_type: { kind: 'direct', native: 'fuel_type', onNull: 'null', convert: fuelTypeFor, refuse: fuelRefusal }, // [KT16] via MOTIVE_FUEL_FOR_ENGINE
};

/** What Motive keeps of each normalized vehicle field (read by the capability matrix). */
export const MOTIVE_VEHICLE_FIELD_SUPPORT: Readonly<Record<VehicleAttributeName, FieldSupport>> = fieldSupport(FIELD_RULES);

const DERIVATIONS: Readonly<Record<DerivedGroup, { touched(changes: Attrs): boolean; derive(m: Attrs, changes: Attrs): GroupResult }>> = {
  status: { touched: (c) => activationSent(c, { statusSaysActive: true }), derive: deriveStatus },
  units: { touched: (c) => sent(c, 'odometer_unit') || sent(c, 'speed_unit'), derive: deriveUnits },
};

export function mapVehicleToMotive(write: Write): MappingResult {
  const isCreate = write.operation === 'create';
  // On create a null means "not set": Motive's default applies, so nothing is sent, refused or dropped.
  const changes = writtenChanges(write.operation, write.changes);
  const body: Record<string, unknown> = {};
  const dropped: string[] = [];
  const { refusals, refuse } = refusalCollector();

  applyFieldRules('Motive', FIELD_RULES, changes, { body, drop: (f) => dropped.push(f), refuse });
  if (isCreate && !sent(changes, 'vehicle_name')) refuse({ field: 'vehicle_name', input: null, message: NUMBER_REQUIRED });

  for (const { touched, derive } of Object.values(DERIVATIONS)) {
    if (!touched(changes)) continue;
    const result = derive(write.merged, changes);
    if ('refusal' in result) refuse(result.refusal);
    else Object.assign(body, result.fields);
  }

  // Motive keeps active | deactivated: IN_SERVICE and OUT_OF_SERVICE are that; other labels are kept nowhere.
  if (labelDropped(changes)) dropped.push('status');
  if (refusals.length > 0) return { ok: false, refusals };
  if (isCreate) body.external_ids_attributes = [{ external_id: write.externalId, integration_name: MOTIVE_INTEGRATION_NAME }]; // [create]
  return { ok: true, body, dropped };
}
