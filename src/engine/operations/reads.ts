// Resource operations: the durable record of one write against one connection, and the queue.
//
// Glossary of states (status column):
//   pending  queued or in flight. Due when next_attempt_at <= now and no live lease; a worker claims
//            it by taking the lease (lease_owner, lease_until) and counting the attempt.
//   success  the TSP accepted the write; resource_id / source_id are set. Terminal.
//   failed   the TSP refused it, attempts or age ran out, or it was cancelled. Terminal.
// Moves between states are compare-and-set updates (WHERE id = $1 AND status = 'pending' AND
// lease_owner = $me), never read-then-write.
import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { ResourceOperationView } from '../../contract/common/operations.ts';
import type { Db } from '../../db/client.ts';
import { cursorText, keysetPage } from '../../db/pagination.ts';
import type { Page } from '../../db/pagination.ts';
import { operationLogs, resourceOperations } from '../../db/schema.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { enqueueOperationEvent } from '../outbox/enqueue.ts';

export type OperationRow = typeof resourceOperations.$inferSelect;
export type LogRow = typeof operationLogs.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function viewOperation(op: OperationRow, logs: LogRow[]): ResourceOperationView {
  return {
    partner_id: op.partnerId,
    connection_id: op.connectionId,
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
        error_type: l.errorType as ResourceOperationView['logs'][number]['error_type'],
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

/** The partner's operation on that connection, or 404 (another partner's id looks the same). */
export async function getOperation(db: Db, partnerId: string, connectionId: string, id: string): Promise<ResourceOperationView> {
  const [op] = await db
    .select()
    .from(resourceOperations)
    .where(and(eq(resourceOperations.id, id), eq(resourceOperations.partnerId, partnerId), eq(resourceOperations.connectionId, connectionId)));
  if (!op) throw notFound('Resource operation');
  return viewOperation(op, (await logsFor(db, [id])).get(id) ?? []);
}

export interface OperationFilter {
  connection_id?: string;
  resource?: string;
  operation?: string;
  status?: string;
  source_id?: string;
  from_datetime?: string;
  to_datetime?: string;
  cursor?: string;
  size: number;
}

export async function listOperations(db: Db, partnerId: string, f: OperationFilter): Promise<Page<ResourceOperationView>> {
  const t = resourceOperations;
  const where: SQL[] = [eq(t.partnerId, partnerId)];
  if (f.connection_id) where.push(eq(t.connectionId, f.connection_id));
  if (f.resource) where.push(eq(t.resource, f.resource));
  if (f.operation) where.push(eq(t.operationType, f.operation));
  if (f.status) where.push(eq(t.status, f.status));
  if (f.source_id) where.push(eq(t.sourceId, f.source_id));
  if (f.from_datetime) where.push(gte(t.createdAt, new Date(f.from_datetime)));
  if (f.to_datetime) where.push(lte(t.createdAt, new Date(f.to_datetime)));
  const page = await keysetPage(
    {
      createdAt: t.createdAt,
      id: t.id,
      run: (w, orderBy, limit) =>
        db.select({ row: t, cursor_t: cursorText(t.createdAt), id: t.id }).from(t).where(w).orderBy(...orderBy).limit(limit),
    },
    and(...where),
    f.cursor,
    f.size,
    (r) => r.row,
  );
  const logs = await logsFor(db, page.items.map((o) => o.id));
  return { ...page, items: page.items.map((o) => viewOperation(o, logs.get(o.id) ?? [])) };
}

/** Claims up to `limit` due operations for `owner`: lease taken and attempt counted in one statement. */
export async function claimDue(db: Db, owner: string, limit: number, leaseMs: number): Promise<string[]> {
  const res = (await db.execute(sql`
    UPDATE resource_operations
       SET lease_owner = ${owner},
           lease_until = now() + ${leaseMs} * interval '1 millisecond',
           attempts = attempts + 1,
           updated_at = now()
     WHERE id IN (
       SELECT id FROM resource_operations
        WHERE status = 'pending'
          AND next_attempt_at <= now()
          AND (lease_until IS NULL OR lease_until < now())
          -- Skip connections with no rate-limit slot now: a busy connection must not fill every
          -- claim with work it cannot send while other connections wait.
          AND NOT EXISTS (
            SELECT 1 FROM rate_limits r
             WHERE r.connection_id = resource_operations.connection_id
               AND (r.next_at > now() OR r.paused_until > now()))
          -- Writes to one resource go to the TSP in the order they were submitted, one at a time:
          -- a later update must not overtake (or race) an earlier one still pending or in flight.
          AND NOT EXISTS (
            SELECT 1 FROM resource_operations e
             WHERE e.resource_id = resource_operations.resource_id
               AND e.status = 'pending'
               AND (e.created_at, e.id) < (resource_operations.created_at, resource_operations.id))
        ORDER BY next_attempt_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING id`)) as unknown as { rows: Array<{ id: string }> };
  return res.rows.map((r) => r.id);
}

/** failed → pending with a fresh attempt budget (attempts keep counting, so log numbers stay unique). */
export async function retryOperation(db: Db, partnerId: string, connectionId: string, id: string): Promise<void> {
  await getOperation(db, partnerId, connectionId, id);
  const moved = await db
    .update(resourceOperations)
    .set({
      status: 'pending',
      attemptsBase: sql`${resourceOperations.attempts}`,
      budgetStartedAt: sql`now()`,
      nextAttemptAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(resourceOperations.id, id), eq(resourceOperations.status, 'failed')))
    .returning({ id: resourceOperations.id });
  if (!moved.length) throw conflict('Only a failed operation can be retried');
}

/**
 * pending → failed with a 'cancelled' log entry. An operation whose attempt is in flight cannot be
 * cancelled: the TSP may be applying it right now, and the record must say what happened there.
 */
export async function cancelOperation(db: Db, partnerId: string, connectionId: string, id: string): Promise<void> {
  await getOperation(db, partnerId, connectionId, id);
  await db.transaction(async (tx) => {
    const [moved] = await tx
      .update(resourceOperations)
      .set({ status: 'failed', nextAttemptAt: null, updatedAt: sql`now()` })
      .where(
        and(
          eq(resourceOperations.id, id),
          eq(resourceOperations.status, 'pending'),
          sql`(${resourceOperations.leaseUntil} IS NULL OR ${resourceOperations.leaseUntil} < now())`,
        ),
      )
      .returning();
    if (!moved) throw conflict('Only a pending operation with no attempt in flight can be cancelled');
    await tx.insert(operationLogs).values({
      resourceOperationId: id,
      attempt: moved.attempts,
      status: 'failed',
      errorType: 'cancelled',
      errorDetails: 'cancelled by the partner',
      responseStatusCode: null,
      responseHeaders: {},
      durationMs: 0,
    });
    await enqueueOperationEvent(tx, moved, 'resource_operation.failed');
  });
}
