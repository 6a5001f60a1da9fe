// Motive's external ids: records of their own, each with a Motive id, held by a user, vehicle or asset.
// Sources:
//   [update-ext]  https://developer.gomotive.com/reference/update-the-external-id-of-an-entity: `GET
//                 v1/{entity}/:id` shows `"external_ids": [{"id": 809946, "external_id": "112233",
//                 "integration_name": "INT"}]`; the record's `id` is Motive's unique identifier for it.
//   [changelog]   https://developer.gomotive.com/changelog/new-endpoints-for-managing-external-ids
//   [seed]        shared/seeds/motive-create-user.txt (Motive's "Create a new user" page): "The combination
//                 of external_id and integration_name will always be unique."
//   [providers]   shared/reference/providers.md, corrections: "an update changes a pair by sending its
//                 `id` in `external_ids_attributes`".
// `external_ids_attributes` is Rails' accepts_nested_attributes_for: an entry without an id builds a new
// record, an entry with the id of one of the holder's records updates that record, and an id the holder
// does not have is ActiveRecord::RecordNotFound (404). Rails takes the collection as an array or as a
// hash of entries keyed by index (which is what a form-encoded body gives).
import { MotiveApiError, validationFailed } from './errors.ts';

/** An external id record as Motive renders it inside its holder. */
export interface ExternalId {
  id: number;
  external_id: string;
  integration_name: string;
}

/** One entry of `external_ids_attributes`, type-checked. */
export type ExternalIdChange =
  | { kind: 'add'; external_id: string; integration_name: string }
  | { kind: 'update'; id: number; external_id?: string; integration_name?: string };

/** The account's sequence of external id record ids (one table at Motive, whatever the holder). */
export class ExternalIdSequence {
  constructor(private next: number) {}

  allocate(): number {
    return this.next++;
  }

  peek(): number {
    return this.next;
  }

  /** A record from a state file written before external ids had ids gets one now. */
  adopt(records: Array<{ external_ids: Array<Partial<ExternalId>> }>): void {
    for (const r of records) {
      for (const e of r.external_ids) if (typeof e.id === 'number' && e.id >= this.next) this.next = e.id + 1;
    }
    for (const r of records) for (const e of r.external_ids) if (typeof e.id !== 'number') e.id = this.allocate();
  }
}

export const pairKey = (e: { external_id: string; integration_name: string }): string => `${e.external_id}\u0000${e.integration_name}`;

const invalid = (): MotiveApiError => validationFailed('External ids is invalid');

/** Rails' string typecast for the two attributes: numbers become text, anything else is invalid. */
function text(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value === null) return '';
  throw invalid();
}

/** Rails' integer typecast of a nested record's id ("5" and 5 alike); anything else can match no record. */
function recordId(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value)) return Number(value);
  return null;
}

function entries(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) {
    const hash = value as Record<string, unknown>;
    // A hash with an `id` key is a single entry; otherwise its values are the entries (Rails' rule).
    return Object.hasOwn(hash, 'id') ? [hash] : Object.values(hash);
  }
  throw invalid();
}

export function parseExternalIdAttributes(value: unknown): ExternalIdChange[] {
  if (value === undefined || value === null) return [];
  return entries(value).map((item): ExternalIdChange => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalid();
    const rec = item as Record<string, unknown>;
    // Rails' `_destroy` works only where a model allows it, and Motive documents deleting an external id
    // with DELETE /v1/external_ids/{id} [changelog] instead, which this sandbox does not serve: refused
    // rather than ignored, so a client relying on it learns so here.
    if (Object.hasOwn(rec, '_destroy')) {
      throw validationFailed('External ids _destroy is not supported (Motive deletes an external id with DELETE /v1/external_ids/{id}, which this sandbox does not serve)');
    }
    const externalId = text(rec.external_id);
    const integrationName = text(rec.integration_name);
    if (rec.id !== undefined && rec.id !== null && rec.id !== '') {
      const id = recordId(rec.id);
      // An id that is no integer finds no record: Rails' RecordNotFound, worded as Rails words it.
      if (id === null) throw new MotiveApiError(404, `Couldn't find ExternalId with ID=${String(rec.id)}`);
      return { kind: 'update', id, external_id: externalId, integration_name: integrationName };
    }
    return { kind: 'add', external_id: externalId ?? '', integration_name: integrationName ?? '' };
  });
}

/**
 * The holder's external ids after the changes, every rule checked before anything is allocated: an id
 * the holder lacks is 404, a blank attribute or a pair any other record (or this request) holds is 422.
 * `takenElsewhere` are the pairs of the collection's other records.
 */
export function resolveExternalIds(
  current: readonly ExternalId[],
  changes: readonly ExternalIdChange[],
  holder: { model: string; id: number | undefined },
  takenElsewhere: ReadonlySet<string>,
  sequence: ExternalIdSequence,
): ExternalId[] {
  const next: Array<Omit<ExternalId, 'id'> & { id?: number }> = current.map((e) => ({ ...e }));
  for (const change of changes) {
    if (change.kind === 'add') {
      next.push({ external_id: change.external_id, integration_name: change.integration_name });
      continue;
    }
    const target = next.find((e) => e.id === change.id);
    if (!target) {
      const of = holder.id === undefined ? '' : ` for ${holder.model} with ID=${holder.id}`;
      throw new MotiveApiError(404, `Couldn't find ExternalId with ID=${change.id}${of}`);
    }
    if (change.external_id !== undefined) target.external_id = change.external_id;
    if (change.integration_name !== undefined) target.integration_name = change.integration_name;
  }
  const seen = new Set<string>();
  for (const e of next) {
    if (e.external_id.trim() === '') throw validationFailed("External ids external id can't be blank");
    if (e.integration_name.trim() === '') throw validationFailed("External ids integration name can't be blank");
    const key = pairKey(e);
    if (takenElsewhere.has(key) || seen.has(key)) throw validationFailed('External ids external id has already been taken');
    seen.add(key);
  }
  return next.map((e) => ({ id: e.id ?? sequence.allocate(), external_id: e.external_id, integration_name: e.integration_name }));
}

/** The pairs held by every record but one (the one being written, whose own pairs may be re-sent by id). */
export function pairsHeldByOthers(records: Iterable<{ id: number; external_ids: readonly ExternalId[] }>, selfId: number | undefined): Set<string> {
  const taken = new Set<string>();
  for (const r of records) if (r.id !== selfId) for (const e of r.external_ids) taken.add(pairKey(e));
  return taken;
}

export const renderExternalIds = (list: readonly ExternalId[]): ExternalId[] =>
  list.map((e) => ({ id: e.id, external_id: e.external_id, integration_name: e.integration_name }));
