// Sliding one-minute windows, one per (user, method) as MyGeotab counts them (providers.md: Authenticate
// 10/min per user, Add:User 250/min). A call is admitted when fewer than N were admitted in the 60 s
// before it; refused calls don't count, so a client that waits Retry-After gets through. The numbers
// feed X-Rate-Limit-Limit / -Remaining / -Reset on success answers.
export const RATE_WINDOW_MS = 60_000;

export type Admission =
  | { admitted: true; limit: number; remaining: number; resetAt: number }
  | { admitted: false; limit: number; retryAfterSeconds: number; resetAt: number };

export class SlidingWindow {
  private readonly admittedAt: number[] = [];

  admit(now: number, limit: number): Admission {
    const windowStart = now - RATE_WINDOW_MS;
    while (this.admittedAt.length > 0 && this.admittedAt[0] <= windowStart) this.admittedAt.shift();
    if (this.admittedAt.length < limit) {
      this.admittedAt.push(now);
      return { admitted: true, limit, remaining: limit - this.admittedAt.length, resetAt: this.admittedAt[0] + RATE_WINDOW_MS };
    }
    // A slot frees when the admission `limit` places back leaves the window (after a lowered limit
    // more than `limit` may be inside it).
    const freeing = this.admittedAt[this.admittedAt.length - limit];
    const resetAt = freeing + RATE_WINDOW_MS;
    return { admitted: false, limit, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)), resetAt };
  }
}

/** Windows by key, created on first use. */
export class RateLimiter {
  private readonly windows = new Map<string, SlidingWindow>();

  admit(key: string, now: number, limit: number): Admission {
    let w = this.windows.get(key);
    if (!w) {
      w = new SlidingWindow();
      this.windows.set(key, w);
    }
    return w.admit(now, limit);
  }
}
