// Normalized group message (Catena's GroupMessageCreate) → one MyGeotab `TextMessage` per recipient. Geotab
// has no group message: a TextMessage has one `recipient` User [ff:TextMessage; notes 5.7.2003 "Added
// `Recipient`. This property is used to send a text message to a user"], so a group of N people is N Adds,
// each the message ../messages/mapping.ts builds with its own recipient. One row per normalized field, with
// its source (keys as in ../writes-native.ts and ../messages/mapping.ts).
import type { GROUP_MESSAGE_ATTRIBUTE_NAMES } from '../../../contract/resources/messages.ts';
import { fieldSupport, refusalCollector } from '../../kit/mapping-kit.ts';
import type { Attrs, FieldSupport, MappingResult } from '../../kit/mapping-kit.ts';
import type { Write } from '../../kit/types.ts';
import { textContent, textRefusal } from '../messages/mapping.ts';

type GroupField = (typeof GROUP_MESSAGE_ATTRIBUTE_NAMES)[number];
type FieldRule = { kind: 'ref'; native: 'user' | 'recipient' } | { kind: 'content' };

const FIELD_RULES: Readonly<Record<GroupField, FieldRule>> = {
  // TextMessage.user, the sender, on every message of the group [ff:TextMessage; sample].
  sender_id: { kind: 'ref', native: 'user' },
  // One TextMessage per distinct recipient, each its `recipient` [ff:TextMessage; notes 5.7.2003].
  recipient_ids: { kind: 'ref', native: 'recipient' },
  // messageContent: TextContent {contentType: "Normal", message, urgent} [sample; sdkxml TextContent].
  message_text: { kind: 'content' },
  priority: { kind: 'content' },
};

export const GEOTAB_GROUP_MESSAGE_FIELD_SUPPORT: Readonly<Record<GroupField, FieldSupport>> = fieldSupport(FIELD_RULES);

/** The native body: the messages to Add, one per distinct recipient, in the order the partner listed them. */
export interface GroupMessageBody extends Record<string, unknown> {
  messages: Array<Record<string, unknown>>;
}

export function mapGroupMessageToGeotab(write: Write): MappingResult {
  const changes = write.changes as Attrs;
  const { refusals, refuse } = refusalCollector();
  const text = textRefusal(changes);
  if (text) refuse(text);
  const sender = write.refs?.sender_id;
  const recipients = write.refs?.recipient_ids;
  if (typeof sender !== 'string' || !Array.isArray(recipients)) {
    // The engine resolves every reference before it maps; a missing one is its bug, not the partner's.
    throw new Error('Geotab group message: sender_id and recipient_ids were not resolved to Geotab ids');
  }
  const distinct = [...new Set(recipients as readonly string[])];
  if (distinct.length === 0) {
    refuse({ field: 'recipient_ids', input: changes.recipient_ids ?? null, message: 'Geotab sends a text message to a recipient User: send at least one recipient_id' });
  }
  if (refusals.length > 0) return { ok: false, refusals };
  const template = { isDirectionToVehicle: true, messageContent: textContent(changes), user: { id: sender } };
  const body: GroupMessageBody = { messages: distinct.map((id) => ({ ...template, recipient: { id } })) };
  return { ok: true, body, dropped: [] };
}
