// The background worker: claims due operations (FOR UPDATE SKIP LOCKED, with a lease) and executes
// them through the same path as is_sync requests. Any number of workers may share one PostgreSQL;
// on PGlite the worker lives in the server process.
import { randomUUID } from 'node:crypto';
import { executeOperation } from '../engine/execute.ts';
import { claimDue } from '../engine/operations/reads.ts';
import { msUntilNextSlot } from '../engine/policy/ratelimit.ts';
import type { Services } from '../platform/services.ts';
import { claimDeliveries, deliver } from '../engine/outbox/delivery.ts';

export interface WorkerOptions {
  concurrency?: number;
  pollMs?: number;
  /** How long a claim is held; must outlast one TSP call. An expired lease lets another worker take over. */
  leaseMs?: number;
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
  const inflight = new Set<Promise<unknown>>();
  let running = true;
  let wakeUp: (() => void) | undefined;
  const wake = () => wakeUp?.();
  services.events.on('operation.queued', wake);

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  // Sleep no longer than until a rate-limited connection's next slot, so paced work leaves on time.
  const untilNextSlot = async () => {
    try {
      const ms = await msUntilNextSlot(services.database.db);
      return ms === undefined ? pollMs : Math.min(pollMs, ms);
    } catch {
      return pollMs;
    }
  };

  const loop = (async () => {
    while (running) {
      const free = concurrency - inflight.size;
      let claimed: string[] = [];
      if (free > 0) {
        try {
          claimed = await claimDue(services.database.db, id, free, leaseMs);
        } catch (err) {
          // The database may be restarting: keep polling, do not die.
          services.logger.warn({ err: { message: (err as Error).message } }, 'worker: claim failed');
        }
      }
      for (const opId of claimed) {
        const p = executeOperation(services, opId, { owner: id, timeoutMs, sync: false })
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
      if (claimed.length === 0 || claimed.length < free) await sleep(await untilNextSlot());
    }
  })();

  // Webhook deliveries run beside operations, with their own small concurrency.
  const deliveriesLoop = (async () => {
    while (running) {
      let claimed: Awaited<ReturnType<typeof claimDeliveries>> = [];
      try {
        claimed = await claimDeliveries(services, 4);
        await Promise.allSettled(claimed.map((d) => deliver(services, d)));
      } catch (err) {
        services.logger.warn({ err: { message: (err as Error).message } }, 'worker: webhook delivery failed');
      }
      if (running && claimed.length === 0) await new Promise((r) => setTimeout(r, pollMs));
    }
  })();

  return {
    id,
    async stop() {
      running = false;
      services.events.off('operation.queued', wake);
      wake();
      await loop;
      await deliveriesLoop;
      await Promise.allSettled([...inflight]);
    },
    async idle() {
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
  };
}
