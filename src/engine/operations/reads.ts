// Resource operations as partners read them: the wire view (Catena's ResourceOperationRead), one
// operation with its attempt log, and filtered pages. Every change of an operation is in machine.ts.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { catenaErrorType } from '../../contract/common/operations.ts';
import type { LogErrorClass, ResourceOperationView } from '../../contract/common/operations.ts';
import type { Database, Db } from '../../db/client.ts';
import { jsonColumns, rowFrom, selectColumns } from '../../db/rows.ts';
import { countOf, cursorText, keysetPage } from '../../db/pagination.ts';
import type { Page } from '../../db/pagination.ts';
import { operationLogs, resourceOperations } from '../../db/schema.ts';
import { notFound } from '../../platform/errors.ts';

export type OperationRow = typeof resourceOperations.$inferSelect;
export type LogRow = typeof operationLogs.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function viewOperation(op: OperationRow, logs: LogRow[]): ResourceOperationView {
  return {
    partner_id: op.partnerId,
    connection_id: op.connectionId,
    fleet_ref: op.fleetRef,
    source_name: op.sourceName as ResourceOperationView['source_name'],
    resource: op.resource as ResourceOperationView['resource'],
    operation_type: op.operationType as ResourceOperationView['operation_type'],
    payload: op.payload as Record<string, unknown>,
    id: op.id,
    created_at: op.createdAt.toISOString(),
    updated_at: op.updatedAt.toISOString(),
    deleted_at: iso(op.deletedAt),
    // A create's resource id is reserved at submit but only exists once the TSP has accepted the write.
    resource_id: op.operationType === 'create' && op.status !== 'success' ? null : op.resourceId,
    source_id: op.sourceId,
    status: op.status as ResourceOperationView['status'],
    dropped_fields: op.droppedFields,
    ignored_fields: op.ignoredFields,
    attempts: op.attempts,
    next_attempt_at: op.status === 'pending' ? iso(op.nextAttemptAt) : null,
    logs: logs
      .sort((a, b) => a.attempt - b.attempt || a.createdAt.getTime() - b.createdAt.getTime())
      .map((l) => ({
        id: l.id,
        created_at: l.createdAt.toISOString(),
        updated_at: l.updatedAt.toISOString(),
        resource_operation_id: l.resourceOperationId,
        attempt: l.attempt,
        status: l.status as 'success' | 'failed',
        // The column keeps fleetgate's finer class; Catena's four are read off it (and whether the TSP answered).
        error_type: catenaErrorType(l.errorType, l.responseStatusCode),
        error_class: l.errorType as LogErrorClass | null,
        error_details: l.errorDetails,
        response_status_code: l.responseStatusCode,
        response_headers: l.responseHeaders as Record<string, string>,
        duration_ms: l.durationMs,
      })),
  };
}

async function logsFor(db: Db, ids: string[]): Promise<Map<string, LogRow[]>> {
  const byOp = new Map<string, LogRow[]>(ids.map((id) => [id, []]));
  if (!ids.length) return byOp;
  const rows = await db.select().from(operationLogs).where(inArray(operationLogs.resourceOperationId, ids)).orderBy(asc(operationLogs.attempt));
  for (const r of rows) byOp.get(r.resourceOperationId)?.push(r);
  return byOp;
}

export async function loadOperation(db: Db, id: string): Promise<ResourceOperationView> {
  const [op] = await db.select().from(resourceOperations).where(eq(resourceOperations.id, id));
  if (!op) throw notFound('Resource operation');
  return viewOperation(op, (await logsFor(db, [id])).get(id) ?? []);
}

/** The operation and its log in one statement (the log as JSON objects keyed as rowFrom reads them). */
const OPERATION_WITH_LOGS = `
  SELECT ${selectColumns(resourceOperations, 'o', 'o')},
         (SELECT coalesce(json_agg(${jsonColumns(operationLogs, 'l', 'l')}), '[]'::json)
            FROM operation_logs l WHERE l.resource_operation_id = o.id) AS logs
    FROM resource_operations o WHERE o.id = $1`;

/** loadOperation in one round trip, for the answer to a sync write (or a replay) on the hot path. */
export async function loadOperationAtOnce(database: Database, id: string): Promise<ResourceOperationView> {
  const [raw] = await database.query<Record<string, unknown> & { logs: Array<Record<string, unknown>> }>(OPERATION_WITH_LOGS, [id], 'fg_operation_with_logs');
  const op = raw && rowFrom(resourceOperations, raw, 'o');
  if (!op) throw notFound('Resource operation');
  return viewOperation(op, raw.logs.map((l) => rowFrom(operationLogs, l, 'l')!));
}

/** The partner's operation row on that connection, or 404 (another partner's id looks the same). */
export async function partnerOperationRow(db: Db, partnerId: string, connectionId: string, id: string): Promise<OperationRow> {
  const [op] = await db
    .select()
    .from(resourceOperations)
    .where(and(eq(resourceOperations.id, id), eq(resourceOperations.partnerId, partnerId), eq(resourceOperations.connectionId, connectionId)));
  if (!op) throw notFound('Resource operation');
  return op;
}

/** The partner's operation on that connection, with its log, or 404. */
export async function getOperation(db: Db, partnerId: string, connectionId: string, id: string): Promise<ResourceOperationView> {
  const op = await partnerOperationRow(db, partnerId, connectionId, id);
  return viewOperation(op, (await logsFor(db, [id])).get(id) ?? []);
}

export interface OperationFilter {
  connection_id?: string;
  resource?: string;
  operation?: string;
  status?: string;
  source_id?: string;
  source_name?: string;
  fleet_refs?: string[];
  /** The operator's filter (a partner's own list is already its own). */
  partner_ids?: string[];
  /** Created at or after; default: a day before to_datetime (before now when it is absent too). */
  from_datetime?: string;
  /** Created before. */
  to_datetime?: string;
  cursor?: string;
  size: number;
}

/** Catena's window on an operations list: the last day by default, at most 45 days. */
export const DEFAULT_WINDOW_MS = 86_400_000;
export const MAX_WINDOW_MS = 45 * DEFAULT_WINDOW_MS;

/** A partner's operations, or (partnerId null: the operator API) every partner's. */
export async function listOperations(db: Db, partnerId: string | null, f: OperationFilter): Promise<Page<ResourceOperationView>> {
  const t = resourceOperations;
  const where: SQL[] = [];
  if (partnerId !== null) where.push(eq(t.partnerId, partnerId));
  if (f.partner_ids) where.push(inArray(t.partnerId, f.partner_ids));
  if (f.connection_id) where.push(eq(t.connectionId, f.connection_id));
  if (f.resource) where.push(eq(t.resource, f.resource));
  if (f.operation) where.push(eq(t.operationType, f.operation));
  if (f.status) where.push(eq(t.status, f.status));
  if (f.source_id !== undefined) where.push(eq(t.sourceId, f.source_id));
  if (f.source_name) where.push(eq(t.sourceName, f.source_name));
  if (f.fleet_refs) where.push(inArray(t.fleetRef, f.fleet_refs));
  // The window as written, cast by the database: a Date would round microseconds to milliseconds (and
  // print a year past 9999 in a form PostgreSQL cannot read). The contract bounds the range and the
  // window's length; the default is the day before to_datetime, or before now (the database's clock).
  if (f.from_datetime) where.push(sql`${t.createdAt} >= ${f.from_datetime}::timestamptz`);
  else if (f.to_datetime) where.push(sql`${t.createdAt} >= ${f.to_datetime}::timestamptz - interval '1 day'`);
  else where.push(sql`${t.createdAt} >= now() - interval '1 day'`);
  if (f.to_datetime) where.push(sql`${t.createdAt} < ${f.to_datetime}::timestamptz`);
  const page = await keysetPage(
    {
      createdAt: t.createdAt,
      id: t.id,
      run: (w, orderBy, limit) =>
        db.select({ row: t, cursor_t: cursorText(t.createdAt), id: t.id }).from(t).where(w).orderBy(...orderBy).limit(limit),
      count: async (w) => (await db.select({ n: countOf() }).from(t).where(w))[0]!.n,
    },
    and(...where),
    f.cursor,
    f.size,
    (r) => r.row,
  );
  const logs = await logsFor(db, page.items.map((o) => o.id));
  return { ...page, items: page.items.map((o) => viewOperation(o, logs.get(o.id) ?? [])) };
}
