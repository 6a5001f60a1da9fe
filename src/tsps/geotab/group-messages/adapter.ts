// Geotab group messages: one `Add TextMessage` per recipient (mapping.ts), each call its own rate-limit slot
// (Add:TextMessage), in the order the partner listed the recipients. The group's source id is the Geotab ids
// of its messages, comma-separated, in that order (Geotab ids never contain a comma: "b1A").
// Not one ExecuteMultiCall: each Add answers its own id, so a failure part-way says exactly which people
// have the message — what a retry needs to know (below). The sandbox does not implement ExecuteMultiCall.
//
// Part-way failures. An Add can fail after earlier ones landed (a rate limit, a 5xx, an archived user). A
// retry must not send the landed ones again: before every retry the engine calls findExisting, which looks
// up (Get TextMessage by sender and the retry window, ../writes-once-client.ts) which recipients already
// have this message. All of them: the group is adopted. Some: send() — called next with the same body —
// Adds only the others. The lookup's answer is handed from findExisting to send through the body object
// both receive (a WeakMap, this attempt's only: nothing is kept across attempts or processes).
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../kit/types.ts';
import { addEntity } from '../assets-client.ts';
import { lookupSince } from '../../kit/adapter-kit.ts';
import { Budget } from '../session.ts';
import { WRITE_CLASSES } from '../writes-native.ts';
import { findSentMessages, MESSAGE_LOOKBACK_MS, stoppedAttempt } from '../writes-once-client.ts';
import { GEOTAB_GROUP_MESSAGE_FIELD_SUPPORT, mapGroupMessageToGeotab } from './mapping.ts';
import type { GroupMessageBody } from './mapping.ts';

/** Recipient id → Geotab message id of the recipients an earlier attempt reached (this attempt's lookup). */
const reached = new WeakMap<object, Map<string, string>>();

const recipientOf = (message: Record<string, unknown>): string => (message.recipient as { id: string }).id;

async function sendGroupMessage(target: TspTarget, _write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
  const { messages } = body as GroupMessageBody;
  const already = reached.get(body) ?? new Map<string, string>();
  const budget = new Budget(opts);
  const ids: string[] = [];
  let last: Attempt | undefined;
  for (const message of messages) {
    const recipient = recipientOf(message);
    const earlier = already.get(recipient);
    if (earlier !== undefined) {
      ids.push(earlier);
      continue;
    }
    last = await addEntity(target, 'TextMessage', message, budget);
    if (!last.ok) {
      const done = messages.slice(0, ids.length).map((m, i) => `${recipientOf(m)} (message ${ids[i]})`);
      const why = `Geotab refused the message to recipient ${recipient} (${ids.length + 1} of ${messages.length})` +
        (done.length ? `; sent before it: ${done.join(', ')} — a retry sends only to the others` : '');
      return stoppedAttempt(last, why, budget);
    }
    ids.push(last.sourceId!);
  }
  // Every recipient had it from an earlier attempt: findExisting adopts that case, but be exact anyway.
  const base: Attempt = last ?? { ok: true, statusCode: 200, headers: {}, durationMs: 0 };
  return { ...base, ok: true, sourceId: ids.join(','), durationMs: budget.elapsedMs() };
}

async function findExistingGroupMessage(target: TspTarget, write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt & { found: boolean }> {
  const { messages } = body as GroupMessageBody;
  const { attempt, byRecipient } = await findSentMessages(target, messages, new Budget(opts), lookupSince(write, MESSAGE_LOOKBACK_MS));
  if (!byRecipient) return { ...attempt, found: false };
  if (byRecipient.size === messages.length) {
    return { ...attempt, found: true, sourceId: messages.map((m) => byRecipient.get(recipientOf(m))).join(',') };
  }
  reached.set(body, byRecipient);
  return { ...attempt, found: false };
}

export const geotabGroupMessages: ResourceAdapter = {
  operations: { create: 'implemented' },
  rateClass: () => WRITE_CLASSES.addMessage,
  fields: GEOTAB_GROUP_MESSAGE_FIELD_SUPPORT,
  map: mapGroupMessageToGeotab,
  send: sendGroupMessage,
  findExisting: findExistingGroupMessage,
};
