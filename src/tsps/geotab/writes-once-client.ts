// The MyGeotab calls the message, fuel and DVIR adapters share, over sessions (./session.ts) and the entity
// calls of ./assets-client.ts (Add answers the new id; Get with a search answers a list). Here: finding a
// text message an earlier attempt sent (Get TextMessage with a TextMessageSearch) and the Attempt helpers
// for writes made of several calls. Sources as in ./writes-native.ts.
import type { Attempt, TspTarget } from '../kit/types.ts';
import { getEntities } from './assets-client.ts';
import type { GeotabEntity } from './assets-client.ts';
import type { Budget } from './session.ts';

/**
 * How far back a retried message create looks for the message an earlier attempt may have sent: the
 * engine's retry budget (FLEETGATE_MAX_AGE_HOURS, 24 h by default). A partner's manual retry after that
 * sends the message again.
 */
export const MESSAGE_LOOKBACK_MS = 24 * 60 * 60 * 1000;

const idOf = (ref: unknown): string | undefined =>
  typeof ref === 'object' && ref !== null && typeof (ref as { id?: unknown }).id === 'string' ? (ref as { id: string }).id : undefined;

/**
 * Whether a TextMessage Geotab holds is the one `entity` describes: same sender, recipient, direction, text,
 * urgency and parent. Geotab keeps no reference of the client's on a message [ff:TextMessage], so this is
 * all a message can be recognised by.
 */
export function sameMessage(found: GeotabEntity, entity: GeotabEntity): boolean {
  const a = (found.messageContent ?? {}) as Record<string, unknown>;
  const b = entity.messageContent as Record<string, unknown>;
  return (
    idOf(found.user) === idOf(entity.user) &&
    idOf(found.recipient) === idOf(entity.recipient) &&
    idOf(found.parentMessage) === idOf(entity.parentMessage) &&
    found.isDirectionToVehicle === entity.isDirectionToVehicle &&
    a.contentType === b.contentType &&
    a.message === b.message &&
    Boolean(a.urgent) === Boolean(b.urgent)
  );
}

/**
 * The newest message from the sender (to the recipient, when given) within the look-back window that is
 * `entity`, per recipient id. TextMessageSearch: `userSearch` "sent by this UserSearch", `recipientSearch`
 * "sent to this UserSearch" (Id), `fromDate` "sent at this date or after" [ff:TextMessageSearch].
 */
export async function findSentMessages(
  target: TspTarget,
  entities: readonly GeotabEntity[],
  budget: Budget,
  /** The operation's submission less the skew (lookupSince): an identical message from before is another operation's. */
  sinceMs: number,
): Promise<{ attempt: Attempt; byRecipient?: Map<string, string> }> {
  const first = entities[0]!;
  const search: GeotabEntity = { userSearch: { id: idOf(first.user) }, fromDate: new Date(sinceMs).toISOString() };
  if (entities.length === 1) search.recipientSearch = { id: idOf(first.recipient) };
  const { attempt, entities: found } = await getEntities(target, 'TextMessage', search, budget);
  if (!found) return { attempt };
  const byRecipient = new Map<string, string>();
  const newestFirst = [...found].sort((x, y) => Date.parse(String(y.sent ?? '')) - Date.parse(String(x.sent ?? '')));
  for (const entity of entities) {
    const match = newestFirst.find((m) => sameMessage(m, entity) && typeof m.id === 'string' && ![...byRecipient.values()].includes(m.id));
    if (match) byRecipient.set(idOf(entity.recipient)!, match.id as string);
  }
  return { attempt, byRecipient };
}

/** The failed Attempt of a write that stopped part-way, its details said by `why`. */
export const stoppedAttempt = (attempt: Attempt, why: string, budget: Budget): Attempt => ({
  ...attempt,
  ok: false,
  sourceId: undefined,
  errorDetails: `${why}${attempt.errorDetails ? `: ${attempt.errorDetails}` : ''}`,
  durationMs: budget.elapsedMs(),
});
