// The records fleetgate has written, as it last wrote them (one table for every resource): the reads
// partners page through (Catena's <Resource>Read: the record with its connection's fleet and TSP), the
// record a write composes on, and the upsert a success makes with the TSP's own record of it.
import { createHash } from 'node:crypto';
import { and, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import type { AnyColumn, SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/client.ts';
import { countOf, cursorText, keysetPage } from '../db/pagination.ts';
import type { Page, SortKey, SortOrder } from '../db/pagination.ts';
import { connections, resources } from '../db/schema.ts';
import { notFound } from '../platform/errors.ts';
import type { TspRegistry } from '../tsps/kit/descriptor.ts';
import type { Attributes } from '../tsps/kit/types.ts';
import type { ResourceDefinition } from './resource.ts';

export type RecordRow = typeof resources.$inferSelect;

export type RecordView = Attributes & {
  id: string;
  connection_id: string;
  source_id: string | null;
  created_at: string;
  updated_at: string;
};

// ---------- source data ----------

/** JSON with every object's keys sorted and no whitespace: what source_data_hash hashes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** source_data_hash: SHA-256 (hex) of the canonical JSON of source_data. */
export const sourceDataHash = (data: Record<string, unknown>) => createHash('sha256').update(canonicalJson(data)).digest('hex');

// A TSP's record may echo what must not be kept (a password, a token): such members are dropped.
const SECRET_MEMBER = /password|passwd|secret|token|api[_-]?key|session[_-]?id/i;
// PostgreSQL's jsonb refuses U+0000 and unpaired surrogates: they become U+FFFD, in names and values.
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The TSP's record as it is kept: credential-like members removed, text PostgreSQL can store. */
export function keepableSourceData(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(unstorable, '\uFFFD');
  if (Array.isArray(value)) return value.map(keepableSourceData);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (!SECRET_MEMBER.test(k)) out[k.replace(unstorable, '\uFFFD')] = keepableSourceData(v);
    }
    return out;
  }
  // A number past a double's range arrives as Infinity from JSON.parse; JSON has no such value.
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

// ---------- the read view ----------

/** What a read shows of the record's connection and TSP. */
interface Via {
  fleetId: string | null;
  fleetRef: string | null;
  tsp: string;
}

type ViewRow = Omit<RecordRow, 'sourceData'> & Partial<Pick<RecordRow, 'sourceData'>> & Via;

/** Per resource: the read's fields fleetgate has no value for (Catena's, read from a TSP), shown as null. */
const unkeptFields = new WeakMap<ResourceDefinition, string[]>();
const PRODUCED = new Set([
  'id', 'connection_id', 'source_id', 'created_at', 'updated_at', 'deleted_at', 'fleet_id', 'fleet_ref', 'tsp_id', 'tsp_slug',
  'source_name', 'source_data', 'source_data_hash', 'occurred_at',
]);
function unkept(def: ResourceDefinition): string[] {
  let names = unkeptFields.get(def);
  if (!names) {
    const written = new Set(Object.keys(def.operations.create.body.shape));
    names = Object.keys(def.view.shape).filter((k) => !written.has(k) && !PRODUCED.has(k));
    unkeptFields.set(def, names);
  }
  return names;
}

/** Whether the view requires source_id as a string (Catena's reads do; a TSP without ids has none). */
const requiresSourceId = (def: ResourceDefinition) => !(def.view.shape.source_id as z.ZodType | undefined)?.safeParse(null).success;

function viewRecord(def: ResourceDefinition, row: ViewRow, tsps: TspRegistry): RecordView {
  const attributes = row.attributes as Attributes;
  const view: Record<string, unknown> = {};
  for (const name of unkept(def)) view[name] = null;
  return {
    ...view,
    ...attributes,
    fleet_id: row.fleetId,
    fleet_ref: row.fleetRef,
    id: row.id,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    deleted_at: row.deletedAt ? row.deletedAt.toISOString() : null,
    connection_id: row.connectionId,
    tsp_id: Object.hasOwn(tsps, row.tsp) ? tsps[row.tsp]!.tspId : null,
    tsp_slug: row.tsp,
    source_name: row.tsp,
    ...(row.sourceData !== undefined && { source_data: row.sourceData as Record<string, unknown> }),
    // A TSP that gives the record no id (Catena: "we generate a unique composite key"): fleetgate's own.
    source_id: row.sourceId ?? (requiresSourceId(def) ? `fleetgate:${row.id}` : null),
    source_data_hash: row.sourceDataHash,
    // When the record was first written through fleetgate, unless the resource's own fields say when it occurred.
    occurred_at: typeof attributes.occurred_at === 'string' ? attributes.occurred_at : row.createdAt.toISOString(),
  };
}

// ---------- sorting ----------

const jsonb = (expr: SQL): SortKey => ({ expr: sql`coalesce(${expr}, 'null'::jsonb)`, kind: 'jsonb' });
/** Text keys are ordered on their first 200 characters (then the id): a cursor carries the key, and stays short. */
const textKey = (expr: SQL | AnyColumn): SortKey => jsonb(sql`to_jsonb(left(${expr}::text, 200))`);

/** The zod type under optional/nullable/default wrappers. */
function baseType(schema: z.ZodType): string {
  let s = schema as unknown as { _zod: { def: { type: string; innerType?: unknown; in?: unknown } } };
  for (let i = 0; i < 10 && ['optional', 'nullable', 'default', 'prefault', 'readonly'].includes(s._zod.def.type); i++) s = s._zod.def.innerType as typeof s;
  return s._zod.def.type;
}
const TEXT_TYPES = new Set(['string', 'enum', 'literal', 'template_literal']);
const SCALAR_TYPES = new Set([...TEXT_TYPES, 'number', 'int', 'boolean', 'null', 'bigint']);

/**
 * The keys a resource's list may be sorted by: every scalar field of its read (objects and lists are
 * not ordered). Catena's default, occurred_at, is created_at unless the resource has an occurred_at of
 * its own; a field fleetgate has no value for orders by the id alone.
 */
export function recordSortKeys(def: ResourceDefinition, tsps: TspRegistry): Record<string, SortKey> {
  const r = resources;
  const c = connections;
  const tspIds = Object.values(tsps).map((t) => sql`WHEN ${t.tsp} THEN ${t.tspId}`);
  const columns: Record<string, SortKey> = {
    created_at: { expr: r.createdAt, kind: 'timestamptz' },
    updated_at: { expr: r.updatedAt, kind: 'timestamptz' },
    occurred_at: { expr: r.createdAt, kind: 'timestamptz' },
    id: textKey(r.id),
    connection_id: textKey(r.connectionId),
    source_id: textKey(r.sourceId),
    source_data_hash: textKey(r.sourceDataHash),
    fleet_id: textKey(c.fleetId),
    fleet_ref: textKey(c.fleetRef),
    source_name: textKey(c.tsp),
    tsp_slug: textKey(c.tsp),
    tsp_id: tspIds.length ? textKey(sql`CASE ${c.tsp} ${sql.join(tspIds, sql` `)} END`) : jsonb(sql`NULL`),
  };
  const written = new Set(Object.keys(def.operations.create.body.shape));
  // Every list sorts by when its records were written (occurred_at: Catena's default), whatever its read shows.
  const keys: Record<string, SortKey> = { occurred_at: columns.occurred_at!, created_at: columns.created_at!, updated_at: columns.updated_at!, id: columns.id! };
  for (const [name, schema] of Object.entries(def.view.shape as Record<string, z.ZodType>)) {
    const type = baseType(schema);
    if (!SCALAR_TYPES.has(type)) continue;
    if (written.has(name)) {
      keys[name] = TEXT_TYPES.has(type) ? textKey(sql`${r.attributes} ->> ${name}`) : jsonb(sql`${r.attributes} -> ${name}`);
    } else if (Object.hasOwn(columns, name)) {
      keys[name] = columns[name]!;
    } else {
      keys[name] = jsonb(sql`NULL`);
    }
  }
  return keys;
}

/** The sort_by values of a resource's list (its route's enum). */
export const recordSortNames = (def: ResourceDefinition, tsps: TspRegistry) => Object.keys(recordSortKeys(def, tsps));

// ---------- reads ----------

const mine = (def: ResourceDefinition, partnerId: string): SQL[] => [
  eq(resources.partnerId, partnerId),
  eq(resources.resource, def.name),
  isNull(resources.deletedAt),
];

/** The columns a read selects: the record (its TSP record only when asked for), its connection's fleet and TSP. */
const readColumns = (includeSourceData: boolean) => {
  const { sourceData: _sourceData, ...row } = getTableColumns(resources);
  return {
    ...row,
    ...(includeSourceData && { sourceData: resources.sourceData }),
    fleetId: connections.fleetId,
    fleetRef: connections.fleetRef,
    tsp: connections.tsp,
  };
};

/** The partner's record of this resource, or undefined. */
export async function findRecord(db: Db, def: ResourceDefinition, partnerId: string, id: string): Promise<RecordRow | undefined> {
  const [row] = await db.select().from(resources).where(and(eq(resources.id, id), ...mine(def, partnerId)));
  return row;
}

export async function getRecord(
  db: Db,
  def: ResourceDefinition,
  tsps: TspRegistry,
  partnerId: string,
  id: string,
  opts: { include_source_data?: boolean } = {},
): Promise<RecordView> {
  const [row] = await db
    .select(readColumns(opts.include_source_data === true))
    .from(resources)
    .innerJoin(connections, eq(connections.id, resources.connectionId))
    .where(and(eq(resources.id, id), ...mine(def, partnerId)));
  if (!row) throw notFound(def.title);
  return viewRecord(def, row as ViewRow, tsps);
}

/** A list's filters: each one given narrows the list (all of them together). */
export interface RecordFilter {
  connection_id?: string;
  source_id?: string;
  /** fleetgate ids of the records (user_ids, vehicle_ids, trailer_ids). */
  ids?: string[];
  source_ids?: string[];
  fleet_ids?: string[];
  fleet_refs?: string[];
  /** Users whose is_driver is exactly this (one written without is_driver matches neither). */
  is_driver?: boolean;
  sort_by?: string;
  sort_order?: SortOrder;
  include_source_data?: boolean;
  cursor?: string;
  size: number;
}

export async function listRecords(db: Db, def: ResourceDefinition, tsps: TspRegistry, partnerId: string, q: RecordFilter): Promise<Page<RecordView>> {
  const where = mine(def, partnerId);
  if (q.connection_id) where.push(eq(resources.connectionId, q.connection_id));
  if (q.source_id !== undefined) where.push(eq(resources.sourceId, q.source_id));
  if (q.ids) where.push(inArray(resources.id, q.ids));
  if (q.source_ids) where.push(inArray(resources.sourceId, q.source_ids));
  if (q.fleet_ids) where.push(inArray(connections.fleetId, q.fleet_ids));
  if (q.fleet_refs) where.push(inArray(connections.fleetRef, q.fleet_refs));
  if (q.is_driver !== undefined) where.push(sql`${resources.attributes} -> 'is_driver' = ${JSON.stringify(q.is_driver)}::jsonb`);
  const columns = readColumns(q.include_source_data === true);
  return keysetPage(
    {
      createdAt: resources.createdAt,
      id: resources.id,
      sort: { keys: recordSortKeys(def, tsps), default: 'occurred_at', by: q.sort_by, order: q.sort_order },
      run: (w, orderBy, limit, key) =>
        db
          .select({ ...columns, cursor_t: cursorText(key) })
          .from(resources)
          .innerJoin(connections, eq(connections.id, resources.connectionId))
          .where(w)
          .orderBy(...orderBy)
          .limit(limit),
      count: async (w) =>
        (await db.select({ n: countOf() }).from(resources).innerJoin(connections, eq(connections.id, resources.connectionId)).where(w))[0]!.n,
    },
    and(...where),
    q.cursor,
    q.size,
    (r) => viewRecord(def, r as ViewRow, tsps),
  );
}

// ---------- writes ----------

/**
 * What a successful write leaves: the record as written (created, or updated in place), with the TSP's
 * own record of it and that record's hash.
 */
/** A record's TSP data as it is kept (keepableSourceData) and its hash, computed once for either way of saving it. */
export function keptRecord(r: { attributes: Attributes; sourceId: string | null; sourceData: Record<string, unknown> }) {
  const sourceData = keepableSourceData(r.sourceData) as Record<string, unknown>;
  return { attributes: r.attributes, sourceId: r.sourceId, sourceData, hash: sourceDataHash(sourceData) };
}

export async function saveRecord(
  tx: Db,
  r: { id: string; partnerId: string; connectionId: string; resource: string; attributes: Attributes; sourceId: string | null; sourceData: Record<string, unknown> },
): Promise<void> {
  const { sourceData, hash } = keptRecord(r);
  await tx
    .insert(resources)
    .values({ ...r, sourceData, sourceDataHash: hash })
    .onConflictDoUpdate({
      target: resources.id,
      set: { attributes: r.attributes, sourceId: sql`coalesce(excluded.source_id, ${resources.sourceId})`, sourceData, sourceDataHash: hash, updatedAt: sql`now()` },
    });
}

/**
 * Whether another record of this resource on the connection already holds this TSP id: a lookup for an
 * earlier attempt's record that lands on it has found another operation's record, not this one's.
 */
export async function sourceIdHeldByAnother(db: Db, r: { connectionId: string; resource: string; sourceId: string; recordId: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: resources.id })
    .from(resources)
    .where(and(eq(resources.connectionId, r.connectionId), eq(resources.resource, r.resource), eq(resources.sourceId, r.sourceId), sql`${resources.id} <> ${r.recordId}`))
    .limit(1);
  return row !== undefined;
}
