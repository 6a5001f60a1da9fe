// Normalized fuel transaction (Catena FuelTransactionCreate) → Samsara `POST /fuel-purchase` body.
// One row per normalized field (FIELD_RULES), each with its source; the capability matrix, the
// submit-time refusals and the mapper all read it (../once-mapping.ts). What Samsara requires and
// Catena leaves optional (a location, the price and its currency, the time) is refused when absent:
// Samsara would refuse the purchase, and fleetgate does not invent a place, price or time.
// Sources: [sdk-py] samsarahq/samsara-python @ e2e567ef, src/samsara/fuel_and_energy/raw_client.py
// post_fuel_purchase (fields, required ones, docstrings) and its types (currency and iftaFuelType
// enums); [ref-fuel] developers.samsara.com/reference/postfuelpurchase (transactionReference 1-32);
// [gw] src/samsara/types/gateway_asset_response_object_response_body.py (an asset's id is the id the
// vehicle endpoints take); [kb] kb.samsara.com/hc/en-us/articles/360043272731 (Fuel Purchases report:
// a purchase is verified by a vehicle within 100 m of its location); [ifta] iftach.org tax matrix
// (IFTA's fuel types have no LPG column: LPG is reported as Propane); [pm]
// shared/reference/providers-messages-fuel-dvir.md §1.3, §1.5.
import type { EngineType } from '../../../contract/enums.ts';
import type { FuelTransactionAttributes } from '../../../contract/resources/fuel-transactions.ts';
import { FUEL_TRANSACTION_ATTRIBUTE_NAMES } from '../../../contract/resources/fuel-transactions.ts';
import type { MappingResult, Write } from '../../kit/types.ts';
import { mapOnce, nonBlank, onceFieldSupport, refId } from '../once-mapping.ts';
import type { OnceContext, OnceFieldRule } from '../once-mapping.ts';
import type { SamsaraFuelCurrency, SamsaraIftaFuelType } from '../writes-once-native.ts';
import { SAMSARA_FUEL_CURRENCIES, SAMSARA_TRANSACTION_REFERENCE_MAX } from '../writes-once-native.ts';
import { litres, plainDecimal } from './units.ts';

type Field = keyof FuelTransactionAttributes;
type Group = 'ids' | 'location' | 'time' | 'volume' | 'price' | 'reference';
type Ctx = OnceContext<Field>;

/** Catena's EngineType → `iftaFuelType` [sdk-py enum]; HYBRID names a vehicle, not a fuel: refused. */
export const IFTA_FUEL_TYPE: Readonly<Record<Exclude<EngineType, 'HYBRID'>, SamsaraIftaFuelType>> = {
  GASOLINE: 'Gasoline',
  DIESEL: 'Diesel',
  ETHANOL: 'Ethanol',
  METHANOL: 'Methanol',
  PROPANE: 'Propane',
  // IFTA reports liquefied petroleum gas as propane [ifta]; iftaFuelType has no LPG.
  LPG: 'Propane',
  CNG: 'CompressedNaturalGas',
  LNG: 'LiquifiedNaturalGas',
  HYDROGEN: 'Hydrogen',
  ELECTRICITY: 'Electricity',
};

const NO_ODOMETER = 'POST /fuel-purchase has no odometer field [sdk-py post_fuel_purchase]';

const FIELD_RULES: Readonly<Record<Field, OnceFieldRule<Group>>> = {
  // `driverId`: "Samsara ID of the driver that purchased the fuel" [sdk-py]: the user's Samsara driver id.
  driver_id: { kind: 'derived', group: 'ids' },
  // `vehicleId`: "Samsara ID of the vehicle" [sdk-py]; fleetgate's vehicles are /assets of type vehicle,
  // whose id the vehicle endpoints take [gw].
  vehicle_id: { kind: 'derived', group: 'ids' },
  co_driver_id: { kind: 'not_stored', why: 'a Samsara fuel purchase names one driver (driverId) [sdk-py]' },
  // `transactionLocation`, required: "exact latitude/longitude ... (example: 40.748441, -73.985664)" or
  // "The full street address ... as it might be recognized by Google Maps" [sdk-py]. Derived below.
  latitude: { kind: 'derived', group: 'location' },
  longitude: { kind: 'derived', group: 'location' },
  location_string: { kind: 'derived', group: 'location' },
  odometer: { kind: 'not_stored', why: NO_ODOMETER },
  odometer_unit: { kind: 'not_stored', why: NO_ODOMETER },
  // `transactionTime`, required, "RFC 3339 format. Timezone must be specified" [sdk-py].
  transaction_time: { kind: 'derived', group: 'time' },
  transaction_jurisdiction: { kind: 'not_stored', why: 'POST /fuel-purchase has no jurisdiction field; Samsara places the purchase by its location [sdk-py]' },
  // `iftaFuelType` through IFTA_FUEL_TYPE [sdk-py enum].
  fuel_type: {
    kind: 'direct',
    native: 'iftaFuelType',
    onNull: 'null',
    convert: (v) => IFTA_FUEL_TYPE[v as Exclude<EngineType, 'HYBRID'>],
    refuse: (v) =>
      v === 'HYBRID'
        ? 'Samsara records the fuel bought (iftaFuelType: Gasoline, Diesel, Electricity ...); HYBRID is a kind of vehicle, not a fuel: send the fuel purchased'
        : null,
  },
  // `fuelQuantityLiters`, required, a decimal string in litres [sdk-py]; converted exactly (./units.ts).
  fuel_volume: { kind: 'derived', group: 'volume' },
  fuel_volume_unit: { kind: 'derived', group: 'volume' },
  // `merchantName`: "Brand name of the fuel station the fuel was purchased at" [sdk-py].
  fuel_vendor: { kind: 'direct', native: 'merchantName', onNull: 'null' },
  // `transactionPrice {amount, currency}`, required [sdk-py]. Derived below.
  total_cost: { kind: 'derived', group: 'price' },
  currency: { kind: 'derived', group: 'price' },
};

function deriveIds(ctx: Ctx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, native, noun] of [['driver_id', 'driverId', 'driver'], ['vehicle_id', 'vehicleId', 'vehicle']] as const) {
    const id = refId(ctx.refs, field);
    if (id === undefined) ctx.refuse(field, `Samsara records a fuel purchase's ${noun} by its Samsara id; fleetgate has none for this ${noun}`);
    else out[native] = id;
  }
  return out;
}

/**
 * Coordinates when both are sent (exact: Samsara verifies a purchase by a vehicle within 100 m of its
 * location [kb]; an address must first be geocoded), then the address is reported dropped; else the
 * address. Half a coordinate is refused; nothing at all is refused (the field is required).
 */
function deriveLocation(ctx: Ctx): Record<string, unknown> {
  const { latitude: lat, longitude: lon } = ctx.changes;
  const address = nonBlank(ctx.changes.location_string);
  if (typeof lat === 'number' && typeof lon === 'number') {
    if (address !== undefined) ctx.drop('location_string');
    return { transactionLocation: `${plainDecimal(lat)}, ${plainDecimal(lon)}` };
  }
  if (typeof lat === 'number' || typeof lon === 'number') {
    const [given, missing] = typeof lat === 'number' ? (['latitude', 'longitude'] as const) : (['longitude', 'latitude'] as const);
    ctx.refuse(given, `Samsara takes coordinates as "latitude, longitude" (transactionLocation); ${missing} is missing`);
    return {};
  }
  if (address !== undefined) return { transactionLocation: address };
  ctx.refuse('location_string', 'Samsara requires the place of a fuel purchase (transactionLocation): send location_string (a street address) or latitude and longitude');
  return {};
}

function deriveTime(ctx: Ctx): Record<string, unknown> {
  const time = ctx.changes.transaction_time;
  // The contract admits only RFC 3339 times with a zone (Z or an offset), which is what Samsara asks for.
  if (typeof time === 'string') return { transactionTime: time };
  ctx.refuse('transaction_time', 'Samsara requires the time of a fuel purchase (transactionTime, RFC 3339 with its timezone)');
  return {};
}

function deriveVolume(ctx: Ctx): Record<string, unknown> {
  const { fuel_volume: volume, fuel_volume_unit: unit } = ctx.changes;
  if (typeof volume !== 'number' || typeof unit !== 'string') {
    ctx.refuse(typeof volume !== 'number' ? 'fuel_volume' : 'fuel_volume_unit', 'Samsara requires the fuel purchased (fuelQuantityLiters): send fuel_volume and fuel_volume_unit');
    return {};
  }
  // [inference] A purchase of no fuel, or of less than none, is not a fuel purchase.
  if (volume <= 0) {
    ctx.refuse('fuel_volume', `Samsara records fuel purchased (fuelQuantityLiters): fuel_volume must be more than 0 (got ${volume})`);
    return {};
  }
  return { fuelQuantityLiters: litres(volume, unit as Parameters<typeof litres>[1]) };
}

/** Catena's decimal string (`+007.50`, `.5`, `5.`) in the plain form Samsara's example shows ("640.2"). */
function amountText(cost: number | string): string {
  if (typeof cost === 'number') return plainDecimal(cost);
  const m = /^([+-]?)0*(\d*)(?:\.(\d*))?$/.exec(cost.trim())!;
  const [, sign, whole, fraction = ''] = m;
  return `${sign === '-' ? '-' : ''}${whole === '' ? '0' : whole}${fraction === '' ? '' : `.${fraction}`}`;
}

function derivePrice(ctx: Ctx): Record<string, unknown> {
  const cost = ctx.changes.total_cost as number | string | undefined;
  const raw = nonBlank(ctx.changes.currency);
  const currency = raw?.trim().toLowerCase();
  if (cost === undefined) {
    ctx.refuse('total_cost', 'Samsara requires the price of a fuel purchase (transactionPrice.amount): send total_cost and currency');
  }
  if (raw === undefined) {
    ctx.refuse('currency', `Samsara requires the currency of the price (transactionPrice.currency: ${SAMSARA_FUEL_CURRENCIES.join(', ')})`);
  } else if (!(SAMSARA_FUEL_CURRENCIES as readonly string[]).includes(currency!)) {
    ctx.refuse('currency', `Samsara takes prices in ${SAMSARA_FUEL_CURRENCIES.join(', ')} only (got ${JSON.stringify(raw)})`);
  }
  if (cost === undefined || raw === undefined || !(SAMSARA_FUEL_CURRENCIES as readonly string[]).includes(currency!)) return {};
  return { transactionPrice: { amount: amountText(cost), currency: currency as SamsaraFuelCurrency } };
}

/**
 * `transactionReference`, required, 1-32 characters [ref-fuel], "the transaction identifier" [sdk-py]:
 * Catena has no such field, so fleetgate's id of the record without its hyphens (32 hex digits), by
 * which the purchase can be found in Samsara.
 */
function deriveReference(ctx: Ctx): Record<string, unknown> {
  const reference = ctx.externalId.replace(/-/g, '');
  if (reference.length < 1 || reference.length > SAMSARA_TRANSACTION_REFERENCE_MAX) {
    throw new Error(`fleetgate's record id ${ctx.externalId} does not fit Samsara's transactionReference (1-${SAMSARA_TRANSACTION_REFERENCE_MAX} characters)`);
  }
  return { transactionReference: reference };
}

const SPEC = {
  rules: FIELD_RULES,
  fields: FUEL_TRANSACTION_ATTRIBUTE_NAMES,
  derivations: { ids: deriveIds, location: deriveLocation, time: deriveTime, volume: deriveVolume, price: derivePrice, reference: deriveReference },
};

/** What Samsara keeps of each normalized fuel-transaction field (read by the capability matrix). */
export const SAMSARA_FUEL_TRANSACTION_FIELD_SUPPORT = onceFieldSupport(FIELD_RULES);

/** The POST /fuel-purchase body for a fuel transaction, or the refusals. */
export const mapFuelTransactionToSamsara = (write: Write): MappingResult => mapOnce<Field, Group>(SPEC, write);
