// What a Motive message and a Motive group message share in their mapping: the rule kinds of their
// tables, the text rule, reading a referenced user's Motive id from `write.refs`, and the one body both
// send, POST /v2/messages {sender_id, receiver_ids, body}. Sources:
//   [v2-send] https://developer.gomotive.com/reference/send-a-a-bulk-message-to-your-users-v2 (`sender_id`
//             int32 "the ID of the user who is sending this message", `receiver_ids` int32[], `body`
//             string, all three required; no priority, reply or thread parameter)
//   [KT16]    armdev/public_api_docs @4281fc1c pages/09-send-messages.markdown (user ids "are the same as id
//             in the user API"; `body` required)
import type { DirectRule } from '../kit/mapping-kit.ts';
import { applyFieldRules, refusalCollector, sent, writtenChanges } from '../kit/mapping-kit.ts';
import type { MappingResult, Refusal, Write } from '../kit/types.ts';

/**
 * A field naming a user by fleetgate id (a list when `many`): its Motive id(s), engine-resolved in
 * `write.refs`, go to `native`; `receiver_ids` is always a list at Motive, `sender_id` one id.
 */
export type RefRule = { kind: 'ref'; native: 'sender_id' | 'receiver_ids'; many: boolean };
export type MessageRule = DirectRule | RefRule | { kind: 'not_stored'; why: string };

export const TEXT_REQUIRED = 'Motive requires body (the message_text) on every message: it sends no empty message';

/** message_text → `body`, required [v2-send]; Rails' presence check refuses blank text as well. */
export const TEXT_RULE: DirectRule = {
  kind: 'direct',
  native: 'body',
  onNull: 'refuse',
  nullRefusal: TEXT_REQUIRED,
  refuse: (v) => (typeof v === 'string' && v.trim() === '' ? TEXT_REQUIRED : null),
};

export const PRIORITY_RULE = { kind: 'not_stored', why: 'Motive messages have no priority [v2-send]' } as const;

/** A Motive user id as Motive's API takes it: an integer [KT16]; anything else is passed as it came. */
const motiveId = (id: string): number | string => (/^\d{1,15}$/.test(id) ? Number(id) : id);

/** The Motive ids of a reference field, or a refusal when fleetgate handed none (an engine bug, said clearly). */
function refIds(write: Write, field: string, many: boolean): { ids: Array<number | string> } | { refusal: Refusal } {
  const value = write.refs?.[field];
  const list = value === undefined ? undefined : Array.isArray(value) ? value : [value as string];
  if (list === undefined || (!many && list.length !== 1)) {
    return { refusal: { field, input: write.changes[field] ?? null, message: `fleetgate did not resolve ${field} to a Motive user id` } };
  }
  // One message per send however often a user is named: Motive's receiver list is a set of users.
  return { ids: [...new Set(list.map(motiveId))] };
}

/** The /v2/messages body of a message or a group message, by the resource's table. */
export function mapMotiveMessage<F extends string>(write: Write, rules: Readonly<Record<F, MessageRule>>): MappingResult {
  const { refusals, refuse } = refusalCollector();
  if (write.operation !== 'create') {
    return { ok: false, refusals: [{ field: 'message_text', input: null, message: 'Motive messages are sent once; they cannot be changed' }] };
  }
  // On create a null means "not set": nothing is sent, refused or dropped for it.
  const changes = writtenChanges('create', write.changes);
  const body: Record<string, unknown> = {};
  const dropped: string[] = [];
  applyFieldRules('Motive', rules, changes, { body, drop: (f) => dropped.push(f), refuse });
  if (!sent(changes, 'message_text')) refuse({ field: 'message_text', input: null, message: TEXT_REQUIRED });

  const refs: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(rules) as Array<[string, MessageRule]>) {
    if (rule.kind !== 'ref') continue;
    // Both are required at Motive [v2-send] (and by Catena's schemas).
    if (!sent(changes, field)) {
      refuse({ field, input: null, message: `Motive requires ${rule.native} (the ${field}) on every message` });
      continue;
    }
    const resolved = refIds(write, field, rule.many);
    if ('refusal' in resolved) refuse(resolved.refusal);
    else if (resolved.ids.length === 0) refuse({ field, input: changes[field], message: 'Motive requires receiver_ids: at least one user to send the message to' });
    else refs[rule.native] = rule.native === 'receiver_ids' ? resolved.ids : resolved.ids[0];
  }
  if (refusals.length > 0) return { ok: false, refusals };
  // Motive's parameter order [v2-send]: sender, receivers, text.
  return { ok: true, body: { sender_id: refs.sender_id, receiver_ids: refs.receiver_ids, body: body.body }, dropped };
}
