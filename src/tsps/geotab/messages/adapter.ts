// Geotab messages: the mapping (mapping.ts) and MyGeotab's `Add TextMessage` (../assets-client.ts), wired
// to the resource adapter interface. Create only (Catena writes a message once). Add answers the new
// message's id [GD sample: `string addedTextMessageId = await api.AddTextMessageAsync(...)`].
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../kit/types.ts';
import { addEntity } from '../assets-client.ts';
import { lookupSince } from '../../kit/adapter-kit.ts';
import { Budget } from '../session.ts';
import { WRITE_CLASSES } from '../writes-native.ts';
import { findSentMessages, MESSAGE_LOOKBACK_MS } from '../writes-once-client.ts';
import { GEOTAB_MESSAGE_FIELD_SUPPORT, mapMessageToGeotab } from './mapping.ts';

async function sendMessage(target: TspTarget, _write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
  return addEntity(target, 'TextMessage', body, new Budget(opts));
}

/**
 * A TextMessage carries no reference of the client's (no external id, [ff:TextMessage]). A create whose
 * answer was lost is found by what the message is: the newest message from the same sender to the same
 * recipient, with the same text, urgency and parent, sent within the retry window
 * (MESSAGE_LOOKBACK_MS) — Get TextMessage {userSearch, recipientSearch, fromDate}.
 * Trade-off: an identical message the same sender sent the same person within the window, whose own answer
 * was not lost, is taken for this one (the person has that text already); the alternative, never retrying,
 * would leave every lost answer to the partner.
 */
async function findExistingMessage(target: TspTarget, write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt & { found: boolean }> {
  const { attempt, byRecipient } = await findSentMessages(target, [body], new Budget(opts), lookupSince(write, MESSAGE_LOOKBACK_MS));
  if (!byRecipient) return { ...attempt, found: false };
  const id = [...byRecipient.values()][0];
  return id === undefined ? { ...attempt, found: false } : { ...attempt, found: true, sourceId: id };
}

export const geotabMessages: ResourceAdapter = {
  operations: { create: 'implemented' },
  rateClass: () => WRITE_CLASSES.addMessage,
  fields: GEOTAB_MESSAGE_FIELD_SUPPORT,
  map: mapMessageToGeotab,
  send: sendMessage,
  findExisting: findExistingMessage,
};
