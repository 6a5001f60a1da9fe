// What every API request goes through, in the order an API gateway + service would apply it:
// authenticate → per-token rate limit → (sandbox) fault and latency → parse the body → the endpoint's
// own limit (when it has one) → the action → log → answer.
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Answer } from '../kit/answer.ts';
import type { Fault } from '../kit/faults.ts';
import { runRestRequest } from '../kit/rest-pipeline.ts';
import type { RestAction } from '../kit/rest-pipeline.ts';
import type { SamsaraAccount } from './account.ts';
import { errorBody, SamsaraApiError } from './errors.ts';
import { formatRetryAfter } from './ratelimit.ts';
import type { SamsaraSandboxState } from './state.ts';

export type { Answer } from '../kit/answer.ts';

export type { ActionInput } from '../kit/rest-pipeline.ts';
export type Action = RestAction<SamsaraAccount>;

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

function faultAnswer(fault: Fault): Answer {
  const status = fault.status as number;
  const fallback = status === 429 ? 'Rate limit exceeded' : (STATUS_CODES[status] ?? 'Sandbox fault');
  return { status, body: fault.body !== undefined ? fault.body : errorBody(fallback), headers: fault.headers };
}

export function errorAnswer(err: unknown): Answer {
  if (err instanceof SamsaraApiError) return { status: err.status, body: errorBody(err.message), headers: { ...err.headers } };
  // A bug in the sandbox; still answer (and log) Samsara-style rather than crash the request.
  return { status: 500, body: errorBody('Internal Server Error') };
}

const rateLimited = (waitMs: number): Answer => ({
  status: 429,
  body: errorBody('Rate limit exceeded'),
  headers: { 'retry-after': formatRetryAfter(waitMs) },
});

/**
 * `endpoint` names the route as ./asset-vendor.ts lists it (`PATCH /fleet/trailers/{id}`): a request
 * over that endpoint's organization-wide limit is answered 429 like the per-token limit. A refused
 * request does not count against the endpoint's window.
 */
export async function runApi(
  state: SamsaraSandboxState,
  req: FastifyRequest,
  reply: FastifyReply,
  pathPrefix: string,
  action: Action,
  endpoint?: string,
): Promise<FastifyReply> {
  const account = authenticate(state, req);
  const limited: Action =
    endpoint === undefined
      ? action
      : (acct, input) => {
          const admission = acct.endpointLimits.admit(endpoint, state.now());
          return admission === undefined || admission.admitted ? action(acct, input) : rateLimited(admission.waitMs);
        };
  return runRestRequest(account, req, reply, pathPrefix, {
    now: state.now,
    limit: account.settings.rate_limit_per_second,
    rateLimited,
    action: limited,
    parseBody: parseJsonBody,
    errorAnswer,
    faultAnswer,
  });
}
