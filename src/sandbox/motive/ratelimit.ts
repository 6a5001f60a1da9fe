// Sliding-window rate limit per account. Motive publishes no limit; 60 requests/minute was found safe
// by integrators (providers.md), so that is the default. A request is admitted when fewer than N
// requests were admitted in the 60 s before it: requests answered 429 do not count, which is how a
// well-behaved client that waits Retry-After gets through.
export const RATE_WINDOW_MS = 60_000;

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

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
    // A slot frees when the admission that is `limit` places back leaves the window; after a lowered
    // limit more than `limit` may be in the window, so look at the right one, not just the oldest.
    const freeing = this.admittedAt[this.admittedAt.length - limit];
    const waitMs = freeing + RATE_WINDOW_MS - now;
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}
