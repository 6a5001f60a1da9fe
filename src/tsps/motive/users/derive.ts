// Per-value refusals and the multi-field derivations of the Motive user mapping (mapping.ts owns the
// per-field table and the mapper; this file holds the rules that read several normalized fields).
// Facts cited: shared/reference/providers.md (Motive section and the mapping table).
import type { HosRulesetCode, TimeZone } from '../../../contract/enums.ts';
import { trackingMode, trackingModeDisagreement } from '../../kit/users.ts';
import type { Attrs } from '../../kit/mapping-kit.ts';
import type { Refusal } from '../../kit/types.ts';
import { MOTIVE_HOS } from './hos.ts';
import type { MotiveHosEntry } from './hos.ts';
import { MOTIVE_EXCEPTION_FLAGS, timeTrackingAllowsEldMode } from '../native.ts';
import type { MotiveEldMode, MotiveRole, MotiveTimeTrackingMode, MotiveUserStatus } from '../native.ts';
import { callingCodeFor, PHONE_COUNTRY_CODE_PATTERN } from '../../kit/phone.ts';
import { MOTIVE_ZONE_FOR_IANA } from './zones.ts';

/** Native fields written from several normalized fields at once (or on every write, for `phone`). */
export type DerivedGroup = 'status' | 'role' | 'hos' | 'eld' | 'phone';

export type MotiveRefusal = Refusal;

export function hosRefusal(value: unknown): string | null {
  if (value == null) return null;
  const entry = Object.hasOwn(MOTIVE_HOS, String(value)) ? MOTIVE_HOS[value as HosRulesetCode] : undefined;
  if (entry === undefined) return `unknown HOS ruleset code ${String(value)}`;
  return 'unsupported' in entry ? `Motive cannot represent ${String(value)}: ${entry.unsupported}` : null;
}

export function zoneRefusal(value: unknown): string | null {
  if (value == null) return null;
  const entry = Object.hasOwn(MOTIVE_ZONE_FOR_IANA, String(value)) ? MOTIVE_ZONE_FOR_IANA[value as TimeZone] : undefined;
  if (entry === undefined) return `unknown time zone ${String(value)}`;
  return typeof entry === 'string' ? null : `Motive cannot represent ${String(value)}: ${entry.unsupported}`;
}

export function phoneCodeRefusal(value: unknown): string | null {
  if (value == null) return null;
  return typeof value === 'string' && PHONE_COUNTRY_CODE_PATTERN.test(value)
    ? null
    : `Motive expects phone_country_code as "+" and 1-4 digits (e.g. "+1"), got ${JSON.stringify(value)}`;
}

export type { Attrs } from '../../kit/mapping-kit.ts';
export type GroupResult = { fields: Record<string, unknown> } | { refusal: Omit<MotiveRefusal, 'input'> };

// Motive `status` from status (ACTIVE/INACTIVE) and is_active; both present must agree.
export function deriveStatus(m: Attrs): GroupResult {
  const fromStatus: MotiveUserStatus | null =
    m.status === 'ACTIVE' ? 'active' : m.status === 'INACTIVE' ? 'deactivated' : null;
  const fromFlag: MotiveUserStatus | null = m.is_active === true ? 'active' : m.is_active === false ? 'deactivated' : null;
  if (fromStatus && fromFlag && fromStatus !== fromFlag) {
    return { refusal: { field: 'status', message: `status ${String(m.status)} contradicts is_active=${String(m.is_active)}` } };
  }
  const status = fromStatus ?? fromFlag;
  return { fields: status ? { status } : {} };
}

// Motive `role`: user_designation DRIVER → driver, ADMIN → admin, any other title → fleet_user;
// is_driver is the explicit flag. Contradictions (is_driver=true with ADMIN, is_driver=false with
// DRIVER) are refused; a free-text title such as "Owner-Operator" beside is_driver=true is not one.
export function deriveRole(m: Attrs): GroupResult {
  const title = typeof m.user_designation === 'string' ? m.user_designation.trim().toUpperCase() : '';
  const fromTitle: MotiveRole | null =
    title === '' ? null : title === 'DRIVER' ? 'driver' : title === 'ADMIN' ? 'admin' : 'fleet_user';
  const contradiction = (): GroupResult => ({
    refusal: {
      field: 'is_driver',
      message: `is_driver=${String(m.is_driver)} contradicts user_designation ${JSON.stringify(m.user_designation)}`,
    },
  });
  if (m.is_driver === true) return fromTitle === 'admin' ? contradiction() : { fields: { role: 'driver' } };
  if (m.is_driver === false) {
    if (fromTitle === 'driver') return contradiction();
    return { fields: { role: fromTitle === 'admin' ? 'admin' : 'fleet_user' } };
  }
  return { fields: fromTitle ? { role: fromTitle } : {} };
}

/**
 * Motive `cycle` + all six `exception_*` flags. When a ruleset is written every flag is sent, false
 * unless implied, so switching ruleset clears the previous one's exceptions. allow_adverse_driving
 * drives exception_adverse_driving and must not contradict a ruleset that implies it.
 * Exported so the contradiction rule can be tested against any table entry.
 */
export function deriveHos(
  m: Attrs,
  changes: Attrs,
  table: Readonly<Record<string, MotiveHosEntry>> = MOTIVE_HOS,
): GroupResult {
  const code = m.hos_ruleset_code;
  const adverse = m.allow_adverse_driving === true;
  if (typeof code !== 'string') {
    // A driver always has a cycle and Motive documents no way to unset one (a null is no cycle of its
    // list): an explicit clear is refused. With no ruleset known at all, leave Motive's cycle alone
    // (it may have been set in Motive's dashboard) and write only the flag.
    if (Object.hasOwn(changes, 'hos_ruleset_code')) {
      return { refusal: { field: 'hos_ruleset_code', message: 'Motive documents no way to clear a driver\'s cycle; send another ruleset' } };
    }
    return { fields: Object.hasOwn(changes, 'allow_adverse_driving') ? { exception_adverse_driving: adverse } : {} };
  }
  const entry = Object.hasOwn(table, code) ? table[code] : undefined;
  if (entry === undefined || 'unsupported' in entry) {
    const message = entry === undefined ? `unknown HOS ruleset code ${code}` : `Motive cannot represent ${code}: ${entry.unsupported}`;
    return { refusal: { field: 'hos_ruleset_code', message } };
  }
  if (entry.exceptions.exception_adverse_driving === true && m.allow_adverse_driving === false) {
    return {
      refusal: {
        field: 'allow_adverse_driving',
        message: `allow_adverse_driving=false contradicts ${code}, which implies the adverse-driving exception`,
      },
    };
  }
  const flags = Object.fromEntries(MOTIVE_EXCEPTION_FLAGS.map((f) => [f, entry.exceptions[f] === true]));
  if (adverse) flags.exception_adverse_driving = true;
  return { fields: { cycle: entry.cycle, ...flags } };
}

// Motive eld_mode + time_tracking_mode (providers.md table): exempt → exempt + timecards;
// non_exempt + automatic → logs + logs; non_exempt + manual → none + logs. The grouped
// hos_tracking_mode object and the top-level fields must agree member by member.
export function deriveEld(m: Attrs): GroupResult {
  const disagreement = trackingModeDisagreement(m);
  if (disagreement) return { refusal: disagreement };
  const { compliance, method } = trackingMode(m);
  let pair: [MotiveEldMode, MotiveTimeTrackingMode] | null = null;
  if (compliance === 'exempt') pair = ['exempt', 'timecards'];
  else if (compliance === 'non_exempt' && method === 'automatic') pair = ['logs', 'logs'];
  else if (compliance === 'non_exempt' && method === 'manual') pair = ['none', 'logs'];
  else if (compliance === 'non_exempt') {
    return {
      refusal: {
        field: 'hos_tracking_method',
        message: 'non_exempt needs hos_tracking_method (automatic → Motive eld_mode logs, manual → none)',
      },
    };
  } else if (method !== null) {
    return {
      refusal: { field: 'hos_compliance_type', message: 'hos_tracking_method applies to non_exempt drivers; send hos_compliance_type' },
    };
  }
  if (pair === null) return { fields: {} };
  // Motive rejects other pairs; the table above only produces allowed ones, checked here regardless.
  if (!timeTrackingAllowsEldMode(pair[1], pair[0])) throw new Error(`bad Motive eld pair ${pair.join('/')}`);
  return { fields: { eld_mode: pair[0], time_tracking_mode: pair[1] } };
}

// Motive phone_country_code: mandatory on create and update since Feb 2025 [doc], so always sent,
// from phone_country_code or else from country_code's calling code.
export function derivePhone(m: Attrs): GroupResult {
  const explicit = m.phone_country_code;
  const malformed = phoneCodeRefusal(explicit);
  if (malformed !== null) return { refusal: { field: 'phone_country_code', message: malformed } };
  const code = typeof explicit === 'string' ? explicit : callingCodeFor(m.country_code as string | null | undefined);
  if (code === null) {
    const country = typeof m.country_code === 'string' ? ` (no calling code known for ${m.country_code})` : '';
    return {
      refusal: {
        field: 'phone_country_code',
        message: `Motive requires phone_country_code on every write; send phone_country_code or country_code${country}`,
      },
    };
  }
  return { fields: { phone_country_code: code } };
}

