// Per-value refusals and the multi-field derivations of the Samsara driver mapping (mapping.ts owns the
// per-field table and the mapper; this file holds the rules that read several normalized fields).
// Facts cited: shared/reference/providers.md (Samsara section and the mapping table).
import type { HosRulesetCode } from '../../../contract/enums.ts';
import type { UserAttributeName } from '../../../contract/resources/users.ts';
import { trackingMode, trackingModeDisagreement } from '../../kit/users.ts';
import type { Attrs } from '../../kit/mapping-kit.ts';
import type { Refusal } from '../../kit/types.ts';
import { callingCodeFor, PHONE_COUNTRY_CODE_PATTERN } from '../../kit/phone.ts';
import { SAMSARA_HOS } from './hos.ts';
import type { SamsaraDriverBody } from '../sdk-types.ts';
import {
  isIanaTimeZone,
  SAMSARA_EMPLOYEE_ID_KEY,
  SAMSARA_EXTERNAL_ID_KEY,
  SAMSARA_LICENSE_STATES,
  SAMSARA_LOCALE_FOR_ALPHA3,
  SAMSARA_USERNAME_FORBIDDEN,
} from '../native.ts';

export type DerivedGroup = 'name' | 'status' | 'driver' | 'phone' | 'locale' | 'externalIds' | 'hos' | 'eld' | 'carrier';
export type SamsaraRefusal = Refusal;
export type { Attrs } from '../../kit/mapping-kit.ts';
export type GroupResult =
  | { fields: SamsaraDriverBody; dropped?: UserAttributeName[] }
  | { refusal: Omit<SamsaraRefusal, 'input'> };
export interface DeriveContext {
  operation: 'create' | 'update';
  /** Fields sent in this request (create: nulls already removed). */
  changes: Attrs;
  externalId: string;
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Why an update's null for a member cannot be written: Samsara documents no clear for it. */
export const noClear = (member: string): string =>
  `Samsara documents no way to clear ${member} (its API types it as non-nullable and names no empty value); send a new value instead`;

/** Whether this update sends an explicit null for the field (a clear). */
const clears = (ctx: DeriveContext, field: UserAttributeName): boolean => Object.hasOwn(ctx.changes, field) && ctx.changes[field] === null;

// ---------- single-value refusals ----------

export function usernameRefusal(value: unknown): string | null {
  if (value == null) return null;
  if (!nonEmpty(value)) return 'Samsara requires a non-empty username on every driver';
  return SAMSARA_USERNAME_FORBIDDEN.test(value)
    ? `Samsara usernames may not contain spaces or "@" (got ${JSON.stringify(value)}); send a login name, not an e-mail`
    : null;
}

export function hosRefusal(value: unknown): string | null {
  if (value == null) return null;
  const entry = Object.hasOwn(SAMSARA_HOS, String(value)) ? SAMSARA_HOS[value as HosRulesetCode] : undefined;
  if (entry === undefined) return `unknown HOS ruleset code ${String(value)}`;
  return 'unsupported' in entry ? `Samsara cannot represent ${String(value)}: ${entry.unsupported}` : null;
}

export function zoneRefusal(value: unknown): string | null {
  if (value == null) return null;
  return typeof value === 'string' && isIanaTimeZone(value) ? null : `Samsara needs an IANA time zone id, got ${JSON.stringify(value)}`;
}

export function licenseStateRefusal(value: unknown): string | null {
  if (value == null) return null;
  return typeof value === 'string' && SAMSARA_LICENSE_STATES.has(value.trim().toUpperCase())
    ? null
    : `Samsara's licenseState is a US state, US territory or Canadian province code, got ${JSON.stringify(value)}`;
}

// Samsara's carrierSettings.dotNumber is an integer [doc]; USDOT numbers are up to 8 digits today.
const DOT = /^\d{1,10}$/;
export function dotRefusal(value: unknown): string | null {
  if (value == null) return null;
  return typeof value === 'string' && DOT.test(value.trim())
    ? null
    : `Samsara's carrierSettings.dotNumber is an integer; dot_id ${JSON.stringify(value)} is not a number`;
}

export function phoneCodeRefusal(value: unknown): string | null {
  if (value == null) return null;
  return typeof value === 'string' && PHONE_COUNTRY_CODE_PATTERN.test(value)
    ? null
    : `phone_country_code must be "+" and 1-4 digits (e.g. "+1"), got ${JSON.stringify(value)}`;
}

// ---------- derivations (each reads the merged user) ----------

/** `name` = first_name + " " + last_name (either may be missing, not both: Samsara requires a name). */
export function deriveName(m: Attrs): GroupResult {
  const name = [m.first_name, m.last_name].filter(nonEmpty).map((s) => s.trim()).join(' ');
  if (name === '') return { refusal: { field: 'first_name', message: 'Samsara requires a driver name: send first_name and/or last_name' } };
  return { fields: { name } };
}

/**
 * `driverActivationStatus` from status / is_active (both present must agree). Samsara sets it on PATCH
 * only; POST always makes an active driver, so an inactive create is refused rather than made in two calls
 * (a crash between them would leave an active driver the partner asked to be inactive).
 */
export function deriveStatus(m: Attrs, ctx: DeriveContext): GroupResult {
  const fromStatus = m.status === 'ACTIVE' ? 'active' : m.status === 'INACTIVE' ? 'deactivated' : null;
  const fromFlag = m.is_active === true ? 'active' : m.is_active === false ? 'deactivated' : null;
  if (fromStatus && fromFlag && fromStatus !== fromFlag) {
    return { refusal: { field: 'status', message: `status ${String(m.status)} contradicts is_active=${String(m.is_active)}` } };
  }
  const status = fromStatus ?? fromFlag;
  if (ctx.operation === 'create') {
    if (status === 'deactivated') {
      const field = fromStatus ? 'status' : 'is_active';
      return {
        refusal: { field, message: 'Samsara creates drivers active (driverActivationStatus is PATCH-only); create the user active, then update it to INACTIVE' },
      };
    }
    return { fields: {} };
  }
  return { fields: status ? { driverActivationStatus: status } : {} };
}

// Titles that name a back-office role; any of them (or is_driver=false) is not a Samsara driver.
const BACK_OFFICE = new Set(['ADMIN', 'ADMINISTRATOR', 'DISPATCHER', 'MANAGER', 'FLEET_MANAGER', 'FLEET_USER', 'SAFETY_MANAGER', 'OFFICE', 'BACK_OFFICE', 'OWNER']);

/**
 * fleetgate writes Samsara *drivers* (/fleet/drivers); back-office users live in Samsara's /users API,
 * which this adapter does not write. A free-text title beside is_driver=true is kept nowhere (dropped).
 */
export function deriveDriver(m: Attrs): GroupResult {
  const title = nonEmpty(m.user_designation) ? m.user_designation.trim().toUpperCase().replace(/[\s-]+/g, '_') : '';
  const notSupported = (field: UserAttributeName, what: string): GroupResult => ({
    refusal: { field, message: `${what}: Samsara back-office users (/users) are not supported; fleetgate writes Samsara drivers only` },
  });
  if (m.is_driver === false) return notSupported('is_driver', 'is_driver=false');
  if (BACK_OFFICE.has(title)) return notSupported('user_designation', `user_designation ${JSON.stringify(m.user_designation)}`);
  if (title !== '' && title !== 'DRIVER' && m.is_driver !== true) {
    return {
      refusal: { field: 'user_designation', message: `user_designation ${JSON.stringify(m.user_designation)} does not say this is a driver; send is_driver=true` },
    };
  }
  return { fields: {}, dropped: title !== '' && title !== 'DRIVER' ? ['user_designation'] : [] };
}

const PHONE_SEPARATORS = /[\s().\-/]/g;
const E164 = /^\+[1-9]\d{6,14}$/;

/** `phone` in E.164: phone_number (already "+..." or national) with phone_country_code or country_code's code. */
export function derivePhone(m: Attrs, ctx: DeriveContext): GroupResult {
  const malformed = phoneCodeRefusal(m.phone_country_code);
  if (malformed) return { refusal: { field: 'phone_country_code', message: malformed } };
  if (!nonEmpty(m.phone_number)) {
    return clears(ctx, 'phone_number') ? { refusal: { field: 'phone_number', message: noClear('phone') } } : { fields: {} };
  }
  const raw = m.phone_number.replace(PHONE_SEPARATORS, '');
  let e164: string;
  if (raw.startsWith('+')) e164 = raw;
  else {
    const code = nonEmpty(m.phone_country_code) ? m.phone_country_code : callingCodeFor(m.country_code as string | null | undefined);
    if (code === null) {
      return {
        refusal: {
          field: 'phone_country_code',
          message: 'Samsara stores phones in E.164: send phone_country_code (or country_code), or a phone_number starting with "+"',
        },
      };
    }
    // Drop the national trunk prefix ("0170 ..." in Germany); Italian numbers keep their leading 0.
    e164 = code + (code === '+39' ? raw : raw.replace(/^0+/, ''));
  }
  if (!E164.test(e164)) {
    return { refusal: { field: 'phone_number', message: `phone ${JSON.stringify(m.phone_number)} does not make an E.164 number (${e164})` } };
  }
  return { fields: { phone: e164 } };
}

/** `locale` from country_code, for the countries Samsara has a locale for; others are dropped. */
export function deriveLocale(m: Attrs, ctx: DeriveContext): GroupResult {
  const country = m.country_code;
  if (!nonEmpty(country)) return clears(ctx, 'country_code') ? { refusal: { field: 'country_code', message: noClear('locale') } } : { fields: {} };
  const key = country.toUpperCase();
  const locale = Object.hasOwn(SAMSARA_LOCALE_FOR_ALPHA3, key) ? SAMSARA_LOCALE_FOR_ALPHA3[key] : undefined;
  // A country Samsara has no locale for is kept nowhere; an earlier locale stays (there is no clear).
  return locale ? { fields: { locale } } : { fields: {}, dropped: ['country_code'] };
}

/**
 * `externalIds`: fleetgate's id always (create; and kept on update), employee_number as `employeeId`.
 * The adapter merges the map with the driver's current one before a PATCH, so other integrations' keys
 * survive whether Samsara replaces or merges it. Removing one key is documented nowhere: refused.
 */
export function deriveExternalIds(m: Attrs, ctx: DeriveContext): GroupResult {
  if (clears(ctx, 'employee_number')) return { refusal: { field: 'employee_number', message: noClear(`externalIds.${SAMSARA_EMPLOYEE_ID_KEY}`) } };
  const ids: Record<string, string> = { [SAMSARA_EXTERNAL_ID_KEY]: ctx.externalId };
  if (nonEmpty(m.employee_number)) ids[SAMSARA_EMPLOYEE_ID_KEY] = m.employee_number.trim();
  return { fields: { externalIds: ids } };
}

/**
 * `usDriverRulesetOverride` (all four fields) + the two flags a ruleset implies, always both sent so a
 * switch of ruleset clears the previous one's exemptions. A cleared code is Samsara's documented clear:
 * "Explicitly setting this field to `null` will delete driver's ruleset override" (SDK
 * UsDriverRulesetOverride), the driver then following the organization's default, without the flags.
 */
export function deriveHos(m: Attrs, ctx: DeriveContext): GroupResult {
  const code = m.hos_ruleset_code;
  if (typeof code !== 'string') {
    if (clears(ctx, 'hos_ruleset_code')) {
      return { fields: { usDriverRulesetOverride: null, eldBigDayExemptionEnabled: false, waitingTimeDutyStatusEnabled: false } };
    }
    return { fields: {} };
  }
  const reason = hosRefusal(code);
  if (reason) return { refusal: { field: 'hos_ruleset_code', message: reason } };
  const entry = SAMSARA_HOS[code as HosRulesetCode];
  if ('unsupported' in entry) throw new Error('unreachable: refused above');
  return {
    fields: {
      usDriverRulesetOverride: { ...entry.override },
      eldBigDayExemptionEnabled: entry.bigDay,
      waitingTimeDutyStatusEnabled: entry.waitingTime,
    },
  };
}

/** What fleetgate writes as `eldExemptReason` (Samsara asks why a driver is ELD-exempt). */
export const ELD_EXEMPT_REASON = 'HOS exempt (hos_compliance_type: exempt)';

/**
 * `eldExempt` (+ reason) from hos_compliance_type, whether top-level or inside hos_tracking_mode (they
 * must agree). Samsara's ELD records duty status automatically: "manual" tracking has no setting.
 */
export function deriveEld(m: Attrs): GroupResult {
  const disagreement = trackingModeDisagreement(m);
  if (disagreement) return { refusal: disagreement };
  const { compliance, method } = trackingMode(m);
  if (compliance === 'exempt') return { fields: { eldExempt: true, eldExemptReason: ELD_EXEMPT_REASON } };
  if (method === 'manual') {
    return {
      refusal: { field: 'hos_tracking_method', message: 'Samsara records HOS automatically from its ELD; manual tracking has no Samsara setting' },
    };
  }
  // non_exempt, or nothing known (a cleared value): an ELD driver, with any old exemption reason cleared.
  return { fields: { eldExempt: false, eldExemptReason: '' } };
}

/**
 * carrierSettings.dotNumber (integer) from dot_id. Like externalIds, the adapter merges with the driver's
 * current carrierSettings before a PATCH, so carrierName/addresses set in Samsara's dashboard survive.
 * Removing the number is documented nowhere: refused.
 */
export function deriveCarrier(m: Attrs, ctx: DeriveContext): GroupResult {
  if (clears(ctx, 'dot_id')) return { refusal: { field: 'dot_id', message: noClear('carrierSettings.dotNumber') } };
  if (m.dot_id == null || m.dot_id === '') return { fields: {} };
  const reason = dotRefusal(m.dot_id);
  if (reason) return { refusal: { field: 'dot_id', message: reason } };
  return { fields: { carrierSettings: { dotNumber: Number((m.dot_id as string).trim()) } } };
}
