// The resource operation on the wire: every field of the seed's response, plus per-log error_type,
// attempt and duration, and the fields fleetgate had to drop for the TSP.
import { z } from 'zod';
import { OPERATION_STATUSES, OPERATION_TYPES, RESOURCES } from '../enums.ts';

export const LOG_ERROR_TYPES = ['auth', 'rate_limited', 'validation', 'transient', 'conflict', 'not_found', 'timeout', 'unknown', 'cancelled'] as const;

export const ResourceOperationLog = z
  .object({
    id: z.uuid(),
    created_at: z.string().describe('date-time'),
    updated_at: z.string().describe('date-time'),
    resource_operation_id: z.uuid(),
    attempt: z.number().int().describe('1 for the first attempt.'),
    status: z.enum(['success', 'failed']),
    error_type: z.enum(LOG_ERROR_TYPES).nullable(),
    error_details: z.string().nullable(),
    response_status_code: z.number().int().nullable(),
    response_headers: z.record(z.string(), z.string()).describe('Credentials and cookies removed.'),
    duration_ms: z.number().int(),
  })
  .meta({ id: 'ResourceOperationLog' });

export const ResourceOperation = z
  .object({
    partner_id: z.uuid().describe('The ID of the partner that created the operation.'),
    connection_id: z.uuid().describe('The ID of the connection'),
    resource: z.enum(RESOURCES).describe('The type of resource to operate on.'),
    operation_type: z.enum(OPERATION_TYPES).describe('The type of operation to perform.'),
    payload: z.record(z.string(), z.unknown()).describe('The payload of the operation, as accepted.'),
    id: z.uuid(),
    created_at: z.string(),
    updated_at: z.string(),
    deleted_at: z.string().nullable(),
    resource_id: z.uuid().nullable().describe('Null for a create until the TSP has accepted it.'),
    source_id: z.string().nullable().describe("The resource's id at the TSP."),
    status: z.enum(OPERATION_STATUSES),
    dropped_fields: z.array(z.string()).describe('Fields of the payload the TSP cannot store (not written).'),
    ignored_fields: z.array(z.string()).describe('Body fields the contract does not know (dot-separated below the body: colour, hos_tracking_mode.mode): accepted and ignored, as Catena does; not in the payload, not written.'),
    attempts: z.number().int(),
    next_attempt_at: z.string().nullable().describe('When a pending operation is next tried.'),
    logs: z.array(ResourceOperationLog),
  })
  .meta({ id: 'ResourceOperation' });
export type ResourceOperationView = z.infer<typeof ResourceOperation>;
