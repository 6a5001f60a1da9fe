// Sliding-window rate limits, the way the sandboxes count them: a request is admitted when fewer than
// N requests were admitted in the window before it. Refused requests do not count, which is how a
// well-behaved client that waits Retry-After gets through. Window length, limit and how the wait is
// told to the client (whole or fractional seconds, which headers) are each vendor's.
export type Admission =
  | { admitted: true; limit: number; remaining: number; resetAt: number }
  | { admitted: false; limit: number; resetAt: number; waitMs: number };

export class SlidingWindow {
  /** Admission times, oldest first. */
  private readonly admittedAt: number[] = [];

  constructor(private readonly windowMs: number) {}

  admit(now: number, limit: number): Admission {
    const windowStart = now - this.windowMs;
    while (this.admittedAt.length > 0 && this.admittedAt[0] <= windowStart) this.admittedAt.shift();
    if (this.admittedAt.length < limit) {
      this.admittedAt.push(now);
      return { admitted: true, limit, remaining: limit - this.admittedAt.length, resetAt: this.admittedAt[0] + this.windowMs };
    }
    // A slot frees when the admission that is `limit` places back leaves the window; after a lowered
    // limit more than `limit` may be in the window, so look at the right one, not just the oldest.
    const freeing = this.admittedAt[this.admittedAt.length - limit];
    const resetAt = freeing + this.windowMs;
    return { admitted: false, limit, resetAt, waitMs: resetAt - now };
  }
}

/** One window per key (e.g. Geotab's user + method), created on first use. */
export class KeyedSlidingWindows {
  private readonly windows = new Map<string, SlidingWindow>();

  constructor(private readonly windowMs: number) {}

  admit(key: string, now: number, limit: number): Admission {
    let w = this.windows.get(key);
    if (!w) {
      w = new SlidingWindow(this.windowMs);
      this.windows.set(key, w);
    }
    return w.admit(now, limit);
  }
}

/** Retry-After as RFC 9110 delta-seconds: whole seconds, rounded up, never 0 (Motive, Geotab). */
export const wholeSecondsRetryAfter = (waitMs: number): number => Math.max(1, Math.ceil(waitMs / 1000));
