// Motive group messages: the mapping (mapping.ts) on Motive's v2 bulk send, a lost send found again in
// the sender's list by its receivers and text (message-adapter.ts).
import { motiveMessageAdapter } from '../message-adapter.ts';
import { mapGroupMessageToMotive, MOTIVE_GROUP_MESSAGE_FIELD_SUPPORT } from './mapping.ts';

export const motiveGroupMessages = motiveMessageAdapter({ fields: MOTIVE_GROUP_MESSAGE_FIELD_SUPPORT, map: mapGroupMessageToMotive });
