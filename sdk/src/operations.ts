// Waiting for a resource operation to end. Polling is the floor (it needs nothing from the partner's
// side); a webhook event, handed over by the partner's receiver after verifying it, ends the wait at
// once. Both lead to the same answer: the operation as GET .../resource-operations/{id} shows it.
import { FleetgateAuthError, FleetgateError, OperationFailedError, OperationTimeoutError } from './errors.ts';
import type { ResourceOperation } from './errors.ts';
import type { WebhookEnvelope } from './webhooks.ts';

export interface WaitOptions {
  /** Give up after this long (default 60 s): OperationTimeoutError, the operation may still end later. */
  timeoutMs?: number;
  /** First pause between polls (default 250 ms); doubled after each poll still pending, up to maxDelayMs. */
  initialDelayMs?: number;
  /** Longest pause between polls (default 5 s). With webhooks, a long one costs nothing in latency. */
  maxDelayMs?: number;
  /** A failed operation resolves instead of throwing OperationFailedError. */
  resolveFailed?: boolean;
  signal?: AbortSignal;
}

type Fetcher = (connectionId: string, operationId: string, signal?: AbortSignal) => Promise<ResourceOperation>;
type Waiter = (op: ResourceOperation) => void;

const ENDED_EVENTS = new Set(['resource_operation.succeeded', 'resource_operation.failed']);

/** Who is waiting for which operation, so a webhook event can end their wait. */
export class OperationWaiters {
  private readonly waiting = new Map<string, Set<Waiter>>();

  /**
   * Hand a verified webhook envelope over: an operation's `succeeded` / `failed` event ends the waits
   * for it. Answers whether anyone was waiting. Other events are ignored.
   */
  deliver(envelope: Pick<WebhookEnvelope, 'event_name' | 'data'>): boolean {
    if (!ENDED_EVENTS.has(envelope.event_name)) return false;
    let woke = false;
    for (const record of envelope.data) {
      const op = record as ResourceOperation;
      const waiters = typeof op?.id === 'string' ? this.waiting.get(op.id) : undefined;
      if (!waiters || (op.status !== 'success' && op.status !== 'failed')) continue;
      for (const w of waiters) w(op);
      woke = true;
    }
    return woke;
  }

  subscribe(operationId: string, waiter: Waiter): () => void {
    const set = this.waiting.get(operationId) ?? new Set<Waiter>();
    set.add(waiter);
    this.waiting.set(operationId, set);
    return () => {
      set.delete(waiter);
      if (set.size === 0) this.waiting.delete(operationId);
    };
  }
}

export async function waitForOperation(
  fetchOperation: Fetcher,
  waiters: OperationWaiters,
  op: Pick<ResourceOperation, 'id' | 'connection_id'> & { status?: ResourceOperation['status'] },
  opts: WaitOptions = {},
): Promise<ResourceOperation> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const maxDelay = opts.maxDelayMs ?? 5_000;
  let delay = Math.min(opts.initialDelayMs ?? 250, maxDelay);
  const deadline = Date.now() + timeoutMs;
  let last: ResourceOperation | undefined;
  let fromWebhook: ResourceOperation | undefined;
  let pollError: unknown;
  let wake: (() => void) | undefined;
  const unsubscribe = waiters.subscribe(op.id, (ended) => {
    fromWebhook = ended;
    wake?.();
  });
  try {
    for (;;) {
      opts.signal?.throwIfAborted();
      let polled: ResourceOperation | undefined;
      try {
        polled = fromWebhook ?? (await fetchOperation(op.connection_id, op.id, opts.signal));
        pollError = undefined;
      } catch (err) {
        if (opts.signal?.aborted || !passing(err)) throw err;
        pollError = err;
      }
      // An event that arrived while the poll was in flight is as new as the poll, and ended.
      const current = fromWebhook ?? polled;
      if (current) last = current;
      if (current && current.status !== 'pending') return settle(current, opts);
      const left = deadline - Date.now();
      if (left <= 0) throw new OperationTimeoutError(last, timeoutMs, pollError);
      // Jittered, so many waiters started together do not poll in step.
      await sleep(Math.min(left, delay * (0.8 + Math.random() * 0.4)), opts.signal, (w) => (wake = w));
      wake = undefined;
      delay = Math.min(delay * 2, maxDelay);
      if (fromWebhook) return settle(fromWebhook, opts);
    }
  } finally {
    unsubscribe();
  }
}

/**
 * A poll failure worth polling through: the API unreachable (fetch's TypeError), overloaded (429) or
 * failing (5xx) says nothing about the operation, which goes on in the queue. Anything else (404, 403,
 * a refused token) will not change by asking again.
 */
const passing = (err: unknown) =>
  err instanceof TypeError || ((err instanceof FleetgateError || err instanceof FleetgateAuthError) && (err.status === 429 || err.status >= 500));

function settle(op: ResourceOperation, opts: WaitOptions): ResourceOperation {
  if (op.status === 'failed' && !opts.resolveFailed) throw new OperationFailedError(op);
  return op;
}

/** Sleeps `ms`, or less when woken (a webhook arrived) or aborted. */
function sleep(ms: number, signal: AbortSignal | undefined, onWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      resolve();
    };
    const aborted = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', aborted, { once: true });
    onWake(done);
  });
}
