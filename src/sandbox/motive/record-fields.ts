// The field catalog and body parsing shared by the sandbox's vehicles and assets, done the way a Rails
// controller + model would (as validation.ts does for users): strong params drop unknown keys, each
// permitted attribute is typecast, presence runs on the record as it would be after the write, and only
// the first problem is reported ("Validation failed: Number can't be blank").
import { validationFailed } from './errors.ts';
import { parseExternalIdAttributes } from './external-ids.ts';
import type { ExternalIdChange } from './external-ids.ts';
import { isFormEncoded } from './form-body.ts';
import { humanize } from './user-model.ts';
import { booleanInput, castString, isBlank } from './validation.ts';
import type { WriteMode } from './validation.ts';

export type RecordValue = string | number | boolean | null;

/**
 * One writable attribute: free text, a strict JSON boolean, a whole number, a number, one value of a
 * list, or the id of another Motive record (a device) that this sandbox keeps none of.
 */
export type RecordFieldSpec =
  | { readonly name: string; readonly kind: 'string' }
  | { readonly name: string; readonly kind: 'boolean'; readonly default: boolean }
  | { readonly name: string; readonly kind: 'integer' }
  | { readonly name: string; readonly kind: 'number' }
  | { readonly name: string; readonly kind: 'enum'; readonly values: ReadonlySet<string>; readonly default: string | null }
  | { readonly name: string; readonly kind: 'reference'; readonly record: string };

export const str = (name: string): RecordFieldSpec => ({ name, kind: 'string' });
export const bool = (name: string, dflt = false): RecordFieldSpec => ({ name, kind: 'boolean', default: dflt });
export const int = (name: string): RecordFieldSpec => ({ name, kind: 'integer' });
export const num = (name: string): RecordFieldSpec => ({ name, kind: 'number' });
/** `default: null` makes the list optional (null clears it); otherwise blank is refused. */
export const oneOf = (name: string, values: Iterable<string>, dflt: string | null): RecordFieldSpec => ({
  name,
  kind: 'enum',
  values: new Set(values),
  default: dflt,
});
/** The id of a record kept elsewhere in Motive: `belongs_to`, so an id that matches none is refused. */
export const ref = (name: string, record: string): RecordFieldSpec => ({ name, kind: 'reference', record });

/** What a record starts with before a create's body applies. */
export function defaultsOf(specs: readonly RecordFieldSpec[]): Record<string, RecordValue> {
  const out: Record<string, RecordValue> = {};
  for (const f of specs) out[f.name] = f.kind === 'boolean' || f.kind === 'enum' ? f.default : null;
  return out;
}

/** Rails' integer typecast: an integer, or a string of digits; anything else fails numericality. */
function castInteger(label: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value)) return Number(value);
  throw validationFailed(`${label} is not a number`);
}

function castNumber(label: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw validationFailed(`${label} is not a number`);
}

/** Returns undefined when the field is left to its default (a null sent on create). */
function castField(spec: RecordFieldSpec, raw: unknown, mode: WriteMode, form: boolean): RecordValue | undefined {
  const value = spec.kind === 'boolean' ? booleanInput(raw, form) : raw;
  const label = humanize(spec.name);
  switch (spec.kind) {
    case 'string':
      return castString(spec.name, value);
    case 'integer':
      return castInteger(label, value);
    case 'number':
      return castNumber(label, value);
    case 'boolean':
      if (value === null && mode === 'create') return undefined;
      if (typeof value !== 'boolean') throw validationFailed(`${label} must be true or false`);
      return value;
    case 'enum':
      // A null on create means "use the default"; on update it clears an optional list only.
      if (value === null && mode === 'create') return undefined;
      if (value === null && spec.default === null) return null;
      if (value === null || value === '') throw validationFailed(`${label} can't be blank`);
      if (typeof value !== 'string' || !spec.values.has(value)) throw validationFailed(`${label} is not included in the list`);
      return value;
    case 'reference':
      if (value === null) return null;
      // The sandbox keeps no devices (Motive installs them; there is no API to create one): no id exists.
      throw validationFailed(`${humanize(spec.record)} must exist`);
  }
}

export interface RecordWrite {
  /** Only the permitted fields present in the body (a PUT is partial). */
  changes: Record<string, RecordValue>;
  /** `external_ids_attributes`: entries without an id add a pair, entries with one update that pair. */
  externalIds: ExternalIdChange[];
}

export function parseRecordWrite(specs: readonly RecordFieldSpec[], body: Record<string, unknown>, mode: WriteMode): RecordWrite {
  const form = isFormEncoded(body);
  const changes: Record<string, RecordValue> = {};
  for (const spec of specs) {
    if (!Object.hasOwn(body, spec.name)) continue;
    const value = castField(spec, body[spec.name], mode, form);
    if (value !== undefined) changes[spec.name] = value;
  }
  return { changes, externalIds: parseExternalIdAttributes(body.external_ids_attributes) };
}

/** Presence validations on the record as it would be after the write (create: defaults + body). */
export function checkPresence(fields: Record<string, RecordValue>, required: readonly string[]): void {
  for (const name of required) if (isBlank(fields[name])) throw validationFailed(`${humanize(name)} can't be blank`);
}
