// What every /v1 request goes through, in the order a real API gateway + Rails app would apply it:
// authenticate → rate limit → (sandbox) fault and latency → parse the body → the action → log → answer.
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MotiveAccount } from './account.ts';
import { MotiveApiError } from './errors.ts';
import type { Fault } from './faults.ts';
import type { MotiveSandboxState } from './state.ts';

export interface Answer {
  status: number;
  /** A string is sent as-is (text/plain unless a header says otherwise); anything else as JSON. */
  body: unknown;
  headers?: Record<string, string>;
}

export interface ActionInput {
  /** The JSON body; {} when absent or not sent as JSON (Rails would not have parsed it either). */
  body: unknown;
  query: Record<string, unknown>;
  params: Record<string, string>;
  /** The state clock at the moment the action runs (created_at / updated_at). */
  nowIso: string;
}

export type Action = (account: MotiveAccount, input: ActionInput) => Answer;

/** The raw body as the sandbox's catch-all content-type parser leaves it. */
type RawBody = string | undefined;

/** `X-Api-Key: <key>` (company keys) or `Authorization: Bearer <token>` (partner apps), per Motive's docs. */
export function authenticate(state: MotiveSandboxState, req: FastifyRequest): MotiveAccount {
  const header = req.headers['x-api-key'];
  let key = typeof header === 'string' ? header.trim() : undefined;
  if (!key) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    key = match?.[1];
  }
  if (!key) throw new MotiveApiError(401, 'Unauthorized: missing API key (X-Api-Key or Authorization: Bearer)');
  const account = state.findAccount(key);
  if (!account) throw new MotiveApiError(401, 'Unauthorized: invalid API key');
  return account;
}

const isJsonType = (req: FastifyRequest): boolean => /\bjson\b/i.test(req.headers['content-type'] ?? '');

/** Parses the JSON body; malformed JSON is Rails' ParseError, which Motive answers 400. */
export function parseJsonBody(req: FastifyRequest): unknown {
  const raw = req.body as RawBody;
  if (raw === undefined || raw.trim() === '' || !isJsonType(req)) return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new MotiveApiError(400, 'Malformed JSON in request body');
  }
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

export function maskPasswords(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskPasswords);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = /password/i.test(k) ? '[REDACTED]' : maskPasswords(v);
  return out;
}

function faultAnswer(fault: Fault & { status: number }): Answer {
  return {
    status: fault.status,
    body: fault.body !== undefined ? fault.body : { error_message: STATUS_CODES[fault.status] ?? 'Sandbox fault' },
    headers: fault.headers,
  };
}

function errorAnswer(err: unknown): Answer {
  if (err instanceof MotiveApiError) {
    return { status: err.status, body: { error_message: err.message }, headers: { ...err.headers } };
  }
  // A bug in the sandbox; still answer (and log) Motive-style rather than crash the request.
  return { status: 500, body: { error_message: 'Internal Server Error' } };
}

export async function runV1(
  state: MotiveSandboxState,
  req: FastifyRequest,
  reply: FastifyReply,
  pathPrefix: string,
  action: Action,
): Promise<FastifyReply> {
  // 401s come before everything: without an account there is no rate window, fault queue or log.
  const account = authenticate(state, req);
  const receivedAt = state.now();
  const admission = account.limiter.admit(receivedAt, account.settings.rate_limit_per_minute);
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
    answer = {
      status: 429,
      body: { error_message: 'Rate limit exceeded' },
      headers: { 'retry-after': String(admission.retryAfterSeconds) },
    };
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
