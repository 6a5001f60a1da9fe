// The records fleetgate has written, as it last wrote them (one table for every resource): the reads
// partners page through, the record a write composes on, and the upsert a success makes.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cursorText, keysetPage } from '../db/pagination.ts';
import type { Page } from '../db/pagination.ts';
import { resources } from '../db/schema.ts';
import { notFound } from '../platform/errors.ts';
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

function viewRecord(row: RecordRow): RecordView {
  return {
    ...(row.attributes as Attributes),
    id: row.id,
    connection_id: row.connectionId,
    source_id: row.sourceId,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const mine = (def: ResourceDefinition, partnerId: string): SQL[] => [
  eq(resources.partnerId, partnerId),
  eq(resources.resource, def.name),
  isNull(resources.deletedAt),
];

/** The partner's record of this resource, or undefined. */
export async function findRecord(db: Db, def: ResourceDefinition, partnerId: string, id: string): Promise<RecordRow | undefined> {
  const [row] = await db.select().from(resources).where(and(eq(resources.id, id), ...mine(def, partnerId)));
  return row;
}

export async function getRecord(db: Db, def: ResourceDefinition, partnerId: string, id: string): Promise<RecordView> {
  const row = await findRecord(db, def, partnerId, id);
  if (!row) throw notFound(def.title);
  return viewRecord(row);
}

export async function listRecords(
  db: Db,
  def: ResourceDefinition,
  partnerId: string,
  q: { connection_id?: string; source_id?: string; cursor?: string; size: number },
): Promise<Page<RecordView>> {
  const where = mine(def, partnerId);
  if (q.connection_id) where.push(eq(resources.connectionId, q.connection_id));
  if (q.source_id) where.push(eq(resources.sourceId, q.source_id));
  return keysetPage(
    {
      createdAt: resources.createdAt,
      id: resources.id,
      run: (w, orderBy, limit) =>
        db.select({ row: resources, cursor_t: cursorText(resources.createdAt), id: resources.id }).from(resources).where(w).orderBy(...orderBy).limit(limit),
    },
    and(...where),
    q.cursor,
    q.size,
    (r) => viewRecord(r.row),
  );
}

/** What a successful write leaves: the record as written (created, or updated in place). */
export async function saveRecord(
  tx: Db,
  r: { id: string; partnerId: string; connectionId: string; resource: string; attributes: Attributes; sourceId: string | null },
): Promise<void> {
  await tx
    .insert(resources)
    .values(r)
    .onConflictDoUpdate({
      target: resources.id,
      set: { attributes: r.attributes, sourceId: sql`coalesce(excluded.source_id, ${resources.sourceId})`, updatedAt: sql`now()` },
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
