// User rules every TSP's user mapping shares: the contract says the HOS tracking mode twice (the grouped
// hos_tracking_mode object and the two top-level fields), and both forms must be read the same way.
import type { UserAttributeName } from '../../contract/resources/users.ts';
import type { Attrs } from './mapping-kit.ts';

/**
 * The grouped hos_tracking_mode object and the top-level hos_compliance_type / hos_tracking_method
 * must agree member by member (the contract lets a partner send either); the refusal when they don't.
 */
export function trackingModeDisagreement(m: Attrs): { field: UserAttributeName; message: string } | null {
  const obj = (m.hos_tracking_mode ?? {}) as Attrs;
  for (const member of ['hos_compliance_type', 'hos_tracking_method'] as const) {
    if (m[member] != null && obj[member] != null && m[member] !== obj[member]) {
      return {
        field: 'hos_tracking_mode',
        message: `hos_tracking_mode.${member}=${String(obj[member])} disagrees with ${member}=${String(m[member])}`,
      };
    }
  }
  return null;
}

/** hos_compliance_type and hos_tracking_method, each from the top level or else the grouped object. */
export function trackingMode(m: Attrs): { compliance: unknown; method: unknown } {
  const obj = (m.hos_tracking_mode ?? {}) as Attrs;
  return {
    compliance: m.hos_compliance_type ?? obj.hos_compliance_type ?? null,
    method: m.hos_tracking_method ?? obj.hos_tracking_method ?? null,
  };
}
