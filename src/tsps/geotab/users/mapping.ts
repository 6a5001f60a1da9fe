// Normalized user (Catena v2 user attributes) → Geotab `User` entity fields for Add (create) or the
// fields to apply to the fetched entity before Set (update; Geotab's Set replaces the whole entity).
// The per-field rules are one data table (FIELD_RULES): the capability matrix (GEOTAB_FIELD_SUPPORT),
// the submit-time checks and the mapper all read it, so they cannot disagree.
// Facts cited: shared/reference/providers.md (Geotab section and the mapping table).
import type { UserAttributeName, UserAttributes } from '../../../contract/resources/users.ts';
import { applyFieldRules, fieldSupport, groupFields, refusalCollector, refusalFrom, sent, writtenChanges } from '../../kit/mapping-kit.ts';
import type { DirectRule, FieldSupport } from '../../kit/mapping-kit.ts';
import {
  countryRefusal,
  deriveCarrier,
  deriveExempt,
  deriveName,
  derivePhone,
  deriveRole,
  deriveStatus,
  hosRefusal,
  maxLength,
  toCountryCode,
  toHosRuleSet,
  toZone,
  zoneRefusal,
} from './derive.ts';
import type { Attrs, DerivedGroup, GeotabRefusal, GroupResult } from './derive.ts';
import { GEOTAB_ACTIVE_FOREVER, GEOTAB_COMPANY_GROUP } from '../native.ts';

export { GEOTAB_HOS } from './hos.ts';
export type { GeotabHosEntry } from './hos.ts';
export { ALPHA2_FOR_ALPHA3 } from './countries.ts';
export type { GeotabRefusal } from './derive.ts';

type FieldRule =
  /**
   * One normalized field → one Geotab field. An update's explicit null writes what Geotab keeps for
   * unset: "" for a text, false for a permission; refused where Geotab always holds a value (a time
   * zone, a ruleset).
   */
  | DirectRule
  /** Written through a derivation from the merged user (several fields → several Geotab fields). */
  | { kind: 'derived'; group: DerivedGroup }
  /** Geotab's User has no field for it: reported in `dropped` when sent non-null. */
  | { kind: 'not_stored'; why: string };

/** A direct rule whose null writes Geotab's unset value (or is refused where Geotab always holds one). */
const direct = (native: string, onNull: 'empty' | 'false' | 'refuse', extra: Pick<DirectRule, 'convert' | 'refuse'> = {}): DirectRule => ({
  kind: 'direct',
  native,
  onNull,
  ...(onNull === 'refuse' && { nullRefusal: `Geotab always holds a ${native}; it cannot be cleared` }),
  ...extra,
});

const FIELD_RULES: Readonly<Record<UserAttributeName, FieldRule>> = {
  username: { kind: 'derived', group: 'name' },
  is_active: { kind: 'derived', group: 'status' },
  status: { kind: 'derived', group: 'status' },
  is_driver: { kind: 'derived', group: 'role' },
  user_designation: { kind: 'derived', group: 'role' },
  // The login when there is no username; Geotab has no other e-mail field on a user.
  user_email: { kind: 'derived', group: 'name' },
  first_name: direct('firstName', 'empty'),
  last_name: direct('lastName', 'empty'),
  phone_number: { kind: 'derived', group: 'phone' },
  country_code: direct('countryCode', 'empty', { convert: toCountryCode, refuse: countryRefusal }),
  license_country: { kind: 'not_stored', why: 'Geotab stores the licence province only' },
  license_region: direct('licenseProvince', 'empty'),
  license_number: direct('licenseNumber', 'empty'),
  license_expiration: { kind: 'not_stored', why: 'Geotab users have no licence expiry field' },
  employee_number: direct('employeeNo', 'empty', { refuse: maxLength('employeeNo') }),
  carrier_number: { kind: 'derived', group: 'carrier' },
  notes: direct('comment', 'empty'),
  hos_ruleset_code: direct('hosRuleSet', 'refuse', { convert: toHosRuleSet, refuse: hosRefusal }),
  allow_yard_move: direct('isYardMoveEnabled', 'false'),
  allow_personal_conveyance: direct('isPersonalConveyanceEnabled', 'false'),
  allow_adverse_driving: direct('isAdverseDrivingEnabled', 'false'),
  default_time_zone: direct('timeZoneId', 'refuse', { convert: toZone, refuse: zoneRefusal }),
  dot_id: { kind: 'derived', group: 'carrier' },
  phone_country_code: { kind: 'derived', group: 'phone' },
  hos_tracking_mode: { kind: 'derived', group: 'exempt' },
  hos_compliance_type: { kind: 'derived', group: 'exempt' },
  hos_tracking_method: { kind: 'not_stored', why: 'Geotab has no per-user manual/automatic HOS tracking setting' },
};

/** What Geotab keeps of each normalized field (read by the capability matrix). */
export const GEOTAB_FIELD_SUPPORT: Readonly<Record<UserAttributeName, FieldSupport>> = fieldSupport(FIELD_RULES);

export type GeotabMappingInput = {
  operation: 'create' | 'update';
  /** Fields the partner sent in this request (create: the whole body minus connection_id). */
  changes: UserAttributes;
  /** The user as it will be after the write (create: equal to changes). */
  merged: UserAttributes;
  /** Clock for activeFrom (create) and a deactivation's activeTo; defaults to now. */
  now?: Date;
};

/**
 * create: the entity for Add (the adapter adds the generated password); update: the fields to set on
 * the entity read with Get before Set. Never contains a password.
 */
export type GeotabMappingResult =
  | { ok: true; body: Record<string, unknown>; dropped: UserAttributeName[] }
  | { ok: false; refusals: GeotabRefusal[] };

const GROUP_FIELDS = groupFields<DerivedGroup, UserAttributeName, FieldRule>(FIELD_RULES, ['name', 'status', 'role', 'phone', 'carrier', 'exempt']);

export function mapUserToGeotab(input: GeotabMappingInput): GeotabMappingResult {
  const isCreate = input.operation === 'create';
  const now = input.now ?? new Date();
  // On create a null means "not set": Geotab's default applies, so nothing is sent, refused or dropped.
  const changes = writtenChanges(input.operation, input.changes);
  const merged = input.merged as Attrs;
  const body: Record<string, unknown> = {};
  const dropped: UserAttributeName[] = [];
  const { refusals, refuse } = refusalCollector();

  applyFieldRules('Geotab', FIELD_RULES, changes, { body, drop: (field) => dropped.push(field), refuse });

  const derivations: Record<DerivedGroup, () => GroupResult> = {
    name: () => deriveName(merged, changes),
    status: () => deriveStatus(merged, now),
    role: () => deriveRole(merged),
    phone: () => derivePhone(merged),
    carrier: () => deriveCarrier(merged, changes),
    exempt: () => deriveExempt(merged),
  };
  for (const group of Object.keys(derivations) as DerivedGroup[]) {
    // A create writes every group (Add needs a name, clearances and an active period); an update only
    // the groups whose inputs it touched.
    const touched = isCreate || GROUP_FIELDS[group].some((f) => sent(changes, f));
    if (!touched) continue;
    const result = derivations[group]();
    if ('refusal' in result) {
      const { field, message } = result.refusal;
      refuse({ field, input: merged[field] ?? null, message });
    } else {
      Object.assign(body, result.fields);
      dropped.push(...(result.dropped ?? []));
    }
  }

  if (refusals.length > 0) return { ok: false, refusals };
  if (isCreate) {
    body.activeFrom = now.toISOString();
    body.activeTo ??= GEOTAB_ACTIVE_FOREVER;
    // Add requires the user's data scope; fleetgate users see the whole organisation.
    body.companyGroups = [{ id: GEOTAB_COMPANY_GROUP }];
    body.userAuthenticationType = 'BasicAuthentication';
    // The generated password is known to no one: Geotab asks for a new one at first sign-in.
    body.changePassword = true;
  }
  return { ok: true, body, dropped: [...new Set(dropped)] };
}

/** Submit-time check of one value on its own: a reason Geotab can't take it, or null. */
// Only direct rules carry a per-value refusal; derived groups are judged on the merged user.
export const geotabRefusalFor = (field: UserAttributeName, value: unknown): string | null => refusalFrom(FIELD_RULES, field, value);
