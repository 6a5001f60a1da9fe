// DVIR logs: Catena's `DvirLogCreate` (telematics OpenAPI document, catenaclearing/catena-sdk-go
// specs/telematics/openapi.json @5cbf8f29; the current generation: shared/reference/providers-messages-fuel-dvir.md
// §0, §2.1). log_type is not nullable and defaults to `unknown`.
import { z } from 'zod';
import { DISTANCE_UNITS, DVIR_DEFECTS, DVIR_LOG_TYPES } from '../enums.ts';
import { connectionId, flag, number, recordFields, text, writeBody } from '../common/fields.ts';

export const dvirLogAttributes = {
  driver_id: z.uuid().describe('Identifier for the driver (the fleetgate id of a user written through fleetgate).'),
  vehicle_id: z.uuid().nullable().optional().describe('Identifier for the vehicle (a fleetgate vehicle id).'),
  trailer_id: z.uuid().nullable().optional().describe('Identifier for the trailer (a fleetgate trailer id).'),
  occurred_at: z.iso
    .datetime({ offset: true, message: 'must be an RFC 3339 date-time' })
    .nullable()
    .optional()
    .describe('Datetime of when the inspection occurred (must be UTC)'),
  log_type: z.enum(DVIR_LOG_TYPES).default('unknown').describe('Type of DVIR log. Defaults to `unknown` when omitted.'),
  inspected_by: text('Name of the inspector conducting the DVIR'),
  defect_count: z.int32().nullable().optional().describe('Total number of defects reported in this DVIR log. Defaults to 0 when omitted and no defects provided.'),
  defects: z.array(z.enum(DVIR_DEFECTS)).nullable().optional().describe('List of defects reported in this DVIR log'),
  is_safety_critical: flag('Indicates whether the DVIR log is safety-critical'),
  driver_comment: text('Additional free-text comments provided by the driver'),
  certify_comment: text("Driver's certification comment acknowledging the inspection"),
  odometer: number('Vehicle odometer reading at the time of the DVIR'),
  odometer_unit: z.enum(DISTANCE_UNITS).nullable().optional().describe('Unit for odometer'),
};
export const DVIR_LOG_ATTRIBUTE_NAMES = Object.keys(dvirLogAttributes) as Array<keyof typeof dvirLogAttributes>;

export const CreateDvirLogBody = writeBody({ connection_id: connectionId, ...dvirLogAttributes })
  .describe('DvirLog model for creating new records.')
  .meta({ id: 'DvirLogCreate' });
export type DvirLogAttributes = Omit<z.infer<typeof CreateDvirLogBody>, 'connection_id'>;

/** A DVIR log as fleetgate sent it (GET /v2/telematics/dvir-logs). */
export const DvirLogRecord = z.object({ ...recordFields('DVIR log'), ...dvirLogAttributes }).meta({ id: 'DvirLog' });
