// An account's fuel purchases (/v1/fuel_purchases) as the sandbox stores and renders them, validated the
// way a Rails controller + model would (record-fields.ts): strong params keep the catalog's attributes
// (fuel purchases carry no external ids: Motive's external ids cover users, vehicles, assets and groups),
// each is typecast, the required ones must be present, and the vehicle and the driver must exist
// (belongs_to: "Vehicle must exist"). Only the first problem is reported. Sources: ./writes-vendor.ts
// ([fuel-create] for the attributes and the required ones, [fuel-list] for the rendering) and
// ./fleet-vendor.ts for the fuel types (the IFTA fuel types a Motive vehicle takes [KT16]; that a purchase
// takes the same list is [inference]). The purchase renders its vehicle_id and driver_id under the
// request's names [inference: the stored copies of [fuel-list] are cut off before them].
import { notFound, validationFailed } from './errors.ts';
import { FUEL_TYPES } from './fleet-vendor.ts';
import { checkPresence, defaultsOf, int, num, oneOf, parseRecordWrite, str } from './record-fields.ts';
import type { RecordFieldSpec, RecordValue } from './record-fields.ts';
import { FUEL_PURCHASE_REQUIRED, FUEL_UNITS, ODOMETER_UNITS } from './writes-vendor.ts';

const FIELDS: readonly RecordFieldSpec[] = [
  int('vehicle_id'),
  int('driver_id'),
  str('purchased_at'),
  str('jurisdiction'),
  oneOf('fuel_type', FUEL_TYPES, null),
  num('fuel'),
  oneOf('fuel_unit', FUEL_UNITS, null),
  str('ref_no'),
  str('vendor'),
  // "Type: Integer" on the page, which its own "e.g., USD" cost contradicts (costs have cents): any number.
  num('total_cost'),
  str('currency'),
  // "Integer or Null" [fuel-create]: a fraction is refused.
  int('odometer'),
  oneOf('odometer_unit', ODOMETER_UNITS, null),
];

export interface StoredFuelPurchase {
  id: number;
  fields: Record<string, RecordValue>;
  created_at: string;
  updated_at: string;
}

export interface FuelPurchaseSnapshot {
  next_id: number;
  records: StoredFuelPurchase[];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// ISO 8601 date-time, with a zone or without (Rails reads a zoneless time in the request's zone, UTC here).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Rails' datetime cast: a date or an ISO date-time becomes a UTC timestamp; anything else becomes nil. */
function castTimestamp(value: RecordValue): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!DATE_ONLY.test(text) && !DATE_TIME.test(text)) return null;
  const zoned = DATE_ONLY.test(text) ? `${text}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const at = Date.parse(zoned.replace(' ', 'T'));
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

export class FuelPurchaseStore {
  private readonly records = new Map<number, StoredFuelPurchase>();
  private nextId: number;

  constructor(
    snapshot: FuelPurchaseSnapshot | undefined,
    private readonly onChange: () => void,
  ) {
    this.nextId = snapshot?.next_id ?? 1;
    for (const r of snapshot?.records ?? []) this.records.set(r.id, r);
  }

  snapshot(): FuelPurchaseSnapshot {
    return { next_id: this.nextId, records: [...this.records.values()] };
  }

  /** `exists` answers whether the account holds the vehicle / the user the purchase belongs to. */
  create(body: Record<string, unknown>, nowIso: string, exists: { vehicle(id: number): boolean; driver(id: number): boolean }): StoredFuelPurchase {
    const { external_ids_attributes: _none, ...permitted } = body;
    const write = parseRecordWrite(FIELDS, permitted, 'create');
    const fields = { ...defaultsOf(FIELDS), ...write.changes };
    fields.purchased_at = castTimestamp(fields.purchased_at);
    checkPresence(fields, FUEL_PURCHASE_REQUIRED);
    if (!exists.vehicle(fields.vehicle_id as number)) throw validationFailed('Vehicle must exist');
    if (!exists.driver(fields.driver_id as number)) throw validationFailed('Driver must exist');
    const record: StoredFuelPurchase = { id: this.nextId++, fields, created_at: nowIso, updated_at: nowIso };
    this.records.set(record.id, record);
    this.onChange();
    return record;
  }

  get(id: number): StoredFuelPurchase {
    const record = this.records.get(id);
    if (!record) throw notFound(`Couldn't find FuelPurchase with 'id'=${id}`);
    return record;
  }

  /** Oldest first. */
  list(): StoredFuelPurchase[] {
    return [...this.records.values()].sort((a, b) => a.id - b.id);
  }

  /** The fields [fuel-list] shows; an API-made purchase has no offline id and no receipt. */
  static render(r: StoredFuelPurchase): Record<string, unknown> {
    const f = r.fields;
    return {
      id: r.id,
      offline_id: null,
      vehicle_id: f.vehicle_id,
      driver_id: f.driver_id,
      purchased_at: f.purchased_at,
      jurisdiction: f.jurisdiction,
      fuel_type: f.fuel_type,
      ref_no: f.ref_no,
      vendor: f.vendor,
      total_cost: f.total_cost,
      currency: f.currency,
      fuel: f.fuel,
      fuel_unit: f.fuel_unit,
      odometer: f.odometer,
      odometer_unit: f.odometer_unit,
      receipt_upload_url: null,
      receipt_filename: null,
      created_at: r.created_at,
      updated_at: r.updated_at,
    };
  }
}
