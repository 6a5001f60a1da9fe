// DeviceSearch and TrailerSearch as the sandbox implements them (members in ./asset-vendor.ts): text
// criteria with Geotab's '%' wildcards, groups (a member of the group or of one below it; a trailer also
// of one above it, [ff:TrailerSearch]), and a device's active period. A criterion Geotab has but the
// sandbox does not implement is refused, never ignored: ignoring it would answer more than Geotab would.
import { argumentError } from './errors.ts';
import { matchesPattern, readDate, readGroups, serializerError, withAncestors } from './asset-fields.ts';
import type { GroupRef } from './asset-fields.ts';
import {
  DEVICE_SEARCH_IMPLEMENTED,
  DEVICE_SEARCH_NOT_IMPLEMENTED,
  DEVICE_TYPES,
  TRAILER_SEARCH_IMPLEMENTED,
  TRAILER_SEARCH_NOT_IMPLEMENTED,
} from './asset-vendor.ts';
import type { StoredDevice } from './device-model.ts';
import type { StoredTrailer } from './trailer-model.ts';

type Search = Record<string, unknown>;
type Predicate<T> = (entity: T) => boolean;
const isObject = (v: unknown): v is Search => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The criteria of a search: refused members (not implemented) throw, unknown ones are dropped. */
export function criteria(typeName: string, search: unknown, implemented: readonly string[], notImplemented: readonly string[]): Search {
  if (search === undefined || search === null) return {};
  if (!isObject(search)) throw serializerError();
  const given = Object.fromEntries(Object.entries(search).filter(([, v]) => v !== undefined && v !== null));
  const refused = Object.keys(given).find((k) => notImplemented.includes(k));
  if (refused) throw argumentError(`${typeName}Search.${refused} is not supported by the fleetgate sandbox`);
  // Members Geotab's search does not have are ignored, as its serializer ignores them.
  return Object.fromEntries(Object.entries(given).filter(([k]) => implemented.includes(k)));
}

const text = (value: unknown): string => {
  if (typeof value !== 'string') throw serializerError();
  return value;
};

/** Groups of the entity that fall under a searched group (or, with `parents`, above it). */
function inGroups(searched: GroupRef[], own: GroupRef[], parents: boolean): boolean {
  return own.some((g) =>
    searched.some((s) => withAncestors(g.id).includes(s.id) || (parents && withAncestors(s.id).includes(g.id))),
  );
}

const TEXT_MEMBERS = ['name', 'serialNumber', 'vehicleIdentificationNumber', 'licensePlate', 'comment'] as const;

export function deviceFilter(search: unknown): Predicate<StoredDevice> {
  const c = criteria('Device', search, DEVICE_SEARCH_IMPLEMENTED, DEVICE_SEARCH_NOT_IMPLEMENTED);
  const tests: Predicate<StoredDevice>[] = [];
  if (c.id !== undefined) {
    const id = text(c.id);
    tests.push((d) => d.id === id);
  }
  for (const member of TEXT_MEMBERS) {
    if (c[member] === undefined) continue;
    const pattern = text(c[member]);
    tests.push((d) => matchesPattern(pattern, d.fields[member] as string));
  }
  if (c.deviceType !== undefined) {
    const type = text(c.deviceType);
    if (!(DEVICE_TYPES as readonly string[]).includes(type)) throw serializerError();
    tests.push((d) => d.fields.deviceType === type);
  }
  if (c.groups !== undefined) {
    const groups = readGroups(c.groups);
    tests.push((d) => inGroups(groups, d.fields.groups as GroupRef[], false));
  }
  // "Devices that were active at this date or after" / "at this date or before" [ff:DeviceSearch].
  if (c.fromDate !== undefined) {
    const from = Date.parse(readDate(c.fromDate));
    tests.push((d) => Date.parse(d.fields.activeTo as string) >= from);
  }
  if (c.toDate !== undefined) {
    const to = Date.parse(readDate(c.toDate));
    tests.push((d) => Date.parse(d.fields.activeFrom as string) <= to);
  }
  return (d) => tests.every((t) => t(d));
}

export function trailerFilter(search: unknown): Predicate<StoredTrailer> {
  const c = criteria('Trailer', search, TRAILER_SEARCH_IMPLEMENTED, TRAILER_SEARCH_NOT_IMPLEMENTED);
  const tests: Predicate<StoredTrailer>[] = [];
  if (c.id !== undefined) {
    const id = text(c.id);
    tests.push((t) => t.id === id);
  }
  if (c.name !== undefined) {
    const pattern = text(c.name);
    tests.push((t) => matchesPattern(pattern, t.fields.name as string));
  }
  if (c.groups !== undefined) {
    const groups = readGroups(c.groups);
    tests.push((t) => inGroups(groups, t.fields.groups as GroupRef[], true));
  }
  return (t) => tests.every((f) => f(t));
}
