// The Geotab User entity as the sandbox stores, validates and renders it (providers.md, Geotab
// section). Add and Set take the whole entity: a field left out of a Set falls back to its default,
// exactly why clients Get before they Set. Members the sandbox does not interpret are kept as sent
// (USER_KEPT_MEMBERS). Value lists come from ./vendor.ts, taken from Geotab's own
// object model and release notes and never from the adapter, so the sandbox stays an independent witness.
import {
  ACTIVE_FOREVER,
  AUTHENTICATION_TYPES,
  HOS_RULESET_SET,
  isAlpha2,
  isIanaZone,
  MAX_LENGTH,
  ORGANISATION_GROUPS,
  SECURITY_GROUPS,
} from './vendor.ts';

export type FieldSpec =
  | { kind: 'text'; max?: number; check?: (v: string) => string | null }
  | { kind: 'bool'; default: boolean }
  | { kind: 'enum'; values: ReadonlySet<string>; default: string }
  | { kind: 'date'; default: 'now' | string }
  | { kind: 'groups'; ids: ReadonlySet<string> };

const text = (max?: number, check?: (v: string) => string | null): FieldSpec => ({ kind: 'text', max, check });
const bool = (dflt: boolean): FieldSpec => ({ kind: 'bool', default: dflt });

/** Every writable User field except `id` and `password`, with Geotab's defaults. */
export const USER_FIELDS: Readonly<Record<string, FieldSpec>> = {
  name: text(MAX_LENGTH.name),
  firstName: text(255),
  lastName: text(255),
  employeeNo: text(MAX_LENGTH.employeeNo),
  designation: text(MAX_LENGTH.designation),
  comment: text(1024),
  countryCode: text(2, (v) => (v === '' || isAlpha2(v) ? null : `'${v}' is not an ISO 3166-1 alpha-2 country code`)),
  phoneNumber: text(MAX_LENGTH.phoneNumber),
  timeZoneId: text(64, (v) => (isIanaZone(v) ? null : `'${v}' is not a known time zone id`)),
  carrierNumber: text(255),
  companyName: text(255),
  licenseNumber: text(255),
  licenseProvince: text(255),
  hosRuleSet: { kind: 'enum', values: HOS_RULESET_SET, default: 'None' },
  isDriver: bool(false),
  isYardMoveEnabled: bool(false),
  isPersonalConveyanceEnabled: bool(false),
  isAdverseDrivingEnabled: bool(false),
  isExemptHOSEnabled: bool(false),
  changePassword: bool(false),
  isEmailReportEnabled: bool(true),
  activeFrom: { kind: 'date', default: 'now' },
  activeTo: { kind: 'date', default: ACTIVE_FOREVER },
  securityGroups: { kind: 'groups', ids: new Set(SECURITY_GROUPS) },
  companyGroups: { kind: 'groups', ids: new Set(ORGANISATION_GROUPS) },
  driverGroups: { kind: 'groups', ids: new Set(ORGANISATION_GROUPS) },
  userAuthenticationType: { kind: 'enum', values: new Set(AUTHENTICATION_TYPES), default: 'BasicAuthentication' },
};

/** Defaults that are not empty strings (text fields default to ""). */
export const TEXT_DEFAULTS: Readonly<Record<string, string>> = { timeZoneId: 'America/New_York' };

export type GroupRef = { id: string };
/** Modelled fields are strings, booleans and group lists; kept members (USER_KEPT_MEMBERS) any JSON value. */
export type UserFields = Record<string, unknown>;

/** A stored user: the entity's fields, its id, and a digest of its password (never the password). */
export interface StoredUser {
  id: string;
  fields: UserFields;
  /** salt:sha256 hex, or null for a user without a Basic password (SAML). */
  password_digest: string | null;
}

/** The user as Get renders it: id first, every field; never a password. */
export function renderUser(user: StoredUser): Record<string, unknown> {
  return { id: user.id, ...structuredClone(user.fields) };
}
