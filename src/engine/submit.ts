// Accepting a write: check it against the connection's TSP, record the operation (and its
// idempotency key) in one transaction, then run it now (is_sync) or leave it to the worker.
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { ResourceOperationView } from '../contract/common/operations.ts';
import type { UserAttributes } from '../contract/resources/users.ts';
import { idempotencyKeys, resourceOperations, resources } from '../db/schema.ts';
import type { Services } from '../platform/services.ts';
import { adapterFor } from '../tsps/registry.ts';
import { getConnectionRow } from '../accounts/connections.ts';
import { AppError, conflict, notFound, validationFailed } from '../platform/errors.ts';
import { enqueueOperationEvent } from './outbox/enqueue.ts';
import { executeOperation, rateLimitOf } from './execute.ts';
import { takeToken } from './policy/ratelimit.ts';
import { loadOperation, viewOperation } from './operations/reads.ts';
import type { OperationRow } from './operations/reads.ts';
import { mergeUser } from '../resources/users.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

export interface SubmitInput {
  partnerId: string;
  operation: 'create' | 'update';
  /** The body as accepted (connection_id + attributes). */
  body: { connection_id: string } & UserAttributes;
  /** For updates: fleetgate's id of the user. */
  userId?: string;
  isSync: boolean;
  idempotencyKey?: string;
}

export interface SubmitResult {
  operation: ResourceOperationView;
  replayed: boolean;
  /** is_sync only: the TSP did not answer within the budget. */
  timedOut: boolean;
}

class Replay extends Error {
  constructor(readonly operationId: string) {
    super('replay');
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

type KeyRow = typeof idempotencyKeys.$inferSelect;

/** The partner's key, if it exists (and, given the services' clock, has not expired). */
async function liveKey(db: Db, partnerId: string, key: string, services?: Services): Promise<KeyRow | undefined> {
  const [row] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.partnerId, partnerId), eq(idempotencyKeys.key, key)));
  if (row && services && services.clock.now().getTime() - row.createdAt.getTime() > IDEMPOTENCY_TTL_MS) return undefined;
  return row;
}

/** Same request: replay the first operation. Another request under the same key: 409. */
function replayOrConflict(existing: KeyRow, requestHash: string): Replay | AppError {
  return existing.requestHash === requestHash ? new Replay(existing.resourceOperationId) : conflict('Idempotency-Key was already used with a different request');
}

async function waitForSlot(services: Services, connectionId: string, perMinute: number): Promise<void> {
  const deadline = Date.now() + services.config.syncTimeoutMs / 2;
  for (;;) {
    const token = await takeToken(services.database.db, connectionId, perMinute);
    if (token.ok) return;
    if (Date.now() + token.waitMs > deadline) {
      const seconds = Math.ceil(token.waitMs / 1000);
      throw new AppError(
        429,
        'The connection is at its TSP rate limit',
        { retry_after_seconds: seconds, message: `Retry in ${seconds} s, or send the write without is_sync to have it queued.` },
        { 'retry-after': String(seconds) },
      );
    }
    await new Promise((r) => setTimeout(r, token.waitMs));
  }
}

export async function submitUserWrite(services: Services, input: SubmitInput): Promise<SubmitResult> {
  const db = services.database.db;
  const { connection_id: connectionId, ...changes } = input.body;
  const conn = await getConnectionRow(db, input.partnerId, connectionId).catch((err: unknown) => {
    // A connection the partner cannot see is a problem with the body, reported at its path.
    if (err instanceof AppError && err.status === 404)
      throw new AppError(404, 'Connection not found', [{ path: ['body', 'connection_id'], input: connectionId, message: 'no such connection', error_type: 'not_found' }]);
    throw err;
  });
  if (conn.status !== 'active') throw conflict(`The connection is ${conn.status}; writes are not accepted`);

  let current: typeof resources.$inferSelect | undefined;
  if (input.operation === 'update') {
    [current] = await db
      .select()
      .from(resources)
      .where(and(eq(resources.id, input.userId!), eq(resources.partnerId, input.partnerId), eq(resources.resource, 'user'), isNull(resources.deletedAt)));
    if (!current) throw notFound('User');
    if (input.isSync) {
      // A sync update runs now; it must not overtake (or race) an earlier write to the same user.
      const [earlier] = await db
        .select({ id: resourceOperations.id })
        .from(resourceOperations)
        .where(and(eq(resourceOperations.resourceId, current.id), eq(resourceOperations.status, 'pending')))
        .limit(1);
      if (earlier) {
        throw conflict('An earlier write to this user is still pending; send this one without is_sync to queue it behind, or retry later', {
          pending_operation_id: earlier.id,
        });
      }
    }
    if (current.connectionId !== connectionId) {
      throw validationFailed([{ path: ['body', 'connection_id'], input: connectionId, message: 'the user belongs to another connection', error_type: 'connection_mismatch' }]);
    }
  }

  // Only the adapter is needed here; the credentials stay sealed until a call is made.
  const adapter = adapterFor(conn.tsp);
  if (!adapter) throw new AppError(500, `No adapter for TSP ${conn.tsp}`);
  const rateLimit = rateLimitOf(conn, adapter);
  const resourceId = input.userId ?? randomUUID();
  const write = {
    operation: input.operation,
    changes,
    merged: mergeUser(current?.attributes as UserAttributes | undefined, changes),
    externalId: resourceId,
    sourceId: current?.sourceId ?? undefined,
  };
  // Refused now, before anything is written: a value the TSP cannot represent would only fail later.
  const refusals = adapter.users.refusals(write);
  if (refusals.length) {
    throw validationFailed(
      refusals.map((r) => ({
        path: ['body', r.field],
        input: r.input,
        // Name the TSP once, whether or not the adapter's message already does.
        message: r.message.startsWith(adapter.displayName) ? r.message : `${adapter.displayName}: ${r.message}`,
        error_type: 'unsupported_by_tsp',
      })),
    );
  }
  const dropped = adapter.users.dropped(write);

  const requestHash = createHash('sha256')
    .update(canonical({ op: input.operation, user: input.userId ?? null, body: input.body, sync: input.isSync }))
    .digest('hex');
  const opId = randomUUID();
  const syncOwner = `sync:${opId}`;
  let stored: OperationRow | undefined;
  // A sync call waits for the connection's rate-limit slot within its budget, before anything is
  // stored; past the budget the partner gets a 429 with the wait, and nothing was written.
  if (input.isSync) {
    // A replay answers from the stored operation and must not spend a rate-limit slot of the TSP's.
    const existing = input.idempotencyKey ? await liveKey(db, input.partnerId, input.idempotencyKey, services) : undefined;
    if (existing) {
      const answer = replayOrConflict(existing, requestHash);
      if (answer instanceof Replay) return { operation: await loadOperation(db, answer.operationId), replayed: true, timedOut: false };
      throw answer;
    }
    await waitForSlot(services, conn.id, rateLimit);
  }
  try {
    await db.transaction(async (tx) => {
      [stored] = await tx
        .insert(resourceOperations)
        .values({
          id: opId,
          partnerId: input.partnerId,
          connectionId,
          resource: 'user',
          operationType: input.operation,
          payload: input.body,
          droppedFields: dropped,
          resourceId,
          sourceId: current?.sourceId ?? null,
          isSync: input.isSync,
          // A sync operation is leased to this request (the worker leaves it alone) and its one attempt
          // counted; should this process die mid-call, the lease expires and a worker finishes it.
          attempts: input.isSync ? 1 : 0,
          leaseOwner: input.isSync ? syncOwner : null,
          leaseUntil: input.isSync ? sql`now() + ${services.config.syncTimeoutMs + 60_000} * interval '1 millisecond'` : null,
          nextAttemptAt: sql`now()`,
        })
        .returning();
      if (input.idempotencyKey) {
        const inserted = await tx
          .insert(idempotencyKeys)
          .values({ partnerId: input.partnerId, key: input.idempotencyKey, requestHash, resourceOperationId: opId, createdAt: services.clock.now() })
          .onConflictDoNothing()
          .returning({ key: idempotencyKeys.key });
        if (!inserted.length) {
          // (Key ages are measured on the services' clock throughout, so the lifetime check is consistent.)
          // The key exists. Past its lifetime it is taken over, by one request only: the update is
          // conditional on the expiry, so of two requests reusing an old key at once, one takes it
          // and the other sees the taker's operation.
          const taken = await tx
            .update(idempotencyKeys)
            .set({ requestHash, resourceOperationId: opId, createdAt: services.clock.now() })
            .where(
              and(
                eq(idempotencyKeys.partnerId, input.partnerId),
                eq(idempotencyKeys.key, input.idempotencyKey),
                lt(idempotencyKeys.createdAt, new Date(services.clock.now().getTime() - IDEMPOTENCY_TTL_MS)),
              ),
            )
            .returning({ key: idempotencyKeys.key });
          if (!taken.length) {
            const existing = await liveKey(tx, input.partnerId, input.idempotencyKey);
            throw replayOrConflict(existing!, requestHash);
          }
        }
      }
      await enqueueOperationEvent(tx, stored!, 'resource_operation.created');
    });
  } catch (err) {
    if (err instanceof Replay) return { operation: await loadOperation(db, err.operationId), replayed: true, timedOut: false };
    throw err;
  }

  if (!input.isSync) {
    services.events.emit('operation.queued', opId);
    // The row as inserted (a new operation has no attempt yet): no second read of what was just written.
    return { operation: viewOperation(stored!, []), replayed: false, timedOut: false };
  }
  await executeOperation(services, opId, { owner: syncOwner, timeoutMs: services.config.syncTimeoutMs, sync: true });
  const operation = await loadOperation(db, opId);
  const timedOut = operation.logs.at(-1)?.error_type === 'timeout';
  return { operation, replayed: false, timedOut };
}
