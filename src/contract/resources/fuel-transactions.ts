// Fuel transactions: Catena's `FuelTransactionCreate` (telematics OpenAPI document,
// catenaclearing/catena-sdk-go specs/telematics/openapi.json @5cbf8f29; the current generation, with
// fleetgate ids for the driver and the vehicle: shared/reference/providers-messages-fuel-dvir.md §0, §1.1).
import { z } from 'zod';
import { DISTANCE_UNITS, ENGINE_TYPES, FUEL_VOLUME_UNITS } from '../enums.ts';
import { connectionId, number, recordFields, text, writeBody } from '../common/fields.ts';

// Catena's decimal string for total_cost, kept verbatim.
const DECIMAL = /^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$/;

export const fuelTransactionAttributes = {
  driver_id: z.uuid().describe('Identifier for the driver (the fleetgate id of a user written through fleetgate).'),
  vehicle_id: z.uuid().describe('Identifier for the vehicle (the fleetgate id of a vehicle written through fleetgate).'),
  co_driver_id: z.uuid().nullable().optional().describe('Identifier for the co-driver (a fleetgate user id).'),
  latitude: z.number().min(-90).max(90).nullable().optional().describe('Latitude of the location where the fuel transaction occurred in decimal degrees.'),
  longitude: z.number().min(-180).max(180).nullable().optional().describe('Longitude of the location where the fuel transaction occurred in decimal degrees.'),
  location_string: text('Human-readable location where the fuel transaction occurred'),
  odometer: number('Vehicle odometer reading at the time of the transaction'),
  odometer_unit: z.enum(DISTANCE_UNITS).nullable().optional().describe('Unit for odometer'),
  transaction_time: z.iso
    .datetime({ offset: true, message: 'must be an RFC 3339 date-time' })
    .nullable()
    .optional()
    .describe('Timestamp of the transaction as reported by the source system (must be UTC)'),
  transaction_jurisdiction: text('Jurisdiction where the transaction occurred (e.g., state or province code)'),
  fuel_type: z.enum(ENGINE_TYPES).nullable().optional().describe('Type of fuel purchased'),
  fuel_volume: z.number().describe('Volume of fuel purchased'),
  fuel_volume_unit: z.enum(FUEL_VOLUME_UNITS).describe('Unit for fuel_volume'),
  fuel_vendor: text('Name of the fuel vendor or station'),
  total_cost: z
    .union([z.number(), z.string().regex(DECIMAL, 'must be a decimal number')])
    .nullable()
    .optional()
    .describe('Total cost of the transaction'),
  currency: text('Currency of the total cost'),
};
export const FUEL_TRANSACTION_ATTRIBUTE_NAMES = Object.keys(fuelTransactionAttributes) as Array<keyof typeof fuelTransactionAttributes>;

export const CreateFuelTransactionBody = writeBody({ connection_id: connectionId, ...fuelTransactionAttributes })
  .describe('Fuel transaction model for creating new records')
  .meta({ id: 'FuelTransactionCreate' });
export type FuelTransactionAttributes = Omit<z.infer<typeof CreateFuelTransactionBody>, 'connection_id'>;

/** A fuel transaction as fleetgate sent it (GET /v2/telematics/fuel-transactions). */
export const FuelTransactionRecord = z.object({ ...recordFields('fuel transaction'), ...fuelTransactionAttributes }).meta({ id: 'FuelTransaction' });
