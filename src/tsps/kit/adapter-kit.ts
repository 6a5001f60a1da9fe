// Adapter glue every TSP shares: the refusals/dropped pair read off one mapping, the Attempt for a
// write the mapper refused, and reading a REST answer that must carry the written resource's id.
import { toAttempt, truncateDetails } from './http.ts';
import type { TspResponse, TspResult } from './http.ts';
import type { MappingResult } from './mapping-kit.ts';
import type { Attempt, Refusal, UserAdapter, UserWrite } from './types.ts';

/**
 * `users.refusals` and `users.dropped`, both from one mapping of the write: submit asks for both with
 * the same write object, so the mapping is remembered per write rather than computed twice.
 */
export function mappingChecks(map: (write: UserWrite) => MappingResult): Pick<UserAdapter, 'refusals' | 'dropped'> {
  const mapped = new WeakMap<UserWrite, MappingResult>();
  const mapOnce = (write: UserWrite): MappingResult => {
    let result = mapped.get(write);
    if (!result) mapped.set(write, (result = map(write)));
    return result;
  };
  return {
    refusals: (write) => {
      const result = mapOnce(write);
      return result.ok ? [] : result.refusals;
    },
    dropped: (write) => {
      const result = mapOnce(write);
      return result.ok ? result.dropped : [];
    },
  };
}

/** Submit checks refusals first; a write that reaches the adapter refused means the merged user changed underneath it. */
export const refusedAttempt = (refusals: Refusal[]): Attempt => ({
  ok: false,
  statusCode: null,
  headers: {},
  errorType: 'validation',
  errorDetails: refusals.map((r) => `${r.field}: ${r.message}`).join('; '),
  durationMs: 0,
});

/** A resource id as a string: a number, or a non-empty string. */
export const idString = (id: unknown): string | undefined =>
  typeof id === 'number' || (typeof id === 'string' && id !== '') ? String(id) : undefined;

/**
 * An Attempt for a call whose success answer carries the resource: ok carries its id. A 2xx without
 * one is not trusted as success (the write may have landed: the caller can look it up).
 */
export function resourceAttempt(
  result: TspResult,
  details: (res: TspResponse) => string | undefined,
  id: (res: TspResponse) => string | undefined,
  /** Names the TSP and resource in the failure: "Motive", "user". */
  tsp: string,
  resource: string,
): Attempt {
  const attempt = toAttempt(result, details);
  if (!attempt.ok || result.kind !== 'response') return attempt;
  const sourceId = id(result);
  if (sourceId !== undefined) return { ...attempt, sourceId };
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
