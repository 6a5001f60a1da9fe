// Normalized message (Catena's MessageCreate) → the MyGeotab `TextMessage` entity for Add. One row per
// normalized field (FIELD_RULES), each with its source; the capability matrix, the submit-time refusals
// and the mapper read the table. Source keys as in ../writes-native.ts, plus
//   [sample] github.com/Geotab/sdk @07ad9367 src/software/js-samples/sendTextMessage.html (Geotab's own
//            sample: {isDirectionToVehicle: true, device, messageContent: {contentType: "Normal", message}, user})
// Addressing: a message goes to the recipient User — "Added `Recipient`. This property is used to send a
// text message to a user" [notes 5.7.2003] — with no Device: TextMessage.device "Default [Null]" [ff:TextMessage],
// and nothing in Geotab's object model requires it. (Geotab's samples address a vehicle instead; a message to
// a person does not depend on which vehicle the person sits in.)
// The ids come from write.refs (fleetgate ids resolved to Geotab ids by the engine), never from the changes.
import type { MESSAGE_ATTRIBUTE_NAMES, MessageAttributes } from '../../../contract/resources/messages.ts';
import type { MessagePriority } from '../../../contract/enums.ts';
import { fieldSupport, refusalCollector, sent } from '../../kit/mapping-kit.ts';
import type { Attrs, FieldSupport, MappingResult } from '../../kit/mapping-kit.ts';
import type { Refusal, Write } from '../../kit/types.ts';
import { TEXT_CONTENT_TYPE } from '../writes-native.ts';

type FieldRule =
  /** A fleetgate id resolved by the engine (write.refs) → `{id}` of this TextMessage member. */
  | { kind: 'ref'; native: 'user' | 'recipient' | 'parentMessage' }
  /** The text and the urgency of the message content (TextContent). */
  | { kind: 'content' };

type MessageField = (typeof MESSAGE_ATTRIBUTE_NAMES)[number];

const FIELD_RULES: Readonly<Record<MessageField, FieldRule>> = {
  // TextMessage.user: "The User that the message was sent from" [ff:TextMessage]; the sender [sample].
  sender_id: { kind: 'ref', native: 'user' },
  // TextMessage.recipient: "The User the message was sent to" [ff:TextMessage; notes 5.7.2003].
  recipient_id: { kind: 'ref', native: 'recipient' },
  // messageContent: TextContent {contentType: "Normal", message} [sample; sdkxml TextContent.Message].
  message_text: { kind: 'content' },
  // TextContent.Urgent: "set to true this message is sent to display immediately" [sdkxml] — high only.
  priority: { kind: 'content' },
  // TextMessage.parentMessage: "The text message that this is the reply to" [ff:TextMessage].
  reply_to_message_id: { kind: 'ref', native: 'parentMessage' },
};

/** What Geotab keeps of each normalized message field (read by the capability matrix). */
export const GEOTAB_MESSAGE_FIELD_SUPPORT: Readonly<Record<MessageField, FieldSupport>> = fieldSupport(FIELD_RULES);

/**
 * Catena's priority → TextContent.urgent. Geotab has one level above a normal message ("display
 * immediately", [sdkxml]); low and medium are both a normal message.
 */
const URGENT: Readonly<Record<MessagePriority, boolean>> = { low: false, medium: false, high: true };

/** Geotab needs text to send: Catena's message_text is optional, so its absence is refused at submit. */
export function textRefusal(changes: Attrs): Refusal | undefined {
  const text = changes.message_text;
  if (typeof text === 'string' && text.trim() !== '') return undefined;
  return {
    field: 'message_text',
    input: text ?? null,
    message: 'Geotab sends a text message with text (messageContent.message of a TextContent): send a non-empty message_text',
  };
}

/** messageContent of the message: a TextContent with the text and its urgency. */
export function textContent(changes: Attrs): Record<string, unknown> {
  const priority = changes.priority as MessagePriority | null | undefined;
  return { contentType: TEXT_CONTENT_TYPE, message: changes.message_text, urgent: priority ? URGENT[priority] : false };
}

const refOf = (write: Write, field: string): string | undefined => {
  const ref = write.refs?.[field];
  return typeof ref === 'string' ? ref : undefined;
};

/** The TextMessage for Add, or what Geotab cannot take. */
export function mapMessageToGeotab(write: Write): MappingResult {
  const changes = write.changes as MessageAttributes as Attrs;
  const { refusals, refuse } = refusalCollector();
  const text = textRefusal(changes);
  if (text) refuse(text);
  const body: Record<string, unknown> = {
    // "going to or from vehicle" [ff:TextMessage]: Geotab's own office-to-driver sample sends true [sample].
    isDirectionToVehicle: true,
    messageContent: textContent(changes),
  };
  for (const [field, rule] of Object.entries(FIELD_RULES) as Array<[MessageField, FieldRule]>) {
    if (rule.kind !== 'ref' || !sent(changes, field) || changes[field] === null) continue;
    const id = refOf(write, field);
    // The engine resolves every reference before it maps; a missing one is its bug, not the partner's.
    if (id === undefined) throw new Error(`Geotab message: ${field} was not resolved to a Geotab id`);
    body[rule.native] = { id };
  }
  if (refusals.length > 0) return { ok: false, refusals };
  return { ok: true, body, dropped: [] };
}
