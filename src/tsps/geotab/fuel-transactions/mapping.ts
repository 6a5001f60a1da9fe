// Normalized fuel transaction (Catena's FuelTransactionCreate) → the MyGeotab `FuelTransaction` entity for
// Add. One row per normalized field (FIELD_RULES), each with its source; the capability matrix, the
// submit-time refusals and the mapper read the table. Source keys as in ../writes-native.ts.
// The device and driver come from write.refs (fleetgate ids resolved to Geotab ids by the engine): "Added
// `Device` and `Driver`. These properties add fuel transactions for a device or user, rather than a loose
// match by VIN, etc." [notes 5.7.2003]. fleetgate's record id goes into `externalReference` ("Typically this
// is an external identifier", [dev:FuelTransaction]): the key a retried create finds the transaction by.
import type { FUEL_TRANSACTION_ATTRIBUTE_NAMES } from '../../../contract/resources/fuel-transactions.ts';
import type { DistanceUnit, EngineType, FuelVolumeUnit } from '../../../contract/enums.ts';
import { fieldSupport, refusalCollector, sent, writtenChanges } from '../../kit/mapping-kit.ts';
import type { Attrs, FieldSupport, MappingResult } from '../../kit/mapping-kit.ts';
import type { Refusal, Write } from '../../kit/types.ts';
import { KM_PER, LITRES_PER, times } from '../units.ts';
import { GEOTAB_FUEL_EXTERNAL_REFERENCE_MAX } from '../writes-native.ts';
import type { GeotabFuelProductType } from '../writes-native.ts';

type FuelField = (typeof FUEL_TRANSACTION_ATTRIBUTE_NAMES)[number];

type FieldRule =
  | { kind: 'ref'; native: 'device' | 'driver' }
  /** Several fields → one member (volume, odometer, location, cost). */
  | { kind: 'derived'; group: 'volume' | 'odometer' | 'location' | 'cost' }
  | { kind: 'direct'; native: 'dateTime' | 'siteName' | 'productType' }
  | { kind: 'not_stored'; why: string };

const FIELD_RULES: Readonly<Record<FuelField, FieldRule>> = {
  // FuelTransaction.driver: "The Driver the transaction belongs to" [dev:FuelTransaction; notes 5.7.2003].
  driver_id: { kind: 'ref', native: 'driver' },
  // FuelTransaction.device: "The Device the transaction belongs to" [dev:FuelTransaction; notes 5.7.2003].
  vehicle_id: { kind: 'ref', native: 'device' },
  co_driver_id: { kind: 'not_stored', why: 'a Geotab FuelTransaction has one driver [dev:FuelTransaction]' },
  // location: "The Coordinate of the transaction retailer" [dev:FuelTransaction]; Coordinate "x is longitude
  // and y is latitude" [ff:Coordinate].
  latitude: { kind: 'derived', group: 'location' },
  longitude: { kind: 'derived', group: 'location' },
  location_string: { kind: 'not_stored', why: 'a Geotab FuelTransaction keeps the retailer as a coordinate and a site name, not an address [dev:FuelTransaction]' },
  // odometer: "The driver recorded odometer reading in km" [dev:FuelTransaction].
  odometer: { kind: 'derived', group: 'odometer' },
  odometer_unit: { kind: 'derived', group: 'odometer' },
  // dateTime: "The UTC date and time of the fuel event" [dev:FuelTransaction].
  transaction_time: { kind: 'direct', native: 'dateTime' },
  transaction_jurisdiction: { kind: 'not_stored', why: 'a Geotab FuelTransaction has no jurisdiction member [dev:FuelTransaction]' },
  // productType: FuelTransactionProductType [ff:Fuel/FuelTransactionProductType], by PRODUCT_TYPE.
  fuel_type: { kind: 'direct', native: 'productType' },
  // volume: "The volume of fuel purchased in Liters" [dev:FuelTransaction].
  fuel_volume: { kind: 'derived', group: 'volume' },
  fuel_volume_unit: { kind: 'derived', group: 'volume' },
  // siteName: "The site/merchant name where the transaction took place" [dev:FuelTransaction].
  fuel_vendor: { kind: 'direct', native: 'siteName' },
  // cost: "The cost of the fuel transaction"; currencyCode: "The three digit ISO 4217 currency code"
  // (the page says "ISO 427"), "Default ["USD"]" [dev:FuelTransaction].
  total_cost: { kind: 'derived', group: 'cost' },
  currency: { kind: 'derived', group: 'cost' },
};

export const GEOTAB_FUEL_FIELD_SUPPORT: Readonly<Record<FuelField, FieldSupport>> = fieldSupport(FIELD_RULES);

/**
 * Catena's EngineType → FuelTransactionProductType. Geotab's gasoline products are grades (Regular,
 * Midgrade, Premium, Super): ungraded gasoline is its base grade, Regular. Propane is LPG. A fuel Geotab has
 * no product for is `Unknown` (its default) and reported as not stored: ethanol and methanol (E85 is a
 * blend, not the fuel), LNG (CNG is another product) and HYBRID (a powertrain, not a fuel).
 */
export const PRODUCT_TYPE: Readonly<Record<EngineType, GeotabFuelProductType>> = {
  GASOLINE: 'Regular',
  DIESEL: 'Diesel',
  ETHANOL: 'Unknown',
  METHANOL: 'Unknown',
  PROPANE: 'LPG',
  LPG: 'LPG',
  CNG: 'CNG',
  LNG: 'Unknown',
  HYDROGEN: 'Hydrogen',
  ELECTRICITY: 'Electric',
  HYBRID: 'Unknown',
};

// ISO 4217 codes as the platform's ICU knows them (current and historic, upper case).
const ISO_4217: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

const REQUIRED: ReadonlyArray<[FuelField, string]> = [
  // Geotab matches a transaction to the vehicle's fill-ups by its time (FillUp: "FuelTransactions … are all
  // used to calculate fill-up events", [dev:FillUp]); a transaction sent without one would get an invented time.
  ['transaction_time', 'Geotab records when the fuel was bought (FuelTransaction.dateTime): send transaction_time'],
];

function costMembers(changes: Attrs, refuse: (r: Refusal) => void): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (sent(changes, 'currency')) {
    const code = String(changes.currency).trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code) || !ISO_4217.has(code)) {
      refuse({ field: 'currency', input: changes.currency, message: `Geotab takes a currency as an ISO 4217 code (currencyCode, e.g. USD, CAD, EUR); ${JSON.stringify(changes.currency)} is not one` });
    } else out.currencyCode = code;
  }
  if (sent(changes, 'total_cost')) {
    if (!sent(changes, 'currency')) {
      refuse({ field: 'currency', input: null, message: 'Geotab records a cost in USD unless told its currency (currencyCode, default "USD"): send currency with total_cost' });
    }
    const cost = Number(changes.total_cost);
    if (finiteOr(cost, 'total_cost', changes.total_cost, refuse)) out.cost = cost;
  }
  return out;
}

function volumeMember(changes: Attrs, refuse: (r: Refusal) => void): Record<string, unknown> {
  const unit = changes.fuel_volume_unit as FuelVolumeUnit;
  const volume = times(changes.fuel_volume as number, LITRES_PER[unit]);
  return finiteOr(volume, 'fuel_volume', changes.fuel_volume, refuse) ? { volume } : {};
}

/** A converted value past a double's range would reach Geotab as null (that is, 0): refused instead. */
function finiteOr(value: number, field: string, input: unknown, refuse: (r: Refusal) => void): boolean {
  if (Number.isFinite(value)) return true;
  refuse({ field, input, message: `Geotab cannot be sent ${String(input)} (${field} converts to a number beyond range)` });
  return false;
}

function odometerMember(changes: Attrs, refuse: (r: Refusal) => void): Record<string, unknown> {
  if (!sent(changes, 'odometer')) return {};
  if (!sent(changes, 'odometer_unit')) {
    refuse({ field: 'odometer_unit', input: null, message: 'Geotab records the odometer in km (FuelTransaction.odometer): send odometer_unit with odometer' });
    return {};
  }
  const odometer = times(changes.odometer as number, KM_PER[changes.odometer_unit as DistanceUnit]);
  return finiteOr(odometer, 'odometer', changes.odometer, refuse) ? { odometer } : {};
}

function locationMember(changes: Attrs, refuse: (r: Refusal) => void): Record<string, unknown> {
  const lat = sent(changes, 'latitude');
  const lon = sent(changes, 'longitude');
  if (!lat && !lon) return {};
  if (lat !== lon) {
    const missing = lat ? 'longitude' : 'latitude';
    refuse({ field: missing, input: null, message: `Geotab records the retailer as one coordinate (location {x: longitude, y: latitude}): send ${missing} too` });
    return {};
  }
  return { location: { x: changes.longitude, y: changes.latitude } };
}

export function mapFuelTransactionToGeotab(write: Write): MappingResult {
  const changes = writtenChanges('create', write.changes);
  const { refusals, refuse } = refusalCollector();
  const dropped: FuelField[] = [];
  const body: Record<string, unknown> = {};
  for (const [field, message] of REQUIRED) if (!sent(changes, field)) refuse({ field, input: null, message });
  for (const [field, rule] of Object.entries(FIELD_RULES) as Array<[FuelField, FieldRule]>) {
    if (!sent(changes, field)) continue;
    if (rule.kind === 'not_stored') dropped.push(field);
    else if (rule.kind === 'ref') {
      const id = write.refs?.[field];
      if (typeof id !== 'string') throw new Error(`Geotab fuel transaction: ${field} was not resolved to a Geotab id`);
      body[rule.native] = { id };
    } else if (rule.kind === 'direct') {
      if (field === 'fuel_type') {
        const product = PRODUCT_TYPE[changes.fuel_type as EngineType];
        body.productType = product;
        if (product === 'Unknown') dropped.push(field);
      } else if (field === 'transaction_time') body.dateTime = new Date(changes.transaction_time as string).toISOString();
      else body[rule.native] = changes[field];
    }
  }
  Object.assign(body, volumeMember(changes, refuse), odometerMember(changes, refuse), locationMember(changes, refuse), costMembers(changes, refuse));
  if (write.externalId.length > GEOTAB_FUEL_EXTERNAL_REFERENCE_MAX) throw new Error('fleetgate ids fit externalReference (255)');
  body.externalReference = write.externalId;
  if (refusals.length > 0) return { ok: false, refusals };
  return { ok: true, body, dropped };
}
