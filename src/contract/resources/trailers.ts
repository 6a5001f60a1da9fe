// The normalized trailer: Catena's `TrailerCreate` / `TrailerUpdate` (telematics OpenAPI document,
// catenaclearing/catena-sdk-go specs/telematics/openapi.json @5cbf8f29; the property names are the ones
// shared/reference/catena/telematics.openapi.excerpt.json lists for TrailerUpdate). A trailer's status
// is free text in Catena (no enum), unlike a vehicle's.
import { z } from 'zod';
import { connectionId, flag, int32, number, text, writeBody } from '../common/fields.ts';
import { notKept, readFields } from '../common/records.ts';

/** Every writable attribute of a trailer, in Catena's order; all optional and nullable. */
export const trailerAttributes = {
  trailer_name: text('Display name or unit number for the trailer.'),
  oem: text('Manufacturer (OEM) of the trailer.'),
  model_type: text("Manufacturer model or type designation (e.g., '53ft Dry Van', 'Reefer')."),
  model_year: int32('Model year (four-digit, e.g., 2022).'),
  vin: text('Vehicle Identification Number (VIN), typically 17 characters; if available.'),
  license_plate_region: text("Plate region/subdivision (state/province code, e.g., 'CA', 'ON')."),
  // Catena's trailer bodies give this field no pattern and call it alpha-2 (its vehicle bodies: alpha-3,
  // ^\w{3}$); fleetgate accepts what Catena's document accepts.
  license_plate_country: text("Plate country code (ISO-3166-1 alpha-2, e.g., 'US', 'CA')."),
  license_plate_number: text("License plate number (e.g., 'HMT-3570')."),
  is_active: flag('Indicates whether this trailer is currently active/in service.'),
  status: text("Operational status label (e.g., 'IN_SERVICE', 'OUT_OF_SERVICE', 'MAINTENANCE')."),
  notes: text('Free-text notes about the trailer (plain text).'),
  eld_id: text('Telematics/ELD device identifier associated with this trailer, if any.'),
  eld_serial_number: text('Telematics/ELD device serial number, if any.'),
  eld_device_type: text('Telematics/ELD device type or model family (vendor-specific).'),
  eld_product_id: text('Telematics/ELD vendor product identifier (catalog/model code).'),
  total_axles: int32('Total number of axles on the trailer.'),
  external_id: text("External trailer identifier as known in the TSP or customer's system."),
  trailer_length: number('Length of the trailer (numeric; unit per source, e.g., feet or meters).'),
  trailer_type: text('Body type/classification (e.g., Dry Van, Reefer, Flatbed, Tanker, Chassis).'),
};

export type TrailerAttributeName = keyof typeof trailerAttributes;
export const TRAILER_ATTRIBUTE_NAMES = Object.keys(trailerAttributes) as TrailerAttributeName[];

export const CreateTrailerBody = writeBody({ connection_id: connectionId, ...trailerAttributes })
  .describe('Trailer model for creating new records')
  .meta({ id: 'TrailerCreate' });
export type CreateTrailerBody = z.infer<typeof CreateTrailerBody>;

export const UpdateTrailerBody = writeBody({ connection_id: connectionId, ...trailerAttributes })
  .describe('Trailer model for updating existing records: only the fields sent change.')
  .meta({ id: 'TrailerUpdate' });

/** The normalized attributes alone (what adapters map); `connection_id` travels beside them. */
export type TrailerAttributes = Omit<CreateTrailerBody, 'connection_id'>;

/**
 * TrailerRead's fields that are not a trailer's writable attributes: Catena reads them from the TSP (its
 * trailer reads also carry a vehicle's unit and engine fields).
 */
const trailerReadOnly = {
  started_at: notKept.dateTime('Timestamp when this trailer record became active/in service (UTC).'),
  ended_at: notKept.dateTime('Timestamp when this trailer record ended/out of service (UTC).'),
  trailer_groups: notKept.map('JSON map of trailer group memberships.'),
  speed_unit: notKept.text("Unit of measure for speed metrics (e.g., 'km/h', 'mph')."),
  odometer_unit: notKept.text("Unit of measure for odometer readings (e.g., 'km', 'mi')."),
  fuel_unit: notKept.text("Unit of measure for fuel quantities (e.g., 'gallons', 'liters')."),
  fuel_capacity: notKept.text('Fuel capacity as provided by the source.'),
  engine_type: notKept.text('Engine/fuel type.'),
};

/**
 * A trailer as fleetgate last wrote it (GET /v2/telematics/trailers): Catena's TrailerRead
 * (catena-sdk-go gen/telematics/docs/TrailerRead.md @43cdb44e), every field of it.
 */
export const TrailerRecord = z
  .object({ ...readFields('trailer'), ...trailerAttributes, ...trailerReadOnly })
  .describe('Trailer model for API responses')
  .meta({ id: 'TrailerRead' });
