// The text of the hot path's statements (machine.ts runs them): an async submit, a claim and an
// attempt's outcome, each one statement with everything it writes, so a write is one round trip with no
// BEGIN/COMMIT, parsed and planned once per PostgreSQL connection (prepared by name). Raw text because
// Drizzle's query building cost more server CPU than the statements themselves (docs/benchmarks.md).
import { connections, operationLogs, resourceOperations, resources } from '../../db/schema.ts';
import { jsonColumns, selectColumns } from '../../db/rows.ts';
import { NEXT_SLOT, slotWaitSql, takeSlotSql } from '../policy/ratelimit.ts';
import { deliveryPayloadSql, hearsOperationEvent, isoSql, UUIDV7_SQL } from '../outbox/sql.ts';

/**
 * submit / submit_sync: the operation (queued, or leased to its request with its attempt counted) and its
 * `created` deliveries, only if the connection is still the partner's, live, in one of the statuses that
 * take this write and of the TSP the write was mapped for (the caller's knowledge of it may be cached:
 * this is where it is checked, in the same snapshot as the insert). No row back: the connection is not
 * (or no longer) as the caller thought, and nothing was written.
 *
 * $1 partner, $2 connection, $3 its TSP, $4 id, $5 resource, $6 operation type, $7 payload (json),
 * $8 dropped fields, $9 ignored fields, $10 resource id, $11 source id, $12 rate class, $13 the event's
 * item as viewOperation makes it (json; the database's own values replace its times, TSP and fleet_ref),
 * $14 the event schema version, $15 is_sync, $16 attempts, $17 lease owner, $18 lease ms, $19 the
 * connection statuses that take the write.
 */
const submitStatement = (withSlot: boolean) => `
WITH conn AS (
  SELECT id, partner_id, tsp, fleet_id, fleet_ref FROM connections
   WHERE id = $2 AND partner_id = $1 AND deleted_at IS NULL AND status = ANY($19::text[]) AND tsp = $3
), ${withSlot ? `slot AS (${takeSlotSql('FROM conn', 'conn.id', '$12', '$20')}
), ` : ''}op AS (
  INSERT INTO resource_operations (id, partner_id, connection_id, source_name, fleet_ref, resource, operation_type, payload,
                                   dropped_fields, ignored_fields, status, resource_id, source_id, is_sync, attempts,
                                   next_attempt_at, rate_class, lease_owner, lease_until)
  SELECT $4, conn.partner_id, conn.id, conn.tsp, conn.fleet_ref, $5, $6, $7::jsonb, $8::text[], $9::text[], 'pending', $10, $11,
         $15, $16, now(), $12, $17, now() + $18::float8 * interval '1 millisecond'
    FROM conn${withSlot ? ' WHERE EXISTS (SELECT 1 FROM slot)' : ''}
  RETURNING ${selectColumns(resourceOperations, 'resource_operations', 'o')}
), deliveries AS (
  INSERT INTO webhook_deliveries (webhook_id, message_id, event_type, payload)
  SELECT w.id, ${UUIDV7_SQL}, 'resource_operation.created',
         ${deliveryPayloadSql(
           '$14',
           `'resource_operation.created'`,
           `$13::jsonb || jsonb_build_object('created_at', ${isoSql('op."o.created_at"')}, 'updated_at', ${isoSql('op."o.updated_at"')},
             'next_attempt_at', ${isoSql('op."o.next_attempt_at"')}, 'source_name', op."o.source_name", 'fleet_ref', op."o.fleet_ref")`,
         )}
    FROM webhooks w, conn, op
   WHERE ${hearsOperationEvent('w', 'conn', `'resource_operation.created'`)}
)
${
  withSlot
    ? `SELECT ${DECIDED}, EXISTS (SELECT 1 FROM conn) AS conn_found, (${slotWaitSql('$2', '$12')}) AS slot_wait_ms
  FROM (SELECT 1) one LEFT JOIN op ON true`
    : `SELECT ${DECIDED} FROM op`
}`;

/**
 * What the submit statements return of the row: what the database decided (its times, and the
 * connection's source name and fleet_ref as they are now); the caller knows the rest, having sent it.
 * Reading back all 25 columns cost a tenth of the API's CPU per write (docs/benchmarks.md).
 */
export const SUBMIT_DECIDED = [
  'id',
  // As the uuid columns hold them (lower case), not as the request spelled them.
  'connection_id',
  'resource_id',
  'created_at',
  'updated_at',
  'next_attempt_at',
  'budget_started_at',
  'lease_until',
  'source_name',
  'fleet_ref',
] as const;
const DECIDED = SUBMIT_DECIDED.map((c) => `op."o.${c}"`).join(', ');

export const SUBMIT = submitStatement(false);

/**
 * submit_sync without a key: SUBMIT that also takes the write's first rate-limit slot ($20: the ms
 * between slots of the connection's limit for the class $12), storing the operation only if it got the
 * slot, so a sync write is one statement before its call. One row always: the operation if stored;
 * else conn_found (false: the connection is not as expected) and slot_wait_ms (the wait for the slot).
 */
export const SUBMIT_WITH_SLOT = submitStatement(true);

/**
 * claim / takeover (machine.ts claimDue holds the rules, commented): the due operations leased, each
 * with what its attempt needs (the age of its budget, its connection, the record it updates), so an
 * attempt starts without reading any of them again, and the wait until the earliest rate-limit slot still
 * ahead (the worker's next sleep; one row with no operation when nothing was claimed). $1 owner, $2
 * lease ms, $3 limit, $4 the resources whose writes to one record need not wait for each other.
 */
export const CLAIM_DUE = `
WITH claimed AS (
  UPDATE resource_operations o
     SET lease_owner = $1,
         lease_until = now() + $2::float8 * interval '1 millisecond',
         attempts = o.attempts + 1,
         updated_at = now()
    FROM (
      SELECT id, lease_until IS NOT NULL AS takeover FROM resource_operations
       WHERE status = 'pending'
         AND next_attempt_at <= now()
         AND (lease_until IS NULL OR lease_until < now())
         AND NOT EXISTS (
           SELECT 1 FROM connections c WHERE c.id = resource_operations.connection_id AND c.status IN ('paused', 'failed'))
         AND NOT EXISTS (
           SELECT 1 FROM rate_limits r
            WHERE r.connection_id = resource_operations.connection_id
              AND r.rate_class = resource_operations.rate_class
              AND (r.next_at > now() OR r.paused_until > now()))
         AND (resource_operations.resource = ANY($4::text[]) OR
           NOT EXISTS (
             SELECT 1 FROM resource_operations e
              WHERE e.resource_id = resource_operations.resource_id
                AND e.status = 'pending'
                AND (e.created_at, e.id) < (resource_operations.created_at, resource_operations.id)))
       ORDER BY next_attempt_at, id
       LIMIT $3
       FOR UPDATE SKIP LOCKED) due
   WHERE o.id = due.id
  RETURNING o.*, due.takeover, EXTRACT(EPOCH FROM (now() - o.budget_started_at)) * 1000 AS budget_age_ms
), slot AS (${NEXT_SLOT})
SELECT ${selectColumns(resourceOperations, 'o', 'o')}, o.takeover, o.budget_age_ms::float8 AS budget_age_ms,
       ${selectColumns(connections, 'c', 'c')}, ${selectColumns(resources, 'r', 'r')}, slot.wait_ms AS next_slot_ms
  FROM slot
  LEFT JOIN claimed o ON true
  LEFT JOIN connections c ON c.id = o.connection_id
  LEFT JOIN resources r ON r.id = o.resource_id`;

/**
 * succeed / fail / retry_later with no webhook to tell (machine.ts recordAttempt): the compare-and-set
 * on the lease, the attempt's log entry and, on success, the record as written, in one statement. When
 * a subscription hears the end event ($13; null for retry_later, which has none) nothing is changed and
 * `subscribed` says so: the caller then records it in a transaction that builds the event's deliveries.
 *
 * $1 id, $2 owner, $3 new status, $4 source id, $5 retry in ms (null: not due again), $6 attempt number,
 * $7 log status, $8 error type, $9 error details, $10 status code, $11 headers (json), $12 duration ms,
 * $13 end event or null, $14 save the record, $15 attributes (json), $16 source data (json), $17 its hash,
 * $18 the record's TSP id.
 */
const recordAttemptStatement = (answer: boolean) => `
WITH subs AS (
  SELECT 1 FROM resource_operations op
    JOIN connections c ON c.id = op.connection_id
    JOIN webhooks w ON ${hearsOperationEvent('w', 'c', '$13::text')}
   WHERE op.id = $1 AND $13::text IS NOT NULL
   LIMIT 1
), moved AS (
  UPDATE resource_operations
     SET status = $3, source_id = $4,
         next_attempt_at = CASE WHEN $5::float8 IS NULL THEN NULL ELSE now() + $5::float8 * interval '1 millisecond' END,
         lease_owner = NULL, lease_until = NULL, updated_at = now()
   WHERE id = $1 AND status = 'pending' AND lease_owner = $2 AND NOT EXISTS (SELECT 1 FROM subs)
  RETURNING ${answer ? '*' : 'id, partner_id, connection_id, resource, resource_id'}
), logged AS (
  INSERT INTO operation_logs (resource_operation_id, attempt, status, error_type, error_details, response_status_code, response_headers, duration_ms)
  SELECT id, $6, $7, $8, $9, $10, $11::jsonb, $12 FROM moved${answer ? '\n  RETURNING *' : ''}
), saved AS (
  INSERT INTO resources AS r (id, partner_id, connection_id, resource, attributes, source_id, source_data, source_data_hash)
  SELECT resource_id, partner_id, connection_id, resource, $15::jsonb, $18, $16::jsonb, $17 FROM moved WHERE $14::boolean
  ON CONFLICT (id) DO UPDATE
     SET attributes = excluded.attributes, source_id = coalesce(excluded.source_id, r.source_id),
         source_data = excluded.source_data, source_data_hash = excluded.source_data_hash, updated_at = now()
)
SELECT (SELECT count(*) FROM moved)::int AS moved, EXISTS (SELECT 1 FROM subs) AS subscribed${
  answer
    ? `,
       (SELECT ${jsonColumns(resourceOperations, 'm', 'o')} FROM moved m) AS op,
       (SELECT ${jsonColumns(operationLogs, 'l', 'l')} FROM logged l) AS log`
    : ''
}`;

export const RECORD_ATTEMPT = recordAttemptStatement(false);

/**
 * RECORD_ATTEMPT for a sync write's first attempt, which also returns the operation as changed and the
 * log entry just written (JSON objects keyed as rowFrom reads them): with no earlier attempt, they are
 * the whole answer, so the request needs no read after it.
 */
export const RECORD_ATTEMPT_ANSWER = recordAttemptStatement(true);
