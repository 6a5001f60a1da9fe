// How a Samsara create that repeats an earlier attempt is told from a content error. Samsara documents
// that external id values are unique across the organization (developers.samsara.com/docs/external-ids)
// but not the words of the 400 that enforces it, so the adapter does not read the message: when a create
// carrying fleetgate's external id is refused as content, it looks the record up by that id. Found, an
// earlier attempt made it: a conflict, which the engine resolves on the next attempt by adopting the
// record (findExisting). Not found, the refusal stands as the partner's to fix.
import type { Attempt, ErrorType } from '../kit/types.ts';

/** Answers that say nothing about the record (the engine retries them). */
const INCONCLUSIVE: ReadonlySet<ErrorType | undefined> = new Set<ErrorType | undefined>(['rate_limited', 'transient', 'timeout', 'unknown']);

export async function conflictIfRecorded(attempt: Attempt, lookUp: () => Promise<Attempt & { found: boolean }>): Promise<Attempt> {
  if (attempt.ok || attempt.errorType !== 'validation') return attempt;
  const lookup = await lookUp();
  // A lookup that could not answer (429, 5xx, timeout) proves nothing either way: its own failure is
  // what this attempt reports, so the create is tried again (after a lookup) rather than failed for good.
  if (!lookup.ok) return INCONCLUSIVE.has(lookup.errorType) ? lookup : attempt;
  if (!lookup.found) return attempt;
  return {
    ...attempt,
    errorType: 'conflict',
    errorDetails: `${attempt.errorDetails ?? 'refused'}; Samsara already holds the record with fleetgate's external id (id ${lookup.sourceId ?? 'unknown'}): an earlier attempt made it`,
  };
}
