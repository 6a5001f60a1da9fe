// The field-rule engine every TSP mapping shares around its per-field table (FIELD_RULES, one row per
// normalized field of a resource, in the contract's order): which fields a request sent, which fields
// each derived group reads, the capability matrix and the submit-time check read off the table, and
// refusal collection. The tables and the derivations stay with each TSP's resource folder.
import type { FieldSupport, Refusal } from './types.ts';

export type Attrs = Readonly<Record<string, unknown>>;
export type { FieldSupport } from './types.ts';

/** The fields of a table, in its (the contract's) order. */
const fieldsOf = <F extends string>(rules: Readonly<Record<F, unknown>>): F[] => Object.keys(rules) as F[];

/** The rule shapes the kit reads; each TSP's table adds its own native field name and options. */
export type KitRule = { kind: string; group?: string; refuse?: (value: unknown) => string | null };

/**
 * One normalized field → one native field (`native`). `onNull` is what an update's explicit null sends:
 * null, false (an unset permission), "" (a TSP that keeps empty text for unset), or a refusal where the
 * TSP always holds a value (`nullRefusal` words it; the default names the TSP and the field).
 */
export type DirectRule = {
  kind: 'direct';
  native: string;
  onNull: 'null' | 'false' | 'empty' | 'refuse';
  nullRefusal?: string;
  convert?: (value: unknown) => unknown;
  refuse?: (value: unknown) => string | null;
};

const NULL_SENDS = { null: null, false: false, empty: '' } as const;

/**
 * The per-field pass of a mapping: each sent field's own refusal is checked, direct fields are written
 * to the body, fields the TSP cannot store are reported; derived fields are left to the TSP's
 * derivations.
 */
export function applyFieldRules<F extends string>(
  tspName: string,
  rules: Readonly<Record<F, KitRule | DirectRule>>,
  changes: Attrs,
  out: { body: Record<string, unknown>; drop(field: F): void; refuse(r: Refusal): void },
): void {
  for (const field of fieldsOf(rules)) {
    if (!sent(changes, field)) continue;
    const value = changes[field];
    const rule = rules[field];
    if (rule.kind === 'not_stored') {
      if (value !== null) out.drop(field);
      continue;
    }
    let reason = rule.refuse?.(value) ?? null;
    const direct = rule.kind === 'direct' ? (rule as DirectRule) : undefined;
    if (value === null && direct?.onNull === 'refuse') reason ??= direct.nullRefusal ?? `${tspName} requires ${direct.native}; it cannot be cleared`;
    if (reason) {
      out.refuse({ field, input: value, message: reason });
      continue;
    }
    if (!direct) continue;
    if (value === null) out.body[direct.native] = NULL_SENDS[direct.onNull as keyof typeof NULL_SENDS];
    else out.body[direct.native] = direct.convert ? direct.convert(value) : value;
  }
}

export type { MappingResult } from './types.ts';

export const sent = (attrs: Attrs, field: string): boolean => Object.hasOwn(attrs, field) && attrs[field] !== undefined;

/** On create a null means "not set": the TSP's default applies, so nothing is sent, refused or dropped. */
export const writtenChanges = (operation: 'create' | 'update', changes: Attrs): Attrs =>
  operation === 'create' ? Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== null)) : (changes as Attrs);

/** What the TSP keeps of each normalized field (read by the capability matrix). */
export function fieldSupport<F extends string, R extends KitRule>(
  rules: Readonly<Record<F, R>>,
  stored: (rule: R) => boolean = (rule) => rule.kind !== 'not_stored',
): Readonly<Record<F, FieldSupport>> {
  return Object.fromEntries(fieldsOf(rules).map((name) => [name, stored(rules[name]) ? 'stored' : 'not_stored'])) as Record<F, FieldSupport>;
}

/** Submit-time check of one value on its own, by the field's rule: a reason the TSP can't take it, or null. */
export function refusalFrom<F extends string, R extends KitRule>(rules: Readonly<Record<F, R>>, field: F, value: unknown): string | null {
  const rule = rules[field] as R | undefined;
  if (rule === undefined || rule.kind === 'not_stored' || rule.refuse === undefined) return null;
  return rule.refuse(value);
}

/** Which normalized fields feed each derived group, read off the table. */
export function groupFields<G extends string, F extends string, R extends KitRule>(
  rules: Readonly<Record<F, R>>,
  groups: readonly G[],
): Record<G, F[]> {
  return Object.fromEntries(groups.map((g) => [g, fieldsOf(rules).filter((f) => rules[f].kind === 'derived' && rules[f].group === g)])) as Record<G, F[]>;
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
