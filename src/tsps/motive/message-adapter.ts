// A Motive message or group message as a resource adapter: the send is POST /v2/messages (both are one
// message from one sender to one or more receivers at Motive [v2-send]), and a send whose answer was lost
// is found again in the sender's list, GET /v2/messages [v2-list]. What differs per resource is only
// the mapping table. Sources: writes-once-client.ts.
//
// Finding a send again: Motive keeps no external id or client reference on a message, so the earlier
// attempt is recognized by what a message is: its sender, its receivers (the same set) and its text, sent
// within the last MATCH_WINDOW_MS. Catena itself identifies a message this way ("message_hash: Unique hash
// generated from sender, message text and occurred_at", MessageRead in its telematics OpenAPI document).
// The window covers the engine's retries of one operation (back-off of at most 5 minutes between 8
// attempts by default); a partner who deliberately sends the very same text to the very same users twice
// within it, and loses the second answer, has the second taken for the first: said in the report.
import type { Attempt, CallOptions, FieldSupport, MappingResult, ResourceAdapter, TspTarget, Write } from '../kit/types.ts';
import { lookupSince } from '../kit/adapter-kit.ts';
import { toAttempt, truncateDetails } from '../kit/http.ts';
import { motiveErrorDetails } from './client.ts';
import { listedMessages, listSentMessages, messageAttempt, sendMessage } from './writes-once-client.ts';

/** How far back a retried send looks when the operation's submission time is not known (direct calls). */
export const MATCH_WINDOW_MS = 60 * 60_000;

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
};

/**
 * The message an earlier attempt of this send made, looked for in the sender's list: sent since `sinceMs`
 * (the operation's submission, less the skew: an identical message from before is another operation's).
 */
export async function findSentMessage(target: TspTarget, body: Record<string, unknown>, opts: CallOptions, sinceMs: number): Promise<Attempt & { found: boolean }> {
  const sender = String(body.sender_id);
  const receivers = (body.receiver_ids as unknown[]).map(String);
  const result = await listSentMessages(target, sender, receivers, opts);
  const attempt = toAttempt(result, motiveErrorDetails);
  if (!attempt.ok || result.kind !== 'response') return { ...attempt, found: false };
  const listed = listedMessages(result);
  if (listed === undefined) {
    return { ...attempt, ok: false, found: false, errorType: 'unknown', errorDetails: `Motive's message list answered without a list: ${truncateDetails(result.bodyText)}` };
  }
  const match = listed
    .filter((m) => m.senderId === sender && m.body === body.body && sameSet(m.receiverIds, receivers) && m.sentAtMs >= sinceMs)
    .sort((a, b) => b.sentAtMs - a.sentAtMs)[0];
  return match ? { ...attempt, found: true, sourceId: match.id } : { ...attempt, found: false };
}

export function motiveMessageAdapter(spec: { fields: Readonly<Record<string, FieldSupport>>; map(write: Write): MappingResult }): ResourceAdapter {
  return {
    operations: { create: 'implemented' },
    fields: spec.fields,
    map: spec.map,
    send: async (target, _write, body, opts) => messageAttempt(await sendMessage(target, body, opts)),
    findExisting: (target, write, body, opts) => findSentMessage(target, body, opts, lookupSince(write, MATCH_WINDOW_MS)),
  };
}
