// Outbound rate limits per connection and endpoint class of its TSP's API (a TSP may limit some of its
// endpoints far below the rest: Samsara's trailers at 100/min against 150/s), in the database so every
// process shares them. Calls take slots, not operations: a write that makes a lookup and a create takes
// two. Each (connection, class) keeps a schedule of slots T apart (next_at: the next free slot). A call
// may go when its slot has come; taking it moves the schedule one slot on. A call that is late by no more than GRACE
// keeps the schedule (the next slot is still T after this one's), so small delays in waking up do
// not cost throughput; a call later than that starts the schedule again from now. A TSP's 429
// pauses that class of the connection until its Retry-After.
//
// Why at most N calls reach the TSP in any 60 s: calls k..m inside one window sit on slots at most
// 60 s + GRACE + JITTER apart (a call leaves at most GRACE after its slot and arrives at most JITTER
// later than another), so (m - k) * T <= 60 s + GRACE + JITTER. With T = (60 s + GRACE + JITTER) / (N - 1)
// that is at most N - 1 intervals, N calls.
import { and, eq, sql } from 'drizzle-orm';
import type { ConnectionSettings } from '../../accounts/connections.ts';
import type { Database, Db } from '../../db/client.ts';
import { connections, rateLimits } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { TspAdapter } from '../../tsps/kit/descriptor.ts';
import { DEFAULT_RATE_CLASS, SlotUnavailable } from '../../tsps/kit/types.ts';
import type { CallGate } from '../../tsps/kit/types.ts';
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

/**
 * Takes the slot of ($connection, $class) with $step ms between slots, if it is due now (one row back);
 * an INSERT ... ON CONFLICT whose rows come from `source` (the submit of a sync write takes its slot in
 * the statement that stores it: statements.ts SUBMIT_WITH_SLOT; a batch takes several: TAKE_SLOTS).
 * The step is written once: `excluded.next_at - now()` is it again (now() is fixed for a statement).
 */
export const takeSlotSql = (source: string, connection: string, rateClass: string, step: string) => `
    INSERT INTO rate_limits AS r (connection_id, rate_class, next_at)
    SELECT ${connection}, ${rateClass}, now() + ${step}::float8 * interval '1 millisecond' ${source}
    ON CONFLICT (connection_id, rate_class) DO UPDATE
       SET next_at = CASE WHEN r.next_at >= now() - ${GRACE_MS} * interval '1 millisecond'
                          THEN r.next_at ELSE now() END + (excluded.next_at - now())
     WHERE r.next_at <= now() AND (r.paused_until IS NULL OR r.paused_until <= now())
    RETURNING r.connection_id, r.rate_class, r.next_at`;

/** The wait in ms until the slot of ($connection, $class) is due (no row: it has none yet). */
export const slotWaitSql = (connection: string, rateClass: string) => `
    SELECT GREATEST(0, EXTRACT(EPOCH FROM (GREATEST(next_at, coalesce(paused_until, next_at)) - now())) * 1000)::float8 AS wait_ms
      FROM rate_limits WHERE connection_id = ${connection} AND rate_class = ${rateClass}`;

// Every call of every attempt takes a slot: raw text, prepared once per connection (Database.query).
const TAKE_SLOT = takeSlotSql('', '$1::uuid', '$2::text', '$3');
const SLOT_WAIT = slotWaitSql('$1', '$2');

/** Takes the next slot of the connection's endpoint class if it is due now; otherwise says how long until it is. */
export async function takeToken(database: Database, connectionId: string, rateClass: string, perMinute: number): Promise<TokenResult> {
  const step = intervalMs(perMinute);
  const taken = await database.query(TAKE_SLOT, [connectionId, rateClass, step], 'fg_take_slot');
  if (taken.length) return { ok: true };
  const wait = await database.query<{ wait_ms: number }>(SLOT_WAIT, [connectionId, rateClass], 'fg_slot_wait');
  return { ok: false, waitMs: Math.max(1, Math.ceil(Number(wait[0]?.wait_ms ?? step))) };
}

/**
 * The wait until the earliest rate-limit slot (or pause end) still ahead, in ms (null: none), read with
 * every claim: a worker that found nothing it may send sleeps until then rather than a whole poll
 * interval, which at limits of a few requests per second would leave every call late by most of a poll
 * (past GRACE, a late call restarts the schedule and its lateness is lost).
 */
export const NEXT_SLOT = `
    SELECT EXTRACT(EPOCH FROM (min(GREATEST(next_at, coalesce(paused_until, next_at))) - now())) * 1000 AS wait_ms
      FROM rate_limits WHERE GREATEST(next_at, coalesce(paused_until, next_at)) > now()`;

/** The TSP said 429 to a call of this class: nothing of the class goes to this connection for `pauseMs`. */
export async function pauseClass(db: Db, connectionId: string, rateClass: string, pauseMs: number): Promise<void> {
  const key = `${connectionId}/${rateClass}`;
  const until = performance.now() + pauseMs;
  if (pausedHere.size >= 10_000 && !pausedHere.has(key)) pausedHere.clear();
  pausedHere.set(key, Math.max(until, pausedHere.get(key) ?? 0));
  await db
    .insert(rateLimits)
    .values({ connectionId, rateClass, pausedUntil: sql`now() + ${pauseMs} * interval '1 millisecond'` })
    .onConflictDoUpdate({
      target: [rateLimits.connectionId, rateLimits.rateClass],
      set: { pausedUntil: sql`GREATEST(coalesce(${rateLimits.pausedUntil}, now()), now() + ${pauseMs} * interval '1 millisecond')` },
    });
}

/** The schedules of a connection, by class. */
export async function rateState(db: Db, connectionId: string, rateClass: string = DEFAULT_RATE_CLASS) {
  const [row] = await db
    .select()
    .from(rateLimits)
    .where(and(eq(rateLimits.connectionId, connectionId), eq(rateLimits.rateClass, rateClass)));
  return row;
}

/**
 * The connection's limit for an endpoint class: its own for that class if it set one; else the TSP's
 * (the connection's general limit replacing the default, capped by the class's documented limit).
 */
export function rateLimitOf(conn: Pick<typeof connections.$inferSelect, 'settings'>, tsp: Pick<TspAdapter, 'rateLimitOf'>, rateClass: string = DEFAULT_RATE_CLASS): number {
  const settings = conn.settings as ConnectionSettings;
  return settings.rate_limits_per_minute?.[rateClass] ?? tsp.rateLimitOf(rateClass, settings.rate_limit_per_minute);
}

/**
 * An is_sync write waits for its first call's slot within half its budget; past that the partner gets
 * a 429 with the wait (and nothing was stored).
 */
export async function waitForSlot(
  ctx: Pick<EngineContext, 'database' | 'config' | 'events'>,
  conn: { id: string; tsp: string },
  rateClass: string,
  perMinute: number,
  /** Takes the slot (default: takeToken); a caller may take it in a statement that also does its write. */
  take: () => Promise<TokenResult> = () => takeToken(ctx.database, conn.id, rateClass, perMinute),
): Promise<PrepaidSlot> {
  // The request's own budget, on the process clock: a duration, not a queue comparison.
  const deadline = performance.now() + ctx.config.syncTimeoutMs / 2;
  for (;;) {
    const asked = performance.now();
    const token = await take();
    // Taken while the statement ran: the call's GRACE counts from when it was sent.
    if (token.ok) return { rateClass, at: asked };
    const refused = performance.now() + token.waitMs > deadline;
    ctx.events.emit('ratelimit:wait', { connectionId: conn.id, tsp: conn.tsp, rateClass, outcome: refused ? 'refused' : 'slept', waitMs: token.waitMs });
    if (refused) {
      const seconds = Math.ceil(token.waitMs / 1000);
      throw new AppError(
        429,
        'The connection is at its TSP rate limit',
        { retry_after_seconds: seconds, message: `Retry in ${seconds} s, or send the write without is_sync to have it queued.` },
        { 'retry-after': String(seconds) },
      );
    }
    await sleep(token.waitMs);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A slot taken before an attempt began (a sync write's, before it was stored; a claimed operation's,
 * with the others of its batch): its time on the process clock, now or a few ms ahead.
 */
export interface PrepaidSlot {
  rateClass: string;
  at: number;
  /** When the call may go (default `at`). */
  notBefore?: number;
}

/** What a worker asks for after a claim: `count` consecutive slots of a (connection, class), `stepMs` apart. */
export interface SlotsWanted {
  connectionId: string;
  rateClass: string;
  stepMs: number;
  count: number;
}

// The slots of several (connection, class) at once: each takes `k` consecutive slots if its schedule is
// due (as TAKE_SLOT does for one), and says when the first of them is (ms from now: up to GRACE behind).
const TAKE_SLOTS = `
WITH wanted AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::int[]) AS w(connection_id, rate_class, step, k)
), taken AS (${
  // Rows locked in one order by every process: two batches holding the same two schedules cannot deadlock.
  takeSlotSql('FROM wanted ORDER BY connection_id, rate_class', 'connection_id', 'rate_class', '(step * k)')
})
SELECT t.connection_id, t.rate_class, (EXTRACT(EPOCH FROM (t.next_at - now())) * 1000 - w.step * w.k)::float8 AS first_ms
  FROM taken t JOIN wanted w ON w.connection_id = t.connection_id AND w.rate_class = t.rate_class`;

/**
 * Takes, in one statement, the slots a claimed batch's first calls need (one statement per batch instead
 * of one per call). Every (connection, class) must be listed once. The slots of a schedule that is not
 * due (another process holds it) are not taken: those calls take their own, as any call does.
 * Returns, by `connectionId/rateClass`, the first slot's time on the process clock.
 */
export async function takeSlotsAhead(database: Database, wanted: SlotsWanted[]): Promise<Map<string, { at: number; notBefore: number }>> {
  const out = new Map<string, { at: number; notBefore: number }>();
  if (!wanted.length) return out;
  if (new Set(wanted.map((w) => `${w.connectionId}/${w.rateClass}`)).size !== wanted.length) throw new Error('takeSlotsAhead: a schedule listed twice');
  const asked = performance.now();
  const rows = await database.query<{ connection_id: string; rate_class: string; first_ms: number }>(
    TAKE_SLOTS,
    [wanted.map((w) => w.connectionId), wanted.map((w) => w.rateClass), wanted.map((w) => w.stepMs), wanted.map((w) => w.count)],
    'fg_take_slots',
  );
  const answered = performance.now();
  // The database's now() fell between the two: lateness is counted from the earlier, waiting to the later,
  // so no call leaves before its slot and none is thought fresher than it is.
  for (const r of rows) out.set(`${r.connection_id}/${r.rate_class}`, { at: asked + Number(r.first_ms), notBefore: answered + Number(r.first_ms) });
  return out;
}

/** Pauses this process has recorded (a 429), by `connectionId/rateClass`: a slot taken ahead is not used during one. */
const pausedHere = new Map<string, number>();

/**
 * The gate of one attempt: every call it makes takes a slot of its class first. A slot already taken
 * for the attempt (a sync write's, before it was stored; a claimed one's, with its batch) is used by the
 * first call of that class, which waits for it if it is ahead and goes within GRACE of it (the schedule's
 * bound holds only for calls that leave by then); later, the call takes a fresh slot and the prepaid one
 * is left unused, which only costs time. A queued attempt's first call waits briefly (`firstWaitMs`):
 * with no slot by then the operation goes back to the queue (SlotUnavailable) rather than hold a worker.
 * A later call (the PATCH after a GET, the create after a lookup) waits up to `laterWaitMs` for its
 * slot, since the attempt is under way.
 */
export class AttemptGate implements CallGate {
  /** The class of the last call let through: the class a 429 came from. */
  lastClass: string | undefined;
  /** Calls let through so far: after one, a write may have reached the TSP. */
  passed = 0;
  private calls = 0;
  private prepaid: PrepaidSlot | undefined;
  private readonly firstWaitMs: number;
  private readonly laterWaitMs: number;
  private readonly onSleep: ((rateClass: string, waitMs: number) => void) | undefined;

  constructor(
    private readonly database: Database,
    private readonly connectionId: string,
    private readonly limitOf: (rateClass: string) => number,
    opts: {
      prepaid?: PrepaidSlot;
      firstWaitMs: number;
      laterWaitMs: number;
      /** Told of each sleep for a slot (a wait that ends the attempt is SlotUnavailable's to report). */
      onSleep?: (rateClass: string, waitMs: number) => void;
    },
  ) {
    this.prepaid = opts.prepaid;
    this.firstWaitMs = opts.firstWaitMs;
    this.laterWaitMs = opts.laterWaitMs;
    this.onSleep = opts.onSleep;
  }

  async take(rateClass: string): Promise<void> {
    const first = this.calls === 0;
    this.calls++;
    if (this.prepaid?.rateClass === rateClass) {
      const ahead = (this.prepaid.notBefore ?? this.prepaid.at) - performance.now();
      if (ahead > 0) await sleep(ahead);
      // A 429 seen by this process since the slot was taken: the call takes its own (which sees the pause).
      const pausedTill = pausedHere.get(`${this.connectionId}/${rateClass}`);
      const fresh = performance.now() - this.prepaid.at <= GRACE_MS && !(pausedTill !== undefined && pausedTill > performance.now());
      this.prepaid = undefined;
      if (fresh) {
        this.passed++;
        this.lastClass = rateClass;
        return;
      }
    }
    const deadline = performance.now() + (first ? this.firstWaitMs : this.laterWaitMs);
    for (;;) {
      const token = await takeToken(this.database, this.connectionId, rateClass, this.limitOf(rateClass));
      if (token.ok) {
        this.passed++;
        this.lastClass = rateClass;
        return;
      }
      if (performance.now() + token.waitMs > deadline) throw new SlotUnavailable(rateClass, token.waitMs);
      this.onSleep?.(rateClass, token.waitMs);
      await sleep(token.waitMs);
    }
  }
}
