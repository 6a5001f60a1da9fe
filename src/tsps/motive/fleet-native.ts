// Motive (KeepTruckin) API v1 native vocabulary for vehicles (POST/PUT /v1/vehicles) and assets
// (POST/PUT /v1/assets, Motive's name for trailers and other towed equipment). The adapter's tables map
// onto these lists; the sandbox keeps its own copy (src/sandbox/motive/fleet-vendor.ts).
// Sources:
//   [KT16]          armdev/public_api_docs @177c9ec4 pages/11-vehicles.markdown (the 2016 KeepTruckin docs)
//   [create-vehicle] https://developer.gomotive.com/reference/create-a-vehicle
//   [create-asset]  https://developer.gomotive.com/reference/create-a-new-asset
//   [lookup-asset]  https://developer-docs.gomotive.com/reference/lookup-an-asset-using-an-external-id

/** `fuel_type`: "valid values are (…)" on create and update [KT16]; [create-vehicle] sends "diesel". */
export const MOTIVE_FUEL_TYPES = [
  'diesel',
  'gasoline',
  'propane',
  'lng',
  'cng',
  'ethanol',
  'methanol',
  'e85',
  'm85',
  'a55',
  'biodiesel',
  'other',
] as const;
export type MotiveFuelType = (typeof MOTIVE_FUEL_TYPES)[number];

/** A vehicle's `status`: "valid values are ("active", "deactivated")" [KT16, update]. */
export const MOTIVE_VEHICLE_STATUSES = ['active', 'deactivated'] as const;
export type MotiveVehicleStatus = (typeof MOTIVE_VEHICLE_STATUSES)[number];

/**
 * An asset's `type`, as far as Motive documents its values: "flatbed" [create-asset, response example]
 * and "low_boy" [lookup-asset, response example]. The pages also name "a Reefer, a Lowboy, or even a
 * Auto hauler" in prose, without the API spelling of Reefer or Auto hauler, so those are not listed.
 */
export const MOTIVE_ASSET_TYPES = ['flatbed', 'low_boy'] as const;
export type MotiveAssetType = (typeof MOTIVE_ASSET_TYPES)[number];

/**
 * An asset's `status`. Motive documents "active" [create-asset: `status` "e.g., active"] and that status
 * can be updated; it shows no other value. "deactivated" is [seen]: a third-party schema of Motive's
 * asset record lists "Values: active, deactivated", the value Motive's vehicles and users use [KT16];
 * (erikgall/motive-sdk, unverified, has "inactive" instead).
 */
export const MOTIVE_ASSET_STATUSES = ['active', 'deactivated'] as const;
export type MotiveAssetStatus = (typeof MOTIVE_ASSET_STATUSES)[number];
