// Catena's webhook subscription API (notifications document, "Webhook Subscriptions"): paths, operation
// ids, scopes, status codes and shapes as it declares them.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PageQuery, pageOf } from '../../contract/connections.ts';
import { queryDateTime } from '../../contract/common/query.ts';
import {
  WEBHOOK_EVENT_NAMES,
  WEBHOOK_LOG_STATUSES,
  WEBHOOK_STATUSES,
  WebhookCreate,
  WebhookCreated,
  WebhookLogRead,
  WebhookMetrics,
  WebhookRead,
  WebhookUpdate,
} from '../../contract/webhooks.ts';
import {
  activateWebhook,
  createWebhooks,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  pauseWebhook,
  replayDeadLetters,
  updateWebhook,
  webhookLogs,
  webhookMetrics,
} from '../../engine/outbox/index.ts';
import { EventSchema, eventSchemaDocument, isEmittedEvent } from '../../contract/webhook-events.ts';
import { EVENT_SCHEMA_VERSION } from '../../contract/webhooks.ts';
import type { Scope } from '../../accounts/scopes.ts';
import { notFound } from '../../platform/errors.ts';
import type { Services } from '../../platform/services.ts';
import { bearerSecurity, principalOf, requireScope, requireToken } from '../auth.ts';
import { errorResponses } from '../errors.ts';

export const Replayed = z
  .object({ replayed: z.number().int().describe('fleetgate: how many dead-lettered messages were queued again.') })
  .meta({ id: 'WebhookReplay' });

/** The subscription list's query (the operator's list adds its partner filter to it). */
export const WebhookListQuery = z.object({
  event_name: z.enum(WEBHOOK_EVENT_NAMES).optional().describe('Only subscriptions to this event name.'),
  status: z.enum(WEBHOOK_STATUSES).optional().describe('Only subscriptions in this status (deleted ones are listed only with status=deleted).'),
  ...PageQuery,
});

/** The delivery log's filters (the operator's mirror takes the same). */
export const WebhookLogQuery = z.object({
  start_date: queryDateTime('Attempts made at or after this instant.').optional(),
  end_date: queryDateTime('Attempts made at or before this instant.').optional(),
  status: z.enum(WEBHOOK_LOG_STATUSES).optional().describe('success: the endpoint answered 2xx; failed: anything else.'),
  ...PageQuery,
});

export function webhookRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const scope = (name: Extract<Scope, `webhook:${string}`>) => requireScope(services, name);
  const tags = ['webhooks'];
  // Catena's document lists each endpoint's scope in its security requirement; OpenAPI 3.1 allows that
  // for a bearer scheme too.
  const security = bearerSecurity;
  const db = () => services.database.db;
  const partner = (request: Parameters<typeof principalOf>[0]) => principalOf(request).partnerId;
  const params = z.object({ webhook_id: z.uuid() });
  const base = '/v2/notifications/webhooks';

  r.post(
    base,
    {
      onRequest: scope('webhook:create'),
      schema: {
        tags,
        security: security('webhook:create'),
        operationId: 'create_webhook_subscription',
        summary: 'Create Webhook Subscription',
        description: 'A name ending in ".*" is a catch-all: one subscription per event of the group is created, and the answer is their list. The secret is shown here only.',
        body: WebhookCreate,
        response: { 200: WebhookCreated, ...errorResponses(401, 403, 413, 415, 422) },
      },
    },
    async (request, reply) => reply.header('cache-control', 'no-store').send(await createWebhooks(services, partner(request), request.body)),
  );
  r.get(
    base,
    {
      onRequest: scope('webhook:read'),
      schema: {
        tags,
        security: security('webhook:read'),
        operationId: 'list_webhook_subscriptions',
        summary: 'List Webhook Subscriptions',
        querystring: WebhookListQuery,
        response: { 200: pageOf(WebhookRead, 'WebhookReadPage'), ...errorResponses(401, 403, 422) },
      },
    },
    async (request) => listWebhooks(db(), partner(request), request.query),
  );
  r.get(
    `${base}/:webhook_id`,
    {
      onRequest: scope('webhook:read'),
      schema: { tags, security: security('webhook:read'), operationId: 'get_webhook_subscription', summary: 'Get Webhook Subscription', params, response: { 200: WebhookRead, ...errorResponses(401, 403, 404, 422) } },
    },
    async (request) => getWebhook(db(), partner(request), request.params.webhook_id),
  );
  r.patch(
    `${base}/:webhook_id`,
    {
      onRequest: scope('webhook:update'),
      schema: {
        tags,
        security: security('webhook:update'),
        operationId: 'update_webhook_subscription',
        summary: 'Update Webhook Subscription',
        params,
        body: WebhookUpdate,
        response: { 200: WebhookRead, ...errorResponses(401, 403, 404, 413, 415, 422) },
      },
    },
    async (request) => updateWebhook(services, partner(request), request.params.webhook_id, request.body),
  );
  r.delete(
    `${base}/:webhook_id`,
    {
      onRequest: scope('webhook:delete'),
      schema: { tags, security: security('webhook:delete'), operationId: 'delete_webhook_subscription', summary: 'Delete Webhook Subscription', params, response: { 204: z.null(), ...errorResponses(401, 403, 404, 422) } },
    },
    async (request, reply) => {
      await deleteWebhook(db(), partner(request), request.params.webhook_id);
      return reply.code(204).send(null);
    },
  );
  r.post(
    `${base}/:webhook_id/activate`,
    {
      onRequest: scope('webhook:update'),
      schema: {
        tags,
        security: security('webhook:update'),
        operationId: 'activate_webhook_subscription',
        summary: 'Activate Webhook Subscription',
        description: 'paused or stale → active. The circuit breaker starts afresh (15 minutes of grace) and the queued events are sent.',
        params,
        response: { 200: WebhookRead, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => activateWebhook(db(), partner(request), request.params.webhook_id),
  );
  r.post(
    `${base}/:webhook_id/pause`,
    {
      onRequest: scope('webhook:update'),
      schema: {
        tags,
        security: security('webhook:update'),
        operationId: 'pause_webhook_subscription',
        summary: 'Pause Webhook Subscription',
        description: 'Nothing is sent while paused; events queue until the webhook is activated.',
        params,
        response: { 200: WebhookRead, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => pauseWebhook(db(), partner(request), request.params.webhook_id),
  );
  r.get(
    `${base}/:webhook_id/metrics`,
    {
      onRequest: scope('webhook:read'),
      schema: {
        tags,
        security: security('webhook:read'),
        operationId: 'get_webhook_subscription_metrics',
        summary: 'Get Webhook Subscription Metrics',
        params,
        response: { 200: WebhookMetrics, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => webhookMetrics(db(), partner(request), request.params.webhook_id),
  );
  r.post(
    `${base}/:webhook_id/replay`,
    {
      // Catena's document guards the replay with webhook:create.
      onRequest: scope('webhook:create'),
      schema: {
        tags,
        security: security('webhook:create'),
        operationId: 'replay_undelivered_messages_from_dlq',
        summary: 'Replay Undelivered Messages From Dlq',
        description: 'The messages whose every attempt failed in the last 14 days are queued again, with a fresh attempt budget.',
        params,
        response: { 202: Replayed, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request, reply) => reply.code(202).send({ replayed: await replayDeadLetters(db(), partner(request), request.params.webhook_id) }),
  );
  r.get(
    `${base}/:webhook_id/logs`,
    {
      onRequest: scope('webhook:read'),
      schema: {
        tags,
        security: security('webhook:read'),
        operationId: 'get_webhook_subscription_logs',
        summary: 'Get Webhook Subscription Logs',
        description: 'One entry per delivery attempt, oldest first.',
        params,
        querystring: WebhookLogQuery,
        response: { 200: pageOf(WebhookLogRead, 'WebhookLogReadPage'), ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => webhookLogs(db(), partner(request), request.params.webhook_id, request.query),
  );

  // Catena's versioned event schemas, for the events fleetgate sends: built from the definitions the
  // deliveries are checked against (contract/webhook-events.ts). One version so far.
  const schemaOf = (name: string, version: string) => {
    if (!isEmittedEvent(name)) throw notFound(`Event schema of ${name} (fleetgate does not send it)`);
    if (version !== EVENT_SCHEMA_VERSION) throw notFound(`Version ${version} of the ${name} event schema`);
    return { event_name: name, version, openapi_schema: JSON.stringify(eventSchemaDocument(name)), changelog: 'Initial schema version' };
  };
  const schemaTags = ['webhook event schemas'];
  r.get(
    '/v2/notifications/schemas/:event_name',
    {
      onRequest: requireToken(services),
      schema: {
        tags: schemaTags,
        security: bearerSecurity(),
        operationId: 'get_event_schema',
        summary: 'Get Event Schema',
        description: 'The OpenAPI 3.0 document of an event fleetgate sends (404 for the others).',
        params: z.object({ event_name: z.string().max(100) }),
        response: { 200: EventSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => schemaOf(request.params.event_name, EVENT_SCHEMA_VERSION),
  );
  r.get(
    '/v2/notifications/schemas/:event_name/versions/:version',
    {
      onRequest: requireToken(services),
      schema: {
        tags: schemaTags,
        security: bearerSecurity(),
        operationId: 'get_event_schema_versions',
        summary: 'Get Event Schema Version',
        params: z.object({ event_name: z.string().max(100), version: z.string().max(20) }),
        response: { 200: EventSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => schemaOf(request.params.event_name, request.params.version),
  );
}
