// Accepting a write of any declared resource: check it against the connection's TSP, record the
// operation (and its idempotency key and `created` event) in one transaction, then run it now
// (is_sync) or leave it to the worker. Nothing here names a resource: the declaration says it all.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { ResourceOperationView } from '../contract/common/operations.ts';
import type { OperationType } from '../contract/enums.ts';
import { resourceOperations } from '../db/schema.ts';
import { readConnectionRow } from '../accounts/connections.ts';
import type { ConnectionRow } from '../accounts/connections.ts';
import { AppError, conflict, notFound, notImplemented, validationFailed } from '../platform/errors.ts';
import { adapterFor } from '../tsps/registry.ts';
import { DEFAULT_RATE_CLASS } from '../tsps/kit/types.ts';
import type { Attributes, ResourceAdapter, Write } from '../tsps/kit/types.ts';
import type { EngineContext } from './context.ts';
import { executeOperation } from './execute.ts';
import { claimKey, liveKey, replayOrConflict, Replay, requestHash } from './idempotency.ts';
import { announceSubmitted, insertOperation, insertSubmitted, insertSubmittedWithSlot } from './operations/machine.ts';
import type { RecordedAnswer } from './operations/machine.ts';
import { loadOperationAtOnce, viewOperation } from './operations/reads.ts';
import type { OperationRow } from './operations/reads.ts';
import { intervalMs, rateLimitOf, waitForSlot } from './policy/ratelimit.ts';
import type { PrepaidSlot } from './policy/ratelimit.ts';
import { findRecord } from './records.ts';
import { resolveReferences } from './references.ts';
import type { Catalog, ResourceDefinition } from './resource.ts';

export interface SubmitInput {
  partnerId: string;
  resource: ResourceDefinition;
  operation: OperationType;
  /** The body as accepted (connection_id + attributes). */
  body: { connection_id: string } & Record<string, unknown>;
  /** For updates: fleetgate's id of the record. */
  recordId?: string;
  isSync: boolean;
  idempotencyKey?: string;
  /**
   * Body fields the contract does not know, which validation dropped (Catena ignores them): listed on
   * the operation. Not part of the idempotency fingerprint: the fingerprint is of the write (what is
   * stored and sent to the TSP), which an ignored field changes in nothing, so a retry that differs
   * only in ignored fields replays the first operation (whose list is the first request's).
   */
  ignoredFields?: string[];
}

export interface SubmitResult {
  operation: ResourceOperationView;
  replayed: boolean;
}

/** The operation as it is stored now (a replay's, or a sync write's once executed). */
const asStored = async (ctx: EngineContext, opId: string, replayed: boolean): Promise<SubmitResult> => ({
  operation: await loadOperationAtOnce(ctx.database, opId),
  replayed,
});

/**
 * The resource's adapter at this TSP. The TSP's API cannot do this write (not_supported): a 422 at
 * body.connection_id, the connection being what names the TSP. fleetgate has no adapter for it yet
 * (not_implemented): Catena's 501.
 */
function resourceAdapterFor(catalog: Catalog, tsp: string, input: SubmitInput, connectionId: string): { adapter: ResourceAdapter; displayName: string } {
  const tspAdapter = adapterFor(tsp, catalog.tsps);
  if (!tspAdapter) throw new AppError(500, `No adapter for TSP ${tsp}`);
  const adapter = tspAdapter.resources[input.resource.name];
  const capability = adapter?.operations[input.operation] ?? 'not_implemented';
  const why = adapter?.reasons?.[input.operation];
  const what = `${input.resource.name} ${input.operation}${why ? `: ${why}` : ''}`;
  if (!adapter || capability === 'not_implemented') throw notImplemented(`fleetgate has no ${tspAdapter.displayName} adapter for ${what}`);
  if (capability !== 'implemented') {
    throw validationFailed([
      { path: ['body', 'connection_id'], input: connectionId, message: `${tspAdapter.displayName} does not support ${what}`, error_type: 'unsupported_by_tsp' },
    ]);
  }
  return { adapter, displayName: tspAdapter.displayName };
}

async function refuseIfEarlierPending(db: EngineContext['database']['db'], def: ResourceDefinition, recordId: string): Promise<void> {
  const [earlier] = await db
    .select({ id: resourceOperations.id })
    .from(resourceOperations)
    .where(and(eq(resourceOperations.resourceId, recordId), eq(resourceOperations.status, 'pending')))
    .limit(1);
  if (earlier) {
    throw conflict(`An earlier write to this ${def.name} is still pending; send this one without is_sync to queue it behind, or retry later`, {
      pending_operation_id: earlier.id,
    });
  }
}

/**
 * Per database: the TSP of each (partner, connection) that last took an async write, so the next one
 * needs no read of the connection. Never trusted: the statement that stores the write checks the
 * connection again (the partner's, live, accepting writes, that TSP), so a connection deleted, paused or
 * changed by any process is seen by the very next write, which then reads it afresh.
 */
const knownConnections = new WeakMap<EngineContext['database'], Map<string, string>>();
const KNOWN_CONNECTIONS_MAX = 10_000;

function known(ctx: EngineContext): Map<string, string> {
  let m = knownConnections.get(ctx.database);
  if (!m) knownConnections.set(ctx.database, (m = new Map()));
  return m;
}

/** The partner's connection, if it takes this write: 404 at body.connection_id, or 409. */
async function readConnection(ctx: EngineContext, input: SubmitInput, connectionId: string): Promise<ConnectionRow> {
  const conn = await readConnectionRow(ctx.database, input.partnerId, connectionId).catch((err: unknown) => {
    // A connection the partner cannot see is a problem with the body, reported at its path.
    if (err instanceof AppError && err.status === 404) throw notFound('Connection', `body.connection_id: no connection ${connectionId}`);
    throw err;
  });
  // A failed connection (the TSP refused its credentials) keeps taking queued writes: they wait with the
  // rest of its queue until credentials that work release it. A sync write cannot wait.
  if (conn.status === 'failed' && input.isSync) {
    throw conflict(`The connection failed (${conn.statusReason ?? 'its credentials were refused'}); send this write without is_sync to queue it until its credentials are updated`);
  }
  if (conn.status !== 'active' && conn.status !== 'failed') throw conflict(`The connection is ${conn.status}; writes are not accepted`);
  return conn;
}

export async function submitWrite(ctx: EngineContext, catalog: Catalog, input: SubmitInput): Promise<SubmitResult> {
  // An async write without a key is one statement that checks the connection itself (insertQueued), so
  // the connection's TSP may come from memory.
  const tsp = !input.isSync && !input.idempotencyKey ? known(ctx).get(`${input.partnerId}/${input.body.connection_id}`) : undefined;
  if (tsp !== undefined) {
    try {
      return await submitVia(ctx, catalog, input, { tsp });
    } catch (err) {
      // A refusal found with a remembered connection (or one it no longer is) is made again with the
      // connection read: a connection gone or paused is reported first, as it always is.
      if (!(err instanceof StaleConnection || (err instanceof AppError && err.status < 500))) throw err;
    }
  }
  const row = await readConnection(ctx, input, input.body.connection_id);
  return submitVia(ctx, catalog, input, { tsp: row.tsp, row });
}

/** The remembered connection is not as remembered: nothing was written. */
class StaleConnection extends Error {}

async function submitVia(ctx: EngineContext, catalog: Catalog, input: SubmitInput, via: { tsp: string; row?: ConnectionRow }): Promise<SubmitResult> {
  const db = ctx.database.db;
  const def = input.resource;
  const { connection_id: connectionId, ...changes } = input.body;
  const { tsp, row } = via;
  const current = input.operation === 'update' ? await findRecord(db, def, input.partnerId, input.recordId!) : undefined;
  if (input.operation === 'update') {
    if (!current) throw notFound(def.title);
    if (current.connectionId !== connectionId) {
      throw validationFailed([
        { path: ['body', 'connection_id'], input: connectionId, message: `the ${def.name} belongs to another connection`, error_type: 'connection_mismatch' },
      ]);
    }
  }

  // Only the adapter is needed here; the credentials stay sealed until a call is made.
  const { adapter, displayName } = resourceAdapterFor(catalog, tsp, input, connectionId);
  const recordId = input.recordId ?? randomUUID();
  // Ids of other records (a message's recipient, a fuel transaction's vehicle) must name the partner's
  // records on this connection, already at the TSP: refused here, naming the field, if not.
  const references = await resolveReferences(db, def, input.partnerId, connectionId, changes, (field) => adapter.fields[field] === 'not_stored');
  if (!references.ok) throw validationFailed(references.problems);
  const write: Write = {
    operation: input.operation,
    changes,
    merged: def.merge(current?.attributes as Attributes | undefined, changes),
    externalId: recordId,
    sourceId: current?.sourceId ?? undefined,
    refs: references.refs,
  };
  // Refused now, before anything is written: a value the TSP cannot represent would only fail later.
  const mapped = adapter.map(write);
  if (!mapped.ok) {
    throw validationFailed(
      mapped.refusals.map((r) => ({
        path: ['body', r.field],
        input: r.input,
        // Name the TSP once, whether or not the adapter's message already does.
        message: r.message.startsWith(displayName) ? r.message : `${displayName}: ${r.message}`,
        error_type: 'unsupported_by_tsp',
      })),
    );
  }

  // The endpoint class of the write's first call: the queue holds it until that class has a slot.
  const rateClass = adapter.rateClass?.(input.operation) ?? DEFAULT_RATE_CLASS;
  // The fingerprint a key remembers: only a write with a key needs it (canonical JSON and SHA-256 per write).
  const hash = input.idempotencyKey
    ? requestHash({ resource: def.name, op: input.operation, record: input.recordId ?? null, body: input.body, sync: input.isSync })
    : '';
  const opId = randomUUID();
  const syncOwner = `sync:${opId}`;
  let stored: OperationRow | undefined;
  const syncLease = input.isSync ? { owner: syncOwner, leaseMs: ctx.config.syncTimeoutMs + 60_000 } : undefined;
  const values = {
    id: opId,
    resource: def.name,
    operationType: input.operation,
    payload: input.body,
    droppedFields: mapped.dropped,
    ignoredFields: input.ignoredFields ?? [],
    resourceId: recordId,
    sourceId: current?.sourceId ?? null,
    rateClass,
  };
  // A sync write cannot wait in a failed connection's queue (refused above, checked again here).
  const expected = { id: connectionId, partnerId: input.partnerId, tsp, statuses: input.isSync ? ['active'] : ['active', 'failed'] };
  const eventItem = (draft: OperationRow) => viewOperation(draft, []);
  const m = known(ctx);
  const connKey = `${input.partnerId}/${connectionId}`;
  const changedMeanwhile = () => {
    m.delete(connKey);
    return conflict('The connection changed while the write was being accepted; send it again');
  };
  // A sync call waits for the connection's rate-limit slot within its budget, before anything is
  // stored; past the budget the partner gets a 429 with the wait, and nothing was written.
  let prepaid: PrepaidSlot | undefined;
  if (input.isSync) {
    // A replay answers from the stored operation and must not spend a rate-limit slot of the TSP's.
    const existing = input.idempotencyKey ? await liveKey(db, input.partnerId, input.idempotencyKey, ctx.clock) : undefined;
    if (existing) {
      const answer = replayOrConflict(existing, hash);
      if (answer instanceof Replay) return asStored(ctx, answer.operationId, true);
      throw answer;
    }
    // A sync write always read its connection (its rate limit is in the connection's settings).
    const perMinute = rateLimitOf(row!, adapterFor(tsp, catalog.tsps)!, rateClass);
    if (!input.idempotencyKey && !(current && def.orderedWrites)) {
      // Without a key, the slot is taken by the statement that stores the write: one round trip.
      prepaid = await waitForSlot(ctx, { id: connectionId, tsp }, rateClass, perMinute, async () => {
        const got = await insertSubmittedWithSlot(ctx, expected, values, eventItem, syncLease!, intervalMs(perMinute));
        if (got === 'connection_changed') throw changedMeanwhile();
        if ('waitMs' in got) return { ok: false, waitMs: got.waitMs };
        stored = got.row;
        return { ok: true };
      });
    } else {
      prepaid = await waitForSlot(ctx, { id: connectionId, tsp }, rateClass, perMinute);
      // A sync update runs now; it must not overtake (or race) an earlier write to the same record. Checked
      // after the wait for the slot, which may be long on a slow endpoint class, so nothing queued meanwhile
      // slips past.
      if (current && def.orderedWrites) await refuseIfEarlierPending(db, def, current.id);
    }
  }
  if (!stored && !input.idempotencyKey) {
    stored = await insertSubmitted(ctx, expected, values, eventItem, syncLease);
    if (!stored) {
      // The connection is not as remembered (submitWrite reads it and tries again), or it changed between
      // the read and the insert (a delete or pause committed in between): nothing was written.
      if (!row) {
        m.delete(connKey);
        throw new StaleConnection();
      }
      throw changedMeanwhile();
    }
    if (!input.isSync) {
      if (m.size >= KNOWN_CONNECTIONS_MAX) m.clear();
      m.set(connKey, tsp);
    }
  } else if (!stored) {
    try {
      await db.transaction(async (tx) => {
        stored = await insertOperation(tx, { ...values, partnerId: input.partnerId, connectionId, isSync: input.isSync }, syncLease);
        await claimKey(tx, ctx.clock, input.partnerId, input.idempotencyKey!, hash, opId);
      });
    } catch (err) {
      if (err instanceof Replay) return asStored(ctx, err.operationId, true);
      throw err;
    }
  }
  announceSubmitted(ctx, stored!);

  if (!input.isSync) {
    // The row as inserted (a new operation has no attempt yet): no second read of what was just written.
    return { operation: viewOperation(stored!, []), replayed: false };
  }
  // Everything the attempt needs was read for this request: the row just stored (its budget began now),
  // the connection and the record it updates.
  const leased = { op: { ...stored!, budgetAgeMs: 0 }, conn: row, current };
  const answer: RecordedAnswer = {};
  await executeOperation(ctx, catalog, opId, { owner: syncOwner, timeoutMs: ctx.config.syncTimeoutMs, sync: true, prepaid, leased, answer });
  // The statement that recorded the attempt returned it (its one log entry): no read of what was just written.
  if (answer.op && answer.log) return { operation: viewOperation(answer.op, [answer.log]), replayed: false };
  return asStored(ctx, opId, false);
}
