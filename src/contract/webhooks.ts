// Catena's webhook subscription contract (notifications OpenAPI document: WebhookEventNameEnum,
// WebhookCatchAllEvents, WebhookStatusEnum, WebhookLogStatusEnum, WebhookFilters, Webhook, WebhookCreate,
// WebhookUpdate, WebhookRead, WebhookLogRead, WebhookMetrics, TimePeriodMetric, the cursor pages); what a
// delivery carries is in webhook-events.ts. Names, enums and required fields are Catena's; fleetgate's
// own fields are added, optional for a Catena client to ignore.
import { z } from 'zod';
import { endpointUrlSchema } from './common/urls.ts';
import { timestamp } from './common/fields.ts';

/**
 * WebhookEventNameEnum, in Catena's order: every event a subscription may name. It holds some catch-all
 * names too (`connection.*`, ...), as Catena's enum does. fleetgate emits only EMITTED_EVENT_NAMES;
 * a subscription to any other name is accepted (a Catena client may make it) and receives nothing.
 */
export const WEBHOOK_EVENT_NAMES = [
  'dvir_log.added', 'dvir_log.modified', 'dvir_log.removed',
  'driver_vehicle_association.added', 'driver_vehicle_association.modified',
  'trailer_vehicle_association.added', 'trailer_vehicle_association.modified',
  'invitation.created', 'invitation.rejected', 'invitation.declined', 'invitation.viewed', 'invitation.sent',
  'invitation.accepted', 'invitation.expired', 'invitation.deleted', 'invitation.*',
  'connection.created', 'connection.staled', 'connection.*',
  'fleet_connection.created', 'fleet_connection.*',
  'share_agreement.created', 'share_agreement.updated', 'share_agreement.deleted', 'share_agreement.*',
  'webhook.created', 'webhook.updated', 'webhook.deleted', 'webhook.staled', 'webhook.activated', 'webhook.paused', 'webhook.*',
  'workflow.added', 'workflow.modified', 'workflow.removed', 'workflow.*',
  'tsp.created', 'tsp.requested',
  'vehicle.added', 'vehicle.modified', 'vehicle.removed', 'vehicle.*',
  'trailer.added', 'trailer.modified', 'trailer.removed', 'trailer.*',
  'trailer_location.added', 'trailer_location.modified', 'trailer_location.*',
  'trailer_status.added', 'trailer_status.modified', 'trailer_status.*',
  'execution.created', 'execution.staled', 'execution.failed', 'execution.*',
  'schedule.deactivated', 'schedule.*',
  'user.added', 'user.modified', 'user.removed', 'user.*',
  'vehicle_location.added',
  'ifta_summary.added', 'ifta_summary.modified', 'ifta_summary.removed', 'ifta_summary.*',
  'hos_availability.added', 'hos_availability.modified', 'hos_availability.removed', 'hos_availability.*',
  'hos_daily_snapshot.added', 'hos_daily_snapshot.modified', 'hos_daily_snapshot.removed', 'hos_daily_snapshot.*',
  'hos_event.added', 'hos_event.modified', 'hos_event.removed', 'hos_event.*',
  'hos_violation.added', 'hos_violation.modified', 'hos_violation.removed', 'hos_violation.*',
  'engine_log.added', 'engine_log.modified', 'engine_log.removed', 'engine_log.*',
  'engine_status.added', 'engine_status.modified',
  'group_message.added', 'group_message.modified',
  'message.added', 'message.modified',
  'fuel_transaction.added', 'fuel_transaction.modified',
  'resource_operation.created', 'resource_operation.succeeded', 'resource_operation.failed', 'resource_operation.*',
] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENT_NAMES)[number];

/** WebhookCatchAllEvents, in Catena's order: the `<group>.*` names a create may give. */
export const WEBHOOK_CATCH_ALL_EVENTS = [
  'dvir_log.*', 'driver_vehicle_association.*', 'trailer_vehicle_association.*', 'invitation.*', 'connection.*',
  'fleet_connection.*', 'share_agreement.*', 'webhook.*', 'vehicle.*', 'trailer.*', 'trailer_location.*',
  'trailer_status.*', 'user.*', 'vehicle_location.*', 'ifta_summary.*', 'hos_availability.*', 'hos_daily_snapshot.*',
  'hos_event.*', 'hos_violation.*', 'engine_log.*', 'engine_status.*', 'group_message.*', 'message.*',
  'fuel_transaction.*', 'resource_operation.*', 'workflow.*',
] as const;
export type WebhookCatchAll = (typeof WEBHOOK_CATCH_ALL_EVENTS)[number];

/** WebhookStatusEnum. */
export const WEBHOOK_STATUSES = ['active', 'paused', 'stale', 'deleted'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

/** WebhookLogStatusEnum. */
export const WEBHOOK_LOG_STATUSES = ['success', 'failed'] as const;

/** The events fleetgate raises, each where it has the fact (the rest of Catena's names it never sends). */
export const EMITTED_EVENT_NAMES = [
  'resource_operation.created',
  'resource_operation.succeeded',
  'resource_operation.failed',
  'connection.created',
  'connection.staled',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'webhook.staled',
  'webhook.activated',
  'webhook.paused',
] as const satisfies readonly WebhookEventName[];
export type EmittedEventName = (typeof EMITTED_EVENT_NAMES)[number];

/** How a subscription's deliveries are signed: Catena's X-Catena-Signature, or Standard Webhooks (fleetgate's earlier scheme). */
export const SIGNING_SCHEMES = ['catena', 'standard_webhooks'] as const;
export type SigningScheme = (typeof SIGNING_SCHEMES)[number];

/** The schema version of every event payload fleetgate sends (X-Schema-Version and the body's `version`). */
export const EVENT_SCHEMA_VERSION = '1.0';

const isCatchAll = (name: string) => name.endsWith('.*');

/**
 * The subscriptions one create makes. Catena: "If the event name ends with ".*", it is a catch-all pattern.
 * The API will create one webhook subscription for each action of that resource and return a list of
 * webhooks." The actions of `<group>.*` are the names of WebhookEventNameEnum in that group (`message.*` is
 * message.added and message.modified, not group_message.*), in Catena's order.
 */
export function expandEventName(name: WebhookEventName | WebhookCatchAll): { catchAll: boolean; names: WebhookEventName[] } {
  if (!isCatchAll(name)) return { catchAll: false, names: [name as WebhookEventName] };
  const group = name.slice(0, -1); // "message."
  return { catchAll: true, names: WEBHOOK_EVENT_NAMES.filter((n) => n.startsWith(group) && !isCatchAll(n)) };
}

/** Whether a subscription to `subscribed` hears `event` (a stored catch-all name hears its whole group). */
export function subscriptionHears(subscribed: string, event: string): boolean {
  return subscribed === event || (isCatchAll(subscribed) && event.startsWith(subscribed.slice(0, -1)));
}

// ---------- request bodies ----------

const url = endpointUrlSchema().describe('The target URL of the webhook (http or https; fleetgate refuses private addresses unless its operator allows them).');

export const WebhookFilters = z
  .object({
    fleet_ids: z.array(z.uuid()).nullable().optional().describe('Filter by the IDs of the fleets (a connection\'s fleet_id).'),
    fleet_refs: z.array(z.string().max(200)).nullable().optional().describe("Filter by the references of the fleets (a connection's fleet_ref): the ID of the fleet in the partner's system."),
  })
  .describe(
    'Webhook filters. An event of a connection (resource_operation.*, connection.*) is delivered when neither list names anything, or when its connection\'s fleet is named in either list; events about no fleet (webhook.*) are never filtered out.',
  )
  .meta({ id: 'WebhookFilters' });

const secret = z.string().max(200);
const description = z.string().max(1000).nullable().optional().describe('fleetgate: a free text for the partner.');
const signing = z
  .enum(SIGNING_SCHEMES)
  .optional()
  .describe(
    'fleetgate: how deliveries are signed. catena (default): X-Catena-Signature, gzip body. standard_webhooks: webhook-id/webhook-timestamp/webhook-signature headers over the plain JSON body, verifiable with any Standard Webhooks library; its secret is whsec_ + base64 of 24 to 64 bytes (generated when not given).',
  );

/** WebhookCreate. Unknown fields are accepted and ignored, as Catena's API does. */
export const WebhookCreate = z
  .object({
    url,
    event_name: z
      .union([z.enum(WEBHOOK_EVENT_NAMES), z.enum(WEBHOOK_CATCH_ALL_EVENTS)])
      .describe('The event name that triggers the webhook. A name ending in ".*" is a catch-all: one subscription is created per event of that group, and the answer is their list.'),
    filters: WebhookFilters.nullable().optional(),
    secret: secret
      .nullable()
      .optional()
      .describe('The secret used to sign messages. Generated when absent, null or empty, and shown once, in this answer.'),
    description,
    signing,
  })
  .meta({ id: 'WebhookCreate' });

/** WebhookUpdate. */
export const WebhookUpdate = z
  .object({
    url: url.nullable().optional(),
    filters: WebhookFilters.nullable().optional().describe('Optional filters to limit which events trigger this webhook. null removes them.'),
    secret: secret.min(12).nullable().optional().describe('The secret key used to sign webhook messages for verification. Must be at least 12 characters long.'),
    description,
    signing,
  })
  .meta({ id: 'WebhookUpdate' });

// ---------- read shapes ----------

const dateTime = timestamp();
const extensions = {
  description: z.string().nullable().optional().describe('fleetgate: the partner\'s free text.'),
  signing: z.enum(SIGNING_SCHEMES).optional().describe('fleetgate: how deliveries are signed.'),
  consecutive_failures: z.number().int().optional().describe('fleetgate: failed delivery attempts in a row, since the last success or the last create, update or activate.'),
  stale_reason: z.string().nullable().optional().describe('fleetgate: why the circuit breaker marked the webhook stale (null when it is not).'),
};

/** Webhook: the create answer, with the secret in clear (the only time it is shown). */
export const Webhook = z
  .object({
    url: z.string().meta({ format: 'uri' }).describe('The target URL of the webhook (partially redacted: still a URI).'),
    filters: WebhookFilters.nullable(),
    secret: z.string().nullable().describe('The secret used to sign messages: shown here, once.'),
    created_at: dateTime.nullable(),
    updated_at: dateTime.nullable(),
    deleted_at: dateTime.nullable(),
    id: z.uuid(),
    partner_id: z.uuid().describe('The ID of the partner that owns the webhook'),
    status: z.enum(WEBHOOK_STATUSES),
    event_name: z.enum(WEBHOOK_EVENT_NAMES),
    ...extensions,
  })
  .meta({ id: 'Webhook' });

export const WebhookCreated = z.union([Webhook, z.array(Webhook)]).meta({ id: 'WebhookCreateResponse' });

export const WebhookRead = z
  .object({
    id: z.uuid(),
    url: z.string().describe('The target URL where webhook events are delivered. Partially redacted for security.'),
    event_name: z.enum(WEBHOOK_EVENT_NAMES),
    filters: WebhookFilters.nullable(),
    secret: z.string().describe('The secret key used to sign webhook messages. Redacted for security.'),
    status: z.enum(WEBHOOK_STATUSES),
    created_at: dateTime,
    updated_at: dateTime,
    ...extensions,
  })
  .meta({ id: 'WebhookRead' });

export const WebhookLogRead = z
  .object({
    created_at: dateTime,
    webhook_id: z.uuid(),
    message_id: z.uuid().describe('The ID of the message (the delivery body\'s `id`, the same on every attempt).'),
    event_name: z.enum(WEBHOOK_EVENT_NAMES),
    status: z.enum(WEBHOOK_LOG_STATUSES),
    status_code: z.number().int().describe('The HTTP status code of the webhook delivery; 0 when no HTTP answer came (timeout, refused connection, or fleetgate could not send).'),
    error_message: z.string().nullable(),
    response_time_ms: z.number().int().nullable(),
    attempt: z.number().int().optional().describe('fleetgate: the attempt number (X-Delivery-Attempt).'),
    request_id: z.uuid().nullable().optional().describe('fleetgate: the X-Request-ID sent with this attempt.'),
    delivery_status: z.enum(['pending', 'delivered', 'failed']).optional().describe('fleetgate: where the message stands now (failed: in the dead-letter queue, see replay).'),
  })
  .meta({ id: 'WebhookLogRead' });

export const METRIC_WINDOWS = ['6h', '24h', '7d', '14d'] as const;
export const TimePeriodMetric = z
  .object({ '6h': z.number().int().nullable(), '24h': z.number().int().nullable(), '7d': z.number().int().nullable(), '14d': z.number().int().nullable() })
  .meta({ id: 'TimePeriodMetric' });

export const WebhookMetrics = z
  .object({
    webhook_id: z.uuid(),
    http_attempts: TimePeriodMetric.describe('The total number of HTTP requests made (including retries)'),
    http_success_attempts: TimePeriodMetric.describe('The number of HTTP requests that received a 2xx response'),
    http_failure_attempts: TimePeriodMetric.describe('The number of HTTP requests that failed or received a non-2xx response'),
    message_count: TimePeriodMetric.describe('The number of unique messages attempted in the window (regardless of retries)'),
    message_success_count: TimePeriodMetric.describe('The number of those messages delivered'),
    success_rate: TimePeriodMetric.describe('Delivered messages in percent (rounded down); null below 200 messages in the window, as Catena documents'),
    avg_response_time_ms: TimePeriodMetric.describe('The average response time of the attempts in the window (null without any)'),
    ewma_success_rate: z.number().nullable().describe('The exponentially weighted moving average success rate the circuit breaker evaluates (0..1; null before the first attempt since the webhook was created, updated or activated).'),
    dlq_count: z.number().int().describe('Messages that failed every attempt in the last 14 days and wait in the dead-letter queue (replay sends them again).'),
  })
  .meta({ id: 'WebhookMetrics' });
