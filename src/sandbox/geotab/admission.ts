// Rate limits as MyGeotab applies them: one sliding one-minute window per user and class (a method,
// or `<method>:<typeName>`), X-Rate-Limit-* headers on every admitted call and OverLimitException with
// Retry-After past the limit (developers.geotab.com/myGeotab/guides/rateLimits; providers.md).
import type { Admission } from '../kit/ratelimit.ts';
import { wholeSecondsRetryAfter } from '../kit/ratelimit.ts';
import type { GeotabDatabase } from './database.ts';
import { GeotabRpcError } from './errors.ts';

function rateHeaders(a: Admission): Record<string, string> {
  return {
    'x-rate-limit-limit': String(a.limit),
    'x-rate-limit-remaining': String(a.admitted ? a.remaining : 0),
    'x-rate-limit-reset': new Date(a.resetAt).toISOString(),
  };
}

/** Admits the call (its X-Rate-Limit-* headers) or throws OverLimitException with Retry-After. */
export function admit(db: GeotabDatabase, userName: string, rateClass: string, limit: number, now: number): Record<string, string> {
  const a = db.admit(userName, rateClass, limit, now);
  if (!a.admitted) {
    throw new GeotabRpcError(
      'OverLimitException',
      `API calls quota exceeded. Maximum admitted ${a.limit} per 1m.`,
      { ...rateHeaders(a), 'retry-after': String(wholeSecondsRetryAfter(a.waitMs)) },
    );
  }
  return rateHeaders(a);
}
