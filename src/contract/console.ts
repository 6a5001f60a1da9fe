// The read shapes the operations console needs beyond Catena's: a connection's rate-limit state, write
// and failure counts per TSP over time, the live feed of operation changes, and the native request an
// operation maps to. fleetgate extensions: no Catena client calls them.
import { z } from 'zod';
import { OPERATION_STATUSES, OPERATION_TYPES, RESOURCES } from './enums.ts';
import { timestamp } from './common/fields.ts';

export const RateClassState = z
  .object({
    rate_class: z.string().describe("The TSP's endpoint class ('default', or e.g. Samsara's 'trailers')."),
    limit_per_minute: z.number().int().describe("The connection's limit for the class: its own setting, else the TSP's documented limit."),
    next_slot_at: timestamp().nullable().describe('When the next call of the class may go (null: no call of the class yet, so now).'),
    paused_until: timestamp().nullable().describe("Until when nothing of the class is sent after the TSP's 429 (null: not paused)."),
    paused: z.boolean().describe('paused_until is still ahead.'),
  })
  .meta({ id: 'RateClassState' });

export const ConnectionRateLimits = z
  .object({
    connection_id: z.uuid(),
    attempts_last_minute: z
      .number()
      .int()
      .describe('Attempts logged for this connection in the last 60 s (database clock): the slots used this minute, as each attempt took at least one (a write that looks a record up first takes two).'),
    classes: z.array(RateClassState).describe("Every endpoint class of the connection's TSP, the default first."),
  })
  .meta({ id: 'ConnectionRateLimits' });

export const STATS_WINDOWS = ['hour', 'day'] as const;
export type StatsWindow = (typeof STATS_WINDOWS)[number];

export const StatsQuery = z.object({
  window: z.enum(STATS_WINDOWS).default('hour').describe('hour: 60 one-minute buckets ending with the current minute; day: 24 one-hour buckets ending with the current hour.'),
});

export const StatsBucket = z
  .object({
    start: timestamp().describe('Start of the bucket (operations created from here to the next bucket).'),
    writes: z.number().int().describe('Operations created in the bucket.'),
    succeeded: z.number().int().describe('Of those, how many have succeeded.'),
    failed: z.number().int().describe('Of those, how many have failed.'),
  })
  .meta({ id: 'StatsBucket' });

export const TspSeries = z
  .object({
    source_name: z.string().describe("The TSP (the operations' source_name)."),
    writes: z.number().int().describe('Operations created in the window.'),
    writes_per_minute: z.number().describe('writes over the window\'s minutes.'),
    failed: z.number().int(),
    succeeded: z.number().int(),
    failure_rate: z.number().nullable().describe('failed / (failed + succeeded), 0..1; null when none has ended.'),
    buckets: z.array(StatsBucket).describe('Oldest first, every bucket of the window (empty ones with zeros).'),
  })
  .meta({ id: 'TspSeries' });

export const OperationStats = z
  .object({
    window: z.enum(STATS_WINDOWS),
    bucket_seconds: z.number().int(),
    from: timestamp().describe('Start of the first bucket.'),
    to: timestamp().describe('End of the last bucket.'),
    series: z.array(TspSeries).describe('One per TSP with operations in the window, by name.'),
  })
  .meta({ id: 'OperationStats' });

/** One change of an operation, as the live feed sends it (the data of an `operation` event). */
export const OperationChange = z
  .object({
    id: z.uuid(),
    partner_id: z.uuid(),
    connection_id: z.uuid(),
    source_name: z.string(),
    resource: z.enum(RESOURCES),
    operation_type: z.enum(OPERATION_TYPES),
    status: z.enum(OPERATION_STATUSES),
    attempts: z.number().int(),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .meta({ id: 'OperationChange' });
export type OperationChangeView = z.infer<typeof OperationChange>;

/** Live feeds one partner (or the operator) may hold open at once; each polls the database. */
export const FEED_STREAMS_PER_PRINCIPAL = 5;

export const FEED_DESCRIPTION =
  'A text/event-stream of `operation` events, one per change of an operation (created, claimed, attempted, retried, cancelled, ended) from the moment the stream opens; ' +
  'each `data` is an OperationChange (JSON). A comment line every 15 s keeps proxies from closing it. The stream ends when the access token expires: open a new one with a new token. ' +
  'Read it with fetch and the Authorization header (EventSource cannot send one, and a token in the URL would be logged). ' +
  `At most ${FEED_STREAMS_PER_PRINCIPAL} streams may be open at once per partner (for the operator, in all): another is refused with 429 and Retry-After until one of them ends.`;

export const NativeRequest = z
  .object({
    resource_operation_id: z.uuid(),
    source_name: z.string(),
    ok: z.boolean().describe('false: the adapter refuses the write as the record stands now (refusals say why).'),
    body: z.record(z.string(), z.unknown()).nullable().describe("The TSP's native body, secrets replaced by *****."),
    dropped_fields: z.array(z.string()),
    refusals: z.array(z.object({ field: z.string(), message: z.string() })),
  })
  .meta({
    id: 'NativeRequest',
    description:
      "What fleetgate sends the TSP for this operation: the adapter's mapping of its payload on the record as fleetgate holds it now (the same pure mapping every attempt runs).",
  });
