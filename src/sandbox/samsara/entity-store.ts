// What the account hands each entity store (assets, trailers): fresh ids from the organization's one
// counter, the change notification that schedules a state-file write, and every entity's external ids
// (drivers included) for Samsara's cross-entity uniqueness rule.
import type { ExternalIdHolder } from './external-ids.ts';
import { hasExternalId, splitExternalId } from './external-ids.ts';
import type { ExternalIds } from './external-ids.ts';

export interface StoreEnv {
  newId(): string;
  changed(): void;
  /** Every entity of the organization, of every kind. */
  holders(): Iterable<ExternalIdHolder>;
}

/** By Samsara id, or by an external id written `key:value` [doc: the SDK's id parameters]. */
export function findByRef<T extends { id: string }>(all: Iterable<T>, byId: ReadonlyMap<string, T>, ref: string, ids: (e: T) => ExternalIds | undefined): T | undefined {
  const direct = /^\d+$/.test(ref) ? byId.get(ref) : undefined;
  if (direct) return direct;
  const external = splitExternalId(ref);
  if (!external) return undefined;
  for (const e of all) if (hasExternalId(ids(e), external)) return e;
  return undefined;
}
