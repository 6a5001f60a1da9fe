// One Motive collection of an account (its vehicles, or its assets): records by id, created and updated
// through the model's catalog and validations, found by id, listed, and looked up by external id.
// Validate everything first, then mutate: a 422 leaves the collection untouched.
import { notFound } from './errors.ts';
import { pairKey, pairsHeldByOthers, renderExternalIds, resolveExternalIds } from './external-ids.ts';
import type { ExternalId, ExternalIdChange, ExternalIdSequence } from './external-ids.ts';
import { checkPresence, defaultsOf, parseRecordWrite } from './record-fields.ts';
import type { RecordFieldSpec, RecordValue } from './record-fields.ts';

/** What defines a collection: its model name (error messages), catalog, presence rules and rendering. */
export interface RecordModel {
  /** Rails model name: "Couldn't find Vehicle with 'id'=…". */
  readonly name: string;
  readonly fields: readonly RecordFieldSpec[];
  /** Attributes that must be present on the record after every write. */
  readonly required: readonly string[];
  /** Read-only attributes the API renders beside the writable ones (e.g. a vehicle's eld_device). */
  readonly rendered?: Readonly<Record<string, RecordValue>>;
}

export interface StoredRecord {
  id: number;
  fields: Record<string, RecordValue>;
  external_ids: ExternalId[];
  created_at: string;
  updated_at: string;
}

/** What persists of a collection (part of the account's state file). */
export interface RecordSnapshot {
  next_id: number;
  records: StoredRecord[];
}

export class RecordStore {
  private readonly records = new Map<number, StoredRecord>();
  private nextId: number;

  constructor(
    readonly model: RecordModel,
    snapshot: RecordSnapshot | undefined,
    private readonly onChange: () => void,
    /** The account's external id record ids, which every collection draws from. */
    private readonly externalIdIds: ExternalIdSequence,
  ) {
    this.nextId = snapshot?.next_id ?? 1;
    for (const r of snapshot?.records ?? []) this.records.set(r.id, r);
  }

  /** Every record, for the account to give ids to external ids a pre-id state file kept without. */
  all(): StoredRecord[] {
    return [...this.records.values()];
  }

  snapshot(): RecordSnapshot {
    return { next_id: this.nextId, records: [...this.records.values()] };
  }

  create(body: Record<string, unknown>, nowIso: string): StoredRecord {
    const write = parseRecordWrite(this.model.fields, body, 'create');
    const fields = { ...defaultsOf(this.model.fields), ...write.changes };
    checkPresence(fields, this.model.required);
    const externalIds = this.externalIdsAfter([], write.externalIds, undefined);
    const record: StoredRecord = { id: this.nextId++, fields, external_ids: externalIds, created_at: nowIso, updated_at: nowIso };
    this.records.set(record.id, record);
    this.onChange();
    return record;
  }

  update(id: number, body: Record<string, unknown>, nowIso: string): StoredRecord {
    const existing = this.get(id);
    const write = parseRecordWrite(this.model.fields, body, 'update');
    const fields = { ...existing.fields, ...write.changes };
    checkPresence(fields, this.model.required);
    const externalIds = this.externalIdsAfter(existing.external_ids, write.externalIds, id);
    existing.fields = fields;
    existing.external_ids = externalIds;
    existing.updated_at = nowIso;
    this.onChange();
    return existing;
  }

  get(id: number): StoredRecord {
    const record = this.records.get(id);
    if (!record) throw notFound(`Couldn't find ${this.model.name} with 'id'=${id}`);
    return record;
  }

  has(id: number): boolean {
    return this.records.has(id);
  }

  /** Oldest first; `keep` sees each record as the API renders it. */
  list(keep: (rendered: Record<string, unknown>) => boolean = () => true): StoredRecord[] {
    return [...this.records.values()].filter((r) => keep(this.renderOne(r))).sort((a, b) => a.id - b.id);
  }

  lookupByExternalId(pair: Omit<ExternalId, 'id'>): StoredRecord | undefined {
    const key = pairKey(pair);
    return this.list().find((r) => r.external_ids.some((e) => pairKey(e) === key));
  }

  /** The record as the API renders it: id first, every attribute, external ids, timestamps. */
  render(record: StoredRecord): Record<string, unknown> {
    return {
      ...this.renderOne(record),
      external_ids: renderExternalIds(record.external_ids),
      created_at: record.created_at,
      updated_at: record.updated_at,
    };
  }

  private renderOne(record: StoredRecord): Record<string, unknown> {
    return { id: record.id, ...record.fields, ...this.model.rendered };
  }

  /**
   * The record's external ids after the write (external-ids.ts). The pair is unique among this
   * collection's records [inference: scoped per holder type, as Motive's external id records carry
   * external_id_holder_type].
   */
  private externalIdsAfter(current: readonly ExternalId[], changes: readonly ExternalIdChange[], selfId: number | undefined): ExternalId[] {
    if (changes.length === 0) return [...current];
    const holder = { model: this.model.name, id: selfId };
    return resolveExternalIds(current, changes, holder, pairsHeldByOthers(this.records.values(), selfId), this.externalIdIds);
  }
}
