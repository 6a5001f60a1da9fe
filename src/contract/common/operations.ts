// The resource operation on the wire: Catena's ResourceOperationRead (integrations document) and
// ResourceOperation (telematics document, the write answers), one schema for both: every field either
// requires, plus fleetgate's added ones (per-log attempt, duration and finer error class, the fields
// fleetgate had to drop for the TSP, the attempt budget).
import { z } from 'zod';
import { timestamp } from './fields.ts';
import { OPERATION_STATUSES, OPERATION_TYPES, RESOURCES } from '../enums.ts';
import { SourceNameEnum } from './source-names.ts';

/** Catena's `ResourceOperationErrorTypeEnum`: what kind of error an attempt met (4 values). */
export const OPERATION_ERROR_TYPES = ['auth', 'validation', 'network', 'tsp'] as const;
export type OperationErrorType = (typeof OPERATION_ERROR_TYPES)[number];

/**
 * fleetgate's finer class of an attempt's failure (the retry classifier's ErrorType, plus `cancelled`
 * for a partner's cancel): kept in `error_class` beside Catena's `error_type`.
 */
export const LOG_ERROR_CLASSES = ['auth', 'rate_limited', 'validation', 'transient', 'conflict', 'not_found', 'timeout', 'unknown', 'cancelled'] as const;
export type LogErrorClass = (typeof LOG_ERROR_CLASSES)[number];

/**
 * Catena's error_type of an attempt, from fleetgate's class and whether the TSP answered (its HTTP status).
 * The one place the mapping is written; each class, and why:
 * - auth → auth: the TSP refused the credentials (401/403). Fix: new credentials.
 * - validation → validation: the TSP refused the content (400/422 ...) or fleetgate refused it before any
 *   call (a reference that no longer resolves, a base URL at an internal address). Fix: the request.
 * - conflict → validation: the TSP refused the content as clashing with a record it holds (409: an email
 *   or an external id already taken). The data must change, as for any refusal of content.
 * - not_found → tsp: the record (or the connection) is gone at the TSP. Nothing in the request's data is
 *   wrong and no credential or network fault caused it: it is the TSP's state.
 * - rate_limited → tsp: the TSP's limit (its 429, or fleetgate keeping to the TSP's documented limit for
 *   the connection). A capacity of the TSP, not a fault of the request or the network.
 * - transient, timeout → network when no HTTP answer came back (a reset, a refused connection, no answer
 *   within the deadline); tsp when the TSP answered (a 5xx, a 408): then the TSP itself failed.
 * - unknown → tsp: the TSP's answer could not be read as an outcome (a 2xx without the record's id, an
 *   answer over the size cap, a non-JSON-RPC body), so what the TSP did is unknown.
 * - cancelled → null: the partner cancelled the operation; no error occurred (`error_class` says why it ended).
 */
export function catenaErrorType(errorClass: string | null, statusCode: number | null): OperationErrorType | null {
  switch (errorClass) {
    case null:
    case 'cancelled':
      return null;
    case 'auth':
      return 'auth';
    case 'validation':
    case 'conflict':
      return 'validation';
    case 'transient':
    case 'timeout':
      return statusCode === null ? 'network' : 'tsp';
    default:
      // not_found, rate_limited, unknown, and any class a later fleetgate adds: the TSP's side.
      return 'tsp';
  }
}

export const ResourceOperationLog = z
  .object({
    id: z.uuid().describe('Unique identifier for the log entry.'),
    created_at: timestamp().describe('Timestamp when the log entry was created (date-time).'),
    updated_at: timestamp().describe('Timestamp when the log entry was last updated (date-time).'),
    resource_operation_id: z.uuid().describe('The ID of the resource operation this log entry belongs to.'),
    status: z.enum(['success', 'failed']).describe('The status of the operation attempt.'),
    error_type: z.enum(OPERATION_ERROR_TYPES).nullable().describe("The type of error that occurred, if any (Catena's four; error_class has fleetgate's finer class)."),
    error_details: z.string().nullable().describe('Detailed information about the error, if any.'),
    response_status_code: z.number().int().nullable().describe('HTTP status code returned by the TSP, if available.'),
    response_headers: z.record(z.string(), z.string()).describe('HTTP response headers from the TSP, credentials and cookies removed.'),
    // fleetgate's additions.
    attempt: z.number().int().describe('1 for the first attempt.'),
    duration_ms: z.number().int().describe('How long the attempt took.'),
    error_class: z
      .enum(LOG_ERROR_CLASSES)
      .nullable()
      .describe(
        "fleetgate's finer class of the failure (null on success): rate_limited, timeout, transient, conflict, not_found, unknown, auth, validation, or cancelled (the partner cancelled the operation).",
      ),
  })
  .meta({ id: 'ResourceOperationLog' });

export const ResourceOperation = z
  .object({
    id: z.uuid().describe('Unique identifier for the resource operation.'),
    created_at: timestamp().describe('Timestamp when the resource operation was created (date-time).'),
    updated_at: timestamp().describe('Timestamp when the resource operation was last updated (date-time).'),
    deleted_at: timestamp().nullable().describe('The datetime the record was logically deleted.'),
    partner_id: z.uuid().describe('The ID of the partner that owns this operation.'),
    connection_id: z.uuid().describe('The ID of the connection associated with this operation.'),
    fleet_ref: z.string().nullable().describe("The reference of the fleet in the partner's system: the connection's when the write was submitted."),
    // The connection's TSP. (No description here: a described copy of the enum would be inlined, not a $ref.)
    source_name: SourceNameEnum,
    resource: z.enum(RESOURCES).describe('The type of resource to operate on.'),
    resource_id: z.uuid().nullable().describe('Unique identifier of the resource in fleetgate; null for a create until the TSP has accepted it.'),
    source_id: z.string().nullable().describe('Unique identifier of the record in the TSP; null until the TSP has answered with one.'),
    operation_type: z.enum(OPERATION_TYPES).describe('The type of operation to perform.'),
    status: z.enum(OPERATION_STATUSES).describe('The current status of the operation.'),
    payload: z.record(z.string(), z.unknown()).describe('The payload of the operation, as accepted.'),
    logs: z.array(ResourceOperationLog).describe('Log entries for each attempt to execute this operation.'),
    // fleetgate's additions.
    dropped_fields: z.array(z.string()).describe('Fields of the payload the TSP cannot store (not written).'),
    ignored_fields: z.array(z.string()).describe('Body fields the contract does not know (dot-separated below the body: colour, hos_tracking_mode.mode): accepted and ignored, as Catena does; not in the payload, not written.'),
    attempts: z.number().int().describe('Attempts made so far.'),
    next_attempt_at: timestamp().nullable().describe('When a pending operation is next tried.'),
  })
  .meta({ id: 'ResourceOperation' });
export type ResourceOperationView = z.infer<typeof ResourceOperation>;
