// The background worker: claims due operations (FOR UPDATE SKIP LOCKED, with a lease) and executes
// them through the same path as is_sync requests. Any number of workers may share one PostgreSQL;
// on PGlite the worker lives in the server process.
import { randomUUID } from 'node:crypto';
import { PRODUCT_CATALOG } from '../catalog.ts';
import { executeOperation, prepaySlots } from '../engine/execute.ts';
import { claimDueUntilNextSlot, DUE_CHANNEL } from '../engine/operations/machine.ts';
import type { Claimed } from '../engine/operations/machine.ts';
import type { PrepaidSlot } from '../engine/policy/ratelimit.ts';
import type { Catalog } from '../engine/resource.ts';
import type { Services } from '../platform/services.ts';
import { claimDeliveries, deliver } from '../engine/outbox/index.ts';
import type { ClaimedDelivery } from '../engine/outbox/index.ts';
import { runRetention } from '../engine/retention.ts';

/** The longest a busy worker waits for more free places before it claims (see `settle`). */
const BATCH_WAIT_MS = 5;

export interface WorkerOptions {
  concurrency?: number;
  pollMs?: number;
  /** How long a claim is held; must outlast one TSP call. An expired lease lets another worker take over. */
  leaseMs?: number;
  /** The resources and TSPs this worker executes (default: the product's). */
  catalog?: Catalog;
  /** Time between two retention passes, jittered by ±20 % (default: the config's; 0: none). */
  retentionIntervalMs?: number;
}

export interface Worker {
  id: string;
  /**
   * Stop claiming, let in-flight attempts finish (each is bounded by the call budget), then resolve.
   * Nothing is cut short: an attempt cancelled halfway would spend budget and leave the TSP unsure.
   */
  stop(): Promise<void>;
  /** Resolves when nothing is in flight (tests). */
  idle(): Promise<void>;
}

export function startWorker(services: Services, opts: WorkerOptions = {}): Worker {
  const id = `worker:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = opts.concurrency ?? 4;
  const pollMs = opts.pollMs ?? 250;
  const timeoutMs = services.config.syncTimeoutMs;
  const leaseMs = opts.leaseMs ?? services.config.leaseMs;
  const catalog = opts.catalog ?? PRODUCT_CATALOG;
  const unordered = catalog.resources.filter((r) => !r.orderedWrites).map((r) => r.name);
  const inflight = new Set<Promise<unknown>>();
  let running = true;
  let wakeUp: (() => void) | undefined;
  let pendingWake = false;
  // A wake-up that arrives while the loop is busy is kept, so the next sleep returns at once.
  const wake = () => {
    if (wakeUp) wakeUp();
    else pendingWake = true;
  };
  // Work that became due in this process: the transitions that queue an operation.
  const unsubscribe = [
    services.events.on('operation:submit', wake),
    services.events.on('operation:manual_retry', wake),
    services.events.on('operation:resume', wake),
  ];
  // ... and in any other process sharing the PostgreSQL (LISTEN/NOTIFY), instead of at the next poll.
  const stopListening = services.database.listen(DUE_CHANNEL, wake).catch((err: unknown) => {
    services.logger.warn({ err: { message: (err as Error).message } }, 'worker: cannot listen for new work; polling only');
    return async () => {};
  });

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (pendingWake || !running) {
        pendingWake = false;
        return resolve();
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  // A claim is one statement however many it claims, and claims run one at a time: claiming for every
  // single place that frees up caps a busy worker at one operation per claim's round trip. With most
  // of its places still busy, the loop waits (briefly) for a few to free up and claims for them at once.
  const batch = Math.max(1, Math.floor(concurrency / 4));
  const settle = async () => {
    const until = performance.now() + BATCH_WAIT_MS;
    while (running && concurrency - inflight.size < batch && inflight.size > 0 && performance.now() < until) {
      await Promise.race([...inflight, new Promise((r) => setTimeout(r, Math.max(1, until - performance.now())))]);
    }
  };

  const loop = (async () => {
    while (running) {
      await settle();
      const free = concurrency - inflight.size;
      let claimed: Claimed[] = [];
      // Sleep no longer than until a rate-limited connection's next slot (read with the claim), so paced
      // work leaves on time.
      let nextSleep = pollMs;
      pendingWake = false;
      if (free > 0) {
        try {
          const got = await claimDueUntilNextSlot(services, id, free, leaseMs, unordered);
          claimed = got.claimed;
          if (got.nextSlotMs !== undefined) nextSleep = Math.min(pollMs, got.nextSlotMs);
        } catch (err) {
          // The database may be restarting: keep polling, do not die.
          services.logger.warn({ err: { message: (err as Error).message } }, 'worker: claim failed');
        }
      }
      // The batch's first calls take their rate-limit slots together.
      const prepaid = claimed.length
        ? await prepaySlots(services, catalog, claimed).catch((err: unknown) => {
            services.logger.warn({ err: { message: (err as Error).message } }, 'worker: slots not taken ahead');
            return new Map<string, PrepaidSlot>();
          })
        : new Map<string, PrepaidSlot>();
      for (const { id: opId, leased } of claimed) {
        const p = executeOperation(services, catalog, opId, { owner: id, timeoutMs, sync: false, leased, prepaid: prepaid.get(opId) })
          .then((outcome) => services.logger.debug({ operation_id: opId, outcome }, 'worker: attempt done'))
          .catch((err: unknown) => services.logger.error({ err, operation_id: opId }, 'worker: attempt crashed'))
          .finally(() => {
            inflight.delete(p);
            wake();
          });
        inflight.add(p);
      }
      // Full batch: look again at once. Otherwise wait for a wake-up or the next poll.
      if (!running) break;
      if (claimed.length === 0 || claimed.length < free) {
        await sleep(nextSleep);
        // Attempts that end in the same turn of the event loop free their places together: one claim
        // for all of them rather than one each.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  })();

  // Webhook deliveries run beside operations, with their own small concurrency. deliver() records
  // every attempt, failed or not; it rejects only when the database cannot take the record, and that
  // is logged here (the delivery is claimed again when its lease expires).
  const deliveriesLoop = (async () => {
    while (running) {
      let claimed: ClaimedDelivery[] = [];
      try {
        claimed = await claimDeliveries(services, 4);
        const results = await Promise.allSettled(claimed.map((d) => deliver(services, d)));
        results.forEach((r, i) => {
          if (r.status === 'rejected') {
            const message = r.reason instanceof Error ? r.reason.message : String(r.reason);
            services.logger.error({ err: { message }, delivery_id: claimed[i]!.id }, 'worker: webhook attempt not recorded');
          }
        });
      } catch (err) {
        services.logger.warn({ err: { message: (err as Error).message } }, 'worker: webhook delivery failed');
      }
      if (running && claimed.length === 0) await new Promise((r) => setTimeout(r, pollMs));
    }
  })();

  // Retention (engine/retention.ts): a pass every interval, jittered so that workers started together
  // do not all run theirs at once (several at a time are safe, only wasted: each skips what another
  // holds). The first pass waits one interval too: a restart loop must not turn into a deletion loop.
  const retentionMs = opts.retentionIntervalMs ?? services.config.retention.intervalMs;
  let cancelRetentionWait: (() => void) | undefined;
  const retentionWait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        cancelRetentionWait = undefined;
        resolve();
      }
      cancelRetentionWait = done;
    });
  const retentionLoop = (async () => {
    while (running && retentionMs > 0) {
      await retentionWait(retentionMs * (0.8 + Math.random() * 0.4));
      if (!running) break;
      try {
        const deleted = await runRetention(services, () => !running);
        if (Object.values(deleted).some((n) => n > 0)) services.logger.info({ deleted }, 'worker: retention pass');
      } catch (err) {
        services.logger.warn({ err: { message: (err as Error).message } }, 'worker: retention pass failed');
      }
    }
  })();

  return {
    id,
    async stop() {
      running = false;
      cancelRetentionWait?.();
      for (const off of unsubscribe) off();
      await (await stopListening)();
      wake();
      await loop;
      await deliveriesLoop;
      await retentionLoop;
      await Promise.allSettled([...inflight]);
    },
    async idle() {
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
  };
}
