// The normalized vehicle: Catena's `VehicleCreate` / `VehicleUpdate` (telematics OpenAPI document,
// catenaclearing/catena-sdk-go specs/telematics/openapi.json @5cbf8f29; the property names are the ones
// shared/reference/catena/telematics.openapi.excerpt.json lists). Field names, types, the pattern and
// the enums are Catena's; this one schema yields validation, the OpenAPI document and the types.
import { z } from 'zod';
import { ENGINE_TYPES, VEHICLE_STATUSES } from '../enums.ts';
import { alpha3, connectionId, flag, int32, text, writeBody } from '../common/fields.ts';
import { notKept, readFields } from '../common/records.ts';

/** Every writable attribute of a vehicle, in Catena's order; all optional and nullable. */
export const vehicleAttributes = {
  vehicle_name: text('Display name or unit number for the vehicle.'),
  oem: text('Manufacturer (OEM) of the vehicle.'),
  model_type: text("Manufacturer model or type designation (e.g., 'Class 8 Tractor', 'Pickup')."),
  model_year: int32('Model year (four-digit, e.g., 2022).'),
  vin: text('Vehicle Identification Number (VIN), typically 17 characters; if available.'),
  engine_vin: text('Engine serial number or engine VIN, if available.'),
  license_plate_region: text("Plate region/subdivision (state/province code, e.g., 'CA', 'ON')."),
  license_plate_country: alpha3("Plate country code (ISO-3166-1 alpha-3, e.g., 'USA', 'CAN')."),
  license_plate_number: text("License plate number (e.g., 'HMT-3570')."),
  is_active: flag('Indicates whether the vehicle is currently active/in service.'),
  status: z
    .enum(VEHICLE_STATUSES)
    .nullable()
    .optional()
    .describe("Operational status label (e.g., 'IN_SERVICE', 'OUT_OF_SERVICE', 'MAINTENANCE')."),
  notes: text('Free-text notes about the vehicle (plain text).'),
  eld_id: text('Telematics/ELD device identifier associated with this vehicle, if any.'),
  eld_serial_number: text('Telematics/ELD device serial number, if any.'),
  eld_device_type: text('Telematics/ELD device type or model family (vendor-specific).'),
  eld_product_id: text('Telematics/ELD vendor product identifier (catalog/model code).'),
  total_axles: int32('Total number of axles on the vehicle.'),
  external_id: text("External vehicle identifier as known in the TSP or customer's system."),
  speed_unit: text("Unit of measure for speed metrics (e.g., 'km/h', 'mph')."),
  odometer_unit: text("Unit of measure for odometer readings (e.g., 'km', 'mi')."),
  fuel_unit: text("Unit of measure for fuel quantities (e.g., 'gallons', 'liters')."),
  fuel_capacity: text("Fuel capacity as provided by the source (text with units, e.g., '100 gallons')."),
  engine_type: z
    .enum(ENGINE_TYPES)
    .nullable()
    .optional()
    .describe("Engine/fuel type (e.g., 'diesel', 'gasoline', 'electric', 'hybrid')."),
};

export type VehicleAttributeName = keyof typeof vehicleAttributes;
export const VEHICLE_ATTRIBUTE_NAMES = Object.keys(vehicleAttributes) as VehicleAttributeName[];

export const CreateVehicleBody = writeBody({ connection_id: connectionId, ...vehicleAttributes })
  .describe('Vehicle model for creating new records')
  .meta({ id: 'VehicleCreate' });
export type CreateVehicleBody = z.infer<typeof CreateVehicleBody>;

export const UpdateVehicleBody = writeBody({ connection_id: connectionId, ...vehicleAttributes })
  .describe('Vehicle model for updating existing records: only the fields sent change.')
  .meta({ id: 'VehicleUpdate' });

/** The normalized attributes alone (what adapters map); `connection_id` travels beside them. */
export type VehicleAttributes = Omit<CreateVehicleBody, 'connection_id'>;

/** VehicleRead's fields that are not a vehicle's writable attributes: Catena reads them from the TSP. */
const vehicleReadOnly = {
  started_at: notKept.dateTime('Timestamp when this vehicle record became active/in service (UTC).'),
  ended_at: notKept.dateTime('Timestamp when this vehicle record ended/out of service (UTC).'),
  vehicle_groups: notKept.map('JSON map of vehicle group memberships.'),
};

/**
 * A vehicle as fleetgate last wrote it (GET /v2/telematics/vehicles): Catena's VehicleRead
 * (catena-sdk-go gen/telematics/docs/VehicleRead.md @43cdb44e), every field of it.
 */
export const VehicleRecord = z
  .object({ ...readFields('vehicle'), ...vehicleAttributes, ...vehicleReadOnly })
  .describe('Vehicle model for API responses')
  .meta({ id: 'VehicleRead' });
