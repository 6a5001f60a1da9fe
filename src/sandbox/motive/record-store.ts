// One Motive collection of an account (its vehicles, or its assets): records by id, created and updated
// through the model's catalog and validations, found by id, listed, and looked up by external id.
// Validate everything first, then mutate: a 422 leaves the collection untouched.
import { notFound, validationFailed } from './errors.ts';
import { checkPresence, defaultsOf, parseRecordWrite } from './record-fields.ts';
import type { RecordFieldSpec, RecordValue } from './record-fields.ts';
import type { ExternalId } from './user-model.ts';

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

const pairKey = (e: ExternalId): string => `${e.external_id}\u0000${e.integration_name}`;

export class RecordStore {
  private readonly records = new Map<number, StoredRecord>();
  private nextId: number;

  constructor(
    readonly model: RecordModel,
    snapshot: RecordSnapshot | undefined,
    private readonly onChange: () => void,
  ) {
    this.nextId = snapshot?.next_id ?? 1;
    for (const r of snapshot?.records ?? []) this.records.set(r.id, r);
  }

  snapshot(): RecordSnapshot {
    return { next_id: this.nextId, records: [...this.records.values()] };
  }

  create(body: Record<string, unknown>, nowIso: string): StoredRecord {
    const write = parseRecordWrite(this.model.fields, body, 'create');
    const fields = { ...defaultsOf(this.model.fields), ...write.changes };
    checkPresence(fields, this.model.required);
    this.assertPairsFree(write.externalIds);
    const record: StoredRecord = { id: this.nextId++, fields, external_ids: write.externalIds, created_at: nowIso, updated_at: nowIso };
    this.records.set(record.id, record);
    this.onChange();
    return record;
  }

  update(id: number, body: Record<string, unknown>, nowIso: string): StoredRecord {
    const existing = this.get(id);
    const write = parseRecordWrite(this.model.fields, body, 'update');
    const fields = { ...existing.fields, ...write.changes };
    checkPresence(fields, this.model.required);
    this.assertPairsFree(write.externalIds);
    existing.fields = fields;
    existing.external_ids = [...existing.external_ids, ...write.externalIds];
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

  lookupByExternalId(pair: ExternalId): StoredRecord | undefined {
    const key = pairKey(pair);
    return this.list().find((r) => r.external_ids.some((e) => pairKey(e) === key));
  }

  /** The record as the API renders it: id first, every attribute, external ids, timestamps. */
  render(record: StoredRecord): Record<string, unknown> {
    return {
      ...this.renderOne(record),
      external_ids: record.external_ids.map((e) => ({ ...e })),
      created_at: record.created_at,
      updated_at: record.updated_at,
    };
  }

  private renderOne(record: StoredRecord): Record<string, unknown> {
    return { id: record.id, ...record.fields, ...this.model.rendered };
  }

  /**
   * Rails uniqueness of (external_id, integration_name) among this collection's records [inference:
   * scoped per holder type, as Motive's external id records carry external_id_holder_type]. Nested
   * attributes without an id always build new records, so a pair the record already has is taken too.
   */
  private assertPairsFree(added: ExternalId[]): void {
    const taken = new Set<string>();
    for (const r of this.records.values()) for (const e of r.external_ids) taken.add(pairKey(e));
    for (const e of added) {
      const key = pairKey(e);
      if (taken.has(key)) throw validationFailed('External ids external id has already been taken');
      taken.add(key);
    }
  }
}
