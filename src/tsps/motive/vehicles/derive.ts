// The value tables and multi-field derivations of the Motive vehicle mapping (mapping.ts owns the
// per-field table). Sources:
//   [KT16] armdev/public_api_docs @177c9ec4 pages/11-vehicles.markdown: `fuel_type` values, `status`
//          ("active", "deactivated"), `metric_units` ("true if the vehicle uses metric units").
//   [IFTA] Motive's twelve fuel types are the IFTA fuel types (plus "other"); IFTA reports LPG sold as
//          motor fuel under propane, which is what LPG is in North America (HD-5 autogas).
import type { EngineType } from '../../../contract/enums.ts';
import { activationView, assetActivation } from '../../kit/assets.ts';
import type { Attrs } from '../../kit/mapping-kit.ts';
import type { Refusal } from '../../kit/types.ts';
import type { MotiveFuelType, MotiveVehicleStatus } from '../fleet-native.ts';

export type DerivedGroup = 'status' | 'units';
export type GroupResult = { fields: Record<string, unknown> } | { refusal: Refusal };

type Unsupported = { unsupported: string };

/** Catena `EngineType` → Motive `fuel_type` [KT16]; a type Motive has no fuel for is refused, never "other". */
export const MOTIVE_FUEL_FOR_ENGINE: Readonly<Record<EngineType, MotiveFuelType | Unsupported>> = {
  GASOLINE: 'gasoline',
  DIESEL: 'diesel',
  ETHANOL: 'ethanol',
  METHANOL: 'methanol',
  PROPANE: 'propane',
  LPG: 'propane', // [IFTA]
  CNG: 'cng',
  LNG: 'lng',
  HYDROGEN: { unsupported: 'Motive has no hydrogen fuel_type (only "other", which would hide it)' },
  ELECTRICITY: { unsupported: 'Motive has no electric fuel_type (only "other", which would hide it)' },
  HYBRID: { unsupported: 'a hybrid does not say which fuel it burns; send that fuel (e.g. GASOLINE)' },
};

export function fuelRefusal(value: unknown): string | null {
  if (value == null) return null;
  const entry = Object.hasOwn(MOTIVE_FUEL_FOR_ENGINE, String(value)) ? MOTIVE_FUEL_FOR_ENGINE[value as EngineType] : undefined;
  if (entry === undefined) return `unknown engine_type ${String(value)}`;
  return typeof entry === 'string' ? null : `Motive cannot represent engine_type ${String(value)}: ${entry.unsupported}`;
}

export const fuelTypeFor = (value: unknown): MotiveFuelType => MOTIVE_FUEL_FOR_ENGINE[value as EngineType] as MotiveFuelType;

/**
 * Catena's units are free text ("km", "mi"; "km/h", "mph"); Motive keeps one flag, `metric_units` [KT16].
 * Each known spelling (compared trimmed and lower-cased) says metric (true) or imperial (false).
 */
export const METRIC_FOR_UNIT: Readonly<Record<'odometer_unit' | 'speed_unit', Readonly<Record<string, boolean>>>> = {
  odometer_unit: {
    km: true,
    kilometers: true,
    kilometres: true,
    kilo_meters: true, // Catena's fuel-transaction odometer_unit spelling
    meters: true,
    mi: false,
    miles: false,
  },
  speed_unit: { 'km/h': true, kph: true, kmh: true, mph: false, 'mi/h': false },
};

const metricOf = (field: 'odometer_unit' | 'speed_unit', value: unknown): boolean | null | undefined => {
  if (value == null) return null;
  const key = String(value).trim().toLowerCase();
  return Object.hasOwn(METRIC_FOR_UNIT[field], key) ? METRIC_FOR_UNIT[field][key] : undefined;
};

export const unitRefusal = (field: 'odometer_unit' | 'speed_unit') => (value: unknown): string | null =>
  metricOf(field, value) === undefined
    ? `Motive keeps only metric_units (true/false); ${field} ${JSON.stringify(value)} is none of ${Object.keys(METRIC_FOR_UNIT[field]).join(', ')}`
    : null;

/**
 * Motive `metric_units` from odometer_unit and speed_unit: both set must agree. Both cleared is
 * Motive's default, false (KT16's examples).
 */
export function deriveUnits(m: Attrs): GroupResult {
  const odometer = metricOf('odometer_unit', m.odometer_unit);
  const speed = metricOf('speed_unit', m.speed_unit);
  for (const [field, v] of [['odometer_unit', odometer], ['speed_unit', speed]] as const) {
    const reason = v === undefined ? unitRefusal(field)(m[field]) : null;
    if (reason) return { refusal: { field, input: m[field], message: reason } };
  }
  if (typeof odometer === 'boolean' && typeof speed === 'boolean' && odometer !== speed) {
    return {
      refusal: {
        field: 'speed_unit',
        input: m.speed_unit,
        message: `Motive keeps one metric_units flag: speed_unit ${String(m.speed_unit)} contradicts odometer_unit ${String(m.odometer_unit)}`,
      },
    };
  }
  return { fields: { metric_units: odometer ?? speed ?? false } };
}

/** Motive `status` from is_active / status (tsps/kit/assets.ts); neither set leaves Motive's status alone. */
export function deriveStatus(m: Attrs, changes: Attrs = m): GroupResult {
  const activation = assetActivation(activationView(changes, m, { statusSaysActive: true }), { statusSaysActive: true });
  if ('refusal' in activation) return { refusal: activation.refusal };
  if (activation.active === undefined) return { fields: {} };
  const status: MotiveVehicleStatus = activation.active ? 'active' : 'deactivated';
  return { fields: { status } };
}
