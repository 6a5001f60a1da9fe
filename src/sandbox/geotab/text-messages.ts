// The Geotab TextMessage entity as the sandbox validates, stores, renders and searches it (sources in
// ./writes-vendor.ts). A message goes to a Device or to a recipient User: "Added `Recipient`. This property is
// used to send a text message to a user" [notes 5.7.2003]; `device` "Default [Null]" [ff:TextMessage].
// DISAGREES WITH VENDOR: Geotab sets `sent` and `delivered` as the message travels ("Default [MaxDate]"); the
// sandbox delivers nothing, so `sent` is the time of the Add (unless the client sends one, as Geotab's Java
// sample does) and `delivered` stays MaxDate. A message to neither a device nor a user is refused, which
// Geotab does not document. Only TextContent ("Normal") is implemented; other content types are refused.
// UNVERIFIED: that Geotab accepts an Add with a recipient and no device rests on the release note above and
// the object model's default; no stored Geotab sample sends one (every sample names a device), and no real
// MyGeotab server was reachable to try it (shared/reference/providers-messages-fuel-dvir.md §6, question 6).
import { argumentError } from './errors.ts';
import { serializerError } from './asset-fields.ts';
import { criteria } from './asset-search.ts';
import { DEVICE_MAX_DATE } from './asset-vendor.ts';
import type { Lookups } from './writes-lookups.ts';
import { given, idOnlySearch, isObject, readBool, readDate, readEnum, readRef, ref, refuseMembers } from './writes-fields.ts';
import {
  IMPLEMENTED_CONTENT_TYPE,
  MESSAGE_CONTENT_TYPES,
  TEXT_MESSAGE_SEARCH_IMPLEMENTED,
  TEXT_MESSAGE_SEARCH_NOT_IMPLEMENTED,
  UNMODELLED_TEXT_MESSAGE_MEMBERS,
} from './writes-vendor.ts';

type Json = Record<string, unknown>;

export interface StoredTextMessage {
  id: string;
  version: number;
  user: string | null;
  recipient: string | null;
  device: string | null;
  parentMessage: string | null;
  isDirectionToVehicle: boolean;
  content: { contentType: string; message: string; urgent: boolean };
  sent: string;
  delivered: string;
  activeFrom: string;
  activeTo: string;
}

function readContent(value: unknown): StoredTextMessage['content'] {
  if (!isObject(value)) throw argumentError("'messageContent' is required");
  const contentType = readEnum(value.contentType, MESSAGE_CONTENT_TYPES);
  if (contentType !== IMPLEMENTED_CONTENT_TYPE) throw argumentError(`messageContent of type ${contentType} is not supported by the fleetgate sandbox (Normal only)`);
  if (!given(value.message)) throw argumentError("'messageContent.message' is required");
  if (typeof value.message !== 'string') throw serializerError();
  if (value.message.trim() === '') throw argumentError("'messageContent.message' must not be empty");
  return { contentType, message: value.message, urgent: given(value.urgent) ? readBool(value.urgent) : false };
}

function existing(kind: 'User' | 'Device' | 'TextMessage', member: string, id: string, exists: (id: string) => boolean): string {
  if (!exists(id)) throw argumentError(`TextMessage.${member}: no ${kind} with id '${id}'`);
  return id;
}

export function parseTextMessage(entity: Json, lookups: Lookups, messageExists: (id: string) => boolean, now: number): Omit<StoredTextMessage, 'id' | 'version'> {
  refuseMembers('TextMessage', entity, UNMODELLED_TEXT_MESSAGE_MEMBERS);
  const optionalRef = (member: string, kind: 'User' | 'Device' | 'TextMessage', exists: (id: string) => boolean) =>
    given(entity[member]) ? existing(kind, member, readRef(entity[member]), exists) : null;
  const device = optionalRef('device', 'Device', lookups.device);
  const recipient = optionalRef('recipient', 'User', lookups.user);
  if (device === null && recipient === null) throw argumentError('A TextMessage is sent to a device or to a recipient user: send device or recipient');
  const sent = given(entity.sent) ? readDate(entity.sent) : new Date(now).toISOString();
  return {
    user: optionalRef('user', 'User', lookups.user),
    recipient,
    device,
    parentMessage: optionalRef('parentMessage', 'TextMessage', messageExists),
    isDirectionToVehicle: given(entity.isDirectionToVehicle) ? readBool(entity.isDirectionToVehicle) : false,
    content: readContent(entity.messageContent),
    sent,
    delivered: given(entity.delivered) ? readDate(entity.delivered) : DEVICE_MAX_DATE,
    activeFrom: given(entity.activeFrom) ? readDate(entity.activeFrom) : sent,
    activeTo: given(entity.activeTo) ? readDate(entity.activeTo) : DEVICE_MAX_DATE,
  };
}

export const renderTextMessage = (m: StoredTextMessage): Json => ({
  id: m.id,
  version: m.version,
  user: ref(m.user),
  recipient: ref(m.recipient),
  device: ref(m.device),
  parentMessage: ref(m.parentMessage),
  isDirectionToVehicle: m.isDirectionToVehicle,
  messageContent: { ...m.content },
  sent: m.sent,
  delivered: m.delivered,
  read: null,
  markedReadBy: null,
  activeFrom: m.activeFrom,
  activeTo: m.activeTo,
});

/** TextMessageSearch: fromDate / toDate on `sent` ("sent at this date or after / before", [ff]). */
export function textMessageFilter(search: unknown): (m: StoredTextMessage) => boolean {
  const c = criteria('TextMessage', search, TEXT_MESSAGE_SEARCH_IMPLEMENTED, TEXT_MESSAGE_SEARCH_NOT_IMPLEMENTED);
  const tests: Array<(m: StoredTextMessage) => boolean> = [];
  if (c.id !== undefined) {
    const id = c.id;
    if (typeof id !== 'string') throw serializerError();
    tests.push((m) => m.id === id);
  }
  if (c.userSearch !== undefined) {
    const id = idOnlySearch('TextMessageSearch.userSearch', c.userSearch);
    tests.push((m) => m.user === id);
  }
  if (c.recipientSearch !== undefined) {
    const id = idOnlySearch('TextMessageSearch.recipientSearch', c.recipientSearch);
    tests.push((m) => m.recipient === id);
  }
  if (c.deviceSearch !== undefined) {
    const id = idOnlySearch('TextMessageSearch.deviceSearch', c.deviceSearch);
    tests.push((m) => m.device === id);
  }
  if (c.fromDate !== undefined) {
    const from = Date.parse(readDate(c.fromDate));
    tests.push((m) => Date.parse(m.sent) >= from);
  }
  if (c.toDate !== undefined) {
    const to = Date.parse(readDate(c.toDate));
    tests.push((m) => Date.parse(m.sent) <= to);
  }
  if (c.contentTypes !== undefined) {
    if (!Array.isArray(c.contentTypes)) throw serializerError();
    const types = c.contentTypes.map((t) => readEnum(t, MESSAGE_CONTENT_TYPES));
    tests.push((m) => types.includes(m.content.contentType as (typeof MESSAGE_CONTENT_TYPES)[number]));
  }
  if (c.isDirectionToVehicle !== undefined) {
    const toVehicle = readBool(c.isDirectionToVehicle);
    tests.push((m) => m.isDirectionToVehicle === toVehicle);
  }
  if (c.parentMessageId !== undefined) {
    const parent = c.parentMessageId;
    if (typeof parent !== 'string') throw serializerError();
    tests.push((m) => m.parentMessage === parent);
  }
  return (m) => tests.every((t) => t(m));
}
