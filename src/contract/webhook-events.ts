// What a receiver gets, per event: Catena's envelope (WebhookCreated, ConnectionStaled, ... share it) with
// the data records of that event (BaseResourceOperationEvent, BaseConnectionEvent, BaseWebhookEvent and the
// fields fleetgate adds). The same definitions yield the documents GET /v2/notifications/schemas/{event_name}
// serves (Catena's EventSchema: an OpenAPI 3.0 document as a JSON string), and the tests check every
// delivery of a scripted run against them.
import { z } from 'zod';
import { ResourceOperation } from './common/operations.ts';
import { EMITTED_EVENT_NAMES, EVENT_SCHEMA_VERSION, WEBHOOK_EVENT_NAMES, WEBHOOK_STATUSES, WebhookFilters } from './webhooks.ts';
import type { EmittedEventName } from './webhooks.ts';

const dateTime = z.string().meta({ format: 'date-time' });

/** BaseResourceOperationEvent: the operation as the API reads it, with its connection's TSP and fleet_ref. */
export const ResourceOperationEventItem = ResourceOperation.extend({
  source_name: z.string().describe('The TSP of the operation\'s connection (Catena\'s TspEnum: motive, samsara, geotab).'),
  fleet_ref: z.string().nullable().describe("The connection's fleet_ref."),
}).meta({ id: 'BaseResourceOperationEvent' });

/** BaseConnectionEvent {id, source_name, fleet_id, tsp_id, status}, with the connection's other fields (never its credentials). */
export const ConnectionEventItem = z
  .object({
    id: z.uuid(),
    source_name: z.string().describe('The TSP (Catena\'s TspEnum).'),
    fleet_id: z.uuid().nullable().describe('The fleet of the connection (null when the connection names none).'),
    tsp_id: z.uuid().describe("The TSP's id in the catalogue (GET /v2/integrations/tsps)."),
    status: z.enum(['active', 'failed', 'cancelled', 'paused', 'stale', 'deleted']),
    fleet_ref: z.string().nullable(),
    description: z.string().nullable(),
    status_reason: z.string().nullable().describe('fleetgate: why the connection failed.'),
    failed_at: dateTime.nullable(),
    created_at: dateTime,
    updated_at: dateTime,
  })
  .meta({ id: 'BaseConnectionEvent' });

/** BaseWebhookEvent: the subscription an event is about, its URL redacted as reads show it. */
export const WebhookEventItem = z
  .object({
    id: z.uuid(),
    url: z.string(),
    event_name: z.enum(WEBHOOK_EVENT_NAMES),
    filters: WebhookFilters.nullable(),
    status: z.enum(WEBHOOK_STATUSES),
  })
  .meta({ id: 'BaseWebhookEvent' });

const itemOf = (name: EmittedEventName) =>
  name.startsWith('resource_operation.') ? ResourceOperationEventItem : name.startsWith('connection.') ? ConnectionEventItem : WebhookEventItem;

/** The body of one delivery of `name`. */
export function eventPayloadSchema(name: EmittedEventName) {
  return z.object({
    version: z.string().regex(/^\d+\.\d+$/).describe('Version of the schema used for this event'),
    event_name: z.literal(name),
    data: z.array(itemOf(name)).describe('The event payload, with one or more records of the specified type'),
    webhook_id: z.uuid().describe('Unique identifier for the webhook subscription that triggered this delivery'),
    id: z.uuid().describe('Unique identifier for this specific event instance (UUID v7 for time-ordered sorting)'),
    timestamp: dateTime.nullable().describe('ISO 8601 timestamp when the event occurred'),
    delivery_attempt: z.number().int().min(1).describe('The attempt this delivery is (X-Delivery-Attempt)'),
  });
}

/** Catena's EventSchema. */
export const EventSchema = z
  .object({
    event_name: z.string(),
    version: z.string(),
    openapi_schema: z.string().describe('The complete OpenAPI 3.0 document containing the event schema as a JSON string'),
    changelog: z.string().optional(),
  })
  .meta({ id: 'EventSchema' });

const pascal = (name: string) =>
  name
    .split(/[._]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** The OpenAPI 3.0 document of one event: its payload and the records it carries, as components. */
export function eventSchemaDocument(name: EmittedEventName): Record<string, unknown> {
  const json = z.toJSONSchema(eventPayloadSchema(name), { target: 'openapi-3.0', io: 'output' }) as Record<string, unknown>;
  const { definitions, ...payload } = json as { definitions?: Record<string, unknown> };
  const rebased = (x: unknown) => JSON.parse(JSON.stringify(x).replaceAll('"#/definitions/', '"#/components/schemas/')) as unknown;
  return {
    openapi: '3.0.3',
    info: { title: `${name} event`, version: EVENT_SCHEMA_VERSION, description: `The body fleetgate POSTs for ${name}.` },
    paths: {},
    components: { schemas: { [pascal(name)]: rebased(payload), ...(rebased(definitions ?? {}) as Record<string, unknown>) } },
  };
}

export const isEmittedEvent = (name: string): name is EmittedEventName => (EMITTED_EVENT_NAMES as readonly string[]).includes(name);
