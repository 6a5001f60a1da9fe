// Thin calls to Samsara's Fleet API drivers endpoints (shared/reference/providers.md, Samsara section).
// Each returns the raw TspResult; turning it into an Attempt is the adapter's job (helpers below).
import { toAttempt, truncateDetails, tspRequest } from '../http.ts';
import type { TspResponse, TspResult } from '../http.ts';
import type { Attempt, CallOptions, TspTarget } from '../types.ts';
import { SAMSARA_EXTERNAL_ID_KEY } from './native.ts';

const USER_AGENT = 'fleetgate/0.1 (+samsara-adapter)';

/** Samsara authenticates every API token with `Authorization: Bearer` [doc]. */
export function samsaraAuthHeaders(credentials: Record<string, string>): Record<string, string> {
  if (!credentials.access_token) throw new Error('Samsara credentials need access_token');
  return { authorization: `Bearer ${credentials.access_token}` };
}

/**
 * Joins by string, not `new URL(path, base)`: the sandbox mounted in the app lives at
 * `<host>/sandbox/samsara`, and URL resolution of an absolute path would drop that prefix.
 */
export function samsaraUrl(baseUrl: string, path: string, query?: Record<string, string>): string {
  const base = baseUrl.replace(/\/+$/, '');
  const qs = query ? `?${new URLSearchParams(query).toString()}` : '';
  return `${base}${path}${qs}`;
}

function call(
  target: TspTarget,
  opts: CallOptions,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  extra: { body?: unknown; query?: Record<string, string> } = {},
): Promise<TspResult> {
  return tspRequest({
    method,
    url: samsaraUrl(target.baseUrl, path, extra.query),
    headers: { 'user-agent': USER_AGENT, ...samsaraAuthHeaders(target.credentials) },
    body: extra.body,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
  });
}

// The id is a Samsara id or an external id written `key:value` [doc]; encoded so a value with "/" or
// "?" cannot address another path.
const driverPath = (id: string): string => `/fleet/drivers/${encodeURIComponent(id)}`;

/** The `key:value` id form that addresses the driver carrying fleetgate's external id. */
export const fleetgateDriverId = (externalId: string): string => `${SAMSARA_EXTERNAL_ID_KEY}:${externalId}`;

/** POST /fleet/drivers → 200 `{"data": {Driver}}` (Samsara answers 200, not 201, on create). */
export const createDriver = (target: TspTarget, body: Record<string, unknown>, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'POST', '/fleet/drivers', { body });

/** PATCH /fleet/drivers/{id} → 200 `{"data": {Driver}}`; partial: only the fields sent change. */
export const updateDriver = (target: TspTarget, id: string, body: Record<string, unknown>, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'PATCH', driverPath(id), { body });

/** GET /fleet/drivers/{id} (Samsara id or `key:value` external id). */
export const getDriver = (target: TspTarget, id: string, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'GET', driverPath(id));

/** The cheapest authenticated call: one active driver. */
export const listOneDriver = (target: TspTarget, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'GET', '/fleet/drivers', { query: { limit: '1' } });

/**
 * Samsara's reason for an error answer: `{"message": "...", "requestId": "..."}` [doc]; the requestId
 * is kept (it is what Samsara support asks for). 5xx bodies may be plain text [seen]: kept up to ~500 chars.
 */
export function samsaraErrorDetails(res: TspResponse): string | undefined {
  const json = res.json;
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const { message, requestId } = json as Record<string, unknown>;
    if (typeof message === 'string' && message.trim() !== '') {
      return truncateDetails(typeof requestId === 'string' && requestId !== '' ? `${message} (requestId ${requestId})` : message);
    }
  }
  return res.bodyText.trim() === '' ? undefined : truncateDetails(res.bodyText);
}

/** The `data` object of a `{"data": {Driver}}` answer. */
export function samsaraDriver(res: TspResponse): Record<string, unknown> | undefined {
  const json = res.json;
  if (typeof json !== 'object' || json === null) return undefined;
  const data = (json as Record<string, unknown>).data;
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}

/**
 * An Attempt for a call whose success answer is `{"data": {Driver}}`: ok carries the driver's id. A 2xx
 * without one is not trusted as success (the write may have landed: the caller can look it up).
 */
export function samsaraDriverAttempt(result: TspResult): Attempt {
  const attempt = toAttempt(result, samsaraErrorDetails);
  if (!attempt.ok || result.kind !== 'response') return attempt;
  const id = samsaraDriver(result)?.id;
  if (typeof id === 'string' && id !== '') return { ...attempt, sourceId: id };
  if (typeof id === 'number') return { ...attempt, sourceId: String(id) };
  return {
    ...attempt,
    ok: false,
    errorType: 'unknown',
    errorDetails: `Samsara answered ${result.statusCode} without a driver id: ${truncateDetails(result.bodyText)}`,
  };
}
