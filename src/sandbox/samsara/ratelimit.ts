// Samsara's rate limits: 150 requests/s per token (providers.md), counted over a sliding second
// (kit/ratelimit.ts), and on top of it the endpoint-level limits of developers.samsara.com/docs/rate-limits
// ("applied on a per organization basis"), each endpoint in its documented category (./asset-vendor.ts,
// ./writes-once-vendor.ts).
// Retry-After is given in fractional seconds, as Samsara sends it ("0.40235").
import type { Admission } from '../kit/ratelimit.ts';
import { KeyedSlidingWindows } from '../kit/ratelimit.ts';
import { ENDPOINT_CATEGORIES, RATE_CATEGORIES } from './asset-vendor.ts';
import type { RateCategory } from './asset-vendor.ts';
import { WRITES_ONCE_ENDPOINT_CATEGORIES } from './writes-once-vendor.ts';

const CATEGORIES: Readonly<Record<string, RateCategory>> = { ...ENDPOINT_CATEGORIES, ...WRITES_ONCE_ENDPOINT_CATEGORIES };

export const RATE_WINDOW_MS = 1_000;

/** Seconds with up to 5 decimals and no trailing zeros, never 0 ("0.403", "1"). */
export function formatRetryAfter(waitMs: number): string {
  const seconds = Math.max(waitMs, 0.01) / 1000;
  return String(Number(seconds.toFixed(5)));
}

/** One sliding window per endpoint (`METHOD /path` as the vendor file names it), per category's length. */
export class EndpointLimits {
  private readonly windows = Object.fromEntries(
    Object.entries(RATE_CATEGORIES).map(([name, c]) => [name, new KeyedSlidingWindows(c.windowMs)]),
  ) as Record<RateCategory, KeyedSlidingWindows>;

  /** The endpoint's admission, or undefined when it has no limit of its own (the per-token one applies). */
  admit(endpoint: string, now: number): Admission | undefined {
    const category = Object.hasOwn(CATEGORIES, endpoint) ? CATEGORIES[endpoint] : undefined;
    if (category === undefined) return undefined;
    return this.windows[category].admit(endpoint, now, RATE_CATEGORIES[category].limit);
  }
}
