// Thin calls to Motive's messages and fuel purchases APIs, and reading their answers. Sources:
//   [v2-send]     https://developer.gomotive.com/reference/send-a-a-bulk-message-to-your-users-v2
//                 (POST /v2/messages {sender_id, receiver_ids, body} → `message {id (string), sent_at,
//                 sender_id, recipient_ids, body, …}`)
//   [v2-list]     https://developer.gomotive.com/reference/fetch-a-list-of-all-messages-for-user-using-a-date-range
//                 (GET /v2/messages: "all the messages sent by a user", params sender_id and receiver_ids;
//                 items `message {id, sent_at, sender_id, receiver_ids, body, …}`)
//   [fuel-create] https://developer.gomotive.com/reference/create-a-new-fuel-purchase-transaction
//                 (POST /v1/fuel_purchases; the answer's fields start with `id`; the page names no envelope,
//                 so `{"fuel_purchase": {…}}` and a bare record are both read, as the asset answers are)
// Motive publishes no rate limit for these endpoints (providers-messages-fuel-dvir.md §5): every call
// takes the default class.
import { idString, isJsonObject, resourceAttempt } from '../kit/adapter-kit.ts';
import { restCaller } from '../kit/http.ts';
import type { TspResponse, TspResult } from '../kit/http.ts';
import type { Attempt, CallOptions, TspTarget } from '../kit/types.ts';
import { motiveErrorDetails } from './client.ts';
import { MOTIVE } from './descriptor.ts';

const call = restCaller(MOTIVE);

type JsonObject = Record<string, unknown>;

/** POST /v2/messages: one message from `sender_id` to every one of `receiver_ids` [v2-send]. */
export const sendMessage = (target: TspTarget, body: Record<string, unknown>, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'POST', '/v2/messages', { body });

/**
 * GET /v2/messages?sender_id=…&receiver_ids[]=… [v2-list]: the sender's messages to those receivers. The
 * array goes Rails' way (`receiver_ids[]`, repeated), in the query, as the page says of its parameters.
 */
export function listSentMessages(target: TspTarget, senderId: string, receiverIds: readonly string[], opts: CallOptions): Promise<TspResult> {
  const query = new URLSearchParams([['sender_id', senderId], ...receiverIds.map((id): [string, string] => ['receiver_ids[]', id])]);
  return call(target, opts, 'GET', `/v2/messages?${query.toString()}`);
}

/** POST /v1/fuel_purchases [fuel-create]. */
export const createFuelPurchase = (target: TspTarget, body: Record<string, unknown>, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'POST', '/v1/fuel_purchases', { body });

/** The record under `key` of an answer, or the answer itself when it is the bare record. */
function recordOf(res: TspResponse, key: string): JsonObject | undefined {
  const json = res.json;
  if (!isJsonObject(json)) return undefined;
  return isJsonObject(json[key]) ? (json[key] as JsonObject) : json;
}

/** An Attempt for a send: ok carries Motive's message id (a string [v2-send]). */
export const messageAttempt = (result: TspResult): Attempt =>
  resourceAttempt(result, motiveErrorDetails, (res) => idString(recordOf(res, 'message')?.id), 'Motive', 'message', (res) => recordOf(res, 'message'));

/** An Attempt for a fuel purchase create: ok carries its id (an integer [fuel-create]). */
export const fuelPurchaseAttempt = (result: TspResult): Attempt =>
  resourceAttempt(result, motiveErrorDetails, (res) => idString(recordOf(res, 'fuel_purchase')?.id), 'Motive', 'fuel purchase', (res) =>
    recordOf(res, 'fuel_purchase'),
  );

/** A message of the list, as far as finding one again needs it. */
export interface ListedMessage {
  id: string;
  senderId: string;
  receiverIds: string[];
  body: string;
  sentAtMs: number;
}

/**
 * The messages of a list answer [v2-list] (`{"messages": [{"message": {…}}]}`; a bare array of messages
 * is read too), or undefined when the answer is no list at all. Items that lack an id, a body or a time
 * are skipped: they cannot be the message looked for.
 */
export function listedMessages(res: TspResponse): ListedMessage[] | undefined {
  const json = res.json;
  const items = Array.isArray(json) ? json : isJsonObject(json) && Array.isArray(json.messages) ? json.messages : undefined;
  if (items === undefined) return undefined;
  const out: ListedMessage[] = [];
  for (const item of items) {
    const m = isJsonObject(item) && isJsonObject(item.message) ? item.message : item;
    if (!isJsonObject(m)) continue;
    const id = idString(m.id);
    const receivers = Array.isArray(m.receiver_ids) ? m.receiver_ids : Array.isArray(m.recipient_ids) ? m.recipient_ids : [];
    const sentAtMs = typeof m.sent_at === 'string' ? Date.parse(m.sent_at) : NaN;
    if (id === undefined || typeof m.body !== 'string' || Number.isNaN(sentAtMs)) continue;
    out.push({ id, senderId: String(m.sender_id), receiverIds: receivers.map(String), body: m.body, sentAtMs });
  }
  return out;
}
