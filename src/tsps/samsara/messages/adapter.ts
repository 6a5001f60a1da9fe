// Samsara messages: one POST /v1/fleet/messages `{driverIds: [recipient], text}` per message (SDK
// samsarahq/samsara-python src/samsara/messages/raw_client.py v_1_create_messages), the mapping in
// mapping.ts. Samsara answers the sent rows `{driverId, text}` with no message id, so fleetgate's record
// has no source id (and a reply_to_message_id naming it is refused at submit by the engine).
//
// Duplicate safety: none is possible, so `refindable: false`: a message whose answer was lost is failed
// with the reason (MESSAGES_NOT_REFINDABLE, ../writes-once-refind.ts), never sent twice unasked.
// Call: POST /v1/fleet/messages, in the default class (no limit of its own is documented).
import type { ResourceAdapter } from '../../kit/types.ts';
import { DEFAULT_RATE_CLASS } from '../../kit/types.ts';
import { messagesAttempt, postMessages } from '../writes-once-client.ts';
import { cannotLookUp, MESSAGES_NOT_REFINDABLE } from '../writes-once-refind.ts';
import { mapMessageToSamsara, SAMSARA_MESSAGE_FIELD_SUPPORT } from './mapping.ts';

export const samsaraMessages: ResourceAdapter = {
  operations: { create: 'implemented' },
  rateClass: () => DEFAULT_RATE_CLASS,
  fields: SAMSARA_MESSAGE_FIELD_SUPPORT,
  map: mapMessageToSamsara,
  send: async (target, _write, body, opts) => messagesAttempt(await postMessages(target, body, opts)),
  refindable: false,
  refindReason: MESSAGES_NOT_REFINDABLE,
  findExisting: async () => cannotLookUp(MESSAGES_NOT_REFINDABLE),
};
