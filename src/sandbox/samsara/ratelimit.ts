// Sliding-window rate limit per account (per token): Samsara documents 150 requests/s per token
// (providers.md). A request is admitted when fewer than N requests were admitted in the 1 s before it;
// 429s do not count, so a client that waits Retry-After gets through. Retry-After is given in
// fractional seconds, as Samsara sends it ("0.40235").
export const RATE_WINDOW_MS = 1_000;

export type Admission = { admitted: true } | { admitted: false; retryAfter: string };

/** Seconds with up to 5 decimals and no trailing zeros, never 0 ("0.403", "1"). */
export function formatRetryAfter(waitMs: number): string {
  const seconds = Math.max(waitMs, 0.01) / 1000;
  return String(Number(seconds.toFixed(5)));
}

export class SlidingWindowLimiter {
  /** Admission times, oldest first. */
  private readonly admittedAt: number[] = [];

  admit(now: number, limit: number): Admission {
    const windowStart = now - RATE_WINDOW_MS;
    while (this.admittedAt.length > 0 && this.admittedAt[0] <= windowStart) this.admittedAt.shift();
    if (this.admittedAt.length < limit) {
      this.admittedAt.push(now);
      return { admitted: true };
    }
    // A slot frees when the admission `limit` places back leaves the window (after a lowered limit
    // more than `limit` may be inside it).
    const freeing = this.admittedAt[this.admittedAt.length - limit];
    return { admitted: false, retryAfter: formatRetryAfter(freeing + RATE_WINDOW_MS - now) };
  }
}
