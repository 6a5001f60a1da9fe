// Normalized message (Catena MessageCreate) → Motive `POST /v2/messages` body, one receiver. One row per
// normalized field, each with its source; the capability matrix and the mapper read it. Sources:
//   [v2-send] https://developer.gomotive.com/reference/send-a-a-bulk-message-to-your-users-v2 (sender_id,
//             receiver_ids (its own example sends one receiver), body; nothing else)
//   [v1-send] https://developer.gomotive.com/reference/send-a-message-to-a-user and armdev/public_api_docs
//             @4281fc1c pages/09-send-messages.markdown: the one-recipient form, whose sender is the
//             X-User-Id header and whose answer is `{"success": true}` only, with no message id. The v2
//             form is used instead: it names the sender in the body and answers the message with its id,
//             so fleetgate keeps Motive's id as the message's source_id and finds a lost send again in
//             the same API's list [v2-list].
// reply_to_message_id is dropped, not refused: Motive's messages have no reply field [v2-send, v1-send],
// a conversation at Motive is simply the messages between two users, so the reply still reaches its
// recipient (in that conversation, when it goes back to the sender of the message it answers); only
// the explicit link is lost, and dropped_fields says so.
import type { MessageAttributes } from '../../../contract/resources/messages.ts';
import { fieldSupport } from '../../kit/mapping-kit.ts';
import type { FieldSupport } from '../../kit/mapping-kit.ts';
import type { MappingResult, Write } from '../../kit/types.ts';
import { mapMotiveMessage, PRIORITY_RULE, TEXT_RULE } from '../message-fields.ts';
import type { MessageRule } from '../message-fields.ts';

type MessageAttributeName = keyof MessageAttributes;

const FIELD_RULES: Readonly<Record<MessageAttributeName, MessageRule>> = {
  sender_id: { kind: 'ref', native: 'sender_id', many: false }, // [v2-send] sender_id, a Motive user id
  recipient_id: { kind: 'ref', native: 'receiver_ids', many: false }, // [v2-send] receiver_ids: [the one receiver]
  message_text: TEXT_RULE, // [v2-send] body, required
  priority: PRIORITY_RULE, // [v2-send]: no priority
  reply_to_message_id: { kind: 'not_stored', why: 'Motive messages have no reply field [v2-send]; the reply is sent as a message' },
};

/** What Motive keeps of each normalized message field (read by the capability matrix). */
export const MOTIVE_MESSAGE_FIELD_SUPPORT: Readonly<Record<MessageAttributeName, FieldSupport>> = fieldSupport(FIELD_RULES);

export const mapMessageToMotive = (write: Write): MappingResult => mapMotiveMessage(write, FIELD_RULES);
