// Outbound rate limits per connection, in the database so every process shares them. Each
// connection keeps a schedule of slots T apart (next_at: the next free slot). A call may go when its
// slot has come; taking it moves the schedule one slot on. A call that is late by no more than GRACE
// keeps the schedule (the next slot is still T after this one's), so small delays in waking up do
// not cost throughput; a call later than that starts the schedule again from now. A TSP's 429
// pauses the connection until its Retry-After.
//
// Why at most N calls reach the TSP in any 60 s: calls k..m inside one window sit on slots at most
// 60 s + GRACE + JITTER apart (a call leaves at most GRACE after its slot and arrives at most JITTER
// later than another), so (m - k) * T <= 60 s + GRACE + JITTER. With T = (60 s + GRACE + JITTER) / (N - 1)
// that is at most N - 1 intervals, N calls.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { connections, rateLimits } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { TspAdapter } from '../../tsps/kit/descriptor.ts';
import type { EngineContext } from '../context.ts';

export const GRACE_MS = 100;
/** Allowance for requests reaching the TSP in a different order of delay than they left. */
export const JITTER_MS = 50;

/** Milliseconds between slots (fractional: at 100 calls/s, rounding to whole ms would cost 9 %). */
export function intervalMs(perMinute: number): number {
  const span = 60_000 + GRACE_MS + JITTER_MS;
  return perMinute > 1 ? span / (perMinute - 1) : span;
}

export type TokenResult = { ok: true } | { ok: false; waitMs: number };

/** Takes the connection's next slot if it is due now; otherwise says how long until it is. */
export async function takeToken(db: Db, connectionId: string, perMinute: number): Promise<TokenResult> {
  const step = intervalMs(perMinute);
  const res = (await db.execute(sql`
    INSERT INTO rate_limits AS r (connection_id, next_at)
    VALUES (${connectionId}, now() + ${step} * interval '1 millisecond')
    ON CONFLICT (connection_id) DO UPDATE
       SET next_at = CASE WHEN r.next_at >= now() - ${GRACE_MS} * interval '1 millisecond'
                          THEN r.next_at ELSE now() END + ${step} * interval '1 millisecond'
     WHERE r.next_at <= now() AND (r.paused_until IS NULL OR r.paused_until <= now())
    RETURNING r.next_at`)) as unknown as { rows: unknown[] };
  if (res.rows.length) return { ok: true };
  const wait = (await db.execute(sql`
    SELECT GREATEST(0, EXTRACT(EPOCH FROM (GREATEST(next_at, coalesce(paused_until, next_at)) - now())) * 1000)::float8 AS wait_ms
      FROM rate_limits WHERE connection_id = ${connectionId}`)) as unknown as { rows: Array<{ wait_ms: number }> };
  return { ok: false, waitMs: Math.max(1, Math.ceil(Number(wait.rows[0]?.wait_ms ?? step))) };
}

/**
 * Milliseconds until the earliest rate-limit slot (or pause end) still ahead, if any: a worker that
 * found nothing it may send sleeps until then rather than a whole poll interval, which at limits of a
 * few requests per second would leave every call late by most of a poll (past GRACE, a late call
 * restarts the schedule and its lateness is lost).
 */
export async function msUntilNextSlot(db: Db): Promise<number | undefined> {
  const res = (await db.execute(sql`
    SELECT EXTRACT(EPOCH FROM (min(GREATEST(next_at, coalesce(paused_until, next_at))) - now())) * 1000 AS wait_ms
      FROM rate_limits WHERE GREATEST(next_at, coalesce(paused_until, next_at)) > now()`)) as unknown as {
    rows: Array<{ wait_ms: number | string | null }>;
  };
  const wait = res.rows[0]?.wait_ms;
  return wait === null || wait === undefined ? undefined : Math.max(1, Math.ceil(Number(wait)));
}

/** The TSP said 429: nothing goes to this connection before `untilMs` from now. */
export async function pauseConnection(db: Db, connectionId: string, pauseMs: number): Promise<void> {
  await db
    .insert(rateLimits)
    .values({ connectionId, pausedUntil: sql`now() + ${pauseMs} * interval '1 millisecond'` })
    .onConflictDoUpdate({
      target: rateLimits.connectionId,
      set: { pausedUntil: sql`GREATEST(coalesce(${rateLimits.pausedUntil}, now()), now() + ${pauseMs} * interval '1 millisecond')` },
    });
}

export async function rateState(db: Db, connectionId: string) {
  const [row] = await db.select().from(rateLimits).where(eq(rateLimits.connectionId, connectionId));
  return row;
}

/** The connection's own limit, or its TSP's default. */
export function rateLimitOf(conn: Pick<typeof connections.$inferSelect, 'settings'>, adapter: Pick<TspAdapter, 'defaultRateLimitPerMinute'>): number {
  return (conn.settings as { rate_limit_per_minute?: number }).rate_limit_per_minute ?? adapter.defaultRateLimitPerMinute;
}

/**
 * An is_sync write waits for its connection's slot within half its budget; past that the partner gets
 * a 429 with the wait (and nothing was stored).
 */
export async function waitForSlot(ctx: Pick<EngineContext, 'database' | 'config'>, connectionId: string, perMinute: number): Promise<void> {
  // The request's own budget, on the process clock: a duration, not a queue comparison.
  const deadline = performance.now() + ctx.config.syncTimeoutMs / 2;
  for (;;) {
    const token = await takeToken(ctx.database.db, connectionId, perMinute);
    if (token.ok) return;
    if (performance.now() + token.waitMs > deadline) {
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
