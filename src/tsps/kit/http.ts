// Outbound HTTP shared by every TSP adapter: one call with a hard deadline and a size cap, the answer's
// headers with credentials removed, Retry-After read in all its forms, and one mapping from what
// happened on the wire to the ErrorType the retry classifier and the operation log use.
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { isTokenPair, tokenPairExpired, tokenPairExpiring } from './credentials.ts';
import type { TspDescriptor } from './descriptor.ts';
import { authHeadersOf } from './descriptor.ts';
import type { Attempt, CallOptions, ErrorType, TspTarget } from './types.ts';
import { DEFAULT_RATE_CLASS } from './types.ts';

export interface TspRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** Serialized as JSON (content-type set unless the caller gave one). */
  body?: unknown;
  /** Sent form-encoded instead (application/x-www-form-urlencoded: an OAuth token request); not with `body`. */
  form?: Record<string, string>;
  /** Deadline for the whole exchange: connect, headers and body. */
  timeoutMs: number;
  /** The caller's cancellation (worker shutdown); distinct from the deadline. */
  signal?: AbortSignal;
  /** The TSP's headers that say when to come back (its descriptor's); default Retry-After. */
  retryAfterHeaders?: readonly string[];
  /** How to connect (the target's: the address guard for partner-chosen URLs); undici's default otherwise. */
  dispatcher?: Dispatcher;
}

/**
 * The most of a TSP's answer fleetgate reads. The base URL is the partner's choice, so the answer is
 * untrusted input held in memory while the worker runs. Every call an adapter makes answers one record,
 * a session or a lookup of a few records (a user is 1-3 KB of JSON at Motive, Samsara and Geotab): 1 MiB
 * is hundreds of times what a real answer needs, yet bounds what one attempt can hold (a worker runs a
 * few at once) and what JSON.parse is handed.
 */
export const MAX_TSP_RESPONSE_BYTES = 1024 * 1024;

/** The TSP answered (any status). Headers are lower-cased and NOT yet redacted. */
export interface TspResponse {
  kind: 'response';
  statusCode: number;
  headers: Record<string, string>;
  bodyText: string;
  /** The parsed body when it was JSON; undefined otherwise. */
  json?: unknown;
  durationMs: number;
  /** Where this TSP says when to come back (from the request). */
  retryAfterHeaders?: readonly string[];
}

/** No usable answer: deadline passed, connection failed or refused, the caller cancelled, or the answer was over the cap. */
export interface TspFailure {
  kind: 'failure';
  errorType: ErrorType;
  message: string;
  durationMs: number;
  /** When the TSP did answer (an answer over the cap): its status and headers, NOT yet redacted. */
  statusCode?: number;
  headers?: Record<string, string>;
}

export type TspResult = TspResponse | TspFailure;

// System errors that mean "the network or the peer failed, the same call may work later".
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'ENETDOWN', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);
// undici's own deadlines and the kernel's: all mean the outcome is unknown because time ran out.
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
// The deployment's address guard (src/platform/urls.ts, handed in as the target's dispatcher) refused to
// connect: the base URL resolves to an internal address. Nothing was sent, and the same call goes to the
// same address again, so it fails at once (validation: the connection's base_url is what must change).
const REFUSED_CODES = new Set(['ERR_PRIVATE_ADDRESS']);

const errorCode = (err: unknown): string | undefined => {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
};

/** Classifies a thrown network error (not an HTTP status). */
export function classifyNetworkError(err: unknown): ErrorType {
  const code = errorCode(err);
  if (code !== undefined && REFUSED_CODES.has(code)) return 'validation';
  if (code !== undefined && TIMEOUT_CODES.has(code)) return 'timeout';
  if (code !== undefined && TRANSIENT_CODES.has(code)) return 'transient';
  const message = err instanceof Error ? err.message : String(err);
  if (/socket hang up|other side closed/i.test(message)) return 'transient';
  // Any other errno (E...) is still the network, not our request: retryable.
  if (code !== undefined && /^E[A-Z]+$/.test(code)) return 'transient';
  return 'unknown';
}

export async function tspRequest(req: TspRequest): Promise<TspResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let payload: string | undefined;
  if (req.form !== undefined) {
    payload = new URLSearchParams(req.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (req.body !== undefined) {
    payload = JSON.stringify(req.body);
    headers['content-type'] ??= 'application/json';
  }
  try {
    const res = await request(req.url, { method: req.method, headers, body: payload, signal, ...(req.dispatcher && { dispatcher: req.dispatcher }) });
    // Reading the body is inside the same deadline: a server that stalls mid-body is a timeout too.
    const body = await readCapped(res.body, MAX_TSP_RESPONSE_BYTES, res.headers['content-length']);
    const bodyText = body.text;
    if (body.truncated) {
      // The TSP answered, so a write may have been applied, but its answer cannot be read: the outcome
      // is unknown. 'unknown' is retried, and a create tried again first looks for the record an earlier
      // attempt made (findExisting) and adopts it, so nothing is written twice.
      return {
        kind: 'failure',
        errorType: 'unknown',
        message: `the answer (HTTP ${res.statusCode}) is larger than ${MAX_TSP_RESPONSE_BYTES / 1024 / 1024} MiB; fleetgate stopped reading it. It began: ${truncateDetails(bodyText)}`,
        durationMs: elapsed(),
        statusCode: res.statusCode,
        headers: flattenHeaders(res.headers),
      };
    }
    return {
      kind: 'response',
      statusCode: res.statusCode,
      headers: flattenHeaders(res.headers),
      bodyText,
      json: parseJson(bodyText, res.headers['content-type']),
      durationMs: elapsed(),
      ...(req.retryAfterHeaders && { retryAfterHeaders: req.retryAfterHeaders }),
    };
  } catch (err) {
    const durationMs = elapsed();
    // Check the signals, not the error's name: undici rethrows the abort reason as-is.
    if (req.signal?.aborted && !deadline.aborted) {
      // Cancelled by our side (shutdown): the write may or may not have landed; retry later.
      return { kind: 'failure', errorType: 'transient', message: 'request cancelled before the TSP answered', durationMs };
    }
    if (deadline.aborted) {
      return { kind: 'failure', errorType: 'timeout', message: `no answer within ${req.timeoutMs} ms`, durationMs };
    }
    const code = errorCode(err);
    const message = err instanceof Error ? err.message : String(err);
    return {
      kind: 'failure',
      errorType: classifyNetworkError(err),
      message: code && !message.includes(code) ? `${code}: ${message}` : message,
      durationMs,
    };
  }
}

/**
 * Reads a body up to `cap` bytes. Past the cap (or when Content-Length already says it is larger), it
 * stops and destroys the stream, which closes the connection instead of draining it, and returns what
 * was read so far (at least the start, for the log) with `truncated`.
 */
export async function readCapped(
  body: Dispatcher.ResponseData['body'],
  cap: number,
  contentLength?: string | string[],
): Promise<{ text: string; truncated: boolean }> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  const tooLong = Number.isFinite(declared) && declared > cap;
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    // A declared oversize answer is refused after its first chunk: enough to show how it begins.
    if (size > cap || tooLong) {
      truncated = true;
      break;
    }
  }
  if (truncated) body.destroy();
  const all = Buffer.concat(chunks, size);
  return { text: (truncated ? all.subarray(0, Math.min(size, cap)) : all).toString('utf8'), truncated };
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseJson(text: string, contentType: string | string[] | undefined): unknown {
  const type = Array.isArray(contentType) ? contentType.join(';') : (contentType ?? '');
  // Some APIs send JSON as text/plain; try when it looks like JSON, whatever the header says.
  if (!/json/i.test(type) && !/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// api-contract.md: response_headers never hold credentials or cookies.
const SENSITIVE_NAMES = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);
const SENSITIVE_PARTS = /token|secret|key|session/i;

/** Masks every header that could carry a credential; names are lower-cased. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    out[name] = SENSITIVE_NAMES.has(name) || SENSITIVE_PARTS.test(name) ? '[REDACTED]' : value;
  }
  return out;
}

const SECONDS = /^\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * Retry-After (RFC 9110 §10.2.3) as milliseconds from `now`: delta-seconds (Samsara also sends
 * fractional ones such as "0.40235", providers.md) or an HTTP date. Undefined when absent or
 * unreadable; never negative. Fractions round up so a client never comes back early.
 */
export function parseRetryAfter(value: string | string[] | null | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === null || raw.trim() === '') return undefined;
  const seconds = SECONDS.exec(raw);
  if (seconds) return Math.ceil(Number(seconds[1]) * 1000);
  // An HTTP date always names a day or month; this keeps Date.parse's leniency ("1 2") out.
  if (!/[a-z]{3}/i.test(raw)) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The adapter rules: how an HTTP status (an error answer) is classified. */
export function classifyStatus(status: number): ErrorType {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  // 408: the server gave up waiting for our request; nothing was wrong with its content.
  if (status === 408) return 'timeout';
  if (status >= 500 && status <= 599) return 'transient';
  // 400, 422 and every other 4xx: the TSP refused the content; resending it unchanged won't help.
  if (status >= 400 && status <= 499) return 'validation';
  return 'unknown';
}

const MAX_DETAILS = 500;

/** A body for the log: trimmed, single-spaced, at most ~500 characters (5xx pages can be huge). */
export function truncateDetails(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAILS ? `${flat.slice(0, MAX_DETAILS)}…` : flat;
}

/**
 * The Attempt for a result. A 2xx is ok (the adapter adds sourceId); anything else is classified,
 * with `details` extracting the TSP's own reason from the body.
 */
export function toAttempt(result: TspResult, details: (res: TspResponse) => string | undefined): Attempt {
  if (result.kind === 'failure') {
    return {
      ok: false,
      statusCode: result.statusCode ?? null,
      headers: result.headers ? redactHeaders(result.headers) : {},
      errorType: result.errorType,
      errorDetails: result.message,
      durationMs: result.durationMs,
    };
  }
  const attempt: Attempt = {
    ok: result.statusCode >= 200 && result.statusCode < 300,
    statusCode: result.statusCode,
    headers: redactHeaders(result.headers),
    durationMs: result.durationMs,
  };
  if (attempt.ok) return attempt;
  attempt.errorType = classifyStatus(result.statusCode);
  const reason = details(result);
  if (reason !== undefined && reason !== '') attempt.errorDetails = reason;
  // RFC 9110: Retry-After is meaningful on 429 and 503 (and 3xx, which adapters don't follow).
  if (result.statusCode === 429 || result.statusCode === 503) {
    for (const name of result.retryAfterHeaders ?? ['retry-after']) {
      const retryAfterMs = parseRetryAfter(result.headers[name.toLowerCase()]);
      if (retryAfterMs === undefined) continue;
      attempt.retryAfterMs = retryAfterMs;
      break;
    }
  }
  return attempt;
}

/**
 * `<base><path>?<query>`, joined by string, not `new URL(path, base)`: a sandbox mounted in the app
 * lives at `<host>/sandbox/<tsp>`, and URL resolution of an absolute path would drop that prefix.
 */
export function joinUrl(baseUrl: string, path: string, query?: Record<string, string>): string {
  const base = baseUrl.replace(/\/+$/, '');
  const qs = query ? `?${new URLSearchParams(query).toString()}` : '';
  return `${base}${path}${qs}`;
}

/** The User-Agent fleetgate's adapters send, naming the adapter (TSPs ask for it in support cases). */
export const adapterUserAgent = (tsp: string): string => `fleetgate/0.1 (+${tsp}-adapter)`;

export type RestCaller = (
  target: TspTarget,
  opts: CallOptions,
  method: TspRequest['method'],
  path: string,
  /** rateClass: the endpoint class whose rate-limit slot the call takes (default DEFAULT_RATE_CLASS). */
  extra?: { body?: unknown; query?: Record<string, string>; rateClass?: string },
) => Promise<TspResult>;

/**
 * A REST TSP's one way to call it: under the connection's base URL (joinUrl), as the named adapter,
 * with the TSP's auth headers from the connection's credentials, within the caller's deadline.
 *
 * An OAuth token pair (Catena's authorization-code models) with a `tokens` keeper on the target is
 * renewed before the call when it expires soon, and once more after a 401 (the call is then sent again:
 * a 401 was refused before anything was done). The renewed pair stays on the target for the attempt's
 * later calls. A refused refresh token is an `auth` failure; the 401 stands when a renewal after it fails.
 */
export function restCaller(descriptor: TspDescriptor): RestCaller {
  const userAgent = adapterUserAgent(descriptor.tsp);
  const authHeaders = authHeadersOf(descriptor);
  return async (target, opts, method, path, extra = {}) => {
    const send = async (): Promise<TspResult> => {
      await opts.gate?.take(extra.rateClass ?? DEFAULT_RATE_CLASS);
      return tspRequest({
        method,
        url: joinUrl(target.baseUrl, path, extra.query),
        headers: { 'user-agent': userAgent, ...authHeaders(target.credentials) },
        body: extra.body,
        timeoutMs: opts.timeoutMs,
        signal: opts.signal,
        retryAfterHeaders: descriptor.rateLimit.retryAfterHeaders,
        dispatcher: target.dispatcher,
      });
    };
    const keeper = target.tokens;
    if (!keeper || !isTokenPair(target.credentials)) return send();
    if (tokenPairExpiring(target.credentials, Date.now())) {
      const renewed = await keeper.renew(target.credentials, 'expiring');
      if (renewed.ok) target.credentials = renewed.credentials;
      // A token endpoint that did not answer leaves a token not yet expired usable; a refusal does not.
      else if (renewed.attempt.errorType === 'auth' || tokenPairExpired(target.credentials, Date.now())) return renewalFailure(renewed.attempt);
    }
    const first = await send();
    if (first.kind !== 'response' || first.statusCode !== 401) return first;
    const renewed = await keeper.renew(target.credentials, 'refused');
    if (!renewed.ok) return first;
    target.credentials = renewed.credentials;
    return send();
  };
}

/** A renewal that gave no pair, as a call result (its attempt's class, status and reason; never a secret). */
const renewalFailure = (attempt: Attempt): TspFailure => ({
  kind: 'failure',
  errorType: attempt.errorType ?? 'unknown',
  message: attempt.errorDetails ?? 'the OAuth token could not be renewed',
  durationMs: attempt.durationMs,
  ...(attempt.statusCode !== null && { statusCode: attempt.statusCode, headers: {} }),
});

/** The descriptor's verification call over REST: its answer as an Attempt. */
export function restVerifier(
  descriptor: TspDescriptor,
  details: (res: TspResponse) => string | undefined,
): (target: TspTarget, opts: CallOptions) => Promise<Attempt> {
  const verify = descriptor.verify;
  if (verify.kind !== 'rest') throw new Error(`${descriptor.displayName} verifies credentials with a session login`);
  const call = restCaller(descriptor);
  return async (target, opts) => toAttempt(await call(target, opts, verify.method, verify.path, { query: verify.query && { ...verify.query } }), details);
}
