// The text messages, fuel transactions, DVIR logs and defect lists of one sandbox database: Add, Set and Get
// as MyGeotab answers them (the entities' rules are in ./text-messages.ts, ./fuel-transactions.ts,
// ./dvir-logs.ts and ./defect-lists.ts), and what persists of them. A database made before these entities
// existed gets the default defect lists when it is loaded.
import { argumentError, GeotabRpcError } from './errors.ts';
import { buildDefectLists, searchDefects } from './defect-lists.ts';
import type { StoredDefectList } from './defect-lists.ts';
import { assertPreviousCertified, parseDvirAdd, parseDvirSet, renderDvirLog, searchDvirLogs } from './dvir-logs.ts';
import type { DvirContext, StoredDvirLog } from './dvir-logs.ts';
import { fuelTransactionFilter, parseFuelTransaction, renderFuelTransaction, uniquenessKey } from './fuel-transactions.ts';
import type { StoredFuelTransaction } from './fuel-transactions.ts';
import { parseTextMessage, renderTextMessage, textMessageFilter } from './text-messages.ts';
import type { StoredTextMessage } from './text-messages.ts';
import type { Lookups } from './writes-lookups.ts';
import { DEFAULT_DEFECT_LISTS } from './writes-vendor.ts';
import type { DefectListSpec } from './writes-vendor.ts';

export interface WritesSnapshot {
  text_messages: StoredTextMessage[];
  fuel_transactions: StoredFuelTransaction[];
  dvir_logs: StoredDvirLog[];
  defect_lists: StoredDefectList[];
}

type Json = Record<string, unknown>;
const limited = <T>(items: T[], resultsLimit: number | undefined): T[] => items.slice(0, resultsLimit ?? items.length);

export class GeotabWrites {
  private readonly messages = new Map<string, StoredTextMessage>();
  private readonly fuel = new Map<string, StoredFuelTransaction>();
  private readonly dvirs = new Map<string, StoredDvirLog>();
  private defectLists: StoredDefectList[];

  constructor(
    saved: Partial<WritesSnapshot>,
    private readonly lookups: Lookups,
    private readonly newId: () => string,
    private readonly changed: () => void,
  ) {
    for (const m of saved.text_messages ?? []) this.messages.set(m.id, m);
    for (const t of saved.fuel_transactions ?? []) this.fuel.set(t.id, t);
    for (const l of saved.dvir_logs ?? []) this.dvirs.set(l.id, l);
    this.defectLists = saved.defect_lists ?? buildDefectLists(DEFAULT_DEFECT_LISTS, newId);
  }

  snapshot(): WritesSnapshot {
    return {
      text_messages: [...this.messages.values()],
      fuel_transactions: [...this.fuel.values()],
      dvir_logs: [...this.dvirs.values()],
      defect_lists: structuredClone(this.defectLists),
    };
  }

  addTextMessage(entity: Json, now: number): string {
    const fields = parseTextMessage(entity, this.lookups, (id) => this.messages.has(id), now);
    const id = this.newId();
    this.messages.set(id, { id, version: 0, ...fields });
    this.changed();
    return id;
  }

  getTextMessages(search: unknown, resultsLimit?: number): Json[] {
    const test = textMessageFilter(search);
    return limited([...this.messages.values()].filter(test), resultsLimit).map(renderTextMessage);
  }

  addFuelTransaction(entity: Json, now: number): string {
    const fields = parseFuelTransaction(entity, this.lookups, now);
    const key = uniquenessKey(fields);
    const twin = [...this.fuel.values()].find((t) => uniquenessKey(t.fields) === key);
    if (twin) throw new GeotabRpcError('DuplicateException', `Duplicate data: fuel transaction '${twin.id}' has the same fields`);
    const id = this.newId();
    this.fuel.set(id, { id, version: 0, fields });
    this.changed();
    return id;
  }

  getFuelTransactions(search: unknown, resultsLimit?: number): Json[] {
    const { test, includeSourceData } = fuelTransactionFilter(search);
    return limited([...this.fuel.values()].filter(test), resultsLimit).map((t) => renderFuelTransaction(t, includeSourceData));
  }

  private dvirContext(now: number): DvirContext {
    return { lookups: this.lookups, lists: this.defectLists, newId: this.newId, now };
  }

  addDvirLog(entity: Json, now: number): string {
    const fields = parseDvirAdd(entity, this.dvirContext(now));
    assertPreviousCertified(fields, [...this.dvirs.values()]);
    const id = this.newId();
    this.dvirs.set(id, { id, version: 0, fields });
    this.changed();
    return id;
  }

  setDvirLog(entity: Json, now: number): void {
    const id = entity.id;
    if (typeof id !== 'string' || id === '') throw argumentError("'id' is required to Set an entity");
    const stored = this.dvirs.get(id);
    if (!stored) throw argumentError(`DVIRLog '${id}' does not exist`);
    stored.fields = parseDvirSet(entity, stored, this.dvirContext(now));
    stored.version += 1;
    this.changed();
  }

  getDvirLogs(search: unknown, resultsLimit?: number): Json[] {
    return limited(searchDvirLogs([...this.dvirs.values()], search), resultsLimit).map(renderDvirLog);
  }

  getDefects(search: unknown, resultsLimit?: number): Json[] {
    return limited(searchDefects(this.defectLists, search, this.lookups), resultsLimit);
  }

  /** Control API: replaces the database's defect lists (fresh ids); answers them as Get Defect would. */
  replaceDefectLists(specs: readonly DefectListSpec[]): Json[] {
    this.defectLists = buildDefectLists(specs, this.newId);
    this.changed();
    return this.getDefects({});
  }
}
