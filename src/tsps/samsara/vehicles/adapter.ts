// Samsara vehicles, created and updated through the assets API. Why there: Samsara's vehicle endpoint
// cannot create ("Vehicle objects are automatically created when Samsara Vehicle Gateways are installed.
// You cannot create a Vehicle object via API", SDK samsarahq/samsara-python src/samsara/vehicles/
// raw_client.py update), and Samsara's guide names POST /assets as the way: "You can also create a
// vehicle manually via the API ... send a POST request to the /assets endpoint with a JSON payload that
// includes "type": "vehicle"" (developers.samsara.com/docs/assets-vehicles-trailers-equipment). Updates
// go to PATCH /assets?id= with the id that create answered (SDK assets/raw_client.py update_asset):
// the same record through the same API, and the only one that writes make, model and year (read-only on
// PATCH /fleet/vehicles/{id}). Caveat from that guide: "Asset API endpoints are in beta. Please reach out
// to your account team to enable them for your organization"; an organization without them answers the
// call with Samsara's own error, which the operation log shows.
// Calls: POST/PATCH /assets (class assets, 100/min), GET /assets (class assets_read, 5/s).
import { isJsonObject } from '../../kit/adapter-kit.ts';
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../kit/types.ts';
import { assetLookup, createAsset, getAssets, samsaraAssetAttempt, updateAsset } from '../assets-client.ts';
import { SAMSARA_RATE_CLASSES } from '../descriptor.ts';
import { conflictIfRecorded } from '../duplicate-create.ts';
import { SAMSARA_EXTERNAL_ID_KEY } from '../native.ts';
import { mapVehicleToSamsara, SAMSARA_VEHICLE_FIELD_SUPPORT } from './mapping.ts';

type Json = Record<string, unknown>;

/**
 * The asset's external ids with the write's changes on top. Samsara's own automatic ids (keys under
 * `samsara.`, such as `samsara.vin`, docs/external-ids) are Samsara's to set, not ours to send back.
 */
function mergeIds(current: unknown, patch: Json): Json {
  const out: Json = isJsonObject(current) ? Object.fromEntries(Object.entries(current).filter(([k]) => !k.startsWith('samsara.'))) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

// GET /assets?externalIds=fleetgate:<id>: an empty page means no earlier attempt landed.
async function findVehicle(target: TspTarget, write: Write, opts: CallOptions): Promise<Attempt & { found: boolean }> {
  const { asset: _asset, ...attempt } = assetLookup(await getAssets(target, { externalIds: `${SAMSARA_EXTERNAL_ID_KEY}:${write.externalId}` }, opts), {
    key: SAMSARA_EXTERNAL_ID_KEY,
    value: write.externalId,
  });
  return attempt;
}

async function sendVehicle(target: TspTarget, write: Write, mapped: Json, opts: CallOptions): Promise<Attempt> {
  if (write.operation === 'create') {
    return conflictIfRecorded(samsaraAssetAttempt(await createAsset(target, mapped, opts)), () => findVehicle(target, write, opts));
  }
  if (write.sourceId === undefined || write.sourceId === '') {
    // A caller bug, not a TSP answer: an update always follows a successful create.
    throw new Error('Samsara vehicle update needs write.sourceId (the Samsara asset id)');
  }
  const body = { ...mapped };
  // PATCH /assets documents no merge for externalIds (only trailers are a JSON merge patch): read the
  // asset first so keys set by other integrations or in Samsara's dashboard survive the write.
  if (isJsonObject(body.externalIds)) {
    const { found, asset, ...read } = assetLookup(await getAssets(target, { ids: write.sourceId }, opts));
    if (!read.ok) return read;
    if (!found) return { ...read, ok: false, errorType: 'not_found', errorDetails: `Samsara has no asset ${write.sourceId} (GET /assets?ids= answered none)` };
    body.externalIds = mergeIds(asset?.externalIds, body.externalIds);
  }
  return samsaraAssetAttempt(await updateAsset(target, write.sourceId, body, opts));
}

export const samsaraVehicles: ResourceAdapter = {
  // Both implemented, through the assets API (header comment).
  operations: { create: 'implemented', update: 'implemented' },
  // Create and the common update start with a write to /assets; an update that changes external_id
  // reads first (assets_read), which only costs it a wait for the right slot.
  rateClass: () => SAMSARA_RATE_CLASSES.assets,
  fields: SAMSARA_VEHICLE_FIELD_SUPPORT,
  map: mapVehicleToSamsara,
  send: sendVehicle,
  findExisting: (target, write, _body, opts) => findVehicle(target, write, opts),
};
