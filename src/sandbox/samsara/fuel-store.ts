// An organization's fuel purchases (POST /fuel-purchase): the body as Samsara validates it (required
// fields, decimal strings, the six currencies, the IFTA fuel types, transactionReference's length, a
// timezone on transactionTime) and the stored purchase, answered `{"data": {"uuid"}}`. Samsara offers no
// read of fuel purchases [sdk-py: post_fuel_purchase is the fuel-purchase client's only call], so the
// API here has none either; the sandbox's control API lists them (GET /_sandbox/fuel-purchases), as a
// fleet manager sees them in Samsara's Fuel Purchases report. Samsara documents no uniqueness for
// transactionReference, so none is enforced. Vocabulary: ./writes-once-vendor.ts.
import { randomUUID } from 'node:crypto';
import { badRequest } from './errors.ts';
import { isObject, oneOf, str } from './field-checks.ts';
import type { Json } from './field-checks.ts';
import { FUEL_CURRENCIES, FUEL_GRADES, FUEL_OPTIONAL_FIELDS, FUEL_REQUIRED_FIELDS, IFTA_FUEL_TYPES, TRANSACTION_REFERENCE_MAX } from './writes-once-vendor.ts';

export interface StoredFuelPurchase {
  uuid: string;
  fields: Json;
  createdAtTime: string;
}

/** What the body's ids must name in the organization (Samsara ids: the body documents no external-id form). */
export interface FuelReferences {
  isVehicle(id: string): boolean;
  isDriver(id: string): boolean;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
// RFC 3339 with the zone it must carry: "Timezone must be specified" [sdk-py post_fuel_purchase].
const RFC3339_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

function decimalString(field: string, value: unknown): string {
  if (typeof value !== 'string' || !DECIMAL.test(value)) throw badRequest(`Invalid value for ${field}: must be a decimal number in a string`);
  return value;
}

/** `transactionPrice` / `discount`: `{amount: decimal string, currency}`, both required. */
function money(field: string, value: unknown): Json {
  if (!isObject(value)) throw badRequest(`Invalid value for ${field}: must be an object with amount and currency`);
  for (const key of Object.keys(value)) if (key !== 'amount' && key !== 'currency') throw badRequest(`Unknown field: ${field}.${key}`);
  if (value.amount === undefined) throw badRequest(`${field}.amount is required`);
  if (value.currency === undefined) throw badRequest(`${field}.currency is required`);
  return { amount: decimalString(`${field}.amount`, value.amount), currency: oneOf(`${field}.currency`, value.currency, FUEL_CURRENCIES) };
}

function reference(field: string, value: unknown, exists: (id: string) => boolean, noun: string): string {
  const id = str(field, value, Infinity, { nonEmpty: true });
  if (!/^\d+$/.test(id) || !exists(id)) throw badRequest(`Invalid value for ${field}: no ${noun} with id ${id}`);
  return id;
}

type Parser = (value: unknown, refs: FuelReferences) => unknown;
const PARSERS: Readonly<Record<string, Parser>> = {
  fuelQuantityLiters: (v) => decimalString('fuelQuantityLiters', v),
  transactionLocation: (v) => str('transactionLocation', v, Infinity, { nonEmpty: true }),
  transactionPrice: (v) => money('transactionPrice', v),
  transactionReference: (v) => {
    const s = str('transactionReference', v, TRANSACTION_REFERENCE_MAX);
    if (s.length < 1) throw badRequest(`Invalid value for transactionReference: length must be between 1 and ${TRANSACTION_REFERENCE_MAX}`);
    return s;
  },
  transactionTime: (v) => {
    if (typeof v !== 'string' || !RFC3339_WITH_ZONE.test(v) || Number.isNaN(Date.parse(v))) {
      throw badRequest('Invalid value for transactionTime: must be an RFC 3339 time with its timezone');
    }
    return v;
  },
  discount: (v) => money('discount', v),
  driverId: (v, refs) => reference('driverId', v, refs.isDriver, 'driver'),
  vehicleId: (v, refs) => reference('vehicleId', v, refs.isVehicle, 'vehicle'),
  fuelGrade: (v) => oneOf('fuelGrade', v, FUEL_GRADES),
  iftaFuelType: (v) => oneOf('iftaFuelType', v, IFTA_FUEL_TYPES),
  merchantName: (v) => str('merchantName', v, Infinity),
  source: (v) => str('source', v, Infinity),
};

/** The purchase's fields after every check; a null is refused like any wrong type (the SDK types none nullable). */
export function parseFuelPurchase(body: unknown, refs: FuelReferences): Json {
  if (!isObject(body)) throw badRequest('Request body must be a JSON object');
  const known: readonly string[] = [...FUEL_REQUIRED_FIELDS, ...FUEL_OPTIONAL_FIELDS];
  for (const key of Object.keys(body)) if (!known.includes(key)) throw badRequest(`Unknown field: ${key}`);
  for (const key of FUEL_REQUIRED_FIELDS) if (body[key] === undefined) throw badRequest(`${key} is required`);
  const fields: Json = {};
  for (const [key, value] of Object.entries(body)) fields[key] = PARSERS[key]!(value, refs);
  return fields;
}

export class FuelPurchaseStore {
  private readonly purchases: StoredFuelPurchase[];

  constructor(
    saved: readonly StoredFuelPurchase[],
    private readonly changed: () => void,
  ) {
    this.purchases = [...saved];
  }

  all(): StoredFuelPurchase[] {
    return [...this.purchases];
  }

  create(body: unknown, refs: FuelReferences, nowIso: string): StoredFuelPurchase {
    const purchase: StoredFuelPurchase = { uuid: randomUUID(), fields: parseFuelPurchase(body, refs), createdAtTime: nowIso };
    this.purchases.push(purchase);
    this.changed();
    return purchase;
  }
}

/** A stored purchase as the control API lists it: the uuid Samsara answered, the fields written, when. */
export const renderFuelPurchase = (p: StoredFuelPurchase): Json => ({ uuid: p.uuid, ...structuredClone(p.fields), createdAtTime: p.createdAtTime });
