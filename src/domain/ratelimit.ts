// Outbound rate limits per connection, in the database so every process shares them. Each
// connection has a GCRA cell: calls are spaced at least one emission interval apart (burst of one),
// which keeps any sliding minute at or under the limit. A TSP's 429 pauses the connection until its
// Retry-After.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { rateLimits } from '../db/schema.ts';

// Requests leave fleetgate spaced by the interval but reach the TSP with network jitter; 1 % of
// headroom keeps two requests 60 s apart here from landing 59.9 s apart there.
const HEADROOM = 1.01;

export function intervalMs(perMinute: number): number {
  return Math.ceil((60_000 / perMinute) * HEADROOM);
}

export type TokenResult = { ok: true } | { ok: false; waitMs: number };

/** Takes the connection's next slot if it is due now; otherwise says how long until it is. */
export async function takeToken(db: Db, connectionId: string, perMinute: number): Promise<TokenResult> {
  const step = intervalMs(perMinute);
  const res = (await db.execute(sql`
    INSERT INTO rate_limits AS r (connection_id, next_at)
    VALUES (${connectionId}, now() + ${step} * interval '1 millisecond')
    ON CONFLICT (connection_id) DO UPDATE
       SET next_at = GREATEST(r.next_at, now()) + ${step} * interval '1 millisecond'
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
 * few requests per second would waste most slots (the GCRA cell has a burst of one, so a late call
 * never catches up).
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
