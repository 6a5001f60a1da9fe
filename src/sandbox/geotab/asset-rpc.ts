// Add, Set and Get of the Device and Trailer entities inside an authenticated JSON-RPC call (./rpc.ts
// authenticates the session first). Each call takes a slot of its own class `<method>:<typeName>` at
// the limit Geotab documents for it (./asset-vendor.ts), before the entity is read.
import type { GeotabDatabase, SandboxSettings } from './database.ts';
import { admit } from './admission.ts';
import { entityOf, resultsLimit } from './params.ts';
import type { Params } from './params.ts';
import type { AssetRateClass } from './asset-vendor.ts';

const ASSET_TYPES = new Set(['Device', 'Trailer']);
const ASSET_METHODS = new Set(['Add', 'Set', 'Get']);

/** The setting holding each class's limit (defaults: Geotab's documented ones). */
export const ASSET_LIMIT_SETTINGS: Readonly<Record<AssetRateClass, keyof SandboxSettings>> = {
  'Add:Device': 'add_device_per_minute',
  'Set:Device': 'set_device_per_minute',
  'Get:Device': 'get_device_per_minute',
  'Add:Trailer': 'add_trailer_per_minute',
  'Set:Trailer': 'set_trailer_per_minute',
  'Get:Trailer': 'get_trailer_per_minute',
};

export const isAssetCall = (method: string, params: Params): boolean =>
  ASSET_METHODS.has(method) && typeof params.typeName === 'string' && ASSET_TYPES.has(params.typeName);

export function assetCall(db: GeotabDatabase, userName: string, method: string, params: Params, now: number): { result: unknown; headers: Record<string, string> } {
  const typeName = params.typeName as 'Device' | 'Trailer';
  const rateClass = `${method}:${typeName}` as AssetRateClass;
  const headers = admit(db, userName, rateClass, db.settings[ASSET_LIMIT_SETTINGS[rateClass]] as number, now);
  const assets = db.assets;
  const device = typeName === 'Device';
  switch (method) {
    case 'Add': {
      const entity = entityOf(params);
      return { result: device ? assets.addDevice(entity, now) : assets.addTrailer(entity), headers };
    }
    case 'Set': {
      const entity = entityOf(params);
      if (device) assets.setDevice(entity, now);
      else assets.setTrailer(entity);
      return { result: null, headers };
    }
    default: {
      const limit = resultsLimit(params);
      return { result: device ? assets.getDevices(params.search, limit) : assets.getTrailers(params.search, limit), headers };
    }
  }
}
