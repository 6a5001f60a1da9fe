// Samsara's native vocabulary for the vehicle and trailer writes (POST/PATCH /assets, POST/PATCH
// /fleet/trailers), as the adapter's mappings use it. Sources:
// [sdk-py] samsarahq/samsara-python @ e2e567ef60f6398525df8b31b7d2724d80091548, src/samsara/assets/raw_client.py
//   and src/samsara/trailers/raw_client.py (fields, types, docstrings);
// [guide] developers.samsara.com/docs/assets-vehicles-trailers-equipment (creating vehicles, retiring them);
// [ref-trailer] developers.samsara.com/reference/updatetrailer (lengths);
// [ext] developers.samsara.com/docs/external-ids (values unique per key across all entity types).

/** POST /assets `type` that makes a vehicle: "send a POST request to the /assets endpoint with ... "type": "vehicle"" [guide]. */
export const SAMSARA_VEHICLE_ASSET_TYPE = 'vehicle';

/** `vin`: "The unique 17-digit VIN ... or PIN" [sdk-py create_asset]; shorter legacy ones go in `serialNumber` (same docstring). */
export const SAMSARA_VIN_LENGTH = 17;

/** Trailer `licensePlate` length ≤ 12, `notes` length ≤ 255 [ref-trailer]. */
export const SAMSARA_TRAILER_LICENSE_PLATE_MAX = 12;
export const SAMSARA_TRAILER_NOTES_MAX = 255;

/**
 * externalIds keys for the partner's own `external_id` of a vehicle and of a trailer. Samsara keeps a
 * value unique per key across every entity type [ext]; one key per resource keeps a partner's vehicle
 * "T-100" and trailer "T-100" from colliding. fleetgate's own id goes under SAMSARA_EXTERNAL_ID_KEY
 * (native.ts), as for drivers.
 */
export const SAMSARA_VEHICLE_EXTERNAL_ID_KEY = 'vehicleExternalId';
export const SAMSARA_TRAILER_EXTERNAL_ID_KEY = 'trailerExternalId';
