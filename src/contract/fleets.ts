// Fleets on the wire (a fleetgate extension: Catena's documents name fleet_id everywhere and publish no
// fleet endpoint). A fleet is one of the partner's customers; its connections are its accounts at TSPs.
import { z } from 'zod';
import { PageQuery, queryList } from './common/query.ts';

export const FleetCreate = z
  .object({
    fleet_ref: z
      .string()
      .max(200)
      .nullable()
      .optional()
      .describe("The partner's own reference for the fleet, unique among the partner's fleets (409 when another fleet has it). A connection given this fleet_ref joins this fleet."),
    name: z.string().max(200).nullable().optional().describe('A name for the fleet.'),
  })
  .meta({ id: 'FleetCreate', description: 'Fields the body does not declare are ignored.' });

export const FleetRead = z
  .object({
    id: z.uuid().describe('The fleet_id: what connections and records name the fleet by.'),
    fleet_ref: z.string().nullable().describe("The partner's own reference for the fleet."),
    name: z.string().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'FleetRead' });

/** The filters of Catena's lists that name fleets, on connections and on fleets alike. */
export const FleetFilters = {
  fleet_ids: queryList(z.uuid(), { maxItems: 100, description: "Limit results to specific fleets (their fleet_id)." }),
  fleet_refs: queryList(z.string().max(200), { maxItems: 100, description: "Limit results to specific fleet references (the partner's fleet_ref)." }),
};

export const FleetListQuery = z.object({ ...FleetFilters, ...PageQuery });
export const FleetIdParams = z.object({ fleet_id: z.uuid() });
