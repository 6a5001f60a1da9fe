// The one retry classifier: a failed attempt's error type (and the TSP's Retry-After) decides
// whether the operation is tried again and when.
import type { ErrorType } from '../../tsps/kit/types.ts';

export interface RetryPolicy {
  maxAttempts: number;
  maxAgeMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}


// Rate limits, 5xx, network errors and timeouts pass; auth, validation and not-found would fail the
// same way again. A conflict on a create means the user may already exist at the TSP: the next
// attempt looks it up by fleetgate's external id and adopts it.
const RETRYABLE: ReadonlySet<ErrorType> = new Set(['rate_limited', 'transient', 'timeout', 'unknown']);

export function isRetryable(errorType: ErrorType | undefined, operation: 'create' | 'update'): boolean {
  if (!errorType) return false;
  return RETRYABLE.has(errorType) || (errorType === 'conflict' && operation === 'create');
}

/** Exponential back-off with jitter (50–100 % of the step), never sooner than Retry-After. */
export function nextDelayMs(attempt: number, retryAfterMs: number | undefined, policy: RetryPolicy, random = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(step * (0.5 + random() / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}

export interface RetryDecision {
  retry: boolean;
  delayMs: number;
}

export function decideRetry(
  input: {
    errorType: ErrorType | undefined;
    operation: 'create' | 'update';
    /** Attempts spent in the current budget (1 after the first). */
    attempt: number;
    /** Age of the current budget. */
    ageMs: number;
    retryAfterMs?: number;
    sync: boolean;
    /** The attempt's deadline: how long fleetgate waited before it gave up (timeouts). */
    timeoutMs?: number;
  },
  policy: RetryPolicy,
): RetryDecision {
  // Synchronous callers own their retries (the contract says so): one attempt, then terminal.
  if (input.sync || !isRetryable(input.errorType, input.operation)) return { retry: false, delayMs: 0 };
  if (input.attempt >= policy.maxAttempts) return { retry: false, delayMs: 0 };
  // A create that timed out may still be running at the TSP (a request the client gave up on is often
  // finished anyway). It is not tried again before one more deadline has passed, so that the retry's
  // lookup sees what the first attempt made: where nothing at the TSP is unique (a message, a fuel
  // purchase) a resend found nothing would otherwise make a second one.
  const settle = input.errorType === 'timeout' && input.operation === 'create' ? (input.timeoutMs ?? 0) : 0;
  const delayMs = Math.max(nextDelayMs(input.attempt, input.retryAfterMs, policy), settle);
  if (input.ageMs + delayMs > policy.maxAgeMs) return { retry: false, delayMs: 0 };
  return { retry: true, delayMs };
}
