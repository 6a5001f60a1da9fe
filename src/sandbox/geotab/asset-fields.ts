// Reading the members of a Device or Trailer entity the way MyGeotab's serializer and object model do
// (sources in ./asset-vendor.ts): a member of the wrong JSON type fails deserialization
// (JsonSerializerException, code -32700); a value the object model refuses (too long, not a group of the
// database) is an ArgumentException or GenericException naming the member; members Geotab does not know
// are ignored, as its serializer ignores them. Set keeps the stored value of a member left out or null
// ("Set operations now retain the value of missing (null) properties", [notes] 5.7.1707).
import { argumentError, GeotabRpcError } from './errors.ts';
import { GROUP_PARENTS, invalidGroupMessage, JSON_SERIALIZER_CODE, JSON_SERIALIZER_MESSAGE } from './asset-vendor.ts';

export type GroupRef = { id: string };
export type AssetValue = string | number | GroupRef[];
export type AssetFields = Record<string, AssetValue>;

export type MemberSpec =
  | { kind: 'text'; max?: number; check?: (v: string) => string | null }
  | { kind: 'int' }
  | { kind: 'enum'; values: ReadonlySet<string> }
  | { kind: 'date' }
  | { kind: 'groups' };

export const serializerError = (): GeotabRpcError =>
  new GeotabRpcError('JsonSerializerException', JSON_SERIALIZER_MESSAGE, {}, JSON_SERIALIZER_CODE);

// ISO 8601 date-time as Geotab serializes it (a date alone is read as midnight UTC).
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date-time as Geotab renders it, or the serializer's refusal. */
export function readDate(value: unknown): string {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) throw serializerError();
  return new Date(value).toISOString();
}

/** `[{id}]` naming groups of the database; an unknown id is Geotab's GenericException. */
export function readGroups(value: unknown): GroupRef[] {
  if (!Array.isArray(value)) throw serializerError();
  return value.map((g: unknown) => {
    const id = typeof g === 'object' && g !== null ? (g as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') throw serializerError();
    if (!Object.hasOwn(GROUP_PARENTS, id)) throw new GeotabRpcError('GenericException', invalidGroupMessage(id));
    return { id };
  });
}

function castMember(name: string, spec: MemberSpec, value: unknown): AssetValue {
  switch (spec.kind) {
    case 'text': {
      if (typeof value !== 'string') throw serializerError();
      if (spec.max !== undefined && value.length > spec.max) {
        throw argumentError(`'${name}' is too long: ${value.length} characters, at most ${spec.max}`);
      }
      const problem = spec.check?.(value);
      if (problem) throw argumentError(problem);
      return value;
    }
    case 'int':
      if (!Number.isInteger(value) || Math.abs(value as number) > 2 ** 31 - 1) throw serializerError();
      return value as number;
    case 'enum':
      if (typeof value !== 'string' || !spec.values.has(value)) throw serializerError();
      return value;
    case 'date':
      return readDate(value);
    case 'groups':
      return readGroups(value);
  }
}

/** The members of `entity` cast onto `base` (defaults for Add, the stored entity for Set). */
export function readMembers(entity: Record<string, unknown>, specs: Readonly<Record<string, MemberSpec>>, base: AssetFields): AssetFields {
  const fields: AssetFields = structuredClone(base);
  for (const [name, spec] of Object.entries(specs)) {
    const value = entity[name];
    if (value !== undefined && value !== null) fields[name] = castMember(name, spec, value);
  }
  return fields;
}

/** A member the object model has but the sandbox does not store: refused, never dropped silently. */
export function refuseUnmodelled(typeName: string, entity: Record<string, unknown>, members: readonly string[]): void {
  const present = members.find((m) => entity[m] !== undefined && entity[m] !== null);
  if (present) throw argumentError(`${typeName}.${present} is not supported by the fleetgate sandbox`);
}

/** The group and every group above it in the tree. */
export function withAncestors(id: string): string[] {
  const chain: string[] = [];
  for (let g: string | null | undefined = id; g; g = GROUP_PARENTS[g]) chain.push(g);
  return chain;
}

/** `'%'` wildcards as Geotab's searches read them; without one, a case-insensitive equality. */
export function matchesPattern(pattern: string, value: string): boolean {
  if (!pattern.includes('%')) return pattern.toLowerCase() === value.toLowerCase();
  const source = pattern.split('%').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 'is').test(value);
}
