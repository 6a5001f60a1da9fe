// The outbox in SQL text, for the hot path's one-statement writes (operations/statements.ts): who hears
// an operation event, a message id, and the delivery's payload, each the same as enqueue.ts makes in
// JavaScript (passesFilters, uuidv7, insertDeliveries). test/outbox-sql.test.ts holds the two side by side.

/**
 * Whether webhook `w` hears operation event `event` (SQL text) of connection `c` (a row with partner_id,
 * fleet_id, fleet_ref): the partner's live subscription to the event or its group, whose filters
 * (Catena's WebhookFilters) let the connection's fleet through. No list naming anything lets every event
 * through; otherwise the fleet must be named in either list.
 */
export function hearsOperationEvent(w: string, c: string, event: string): string {
  const list = (name: string) => `(CASE WHEN jsonb_typeof(${w}.filters->'${name}') = 'array' THEN ${w}.filters->'${name}' ELSE '[]'::jsonb END)`;
  const ids = list('fleet_ids');
  const refs = list('fleet_refs');
  return `${w}.partner_id = ${c}.partner_id AND ${w}.deleted_at IS NULL
     AND ${w}.event_name IN (${event}, 'resource_operation.*')
     AND ((${ids} = '[]'::jsonb AND ${refs} = '[]'::jsonb)
       OR (${c}.fleet_id IS NOT NULL AND ${ids} @> jsonb_build_array(${c}.fleet_id::text))
       OR (${c}.fleet_ref IS NOT NULL AND ${refs} @> jsonb_build_array(${c}.fleet_ref)))`;
}

/**
 * A UUID v7 made by the database (one per delivery row: a statement cannot know beforehand how many
 * subscriptions hear it): 48 bits of Unix milliseconds over a random UUID, whose version nibble 4
 * (0100) becomes 7 (0111) by setting bits 52 and 53; the variant bits are already RFC 4122's.
 */
export const UUIDV7_SQL = `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
    placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6),
    52, 1), 53, 1), 'hex')::uuid::text`;

/** A timestamptz as JavaScript's toISOString writes it (milliseconds, truncated as a Date truncates). */
export const isoSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The delivery payload of `insertDeliveries`, around an item given as a jsonb SQL expression. */
export const deliveryPayloadSql = (version: string, event: string, item: string) =>
  `jsonb_build_object('version', ${version}::text, 'event_name', ${event}::text, 'data', jsonb_build_array(${item}),
    'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))`;
