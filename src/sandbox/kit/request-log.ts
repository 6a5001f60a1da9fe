// The request log a sandbox keeps per account (GET /_sandbox/requests): the last entries only, with
// passwords masked, so a partner can see what their client really sent without the log growing forever.
import type { FastifyRequest } from 'fastify';
import type { Answer } from './answer.ts';

export const MAX_LOGGED_REQUESTS = 1000;

/** Appends an entry, dropping the oldest beyond the cap. */
export function appendCapped<E>(log: E[], entry: E): void {
  log.push(entry);
  if (log.length > MAX_LOGGED_REQUESTS) log.splice(0, log.length - MAX_LOGGED_REQUESTS);
}

/** A REST sandbox's log entry (Motive, Samsara). */
export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  status: number;
  response_body: unknown;
}

export function maskPasswords(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskPasswords);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = /password/i.test(k) ? '[REDACTED]' : maskPasswords(v);
  return out;
}

/** The body as the request log shows it: parsed when possible, passwords always masked. */
function loggableBody(req: FastifyRequest): unknown {
  const raw = req.body as string | undefined;
  if (raw === undefined || raw === '') return null;
  try {
    return maskPasswords(JSON.parse(raw) as unknown);
  } catch {
    return raw.replace(/("[^"]*password[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, '$1"[REDACTED]"');
  }
}

/** The entry for a REST request; the path is shown without the mount prefix (/sandbox/<tsp>). */
export function restLogEntry(req: FastifyRequest, pathPrefix: string, receivedAt: number, answer: Answer): RequestLogEntry {
  const [pathname, search = ''] = req.url.split('?', 2);
  const path = pathPrefix && pathname.startsWith(pathPrefix) ? pathname.slice(pathPrefix.length) || '/' : pathname;
  return {
    at: new Date(receivedAt).toISOString(),
    method: req.method,
    path,
    query: Object.fromEntries(new URLSearchParams(search)),
    body: loggableBody(req),
    status: answer.status,
    response_body: answer.body,
  };
}
