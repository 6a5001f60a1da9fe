// Idempotency keys: the same key and request from the same partner within 24 h replays the first
// operation; the same key with another request is a 409. A key past its lifetime is taken over by one
// request only. Key ages are measured on the application clock throughout (they are what partners are
// told, not what the queue compares), so the lifetime check is consistent with the stored times.
import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { idempotencyKeys } from '../db/schema.ts';
import type { Clock } from '../platform/clock.ts';
import { AppError, conflict } from '../platform/errors.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

/** Thrown inside the submit transaction when the key names an earlier operation: answer with it. */
export class Replay extends Error {
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

/** The request as a key remembers it: key order in the JSON does not matter. */
export const requestHash = (request: unknown): string => createHash('sha256').update(canonical(request)).digest('hex');

type KeyRow = typeof idempotencyKeys.$inferSelect;

/** The partner's key, if it exists (and, given a clock, has not expired). */
export async function liveKey(db: Db, partnerId: string, key: string, clock?: Clock): Promise<KeyRow | undefined> {
  const [row] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.partnerId, partnerId), eq(idempotencyKeys.key, key)));
  if (row && clock && clock.now().getTime() - row.createdAt.getTime() > IDEMPOTENCY_TTL_MS) return undefined;
  return row;
}

/** Same request: replay the first operation. Another request under the same key: 409. */
export function replayOrConflict(existing: KeyRow, hash: string): Replay | AppError {
  return existing.requestHash === hash ? new Replay(existing.resourceOperationId) : conflict('Idempotency-Key was already used with a different request');
}

/** Inside the submit transaction: the key now names `operationId`, or this throws Replay / 409. */
export async function claimKey(tx: Db, clock: Clock, partnerId: string, key: string, hash: string, operationId: string): Promise<void> {
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ partnerId, key, requestHash: hash, resourceOperationId: operationId, createdAt: clock.now() })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length) return;
  // The key exists. Past its lifetime it is taken over, by one request only: the update is
  // conditional on the expiry, so of two requests reusing an old key at once, one takes it and the
  // other sees the taker's operation.
  const taken = await tx
    .update(idempotencyKeys)
    .set({ requestHash: hash, resourceOperationId: operationId, createdAt: clock.now() })
    .where(
      and(
        eq(idempotencyKeys.partnerId, partnerId),
        eq(idempotencyKeys.key, key),
        lt(idempotencyKeys.createdAt, new Date(clock.now().getTime() - IDEMPOTENCY_TTL_MS)),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  if (!taken.length) {
    const existing = await liveKey(tx, partnerId, key);
    throw replayOrConflict(existing!, hash);
  }
}
