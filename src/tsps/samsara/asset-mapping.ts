// The mapper Samsara's vehicle and trailer mappings share around their per-field tables (FIELD_RULES in
// vehicles/mapping.ts and trailers/mapping.ts): the per-field pass of the kit, the required fields of a
// create, then each derived group this request touches. Also the two derivations both resources
// have: activation (Samsara can deactivate neither) and external ids (fleetgate's id and the partner's).
import { activationSent, activationView, assetActivation } from '../kit/assets.ts';
import { applyFieldRules, fieldSupport, groupFields, refusalCollector, sent, writtenChanges } from '../kit/mapping-kit.ts';
import type { Attrs, DirectRule, FieldSupport } from '../kit/mapping-kit.ts';
import type { MappingResult, Refusal, Write } from '../kit/types.ts';
import { SAMSARA_EXTERNAL_ID_KEY } from './native.ts';

/**
 * `N`: the members the SDK's request type has (../sdk-types.ts), so a native member Samsara lacks fails tsc.
 */
export type AssetFieldRule<G extends string, N extends string = string> =
  | (Omit<DirectRule, 'native'> & { native: N })
  /** Written through a derivation of the merged record; `stored: false`: read, never kept by Samsara. */
  | { kind: 'derived'; group: G; stored?: false }
  /** Samsara has no field for it: reported in `dropped` when sent non-null. */
  | { kind: 'not_stored'; why: string };

export interface DeriveContext {
  operation: 'create' | 'update';
  /** Fields sent in this request (create: nulls already removed). */
  changes: Attrs;
  externalId: string;
}

export type GroupResult<F extends string, B extends object = Record<string, unknown>> = { fields: B; dropped?: F[] } | { refusal: Omit<Refusal, 'input'> };

export interface AssetMappingSpec<F extends string, G extends string> {
  rules: Readonly<Record<F, AssetFieldRule<G>>>;
  /** The resource's fields in the contract's order (the order of `dropped`). */
  fields: readonly F[];
  derivations: Readonly<Record<G, (merged: Attrs, ctx: DeriveContext) => GroupResult<F>>>;
  /** Groups a create always writes (fleetgate's external id). */
  onCreate: readonly G[];
  /** Fields a create must carry, with the reason. */
  requiredOnCreate: ReadonlyArray<{ field: F; message: string }>;
}

/** What Samsara keeps of each normalized field (read by the capability matrix). */
export const assetFieldSupport = <F extends string, G extends string>(rules: Readonly<Record<F, AssetFieldRule<G>>>): Readonly<Record<F, FieldSupport>> =>
  fieldSupport(rules, (rule) => rule.kind === 'direct' || (rule.kind === 'derived' && rule.stored !== false));

export function mapAsset<F extends string, G extends string>(spec: AssetMappingSpec<F, G>, write: Write): MappingResult {
  const operation = write.operation;
  const isCreate = operation === 'create';
  // On create a null means "not set": Samsara's default applies, so nothing is sent, refused or dropped.
  const changes = writtenChanges(operation, write.changes);
  const merged = write.merged;
  const ctx: DeriveContext = { operation, changes, externalId: write.externalId };
  const body: Record<string, unknown> = {};
  const dropped = new Set<F>();
  const { refusals, refuse } = refusalCollector();

  applyFieldRules('Samsara', spec.rules, changes, { body, drop: (field) => dropped.add(field), refuse });

  if (isCreate) {
    for (const { field, message } of spec.requiredOnCreate) {
      if (changes[field] == null) refuse({ field, input: merged[field] ?? null, message });
    }
  }

  const groups = Object.keys(spec.derivations) as G[];
  const members = groupFields<G, F, AssetFieldRule<G>>(spec.rules, groups);
  for (const group of groups) {
    const touched = (isCreate && spec.onCreate.includes(group)) || members[group].some((f) => sent(changes, f));
    if (!touched) continue;
    const result = spec.derivations[group](merged, ctx);
    if ('refusal' in result) {
      refuse({ ...result.refusal, input: merged[result.refusal.field] ?? null });
      continue;
    }
    Object.assign(body, result.fields);
    for (const f of result.dropped ?? []) dropped.add(f);
  }

  if (refusals.length > 0) return { ok: false, refusals };
  return { ok: true, body, dropped: spec.fields.filter((f) => dropped.has(f)) };
}

/**
 * Activation: Samsara can deactivate neither a vehicle nor a trailer, so a write that makes the record
 * inactive (is_active false, or a vehicle's status OUT_OF_SERVICE; tsps/kit/assets.ts) is refused; an
 * active one needs nothing sent. A vehicle's status label itself is kept nowhere (`dropped`).
 */
export function deriveActivation<F extends string>(
  merged: Attrs,
  ctx: DeriveContext,
  opts: { statusSaysActive: boolean; why: string },
): GroupResult<F> {
  if (!activationSent(ctx.changes, opts)) return { fields: {} };
  // A request that itself asks for inactive hears why Samsara can't, before any contradiction with
  // what was stored earlier.
  if (ctx.changes.is_active === false) return { refusal: { field: 'is_active', message: opts.why } };
  if (opts.statusSaysActive && ctx.changes.status === 'OUT_OF_SERVICE') return { refusal: { field: 'status', message: opts.why } };
  const activation = assetActivation(activationView(ctx.changes, merged, opts), opts);
  if ('refusal' in activation) return { refusal: { field: activation.refusal.field, message: activation.refusal.message } };
  if (activation.active === false) return { refusal: { field: merged.is_active === false ? 'is_active' : 'status', message: opts.why } };
  const labelSent = opts.statusSaysActive && ctx.changes.status != null;
  return { fields: {}, ...(labelSent && { dropped: ['status' as F] }) };
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/**
 * externalIds: fleetgate's resource id (always, so a retried create finds the record) and the partner's
 * external_id under its resource's key; an update that clears external_id removes that key (null).
 */
export function deriveExternalIds<F extends string>(merged: Attrs, ctx: DeriveContext, partnerKey: string): GroupResult<F> {
  const ids: Record<string, string | null> = { [SAMSARA_EXTERNAL_ID_KEY]: ctx.externalId };
  if (nonEmpty(merged.external_id)) ids[partnerKey] = merged.external_id.trim();
  else if (ctx.operation === 'update') ids[partnerKey] = null;
  return { fields: { externalIds: ids } };
}
