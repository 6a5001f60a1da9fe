// The derivations Samsara's message and group-message mappings share (messages/mapping.ts,
// group-messages/mapping.ts): the text and the recipient drivers of POST /v1/fleet/messages
// `{driverIds: int64[], text}` (samsarahq/samsara-python src/samsara/messages/raw_client.py
// v_1_create_messages: "driver_ids: typing.Sequence[int] ... IDs of the drivers for whom the messages
// are sent to"; "text: The text sent in the message. Max 2500 characters allowed."). Recipients are
// fleetgate users, which Samsara keeps as drivers (users/adapter.ts writes /fleet/drivers), so a
// recipient's Samsara id is a driver id.
import { nonBlank, refId } from './once-mapping.ts';
import type { OnceContext } from './once-mapping.ts';
import { SAMSARA_MESSAGE_TEXT_MAX } from './writes-once-native.ts';

/** `text`: required by Samsara although Catena's message_text is optional; at most 2500 characters. */
export function deriveText<F extends string>(ctx: OnceContext<F | 'message_text'>): Record<string, unknown> {
  const text = nonBlank(ctx.changes.message_text);
  if (text === undefined) {
    ctx.refuse('message_text', 'Samsara requires the text of a message (text is required on POST /v1/fleet/messages); send a non-blank message_text');
    return {};
  }
  // Samsara counts characters; a character outside the BMP is one, not two UTF-16 units.
  const length = [...text].length;
  if (length > SAMSARA_MESSAGE_TEXT_MAX) {
    ctx.refuse('message_text', `Samsara takes a message text of at most ${SAMSARA_MESSAGE_TEXT_MAX} characters (got ${length})`);
    return {};
  }
  return { text };
}

/** A Samsara driver id as the integer driverIds carries; undefined for an id that is not one. */
const driverNumber = (id: string): number | undefined => {
  const n = /^\d+$/.test(id) ? Number(id) : Number.NaN;
  return Number.isSafeInteger(n) ? n : undefined;
};

const notADriverId = (id: string) => `Samsara addresses messages by integer driver id (driverIds); the recipient's Samsara id ${JSON.stringify(id)} is not one`;

/** One recipient (a message): `driverIds: [<its Samsara driver id>]`. */
export function deriveRecipient<F extends string>(ctx: OnceContext<F | 'recipient_id'>): Record<string, unknown> {
  const id = refId(ctx.refs, 'recipient_id');
  if (id === undefined) {
    ctx.refuse('recipient_id', 'Samsara sends a message to a driver: fleetgate has no Samsara driver id for this recipient');
    return {};
  }
  const n = driverNumber(id);
  if (n === undefined) {
    ctx.refuse('recipient_id', notADriverId(id));
    return {};
  }
  return { driverIds: [n] };
}

/**
 * Every recipient (a group message) in one call: `driverIds` lists them all, each once (a recipient
 * named twice is sent the message once). Samsara needs at least one.
 */
export function deriveRecipients<F extends string>(ctx: OnceContext<F | 'recipient_ids'>): Record<string, unknown> {
  const raw = ctx.refs.recipient_ids;
  const ids = Array.isArray(raw) ? (raw as readonly string[]) : [];
  if (ids.length === 0) {
    ctx.refuse('recipient_ids', 'Samsara sends a message to at least one driver (driverIds); recipient_ids is empty');
    return {};
  }
  const numbers: number[] = [];
  for (const id of ids) {
    const n = driverNumber(id);
    if (n === undefined) {
      ctx.refuse('recipient_ids', notADriverId(id));
      return {};
    }
    if (!numbers.includes(n)) numbers.push(n);
  }
  return { driverIds: numbers };
}
