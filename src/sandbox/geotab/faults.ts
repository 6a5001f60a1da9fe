// Forced outcomes for the next /apiv1 calls of a database: Geotab errors inside HTTP 200, HTTP 5xx,
// slow answers that trip client timeouts, and lost answers where the call was applied but the client
// never hears it (after_apply). `method` aims a fault at one JSON-RPC method (e.g. "Add") so a test can
// fault a write without the adapter's Authenticate consuming it.
import { ControlError } from './errors.ts';

export interface Fault {
  /** Only calls of this JSON-RPC method take the fault (first matching fault in queue order). */
  method?: string;
  /** HTTP status of the answer; 200 when only a body or error is given. */
  status?: number;
  /** Replaces the JSON-RPC answer: a string is sent as-is, anything else as JSON. */
  body?: unknown;
  /** Shortcut for a Geotab error answer: `{type: "OverLimitException", message?}` inside HTTP 200. */
  error?: { type: string; message?: string };
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delay_ms?: number;
  /** Apply the call first, then (after any delay) answer with the fault or the real answer. */
  after_apply?: boolean;
}

const MAX_DELAY_MS = 600_000;
const bad = (message: string) => new ControlError(400, message);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseFault(raw: unknown, index: number): Fault {
  const at = `faults[${index}]`;
  if (!isObject(raw)) throw bad(`${at} must be an object`);
  const fault: Fault = {};
  for (const key of Object.keys(raw)) {
    if (!['method', 'status', 'body', 'error', 'headers', 'delay_ms', 'after_apply'].includes(key)) {
      throw bad(`${at}.${key} is not a fault field`);
    }
  }
  if (raw.method !== undefined) {
    if (typeof raw.method !== 'string' || raw.method === '') throw bad(`${at}.method must be a method name`);
    fault.method = raw.method;
  }
  if (raw.status !== undefined) {
    const s = raw.status;
    if (!Number.isInteger(s) || (s as number) < 200 || (s as number) > 599) throw bad(`${at}.status must be 200-599`);
    fault.status = s as number;
  }
  if (raw.body !== undefined) fault.body = raw.body;
  if (raw.error !== undefined) {
    const e = raw.error;
    if (!isObject(e) || typeof e.type !== 'string' || (e.message !== undefined && typeof e.message !== 'string')) {
      throw bad(`${at}.error must be {"type": string, "message"?: string}`);
    }
    fault.error = { type: e.type, ...(e.message !== undefined ? { message: e.message as string } : {}) };
  }
  if (raw.headers !== undefined) {
    if (!isObject(raw.headers)) throw bad(`${at}.headers must be an object`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw.headers)) {
      if (typeof v !== 'string' && typeof v !== 'number') throw bad(`${at}.headers.${k} must be a string`);
      headers[k.toLowerCase()] = String(v);
    }
    fault.headers = headers;
  }
  if (raw.delay_ms !== undefined) {
    const d = raw.delay_ms;
    if (!Number.isInteger(d) || (d as number) < 0 || (d as number) > MAX_DELAY_MS) {
      throw bad(`${at}.delay_ms must be an integer between 0 and ${MAX_DELAY_MS}`);
    }
    fault.delay_ms = d as number;
  }
  if (raw.after_apply !== undefined) {
    if (typeof raw.after_apply !== 'boolean') throw bad(`${at}.after_apply must be true or false`);
    fault.after_apply = raw.after_apply;
  }
  return fault;
}

/** Accepts `{faults: [...]}` or a single fault object. */
export function parseFaults(body: unknown): Fault[] {
  if (!isObject(body)) throw bad('Body must be {"faults": [...]} or a single fault object');
  if (Object.hasOwn(body, 'faults')) {
    if (!Array.isArray(body.faults)) throw bad('faults must be an array');
    return body.faults.map(parseFault);
  }
  return [parseFault(body, 0)];
}

/** Whether the fault replaces the answer (otherwise it only delays it). */
export const replacesAnswer = (f: Fault): boolean => f.status !== undefined || f.body !== undefined || f.error !== undefined;
