// Validation of POST/PUT /v1/users bodies, done in code the way a Rails controller + model would:
// strong params drop unknown keys, each permitted attribute is type-checked, then the model's
// validations run on the user as it would be after the write. Only the first problem is reported,
// Rails-style ("Validation failed: First name can't be blank").
import { validationFailed } from './errors.ts';
import { parseExternalIdAttributes } from './external-ids.ts';
import type { ExternalIdChange } from './external-ids.ts';
import { formBoolean, isFormEncoded } from './form-body.ts';
import { humanize, USER_FIELDS } from './user-model.ts';
import { timeTrackingAllowsEldMode } from './vendor.ts';
import type { FieldSpec, FieldValue } from './user-model.ts';

export type WriteMode = 'create' | 'update';

/** What a create/update body asks for, after type checks. */
export interface UserWrite {
  /** Only the fields present in the body (a PUT is partial). */
  changes: Record<string, FieldValue>;
  /** `external_ids_attributes`: entries without an id add a pair, entries with one update that pair. */
  externalIds: ExternalIdChange[];
  /** undefined when not sent. */
  password: string | undefined;
}

// Motive documents "+1"; the sandbox accepts any ITU country calling code shape: "+" and 1–4 digits.
const PHONE_COUNTRY_CODE = /^\+\d{1,4}$/;
// Deliberately loose, like the usual Rails email format validator: something@something.tld.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export const isBlank = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Rails typecasts numbers sent for string columns; anything else is a client bug worth a 422. */
export function castString(name: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw validationFailed(`${humanize(name)} must be a string`);
}

/**
 * A boolean attribute's value: JSON must carry a real boolean (the seed does; "true" or 1 are refused),
 * a form-encoded body only has text, which Rails casts (formBoolean; "" is nil).
 */
export function booleanInput(value: unknown, form: boolean): unknown {
  return form && typeof value === 'string' ? formBoolean(value) : value;
}

/** Returns undefined when the field should be left to its default (null on create). */
function castField(spec: FieldSpec, raw: unknown, mode: WriteMode, form: boolean): FieldValue | undefined {
  const label = humanize(spec.name);
  switch (spec.kind) {
    case 'string':
      return castString(spec.name, raw);
    case 'boolean': {
      const value = booleanInput(raw, form);
      if (value === null && mode === 'create') return undefined;
      if (typeof value !== 'boolean') throw validationFailed(`${label} must be true or false`);
      return value;
    }
    case 'enum': {
      const value = raw;
      // The seed sends nil for time_zone and cycle on create: that means "use the default".
      if (value === null && mode === 'create') return undefined;
      if (value === null || value === '') throw validationFailed(`${label} can't be blank`);
      if (typeof value !== 'string' || !spec.values.has(value)) {
        throw validationFailed(`${label} is not included in the list`);
      }
      return value;
    }
  }
}

/**
 * Type-checks a body. Presence rules that depend only on the body run here; rules that depend on
 * the resulting user run in `checkResultingUser`.
 */
export function parseUserWrite(body: Record<string, unknown>, mode: WriteMode): UserWrite {
  if (mode === 'create') {
    if (isBlank(body.first_name)) throw validationFailed("First name can't be blank");
    if (isBlank(body.last_name)) throw validationFailed("Last name can't be blank");
  }
  // Mandatory on create *and* update since 5 Feb 2025: Motive changelog "Added a new parameter to Create a
  // User and Update an existing user endpoints" (https://developer.gomotive.com/changelog?page=3).
  if (isBlank(body.phone_country_code)) throw validationFailed("Phone country code can't be blank");

  const form = isFormEncoded(body);
  const changes: Record<string, FieldValue> = {};
  for (const spec of USER_FIELDS) {
    if (!Object.hasOwn(body, spec.name)) continue;
    const value = castField(spec, body[spec.name], mode, form);
    if (value !== undefined) changes[spec.name] = value;
  }

  const pcc = changes.phone_country_code;
  if (typeof pcc !== 'string' || !PHONE_COUNTRY_CODE.test(pcc)) {
    throw validationFailed('Phone country code is invalid');
  }
  const email = changes.email;
  if (typeof email === 'string' && email.trim() !== '' && !EMAIL.test(email)) {
    throw validationFailed('Email is invalid');
  }

  const externalIds = parseExternalIdAttributes(body.external_ids_attributes);

  let password: string | undefined;
  if (Object.hasOwn(body, 'password') && body.password !== null) {
    password = castString('password', body.password) ?? undefined;
  }
  return { changes, externalIds, password };
}

/** Model validations on the user as it would be after the write (create: defaults + body). */
export function checkResultingUser(fields: Record<string, FieldValue>): void {
  // A PUT may blank a name that create required.
  if (isBlank(fields.first_name)) throw validationFailed("First name can't be blank");
  if (isBlank(fields.last_name)) throw validationFailed("Last name can't be blank");
  const ttm = String(fields.time_tracking_mode);
  const eld = String(fields.eld_mode);
  if (!timeTrackingAllowsEldMode(ttm, eld)) {
    throw validationFailed(`Eld mode ${eld} is not allowed with time tracking mode ${ttm}`);
  }
}
