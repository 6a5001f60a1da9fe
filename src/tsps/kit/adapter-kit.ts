// Adapter glue every TSP shares: the Attempt for a write the mapper refused, and reading a REST answer
// that must carry the written resource's id.
import { toAttempt, truncateDetails } from './http.ts';
import type { TspResponse, TspResult } from './http.ts';
import type { Attempt, FieldSupport, Refusal, ResourceAdapter } from './types.ts';

/** A write whose mapping refused it never reaches the TSP: the merged record changed since submit. */
export const refusedAttempt = (refusals: Refusal[]): Attempt => ({
  ok: false,
  statusCode: null,
  headers: {},
  errorType: 'validation',
  errorDetails: refusals.map((r) => `${r.field}: ${r.message}`).join('; '),
  durationMs: 0,
});

/** A JSON object (not an array, not null): what a TSP's answer or a native body must be to be read. */
export const isJsonObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A resource id as a string: a number, or a non-empty string. */
export const idString = (id: unknown): string | undefined =>
  typeof id === 'number' || (typeof id === 'string' && id !== '') ? String(id) : undefined;

/**
 * An Attempt for a call whose success answer carries the resource: ok carries its id, and the record
 * itself (`record`: where in the answer it is) as sourceData. A 2xx without an id is not trusted as
 * success (the write may have landed: the caller can look it up).
 */
export function resourceAttempt(
  result: TspResult,
  details: (res: TspResponse) => string | undefined,
  id: (res: TspResponse) => string | undefined,
  /** Names the TSP and resource in the failure: "Motive", "user". */
  tsp: string,
  resource: string,
  record?: (res: TspResponse) => Record<string, unknown> | undefined,
): Attempt {
  const attempt = toAttempt(result, details);
  if (!attempt.ok || result.kind !== 'response') return attempt;
  const sourceId = id(result);
  if (sourceId !== undefined) {
    const sourceData = record?.(result);
    return sourceData ? { ...attempt, sourceId, sourceData } : { ...attempt, sourceId };
  }
  return {
    ...attempt,
    ok: false,
    errorType: 'unknown',
    errorDetails: `${tsp} answered ${result.statusCode} without a ${resource} id: ${truncateDetails(result.bodyText)}`,
  };
}

/**
 * findExisting over a GET that answers 404 for "no such resource": that is a successful lookup with
 * nothing found; anything else is read as the resource (or the failure).
 */
export function lookupAttempt(
  result: TspResult,
  details: (res: TspResponse) => string | undefined,
  read: (result: TspResult) => Attempt,
): Attempt & { found: boolean } {
  if (result.kind === 'response' && result.statusCode === 404) {
    const { headers, statusCode, durationMs } = toAttempt(result, details);
    return { ok: true, found: false, statusCode, headers, durationMs };
  }
  const attempt = read(result);
  return { ...attempt, found: attempt.ok && attempt.sourceId !== undefined };
}

/**
 * A create refused because fleetgate's external id is already taken means an earlier attempt made the
 * resource: a conflict for findExisting to resolve, not a content error to show the partner.
 */
export const conflictWhen = (attempt: Attempt, externalIdTaken: RegExp): Attempt =>
  attempt.errorType === 'validation' && externalIdTaken.test(attempt.errorDetails ?? '') ? { ...attempt, errorType: 'conflict' } : attempt;

/**
 * A resource the TSP's API cannot create at all: `not_supported`, with the reason (submit's 422 and the
 * catalogue say it), no field stored. Should anything call it past submit, it refuses with that reason and
 * never reaches the TSP.
 */
export function notSupportedCreate(fieldNames: readonly string[], reason: string, field: string): ResourceAdapter {
  const refusals: Refusal[] = [{ field, input: null, message: reason }];
  return {
    operations: { create: 'not_supported' },
    reasons: { create: reason },
    fields: Object.fromEntries(fieldNames.map((f): [string, FieldSupport] => [f, 'not_stored'])),
    map: () => ({ ok: false, refusals }),
    send: async () => refusedAttempt(refusals),
    findExisting: async () => ({ ...refusedAttempt(refusals), found: false }),
  };
}

/** Clock skew allowed between the database that timed a submission and the TSP that times its records. */
export const LOOKUP_SKEW_MS = 60_000;

/**
 * From when (epoch ms) a lookup for an earlier attempt's record searches: the operation's submission less
 * the skew; without a submission time (a direct adapter call), `fallbackWindowMs` back from now.
 */
export function lookupSince(write: { submittedAt?: string }, fallbackWindowMs: number, now = Date.now()): number {
  const submitted = write.submittedAt === undefined ? Number.NaN : Date.parse(write.submittedAt);
  return Number.isFinite(submitted) ? submitted - LOOKUP_SKEW_MS : now - fallbackWindowMs;
}
