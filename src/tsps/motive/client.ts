// Thin calls to Motive's v1 users API (shared/reference/providers.md, Motive section). Each returns
// the raw TspResult; turning it into an Attempt is the adapter's job (motiveAttempt below helps).
import { idString, resourceAttempt } from '../kit/adapter-kit.ts';
import { restCaller, truncateDetails } from '../kit/http.ts';
import type { TspResponse, TspResult } from '../kit/http.ts';
import type { Attempt, CallOptions, TspTarget } from '../kit/types.ts';
import { MOTIVE } from './descriptor.ts';
import { MOTIVE_INTEGRATION_NAME } from './native.ts';

// Auth headers, user agent and Retry-After reading come from the descriptor.
const call = restCaller(MOTIVE);

// Motive ids are integers; anything else could only ever 404, or worse, address another path.
const userPath = (id: string): string => `/v1/users/${encodeURIComponent(id)}`;

/** POST /v1/users → 201 `{"user": {...}}`. */
export const createUser = (target: TspTarget, body: Record<string, unknown>, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'POST', '/v1/users', { body });

/** PUT /v1/users/{id} → 200 `{"user": {...}}`; partial: only the fields sent change. */
export const updateUser = (
  target: TspTarget,
  id: string,
  body: Record<string, unknown>,
  opts: CallOptions,
): Promise<TspResult> => call(target, opts, 'PUT', userPath(id), { body });

/** GET /v1/users/{id}. */
export const getUser = (target: TspTarget, id: string, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'GET', userPath(id));

/** GET /v1/users/lookup_by_external_id: the user carrying fleetgate's external id, or 404. */
export const lookupByExternalId = (target: TspTarget, externalId: string, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'GET', '/v1/users/lookup_by_external_id', {
    query: { external_id: externalId, integration_name: MOTIVE_INTEGRATION_NAME },
  });

/**
 * Motive's reason for an error answer: `{"error_message": "..."}` [seen on 400/401]; other JSON is
 * kept as text; 5xx pages may be plain text or HTML, kept up to ~500 characters.
 */
export function motiveErrorDetails(res: TspResponse): string | undefined {
  const json = res.json;
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const message = (json as Record<string, unknown>).error_message;
    if (typeof message === 'string' && message.trim() !== '') return truncateDetails(message);
  }
  return res.bodyText.trim() === '' ? undefined : truncateDetails(res.bodyText);
}

/** The `user` of a `{"user": {...}}` answer. */
export function motiveUser(res: TspResponse): Record<string, unknown> | undefined {
  const json = res.json;
  if (typeof json !== 'object' || json === null) return undefined;
  const user = (json as Record<string, unknown>).user;
  if (typeof user !== 'object' || user === null || Array.isArray(user)) return undefined;
  return user as Record<string, unknown>;
}

/** The `user.id` of a `{"user": {...}}` answer, as a string. */
export const motiveUserId = (res: TspResponse): string | undefined => idString(motiveUser(res)?.id);

/** An Attempt for a call whose success answer is `{"user": {...}}`: ok carries the user's id and the user. */
export const motiveUserAttempt = (result: TspResult): Attempt =>
  resourceAttempt(result, motiveErrorDetails, motiveUserId, 'Motive', 'user', motiveUser);
