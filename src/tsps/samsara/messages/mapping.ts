// Normalized message (Catena MessageCreate) → Samsara `POST /v1/fleet/messages` body `{driverIds, text}`.
// One row per normalized field (FIELD_RULES), each with its source; the capability matrix, the
// submit-time refusals and the mapper all read it (../once-mapping.ts).
// Sources: [sdk-py] samsarahq/samsara-python @ e2e567ef, src/samsara/messages/raw_client.py
// v_1_create_messages (the body is driverIds and text, nothing else) and types/v_1_message_sender.py
// (GET lists a sender "either dispatch or driver"); [pm] shared/reference/providers-messages-fuel-dvir.md
// §3.3 and §3.5 (Samsara column).
import type { MessageAttributes } from '../../../contract/resources/messages.ts';
import { MESSAGE_ATTRIBUTE_NAMES } from '../../../contract/resources/messages.ts';
import type { MappingResult, Write } from '../../kit/types.ts';
import { deriveRecipient, deriveText } from '../message-derive.ts';
import { mapOnce, onceFieldSupport } from '../once-mapping.ts';
import type { OnceFieldRule } from '../once-mapping.ts';

type Field = keyof MessageAttributes;
type Group = 'recipient' | 'text';

/** Shared with the group form: what Samsara does with a message's sender and priority. */
export const NO_SENDER =
  'Samsara has no sender field: the API sends as the token\'s organization (dispatch) [sdk-py v_1_create_messages, v_1_message_sender]; the sender is checked as a user of this connection, not sent';
export const NO_PRIORITY = 'Samsara messages have no priority [sdk-py v_1_create_messages: driverIds and text only]';

const FIELD_RULES: Readonly<Record<Field, OnceFieldRule<Group>>> = {
  sender_id: { kind: 'not_stored', why: NO_SENDER },
  // `driverIds: [id]`: the recipient user's Samsara driver id (write.refs) [sdk-py].
  recipient_id: { kind: 'derived', group: 'recipient' },
  // `text`, required, ≤ 2500 characters [sdk-py]; Catena's message_text is optional: refused when absent.
  message_text: { kind: 'derived', group: 'text' },
  priority: { kind: 'not_stored', why: NO_PRIORITY },
  reply_to_message_id: { kind: 'not_stored', why: 'Samsara messages have no reply or thread reference [sdk-py v_1_create_messages]' },
};

const SPEC = { rules: FIELD_RULES, fields: MESSAGE_ATTRIBUTE_NAMES, derivations: { recipient: deriveRecipient<Field>, text: deriveText<Field> } };

/** What Samsara keeps of each normalized message field (read by the capability matrix). */
export const SAMSARA_MESSAGE_FIELD_SUPPORT = onceFieldSupport(FIELD_RULES);

/** The POST /v1/fleet/messages body for one message, or the refusals. */
export const mapMessageToSamsara = (write: Write): MappingResult => mapOnce<Field, Group>(SPEC, write);
