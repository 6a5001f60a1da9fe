// Checks a request body against a type of the generated SDK table (./sdk-vocabulary.ts): the members
// the SDK declares and nothing else, each of its declared type, required ones present, null only where
// the SDK types it nullable. Samsara's own semantic rules (a username's characters, IANA zones, tag ids
// that must exist) are the models' job on top of this. Every refusal is Samsara's 400 naming the field.
import { badRequest } from './errors.ts';
import { isExternalIdValue } from './external-ids.ts';
import { isObject } from './field-checks.ts';
import type { Json } from './field-checks.ts';
import { SAMSARA_SDK } from './sdk-vocabulary.ts';
import type { SdkObject, SdkType } from './sdk-vocabulary-types.ts';

export function sdkObject(name: string): SdkObject {
  const found = Object.hasOwn(SAMSARA_SDK.objects, name) ? SAMSARA_SDK.objects[name] : undefined;
  if (found === undefined) throw new Error(`the generated Samsara SDK table has no ${name}; re-run npm run sandbox:samsara-vocabulary`);
  return found;
}

/** The values of an enum member of the table, e.g. sdkEnum('UsDriverRulesetOverride', 'cycle'). */
export function sdkEnum(object: string, field: string): readonly string[] {
  const type = sdkObject(object).fields[field]?.type;
  if (type?.kind !== 'enum') throw new Error(`the generated Samsara SDK table types ${object}.${field} as no enum`);
  return type.values;
}

/** The members of an SDK type, all of them or only the required ones. */
export const sdkMembers = (object: string, which: 'all' | 'required' | 'optional' = 'all'): readonly string[] =>
  Object.entries(sdkObject(object).fields)
    .filter(([, f]) => which === 'all' || f.required === (which === 'required'))
    .map(([k]) => k);

const describe = (type: SdkType): string => {
  switch (type.kind) {
    case 'enum':
      return `one of ${type.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'array':
      return `an array of ${describe(type.of)}`;
    case 'map':
      return 'an object of strings';
    case 'object':
      return 'an object';
    case 'union':
      return type.of.map(describe).join(' or ');
    default:
      return `a ${type.kind}`;
  }
};

function matches(type: SdkType, value: unknown, path: string): boolean {
  switch (type.kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && type.values.includes(value);
    case 'map':
      // Every map of the SDK's requests is `externalIds`, whose values Samsara converts to strings.
      return isObject(value) && Object.values(value).every(isExternalIdValue);
    case 'array':
      if (!Array.isArray(value)) return false;
      value.forEach((v, i) => checkSdkValue(type.of, v, `${path}[${i}]`));
      return true;
    case 'object':
      if (!isObject(value)) return false;
      checkSdkObject(type.name, value, path);
      return true;
    case 'union':
      return type.of.some((t) => {
        try {
          return matches(t, value, path);
        } catch {
          return false;
        }
      });
  }
}

/** Throws Samsara's 400 unless `value` is of `type` (nested objects checked member by member). */
export function checkSdkValue(type: SdkType, value: unknown, path: string): void {
  if (value === null) throw badRequest(`Invalid value for ${path}: must not be null`);
  if (!matches(type, value, path)) throw badRequest(`Invalid value for ${path}: must be ${describe(type)}`);
}

/** Every member of a nested object: declared, of its type, the required ones present. */
export function checkSdkObject(name: string, value: Json, path: string): void {
  const { fields } = sdkObject(name);
  for (const [key, v] of Object.entries(value)) {
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (field === undefined) throw badRequest(`Unknown field ${path}.${key}`);
    if (v === null && field.nullable) continue;
    checkSdkValue(field.type, v, `${path}.${key}`);
  }
  for (const [key, field] of Object.entries(fields)) {
    if (field.required && (value[key] === undefined || value[key] === null)) throw badRequest(`${path}.${key} is required`);
  }
}
