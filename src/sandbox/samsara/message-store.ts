// An organization's driver messages (Samsara's legacy POST and GET /v1/fleet/messages): the POST body
// as Samsara validates it, one stored row per recipient driver (the POST answers one V1Message per
// driver, the GET one row per driver and message), and the GET's time window. Fields and limits are
// the SDK's (./writes-once-vendor.ts). The answer to a POST carries no message id [sdk-py
// types/v_1_message.py: driverId and text only], so nothing here has one either.
import { badRequest } from './errors.ts';
import { isObject } from './field-checks.ts';
import type { Json } from './field-checks.ts';
import { API_SENDER, MESSAGE_LIST_DEFAULT_DURATION_MS, MESSAGE_TEXT_MAX } from './writes-once-vendor.ts';

/** One message to one driver, as GET /v1/fleet/messages lists it (V1MessageResponse). */
export interface StoredMessage {
  driverId: number;
  text: string;
  sentAtMs: number;
  isRead: boolean;
  sender: { name: string; type: string };
}

export interface MessagePost {
  driverIds: number[];
  text: string;
}

const BODY_FIELDS = ['driverIds', 'text'];

/**
 * POST /v1/fleet/messages `{driverIds: int64[], text}`: both required, text at most 2500 characters
 * (counted as Unicode characters, not UTF-16 units). Each id must be a driver of the organization.
 */
export function parseMessagePost(body: unknown, isDriver: (id: string) => boolean): MessagePost {
  if (!isObject(body)) throw badRequest('Request body must be a JSON object');
  for (const key of Object.keys(body)) if (!BODY_FIELDS.includes(key)) throw badRequest(`Unknown field: ${key}`);
  const { driverIds, text } = body;
  if (driverIds === undefined) throw badRequest('driverIds is required');
  if (!Array.isArray(driverIds) || driverIds.some((id) => !Number.isSafeInteger(id) || (id as number) < 0)) {
    throw badRequest('Invalid value for driverIds: must be an array of integer driver ids');
  }
  if (driverIds.length === 0) throw badRequest('Invalid value for driverIds: at least one driver id is required');
  if (text === undefined) throw badRequest('text is required');
  if (typeof text !== 'string' || text === '') throw badRequest('Invalid value for text: must be a non-empty string');
  const length = [...text].length;
  if (length > MESSAGE_TEXT_MAX) throw badRequest(`Invalid value for text: must be at most ${MESSAGE_TEXT_MAX} characters (got ${length})`);
  const unknown = (driverIds as number[]).find((id) => !isDriver(String(id)));
  if (unknown !== undefined) throw badRequest(`Invalid value for driverIds: driver ${unknown} not found`);
  return { driverIds: driverIds as number[], text };
}

/** A non-negative integer query parameter (milliseconds), or undefined when absent. */
function msParam(query: Record<string, unknown>, name: string): number | undefined {
  const raw = query[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (first === undefined || first === '') return undefined;
  const n = typeof first === 'string' && /^\d+$/.test(first) ? Number(first) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(`Invalid value for ${name}: must be an integer number of milliseconds`);
  return n;
}

/**
 * GET /v1/fleet/messages: `endMs` ("Defaults to now") and `durationMs` ("the duration before endMs to
 * query. Defaults to 24 hours") [sdk-py v_1_get_messages]; any other parameter is a 400.
 */
export function messageWindow(query: Record<string, unknown>, nowMs: number): { fromMs: number; toMs: number } {
  for (const name of Object.keys(query)) if (name !== 'endMs' && name !== 'durationMs') throw badRequest(`Unknown query parameter: ${name}`);
  const toMs = msParam(query, 'endMs') ?? nowMs;
  const durationMs = msParam(query, 'durationMs') ?? MESSAGE_LIST_DEFAULT_DURATION_MS;
  return { fromMs: toMs - durationMs, toMs };
}

export class MessageStore {
  private readonly rows: StoredMessage[];

  constructor(
    saved: readonly StoredMessage[],
    private readonly changed: () => void,
  ) {
    this.rows = [...saved];
  }

  all(): StoredMessage[] {
    return [...this.rows];
  }

  /** Sends `text` to every driver listed: one row each, from the API's (dispatch) sender. */
  send(post: MessagePost, nowMs: number): StoredMessage[] {
    const sent = post.driverIds.map((driverId) => ({ driverId, text: post.text, sentAtMs: nowMs, isRead: false, sender: { ...API_SENDER } }));
    this.rows.push(...sent);
    this.changed();
    return sent;
  }

  /** "Returns the fetched messages from most recently sent to least recently sent" [sdk-py], in (from, to]. */
  list(window: { fromMs: number; toMs: number }): StoredMessage[] {
    return this.rows.filter((m) => m.sentAtMs > window.fromMs && m.sentAtMs <= window.toMs).sort((a, b) => b.sentAtMs - a.sentAtMs);
  }
}

/** A POST's answer rows: V1Message `{driverId, text}` [sdk-py types/v_1_message.py]. */
export const renderSent = (m: StoredMessage): Json => ({ driverId: m.driverId, text: m.text });

/** A GET's rows: V1MessageResponse `{driverId, isRead, sender, sentAtMs, text}` [sdk-py types/v_1_message_response.py]. */
export const renderListed = (m: StoredMessage): Json => ({ driverId: m.driverId, isRead: m.isRead, sender: { ...m.sender }, sentAtMs: m.sentAtMs, text: m.text });
