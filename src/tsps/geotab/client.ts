// One MyGeotab JSON-RPC call and the reading of its answer (providers.md, Geotab section). Geotab
// reports failures inside HTTP 200 as `{"error": {"message", "data": {"type"}}}`: this file turns
// those into the same Attempt/ErrorType vocabulary http.ts uses for HTTP statuses.
import type { Dispatcher } from 'undici';
import { adapterUserAgent, joinUrl, parseRetryAfter, redactHeaders, toAttempt, truncateDetails, tspRequest } from '../kit/http.ts';
import type { TspResponse, TspResult } from '../kit/http.ts';
import type { Attempt, CallOptions, ErrorType } from '../kit/types.ts';

const USER_AGENT = adapterUserAgent('geotab');

/** `<base>/apiv1`; a base with a path (the sandbox mounted at /sandbox/geotab) keeps it (joinUrl). */
export const geotabApiUrl = (base: string): string => joinUrl(base, '/apiv1');

// A DNS host name, as MyGeotab names its servers ("my1234.geotab.com").
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Where calls go after Authenticate: `path` "ThisServer" (or empty) keeps the server authenticated
 * against; a host name (the database moved, e.g. "my1234.geotab.com") is `https://<host>`, as Geotab's
 * own clients build it (providers.md). Anything else is no answer Geotab gives: undefined.
 */
export function resolveServer(baseUrl: string, path: unknown): string | undefined {
  if (path === undefined || path === null || path === '' || path === 'ThisServer') return baseUrl;
  return typeof path === 'string' && HOST_NAME.test(path) ? `https://${path.toLowerCase()}` : undefined;
}

/**
 * The rate-limit class of a call. Geotab limits "per unique combination of method, entity, username,
 * and database" (developers.geotab.com/myGeotab/guides/rateLimits): each (method, typeName) pair is its
 * own class, e.g. `Add:Device`; a call without a typeName (Authenticate, GetVersion) is its method.
 */
export const geotabRateClass = (method: string, params: Record<string, unknown>): string =>
  typeof params.typeName === 'string' ? `${method}:${params.typeName}` : method;

/** One call; `dispatcher` is the target's (the address guard, which also covers a server Authenticate redirects to). */
export async function rpc(url: string, method: string, params: Record<string, unknown>, opts: CallOptions, dispatcher?: Dispatcher): Promise<TspResult> {
  await opts.gate?.take(geotabRateClass(method, params));
  return tspRequest({
    method: 'POST',
    url,
    headers: { 'user-agent': USER_AGENT },
    body: { method, params },
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
    dispatcher,
  });
}

export type RpcReading =
  | { kind: 'result'; result: unknown }
  | { kind: 'error'; type: string; message: string }
  /** Not a JSON-RPC answer (network failure, HTTP error status, HTML page ...). */
  | { kind: 'other' };

export function readRpc(res: TspResult): RpcReading {
  if (res.kind !== 'response' || res.statusCode < 200 || res.statusCode > 299) return { kind: 'other' };
  const json = res.json;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { kind: 'other' };
  const body = json as Record<string, unknown>;
  if (typeof body.error === 'object' && body.error !== null) {
    const error = body.error as Record<string, unknown>;
    const data = (error.data ?? {}) as Record<string, unknown>;
    const first = Array.isArray(error.errors) ? (error.errors[0] as Record<string, unknown> | undefined) : undefined;
    const type = typeof data.type === 'string' ? data.type : typeof first?.name === 'string' ? first.name : 'UnknownError';
    const message = typeof error.message === 'string' ? error.message : type;
    return { kind: 'error', type, message };
  }
  return Object.hasOwn(body, 'result') ? { kind: 'result', result: body.result } : { kind: 'other' };
}

/**
 * Geotab error type → ErrorType. InvalidUserException reaches here only after the one re-authentication
 * (session.ts). DbUnavailableException is a database being moved or upgraded: the same call works later.
 */
export function classifyGeotabError(type: string): ErrorType {
  switch (type) {
    case 'InvalidUserException':
      return 'auth';
    case 'OverLimitException':
      return 'rate_limited';
    case 'DuplicateException':
      return 'conflict';
    case 'ArgumentException':
    case 'ArgumentNullException':
    case 'ArgumentOutOfRangeException':
    case 'JsonSerializationException':
    // The serializer's name since 5.7.2103 (Geotab/sdk src/new.md, "JSON Serializer Change").
    case 'JsonSerializerException':
    case 'MissingMethodException':
      return 'validation';
    case 'DbUnavailableException':
      return 'transient';
    default:
      return 'unknown';
  }
}

const httpDetails = (res: TspResponse): string | undefined => {
  const reading = readRpc({ ...res, statusCode: 200 });
  if (reading.kind === 'error') return truncateDetails(reading.message);
  return res.bodyText.trim() === '' ? undefined : truncateDetails(res.bodyText);
};

/** The Attempt for one call: JSON-RPC errors inside 200 classified; HTTP and network as http.ts does. */
export function geotabAttempt(res: TspResult): Attempt {
  const reading = readRpc(res);
  if (res.kind !== 'response' || reading.kind === 'other') {
    const attempt = toAttempt(res, httpDetails);
    if (attempt.ok) {
      // A 2xx that is not a JSON-RPC answer: whether the call was applied is unknown.
      return { ...attempt, ok: false, errorType: 'unknown', errorDetails: `Geotab answered ${attempt.statusCode} without a JSON-RPC result: ${truncateDetails((res as TspResponse).bodyText)}` };
    }
    return attempt;
  }
  const base: Attempt = { ok: reading.kind === 'result', statusCode: res.statusCode, headers: redactHeaders(res.headers), durationMs: res.durationMs };
  if (reading.kind === 'result') return base;
  base.errorType = classifyGeotabError(reading.type);
  base.errorDetails = truncateDetails(reading.message);
  if (base.errorType === 'rate_limited') {
    // Retry-After [doc]; else the window's reset time from X-Rate-Limit-Reset.
    const retryAfterMs = parseRetryAfter(res.headers['retry-after']) ?? resetDelay(res.headers['x-rate-limit-reset']);
    if (retryAfterMs !== undefined) base.retryAfterMs = retryAfterMs;
  }
  return base;
}

function resetDelay(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
