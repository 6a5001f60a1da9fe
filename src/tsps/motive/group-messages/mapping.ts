// Normalized group message (Catena GroupMessageCreate) → Motive `POST /v2/messages` body: Motive's bulk
// message, one message from one sender to several receivers. One row per normalized field, each with its
// source; the capability matrix and the mapper read it. Sources:
//   [v2-send] https://developer.gomotive.com/reference/send-a-a-bulk-message-to-your-users-v2 ("send a bulk
//             message to multiple recipients": sender_id, receiver_ids int32[], body; nothing else)
// Catena allows an empty recipient_ids list; Motive requires receivers, so an empty list is refused at
// submit. A user named twice receives the message once (the receivers are a set of users).
import type { GroupMessageAttributes } from '../../../contract/resources/messages.ts';
import { fieldSupport } from '../../kit/mapping-kit.ts';
import type { FieldSupport } from '../../kit/mapping-kit.ts';
import type { MappingResult, Write } from '../../kit/types.ts';
import { mapMotiveMessage, PRIORITY_RULE, TEXT_RULE } from '../message-fields.ts';
import type { MessageRule } from '../message-fields.ts';

type GroupMessageAttributeName = keyof GroupMessageAttributes;

const FIELD_RULES: Readonly<Record<GroupMessageAttributeName, MessageRule>> = {
  sender_id: { kind: 'ref', native: 'sender_id', many: false }, // [v2-send] sender_id, a Motive user id
  recipient_ids: { kind: 'ref', native: 'receiver_ids', many: true }, // [v2-send] receiver_ids, Motive user ids
  message_text: TEXT_RULE, // [v2-send] body, required
  priority: PRIORITY_RULE, // [v2-send]: no priority
};

/** What Motive keeps of each normalized group message field (read by the capability matrix). */
export const MOTIVE_GROUP_MESSAGE_FIELD_SUPPORT: Readonly<Record<GroupMessageAttributeName, FieldSupport>> = fieldSupport(FIELD_RULES);

export const mapGroupMessageToMotive = (write: Write): MappingResult => mapMotiveMessage(write, FIELD_RULES);
