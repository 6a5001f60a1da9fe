// Motive vehicles: the mapping (mapping.ts) on Motive's v1 vehicles calls (assets-client.ts), wired to the
// resource adapter interface. A retried create is found again by GET /v1/vehicles/lookup_by_external_id
// (https://developer-docs.gomotive.com/reference/lookup-a-vehicle-by-its-number-copy).
import { VEHICLES } from '../assets-client.ts';
import { motiveRecordAdapter } from '../record-adapter.ts';
import { mapVehicleToMotive, MOTIVE_VEHICLE_FIELD_SUPPORT } from './mapping.ts';

export const motiveVehicles = motiveRecordAdapter({ collection: VEHICLES, fields: MOTIVE_VEHICLE_FIELD_SUPPORT, map: mapVehicleToMotive });
