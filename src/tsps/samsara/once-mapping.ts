// The mapper Samsara's create-only writes share (messages, group messages, fuel purchases) around their
// per-field tables (FIELD_RULES in each resource's mapping.ts): the kit's per-field pass for direct and
// not-stored fields, then every derivation, which reads the request, the referenced records' Samsara ids
// (`write.refs`, never the fleetgate ids in the body) and fleetgate's id of the record. A derivation
// runs on every create, so it refuses what Samsara requires and the request lacks.
import { applyFieldRules, fieldSupport, refusalCollector, writtenChanges } from '../kit/mapping-kit.ts';
import type { Attrs, DirectRule, FieldSupport } from '../kit/mapping-kit.ts';
import type { MappingResult, Write } from '../kit/types.ts';

export type OnceFieldRule<G extends string> =
  | DirectRule
  /** Written by the group's derivation; `stored: false`: read, never kept by Samsara. */
  | { kind: 'derived'; group: G; stored?: false }
  /** Samsara has no field for it: reported in `dropped` when sent non-null. */
  | { kind: 'not_stored'; why: string };

export interface OnceContext<F extends string> {
  /** The fields sent (nulls removed: on a create a null means "not set"). */
  changes: Attrs;
  /** The Samsara ids of the records the write names, by field. */
  refs: Readonly<Record<string, string | readonly string[]>>;
  /** fleetgate's id of the record being written. */
  externalId: string;
  refuse(field: F, message: string): void;
  drop(field: F): void;
}

export interface OnceMappingSpec<F extends string, G extends string> {
  rules: Readonly<Record<F, OnceFieldRule<G>>>;
  /** The resource's fields in the contract's order (the order of `dropped`). */
  fields: readonly F[];
  /** Each group's native fields, from the request (it refuses through the context). */
  derivations: Readonly<Record<G, (ctx: OnceContext<F>) => Record<string, unknown>>>;
}

/** What Samsara keeps of each normalized field (read by the capability matrix). */
export const onceFieldSupport = <F extends string, G extends string>(rules: Readonly<Record<F, OnceFieldRule<G>>>): Readonly<Record<F, FieldSupport>> =>
  fieldSupport(rules, (rule) => rule.kind === 'direct' || (rule.kind === 'derived' && rule.stored !== false));

export function mapOnce<F extends string, G extends string>(spec: OnceMappingSpec<F, G>, write: Write): MappingResult {
  const changes = writtenChanges('create', write.changes);
  const body: Record<string, unknown> = {};
  const dropped = new Set<F>();
  const { refusals, refuse } = refusalCollector();
  applyFieldRules('Samsara', spec.rules, changes, { body, drop: (field) => dropped.add(field), refuse });
  const ctx: OnceContext<F> = {
    changes,
    refs: write.refs ?? {},
    externalId: write.externalId,
    refuse: (field, message) => refuse({ field, input: write.changes[field] ?? null, message }),
    drop: (field) => dropped.add(field),
  };
  for (const derive of Object.values(spec.derivations) as Array<(ctx: OnceContext<F>) => Record<string, unknown>>) {
    Object.assign(body, derive(ctx));
  }
  if (refusals.length > 0) return { ok: false, refusals };
  return { ok: true, body, dropped: spec.fields.filter((f) => dropped.has(f)) };
}

/** The one Samsara id a single-valued reference resolved to, or undefined. */
export const refId = (refs: OnceContext<string>['refs'], field: string): string | undefined => {
  const v = refs[field];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** A non-blank string value, or undefined. */
export const nonBlank = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
