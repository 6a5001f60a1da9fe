// Normalized fuel transaction (Catena FuelTransactionCreate) → Motive `POST /v1/fuel_purchases` body. One
// row per normalized field, each with its source; the capability matrix and the mapper read it. Sources:
//   [fuel-create] https://developer.gomotive.com/reference/create-a-new-fuel-purchase-transaction ("You must
//                 provide … Vehicle ID, Driver ID, Jurisdiction, Fuel Type and others"; example body
//                 vehicle_id, driver_id, purchased_at, jurisdiction, fuel_type 'diesel', fuel, fuel_unit 'gal';
//                 the record's fields ref_no, vendor, total_cost, currency "e.g., USD", odometer "Integer or
//                 Null", odometer_unit "e.g., mi")
//   [KT16]        armdev/public_api_docs @37c38061 pages/01-getting-started.markdown ("All times are in UTC,
//                 unless a time zone is specified in an HTTP header")
//   [write]       [inference] the stored copies of [fuel-create] lack its "Body Params" table: vendor,
//                 total_cost, currency, odometer and odometer_unit are written under the names the record
//                 shows, as Motive's update page asks for "vehicle_id, driver_id, jurisdiction, fuel_type, and
//                 others" in the body (https://developer.gomotive.com/reference/update-an-existing-fuel-purchase)
// purchased_at, jurisdiction and fuel_type are required here: the note's four "and others", which its
// example shows (Catena makes them optional, so their absence is refused at submit).
import type { EngineType, FuelVolumeUnit, DistanceUnit } from '../../../contract/enums.ts';
import type { FuelTransactionAttributes } from '../../../contract/resources/fuel-transactions.ts';
import { applyFieldRules, fieldSupport, refusalCollector, sent, writtenChanges } from '../../kit/mapping-kit.ts';
import type { DirectRule, FieldSupport } from '../../kit/mapping-kit.ts';
import type { MappingResult, Write } from '../../kit/types.ts';
import type { MotiveFuelType } from '../fleet-native.ts';
import { MOTIVE_FUEL_FOR_ENGINE } from '../vehicles/derive.ts';
import { toUsGallons, toWholeMiles } from './units.ts';

type FuelAttributeName = keyof FuelTransactionAttributes;
type Group = 'volume' | 'odometer';
type FieldRule =
  | DirectRule
  | { kind: 'ref'; native: 'vehicle_id' | 'driver_id' }
  | { kind: 'derived'; group: Group }
  | { kind: 'not_stored'; why: string };

const required = (native: string, field: FuelAttributeName) => `Motive requires ${native} (the ${field}) on every fuel purchase`;
const notBlank = (native: string, field: FuelAttributeName) => (v: unknown) => (typeof v === 'string' && v.trim() === '' ? required(native, field) : null);

/** Catena fuel_type (EngineType) → Motive fuel_type: the vehicles' table (vehicles/derive.ts, [KT16] and IFTA). */
function fuelTypeRefusal(value: unknown): string | null {
  const entry = Object.hasOwn(MOTIVE_FUEL_FOR_ENGINE, String(value)) ? MOTIVE_FUEL_FOR_ENGINE[value as EngineType] : undefined;
  if (entry === undefined) return `unknown fuel_type ${String(value)}`;
  return typeof entry === 'string' ? null : `Motive has no fuel_type for ${String(value)}: ${entry.unsupported}`;
}

const NO_LOCATION = 'Motive fuel purchases keep the jurisdiction only, no place [fuel-create]';

const FIELD_RULES: Readonly<Record<FuelAttributeName, FieldRule>> = {
  driver_id: { kind: 'ref', native: 'driver_id' }, // [fuel-create] driver_id, a Motive user id
  vehicle_id: { kind: 'ref', native: 'vehicle_id' }, // [fuel-create] vehicle_id, a Motive vehicle id
  co_driver_id: { kind: 'not_stored', why: 'a Motive fuel purchase has one driver [fuel-create]' },
  latitude: { kind: 'not_stored', why: NO_LOCATION },
  longitude: { kind: 'not_stored', why: NO_LOCATION },
  location_string: { kind: 'not_stored', why: NO_LOCATION },
  odometer: { kind: 'derived', group: 'odometer' }, // [fuel-create][write] odometer in whole mi (units.ts)
  odometer_unit: { kind: 'derived', group: 'odometer' }, // [fuel-create][write] odometer_unit "mi"
  transaction_time: { kind: 'direct', native: 'purchased_at', onNull: 'refuse', convert: (v) => new Date(String(v)).toISOString() }, // [fuel-create], UTC [KT16]
  transaction_jurisdiction: { kind: 'direct', native: 'jurisdiction', onNull: 'refuse', refuse: notBlank('jurisdiction', 'transaction_jurisdiction') }, // [fuel-create]
  fuel_type: { kind: 'direct', native: 'fuel_type', onNull: 'refuse', convert: (v) => MOTIVE_FUEL_FOR_ENGINE[v as EngineType] as MotiveFuelType, refuse: fuelTypeRefusal }, // [fuel-create]
  fuel_volume: { kind: 'derived', group: 'volume' }, // [fuel-create] fuel, in gal (units.ts)
  fuel_volume_unit: { kind: 'derived', group: 'volume' }, // [fuel-create] fuel_unit "gal"
  fuel_vendor: { kind: 'direct', native: 'vendor', onNull: 'null' }, // [fuel-create][write]
  // [fuel-create][write] Motive shows a number; Catena's decimal string ("+007.50", ".5") is sent as one.
  total_cost: {
    kind: 'direct',
    native: 'total_cost',
    onNull: 'null',
    convert: (v) => Number(v),
    refuse: (v) => (Number.isFinite(Number(v)) ? null : `Motive cannot be sent total_cost ${String(v)} (not a finite number)`),
  },
  currency: { kind: 'direct', native: 'currency', onNull: 'null' }, // [fuel-create][write] "e.g., USD"
};

/** What Motive keeps of each normalized fuel transaction field (read by the capability matrix). */
export const MOTIVE_FUEL_FIELD_SUPPORT: Readonly<Record<FuelAttributeName, FieldSupport>> = fieldSupport(FIELD_RULES);

/** The fields a create must carry (Catena requires the volume and the references itself). */
const REQUIRED: ReadonlyArray<[FuelAttributeName, string]> = [
  ['transaction_time', 'purchased_at'],
  ['transaction_jurisdiction', 'jurisdiction'],
  ['fuel_type', 'fuel_type'],
];

/** A Motive id as Motive's API takes it: an integer; anything else is passed as it came. */
const motiveId = (id: string): number | string => (/^\d{1,15}$/.test(id) ? Number(id) : id);

export function mapFuelTransactionToMotive(write: Write): MappingResult {
  const { refusals, refuse } = refusalCollector();
  if (write.operation !== 'create') {
    return { ok: false, refusals: [{ field: 'fuel_volume', input: null, message: 'fleetgate writes a Motive fuel purchase once; it is not changed' }] };
  }
  const changes = writtenChanges('create', write.changes);
  const body: Record<string, unknown> = {};
  const dropped: string[] = [];
  applyFieldRules('Motive', FIELD_RULES, changes, { body, drop: (f) => dropped.push(f), refuse });
  for (const [field, native] of REQUIRED) if (!sent(changes, field)) refuse({ field, input: null, message: required(native, field) });

  for (const field of ['vehicle_id', 'driver_id'] as const) {
    const id = write.refs?.[field];
    if (typeof id === 'string') body[field] = motiveId(id);
    else refuse({ field, input: changes[field] ?? null, message: `fleetgate did not resolve ${field} to a Motive id` });
  }

  // Catena requires fuel_volume and its unit; Motive's one unit is the US gallon (units.ts).
  if (sent(changes, 'fuel_volume') && sent(changes, 'fuel_volume_unit')) {
    const fuel = toUsGallons(changes.fuel_volume as number, changes.fuel_volume_unit as FuelVolumeUnit);
    // Past a double's range it would reach Motive as null: refused instead.
    if (Number.isFinite(fuel)) {
      body.fuel = fuel;
      body.fuel_unit = 'gal';
    } else refuse({ field: 'fuel_volume', input: changes.fuel_volume, message: `Motive cannot be sent ${String(changes.fuel_volume)} (beyond range in US gallons)` });
  }
  if (sent(changes, 'odometer')) {
    if (sent(changes, 'odometer_unit')) {
      body.odometer = toWholeMiles(changes.odometer as number, changes.odometer_unit as DistanceUnit);
      body.odometer_unit = 'mi';
    } else {
      refuse({ field: 'odometer_unit', input: null, message: 'Motive keeps the odometer in miles: send its odometer_unit so it can be converted' });
    }
  } else if (sent(changes, 'odometer_unit')) {
    dropped.push('odometer_unit'); // a unit of no reading: nothing to write
  }

  if (refusals.length > 0) return { ok: false, refusals };
  return { ok: true, body, dropped };
}
