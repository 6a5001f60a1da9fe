// Executes one claimed operation: the single code path for is_sync=true requests and the worker.
import { and, eq, sql } from 'drizzle-orm';
import type { UserAttributes } from '../contract/resources/users.ts';
import { connections, operationLogs, resourceOperations, resources } from '../db/schema.ts';
import type { Attempt, TspAdapter, UserWrite } from '../tsps/kit/types.ts';
import type { Services } from '../platform/services.ts';
import type { ConnectionRow } from '../accounts/connections.ts';
import { targetOf } from '../accounts/connections.ts';
import { enqueueOperationEvent } from './outbox/enqueue.ts';
import type { OperationRow } from './operations/reads.ts';
import { pauseConnection, takeToken } from './policy/ratelimit.ts';
import { decideRetry } from './policy/retry.ts';
import { mergeUser } from '../resources/users.ts';

export interface ExecuteOptions {
  owner: string;
  timeoutMs: number;
  sync: boolean;
  signal?: AbortSignal;
}

/** deferred: the connection's rate limit had no slot; the operation went back to the queue untouched. */
export type ExecuteOutcome = 'success' | 'failed' | 'retry' | 'deferred' | 'lost';

/** The attributes the partner sent (the payload minus the connection it was sent against). */
export function changesOf(op: OperationRow): UserAttributes {
  const { connection_id: _ignored, ...changes } = op.payload as Record<string, unknown>;
  return changes as UserAttributes;
}

export function rateLimitOf(conn: ConnectionRow, adapter: TspAdapter): number {
  return (conn.settings as { rate_limit_per_minute?: number }).rate_limit_per_minute ?? adapter.defaultRateLimitPerMinute;
}

const PAUSED_RECHECK_MS = 30_000;
// A Retry-After is honoured up to an hour: a TSP asking for more is treated as asking for an hour
// (a far-future value would otherwise overflow the database's timestamp range).
export const MAX_PAUSE_MS = 3600_000;
// When the TSP says 429 without a Retry-After, hold the connection this long.
const DEFAULT_429_PAUSE_MS = 10_000;

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
  const merged = mergeUser(current?.attributes as UserAttributes | undefined, changes);
  const write: UserWrite = {
    operation: op.operationType as 'create' | 'update',
    changes,
    merged,
    externalId: op.resourceId!,
    sourceId: current?.sourceId ?? undefined,
  };

  let attempt: Attempt;
  try {
    const outcome = await attemptWrite(services, op, conn, write, opts);
    if (outcome === 'deferred' || outcome === 'lost') return outcome;
    attempt = outcome;
  } catch (err) {
    // Whatever went wrong here (an adapter bug, credentials that no longer open) is recorded as a
    // failed attempt and counts against the budget: an operation never loops unrecorded.
    attempt = {
      ok: false,
      statusCode: null,
      headers: {},
      errorType: 'unknown',
      errorDetails: `fleetgate could not complete the attempt: ${(err as Error).message}`,
      durationMs: 0,
    };
  }
  return record(services, op, attempt, merged, opts);
}

async function attemptWrite(
  services: Services,
  op: OperationRow,
  conn: ConnectionRow | undefined,
  write: UserWrite,
  opts: ExecuteOptions,
): Promise<Attempt | 'deferred' | 'lost'> {
  const db = services.database.db;
  if (!conn || conn.deletedAt) {
    return { ok: false, statusCode: null, headers: {}, errorType: 'not_found', errorDetails: 'the connection was deleted', durationMs: 0 };
  }
  // A paused connection keeps its queue; nothing is sent until the partner resumes it.
  if (conn.status === 'paused') return defer(services, op, opts.owner, PAUSED_RECHECK_MS);
  const { adapter, target } = targetOf(services, conn);
  // The sync path took its slot before the operation was stored (see submit).
  if (!opts.sync) {
    const token = await takeToken(db, conn.id, rateLimitOf(conn, adapter));
    if (!token.ok) return defer(services, op, opts.owner, token.waitMs);
  }
  const callOpts = { timeoutMs: opts.timeoutMs, signal: opts.signal };
  let attempt: Attempt | undefined;
  if (write.operation === 'create' && op.attempts > 1) {
    // An earlier attempt may have reached the TSP (timeout, reset, 5xx, lost answer, crash): look the
    // user up and adopt it rather than create a second one.
    const found = await adapter.users.findExisting(target, write, callOpts);
    if (!found.ok || found.found) attempt = found;
  }
  attempt ??= await adapter.users.write(target, write, callOpts);
  if (attempt.errorType === 'rate_limited') {
    await pauseConnection(db, conn.id, Math.min(attempt.retryAfterMs ?? DEFAULT_429_PAUSE_MS, MAX_PAUSE_MS));
  }
  return attempt;
}

/**
 * What a TSP sends back is stored as text: PostgreSQL refuses NUL and unpaired surrogates, which would
 * make the attempt impossible to record. They become U+FFFD.
 */
export function storable(text: string): string {
  return text.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Gives a claimed operation back without spending its attempt. */
async function defer(services: Services, op: OperationRow, owner: string, waitMs: number): Promise<'deferred' | 'lost'> {
  const moved = await services.database.db
    .update(resourceOperations)
    .set({
      attempts: sql`${resourceOperations.attempts} - 1`,
      leaseOwner: null,
      leaseUntil: null,
      nextAttemptAt: sql`now() + ${waitMs} * interval '1 millisecond'`,
    })
    .where(and(eq(resourceOperations.id, op.id), eq(resourceOperations.status, 'pending'), eq(resourceOperations.leaseOwner, owner)))
    .returning({ id: resourceOperations.id });
  return moved.length ? 'deferred' : 'lost';
}

async function record(services: Services, op: OperationRow, attempt: Attempt, merged: UserAttributes, opts: ExecuteOptions): Promise<ExecuteOutcome> {
  const now = services.clock.now();
  const decision = attempt.ok
    ? { retry: false, delayMs: 0 }
    : decideRetry(
        {
          errorType: attempt.errorType,
          operation: op.operationType as 'create' | 'update',
          attempt: op.attempts - op.attemptsBase,
          ageMs: now.getTime() - op.budgetStartedAt.getTime(),
          retryAfterMs: attempt.retryAfterMs === undefined ? undefined : Math.min(attempt.retryAfterMs, MAX_PAUSE_MS),
          sync: opts.sync,
        },
        services.config.retry,
      );
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
      .returning();
    if (!moved) return 'lost' as const;
    await tx.insert(operationLogs).values({
      resourceOperationId: op.id,
      attempt: op.attempts,
      status: attempt.ok ? 'success' : 'failed',
      errorType: attempt.ok ? null : (attempt.errorType ?? 'unknown'),
      errorDetails: attempt.errorDetails === undefined ? null : storable(attempt.errorDetails),
      responseStatusCode: attempt.statusCode,
      responseHeaders: Object.fromEntries(Object.entries(attempt.headers).map(([k, v]) => [storable(k), storable(v)])),
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
    // Partners hear of the end in the same transaction that records it: no event lost, none invented.
    if (outcome === 'success' || outcome === 'failed') {
      await enqueueOperationEvent(tx, moved, outcome === 'success' ? 'resource_operation.succeeded' : 'resource_operation.failed');
    }
    return outcome;
  });
}
