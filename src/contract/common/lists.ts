// The query strings of the record lists (GET /v2/telematics/<resource>) and of the resource-operations
// list, with the filters Catena declares on them (telematics excerpt: list_users; catena-sdk-go
// gen/telematics/docs/FleetOperationsTrackingAPI.md: ListVehicles, ListTrailers; integrations document:
// list_resource_operations), spelled as Catena spells them, and fleetgate's own kept beside them.
import { z } from 'zod';
import { OPERATION_STATUSES, OPERATION_TYPES, RESOURCES } from '../enums.ts';
import { PageQuery } from './pages.ts';
import { queryBool, queryDateTime, queryFlag, queryList } from './query.ts';
import { TSP_SOURCE_NAMES } from '../enums.ts';

/** Catena's cap on every id and reference list filter. */
export const MAX_FILTER_VALUES = 100;

export const SORT_ORDERS = ['asc', 'desc'] as const;

const fleetFilters = {
  fleet_ids: queryList(z.uuid(), {
    maxItems: MAX_FILTER_VALUES,
    description: "Limit results to specific fleets using fleetgate's fleet IDs (fleet_id). For your own fleet identifiers, use fleet_refs instead.",
  }),
  fleet_refs: queryList(z.string().min(1).max(200), {
    maxItems: MAX_FILTER_VALUES,
    description: "Limit results to specific fleets using your organization's fleet reference identifiers (the connections' fleet_ref).",
  }),
};

/** A record list's query: Catena's filters (with the resource's own), sort, source data and page. */
export function recordListQuery(opts: { plural: string; idsParam?: string; isDriverFilter?: boolean; sortBy: readonly [string, ...string[]] }) {
  return z.object({
    ...(opts.isDriverFilter && { is_driver: queryFlag('Filter users by whether they are drivers or not (a user written without is_driver matches neither).') }),
    ...fleetFilters,
    connection_id: z.uuid().optional().describe('Limit results to a specific connection (the UUID fleetgate assigned when the fleet connected to its TSP).'),
    include_source_data: queryBool(false, "Include the TSP's own record (source_data): useful for auditing or fields not normalized."),
    ...(opts.idsParam && {
      [opts.idsParam]: queryList(z.uuid(), { maxItems: MAX_FILTER_VALUES, description: `Limit results to specific ${opts.plural} (their fleetgate ids).` }),
    }),
    source_ids: queryList(z.string().min(1).max(1000), {
      maxItems: MAX_FILTER_VALUES,
      description: 'Limit results to specific records using the identifier provided by the TSP (source_id).',
    }),
    sort_by: z
      .enum(opts.sortBy)
      .optional()
      .describe(
        "The name of the field to sort results by: one of the read's scalar fields (text fields order on their first 200 characters, then the id). If not provided, results are ordered by occurred_at. A cursor keeps the sort it was issued for: send the same sort_by and sort_order with it, or neither.",
      ),
    // No default in the validator: absent, a cursor's own order applies (asc without a cursor, as the document says).
    sort_order: z
      .enum(SORT_ORDERS)
      .optional()
      .meta({ default: 'asc', description: "The order of sorting: asc (the default; with a cursor, the cursor's) or desc." }),
    ...PageQuery,
    source_id: z.string().min(1).max(1000).optional().describe("fleetgate's: one TSP id (source_ids takes several)."),
  });
}

const DAY_MS = 86_400_000;
/** Catena's cap on an operations list's window (to_datetime - from_datetime). */
export const MAX_WINDOW_DAYS = 45;

/** The resource-operations list's query (Catena's, and fleetgate's status filter). */
export const OperationListQuery = z.object({
  resource: z.enum(RESOURCES).optional().describe('Filter resource operations by resource type (e.g., vehicle, user).'),
  connection_id: z.uuid().optional().describe('Filter resource operations by connection ID.'),
  source_name: z.enum(TSP_SOURCE_NAMES).optional().describe("Filter resource operations by source name (the connection's TSP)."),
  fleet_refs: fleetFilters.fleet_refs,
  operation: z.enum(OPERATION_TYPES).optional().describe('Filter resource operations by operation type (create, update).'),
  source_id: z.string().min(1).max(1000).optional().describe('Filter resource operations by source ID in the TSP. Requires the resource parameter (422 without it).'),
  from_datetime: queryDateTime(
    `Return only operations created on or after this instant (created_at >= from_datetime). Default: a day before to_datetime (the last day when neither is given). to_datetime - from_datetime cannot exceed ${MAX_WINDOW_DAYS} days (422).`,
  ).optional(),
  to_datetime: queryDateTime(
    `Return only operations created before this instant (created_at < to_datetime). Default: now. to_datetime - from_datetime cannot exceed ${MAX_WINDOW_DAYS} days (422).`,
  ).optional(),
  status: z.enum(OPERATION_STATUSES).optional().describe("fleetgate's: filter by status."),
  ...PageQuery,
});

/** One refused combination of parameters, in the detail shape of a 422. */
export interface QueryProblem {
  path: ['query', string];
  input: unknown;
  message: string;
  error_type: 'combination';
}

/**
 * The rules between an operations list's parameters (checked once each parameter is valid): Catena's
 * source_id needs resource, and a window (to_datetime, default now, minus from_datetime) of at most 45 days.
 */
export function operationListProblems(q: z.infer<typeof OperationListQuery>, nowMs: number): QueryProblem[] {
  const problems: QueryProblem[] = [];
  if (q.source_id !== undefined && q.resource === undefined) {
    problems.push({ path: ['query', 'source_id'], input: q.source_id, message: 'source_id requires the resource parameter', error_type: 'combination' });
  }
  // Without from_datetime the window is one day: only a given from_datetime can make it too long.
  if (q.from_datetime !== undefined) {
    const to = q.to_datetime === undefined ? nowMs : Date.parse(q.to_datetime);
    if (to - Date.parse(q.from_datetime) > MAX_WINDOW_DAYS * DAY_MS) {
      problems.push({
        path: ['query', 'from_datetime'],
        input: q.from_datetime,
        message: `to_datetime - from_datetime cannot exceed ${MAX_WINDOW_DAYS} days${q.to_datetime === undefined ? ' (to_datetime defaults to now)' : ''}`,
        error_type: 'combination',
      });
    }
  }
  return problems;
}
