// The Geotab FuelTransaction entity as the sandbox validates, stores, renders and searches it (sources in
// ./writes-vendor.ts). Defaults are the reference's ("Default [0]", "Default ["USD"]", "Default [0,0]",
// "Default [Unknown]", "Default [""]", [dev:FuelTransaction]). A transaction must be unique: "Fuel transactions
// must be unique when comparing all fields (excluding sourceData) against existing transactions"
// [notes 5.7.2103] (checked by ./writes.ts). Without a device or driver, "the application will attempt to match
// the fuel transaction to a device and driver at time of an Add or a Set. If no match is found, the fuel
// transaction's Device and Driver properties defaults to NoDevice and UnknownDriver" [notes 5.7.2003].
// DISAGREES WITH VENDOR: the sandbox matches a device by VIN, serial number or licence plate (exactly, any
// case), not by comments, and never matches a driver; a transaction without dateTime gets the time of the
// Add (Geotab documents no default); currencyCode is checked against ISO 4217, which Geotab documents but is
// not known to enforce.
import { argumentError } from './errors.ts';
import { matchesPattern, serializerError } from './asset-fields.ts';
import { criteria } from './asset-search.ts';
import type { Lookups } from './writes-lookups.ts';
import { given, idOnlySearch, isObject, readBool, readDate, readEnum, readNumber, readRef, readText, ref, refuseMembers } from './writes-fields.ts';
import {
  FUEL_MAX_LENGTH,
  FUEL_PRODUCT_TYPES,
  FUEL_PROVIDERS,
  FUEL_SEARCH_IMPLEMENTED,
  FUEL_SEARCH_NOT_IMPLEMENTED,
  NO_DEVICE_ID,
  UNKNOWN_DRIVER_ID,
  UNMODELLED_FUEL_MEMBERS,
} from './writes-vendor.ts';

type Json = Record<string, unknown>;

const TEXT_MEMBERS = [
  'cardNumber', 'comments', 'description', 'driverName', 'externalReference', 'licencePlate', 'providerProductDescription',
  'serialNumber', 'siteName', 'sourceData', 'vehicleIdentificationNumber',
] as const;
type TextMember = (typeof TEXT_MEMBERS)[number];

export interface FuelFields extends Record<TextMember, string> {
  dateTime: string;
  volume: number;
  cost: number;
  currencyCode: string;
  location: { x: number; y: number };
  odometer: number;
  productType: string;
  provider: string;
  device: string;
  driver: string;
}

export interface StoredFuelTransaction {
  id: string;
  version: number;
  fields: FuelFields;
}

const ISO_4217: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

function readLocation(value: unknown): { x: number; y: number } {
  if (!isObject(value)) throw serializerError();
  const x = readNumber(value.x);
  const y = readNumber(value.y);
  if (x < -180 || x > 180 || y < -90 || y > 90) throw argumentError(`'location' is not a coordinate: x (longitude) ${x}, y (latitude) ${y}`);
  return { x, y };
}

export function parseFuelTransaction(entity: Json, lookups: Lookups, now: number): FuelFields {
  refuseMembers('FuelTransaction', entity, UNMODELLED_FUEL_MEMBERS);
  const text = Object.fromEntries(
    TEXT_MEMBERS.map((m) => [m, given(entity[m]) ? readText(m, entity[m], (FUEL_MAX_LENGTH as Record<string, number>)[m]) : '']),
  ) as Record<TextMember, string>;
  const currencyCode = given(entity.currencyCode) ? readText('currencyCode', entity.currencyCode) : 'USD';
  if (!ISO_4217.has(currencyCode)) throw argumentError(`'currencyCode' must be a three-letter ISO 4217 code; '${currencyCode}' is not one`);
  let device = NO_DEVICE_ID;
  if (given(entity.device)) {
    device = readRef(entity.device);
    if (device !== NO_DEVICE_ID && !lookups.device(device)) throw argumentError(`FuelTransaction.device: no Device with id '${device}'`);
  } else {
    device = lookups.deviceMatching(text) ?? NO_DEVICE_ID;
  }
  let driver = UNKNOWN_DRIVER_ID;
  if (given(entity.driver)) {
    driver = readRef(entity.driver);
    if (driver !== UNKNOWN_DRIVER_ID && !lookups.user(driver)) throw argumentError(`FuelTransaction.driver: no User with id '${driver}'`);
  }
  return {
    ...text,
    dateTime: given(entity.dateTime) ? readDate(entity.dateTime) : new Date(now).toISOString(),
    volume: given(entity.volume) ? readNumber(entity.volume) : 0,
    cost: given(entity.cost) ? readNumber(entity.cost) : 0,
    currencyCode,
    location: given(entity.location) ? readLocation(entity.location) : { x: 0, y: 0 },
    odometer: given(entity.odometer) ? readNumber(entity.odometer) : 0,
    productType: given(entity.productType) ? readEnum(entity.productType, FUEL_PRODUCT_TYPES) : 'Unknown',
    provider: given(entity.provider) ? readEnum(entity.provider, FUEL_PROVIDERS) : 'Unknown',
    device,
    driver,
  };
}

/** Every field but sourceData, as the uniqueness rule compares them [notes 5.7.2103]. */
export const uniquenessKey = (f: FuelFields): string => {
  const { sourceData: _ignored, ...rest } = f;
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
};

export function renderFuelTransaction(t: StoredFuelTransaction, includeSourceData: boolean): Json {
  const { device, driver, sourceData, ...rest } = t.fields;
  return {
    id: t.id,
    version: t.version,
    ...structuredClone(rest),
    device: ref(device),
    driver: ref(driver),
    ...(includeSourceData ? { sourceData } : {}),
  };
}

/** FuelTransactionSearch: fromDate / toDate on dateTime ("occur on or after / before this date", [ff]). */
export function fuelTransactionFilter(search: unknown): { test: (t: StoredFuelTransaction) => boolean; includeSourceData: boolean } {
  const c = criteria('FuelTransaction', search, FUEL_SEARCH_IMPLEMENTED, FUEL_SEARCH_NOT_IMPLEMENTED);
  const tests: Array<(t: StoredFuelTransaction) => boolean> = [];
  const str = (v: unknown): string => {
    if (typeof v !== 'string') throw serializerError();
    return v;
  };
  if (c.id !== undefined) {
    const id = str(c.id);
    tests.push((t) => t.id === id);
  }
  // "Wildcard can be used by prepending/appending "%" to string" [ff:Fuel/FuelTransactionSearch].
  if (c.externalReference !== undefined) {
    const pattern = str(c.externalReference);
    tests.push((t) => matchesPattern(pattern, t.fields.externalReference));
  }
  for (const member of ['vehicleIdentificationNumber', 'driverName'] as const) {
    if (c[member] === undefined) continue;
    const value = str(c[member]).toLowerCase();
    tests.push((t) => t.fields[member].toLowerCase() === value);
  }
  if (c.provider !== undefined) {
    const provider = readEnum(c.provider, FUEL_PROVIDERS);
    tests.push((t) => t.fields.provider === provider);
  }
  if (c.deviceSearch !== undefined) {
    const id = idOnlySearch('FuelTransactionSearch.deviceSearch', c.deviceSearch);
    tests.push((t) => t.fields.device === id);
  }
  if (c.userSearch !== undefined) {
    const id = idOnlySearch('FuelTransactionSearch.userSearch', c.userSearch);
    tests.push((t) => t.fields.driver === id);
  }
  if (c.fromDate !== undefined) {
    const from = Date.parse(readDate(c.fromDate));
    tests.push((t) => Date.parse(t.fields.dateTime) >= from);
  }
  if (c.toDate !== undefined) {
    const to = Date.parse(readDate(c.toDate));
    tests.push((t) => Date.parse(t.fields.dateTime) <= to);
  }
  // "Source data can be a large string, therefore, optionally exclude it from results" [ff].
  const includeSourceData = c.includeSourceData === undefined ? true : readBool(c.includeSourceData);
  return { test: (t) => tests.every((f) => f(t)), includeSourceData };
}
