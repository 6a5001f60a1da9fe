// The Motive user record as the sandbox stores and renders it.
// The field catalog follows the seed body (shared/seeds/motive-create-user.txt) in its order, so the
// rendered user echoes every accepted field; value lists come from ./vendor.ts, taken from Motive's
// own material and never from the adapter, so the sandbox stays an independent witness.
import {
  CYCLES,
  DUTY_STATUSES,
  ELD_MODES,
  EXCEPTION_FLAGS,
  ROLES,
  TIME_TRACKING_MODES,
  TIME_ZONE_NAMES,
  USER_STATUSES,
  VIOLATION_ALERTS,
} from './vendor.ts';
import { renderExternalIds } from './external-ids.ts';
import type { ExternalId } from './external-ids.ts';

/** Free text (nullable), a strict JSON boolean, or one value of a closed list. */
export type FieldSpec =
  | { readonly name: string; readonly kind: 'string' }
  | { readonly name: string; readonly kind: 'boolean'; readonly default: boolean }
  | {
      readonly name: string;
      readonly kind: 'enum';
      readonly values: ReadonlySet<string>;
      readonly default: string;
    };

const str = (name: string): FieldSpec => ({ name, kind: 'string' });
const bool = (name: string, dflt: boolean): FieldSpec => ({ name, kind: 'boolean', default: dflt });
const oneOf = (name: string, values: Iterable<string>, dflt: string): FieldSpec => ({
  name,
  kind: 'enum',
  values: new Set(values),
  default: dflt,
});

/**
 * Every writable field (password aside), in the seed's order. Defaults are what a Motive user gets
 * when the field is not sent: the seed's own values where it shows one; for time_zone and cycle
 * (the seed sends nil) the sandbox assumes a US fleet's usual company defaults.
 */
export const USER_FIELDS: readonly FieldSpec[] = [
  str('email'),
  str('first_name'),
  str('last_name'),
  str('phone'),
  str('phone_ext'),
  str('phone_country_code'),
  oneOf('time_zone', TIME_ZONE_NAMES, 'Eastern Time (US & Canada)'),
  str('carrier_name'),
  str('carrier_street'),
  str('carrier_city'),
  str('carrier_state'),
  str('carrier_zip'),
  oneOf('violation_alerts', VIOLATION_ALERTS, '1_hour'),
  str('terminal_street'),
  str('terminal_city'),
  str('terminal_state'),
  str('terminal_zip'),
  ...EXCEPTION_FLAGS.map((flag) => bool(flag, false)),
  bool('export_combined', true),
  bool('export_recap', true),
  bool('export_odometers', true),
  bool('metric_units', false),
  str('username'),
  oneOf('cycle', CYCLES, '70_8'),
  str('driver_company_id'),
  bool('minute_logs', false),
  oneOf('duty_status', DUTY_STATUSES, 'off_duty'),
  oneOf('eld_mode', ELD_MODES, 'none'),
  str('drivers_license_number'),
  str('drivers_license_state'),
  bool('yard_moves_enabled', false),
  bool('personal_conveyance_enabled', false),
  bool('manual_driving_enabled', false),
  oneOf('role', ROLES, 'driver'),
  oneOf('status', USER_STATUSES, 'active'),
  str('dot_id'),
  oneOf('time_tracking_mode', TIME_TRACKING_MODES, 'logs'),
];

export type FieldValue = string | boolean | null;

export type { ExternalId } from './external-ids.ts';

/** A stored user: the catalog's fields plus identity, timestamps and the password digest. */
export interface StoredUser {
  id: number;
  fields: Record<string, FieldValue>;
  external_ids: ExternalId[];
  /** salt:sha256 hex; Rails keeps a digest (has_secure_password), never the password itself. */
  password_digest: string | null;
  created_at: string;
  updated_at: string;
}

export function defaultFields(): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of USER_FIELDS) out[f.name] = f.kind === 'string' ? null : f.default;
  return out;
}

/** Rails' `humanize` for attribute names in error messages: "first_name" → "First name". */
export function humanize(attribute: string): string {
  const words = attribute.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The user as the API renders it: id first, every field, external ids (each with its id), timestamps; no password. */
export function renderUser(user: StoredUser): Record<string, unknown> {
  return {
    id: user.id,
    ...user.fields,
    external_ids: renderExternalIds(user.external_ids),
    created_at: user.created_at,
    updated_at: user.updated_at,
  };
}
