// What every /v1 request goes through, in the order a real API gateway + Rails app would apply it:
// authenticate → rate limit → (sandbox) fault and latency → parse the body → the action → log → answer.
// The fault/latency/log machinery is the kit's; auth, body parsing and answer shapes are Motive's.
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Answer } from '../kit/answer.ts';
import type { Fault } from '../kit/faults.ts';
import { wholeSecondsRetryAfter } from '../kit/ratelimit.ts';
import { runRestRequest } from '../kit/rest-pipeline.ts';
import type { RestAction } from '../kit/rest-pipeline.ts';
import type { MotiveAccount } from './account.ts';
import { errorBody, MotiveApiError } from './errors.ts';
import { isFormContentType, parseFormBody } from './form-body.ts';
import type { MotiveSandboxState } from './state.ts';

export type { Answer } from '../kit/answer.ts';

export type { ActionInput } from '../kit/rest-pipeline.ts';
export type Action = RestAction<MotiveAccount>;

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

/**
 * A /v1 body, read as Rails reads it by its content type: JSON, or form-encoded parameters (Motive's own
 * curl examples send those; form-body.ts). A body of any other type carries no parameters.
 */
export function parseRequestBody(req: FastifyRequest): unknown {
  const raw = req.body as RawBody;
  if (raw !== undefined && isFormContentType(req.headers['content-type'])) return parseFormBody(raw);
  return parseJsonBody(req);
}

function faultAnswer(fault: Fault): Answer {
  const status = fault.status as number;
  return {
    status,
    body: fault.body !== undefined ? fault.body : errorBody(STATUS_CODES[status] ?? 'Sandbox fault'),
    headers: fault.headers,
  };
}

export function errorAnswer(err: unknown): Answer {
  if (err instanceof MotiveApiError) return { status: err.status, body: errorBody(err.message), headers: { ...err.headers } };
  // A bug in the sandbox; still answer (and log) Motive-style rather than crash the request.
  return { status: 500, body: errorBody('Internal Server Error') };
}

export async function runV1(
  state: MotiveSandboxState,
  req: FastifyRequest,
  reply: FastifyReply,
  pathPrefix: string,
  action: Action,
): Promise<FastifyReply> {
  const account = authenticate(state, req);
  return runRestRequest(account, req, reply, pathPrefix, {
    now: state.now,
    limit: account.settings.rate_limit_per_minute,
    rateLimited: (waitMs) => ({ status: 429, body: errorBody('Rate limit exceeded'), headers: { 'retry-after': String(wholeSecondsRetryAfter(waitMs)) } }),
    action,
    parseBody: parseRequestBody,
    errorAnswer,
    faultAnswer,
  });
}
