// Messages and group messages: Catena's `MessageCreate` and `GroupMessageCreate` (telematics OpenAPI
// document, catenaclearing/catena-sdk-go specs/telematics/openapi.json @5cbf8f29; the group form's
// property names are the ones shared/reference/catena/telematics.openapi.excerpt.json lists). The ids
// are fleetgate ids of users written through fleetgate (resolved to the TSP's ids: engine/references.ts).
import { z } from 'zod';
import { MESSAGE_PRIORITIES } from '../enums.ts';
import { connectionId, recordFields, text, writeBody } from '../common/fields.ts';

const userId = (description: string) => z.uuid().describe(`${description} (the fleetgate id of a user written through fleetgate).`);
const priority = z.enum(MESSAGE_PRIORITIES).nullable().optional().describe('Optional priority for the message: low, medium, or high');

export const messageAttributes = {
  sender_id: userId('Identifier for the sender'),
  recipient_id: userId('Identifier for the recipient'),
  message_text: text('The content of the message'),
  priority,
  reply_to_message_id: z.uuid().nullable().optional().describe('Message identifier, for which this message is a reply to (a fleetgate message id).'),
};
export const MESSAGE_ATTRIBUTE_NAMES = Object.keys(messageAttributes) as Array<keyof typeof messageAttributes>;

export const CreateMessageBody = writeBody({ connection_id: connectionId, ...messageAttributes })
  .describe('Message model for creating new records')
  .meta({ id: 'MessageCreate' });
export type MessageAttributes = Omit<z.infer<typeof CreateMessageBody>, 'connection_id'>;

export const groupMessageAttributes = {
  sender_id: userId('Identifier for the sender'),
  recipient_ids: z.array(z.uuid()).describe('Identifiers for the recipients (fleetgate ids of users written through fleetgate).'),
  message_text: text('The content of the message'),
  priority,
};
export const GROUP_MESSAGE_ATTRIBUTE_NAMES = Object.keys(groupMessageAttributes) as Array<keyof typeof groupMessageAttributes>;

export const CreateGroupMessageBody = writeBody({ connection_id: connectionId, ...groupMessageAttributes })
  .describe('Group Message model for creating new records')
  .meta({ id: 'GroupMessageCreate' });
export type GroupMessageAttributes = Omit<z.infer<typeof CreateGroupMessageBody>, 'connection_id'>;

/** A message as fleetgate sent it (GET /v2/telematics/messages). */
export const MessageRecord = z.object({ ...recordFields('message'), ...messageAttributes }).meta({ id: 'Message' });
/** A group message as fleetgate sent it (GET /v2/telematics/group-messages). */
export const GroupMessageRecord = z.object({ ...recordFields('group message'), ...groupMessageAttributes }).meta({ id: 'GroupMessage' });
