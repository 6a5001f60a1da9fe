// Thin calls to Samsara's create-only write endpoints, each in its rate-limit class (descriptor.ts), and
// the readers of their answers: POST /v1/fleet/messages → 200 `{"data": [{driverId, text}]}`, one row
// per driver and no message id (samsarahq/samsara-python src/samsara/messages/raw_client.py
// v_1_create_messages; types/inline_response_2006.py, v_1_message.py), and POST /fuel-purchase → 200
// `{"data": {"uuid"}}` (src/samsara/fuel_and_energy/raw_client.py post_fuel_purchase;
// types/post_fuel_purchase_response_body_response_body.py). Errors are Samsara's `{"message",
// "requestId"}` (client.ts reads both).
import { idString, resourceAttempt } from '../kit/adapter-kit.ts';
import { restCaller, toAttempt, truncateDetails } from '../kit/http.ts';
import type { TspResult } from '../kit/http.ts';
import type { Attempt, CallOptions, TspTarget } from '../kit/types.ts';
import { DEFAULT_RATE_CLASS } from '../kit/types.ts';
import { samsaraData, samsaraErrorDetails } from './client.ts';
import { SAMSARA, SAMSARA_RATE_CLASSES } from './descriptor.ts';

const call = restCaller(SAMSARA);
type Body = Record<string, unknown>;

/** POST /v1/fleet/messages: no endpoint limit is documented, so the token's (the default class) applies. */
export const postMessages = (target: TspTarget, body: Body, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'POST', '/v1/fleet/messages', { body, rateClass: DEFAULT_RATE_CLASS });

/** POST /fuel-purchase ("Rate limit: 100 requests/min"). */
export const postFuelPurchase = (target: TspTarget, body: Body, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'POST', '/fuel-purchase', { body, rateClass: SAMSARA_RATE_CLASSES.fuelPurchases });

/**
 * The Attempt for a message POST. Success has no id to carry (Samsara gives none); a 2xx that is not
 * the documented list of sent rows is not trusted as sent.
 */
export function messagesAttempt(result: TspResult): Attempt {
  const attempt = toAttempt(result, samsaraErrorDetails);
  if (!attempt.ok || result.kind !== 'response') return attempt;
  const rows = (result.json as { data?: unknown } | undefined)?.data;
  if (Array.isArray(rows)) return attempt;
  return { ...attempt, ok: false, errorType: 'unknown', errorDetails: `Samsara answered ${result.statusCode} without the list of sent messages: ${truncateDetails(result.bodyText)}` };
}

/** The Attempt for a fuel purchase POST: ok carries the purchase's uuid. */
export const fuelPurchaseAttempt = (result: TspResult): Attempt =>
  resourceAttempt(result, samsaraErrorDetails, (res) => idString(samsaraData(res)?.uuid), 'Samsara', 'fuel purchase uuid', samsaraData);
