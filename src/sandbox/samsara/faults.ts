// Forced outcomes for the next /fleet requests of an account, so tests and partners can provoke what the
// real Samsara does on a bad day: 5xx (often plain text) and 429 answers, slow answers that trip client
// timeouts, and "lost responses" where the write happened but the client never learns it (after_apply).
import { badRequest } from './errors.ts';

export interface Fault {
  /** Replaces the answer's status; absent means "answer normally" (after any delay). */
  status?: number;
  /** Replaces the body: a string is sent as-is (text/plain, e.g. a 502 page), anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delay_ms?: number;
  /** Perform the real request first, then wait and answer with the fault (or the real answer, late). */
  after_apply?: boolean;
}

// Long enough to outlast any sane client timeout, short enough that a typo can't wedge a test run.
const MAX_DELAY_MS = 600_000;

function parseFault(raw: unknown, index: number): Fault {
  const at = `faults[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest(`${at} must be an object`);
  const src = raw as Record<string, unknown>;
  const fault: Fault = {};
  for (const key of Object.keys(src)) {
    if (!['status', 'body', 'headers', 'delay_ms', 'after_apply'].includes(key)) throw badRequest(`${at}: unknown field ${key}`);
  }
  if (src.status !== undefined) {
    if (!Number.isInteger(src.status) || (src.status as number) < 200 || (src.status as number) > 599) {
      throw badRequest(`${at}.status must be an integer between 200 and 599`);
    }
    fault.status = src.status as number;
  }
  if (src.body !== undefined) fault.body = src.body;
  if (src.headers !== undefined) {
    const h = src.headers;
    if (typeof h !== 'object' || h === null || Array.isArray(h)) throw badRequest(`${at}.headers must be an object`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) {
      if (typeof v !== 'string' && typeof v !== 'number') throw badRequest(`${at}.headers.${k} must be a string`);
      headers[k.toLowerCase()] = String(v);
    }
    fault.headers = headers;
  }
  if (src.delay_ms !== undefined) {
    const d = src.delay_ms;
    if (!Number.isInteger(d) || (d as number) < 0 || (d as number) > MAX_DELAY_MS) {
      throw badRequest(`${at}.delay_ms must be an integer between 0 and ${MAX_DELAY_MS}`);
    }
    fault.delay_ms = d as number;
  }
  if (src.after_apply !== undefined) {
    if (typeof src.after_apply !== 'boolean') throw badRequest(`${at}.after_apply must be true or false`);
    fault.after_apply = src.after_apply;
  }
  return fault;
}

/** Accepts `{faults: [...]}` or a single fault object. */
export function parseFaults(body: unknown): Fault[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('Body must be {"faults": [...]} or a single fault object');
  }
  const rec = body as Record<string, unknown>;
  if (Object.hasOwn(rec, 'faults')) {
    if (!Array.isArray(rec.faults)) throw badRequest('faults must be an array');
    return rec.faults.map(parseFault);
  }
  return [parseFault(rec, 0)];
}
