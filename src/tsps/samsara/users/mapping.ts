// Normalized user (Catena v2 user attributes) → Samsara `POST /fleet/drivers` / `PATCH /fleet/drivers/{id}`
// body. The per-field rules are one data table (FIELD_RULES); the capability matrix
// (SAMSARA_FIELD_SUPPORT), the submit-time check (samsaraRefusalFor) and the mapper all read it.
// The body is typed by the SDK's request types (../sdk-types.ts): a native member Samsara lacks fails tsc.
// Clears: Samsara types every member non-nullable and documents one null, `usDriverRulesetOverride`;
// an explicit null is therefore written only as a value Samsara has (false for a permission) or that
// documented clear, and refused at submit (unsupported_by_tsp) everywhere else.
// Facts cited: shared/reference/providers.md (Samsara section, its corrections and the mapping table).
// The driver's password is not part of this mapping: the adapter generates it at send time, so no
// mapped body (which may be logged or compared) ever holds one.
import type { UserAttributeName, UserAttributes } from '../../../contract/resources/users.ts';
import { USER_ATTRIBUTE_NAMES } from '../../../contract/resources/users.ts';
import { applyFieldRules, fieldSupport, groupFields, refusalCollector, refusalFrom, sent, writtenChanges } from '../../kit/mapping-kit.ts';
import type { DirectRule, FieldSupport } from '../../kit/mapping-kit.ts';
import {
  deriveCarrier,
  deriveDriver,
  deriveEld,
  deriveExternalIds,
  deriveHos,
  deriveLocale,
  deriveName,
  derivePhone,
  deriveStatus,
  dotRefusal,
  hosRefusal,
  licenseStateRefusal,
  phoneCodeRefusal,
  usernameRefusal,
  zoneRefusal,
} from './derive.ts';
import { noClear } from './derive.ts';
import type { Attrs, DeriveContext, DerivedGroup, GroupResult, SamsaraRefusal } from './derive.ts';
import type { SamsaraDriverBody, SamsaraDriverMember } from '../sdk-types.ts';

export { SAMSARA_HOS } from './hos.ts';
export type { SamsaraHosEntry, SamsaraHosMapping, SamsaraRulesetOverride } from './hos.ts';
export type { SamsaraRefusal } from './derive.ts';

/** A direct rule whose native member is one of the SDK's driver request members. */
type SamsaraDirectRule = Omit<DirectRule, 'native'> & { native: SamsaraDriverMember };

type FieldRule =
  | SamsaraDirectRule
  /** Written through a multi-field derivation computed from the merged user. `stored: false`: kept nowhere. */
  | { kind: 'derived'; group: DerivedGroup; stored?: false; refuse?: (value: unknown) => string | null }
  /** Samsara's driver has no field for it: reported in `dropped` when sent non-null. */
  | { kind: 'not_stored'; why: string };

const FIELD_RULES: Readonly<Record<UserAttributeName, FieldRule>> = {
  // Required on create [doc]; never derived from the e-mail (its local part can collide or change).
  username: { kind: 'direct', native: 'username', onNull: 'refuse', refuse: usernameRefusal },
  is_active: { kind: 'derived', group: 'status' },
  status: { kind: 'derived', group: 'status' },
  // Samsara drivers are drivers: is_driver=true is what every written record means.
  is_driver: { kind: 'derived', group: 'driver' },
  user_designation: { kind: 'derived', group: 'driver', stored: false },
  user_email: { kind: 'not_stored', why: "Samsara drivers have no e-mail (no such member in the SDK's CreateDriverRequest, UpdateDriverRequest or Driver)" },
  first_name: { kind: 'derived', group: 'name' },
  last_name: { kind: 'derived', group: 'name' },
  phone_number: { kind: 'derived', group: 'phone' },
  country_code: { kind: 'derived', group: 'locale' },
  license_country: { kind: 'not_stored', why: 'Samsara keeps the issuing state/province only' },
  license_region: {
    kind: 'direct',
    native: 'licenseState',
    onNull: 'refuse',
    nullRefusal: noClear('licenseState'),
    convert: (v) => String(v).trim().toUpperCase(),
    refuse: licenseStateRefusal,
  },
  license_number: { kind: 'direct', native: 'licenseNumber', onNull: 'refuse', nullRefusal: noClear('licenseNumber') },
  license_expiration: { kind: 'not_stored', why: 'Samsara drivers have no licence expiry field' },
  employee_number: { kind: 'derived', group: 'externalIds' },
  // providers.md maps carrier identity to carrierSettings.dotNumber, which dot_id already owns.
  carrier_number: { kind: 'not_stored', why: 'Samsara has carrierSettings.dotNumber only, written from dot_id' },
  notes: { kind: 'direct', native: 'notes', onNull: 'refuse', nullRefusal: noClear('notes') },
  hos_ruleset_code: { kind: 'derived', group: 'hos', refuse: hosRefusal },
  // Permissions: clearing one (null) disables it, Samsara's default.
  allow_yard_move: { kind: 'direct', native: 'eldYmEnabled', onNull: 'false' },
  allow_personal_conveyance: { kind: 'direct', native: 'eldPcEnabled', onNull: 'false' },
  allow_adverse_driving: { kind: 'direct', native: 'eldAdverseWeatherExemptionEnabled', onNull: 'false' },
  // Samsara takes IANA ids [doc]: the seed's zones pass through unchanged.
  default_time_zone: { kind: 'direct', native: 'timezone', onNull: 'refuse', nullRefusal: noClear('timezone'), refuse: zoneRefusal },
  dot_id: { kind: 'derived', group: 'carrier', refuse: dotRefusal },
  phone_country_code: { kind: 'derived', group: 'phone', refuse: phoneCodeRefusal },
  hos_tracking_mode: { kind: 'derived', group: 'eld' },
  hos_compliance_type: { kind: 'derived', group: 'eld' },
  hos_tracking_method: { kind: 'derived', group: 'eld' },
};

/** What Samsara keeps of each normalized field (read by the capability matrix). */
export const SAMSARA_FIELD_SUPPORT: Readonly<Record<UserAttributeName, FieldSupport>> = fieldSupport(
  FIELD_RULES,
  (rule) => rule.kind === 'direct' || (rule.kind === 'derived' && rule.stored !== false),
);

/** Submit-time check of one value on its own: a reason Samsara can't take it, or null. */
export const samsaraRefusalFor = (field: UserAttributeName, value: unknown): string | null => refusalFrom(FIELD_RULES, field, value);

export type SamsaraMappingResult =
  | { ok: true; body: SamsaraDriverBody; dropped: UserAttributeName[] }
  | { ok: false; refusals: SamsaraRefusal[] };

export type SamsaraMappingInput = {
  operation: 'create' | 'update';
  /** Fields the partner sent in this request (create: the whole body minus connection_id). */
  changes: UserAttributes;
  /** The user as it will be after the write (create: equal to changes). */
  merged: UserAttributes;
  /** fleetgate's id for the user, written as externalIds.fleetgate. */
  externalId: string;
};

const GROUPS = ['name', 'status', 'driver', 'phone', 'locale', 'externalIds', 'hos', 'eld', 'carrier'] as const;
const GROUP_FIELDS = groupFields<DerivedGroup, UserAttributeName, FieldRule>(FIELD_RULES, GROUPS);

const DERIVATIONS: Readonly<Record<DerivedGroup, (m: Attrs, ctx: DeriveContext) => GroupResult>> = {
  name: deriveName,
  status: deriveStatus,
  driver: deriveDriver,
  phone: derivePhone,
  locale: deriveLocale,
  externalIds: deriveExternalIds,
  hos: deriveHos,
  eld: deriveEld,
  carrier: deriveCarrier,
};

/** Whether a derived group is written by this request. */
function touched(group: DerivedGroup, isCreate: boolean, changes: Attrs, merged: Attrs): boolean {
  // Create: name (required) and externalIds (fleetgate's id) are always written.
  if (isCreate && (group === 'name' || group === 'externalIds')) return true;
  if (GROUP_FIELDS[group].some((f) => sent(changes, f))) return true;
  // The phone's country code may come from country_code when phone_country_code is absent.
  return (
    group === 'phone' &&
    sent(changes, 'country_code') &&
    merged.phone_country_code == null &&
    typeof merged.phone_number === 'string' &&
    !merged.phone_number.trim().startsWith('+')
  );
}

export function mapUserToSamsara(input: SamsaraMappingInput): SamsaraMappingResult {
  const isCreate = input.operation === 'create';
  // On create a null means "not set": Samsara's default applies, so nothing is sent, refused or dropped.
  const changes = writtenChanges(input.operation, input.changes);
  const merged = input.merged as Attrs;
  const ctx: DeriveContext = { operation: input.operation, changes, externalId: input.externalId };
  const body: SamsaraDriverBody = {};
  const dropped = new Set<UserAttributeName>();
  const { refusals, refuse } = refusalCollector();

  // The kit writes direct members by name; their names are typed by SamsaraDirectRule above.
  applyFieldRules('Samsara', FIELD_RULES, changes, { body: body as Record<string, unknown>, drop: (field) => dropped.add(field), refuse });

  if (isCreate && typeof merged.username !== 'string') {
    refuse({ field: 'username', input: merged.username ?? null, message: 'Samsara requires a username on every driver (no spaces, no "@")' });
  }

  for (const group of GROUPS) {
    if (!touched(group, isCreate, changes, merged)) continue;
    const result = DERIVATIONS[group](merged, ctx);
    if ('refusal' in result) {
      const { field, message } = result.refusal;
      refuse({ field, input: merged[field] ?? null, message });
      continue;
    }
    Object.assign(body, result.fields);
    for (const f of result.dropped ?? []) dropped.add(f);
  }

  if (refusals.length > 0) return { ok: false, refusals };
  return { ok: true, body, dropped: USER_ATTRIBUTE_NAMES.filter((f) => dropped.has(f)) };
}
