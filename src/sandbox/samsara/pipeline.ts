// What every /fleet request goes through, in the order an API gateway + service would apply it:
// authenticate → rate limit → (sandbox) fault and latency → parse the body → the action → log → answer.
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SamsaraAccount } from './account.ts';
import { errorBody, SamsaraApiError } from './errors.ts';
import type { Fault } from './faults.ts';
import type { SamsaraSandboxState } from './state.ts';

export interface Answer {
  status: number;
  /** A string is sent as-is (text/plain unless a header says otherwise); anything else as JSON. */
  body: unknown;
  headers?: Record<string, string>;
}

export interface ActionInput {
  /** The JSON body; {} when absent. */
  body: unknown;
  query: Record<string, unknown>;
  params: Record<string, string>;
  /** The state clock at the moment the action runs (createdAtTime / updatedAtTime). */
  nowIso: string;
}

export type Action = (account: SamsaraAccount, input: ActionInput) => Answer;

/** The raw body as the sandbox's catch-all content-type parser leaves it. */
type RawBody = string | undefined;

/** `Authorization: Bearer <token>` is Samsara's only scheme [doc]. */
export function authenticate(state: SamsaraSandboxState, req: FastifyRequest): SamsaraAccount {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) throw new SamsaraApiError(401, 'Unauthorized: missing bearer token');
  const account = state.findAccount(match[1]);
  if (!account) throw new SamsaraApiError(401, 'Unauthorized: invalid token');
  return account;
}

const isJsonType = (req: FastifyRequest): boolean => /\bjson\b/i.test(req.headers['content-type'] ?? '');

/** Parses the JSON body; malformed JSON (or a non-JSON content type with a body) is a 400. */
export function parseJsonBody(req: FastifyRequest): unknown {
  const raw = req.body as RawBody;
  if (raw === undefined || raw.trim() === '') return {};
  if (!isJsonType(req)) throw new SamsaraApiError(400, 'Content-Type must be application/json');
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new SamsaraApiError(400, 'Invalid JSON in request body');
  }
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
  const raw = req.body as RawBody;
  if (raw === undefined || raw === '') return null;
  try {
    return maskPasswords(JSON.parse(raw) as unknown);
  } catch {
    return raw.replace(/("[^"]*password[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, '$1"[REDACTED]"');
  }
}

function faultAnswer(fault: Fault & { status: number }): Answer {
  const fallback = fault.status === 429 ? 'Rate limit exceeded' : (STATUS_CODES[fault.status] ?? 'Sandbox fault');
  return { status: fault.status, body: fault.body !== undefined ? fault.body : errorBody(fallback), headers: fault.headers };
}

export function errorAnswer(err: unknown): Answer {
  if (err instanceof SamsaraApiError) return { status: err.status, body: errorBody(err.message), headers: { ...err.headers } };
  // A bug in the sandbox; still answer (and log) Samsara-style rather than crash the request.
  return { status: 500, body: errorBody('Internal Server Error') };
}

export async function runApi(
  state: SamsaraSandboxState,
  req: FastifyRequest,
  reply: FastifyReply,
  pathPrefix: string,
  action: Action,
): Promise<FastifyReply> {
  // 401s come before everything: without an account there is no rate window, fault queue or log.
  const account = authenticate(state, req);
  const receivedAt = state.now();
  const admission = account.limiter.admit(receivedAt, account.settings.rate_limit_per_second);
  // Faults are taken at arrival so concurrent requests consume them in arrival order.
  const fault = admission.admitted ? account.faults.shift() : undefined;
  const query = { ...(req.query as Record<string, unknown>) };
  const perform = (): Answer => {
    try {
      return action(account, {
        body: parseJsonBody(req),
        query,
        params: req.params as Record<string, string>,
        nowIso: new Date(state.now()).toISOString(),
      });
    } catch (err) {
      return errorAnswer(err);
    }
  };

  let answer: Answer;
  if (!admission.admitted) {
    answer = { status: 429, body: errorBody('Rate limit exceeded'), headers: { 'retry-after': admission.retryAfter } };
  } else if (fault?.after_apply) {
    // Lost response: the write lands now, the client hears the fault (or nothing, until it times out).
    answer = perform();
    if (fault.delay_ms) await sleep(fault.delay_ms);
    if (fault.status !== undefined) answer = faultAnswer({ ...fault, status: fault.status });
  } else {
    // A slow server: the write happens after the wait, possibly after the client gave up.
    if (fault?.delay_ms) await sleep(fault.delay_ms);
    answer = fault?.status !== undefined ? faultAnswer({ ...fault, status: fault.status }) : perform();
  }
  if (account.settings.latency_ms > 0) await sleep(account.settings.latency_ms);

  const [pathname, search = ''] = req.url.split('?', 2);
  const path = pathPrefix && pathname.startsWith(pathPrefix) ? pathname.slice(pathPrefix.length) || '/' : pathname;
  account.logRequest({
    at: new Date(receivedAt).toISOString(),
    method: req.method,
    path,
    query: Object.fromEntries(new URLSearchParams(search)),
    body: loggableBody(req),
    status: answer.status,
    response_body: answer.body,
  });
  return sendAnswer(reply, answer);
}

export function sendAnswer(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.status);
  if (answer.headers) reply.headers(answer.headers);
  if (typeof answer.body === 'string') {
    if (!reply.hasHeader('content-type')) reply.type('text/plain; charset=utf-8');
    return reply.send(answer.body);
  }
  if (!reply.hasHeader('content-type')) reply.type('application/json; charset=utf-8');
  return reply.send(JSON.stringify(answer.body ?? null));
}
