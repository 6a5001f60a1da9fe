// A Motive create refused because fleetgate's record is already there (an earlier attempt landed, its
// answer lost, or a slow Motive applied it after fleetgate gave up): recognised by looking the record
// up by fleetgate's external id, not by the wording of Motive's refusal. Motive documents the pair's
// uniqueness ("The combination of external_id and integration_name will always be unique", Create a new
// user) but not the text of the refusal, which may name another rule first ("Username has already been
// taken"); and an error text an adapter matches is one a fake can invent to agree with it.
import type { Attempt } from '../kit/types.ts';

/**
 * A refused create (a content error, the class a uniqueness refusal falls in) whose record the lookup
 * finds: that record is this write's (the external id is fleetgate's id of this very record), so the
 * attempt adopts it, as the engine's findExisting would. Anything else, or a lookup that fails or finds
 * nothing, leaves the refusal as Motive gave it.
 */
export async function adoptIfFound(attempt: Attempt, lookup: () => Promise<Attempt & { found: boolean }>): Promise<Attempt> {
  if (attempt.ok || attempt.errorType !== 'validation') return attempt;
  const { found, ...adopted } = await lookup();
  return adopted.ok && found ? adopted : attempt;
}
