// What every Catena telematics read carries besides the resource's own fields (UserRead, VehicleRead,
// TrailerRead: shared/reference/catena/telematics.openapi.excerpt.json; catenaclearing/catena-sdk-go
// gen/telematics/docs/{Vehicle,Trailer}Read.md @43cdb44e), in Catena's order and with its required set
// (fleet_id, id, created_at, updated_at, connection_id, source_name, source_id, source_data_hash).
import { z } from 'zod';
import { timestamp } from './fields.ts';
import { SourceNameEnum } from './source-names.ts';

const dateTime = (description: string) => timestamp().nullable().optional().describe(`${description} (date-time)`);
const jsonMap = (description: string) => z.record(z.string(), z.unknown()).nullable().optional().describe(description);

/** Say of a Catena read field that fleetgate has no source for it (its reads fill it with null). */
const NOT_KEPT = ' fleetgate has no source for it: always null.';
export const notKept = {
  text: (description: string) => z.string().nullable().optional().describe(`${description}${NOT_KEPT}`),
  dateTime: (description: string) => dateTime(`${description}${NOT_KEPT}`),
  uuid: (description: string) => z.uuid().nullable().optional().describe(`${description}${NOT_KEPT}`),
  map: (description: string) => jsonMap(`${description}${NOT_KEPT}`),
};

export const readFields = (noun: string) => ({
  fleet_id: z.uuid().nullable().describe("Internal fleet identifier: the fleet of the record's connection (null when it has none)."),
  fleet_ref: z.string().nullable().optional().describe("External fleet reference in the partner system: the record's connection's."),
  id: z.uuid().describe(`Unique identifier of the ${noun} at fleetgate (the operations' resource_id).`),
  created_at: timestamp().describe(`Immutable: when fleetgate first wrote the ${noun} (date-time).`),
  updated_at: timestamp().describe(`When fleetgate last wrote the ${noun} (date-time).`),
  deleted_at: dateTime(`When the ${noun} was logically deleted; null (fleetgate deletes no records).`),
  connection_id: z.uuid().describe(`The connection through which the ${noun} was written. A connection represents a Fleet/TSP pairing.`),
  tsp_id: z.uuid().nullable().optional().describe("The TSP's id (GET /v2/integrations/tsps)."),
  tsp_slug: z.string().nullable().optional().describe("Human readable slug of the TSP: its name in source_name."),
  // The TSP the record was written to. (No description: a described copy of the enum would be inlined, not a $ref.)
  source_name: SourceNameEnum,
  source_data: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      `Only with include_source_data=true: the TSP's own record of the ${noun} as fleetgate last saw it (its answer to the last successful write, or for a TSP that answers with no record, the native record fleetgate sent), credentials-like fields removed. {} for a ${noun} written before fleetgate kept it.`,
    ),
  source_id: z.string().describe(`Unique identifier of the ${noun} in the TSP.`),
  source_data_hash: z.string().max(64).describe('SHA-256 (hex) of source_data as canonical JSON (keys sorted, no spaces); the hash of {} where source_data is {}.'),
  occurred_at: dateTime(`When the ${noun} was first written through fleetgate (its created_at; the TSP gives no other time)`),
  execution_id: notKept.uuid('Catena: the execution that ingested this record.'),
  schedule_id: notKept.uuid("Catena: the schedule that triggered this record's execution."),
  extras: notKept.map('Catena: additional data available in the TSP.'),
});

/** The record fields a read fills in for every resource (the rest are the resource's attributes, or null). */
export const READ_FIELD_NAMES = Object.keys(readFields('record'));
