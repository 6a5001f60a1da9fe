// Motive API v1 vocabulary for vehicles (/v1/vehicles) and assets (/v1/assets), as Motive defines it.
// Like vendor.ts, taken from Motive's own material and never from the adapter under src/tsps, so the fake
// can disagree with the adapter when the adapter is wrong.
// Sources:
//   [KT16]           armdev/public_api_docs @177c9ec4 pages/11-vehicles.markdown (the 2016 KeepTruckin docs:
//                    create/update parameters, `number` required, fuel_type and status values, list filters)
//   [create-vehicle] https://developer.gomotive.com/reference/create-a-vehicle (example body: notes,
//                    external_ids_attributes; "The combination of the external ID and the integration name
//                    will always be unique")
//   [lookup-vehicle] https://developer-docs.gomotive.com/reference/lookup-a-vehicle-by-its-number-copy
//   [create-asset]   https://developer.gomotive.com/reference/create-a-new-asset ("you must provide … Name,
//                    Type, Make, Model, Year"; response fields; type "e.g., flatbed"; status "e.g., active")
//   [update-asset]   https://developer.gomotive.com/reference/update-an-existing-asset (status, group ids,
//                    lease information, corresponding gateway id, VIN, external ids are updatable)
//   [lookup-asset]   https://developer-docs.gomotive.com/reference/lookup-an-asset-using-an-external-id
//                    (fields at the top level; type e.g. "low_boy"; axle integer; *_metric_units booleans)
//   [seen]           third-party clients and schemas of Motive's asset API (fields the pages above cut off)

/** `fuel_type`: "valid values are (…)" [KT16], on create and update alike. */
export const FUEL_TYPES = ['diesel', 'gasoline', 'propane', 'lng', 'cng', 'ethanol', 'methanol', 'e85', 'm85', 'a55', 'biodiesel', 'other'] as const;

/** A vehicle's `status`: "valid values are ("active", "deactivated")" [KT16]. */
export const VEHICLE_STATUSES = ['active', 'deactivated'] as const;

/**
 * An asset's `type`: only the values Motive's pages show, "flatbed" [create-asset] and "low_boy"
 * [lookup-asset]. The pages name Reefer and Auto hauler in prose without their API spelling, so a type
 * outside this list is refused the way Rails refuses a value outside an inclusion list.
 */
export const ASSET_TYPES = ['flatbed', 'low_boy'] as const;

/**
 * An asset's `status`: "active" [create-asset]; "deactivated" [seen] (a schema of Motive's asset record:
 * "Values: active, deactivated", as for vehicles [KT16]).
 */
export const ASSET_STATUSES = ['active', 'deactivated'] as const;

/** Pagination of the list endpoints: default 25 per page [KT16]; the sandbox caps at 100 as for users. */
export const DEFAULT_PER_PAGE = 25;
export const MAX_PER_PAGE = 100;
