// Retention: what fleetgate deletes so that nothing grows without bound, run by the worker every
// `retention.intervalMs` (config). Every age is measured on the database's clock (now()), in statements
// of at most `batchSize` rows each (its own short transaction; rows another statement holds are skipped,
// SKIP LOCKED), so a pass never holds a long lock nor blocks the queue.
//
//   operations        ended (success | failed), unchanged for `days`: deleted with their attempt logs
//                     (operations/machine.ts, deleteEndedOperations). Pending ones are never deleted.
//   idempotency keys  48 h after they were stamped: their lifetime is 24 h (idempotency.ts); the second
//                     day allows for the application clock they were stamped with being behind the
//                     database's (a key deleted early would let a replay make a second operation).
//   webhook deliveries ended (delivered | failed), unchanged for `webhookDays`: deleted with their
//                     attempts. Pending ones (still retrying, or waiting for a paused endpoint) stay.
//   rate-limit rows   of deleted connections, and of connections idle for a day: a schedule whose next
//                     slot is more than GRACE in the past carries nothing (the next call starts it again
//                     from now, ratelimit.ts takeToken), and a pause that ended a day ago neither.
//   revoked tokens    a day after the token's own expiry (accounts/revocations.ts): an expired token is
//                     refused for its expiry alone; the day allows for an application clock behind the database's.
// On PGlite (no autovacuum) a pass that deleted rows ends with a VACUUM of those tables.
import { sql } from 'drizzle-orm';
import { deleteExpiredRevocations } from '../accounts/revocations.ts';
import type { Db } from '../db/client.ts';
import type { Config } from '../platform/config.ts';
import type { EngineContext } from './context.ts';
import { deleteEndedOperations } from './operations/machine.ts';

/** Idempotency keys are deleted this long after they were stamped (lifetime 24 h + 24 h of clock allowance). */
export const IDEMPOTENCY_KEY_RETENTION_HOURS = 48;
/** A rate-limit row whose slot and pause are this far in the past is dropped (recreated on the next call). */
export const RATE_LIMIT_IDLE_HOURS = 24;

export interface RetentionCounts {
  operations: number;
  idempotencyKeys: number;
  webhookDeliveries: number;
  rateLimits: number;
  revokedTokens: number;
}

type Rows = { rows: unknown[] };
const count = async (q: Promise<unknown>) => ((await q) as Rows).rows.length;

function deleteExpiredKeys(db: Db, limit: number): Promise<number> {
  return count(
    db.execute(sql`
      DELETE FROM idempotency_keys k
       USING (SELECT partner_id, key FROM idempotency_keys
               WHERE created_at < now() - ${IDEMPOTENCY_KEY_RETENTION_HOURS} * interval '1 hour'
               LIMIT ${limit}
               FOR UPDATE SKIP LOCKED) doomed
       WHERE k.partner_id = doomed.partner_id AND k.key = doomed.key
      RETURNING 1`),
  );
}

function deleteEndedDeliveries(db: Db, olderThanDays: number, limit: number): Promise<number> {
  return count(
    db.execute(sql`
      WITH doomed AS (
        SELECT id FROM webhook_deliveries
         WHERE status <> 'pending' AND created_at < now() - ${olderThanDays} * interval '1 day'
           AND updated_at < now() - ${olderThanDays} * interval '1 day'
         LIMIT ${limit}
         FOR UPDATE SKIP LOCKED),
      attempts AS (DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM doomed))
      DELETE FROM webhook_deliveries d USING doomed WHERE d.id = doomed.id AND d.status <> 'pending'
      RETURNING 1`),
  );
}

function deleteIdleRateLimits(db: Db, limit: number): Promise<number> {
  const idle = sql`now() - ${RATE_LIMIT_IDLE_HOURS} * interval '1 hour'`;
  // The conditions are repeated on the outer DELETE: a call that takes a slot between the SELECT and
  // the DELETE makes the row busy again, and PostgreSQL re-checks them on the row it then sees.
  return count(
    db.execute(sql`
      DELETE FROM rate_limits r
       USING (SELECT rl.connection_id, rl.rate_class FROM rate_limits rl LEFT JOIN connections c ON c.id = rl.connection_id
               WHERE c.deleted_at IS NOT NULL
                  OR (rl.next_at < ${idle} AND (rl.paused_until IS NULL OR rl.paused_until < ${idle}))
               LIMIT ${limit}
               FOR UPDATE OF rl SKIP LOCKED) doomed
       WHERE r.connection_id = doomed.connection_id AND r.rate_class = doomed.rate_class
         AND (EXISTS (SELECT 1 FROM connections c WHERE c.id = r.connection_id AND c.deleted_at IS NOT NULL)
              OR (r.next_at < ${idle} AND (r.paused_until IS NULL OR r.paused_until < ${idle})))
      RETURNING 1`),
  );
}

/** Repeats one batch statement until it deletes less than a batch (or the caller stops). */
async function drain(batch: () => Promise<number>, size: number, stopped: () => boolean): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await batch();
    total += n;
    if (n < size || stopped()) return total;
    // Let other work on this database (PGlite: the one connection) go between two batches.
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * One retention pass: everything past its retention, in batches. `stopped` is asked between batches (a
 * worker that is stopping does not finish a long backlog first; the next pass carries on).
 */
export async function runRetention(
  ctx: Pick<EngineContext, 'database'> & { config: Pick<Config, 'retention'> },
  stopped: () => boolean = () => false,
): Promise<RetentionCounts> {
  const db = ctx.database.db;
  const { days, webhookDays, batchSize } = ctx.config.retention;
  // Keys first: the operations they name may be next (an operation takes any key still naming it along).
  const idempotencyKeys = await drain(() => deleteExpiredKeys(db, batchSize), batchSize, stopped);
  const operations = stopped() ? 0 : await drain(() => deleteEndedOperations(db, days, batchSize), batchSize, stopped);
  const webhookDeliveries = stopped() ? 0 : await drain(() => deleteEndedDeliveries(db, webhookDays, batchSize), batchSize, stopped);
  const rateLimits = stopped() ? 0 : await drain(() => deleteIdleRateLimits(db, batchSize), batchSize, stopped);
  const revokedTokens = stopped() ? 0 : await drain(() => deleteExpiredRevocations(db, batchSize), batchSize, stopped);
  const counts = { operations, idempotencyKeys, webhookDeliveries, rateLimits, revokedTokens };
  await vacuumEmbedded(ctx.database, counts);
  return counts;
}

/**
 * PGlite runs no autovacuum: without a VACUUM the space of deleted rows is never reused and the files
 * keep growing (measured: three rounds of 10,000 operations deleted, 23 → 46 → 68 MB). A plain VACUUM of
 * the tables the pass deleted from makes that space reusable (no lock that blocks reads or writes, but
 * PGlite's one connection is busy while it runs: docs/benchmarks.md measures it), and the queue's own dead
 * rows (every transition leaves one) go with it. PostgreSQL's autovacuum does this by itself.
 */
async function vacuumEmbedded(database: EngineContext['database'], counts: RetentionCounts): Promise<void> {
  if (database.kind !== 'pglite') return;
  const tables = [
    ...(counts.operations ? ['resource_operations', 'operation_logs'] : []),
    ...(counts.operations || counts.idempotencyKeys ? ['idempotency_keys'] : []),
    ...(counts.webhookDeliveries ? ['webhook_deliveries', 'webhook_attempts'] : []),
    ...(counts.rateLimits ? ['rate_limits'] : []),
    ...(counts.revokedTokens ? ['revoked_tokens'] : []),
  ];
  // Not ANALYZE: its cost does not shrink with what was deleted (measured: 1.8 s of PGlite's one
  // connection after a 20,000-operation backlog, against 0.2 s for the VACUUM alone).
  if (tables.length) await database.exec(`VACUUM ${tables.join(', ')}`);
}
