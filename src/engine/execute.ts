// Executes one leased operation of any resource: the single code path for is_sync=true requests and
// the worker. The write is built (merged) and mapped once per attempt; the outcome is recorded by the
// state machine, timed by the database.
import { desc, eq } from 'drizzle-orm';
import { targetOf } from '../accounts/connections.ts';
import type { ConnectionRow } from '../accounts/connections.ts';
import { tokenKeeperFor } from '../accounts/credential-refresh.ts';
import { connections, operationLogs, resources } from '../db/schema.ts';
import { refusedAttempt } from '../tsps/kit/adapter-kit.ts';
import { SlotUnavailable } from '../tsps/kit/types.ts';
import type { Attempt, Attributes, ResourceAdapter, Write } from '../tsps/kit/types.ts';
import { adapterFor } from '../tsps/registry.ts';
import type { EngineContext } from './context.ts';
import { authFailureReason, failConnection } from './connection-health.ts';
import { defer, holdForAuth, loadLeased, recordAttempt } from './operations/machine.ts';
import type { Claimed, Leased, RecordedAnswer } from './operations/machine.ts';
import type { OperationRow } from './operations/reads.ts';
import { AttemptGate, intervalMs, pauseClass, rateLimitOf, takeSlotsAhead } from './policy/ratelimit.ts';
import type { PrepaidSlot, SlotsWanted } from './policy/ratelimit.ts';
import { decideRetry } from './policy/retry.ts';
import { sourceIdHeldByAnother } from './records.ts';
import { resolveReferences } from './references.ts';
import type { Catalog } from './resource.ts';
import { resourceNamed } from './resource.ts';

export interface ExecuteOptions {
  owner: string;
  timeoutMs: number;
  sync: boolean;
  signal?: AbortSignal;
  /** The rate-limit slot taken for this attempt before it began (a sync write's). */
  prepaid?: PrepaidSlot;
  /** The operation, its connection and record as the claim read them with the lease (else read here). */
  leased?: Leased;
  /**
   * A sync write's first attempt: filled with the operation and its log entry as recorded, when the
   * statement that recorded them returned them (then they are its whole answer).
   */
  answer?: RecordedAnswer;
}

/**
 * How long a call after an attempt's first waits for its class's slot (the attempt is under way: its
 * lookup or GET is done). Past it the operation goes back to the queue and the attempt starts over.
 */
export const LATER_CALL_WAIT_MS = 5_000;

/**
 * How long a queued attempt's first call waits for a slot in place. A slot this close (a busy worker's
 * batch holds several operations of one connection, whose slots are a few ms apart at high limits) is
 * cheaper to wait for than to give the operation back and claim it again (three statements and a share
 * of a claim); one further away sends the operation back to the queue, holding no place of the worker.
 */
export const QUEUED_FIRST_WAIT_MS = 25;

/**
 * The first calls' slots of a claimed batch, in one statement (instead of one per call): per (connection,
 * class), consecutive slots for its operations, as many as fall within QUEUED_FIRST_WAIT_MS of the
 * first (the rest take their own when they call, as every call did before). By operation id.
 */
export async function prepaySlots(ctx: Pick<EngineContext, 'database'>, catalog: Catalog, claimed: Claimed[]): Promise<Map<string, PrepaidSlot>> {
  const groups = new Map<string, { want: SlotsWanted; ids: string[] }>();
  for (const { id, leased } of claimed) {
    const conn = leased.conn;
    // What will not call (execute defers or fails it) takes no slot.
    if (!conn || conn.deletedAt || conn.status === 'paused' || conn.status === 'failed') continue;
    const tsp = adapterFor(conn.tsp, catalog.tsps);
    if (!tsp) continue;
    const rateClass = leased.op.rateClass;
    const key = `${conn.id}/${rateClass}`;
    let group = groups.get(key);
    if (!group) {
      group = { want: { connectionId: conn.id, rateClass, stepMs: intervalMs(rateLimitOf(conn, tsp, rateClass)), count: 0 }, ids: [] };
      groups.set(key, group);
    }
    if (group.want.count > 0 && group.want.count * group.want.stepMs > QUEUED_FIRST_WAIT_MS) continue;
    group.want.count++;
    group.ids.push(id);
  }
  const firsts = await takeSlotsAhead(ctx.database, [...groups.values()].map((g) => g.want));
  const out = new Map<string, PrepaidSlot>();
  for (const [key, { want, ids }] of groups) {
    const first = firsts.get(key);
    if (first) ids.forEach((id, i) => out.set(id, { rateClass: want.rateClass, at: first.at + i * want.stepMs, notBefore: first.notBefore + i * want.stepMs }));
  }
  return out;
}

/** How the log of an attempt stopped by fleetgate's own limit after a call went out says so. */
const AFTER_A_CALL = 'an earlier call of this attempt went out';

/**
 * deferred: the connection's rate limit had no slot (or it is paused or failed); the operation went back
 * to the queue untouched. held: the TSP refused the credentials; the connection failed and the operation
 * waits for working ones, its attempt logged but not spent.
 */
export type ExecuteOutcome = 'success' | 'failed' | 'retry' | 'deferred' | 'held' | 'lost';

/** The attributes the partner sent (the payload minus the connection it was sent against). */
export function changesOf(op: OperationRow): Attributes {
  const { connection_id: _ignored, ...changes } = op.payload as Record<string, unknown>;
  return changes;
}

const PAUSED_RECHECK_MS = 30_000;
// A Retry-After is honoured up to an hour: a TSP asking for more is treated as asking for an hour
// (a far-future value would otherwise overflow the database's timestamp range).
export const MAX_PAUSE_MS = 3600_000;
// When the TSP says 429 without a Retry-After, hold the connection this long.
const DEFAULT_429_PAUSE_MS = 10_000;

const failedBeforeCall = (errorType: Attempt['errorType'], errorDetails: string): Attempt => ({
  ok: false,
  statusCode: null,
  headers: {},
  errorType,
  errorDetails,
  durationMs: 0,
});

export async function executeOperation(ctx: EngineContext, catalog: Catalog, opId: string, opts: ExecuteOptions): Promise<ExecuteOutcome> {
  const db = ctx.database.db;
  const leased = opts.leased ?? (await readLeased(db, opId, opts.owner));
  if (!leased) return 'lost';
  const { op, conn, current } = leased;
  const def = resourceNamed(catalog, op.resource);

  let attempt: Attempt;
  let merged: Attributes | undefined;
  try {
    // Not retryable: no later attempt would find a declaration this process does not have.
    if (!def) return await record(ctx, op, failedBeforeCall('validation', `this fleetgate serves no resource named ${op.resource}`), undefined, opts);
    const changes = changesOf(op);
    // Updates compose on what fleetgate last wrote, so the adapter sees the record as it will be.
    merged = def.merge(current?.attributes as Attributes | undefined, changes);
    // The referenced records' TSP ids, read again for this attempt (checked at submit; not retryable if
    // they no longer resolve: no later attempt would find them either).
    const fields = conn ? adapterFor(conn.tsp, catalog.tsps)?.resources[op.resource]?.fields : undefined;
    const references = await resolveReferences(db, def, op.partnerId, op.connectionId, changes, (field) => fields?.[field] === 'not_stored');
    if (!references.ok) {
      const reasons = references.problems.map((p) => `${p.path.slice(1).join('.')}: ${p.message}`).join('; ');
      return await record(ctx, op, failedBeforeCall('validation', reasons), undefined, opts);
    }
    const write: Write = {
      operation: op.operationType as Write['operation'],
      changes,
      merged,
      externalId: op.resourceId!,
      sourceId: current?.sourceId ?? undefined,
      refs: references.refs,
      submittedAt: op.createdAt.toISOString(),
    };
    const outcome = await attemptWrite(ctx, catalog, op, conn, write, opts, current?.sourceData as Record<string, unknown> | undefined);
    if (outcome === 'deferred' || outcome === 'lost') return outcome;
    attempt = outcome;
  } catch (err) {
    // Whatever went wrong here (an adapter bug, credentials that no longer open) is recorded as a
    // failed attempt and counts against the budget: an operation never loops unrecorded.
    attempt = failedBeforeCall('unknown', `fleetgate could not complete the attempt: ${(err as Error).message}`);
  }
  return record(ctx, op, attempt, merged, opts, conn && { conn, displayName: adapterFor(conn.tsp, catalog.tsps)?.displayName ?? conn.tsp });
}

/** The leased operation with its connection and record, when no claim read them (three reads). */
async function readLeased(db: EngineContext['database']['db'], opId: string, owner: string): Promise<Leased | undefined> {
  const op = await loadLeased(db, opId, owner);
  if (!op) return undefined;
  const [conn] = await db.select().from(connections).where(eq(connections.id, op.connectionId));
  const [current] = op.resourceId ? await db.select().from(resources).where(eq(resources.id, op.resourceId)) : [];
  return { op, conn, current };
}

async function attemptWrite(
  ctx: EngineContext,
  catalog: Catalog,
  op: OperationRow,
  conn: ConnectionRow | undefined,
  write: Write,
  opts: ExecuteOptions,
  /** The TSP's record as fleetgate last kept it (an update's). */
  previousSourceData?: Record<string, unknown>,
): Promise<Attempt | 'deferred' | 'lost'> {
  const db = ctx.database.db;
  if (!conn || conn.deletedAt) return failedBeforeCall('not_found', 'the connection was deleted');
  // A paused connection keeps its queue; nothing is sent until the partner resumes it. A failed one
  // (claimed just before it failed) too: nothing is sent until credentials that work release it.
  if (conn.status === 'paused' || conn.status === 'failed') return (await defer(ctx, op, opts.owner, PAUSED_RECHECK_MS)) ? 'deferred' : 'lost';
  const tsp = adapterFor(conn.tsp, catalog.tsps);
  const adapter: ResourceAdapter | undefined = tsp?.resources[op.resource];
  if (!tsp || !adapter) return failedBeforeCall('validation', `${tsp?.displayName ?? conn.tsp} has no fleetgate adapter for ${op.resource}`);
  const { target } = targetOf(ctx, conn, catalog.tsps);
  // An OAuth token pair (Catena's authorization-code models) is refreshed when it expires or is refused.
  target.tokens = tokenKeeperFor(ctx, conn, tsp, target);
  // Mapped once for this attempt: the lookup and the write see the same native body.
  const mapped = adapter.map(write);
  // Submit checks refusals first; reaching here refused means the record changed underneath it.
  if (!mapped.ok) return refusedAttempt(mapped.refusals);
  // Every call takes a slot of its endpoint class (calls, not operations: a lookup and a create take two).
  const gate = new AttemptGate(ctx.database, conn.id, (rateClass) => rateLimitOf(conn, tsp, rateClass), {
    prepaid: opts.prepaid,
    // A sync write is owed its attempt now: its calls wait (within its budget) instead of queueing.
    firstWaitMs: Math.min(opts.sync ? LATER_CALL_WAIT_MS : QUEUED_FIRST_WAIT_MS, opts.timeoutMs),
    laterWaitMs: Math.min(LATER_CALL_WAIT_MS, opts.timeoutMs),
    onSleep: (rateClass, waitMs) => rateLimitWait(rateClass, 'slept', waitMs),
  });
  const rateLimitWait = (rateClass: string, outcome: 'slept' | 'deferred' | 'refused', waitMs: number) =>
    ctx.events.emit('ratelimit:wait', { connectionId: conn.id, tsp: conn.tsp, rateClass, outcome, waitMs });
  const callOpts = { timeoutMs: opts.timeoutMs, signal: opts.signal, gate };
  let attempt: Attempt | undefined;
  // A create tried again within its budget after an unknown outcome (a timeout, a 5xx, a lost answer, a
  // crash) whose TSP cannot say whether the earlier attempt landed: not sent blindly. After a refusal that
  // proves nothing was recorded (a 429) it is sent; so is the first attempt of a partner's manual retry.
  if (write.operation === 'create' && adapter.refindable === false && op.attempts - op.attemptsBase > 1 && !(await lastAttemptRecordedNothing(db, op))) {
    return failedBeforeCall(
      'validation',
      `not tried again automatically: an earlier attempt may have been recorded, and ${adapter.refindReason ?? `${tsp.displayName} gives no way to look it up`}. Check the fleet at ${tsp.displayName}, then retry the operation if it is not there.`,
    );
  }
  try {
    if (write.operation === 'create' && op.attempts > 1 && adapter.refindable !== false) {
      // An earlier attempt may have reached the TSP (timeout, reset, 5xx, lost answer, crash): look the
      // record up and adopt it rather than create a second one.
      const found = await adoptable(db, op, await adapter.findExisting(target, write, mapped.body, callOpts));
      if (!found.ok || found.found) attempt = found;
    }
    attempt ??= await adapter.send(target, write, mapped.body, callOpts);
    if (write.operation === 'create' && op.attempts > 1 && adapter.refindable !== false && attempt.errorType === 'validation') {
      // A slow TSP may apply an earlier attempt after the lookup above found nothing (it runs a request
      // the client gave up on): this refusal ("email already taken") may then be of our own record.
      // Once refused, that record exists if it ever will: look again, and adopt it if it is there.
      const late = await adoptable(db, op, await adapter.findExisting(target, write, mapped.body, callOpts));
      if (late.ok && late.found) attempt = late;
    }
  } catch (err) {
    if (!(err instanceof SlotUnavailable)) throw err;
    const limited = (why: string): Attempt => ({
      ...failedBeforeCall('rate_limited', `fleetgate's own limit: ${err.message} (the connection's limit for this class of ${tsp.displayName}'s API); ${why}`),
      retryAfterMs: err.waitMs,
    });
    // Nothing went out: back to the queue until that class has a slot, the attempt not spent.
    if (gate.passed === 0 && !opts.sync) {
      rateLimitWait(err.rateClass, 'deferred', err.waitMs);
      return (await defer(ctx, op, opts.owner, err.waitMs, { rateClass: err.rateClass })) ? 'deferred' : 'lost';
    }
    rateLimitWait(err.rateClass, 'refused', err.waitMs);
    // A sync write cannot wait in the queue: its attempt fails (its caller owns its retries). After a call
    // went out, the attempt is logged and spent like any other (its budget applies, and a create tried
    // again looks for what this one may have made). No class is paused: the TSP did not refuse anything.
    return limited(opts.sync ? 'a sync write does not wait in the queue; send it again, or without is_sync' : `${AFTER_A_CALL}; retried later`);
  }
  if (attempt.errorType === 'rate_limited' && gate.lastClass !== undefined) {
    // The 429 came from the last call let through: only that class of the connection pauses. (No call
    // of this attempt's went out when it shared another caller's Geotab login: that caller pauses it.)
    const pauseMs = Math.min(attempt.retryAfterMs ?? DEFAULT_429_PAUSE_MS, MAX_PAUSE_MS);
    await pauseClass(db, conn.id, gate.lastClass, pauseMs);
    ctx.events.emit('ratelimit:pause', { connectionId: conn.id, tsp: conn.tsp, rateClass: gate.lastClass, pauseMs });
  }
  // A TSP whose success answer carries no record of it: what it holds is the native record fleetgate
  // sent (an update's fields over the record last kept).
  if (attempt.ok && attempt.sourceData === undefined) {
    return { ...attempt, sourceData: write.operation === 'update' ? { ...previousSourceData, ...mapped.body } : mapped.body };
  }
  return attempt;
}

/**
 * A lookup's find, unless the record found is already another fleetgate record's (an identical message
 * another operation sent): adopting it would lose this write, so it counts as not found.
 */
async function adoptable(db: EngineContext['database']['db'], op: OperationRow, found: Attempt & { found: boolean }): Promise<Attempt & { found: boolean }> {
  if (!found.ok || !found.found || found.sourceId === undefined) return found;
  const taken = await sourceIdHeldByAnother(db, { connectionId: op.connectionId, resource: op.resource, sourceId: found.sourceId, recordId: op.resourceId! });
  return taken ? { ...found, found: false, sourceId: undefined } : found;
}

/**
 * Whether the attempt before this one ended in a way that proves the TSP recorded nothing: a 429 (the
 * TSP's or fleetgate's own limit). A missing log (the process died mid-call) or any other failure
 * (timeout, 5xx, unknown) leaves it open.
 */
async function lastAttemptRecordedNothing(db: EngineContext['database']['db'], op: OperationRow): Promise<boolean> {
  const [last] = await db
    .select({ attempt: operationLogs.attempt, errorType: operationLogs.errorType, statusCode: operationLogs.responseStatusCode, details: operationLogs.errorDetails })
    .from(operationLogs)
    .where(eq(operationLogs.resourceOperationId, op.id))
    .orderBy(desc(operationLogs.attempt), desc(operationLogs.createdAt))
    .limit(1);
  if (last === undefined || last.attempt !== op.attempts - 1) return false;
  // The TSP refused the credentials (an auth hold): it recorded nothing.
  if (last.errorType === 'auth') return true;
  // A 429, the TSP's or fleetgate's own before anything went out; not fleetgate's own after a call did.
  return last.errorType === 'rate_limited' && (last.statusCode === 429 || !(last.details ?? '').includes(AFTER_A_CALL));
}

/**
 * What a TSP sends back is stored as text: PostgreSQL refuses NUL and unpaired surrogates, which would
 * make the attempt impossible to record. They become U+FFFD.
 */
export function storable(text: string): string {
  return text.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

async function record(
  ctx: EngineContext,
  op: OperationRow & { budgetAgeMs: number },
  attempt: Attempt,
  merged: Attributes | undefined,
  opts: ExecuteOptions,
  /** The connection the attempt went through, and its TSP's name (from the catalog the attempt ran with). */
  via?: { conn: ConnectionRow; displayName: string },
): Promise<ExecuteOutcome> {
  if (!attempt.ok && attempt.errorType === 'auth' && via) return recordAuthFailure(ctx, op, attempt, opts, via.conn, via.displayName);
  const decision = attempt.ok
    ? { retry: false, delayMs: 0 }
    : decideRetry(
        {
          errorType: attempt.errorType,
          operation: op.operationType as Write['operation'],
          attempt: op.attempts - op.attemptsBase,
          // The age of the budget as the database measures it, like every other time the queue compares.
          ageMs: op.budgetAgeMs,
          retryAfterMs: attempt.retryAfterMs === undefined ? undefined : Math.min(attempt.retryAfterMs, MAX_PAUSE_MS),
          sync: opts.sync,
          timeoutMs: opts.timeoutMs,
        },
        ctx.config.retry,
      );
  return recordAttempt(
    ctx,
    op,
    opts.owner,
    {
      ok: attempt.ok,
      statusCode: attempt.statusCode,
      headers: Object.fromEntries(Object.entries(attempt.headers).map(([k, v]) => [storable(k), storable(v)])),
      errorType: attempt.errorType,
      errorDetails: attempt.errorDetails === undefined ? undefined : storable(attempt.errorDetails),
      durationMs: attempt.durationMs,
      sourceId: attempt.sourceId,
    },
    decision.retry ? { retryInMs: decision.delayMs } : 'final',
    { attributes: merged ?? {}, sourceId: attempt.sourceId ?? null, sourceData: attempt.sourceData ?? {} },
    // Only a first attempt's log entry is its whole log.
    op.attempts === 1 ? opts.answer : undefined,
  );
}

const loggable = (attempt: Attempt) => ({
  ok: false,
  statusCode: attempt.statusCode,
  headers: Object.fromEntries(Object.entries(attempt.headers).map(([k, v]) => [storable(k), storable(v)])),
  errorType: attempt.errorType,
  errorDetails: attempt.errorDetails === undefined ? undefined : storable(attempt.errorDetails),
  durationMs: attempt.durationMs,
});

/**
 * The TSP refused the connection's credentials: every other write through them would be refused too.
 * The connection fails (with the reason and its event) and its queue is held: this operation goes back
 * to it, its attempt logged but not spent. A sync caller is owed a finished operation (one attempt,
 * terminal), so a sync write fails; the connection fails all the same.
 */
async function recordAuthFailure(
  ctx: EngineContext,
  op: OperationRow & { budgetAgeMs: number },
  attempt: Attempt,
  opts: ExecuteOptions,
  conn: ConnectionRow,
  displayName: string,
): Promise<ExecuteOutcome> {
  const logged = loggable(attempt);
  const reason = storable(authFailureReason(displayName, op.id, attempt));
  if (!opts.sync) {
    const held = await holdForAuth(ctx, op, opts.owner, logged, async (tx) => {
      await failConnection(tx, conn, reason);
    });
    return held ? 'held' : 'lost';
  }
  const outcome = await recordAttempt(ctx, op, opts.owner, logged, 'final');
  if (outcome !== 'lost') await ctx.database.db.transaction((tx) => failConnection(tx, conn, reason));
  return outcome;
}
