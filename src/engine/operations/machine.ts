// The resource operation state machine: every move of an operation, each one compare-and-set
// statement here and nowhere else, all of them timed by the database's now(), never the application's.
//
// Glossary (the phase of an operation; the status column holds pending | success | failed):
//   queued   pending, no live lease: due when next_attempt_at <= now().
//   running  pending, leased (lease_owner, lease_until) to a worker or an is_sync request, attempt counted.
//   success  the TSP accepted the write; resource_id / source_id are set. Terminal.
//   failed   the TSP refused it, attempts or age ran out, or it was cancelled. Terminal until retried.
// A running operation whose lease expired is taken over by the next claim (its holder died).
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowFrom } from '../../db/rows.ts';
import { connections, operationLogs, resourceOperations, resources } from '../../db/schema.ts';
import { EVENT_SCHEMA_VERSION } from '../../contract/webhooks.ts';
import type { EngineContext } from '../context.ts';
import type { OperationTransitionEvent } from '../events.ts';
import type { EventType } from '../outbox/enqueue.ts';
import { enqueueOperationEvent } from '../outbox/enqueue.ts';
import type { OperationRow } from './reads.ts';
import { keptRecord, saveRecord } from '../records.ts';
import { CLAIM_DUE, RECORD_ATTEMPT, RECORD_ATTEMPT_ANSWER, SUBMIT, SUBMIT_WITH_SLOT } from './statements.ts';
import { TRANSITIONS } from './transitions.ts';
import type { Phase, TransitionName } from './transitions.ts';

export { PHASES, TRANSITIONS } from './transitions.ts';
export type { Phase, TransitionName } from './transitions.ts';

/** Channel on which PostgreSQL tells every process that work became due (LISTEN/NOTIFY). */
export const DUE_CHANNEL = 'fleetgate_operations_due';

const ms = (value: number) => sql`${value} * interval '1 millisecond'`;
type Rows<T> = { rows: T[] };

/** Transitions after which an operation is due: workers in other processes are woken for them. */
const MAKES_DUE: ReadonlySet<TransitionName> = new Set(['submit', 'manual_retry', 'resume']);

/** Tells listeners of this process (after the change committed) what moved; wakes other processes for due work. */
export function announce(
  ctx: Pick<EngineContext, 'events' | 'database'>,
  name: TransitionName,
  op: Pick<OperationRow, 'id' | 'connectionId' | 'resource' | 'sourceName'>,
  from: Phase | null,
): void {
  const event: OperationTransitionEvent = {
    transition: name,
    operationId: op.id,
    connectionId: op.connectionId,
    resource: op.resource,
    tsp: op.sourceName,
    from,
    to: TRANSITIONS[name].to,
  };
  ctx.events.emit(`operation:${name}`, event);
  ctx.events.emit('operation:transition', event);
  if (MAKES_DUE.has(name)) wakeOtherProcesses(ctx.database);
}

const wakers = new WeakMap<EngineContext['database'], { busy: boolean; again: boolean }>();
/** Least time between two NOTIFYs of one process: a burst of writes wakes the workers once per window. */
const WAKE_WINDOW_MS = 10;

/**
 * NOTIFY after the commit, throttled: the first write after a quiet spell is announced at once, a burst
 * costs at most one NOTIFY per WAKE_WINDOW_MS (a worker woken once claims everything due), and the
 * request never waits for it. PGlite is one process: the in-process event is enough.
 */
function wakeOtherProcesses(database: EngineContext['database']): void {
  if (database.kind !== 'postgres') return;
  let w = wakers.get(database);
  if (!w) wakers.set(database, (w = { busy: false, again: false }));
  if (w.busy) {
    w.again = true;
    return;
  }
  const waker = w;
  waker.busy = true;
  const send = (): void => {
    waker.again = false;
    // A lost NOTIFY costs a poll interval, never work (the row is due either way).
    database
      .notify(DUE_CHANNEL, '')
      .catch(() => {})
      .finally(() =>
        setTimeout(() => {
          if (waker.again) send();
          else waker.busy = false;
        }, WAKE_WINDOW_MS).unref(),
      );
  };
  send();
}

export type NewOperation = Omit<
  typeof resourceOperations.$inferInsert,
  'status' | 'attempts' | 'leaseOwner' | 'leaseUntil' | 'nextAttemptAt' | 'sourceName' | 'fleetRef'
>;

/**
 * submit / submit_sync: the operation row, inside the caller's transaction (with its idempotency key and
 * its `created` event). A sync operation is leased to its request (the worker leaves it alone) and its one
 * attempt counted; should the process die mid-call, the lease expires and a worker takes it over.
 */
export async function insertOperation(
  tx: Db,
  values: NewOperation,
  sync?: { owner: string; leaseMs: number },
): Promise<OperationRow> {
  const [row] = await tx
    .insert(resourceOperations)
    .values({
      ...values,
      // The connection's TSP and fleet_ref as they are now: what the operation's reads show (Catena's
      // source_name and fleet_ref), read in this same statement.
      sourceName: sql`(SELECT tsp FROM connections WHERE id = ${values.connectionId})`,
      fleetRef: sql`(SELECT fleet_ref FROM connections WHERE id = ${values.connectionId})`,
      status: 'pending',
      attempts: sync ? 1 : 0,
      leaseOwner: sync ? sync.owner : null,
      leaseUntil: sync ? sql`now() + ${ms(sync.leaseMs)}` : null,
      nextAttemptAt: sql`now()`,
    })
    .returning();
  await enqueueOperationEvent(tx, row!, 'resource_operation.created');
  return row!;
}

/** What a submit knows of its connection: checked again by the statement that stores the write. */
export interface ExpectedConnection {
  id: string;
  partnerId: string;
  tsp: string;
  /** The statuses in which it takes this write. */
  statuses: readonly string[];
}

/**
 * submit / submit_sync in one statement (no transaction round trips): the operation with its `created`
 * deliveries, if the connection is still the partner's, live, in one of `conn.statuses` and of `conn.tsp`.
 * A sync operation is leased to its request as insertOperation leases it. `eventItem` is the event's
 * record as viewOperation makes it from the row; the statement puts in the database's times. Undefined
 * (nothing written) when the connection is not as expected: the caller reads it again.
 */
export async function insertSubmitted(
  ctx: Pick<EngineContext, 'database'>,
  conn: ExpectedConnection,
  values: SubmittedValues,
  eventItem: (row: OperationRow) => unknown,
  sync?: { owner: string; leaseMs: number },
): Promise<OperationRow | undefined> {
  const { draft, params } = submitParams(conn, values, eventItem, sync);
  const [raw] = await ctx.database.query<Record<string, unknown>>(SUBMIT, params, 'fg_submit');
  return raw && asInserted(draft, raw);
}

/** The row as the statement inserted it: what was sent, with what the database decided (SUBMIT_DECIDED). */
function asInserted(draft: OperationRow, raw: Record<string, unknown>): OperationRow | undefined {
  if (raw['o.id'] === null || raw['o.id'] === undefined) return undefined;
  const at = (column: string) => {
    const v = raw[`o.${column}`];
    return v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as string);
  };
  return {
    ...draft,
    connectionId: raw['o.connection_id'] as string,
    resourceId: (raw['o.resource_id'] as string | null) ?? null,
    createdAt: at('created_at')!,
    updatedAt: at('updated_at')!,
    nextAttemptAt: at('next_attempt_at'),
    budgetStartedAt: at('budget_started_at')!,
    leaseUntil: at('lease_until'),
    sourceName: raw['o.source_name'] as string,
    fleetRef: (raw['o.fleet_ref'] as string | null) ?? null,
  };
}

/**
 * submit_sync with the write's first rate-limit slot taken in the same statement (SUBMIT_WITH_SLOT):
 * the operation if it got the slot; else the wait for it, or that the connection is not as expected.
 */
export async function insertSubmittedWithSlot(
  ctx: Pick<EngineContext, 'database'>,
  conn: ExpectedConnection,
  values: SubmittedValues,
  eventItem: (row: OperationRow) => unknown,
  sync: { owner: string; leaseMs: number },
  slotStepMs: number,
): Promise<{ row: OperationRow } | { waitMs: number } | 'connection_changed'> {
  const { draft, params } = submitParams(conn, values, eventItem, sync);
  const [raw] = await ctx.database.query<Record<string, unknown> & { conn_found: boolean; slot_wait_ms: number | null }>(
    SUBMIT_WITH_SLOT,
    [...params, slotStepMs],
    'fg_submit_with_slot',
  );
  const row = raw && asInserted(draft, raw);
  if (row) return { row };
  if (!raw?.conn_found) return 'connection_changed';
  return { waitMs: Math.max(1, Math.ceil(Number(raw.slot_wait_ms ?? slotStepMs))) };
}

type SubmittedValues = Required<Pick<NewOperation, 'id' | 'resource' | 'operationType' | 'payload' | 'resourceId' | 'rateClass'>> &
  Pick<NewOperation, 'droppedFields' | 'ignoredFields' | 'sourceId'>;

/** SUBMIT's parameters $1-$19, and the row as it will be but for what the database decides. */
function submitParams(
  conn: ExpectedConnection,
  values: SubmittedValues,
  eventItem: (row: OperationRow) => unknown,
  sync?: { owner: string; leaseMs: number },
): { draft: OperationRow; params: unknown[] } {
  // The row as it will be, for the event's item; the statement replaces what only the database knows.
  const draft: OperationRow = {
    id: values.id,
    partnerId: conn.partnerId,
    connectionId: conn.id,
    resource: values.resource,
    operationType: values.operationType,
    sourceName: conn.tsp,
    fleetRef: null,
    payload: values.payload,
    droppedFields: values.droppedFields ?? [],
    ignoredFields: values.ignoredFields ?? [],
    status: 'pending',
    resourceId: values.resourceId,
    sourceId: values.sourceId ?? null,
    isSync: sync !== undefined,
    attempts: sync ? 1 : 0,
    attemptsBase: 0,
    budgetStartedAt: new Date(0),
    nextAttemptAt: new Date(0),
    rateClass: values.rateClass,
    leaseUntil: null,
    leaseOwner: sync?.owner ?? null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    deletedAt: null,
  };
  const params = [
    conn.partnerId,
    conn.id,
    conn.tsp,
    values.id,
    values.resource,
    values.operationType,
    JSON.stringify(values.payload),
    draft.droppedFields,
    draft.ignoredFields,
    values.resourceId,
    draft.sourceId,
    values.rateClass,
    JSON.stringify(eventItem(draft)),
    EVENT_SCHEMA_VERSION,
    draft.isSync,
    draft.attempts,
    draft.leaseOwner,
    sync?.leaseMs ?? null,
    conn.statuses,
  ];
  return { draft, params };
}

/** After the submit transaction committed: submit, or submit_sync for an operation leased to its request. */
export function announceSubmitted(ctx: Pick<EngineContext, 'events' | 'database'>, op: OperationRow): void {
  announce(ctx, op.leaseOwner ? 'submit_sync' : 'submit', op, null);
}

/** A leased operation with what its attempt needs, read with the lease (no second read). */
export interface Leased {
  op: OperationRow & { budgetAgeMs: number };
  conn: typeof connections.$inferSelect | undefined;
  /** The record it writes, as fleetgate last wrote it (none before a create succeeds). */
  current: typeof resources.$inferSelect | undefined;
}

export interface Claimed {
  id: string;
  /** The lease it replaced had expired: a takeover, not a first claim. */
  takeover: boolean;
  leased: Leased;
}

/**
 * claim / takeover: up to `limit` due operations leased to `owner`, attempt counted, in one statement
 * (statements.ts CLAIM_DUE), each returned with its connection and record. What is due:
 * - pending, next_attempt_at passed, and no live lease (an expired one is taken over: its holder died);
 * - not of a paused connection (it keeps its queue and sends nothing until resumed) nor of a failed one
 *   (the TSP refused its credentials) until credentials that work release it;
 * - its endpoint class (rate_class: the class of the next attempt's first call) has a rate-limit slot
 *   now: a busy class must not fill every claim with work it cannot send while other connections, and
 *   the same connection's other classes, wait;
 * - no earlier write to the same record still pending: writes to one record go to the TSP in the order
 *   they were submitted, one at a time (except for `unordered` resources, which are create-only).
 */
export async function claimDue(
  ctx: Pick<EngineContext, 'database' | 'events'>,
  owner: string,
  limit: number,
  leaseMs: number,
  /** Resources whose writes to one record need not wait for each other (create-only). */
  unordered: readonly string[] = [],
): Promise<Claimed[]> {
  return (await claimDueUntilNextSlot(ctx, owner, limit, leaseMs, unordered)).claimed;
}

/** claimDue, and the milliseconds until the earliest rate-limit slot still ahead (msUntilNextSlot), read with it. */
export async function claimDueUntilNextSlot(
  ctx: Pick<EngineContext, 'database' | 'events'>,
  owner: string,
  limit: number,
  leaseMs: number,
  unordered: readonly string[] = [],
): Promise<{ claimed: Claimed[]; nextSlotMs: number | undefined }> {
  const rows = await ctx.database.query<Record<string, unknown> & { takeover: boolean; budget_age_ms: number; next_slot_ms: number | string | null }>(
    CLAIM_DUE,
    [owner, leaseMs, limit, unordered],
    'fg_claim_due',
  );
  const claimed: Claimed[] = [];
  for (const r of rows) {
    const op = rowFrom(resourceOperations, r, 'o');
    if (!op) continue;
    announce(ctx, r.takeover ? 'takeover' : 'claim', op, r.takeover ? 'running' : 'queued');
    claimed.push({
      id: op.id,
      takeover: r.takeover,
      leased: { op: { ...op, budgetAgeMs: Number(r.budget_age_ms) }, conn: rowFrom(connections, r, 'c'), current: rowFrom(resources, r, 'r') },
    });
  }
  const wait = rows[0]?.next_slot_ms;
  return { claimed, nextSlotMs: wait === null || wait === undefined ? undefined : Math.max(1, Math.ceil(Number(wait))) };
}

/** The operation as its lease holder sees it, with the age of its budget on the database's clock. */
export async function loadLeased(db: Db, id: string, owner: string): Promise<(OperationRow & { budgetAgeMs: number }) | undefined> {
  // One round trip: the row and its budget's age, both read at the database's now().
  const [found] = await db
    .select({ row: resourceOperations, ageMs: sql<number | string>`EXTRACT(EPOCH FROM (now() - ${resourceOperations.budgetStartedAt})) * 1000` })
    .from(resourceOperations)
    .where(leasedBy(id, owner));
  return found ? { ...found.row, budgetAgeMs: Number(found.ageMs) } : undefined;
}

const leasedBy = (id: string, owner: string) =>
  sql`${resourceOperations.id} = ${id} AND ${resourceOperations.status} = 'pending' AND ${resourceOperations.leaseOwner} = ${owner}`;

/** defer: back to the queue after `waitMs`, the attempt not spent. False when the lease was lost. */
export async function defer(
  ctx: Pick<EngineContext, 'database' | 'events'>,
  op: OperationRow,
  owner: string,
  waitMs: number,
  /** rateClass: the endpoint class it waits for (the claim skips it until that class has a slot). */
  opts: { rateClass?: string } = {},
): Promise<boolean> {
  const moved = await ctx.database.db
    .update(resourceOperations)
    .set({
      attempts: sql`${resourceOperations.attempts} - 1`,
      ...(opts.rateClass !== undefined && { rateClass: opts.rateClass }),
      leaseOwner: null,
      leaseUntil: null,
      nextAttemptAt: sql`now() + ${ms(waitMs)}`,
    })
    .where(leasedBy(op.id, owner))
    .returning({ id: resourceOperations.id });
  if (moved.length) announce(ctx, 'defer', op, 'running');
  return moved.length > 0;
}

/**
 * hold: the TSP refused the connection's credentials. The attempt is logged (its number stays used) but
 * not spent: the budget's base moves up with it, as a defer gives the attempt back. The operation is
 * queued and due at once; the claim skips a failed connection's queue, so it waits there until working
 * credentials release it (resume). `within`, in the same transaction, fails the connection and enqueues
 * its event. False when the lease was lost.
 */
export async function holdForAuth(
  ctx: Pick<EngineContext, 'database' | 'events'>,
  op: OperationRow,
  owner: string,
  attempt: AttemptRecord,
  within: (tx: Db) => Promise<void>,
): Promise<boolean> {
  const held = await ctx.database.db.transaction(async (tx) => {
    const [moved] = await tx
      .update(resourceOperations)
      .set({
        attemptsBase: sql`${resourceOperations.attemptsBase} + 1`,
        leaseOwner: null,
        leaseUntil: null,
        nextAttemptAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(leasedBy(op.id, owner))
      .returning({ id: resourceOperations.id });
    if (!moved) return false;
    await tx.insert(operationLogs).values({
      resourceOperationId: op.id,
      attempt: op.attempts,
      status: 'failed',
      errorType: attempt.errorType ?? 'auth',
      errorDetails: attempt.errorDetails ?? null,
      responseStatusCode: attempt.statusCode,
      responseHeaders: attempt.headers,
      durationMs: Math.round(attempt.durationMs),
    });
    await within(tx);
    return true;
  });
  if (held) {
    announce(ctx, 'hold', op, 'running');
    announceAttempt(ctx, op, { ...attempt, errorType: attempt.errorType ?? 'auth' });
  }
  return held;
}

/** An attempt's answer, once its log entry is committed (as the log keeps it). */
function announceAttempt(ctx: Pick<EngineContext, 'events'>, op: OperationRow, attempt: AttemptRecord): void {
  ctx.events.emit('operation:attempt', {
    operationId: op.id,
    connectionId: op.connectionId,
    resource: op.resource,
    tsp: op.sourceName,
    ok: attempt.ok,
    statusCode: attempt.statusCode,
    errorType: attempt.errorType ?? null,
    durationMs: Math.round(attempt.durationMs),
  });
}

/** The attempt as its log entry keeps it: a failure without a class is logged as 'unknown'. */
const loggedAttempt = (attempt: AttemptRecord): AttemptRecord => ({ ...attempt, errorType: attempt.ok ? undefined : (attempt.errorType ?? 'unknown') });

/** What RECORD_ATTEMPT_ANSWER returns: the operation as the attempt left it and the attempt's log entry. */
export interface RecordedAnswer {
  op?: OperationRow;
  log?: typeof operationLogs.$inferSelect;
}

/** One attempt's record, as the operation log keeps it. */
export interface AttemptRecord {
  ok: boolean;
  statusCode: number | null;
  headers: Record<string, string>;
  errorType?: string;
  errorDetails?: string;
  durationMs: number;
  sourceId?: string;
}

/** The record a success writes (an upsert of the operation's record), with the TSP's own record of it. */
export interface RecordWrite {
  attributes: Record<string, unknown>;
  sourceId: string | null;
  sourceData: Record<string, unknown>;
}

/**
 * succeed / fail / retry_later: the attempt's outcome, its log entry, the operation's end event and
 * (on success) the record as written, all at once, whose state change is one compare-and-set on the
 * lease. With no webhook to tell, that is one statement (statements.ts RECORD_ATTEMPT); when a
 * subscription hears the end event, a transaction that also builds its deliveries.
 */
export async function recordAttempt(
  ctx: Pick<EngineContext, 'database' | 'events'>,
  op: OperationRow,
  owner: string,
  attempt: AttemptRecord,
  next: { retryInMs: number } | 'final',
  save?: RecordWrite,
  /** Filled with the operation as changed and its new log entry, when the one statement recorded it. */
  answer?: RecordedAnswer,
): Promise<'success' | 'failed' | 'retry' | 'lost'> {
  const name: TransitionName = attempt.ok ? 'succeed' : next === 'final' ? 'fail' : 'retry_later';
  const end: EventType | undefined = name === 'succeed' ? 'resource_operation.succeeded' : name === 'fail' ? 'resource_operation.failed' : undefined;
  const outcome = name === 'succeed' ? ('success' as const) : name === 'fail' ? ('failed' as const) : ('retry' as const);
  const status = name === 'retry_later' ? 'pending' : name === 'succeed' ? 'success' : 'failed';
  const sourceId = attempt.ok ? (attempt.sourceId ?? op.sourceId) : op.sourceId;
  const kept = attempt.ok && save ? keptRecord(save) : undefined;
  const [quick] = await ctx.database.query<{ moved: number; subscribed: boolean; op?: Record<string, unknown>; log?: Record<string, unknown> }>(
    answer ? RECORD_ATTEMPT_ANSWER : RECORD_ATTEMPT,
    [
      op.id,
      owner,
      status,
      sourceId,
      next !== 'final' && !attempt.ok ? next.retryInMs : null,
      op.attempts,
      attempt.ok ? 'success' : 'failed',
      attempt.ok ? null : (attempt.errorType ?? 'unknown'),
      attempt.errorDetails ?? null,
      attempt.statusCode,
      JSON.stringify(attempt.headers),
      Math.round(attempt.durationMs),
      end ?? null,
      kept !== undefined,
      kept ? JSON.stringify(kept.attributes) : null,
      kept ? JSON.stringify(kept.sourceData) : null,
      kept?.hash ?? null,
      kept?.sourceId ?? null,
    ],
    answer ? 'fg_record_attempt_answer' : 'fg_record_attempt',
  );
  if (quick && !quick.subscribed) {
    if (quick.moved === 0) return 'lost';
    if (answer && quick.op && quick.log) {
      answer.op = rowFrom(resourceOperations, quick.op, 'o');
      answer.log = rowFrom(operationLogs, quick.log, 'l');
    }
    announce(ctx, name, op, 'running');
    announceAttempt(ctx, op, loggedAttempt(attempt));
    return outcome;
  }
  const moved = await ctx.database.db.transaction(async (tx) => {
    const [row] = await tx
      .update(resourceOperations)
      .set({
        status,
        sourceId,
        nextAttemptAt: next !== 'final' && !attempt.ok ? sql`now() + ${ms(next.retryInMs)}` : null,
        leaseOwner: null,
        leaseUntil: null,
        updatedAt: sql`now()`,
      })
      .where(leasedBy(op.id, owner))
      .returning();
    if (!row) return false;
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
    if (attempt.ok && save) await saveRecord(tx, { id: row.resourceId!, partnerId: row.partnerId, connectionId: row.connectionId, resource: row.resource, ...save });
    // Partners hear of the end in the same transaction that records it: no event lost, none invented.
    if (end) await enqueueOperationEvent(tx, row, end);
    return true;
  });
  if (!moved) return 'lost';
  announce(ctx, name, op, 'running');
  announceAttempt(ctx, op, loggedAttempt(attempt));
  return outcome;
}

/**
 * The later writes (in submission order) to the record `operationId` writes that succeeded: retrying it
 * would put its values back over theirs.
 */
export const newerSuccessfulWrites = (operationId: string) => sql`
  SELECT n.id FROM resource_operations n JOIN resource_operations o ON o.id = ${operationId}
   WHERE n.resource_id = o.resource_id AND n.status = 'success'
     AND (n.created_at, n.id) > (o.created_at, o.id)
   ORDER BY n.created_at DESC, n.id DESC`;

/**
 * manual_retry: failed → queued with a fresh attempt budget (attempts keep counting: log numbers stay unique).
 * `unlessSuperseded`: not when a later write to the same record succeeded (checked in the same statement).
 */
export async function retryFailed(ctx: Pick<EngineContext, 'database' | 'events'>, op: OperationRow, opts: { unlessSuperseded?: boolean } = {}): Promise<boolean> {
  const superseded = opts.unlessSuperseded ? sql` AND NOT EXISTS (${newerSuccessfulWrites(op.id)})` : sql``;
  const rows = await ctx.database.db
    .update(resourceOperations)
    .set({
      status: 'pending',
      attemptsBase: sql`${resourceOperations.attempts}`,
      budgetStartedAt: sql`now()`,
      nextAttemptAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(sql`${resourceOperations.id} = ${op.id} AND ${resourceOperations.status} = 'failed'${superseded}`)
    .returning({ id: resourceOperations.id });
  if (rows.length) announce(ctx, 'manual_retry', op, 'failed');
  return rows.length > 0;
}

/**
 * cancel: queued → failed with a 'cancelled' log entry. An operation whose attempt is in flight cannot
 * be cancelled: the TSP may be applying it right now, and the record must say what happened there.
 */
export async function cancelQueued(ctx: Pick<EngineContext, 'database' | 'events'>, op: OperationRow): Promise<boolean> {
  const moved = await ctx.database.db.transaction(async (tx) => {
    const [row] = await tx
      .update(resourceOperations)
      .set({ status: 'failed', nextAttemptAt: null, updatedAt: sql`now()` })
      .where(
        sql`${resourceOperations.id} = ${op.id} AND ${resourceOperations.status} = 'pending'
            AND (${resourceOperations.leaseUntil} IS NULL OR ${resourceOperations.leaseUntil} < now())`,
      )
      .returning();
    if (!row) return false;
    await tx.insert(operationLogs).values({
      resourceOperationId: op.id,
      attempt: row.attempts,
      status: 'failed',
      errorType: 'cancelled',
      errorDetails: 'cancelled by the partner',
      responseStatusCode: null,
      responseHeaders: {},
      durationMs: 0,
    });
    await enqueueOperationEvent(tx, row, 'resource_operation.failed');
    return true;
  });
  if (moved) announce(ctx, 'cancel', op, 'queued');
  return moved;
}

/**
 * resume: the connection is active again (resumed after a pause, or revived by credentials that work
 * after it failed). A paused or failed connection's operations are never claimed (they keep their place
 * in the queue); on resume every one not in flight is due now, and every process hears.
 */
export async function resumeConnection(ctx: Pick<EngineContext, 'database' | 'events'>, connectionId: string): Promise<number> {
  const rows = await ctx.database.db
    .update(resourceOperations)
    .set({ nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      sql`${resourceOperations.connectionId} = ${connectionId} AND ${resourceOperations.status} = 'pending'
          AND ${resourceOperations.leaseOwner} IS NULL`,
    )
    .returning({
      id: resourceOperations.id,
      connectionId: resourceOperations.connectionId,
      resource: resourceOperations.resource,
      sourceName: resourceOperations.sourceName,
    });
  for (const r of rows) announce(ctx, 'resume', r, 'queued');
  return rows.length;
}

/**
 * Retention, not a transition (no phase changes; a terminal operation leaves the table): at most `limit`
 * operations that ended (success or failed) and have not changed for `olderThanDays` on the database's
 * clock are deleted, each with its attempt log and any idempotency key still naming it, in one
 * statement. A pending operation is never touched, and neither is one a partner is retrying right now
 * (SKIP LOCKED: its row is locked by that compare-and-set). Returns how many went.
 */
export async function deleteEndedOperations(db: Db, olderThanDays: number, limit: number): Promise<number> {
  const res = (await db.execute(sql`
    WITH doomed AS (
      SELECT id FROM resource_operations
       -- created_at (indexed for this) bounds the scan; updated_at is when it ended, or was last retried.
       WHERE status <> 'pending' AND created_at < now() - ${olderThanDays} * interval '1 day'
         AND updated_at < now() - ${olderThanDays} * interval '1 day'
       LIMIT ${limit}
       FOR UPDATE SKIP LOCKED),
    logs AS (DELETE FROM operation_logs WHERE resource_operation_id IN (SELECT id FROM doomed)),
    idem AS (DELETE FROM idempotency_keys WHERE resource_operation_id IN (SELECT id FROM doomed))
    DELETE FROM resource_operations o USING doomed WHERE o.id = doomed.id AND o.status <> 'pending'
    RETURNING o.id`)) as unknown as Rows<{ id: string }>;
  return res.rows.length;
}
