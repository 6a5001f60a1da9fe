// Normalized group message (Catena GroupMessageCreate) → Samsara `POST /v1/fleet/messages` body
// `{driverIds, text}`: the same endpoint as a message, every recipient in one call ("Send a message to a
// list of driver ids"). One row per normalized field (FIELD_RULES), each with its source; the capability
// matrix, the submit-time refusals and the mapper all read it (../once-mapping.ts).
// Sources: [sdk-py] samsarahq/samsara-python @ e2e567ef, src/samsara/messages/raw_client.py
// v_1_create_messages; [pm] shared/reference/providers-messages-fuel-dvir.md §3.3 and §3.5.
import type { GroupMessageAttributes } from '../../../contract/resources/messages.ts';
import { GROUP_MESSAGE_ATTRIBUTE_NAMES } from '../../../contract/resources/messages.ts';
import type { MappingResult, Write } from '../../kit/types.ts';
import { deriveRecipients, deriveText } from '../message-derive.ts';
import { NO_PRIORITY, NO_SENDER } from '../messages/mapping.ts';
import { mapOnce, onceFieldSupport } from '../once-mapping.ts';
import type { OnceFieldRule } from '../once-mapping.ts';

type Field = keyof GroupMessageAttributes;
type Group = 'recipients' | 'text';

const FIELD_RULES: Readonly<Record<Field, OnceFieldRule<Group>>> = {
  sender_id: { kind: 'not_stored', why: NO_SENDER },
  // `driverIds`: every recipient user's Samsara driver id (write.refs), each once [sdk-py].
  recipient_ids: { kind: 'derived', group: 'recipients' },
  // `text`, required, ≤ 2500 characters [sdk-py]; refused when absent.
  message_text: { kind: 'derived', group: 'text' },
  priority: { kind: 'not_stored', why: NO_PRIORITY },
};

const SPEC = { rules: FIELD_RULES, fields: GROUP_MESSAGE_ATTRIBUTE_NAMES, derivations: { recipients: deriveRecipients<Field>, text: deriveText<Field> } };

/** What Samsara keeps of each normalized group-message field (read by the capability matrix). */
export const SAMSARA_GROUP_MESSAGE_FIELD_SUPPORT = onceFieldSupport(FIELD_RULES);

/** The POST /v1/fleet/messages body for a group message, or the refusals. */
export const mapGroupMessageToSamsara = (write: Write): MappingResult => mapOnce<Field, Group>(SPEC, write);
