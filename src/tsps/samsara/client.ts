// Thin calls to Samsara's Fleet API drivers endpoints (shared/reference/providers.md, Samsara section),
// and the answer readers every Samsara resource shares (error reason, the `data` envelope). Each call
// returns the raw TspResult; turning it into an Attempt is the adapter's job (helpers below).
import { idString, resourceAttempt } from '../kit/adapter-kit.ts';
import { restCaller, truncateDetails } from '../kit/http.ts';
import type { TspResponse, TspResult } from '../kit/http.ts';
import type { Attempt, CallOptions, TspTarget } from '../kit/types.ts';
import { SAMSARA } from './descriptor.ts';
import { SAMSARA_EXTERNAL_ID_KEY } from './native.ts';
import type { SamsaraDriverCreate, SamsaraDriverPatch } from './sdk-types.ts';

// Auth headers, user agent and Retry-After reading come from the descriptor.
const call = restCaller(SAMSARA);

// The id is a Samsara id or an external id written `key:value` [doc]; encoded so a value with "/" or
// "?" cannot address another path.
const driverPath = (id: string): string => `/fleet/drivers/${encodeURIComponent(id)}`;

/** The `key:value` id form that addresses the driver carrying fleetgate's external id. */
export const fleetgateDriverId = (externalId: string): string => `${SAMSARA_EXTERNAL_ID_KEY}:${externalId}`;

/** POST /fleet/drivers → 200 `{"data": {Driver}}` (Samsara answers 200, not 201, on create). */
export const createDriver = (target: TspTarget, body: SamsaraDriverCreate, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'POST', '/fleet/drivers', { body });

/** PATCH /fleet/drivers/{id} → 200 `{"data": {Driver}}`; partial: only the fields sent change. */
export const updateDriver = (target: TspTarget, id: string, body: SamsaraDriverPatch, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'PATCH', driverPath(id), { body });

/** GET /fleet/drivers/{id} (Samsara id or `key:value` external id). */
export const getDriver = (target: TspTarget, id: string, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'GET', driverPath(id));

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

/** The `data` object of a `{"data": {...}}` answer (every Samsara write and read by id answers so). */
export function samsaraData(res: TspResponse): Record<string, unknown> | undefined {
  const json = res.json;
  if (typeof json !== 'object' || json === null) return undefined;
  const data = (json as Record<string, unknown>).data;
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}

/** The `data` object of a `{"data": {Driver}}` answer. */
export const samsaraDriver = samsaraData;

/** An Attempt for a call whose success answer is `{"data": {Driver}}`: ok carries the driver's id. */
export const samsaraDriverAttempt = (result: TspResult): Attempt =>
  resourceAttempt(result, samsaraErrorDetails, (res) => idString(samsaraDriver(res)?.id), 'Samsara', 'driver', samsaraDriver);
