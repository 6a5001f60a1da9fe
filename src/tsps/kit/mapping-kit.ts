// The machinery every TSP's user mapping shares around its per-field table (FIELD_RULES): which fields
// a request sent, which fields each derived group reads, the capability matrix and the submit-time
// check read off the table, and refusal collection. The tables and the derivations stay with each TSP.
import type { UserAttributeName, UserAttributes } from '../../contract/resources/users.ts';
import { USER_ATTRIBUTE_NAMES } from '../../contract/resources/users.ts';
import type { Refusal } from './types.ts';

export type Attrs = Readonly<Record<string, unknown>>;
export type FieldSupport = 'stored' | 'not_stored';

/** The rule shapes the kit reads; each TSP's table adds its own native field name and options. */
export type KitRule = { kind: string; group?: string; refuse?: (value: unknown) => string | null };

/** One normalized field → one native field (`native`). `onNull` is what an update's explicit null sends. */
export type DirectRule = {
  kind: 'direct';
  native: string;
  onNull: 'null' | 'false' | 'refuse';
  convert?: (value: unknown) => unknown;
  refuse?: (value: unknown) => string | null;
};

/**
 * The per-field pass of a mapping: each sent field's own refusal is checked, direct fields are written
 * to the body, fields the TSP cannot store are reported; derived fields are left to the TSP's
 * derivations.
 */
export function applyFieldRules(
  tspName: string,
  rules: Readonly<Record<UserAttributeName, KitRule | DirectRule>>,
  changes: Attrs,
  out: { body: Record<string, unknown>; drop(field: UserAttributeName): void; refuse(r: Refusal): void },
): void {
  for (const field of USER_ATTRIBUTE_NAMES) {
    if (!sent(changes, field)) continue;
    const value = changes[field];
    const rule = rules[field];
    if (rule.kind === 'not_stored') {
      if (value !== null) out.drop(field);
      continue;
    }
    let reason = rule.refuse?.(value) ?? null;
    const direct = rule.kind === 'direct' ? (rule as DirectRule) : undefined;
    if (value === null && direct?.onNull === 'refuse') reason ??= `${tspName} requires ${direct.native}; it cannot be cleared`;
    if (reason) {
      out.refuse({ field, input: value, message: reason });
      continue;
    }
    if (!direct) continue;
    if (value === null) out.body[direct.native] = direct.onNull === 'false' ? false : null;
    else out.body[direct.native] = direct.convert ? direct.convert(value) : value;
  }
}

export type MappingResult =
  | { ok: true; body: Record<string, unknown>; dropped: UserAttributeName[] }
  | { ok: false; refusals: Refusal[] };

export const sent = (attrs: Attrs, field: string): boolean => Object.hasOwn(attrs, field) && attrs[field] !== undefined;

/** On create a null means "not set": the TSP's default applies, so nothing is sent, refused or dropped. */
export const writtenChanges = (operation: 'create' | 'update', changes: UserAttributes): Attrs =>
  operation === 'create' ? Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== null)) : (changes as Attrs);

/** What the TSP keeps of each normalized field (read by the capability matrix). */
export function fieldSupport<R extends KitRule>(
  rules: Readonly<Record<UserAttributeName, R>>,
  stored: (rule: R) => boolean = (rule) => rule.kind !== 'not_stored',
): Readonly<Record<UserAttributeName, FieldSupport>> {
  return Object.fromEntries(USER_ATTRIBUTE_NAMES.map((name) => [name, stored(rules[name]) ? 'stored' : 'not_stored'])) as Record<
    UserAttributeName,
    FieldSupport
  >;
}

/** `capabilities.userFields`: true for every field the TSP stores. */
export const userFieldsFrom = (support: Readonly<Record<UserAttributeName, FieldSupport>>): Record<UserAttributeName, boolean> =>
  Object.fromEntries(USER_ATTRIBUTE_NAMES.map((name) => [name, support[name] === 'stored'])) as Record<UserAttributeName, boolean>;

/** Submit-time check of one value on its own, by the field's rule: a reason the TSP can't take it, or null. */
export function refusalFrom<R extends KitRule>(rules: Readonly<Record<UserAttributeName, R>>, field: UserAttributeName, value: unknown): string | null {
  const rule = rules[field] as R | undefined;
  if (rule === undefined || rule.kind === 'not_stored' || rule.refuse === undefined) return null;
  return rule.refuse(value);
}

/** Which normalized fields feed each derived group, read off the table. */
export function groupFields<G extends string, R extends KitRule>(
  rules: Readonly<Record<UserAttributeName, R>>,
  groups: readonly G[],
): Record<G, UserAttributeName[]> {
  return Object.fromEntries(
    groups.map((g) => [g, USER_ATTRIBUTE_NAMES.filter((f) => rules[f].kind === 'derived' && rules[f].group === g)]),
  ) as Record<G, UserAttributeName[]>;
}

/** Refusals in the order found, each (field, message) once. */
export function refusalCollector(): { refusals: Refusal[]; refuse(r: Refusal): void } {
  const refusals: Refusal[] = [];
  return {
    refusals,
    refuse(r) {
      if (!refusals.some((x) => x.field === r.field && x.message === r.message)) refusals.push(r);
    },
  };
}

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
