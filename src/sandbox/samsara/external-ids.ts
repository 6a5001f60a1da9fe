// Samsara external ids, shared by every entity the sandbox keeps (drivers, assets, trailers):
// `externalIds: {key: value}` with string keys and values, addressed as `key:value` in a path or
// filter, and "External ID values must be unique across all entities ... even if the objects are of
// different classes" (developers.samsara.com/docs/external-ids, Uniqueness).
import { badRequest } from './errors.ts';

export type ExternalIds = Record<string, string>;
export type EntityKind = 'driver' | 'asset' | 'trailer' | 'tag';

/** An entity as the uniqueness check sees it. */
export interface ExternalIdHolder {
  kind: EntityKind;
  id: string;
  externalIds: ExternalIds | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value Samsara turns into a string: "Samsara will convert External ID values to strings if a different type is submitted" [doc]. */
export const isExternalIdValue = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** A body's `externalIds`: an object of non-empty values, kept as strings. */
export function parseExternalIds(value: unknown): ExternalIds {
  if (!isObject(value)) throw badRequest('Invalid value for externalIds: must be an object of strings');
  const out: ExternalIds = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.trim() === '') throw badRequest('Invalid value for externalIds: keys must not be empty');
    if (!isExternalIdValue(v) || String(v).trim() === '') throw badRequest(`Invalid value for externalIds.${k}: must be a non-empty string`);
    out[k] = String(v);
  }
  return out;
}

/** `key:value` → its parts; undefined for a plain (Samsara) id. */
export function splitExternalId(id: string): { key: string; value: string } | undefined {
  const colon = id.indexOf(':');
  return colon > 0 ? { key: id.slice(0, colon), value: id.slice(colon + 1) } : undefined;
}

/** Whether an entity carries the `key:value` external id. */
export const hasExternalId = (ids: ExternalIds | undefined, ref: { key: string; value: string }): boolean => ids?.[ref.key] === ref.value;

/**
 * Refuses ids whose (key, value) another entity of any kind already holds, naming the first clash.
 * Samsara documents the rule but not its message: the wording is the sandbox's, and no client should
 * read meaning into it (fleetgate's adapter looks the record up instead).
 */
export function assertExternalIdsFree(ids: ExternalIds, self: { kind: EntityKind; id: string | undefined }, all: Iterable<ExternalIdHolder>): void {
  const entries = Object.entries(ids);
  if (entries.length === 0) return;
  for (const other of all) {
    if (other.kind === self.kind && other.id === self.id) continue;
    for (const [key, value] of entries) {
      if (other.externalIds?.[key] === value) throw badRequest(`externalId ${key}:${value} is already in use by another ${other.kind}`);
    }
  }
}
