// Normalized user (Catena v2 user attributes) → Motive `POST/PUT /v1/users` body.
// The per-field rules are one data table (FIELD_RULES); the capability matrix (MOTIVE_FIELD_SUPPORT),
// the submit-time check (motiveRefusalFor) and the mapper itself all read it, so they cannot disagree.
// Facts cited: shared/reference/providers.md (Motive section and the mapping table).
import type { TimeZone } from '../../../contract/enums.ts';
import type { UserAttributeName, UserAttributes } from '../../../contract/resources/users.ts';
import { applyFieldRules, fieldSupport, groupFields, refusalCollector, refusalFrom, sent, writtenChanges } from '../../kit/mapping-kit.ts';
import type { DirectRule, FieldSupport } from '../../kit/mapping-kit.ts';
import {
  deriveEld,
  deriveHos,
  derivePhone,
  deriveRole,
  deriveStatus,
  hosRefusal,
  phoneCodeRefusal,
  zoneRefusal,
} from './derive.ts';
import type { Attrs, DerivedGroup, GroupResult, MotiveRefusal } from './derive.ts';
import { MOTIVE_INTEGRATION_NAME } from '../native.ts';
import { MOTIVE_ZONE_FOR_IANA } from './zones.ts';

export { MOTIVE_HOS } from './hos.ts';
export type { MotiveHosEntry, MotiveHosMapping } from './hos.ts';
export { MOTIVE_ZONE_FOR_IANA } from './zones.ts';
export type { MotiveZoneEntry } from './zones.ts';

type FieldRule =
  | DirectRule
  /** Stored through a multi-field derivation computed from the merged user. */
  | { kind: 'derived'; group: DerivedGroup; refuse?: (value: unknown) => string | null }
  /** Motive's user has no field for it: reported in `dropped` when sent non-null. */
  | { kind: 'not_stored'; why: string };

const requiredName = (field: string) => (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? null : `Motive requires ${field} on every user`;

// Clears: Motive documents no "remove" for a user's fields. Its own example write body (the seed, from
// "Create a new user") sends null for email, phone, driver_company_id and the licence fields, so null
// is a value its API takes for those, and an update sends it. For every other field there is no
// documented way to clear it, so a null is refused at submit rather than sent on a guess.
const noClear = (native: string): string => `Motive documents no way to clear ${native}`;

const FIELD_RULES: Readonly<Record<UserAttributeName, FieldRule>> = {
  username: { kind: 'direct', native: 'username', onNull: 'refuse', nullRefusal: noClear('username') },
  is_active: { kind: 'derived', group: 'status' },
  status: { kind: 'derived', group: 'status' },
  is_driver: { kind: 'derived', group: 'role' },
  user_designation: { kind: 'derived', group: 'role' },
  user_email: { kind: 'direct', native: 'email', onNull: 'null' },
  // Motive: first_name and last_name are required; an update cannot blank them.
  first_name: { kind: 'direct', native: 'first_name', onNull: 'refuse', refuse: requiredName('first_name') },
  last_name: { kind: 'direct', native: 'last_name', onNull: 'refuse', refuse: requiredName('last_name') },
  phone_number: { kind: 'direct', native: 'phone', onNull: 'null' },
  // Only an input to the phone_country_code derivation; Motive keeps no country on a user.
  country_code: { kind: 'not_stored', why: 'Motive users have no country field' },
  license_country: { kind: 'not_stored', why: 'Motive stores the licence state only' },
  license_region: { kind: 'direct', native: 'drivers_license_state', onNull: 'null' },
  license_number: { kind: 'direct', native: 'drivers_license_number', onNull: 'null' },
  license_expiration: { kind: 'not_stored', why: 'Motive users have no licence expiry field' },
  employee_number: { kind: 'direct', native: 'driver_company_id', onNull: 'null' },
  // providers.md maps carrier identity to dot_id; the normalized dot_id already owns that field.
  carrier_number: { kind: 'not_stored', why: 'Motive has dot_id only, written from dot_id' },
  notes: { kind: 'not_stored', why: 'Motive users have no notes field' },
  hos_ruleset_code: { kind: 'derived', group: 'hos', refuse: hosRefusal },
  // Permissions: clearing one (null) disables it, which is Motive's default (seed body: false).
  allow_yard_move: { kind: 'direct', native: 'yard_moves_enabled', onNull: 'false' },
  allow_personal_conveyance: { kind: 'direct', native: 'personal_conveyance_enabled', onNull: 'false' },
  allow_adverse_driving: { kind: 'derived', group: 'hos' },
  default_time_zone: {
    kind: 'direct',
    native: 'time_zone',
    onNull: 'refuse',
    nullRefusal: noClear('time_zone'),
    convert: (value) => MOTIVE_ZONE_FOR_IANA[value as TimeZone],
    refuse: zoneRefusal,
  },
  dot_id: { kind: 'direct', native: 'dot_id', onNull: 'refuse', nullRefusal: noClear('dot_id') },
  phone_country_code: { kind: 'derived', group: 'phone', refuse: phoneCodeRefusal },
  hos_tracking_mode: { kind: 'derived', group: 'eld' },
  hos_compliance_type: { kind: 'derived', group: 'eld' },
  hos_tracking_method: { kind: 'derived', group: 'eld' },
};

/** What Motive keeps of each normalized field (read by the capability matrix). */
export const MOTIVE_FIELD_SUPPORT: Readonly<Record<UserAttributeName, FieldSupport>> = fieldSupport(FIELD_RULES);

/** Submit-time check of one value on its own: a reason Motive can't take it, or null. */
export const motiveRefusalFor = (field: UserAttributeName, value: unknown): string | null => refusalFrom(FIELD_RULES, field, value);

export type { MotiveRefusal } from './derive.ts';
export type MotiveMappingResult =
  | { ok: true; body: Record<string, unknown>; dropped: UserAttributeName[] }
  | { ok: false; refusals: MotiveRefusal[] };

export type MotiveMappingInput = {
  operation: 'create' | 'update';
  /** Fields the partner sent in this request (create: the whole body minus connection_id). */
  changes: UserAttributes;
  /** The user as it will be after the write (create: equal to changes). */
  merged: UserAttributes;
  /** fleetgate's id for the user, written as Motive's external id. */
  externalId: string;
};

// Which normalized fields feed each derived group, read off FIELD_RULES (phone is written on every call).
const GROUP_FIELDS = groupFields<DerivedGroup, UserAttributeName, FieldRule>(FIELD_RULES, ['status', 'role', 'hos', 'eld', 'phone']);

export function mapUserToMotive(input: MotiveMappingInput): MotiveMappingResult {
  const isCreate = input.operation === 'create';
  // On create a null means "not set": Motive's default applies, so nothing is sent, refused or dropped.
  const changes = writtenChanges(input.operation, input.changes);
  const merged = input.merged as Attrs;
  const body: Record<string, unknown> = {};
  const dropped: UserAttributeName[] = [];
  const { refusals, refuse } = refusalCollector();

  applyFieldRules('Motive', FIELD_RULES, changes, { body, drop: (field) => dropped.push(field), refuse });

  if (isCreate) {
    for (const field of ['first_name', 'last_name'] as const) {
      const reason = requiredName(field)(merged[field]);
      if (reason) refuse({ field, input: merged[field] ?? null, message: reason });
    }
  }

  const derivations: Record<DerivedGroup, (m: Attrs) => GroupResult> = {
    status: deriveStatus,
    role: deriveRole,
    hos: (m) => deriveHos(m, changes),
    eld: deriveEld,
    phone: derivePhone,
  };
  for (const group of Object.keys(derivations) as DerivedGroup[]) {
    const touched = group === 'phone' || GROUP_FIELDS[group].some((f) => sent(changes, f));
    if (!touched) continue;
    const result = derivations[group](merged);
    if ('refusal' in result) {
      const { field, message } = result.refusal;
      refuse({ field, input: merged[field] ?? null, message });
      continue;
    }
    // A null that leaves the group with nothing to write asked for a clear Motive documents no way to
    // make (a user is always active or deactivated, has a role, an ELD mode): refused, never a silent no-op.
    const cleared = GROUP_FIELDS[group].find((f) => Object.hasOwn(changes, f) && changes[f] === null);
    if (!isCreate && cleared && Object.keys(result.fields).length === 0) {
      refuse({ field: cleared, input: null, message: `Motive documents no way to clear ${group === 'eld' ? 'eld_mode' : group}; send a value` });
    } else Object.assign(body, result.fields);
  }

  if (refusals.length > 0) return { ok: false, refusals };
  if (isCreate) {
    body.external_ids_attributes = [{ external_id: input.externalId, integration_name: MOTIVE_INTEGRATION_NAME }];
  }
  return { ok: true, body, dropped };
}
