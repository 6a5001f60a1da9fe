// Reading the members of a TextMessage, FuelTransaction or DVIRLog entity and of their searches the way
// MyGeotab's serializer does (sources in ./writes-vendor.ts, conventions in ./asset-fields.ts): a member of
// the wrong JSON type fails deserialization (JsonSerializerException); a reference is `{id}`; a search member
// that is itself a search (userSearch, deviceSearch …) is read for the criteria the sandbox implements, and
// any other criterion in it is refused, never ignored.
import { argumentError } from './errors.ts';
import { readDate, serializerError } from './asset-fields.ts';

type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const given = (v: unknown): boolean => v !== undefined && v !== null;

/** `{id}` → the id; anything else is a serializer error. */
export function readRef(value: unknown): string {
  if (!isObject(value) || typeof value.id !== 'string' || value.id === '') throw serializerError();
  return value.id;
}

export function readText(name: string, value: unknown, max?: number): string {
  if (typeof value !== 'string') throw serializerError();
  if (max !== undefined && value.length > max) throw argumentError(`'${name}' is too long: ${value.length} characters, at most ${max}`);
  return value;
}

export function readBool(value: unknown): boolean {
  if (typeof value !== 'boolean') throw serializerError();
  return value;
}

export function readNumber(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw serializerError();
  return value;
}

export function readEnum<T extends string>(value: unknown, values: readonly T[]): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) throw serializerError();
  return value as T;
}

export { readDate };

/** A nested search of which the sandbox implements only `id` (UserSearch, DeviceSearch, TrailerSearch in these searches). */
export function idOnlySearch(path: string, value: unknown): string {
  if (!isObject(value)) throw serializerError();
  const other = Object.keys(value).find((k) => k !== 'id' && given(value[k]));
  if (other) throw argumentError(`${path}.${other} is not supported by the fleetgate sandbox`);
  if (typeof value.id !== 'string') throw argumentError(`${path} needs an id in the fleetgate sandbox`);
  return value.id;
}

/** The stored id as Geotab renders a reference: `{id}`, or null. */
export const ref = (id: string | null): { id: string } | null => (id === null ? null : { id });

/** A member the object model has but the sandbox does not store: refused, never dropped silently. */
export function refuseMembers(typeName: string, entity: Json, members: readonly string[]): void {
  const present = members.find((m) => given(entity[m]));
  if (present) throw argumentError(`${typeName}.${present} is not supported by the fleetgate sandbox`);
}
