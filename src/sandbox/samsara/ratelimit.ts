// Samsara's rate limit: 150 requests/s per token (providers.md), counted over a sliding second
// (kit/ratelimit.ts). Retry-After is given in fractional seconds, as Samsara sends it ("0.40235").
export const RATE_WINDOW_MS = 1_000;

/** Seconds with up to 5 decimals and no trailing zeros, never 0 ("0.403", "1"). */
export function formatRetryAfter(waitMs: number): string {
  const seconds = Math.max(waitMs, 0.01) / 1000;
  return String(Number(seconds.toFixed(5)));
}
