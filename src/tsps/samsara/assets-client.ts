// Thin calls to Samsara's asset and trailer endpoints, each in its rate-limit class (descriptor.ts):
// POST /assets, PATCH /assets?id=, GET /assets (samsarahq/samsara-python src/samsara/assets/raw_client.py:
// create_asset, update_asset, list) and POST /fleet/trailers, PATCH and GET /fleet/trailers/{id}
// (src/samsara/trailers/raw_client.py). Every answer is `{"data": ...}`; errors are Samsara's
// `{"message", "requestId"}` (client.ts reads both).
import { idString, isJsonObject, resourceAttempt } from '../kit/adapter-kit.ts';
import { restCaller, toAttempt } from '../kit/http.ts';
import type { TspResult } from '../kit/http.ts';
import type { Attempt, CallOptions, TspTarget } from '../kit/types.ts';
import { samsaraData, samsaraErrorDetails } from './client.ts';
import { SAMSARA, SAMSARA_RATE_CLASSES } from './descriptor.ts';

const call = restCaller(SAMSARA);
type Body = Record<string, unknown>;

// The id is a Samsara id or an external id written `key:value` [doc]; encoded so a value with "/" or
// "?" cannot address another path.
const trailerPath = (id: string): string => `/fleet/trailers/${encodeURIComponent(id)}`;

/** POST /assets → 200 `{"data": {Asset}}`. */
export const createAsset = (target: TspTarget, body: Body, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'POST', '/assets', { body, rateClass: SAMSARA_RATE_CLASSES.assets });

/** PATCH /assets?id= → 200 `{"data": {Asset}}`: the fields sent change. */
export const updateAsset = (target: TspTarget, id: string, body: Body, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'PATCH', '/assets', { body, query: { id }, rateClass: SAMSARA_RATE_CLASSES.assets });

/**
 * GET /assets filtered to one asset: by `ids` (its Samsara id) or by `externalIds` (`key:value`), with
 * includeExternalIds=true, without which a listed asset carries no external ids. There is no documented
 * GET /assets/{id}.
 */
export const getAssets = (target: TspTarget, filter: { ids: string } | { externalIds: string }, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'GET', '/assets', { query: { ...filter, includeExternalIds: 'true' }, rateClass: SAMSARA_RATE_CLASSES.assetsRead });

/** POST /fleet/trailers → 200 `{"data": {Trailer}}`. */
export const createTrailer = (target: TspTarget, body: Body, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'POST', '/fleet/trailers', { body, rateClass: SAMSARA_RATE_CLASSES.trailers });

/** PATCH /fleet/trailers/{id} → 200 `{"data": {Trailer}}`; a JSON merge patch (RFC 7396). */
export const updateTrailer = (target: TspTarget, id: string, body: Body, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'PATCH', trailerPath(id), { body, rateClass: SAMSARA_RATE_CLASSES.trailers });

/** GET /fleet/trailers/{id} (Samsara id or `key:value` external id). */
export const getTrailer = (target: TspTarget, id: string, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'GET', trailerPath(id), { rateClass: SAMSARA_RATE_CLASSES.trailersRead });

/** An Attempt for a call answering `{"data": {Asset}}`: ok carries the asset's id. */
export const samsaraAssetAttempt = (result: TspResult): Attempt =>
  resourceAttempt(result, samsaraErrorDetails, (res) => idString(samsaraData(res)?.id), 'Samsara', 'asset', samsaraData);

/** An Attempt for a call answering `{"data": {Trailer}}`: ok carries the trailer's id. */
export const samsaraTrailerAttempt = (result: TspResult): Attempt =>
  resourceAttempt(result, samsaraErrorDetails, (res) => idString(samsaraData(res)?.id), 'Samsara', 'trailer', samsaraData);

/** The assets of a GET /assets page (`{"data": [...], "pagination": ...}`), or undefined for another shape. */
function listedAssets(result: TspResult): Body[] | undefined {
  if (result.kind !== 'response') return undefined;
  const data = (result.json as { data?: unknown } | undefined)?.data;
  return Array.isArray(data) ? data.filter((a): a is Body => typeof a === 'object' && a !== null) : undefined;
}

/**
 * One asset read through GET /assets: the first of the page, its id as sourceId. An empty page is a
 * successful look with nothing found; a 2xx that is not a page is not trusted.
 */
export function assetLookup(result: TspResult, externalId?: { key: string; value: string }): Attempt & { found: boolean; asset?: Body } {
  const attempt = toAttempt(result, samsaraErrorDetails);
  if (!attempt.ok) return { ...attempt, found: false };
  const assets = listedAssets(result);
  if (assets === undefined) {
    return { ...attempt, ok: false, found: false, errorType: 'unknown', errorDetails: 'Samsara answered GET /assets without a data list' };
  }
  // Looked up by an external id: only an asset that carries it is ours (never trust the filter alone).
  const asset = externalId ? assets.find((a) => isJsonObject(a.externalIds) && a.externalIds[externalId.key] === externalId.value) : assets[0];
  const sourceId = idString(asset?.id);
  return sourceId === undefined ? { ...attempt, found: false } : { ...attempt, found: true, sourceId, sourceData: asset, asset };
}
