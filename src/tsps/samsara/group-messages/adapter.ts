// Samsara group messages: one POST /v1/fleet/messages `{driverIds: [every recipient], text}` (SDK
// samsarahq/samsara-python src/samsara/messages/raw_client.py v_1_create_messages: "Send a message to a
// list of driver ids"), the mapping in mapping.ts. Samsara answers one `{driverId, text}` row per driver
// and no id, so the record has no source id. One call, so the group is sent whole or not at all.
//
// Duplicate safety: none is possible (a message to several drivers may even list as one row with
// driverId 0), so `refindable: false`: a group message whose answer was lost is failed with the reason
// (../writes-once-refind.ts), never sent twice unasked.
// Call: POST /v1/fleet/messages, in the default class (no limit of its own is documented).
import type { ResourceAdapter } from '../../kit/types.ts';
import { DEFAULT_RATE_CLASS } from '../../kit/types.ts';
import { messagesAttempt, postMessages } from '../writes-once-client.ts';
import { cannotLookUp, MESSAGES_NOT_REFINDABLE } from '../writes-once-refind.ts';
import { mapGroupMessageToSamsara, SAMSARA_GROUP_MESSAGE_FIELD_SUPPORT } from './mapping.ts';

export const samsaraGroupMessages: ResourceAdapter = {
  operations: { create: 'implemented' },
  rateClass: () => DEFAULT_RATE_CLASS,
  fields: SAMSARA_GROUP_MESSAGE_FIELD_SUPPORT,
  map: mapGroupMessageToSamsara,
  send: async (target, _write, body, opts) => messagesAttempt(await postMessages(target, body, opts)),
  refindable: false,
  refindReason: MESSAGES_NOT_REFINDABLE,
  findExisting: async () => cannotLookUp(MESSAGES_NOT_REFINDABLE),
};
