// Thin calls to Motive's v1 vehicles and assets APIs, and reading their answers into Attempts.
// Sources:
//   vehicles: armdev/public_api_docs @177c9ec4 pages/11-vehicles.markdown (POST /vehicles → 201, PUT
//     /vehicles/:id → 200, both "Same as specific vehicle's response": `{"vehicle": {...}}`);
//     https://developer-docs.gomotive.com/reference/lookup-a-vehicle-by-its-number-copy
//     (GET /v1/vehicles/lookup_by_external_id?external_id=&integration_name= → `vehicle` object).
//   assets: https://developer.gomotive.com/reference/create-a-new-asset (POST /v1/assets → `asset` object),
//     https://developer.gomotive.com/reference/update-an-existing-asset (PUT /v1/assets/:id),
//     https://developer-docs.gomotive.com/reference/lookup-an-asset-using-an-external-id
//     (GET /v1/assets/lookup_by_external_id; that page lists the asset's fields at the top level, the create
//     page inside `asset`, so an asset answer is read either way).
// Motive publishes no rate limit per endpoint (providers.md), so every call takes the default class.
import { idString, resourceAttempt } from '../kit/adapter-kit.ts';
import { restCaller } from '../kit/http.ts';
import type { TspResponse, TspResult } from '../kit/http.ts';
import type { Attempt, CallOptions, TspTarget } from '../kit/types.ts';
import { motiveErrorDetails } from './client.ts';
import { MOTIVE } from './descriptor.ts';
import { MOTIVE_INTEGRATION_NAME } from './native.ts';

const call = restCaller(MOTIVE);

/** The two Motive collections fleetgate writes: the URL segment and the key of one record in an answer. */
export type MotiveCollection = { path: 'vehicles'; key: 'vehicle' } | { path: 'assets'; key: 'asset' };
export const VEHICLES: MotiveCollection = { path: 'vehicles', key: 'vehicle' };
export const ASSETS: MotiveCollection = { path: 'assets', key: 'asset' };

const recordPath = (c: MotiveCollection, id: string): string => `/v1/${c.path}/${encodeURIComponent(id)}`;

/** POST /v1/{vehicles|assets} → 201 with the record. */
export const createRecord = (c: MotiveCollection, target: TspTarget, body: Record<string, unknown>, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'POST', `/v1/${c.path}`, { body });

/** PUT /v1/{vehicles|assets}/{id} → 200 with the record; only the fields sent change. */
export const updateRecord = (
  c: MotiveCollection,
  target: TspTarget,
  id: string,
  body: Record<string, unknown>,
  opts: CallOptions,
): Promise<TspResult> => call(target, opts, 'PUT', recordPath(c, id), { body });

/** GET /v1/{vehicles|assets}/lookup_by_external_id: the record carrying fleetgate's external id, or 404. */
export const lookupRecordByExternalId = (c: MotiveCollection, target: TspTarget, externalId: string, opts: CallOptions): Promise<TspResult> =>
  call(target, opts, 'GET', `/v1/${c.path}/lookup_by_external_id`, {
    query: { external_id: externalId, integration_name: MOTIVE_INTEGRATION_NAME },
  });

/** The record: inside `{"<key>": {...}}`, or the answer itself (the asset lookup page's shape). */
export function motiveRecord(c: MotiveCollection, res: TspResponse): Record<string, unknown> | undefined {
  const json = res.json;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const wrapped = (json as Record<string, unknown>)[c.key];
  if (typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped)) return wrapped as Record<string, unknown>;
  return json as Record<string, unknown>;
}

/** The record's id: inside `{"<key>": {...}}`, or at the top level (the asset lookup page's shape). */
export const motiveRecordId = (c: MotiveCollection, res: TspResponse): string | undefined => idString(motiveRecord(c, res)?.id);

/** An Attempt for a call whose success answer is the record: ok carries its id and the record. */
export const motiveRecordAttempt = (c: MotiveCollection, result: TspResult): Attempt =>
  resourceAttempt(result, motiveErrorDetails, (res) => motiveRecordId(c, res), 'Motive', c.key, (res) => motiveRecord(c, res));
