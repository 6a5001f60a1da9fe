// Drizzle table definitions: the one description of the database that queries are typed against.
// migrations/ holds the SQL generated from this file (npm run db:generate); both PGlite and
// PostgreSQL apply that same folder.
import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();
const updatedAt = () => ts('updated_at').notNull().defaultNow();

/** SHA-256 of `{}`: the source_data_hash of a record whose TSP record fleetgate has not kept. */
export const EMPTY_SOURCE_DATA_HASH = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

export const partners = pgTable('partners', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const oauthClients = pgTable(
  'oauth_clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    clientId: text('client_id').notNull(),
    /** scrypt hash of the secret; the secret itself is shown once at creation and never stored. */
    secretHash: text('secret_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: createdAt(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('oauth_clients_client_id_uq').on(t.clientId)],
);

/**
 * Access tokens revoked before their expiry (RFC 7009): a token whose jti is here is refused. Kept until a
 * day after expires_at (the token's own exp), then deleted by the retention pass.
 */
export const revokedTokens = pgTable(
  'revoked_tokens',
  {
    jti: text('jti').primaryKey(),
    /** The client the token was issued to (who revoked it). */
    clientId: text('client_id').notNull(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at').notNull().defaultNow(),
  },
  (t) => [index('revoked_tokens_expires_idx').on(t.expiresAt)],
);

/** A partner's fleet: created from a connection's fleet_ref, or explicitly. Catena's reads name it fleet_id. */
export const fleets = pgTable(
  'fleets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    /** The partner's own reference for the fleet; unique per partner. */
    fleetRef: text('fleet_ref'),
    name: text('name'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('fleets_partner_ref_uq')
      .on(t.partnerId, t.fleetRef)
      .where(sql`fleet_ref IS NOT NULL`),
    index('fleets_partner_idx').on(t.partnerId, t.createdAt, t.id),
  ],
);

export const connections = pgTable(
  'connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    tsp: text('tsp').notNull(),
    /** The fleet this connection is an account of (null: none given). */
    fleetId: uuid('fleet_id').references(() => fleets.id),
    fleetRef: text('fleet_ref'),
    description: text('description'),
    status: text('status').notNull().default('active'),
    /** Why the connection is `failed` (the TSP refused its credentials), and since when; null otherwise. */
    statusReason: text('status_reason'),
    failedAt: ts('failed_at'),
    /** Where the TSP is reached: the built-in sandbox (null base_url + sandbox) or a base URL. */
    sandbox: boolean('sandbox').notNull().default(false),
    baseUrl: text('base_url'),
    /** AES-256-GCM sealed JSON of the TSP credentials; never stored or returned in clear. */
    credentialsSealed: text('credentials_sealed').notNull(),
    /** Masked view of the credentials, safe to return (e.g. {"api_key": "****3f9a"}). */
    credentialsMasked: jsonb('credentials_masked').notNull(),
    /** Per-connection overrides (e.g. rate limit per minute). */
    settings: jsonb('settings').notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [index('connections_partner_idx').on(t.partnerId, t.createdAt, t.id), index('connections_fleet_idx').on(t.fleetId)],
);

export const resources = pgTable(
  'resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id),
    resource: text('resource').notNull(),
    /** The normalized record as fleetgate last wrote it successfully. */
    attributes: jsonb('attributes').notNull(),
    sourceId: text('source_id'),
    /**
     * The TSP's own record as fleetgate last saw it (its answer to the last successful write, or the native
     * record sent where the TSP answers with none); {} for a record written before fleetgate kept it.
     */
    sourceData: jsonb('source_data').notNull().default(sql`'{}'::jsonb`),
    /** SHA-256 (hex) of source_data as canonical JSON (engine/records.ts); the default is the hash of {}. */
    sourceDataHash: text('source_data_hash').notNull().default(EMPTY_SOURCE_DATA_HASH),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [
    index('resources_list_idx').on(t.partnerId, t.resource, t.createdAt, t.id),
    index('resources_source_idx').on(t.connectionId, t.sourceId),
  ],
);

export const resourceOperations = pgTable(
  'resource_operations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id),
    resource: text('resource').notNull(),
    operationType: text('operation_type').notNull(),
    /** The connection's TSP (Catena's source_name) and fleet_ref, as they were at submit. */
    sourceName: text('source_name').notNull(),
    fleetRef: text('fleet_ref'),
    payload: jsonb('payload').notNull(),
    /** The fields of the payload the TSP cannot store (reported, never silently lost). */
    droppedFields: text('dropped_fields').array().notNull().default(sql`'{}'::text[]`),
    /** Body fields the contract does not know: accepted and ignored as Catena does, and listed here. */
    ignoredFields: text('ignored_fields').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').notNull().default('pending'),
    /** Target resource: set at submit for updates, and for creates once the TSP has accepted. */
    resourceId: uuid('resource_id'),
    sourceId: text('source_id'),
    isSync: boolean('is_sync').notNull().default(false),
    attempts: integer('attempts').notNull().default(0),
    /** attempts already spent when the current budget began (a manual retry starts a fresh one). */
    attemptsBase: integer('attempts_base').notNull().default(0),
    /** When the current attempt budget began (max age counts from here). */
    budgetStartedAt: ts('budget_started_at').notNull().defaultNow(),
    nextAttemptAt: ts('next_attempt_at'),
    /**
     * The endpoint class whose rate-limit slot the next attempt waits for first (the adapter's first
     * call, or the class it was last deferred on): the claim skips operations whose class has none.
     */
    rateClass: text('rate_class').notNull().default('default'),
    leaseUntil: ts('lease_until'),
    leaseOwner: text('lease_owner'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [
    index('resource_operations_list_idx').on(t.partnerId, t.createdAt, t.id),
    // The queue: only pending rows are ever claimed, so the index holds only them.
    index('resource_operations_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
    // Writes to one resource run in submission order: the claim looks for an earlier pending one.
    index('resource_operations_pending_resource_idx')
      .on(t.resourceId, t.createdAt, t.id)
      .where(sql`status = 'pending'`),
    // A retry of a failed update looks for a later write to the same record that succeeded (commands.ts).
    index('resource_operations_success_resource_idx')
      .on(t.resourceId, t.createdAt, t.id)
      .where(sql`status = 'success'`),
    // Retention finds ended operations by age. On created_at, not updated_at: an index on updated_at
    // would make every claim (which sets it) a non-HOT update of the queue.
    index('resource_operations_ended_idx')
      .on(t.createdAt)
      .where(sql`status <> 'pending'`),
  ],
);

export const operationLogs = pgTable(
  'operation_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    resourceOperationId: uuid('resource_operation_id')
      .notNull()
      .references(() => resourceOperations.id),
    attempt: integer('attempt').notNull(),
    status: text('status').notNull(),
    /** fleetgate's finer class (the wire's error_class); reads map it to Catena's four error_type values. */
    errorType: text('error_type'),
    errorDetails: text('error_details'),
    responseStatusCode: integer('response_status_code'),
    /** Redacted: credentials and cookies never reach this column. */
    responseHeaders: jsonb('response_headers').notNull().default(sql`'{}'::jsonb`),
    durationMs: integer('duration_ms').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('operation_logs_op_idx').on(t.resourceOperationId, t.attempt)],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    key: text('key').notNull(),
    /** SHA-256 of method, path and canonical body: the same key with another request is a conflict. */
    requestHash: text('request_hash').notNull(),
    resourceOperationId: uuid('resource_operation_id')
      .notNull()
      .references(() => resourceOperations.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('idempotency_keys_pk').on(t.partnerId, t.key),
    // Retention: expired keys by age, and the key of an operation being deleted (the foreign key's
    // check on every deleted operation would otherwise scan the table).
    index('idempotency_keys_created_idx').on(t.createdAt),
    index('idempotency_keys_operation_idx').on(t.resourceOperationId),
  ],
);

/**
 * Outbound rate limit per connection and endpoint class of its TSP's API, shared by every process:
 * next_at is the next free slot of a schedule (see engine/policy/ratelimit.ts). A call is allowed when
 * next_at <= now(); taking it moves next_at one interval on. A TSP's 429 sets paused_until from its
 * Retry-After, for the class it came from only.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id),
    /** The TSP's endpoint class ('default', or e.g. Samsara's 'trailers', Geotab's 'Add:Device'). */
    rateClass: text('rate_class').notNull().default('default'),
    nextAt: ts('next_at').notNull().defaultNow(),
    pausedUntil: ts('paused_until'),
  },
  (t) => [primaryKey({ name: 'rate_limits_pkey', columns: [t.connectionId, t.rateClass] })],
);

export const webhooks = pgTable(
  'webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    url: text('url').notNull(),
    description: text('description'),
    /** One of Catena's WebhookEventNameEnum (a catch-all create makes one row per event of its group). */
    eventName: text('event_name').notNull(),
    /** Catena's WebhookFilters ({fleet_ids, fleet_refs}), or null for none. */
    filters: jsonb('filters'),
    /** 'catena' (X-Catena-Signature, gzip) or 'standard_webhooks'. */
    signing: text('signing').notNull().default('catena'),
    /** The signing secret, sealed (it must be read back to sign every delivery). */
    secretSealed: text('secret_sealed').notNull(),
    /**
     * The webhook id the secret was sealed under, when not this row's own: migration 0008 split a webhook
     * of several events into one row per event, and the sealed secret (bound to the old id) came along.
     */
    secretSealId: uuid('secret_seal_id'),
    /** active | paused | stale | deleted (Catena's WebhookStatusEnum). */
    status: text('status').notNull().default('active'),
    /** Failed attempts in a row (across deliveries); the low-volume rule of the circuit breaker. */
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** The circuit breaker does not evaluate before this (15 min after create, update or activate). */
    graceUntil: ts('grace_until').notNull().defaultNow(),
    /** Attempts and successes since the breaker was last reset (create, update, activate). */
    breakerAttempts: integer('breaker_attempts').notNull().default(0),
    breakerSuccesses: integer('breaker_successes').notNull().default(0),
    /** EWMA of attempt success (1/0) since the last reset; null before the first attempt. */
    ewmaSuccessRate: doublePrecision('ewma_success_rate'),
    /** Why the breaker marked the webhook stale. */
    staleReason: text('stale_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [
    index('webhooks_partner_idx').on(t.partnerId, t.createdAt, t.id),
    index('webhooks_partner_event_idx')
      .on(t.partnerId, t.eventName)
      .where(sql`deleted_at IS NULL`),
  ],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    /** The message id (a UUID v7): the body's `id` and Standard Webhooks' webhook-id, the same on every attempt. */
    messageId: text('message_id').notNull(),
    eventType: text('event_type').notNull(),
    /** {version, event_name, data: [...], timestamp}; webhook_id, id and delivery_attempt are added per attempt. */
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    leaseUntil: ts('lease_until'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    /** When every attempt had failed: the message is in the dead-letter queue (replay re-queues it). */
    deadLetteredAt: ts('dead_lettered_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt, t.id),
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
    // Retention: ended deliveries by age (created_at: claims set updated_at, see resource_operations).
    index('webhook_deliveries_ended_idx')
      .on(t.createdAt)
      .where(sql`status <> 'pending'`),
    // The dead-letter queue of a webhook (metrics' dlq_count, replay).
    index('webhook_deliveries_dlq_idx')
      .on(t.webhookId, t.deadLetteredAt)
      .where(sql`status = 'failed'`),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id),
    /** The delivery's webhook, kept here for the logs and metrics, which read attempts by webhook and time. */
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id),
    attempt: integer('attempt').notNull(),
    /** The X-Request-ID sent (null for attempts made before migration 0008). */
    requestId: uuid('request_id'),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attempt),
    index('webhook_attempts_webhook_idx').on(t.webhookId, t.createdAt, t.id),
  ],
);
