// Executes one claimed operation: the single code path for is_sync=true requests and the worker.
import { and, eq, sql } from 'drizzle-orm';
import type { UserAttributes } from '../contract/users.ts';
import { connections, operationLogs, resourceOperations, resources } from '../db/schema.ts';
import type { Attempt, UserWrite } from '../providers/types.ts';
import type { Services } from '../services.ts';
import { targetOf } from './connections.ts';
import type { OperationRow } from './operations.ts';
import { decideRetry } from './retry.ts';

export interface ExecuteOptions {
  owner: string;
  timeoutMs: number;
  sync: boolean;
  signal?: AbortSignal;
}

export type ExecuteOutcome = 'success' | 'failed' | 'retry' | 'lost';

/** The attributes the partner sent (the payload minus the connection it was sent against). */
export function changesOf(op: OperationRow): UserAttributes {
  const { connection_id: _ignored, ...changes } = op.payload as Record<string, unknown>;
  return changes as UserAttributes;
}

export async function executeOperation(services: Services, opId: string, opts: ExecuteOptions): Promise<ExecuteOutcome> {
  const db = services.database.db;
  const [op] = await db
    .select()
    .from(resourceOperations)
    .where(and(eq(resourceOperations.id, opId), eq(resourceOperations.status, 'pending'), eq(resourceOperations.leaseOwner, opts.owner)));
  if (!op) return 'lost';
  const [conn] = await db.select().from(connections).where(eq(connections.id, op.connectionId));
  const [current] = await db.select().from(resources).where(eq(resources.id, op.resourceId!));

  const changes = changesOf(op);
  // Updates compose on what fleetgate last wrote, so the adapter sees the user as it will be.
  const merged = { ...((current?.attributes as UserAttributes | undefined) ?? {}), ...changes };
  const write: UserWrite = {
    operation: op.operationType as 'create' | 'update',
    changes,
    merged,
    externalId: op.resourceId!,
    sourceId: current?.sourceId ?? undefined,
  };

  let attempt: Attempt;
  if (!conn || conn.deletedAt) {
    attempt = { ok: false, statusCode: null, headers: {}, errorType: 'not_found', errorDetails: 'the connection was deleted', durationMs: 0 };
  } else {
    const { adapter, target } = targetOf(services, conn);
    const callOpts = { timeoutMs: opts.timeoutMs, signal: opts.signal };
    attempt = { ok: false, statusCode: null, headers: {}, durationMs: 0 };
    let adopted = false;
    if (write.operation === 'create' && op.attempts > 1) {
      // An earlier attempt may have reached the TSP (timeout, reset, 5xx, lost answer, crash): look the
      // user up by fleetgate's external id and adopt it rather than create a second one.
      const found = await adapter.users.findExisting(target, write, callOpts);
      if (!found.ok || found.found) {
        attempt = found;
        adopted = true;
      }
    }
    if (!adopted) attempt = await adapter.users.write(target, write, callOpts);
  }
  return record(services, op, attempt, merged, opts);
}

async function record(services: Services, op: OperationRow, attempt: Attempt, merged: UserAttributes, opts: ExecuteOptions): Promise<ExecuteOutcome> {
  const now = services.clock.now();
  const decision = attempt.ok
    ? { retry: false, delayMs: 0 }
    : decideRetry({
        errorType: attempt.errorType,
        operation: op.operationType as 'create' | 'update',
        attempt: op.attempts,
        ageMs: now.getTime() - op.createdAt.getTime(),
        retryAfterMs: attempt.retryAfterMs,
        sync: opts.sync,
      });
  const outcome: ExecuteOutcome = attempt.ok ? 'success' : decision.retry ? 'retry' : 'failed';

  return services.database.db.transaction(async (tx) => {
    const [moved] = await tx
      .update(resourceOperations)
      .set({
        status: outcome === 'retry' ? 'pending' : outcome,
        sourceId: attempt.ok ? (attempt.sourceId ?? op.sourceId) : op.sourceId,
        nextAttemptAt: outcome === 'retry' ? new Date(now.getTime() + decision.delayMs) : null,
        leaseOwner: null,
        leaseUntil: null,
        updatedAt: sql`now()`,
      })
      // Compare-and-set: only the lease holder of a still-pending operation may move it.
      .where(and(eq(resourceOperations.id, op.id), eq(resourceOperations.status, 'pending'), eq(resourceOperations.leaseOwner, opts.owner)))
      .returning({ id: resourceOperations.id });
    if (!moved) return 'lost' as const;
    await tx.insert(operationLogs).values({
      resourceOperationId: op.id,
      attempt: op.attempts,
      status: attempt.ok ? 'success' : 'failed',
      errorType: attempt.ok ? null : (attempt.errorType ?? 'unknown'),
      errorDetails: attempt.errorDetails ?? null,
      responseStatusCode: attempt.statusCode,
      responseHeaders: attempt.headers,
      durationMs: Math.round(attempt.durationMs),
    });
    if (attempt.ok) {
      await tx
        .insert(resources)
        .values({
          id: op.resourceId!,
          partnerId: op.partnerId,
          connectionId: op.connectionId,
          resource: op.resource,
          attributes: merged,
          sourceId: attempt.sourceId ?? null,
        })
        .onConflictDoUpdate({
          target: resources.id,
          set: { attributes: merged, sourceId: sql`coalesce(excluded.source_id, ${resources.sourceId})`, updatedAt: sql`now()` },
        });
    }
    return outcome;
  });
}
