// Multi-field derivations of the Geotab user mapping: Geotab fields written from several normalized
// fields at once (mapping.ts owns the per-field table and the mapper). Facts: providers.md (Geotab).
import type { HosRulesetCode, TimeZone } from '../../../contract/enums.ts';
import type { UserAttributeName } from '../../../contract/resources/users.ts';
import { trackingMode, trackingModeDisagreement } from '../../kit/users.ts';
import type { Attrs } from '../../kit/mapping-kit.ts';
import type { Refusal } from '../../kit/types.ts';
import { PHONE_COUNTRY_CODE_PATTERN } from '../../kit/phone.ts';
import { alpha2For } from './countries.ts';
import { GEOTAB_HOS } from './hos.ts';
import {
  GEOTAB_ACTIVE_FOREVER,
  GEOTAB_COMPANY_GROUP,
  GEOTAB_MAX_LENGTH,
  isIanaZone,
} from '../native.ts';
import type { GeotabSecurityGroup } from '../native.ts';

export type DerivedGroup = 'name' | 'status' | 'role' | 'phone' | 'carrier' | 'exempt';
export type GeotabRefusal = Refusal;
export type { Attrs } from '../../kit/mapping-kit.ts';
export type GroupResult =
  | { fields: Record<string, unknown>; dropped?: UserAttributeName[] }
  | { refusal: Omit<GeotabRefusal, 'input'> };

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

export const maxLength = (geotabField: keyof typeof GEOTAB_MAX_LENGTH) => (value: unknown): string | null =>
  typeof value === 'string' && value.length > GEOTAB_MAX_LENGTH[geotabField]
    ? `Geotab limits ${geotabField} to ${GEOTAB_MAX_LENGTH[geotabField]} characters (got ${value.length})`
    : null;

export function hosRefusal(value: unknown): string | null {
  if (value == null) return null;
  const entry = Object.hasOwn(GEOTAB_HOS, String(value)) ? GEOTAB_HOS[value as HosRulesetCode] : undefined;
  if (entry === undefined) return `unknown HOS ruleset code ${String(value)}`;
  return typeof entry === 'string' ? null : `Geotab cannot represent ${String(value)}: ${entry.unsupported}`;
}

export function zoneRefusal(value: unknown): string | null {
  if (value == null) return null;
  // Geotab takes IANA ids as they are; every seed zone is one (checked against the tz database).
  return typeof value === 'string' && isIanaZone(value) ? null : `unknown IANA time zone ${String(value)}`;
}

export function countryRefusal(value: unknown): string | null {
  if (value == null) return null;
  return typeof value === 'string' && alpha2For(value) !== null
    ? null
    : `no ISO alpha-2 code known for country ${JSON.stringify(value)}; Geotab stores countryCode as alpha-2`;
}

export const toHosRuleSet = (value: unknown): unknown => GEOTAB_HOS[value as HosRulesetCode];
export const toCountryCode = (value: unknown): unknown => alpha2For(value as string);
export const toZone = (value: unknown): unknown => value as TimeZone;

// `name` is Geotab's login, unique per database: username, else user_email (providers.md table).
export function deriveName(m: Attrs, changes: Attrs): GroupResult {
  const username = text(m.username);
  const email = text(m.user_email);
  const name = username ?? email;
  if (name === null) {
    return { refusal: { field: 'username', message: 'Geotab requires a login name: send username or user_email' } };
  }
  const tooLong = maxLength('name')(name);
  if (tooLong) return { refusal: { field: username ? 'username' : 'user_email', message: tooLong } };
  // Geotab users have no e-mail field besides the login: an e-mail beside a username is not stored.
  const dropped: UserAttributeName[] =
    username !== null && email !== null && email !== username && changes.user_email != null ? ['user_email'] : [];
  return { fields: { name }, dropped };
}

// activeTo: 2050-01-01 means active; a deactivated user's activeTo is "now" (Geotab allows at most
// 24 h in the future). status (ACTIVE/INACTIVE) and is_active must agree when both are present.
export function deriveStatus(m: Attrs, now: Date): GroupResult {
  const fromStatus = m.status === 'ACTIVE' ? true : m.status === 'INACTIVE' ? false : null;
  const fromFlag = typeof m.is_active === 'boolean' ? m.is_active : null;
  if (fromStatus !== null && fromFlag !== null && fromStatus !== fromFlag) {
    return { refusal: { field: 'status', message: `status ${String(m.status)} contradicts is_active=${String(m.is_active)}` } };
  }
  const active = fromStatus ?? fromFlag ?? true;
  return { fields: { activeTo: active ? GEOTAB_ACTIVE_FOREVER : now.toISOString() } };
}

/**
 * isDriver, securityGroups and driverGroups from is_driver and user_designation (the title itself is
 * stored as `designation`, ≤50). Clearances: a driver gets GroupDriveUserSecurityId (the Drive app
 * only); ADMIN gets GroupEverythingSecurityId (an admin may also drive: isDriver stays independent);
 * any other title (DISPATCHER, SAFETY …) or is_driver=false gets GroupSupervisorSecurityId; with
 * neither known, the least privilege Geotab has for a login, GroupViewOnlySecurityId.
 */
export function deriveRole(m: Attrs): GroupResult {
  const rawTitle = typeof m.user_designation === 'string' ? m.user_designation : null;
  const title = rawTitle?.trim().toUpperCase() ?? '';
  if (m.is_driver === false && title === 'DRIVER') {
    return {
      refusal: { field: 'is_driver', message: `is_driver=false contradicts user_designation ${JSON.stringify(rawTitle)}` },
    };
  }
  const tooLong = maxLength('designation')(rawTitle);
  if (tooLong) return { refusal: { field: 'user_designation', message: tooLong } };
  const isDriver = typeof m.is_driver === 'boolean' ? m.is_driver : title === 'DRIVER';
  let clearance: GeotabSecurityGroup;
  if (title === 'ADMIN') clearance = 'GroupEverythingSecurityId';
  else if (isDriver) clearance = 'GroupDriveUserSecurityId';
  else if (title !== '' || m.is_driver === false) clearance = 'GroupSupervisorSecurityId';
  else clearance = 'GroupViewOnlySecurityId';
  return {
    fields: {
      isDriver,
      designation: rawTitle ?? '',
      securityGroups: [{ id: clearance }],
      // A driver belongs to driver groups (who may see and assign the driver); the company group.
      driverGroups: isDriver ? [{ id: GEOTAB_COMPANY_GROUP }] : [],
    },
  };
}

// phoneNumber "+1 5555555555" (providers.md): the country code, a space, the number; a number that
// already starts with "+" is kept as sent. ≤20 characters.
export function derivePhone(m: Attrs): GroupResult {
  const pcc = m.phone_country_code;
  if (pcc != null && (typeof pcc !== 'string' || !PHONE_COUNTRY_CODE_PATTERN.test(pcc))) {
    return {
      refusal: { field: 'phone_country_code', message: `expected "+" and 1-4 digits (e.g. "+1"), got ${JSON.stringify(pcc)}` },
    };
  }
  const number = text(m.phone_number);
  if (number === null) return { fields: { phoneNumber: '' } };
  const phoneNumber = number.startsWith('+') || typeof pcc !== 'string' ? number : `${pcc} ${number}`;
  const tooLong = maxLength('phoneNumber')(phoneNumber);
  if (tooLong) return { refusal: { field: 'phone_number', message: `${tooLong}: ${JSON.stringify(phoneNumber)}` } };
  return { fields: { phoneNumber } };
}

// carrierNumber is the carrier's USDOT number Geotab prints on ELD logs: dot_id when present, else
// carrier_number. A different carrier_number beside a dot_id is not stored (reported as dropped).
export function deriveCarrier(m: Attrs, changes: Attrs): GroupResult {
  const dot = text(m.dot_id);
  const carrier = text(m.carrier_number);
  const dropped: UserAttributeName[] =
    dot !== null && carrier !== null && carrier !== dot && changes.carrier_number != null ? ['carrier_number'] : [];
  return { fields: { carrierNumber: dot ?? carrier ?? '' }, dropped };
}

// isExemptHOSEnabled from hos_compliance_type (top level or inside hos_tracking_mode; both must agree).
export function deriveExempt(m: Attrs): GroupResult {
  const disagreement = trackingModeDisagreement(m);
  if (disagreement) return { refusal: disagreement };
  const { compliance } = trackingMode(m);
  return { fields: { isExemptHOSEnabled: compliance === 'exempt' } };
}
