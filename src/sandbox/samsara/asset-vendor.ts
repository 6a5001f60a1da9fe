// Samsara's vocabulary for assets (POST/PATCH/GET /assets) and trailers (POST /fleet/trailers,
// GET/PATCH /fleet/trailers/{id}), and the endpoint-level rate limits of those endpoints, as Samsara
// defines them. Like vendor.ts it is an independent witness: nothing here is read from src/tsps.
// The value lists and member lists are read from ./sdk-vocabulary.ts (generated from the official
// TypeScript SDK, @samsarahq/samsara); the rest are quoted by hand.
// Sources:
// [sdk-ts] ./sdk-vocabulary.ts: AssetsCreateAssetRequestBody, TrailersCreateTrailerRequestBody,
//   TrailersUpdateTrailerRequestBody.
// [sdk-py] samsarahq/samsara-python @ e2e567ef60f6398525df8b31b7d2724d80091548 (Samsara's official
//   SDK, Fern-generated from its OpenAPI document): src/samsara/assets/raw_client.py,
//   src/samsara/assets/types/*.py, src/samsara/trailers/raw_client.py, src/samsara/types/
//   asset_response_body.py and trailer_with_attributes_response_object_response_body.py.
// [ref-trailer] developers.samsara.com/reference/updatetrailer (lengths the SDK does not carry).
// [rate] developers.samsara.com/docs/rate-limits (endpoint-level categories, per organization).
// [ext] developers.samsara.com/docs/external-ids (uniqueness of external id values).
import { sdkEnum, sdkMembers } from './sdk-check.ts';

/** `type` of an asset [sdk-ts: AssetsCreateAssetRequestBody.Type]; create defaults to uncategorized [ref: createasset]. */
export const ASSET_TYPES = sdkEnum('AssetsCreateAssetRequestBody', 'type');
export const DEFAULT_ASSET_TYPE = 'uncategorized';

/** `regulationMode` [sdk-ts: AssetsCreateAssetRequestBody.RegulationMode]. */
export const REGULATION_MODES = sdkEnum('AssetsCreateAssetRequestBody', 'regulationMode');

/** Writable string fields of POST/PATCH /assets [sdk-py: assets/raw_client.py create_asset, update_asset]. */
export const ASSET_STRING_FIELDS = ['licensePlate', 'make', 'model', 'name', 'notes', 'serialNumber'] as const;

/**
 * `vin`: "The unique 17-digit VIN (Vehicle Identification Number) or PIN (Product Identification Number)
 * of the asset" [sdk-py: create_asset]. Shorter legacy VIN/PINs belong in `serialNumber` ("used to hold
 * legacy VIN/PIN numbers such as ones of shorter lengths", same docstring).
 */
export const VIN_LENGTH = 17;

/** `GET /assets`: "Up to 300 assets will be returned per page" [sdk-py: assets/raw_client.py list]. */
export const ASSET_PAGE_SIZE = 300;

/** Query parameters of GET /assets [sdk-py: list]; the ones the sandbox implements. */
export const ASSET_LIST_PARAMS = ['type', 'after', 'updatedAfterTime', 'includeExternalIds', 'ids', 'externalIds'] as const;
/** Documented GET /assets filters the sandbox does not implement: answered 400, never ignored. */
export const ASSET_LIST_UNSUPPORTED = ['includeTags', 'tagIds', 'parentTagIds', 'attributeValueIds', 'attributes', 'includeAttributes'] as const;

/** Writable fields of POST /fleet/trailers [sdk-ts: TrailersCreateTrailerRequestBody]; `name` is required. */
export const TRAILER_CREATE_FIELDS = sdkMembers('TrailersCreateTrailerRequestBody');
/** PATCH /fleet/trailers/{id} also takes `odometerMeters` [sdk-ts: TrailersUpdateTrailerRequestBody]. */
export const TRAILER_UPDATE_FIELDS = sdkMembers('TrailersUpdateTrailerRequestBody');
/** `licensePlate`: string, length ≤ 12 [ref-trailer]. */
export const TRAILER_LICENSE_PLATE_MAX = 12;
/** `notes`: string, length ≤ 255 [ref-trailer]. */
export const TRAILER_NOTES_MAX = 255;

/**
 * Endpoint-level rate limit categories [rate]: "These rate limits are applied on a per organization
 * basis", each endpoint falling into one. Level One is 100 requests per minute, Level Two 5 per second.
 */
export const RATE_CATEGORIES = {
  levelOne: { limit: 100, windowMs: 60_000 },
  levelTwo: { limit: 5, windowMs: 1_000 },
} as const;
export type RateCategory = keyof typeof RATE_CATEGORIES;

/** The category of each asset and trailer endpoint, from its "Rate limit:" docstring line [sdk-py]. */
export const ENDPOINT_CATEGORIES: Readonly<Record<string, RateCategory>> = {
  'POST /assets': 'levelOne', // create_asset: 100 requests/min
  'PATCH /assets': 'levelOne', // update_asset: 100 requests/min
  'GET /assets': 'levelTwo', // list: 5 requests/sec
  'POST /fleet/trailers': 'levelOne', // create_trailer: 100 requests/min
  'PATCH /fleet/trailers/{id}': 'levelOne', // update_trailer: 100 requests/min
  'GET /fleet/trailers': 'levelTwo', // list_trailers: 5 requests/sec
  'GET /fleet/trailers/{id}': 'levelTwo', // get_trailer: 5 requests/sec
};

/** `GET /fleet/trailers` `limit`: 1..512 [sdk-py: list_trailers]. */
export const TRAILER_LIST_MAX_LIMIT = 512;
