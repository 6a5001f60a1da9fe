// Validation of the `entity` of Add/Set User, the way MyGeotab's object model deserializes and checks
// it: each known member is type-checked (ArgumentException naming the member), unknown members are
// ignored (Geotab's serializer does the same), members left out take their default, then the rules
// that read several members run (activeTo after activeFrom, at most 24 h ahead unless the max date).
// Real members the sandbox does not interpret are kept as sent once their JSON type is right.
import { serializerError } from './asset-fields.ts';
import { argumentError } from './errors.ts';
import { TEXT_DEFAULTS, USER_FIELDS } from './user-model.ts';
import type { FieldSpec, GroupRef, UserFields } from './user-model.ts';
import { ACTIVE_FOREVER, ACTIVE_TO_MAX_FUTURE_MS, PHONE_EXTENSION_MAX, USER_KEPT_MEMBERS } from './vendor.ts';

const JSON_TYPE: Readonly<Record<string, (v: unknown) => boolean>> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  array: Array.isArray,
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
};

/** The kept members present in the entity; one of the wrong JSON type fails as Geotab's serializer fails. */
function keptMembers(entity: Record<string, unknown>): UserFields {
  const kept: UserFields = {};
  for (const [name, type] of Object.entries(USER_KEPT_MEMBERS)) {
    const value = entity[name];
    if (value === undefined || value === null) continue;
    if (!JSON_TYPE[type](value)) throw serializerError();
    kept[name] = structuredClone(value);
  }
  const ext = kept.phoneNumberExtension;
  if (typeof ext === 'string' && ext.length > PHONE_EXTENSION_MAX) {
    throw argumentError(`'phoneNumberExtension' is too long: ${ext.length} characters, at most ${PHONE_EXTENSION_MAX}`);
  }
  return kept;
}

// ISO 8601 date-time as Geotab serializes it (a date alone is read as midnight UTC).
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function castField(name: string, spec: FieldSpec, value: unknown, nowIso: string): string | boolean | GroupRef[] {
  switch (spec.kind) {
    case 'text': {
      if (value === null || value === undefined) return TEXT_DEFAULTS[name] ?? '';
      if (typeof value !== 'string') throw argumentError(`'${name}' must be a string`);
      if (spec.max !== undefined && value.length > spec.max) {
        throw argumentError(`'${name}' is too long: ${value.length} characters, at most ${spec.max}`);
      }
      const problem = spec.check?.(value);
      if (problem) throw argumentError(problem);
      return value;
    }
    case 'bool':
      if (value === null || value === undefined) return spec.default;
      if (typeof value !== 'boolean') throw argumentError(`'${name}' must be true or false`);
      return value;
    case 'enum':
      if (value === null || value === undefined) return spec.default;
      if (typeof value !== 'string' || !spec.values.has(value)) {
        throw argumentError(`'${String(value)}' is not a valid value of '${name}'`);
      }
      return value;
    case 'date': {
      if (value === null || value === undefined) return spec.default === 'now' ? nowIso : spec.default;
      if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
        throw argumentError(`'${name}' must be an ISO 8601 date-time, got ${JSON.stringify(value)}`);
      }
      return new Date(value).toISOString();
    }
    case 'groups': {
      if (value === null || value === undefined) return [];
      if (!Array.isArray(value)) throw argumentError(`'${name}' must be an array of {"id": ...}`);
      return value.map((g: unknown) => {
        const id = typeof g === 'object' && g !== null ? (g as { id?: unknown }).id : undefined;
        if (typeof id !== 'string') throw argumentError(`'${name}' must be an array of {"id": ...}`);
        if (!spec.ids.has(id)) throw argumentError(`Group '${id}' of '${name}' does not exist`);
        return { id };
      });
    }
  }
}

/** The entity as it will be stored: every field, defaults for the missing ones. */
export function parseUserEntity(entity: Record<string, unknown>, now: number): UserFields {
  const nowIso = new Date(now).toISOString();
  const fields: UserFields = {};
  for (const [name, spec] of Object.entries(USER_FIELDS)) fields[name] = castField(name, spec, entity[name], nowIso);
  Object.assign(fields, keptMembers(entity));

  if ((fields.name as string).trim() === '') throw argumentError("'name' is required");
  if ((fields.securityGroups as GroupRef[]).length === 0) throw argumentError("'securityGroups' must name a security clearance");
  if ((fields.companyGroups as GroupRef[]).length === 0) throw argumentError("'companyGroups' must name at least one group");
  const from = Date.parse(fields.activeFrom as string);
  const to = Date.parse(fields.activeTo as string);
  if (to < from) throw argumentError("'activeTo' must not be before 'activeFrom'");
  if (to < Date.parse(ACTIVE_FOREVER) && to > now + ACTIVE_TO_MAX_FUTURE_MS) {
    throw argumentError(`'activeTo' may be at most 24 hours in the future unless it is ${ACTIVE_FOREVER}`);
  }
  return fields;
}
