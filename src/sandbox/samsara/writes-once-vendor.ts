// Samsara's vocabulary for driver messages (POST and GET /v1/fleet/messages) and fuel purchases
// (POST /fuel-purchase), and those endpoints' own rate limits, as Samsara defines them. Like vendor.ts
// it is an independent witness: nothing here is read from src/tsps.
// Sources:
// [sdk-py] samsarahq/samsara-python @ e2e567ef60f6398525df8b31b7d2724d80091548 (Samsara's official SDK,
//   Fern-generated from its OpenAPI document): src/samsara/messages/raw_client.py (v_1_get_messages,
//   v_1_create_messages), src/samsara/types/v_1_message*.py, src/samsara/fuel_and_energy/raw_client.py
//   (post_fuel_purchase), src/samsara/fuel_and_energy/types/*.py, src/samsara/types/
//   post_fuel_purchase_request_body_*.py and post_fuel_purchase_response_body_response_body.py.
// [ref-fuel] developers.samsara.com/reference/postfuelpurchase (transactionReference "length between 1 and 32").
// [sdk-ts] ./sdk-vocabulary.ts (generated from @samsarahq/samsara): the fuel purchase's members and enums.
import { sdkEnum, sdkMembers } from './sdk-check.ts';

/** `text`: "The text sent in the message. Max 2500 characters allowed." [sdk-py v_1_create_messages]. */
export const MESSAGE_TEXT_MAX = 2500;

/** GET /v1/fleet/messages `durationMs`: "Defaults to 24 hours" [sdk-py v_1_get_messages]. */
export const MESSAGE_LIST_DEFAULT_DURATION_MS = 24 * 3600_000;

/**
 * What GET /v1/fleet/messages shows as the sender of a message sent through the API: V1MessageSender
 * `type` "will be either dispatch or driver" [sdk-py types/v_1_message_sender.py]; a message sent to
 * drivers by the organization is dispatch's. The name is the sandbox's (the API documents none).
 */
export const API_SENDER = { name: 'API', type: 'dispatch' } as const;

/** `transactionPrice.currency` and `discount.currency` [sdk-ts: PostFuelPurchaseRequestBodyPriceRequestBody.Currency]. */
export const FUEL_CURRENCIES = sdkEnum('PostFuelPurchaseRequestBodyPriceRequestBody', 'currency');

/** `iftaFuelType` [sdk-ts: FuelPurchasePostFuelPurchaseRequestBody.IftaFuelType], in the SDK's order. */
export const IFTA_FUEL_TYPES = sdkEnum('FuelPurchasePostFuelPurchaseRequestBody', 'iftaFuelType');

/** `fuelGrade` [sdk-ts: FuelPurchasePostFuelPurchaseRequestBody.FuelGrade]. */
export const FUEL_GRADES = sdkEnum('FuelPurchasePostFuelPurchaseRequestBody', 'fuelGrade');

/** `transactionReference`: required, "length between 1 and 32" [ref-fuel]. */
export const TRANSACTION_REFERENCE_MAX = 32;

/** The body's members [sdk-ts: FuelPurchasePostFuelPurchaseRequestBody], required and optional. */
export const FUEL_REQUIRED_FIELDS = sdkMembers('FuelPurchasePostFuelPurchaseRequestBody', 'required');
export const FUEL_OPTIONAL_FIELDS = sdkMembers('FuelPurchasePostFuelPurchaseRequestBody', 'optional');

/**
 * The endpoint-level limit of each endpoint, from its "Rate limit:" docstring line [sdk-py]; the
 * category names are ./asset-vendor.ts's. POST /v1/fleet/messages documents none (the per-token limit
 * applies alone).
 */
export const WRITES_ONCE_ENDPOINT_CATEGORIES = {
  'GET /v1/fleet/messages': 'levelOne', // v_1_get_messages: 100 requests/min
  'POST /fuel-purchase': 'levelOne', // post_fuel_purchase: 100 requests/min
} as const;
