// Motive messages: the mapping (mapping.ts) on Motive's v2 messages calls, a lost send found again in
// the sender's list (message-adapter.ts).
import { motiveMessageAdapter } from '../message-adapter.ts';
import { mapMessageToMotive, MOTIVE_MESSAGE_FIELD_SUPPORT } from './mapping.ts';

export const motiveMessages = motiveMessageAdapter({ fields: MOTIVE_MESSAGE_FIELD_SUPPORT, map: mapMessageToMotive });
