import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PageQuery, pageOf } from '../../contract/connections.ts';
import { endpointUrlSchema } from '../../contract/common/urls.ts';
import { EVENT_TYPES, createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook, webhookLogs } from '../../engine/outbox/index.ts';
import type { Services } from '../../platform/services.ts';
import { BEARER_SECURITY, principalOf, requireScope } from '../auth.ts';
import { errorResponses } from '../errors.ts';

const Webhook = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.enum(EVENT_TYPES)),
    status: z.enum(['active', 'paused']).describe('paused: after repeated failed deliveries (or by PATCH); deliveries wait until re-enabled.'),
    consecutive_failures: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Webhook' });
const NewWebhook = Webhook.extend({ secret: z.string().describe('whsec_... signing secret (Standard Webhooks). Shown once.') }).meta({ id: 'NewWebhook' });
const events = z.array(z.enum(EVENT_TYPES)).min(1);
const url = endpointUrlSchema().describe('The endpoint events are POSTed to.');

const Delivery = z
  .object({
    id: z.uuid(),
    message_id: z.string(),
    event_type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    next_attempt_at: z.string().nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    attempt_log: z.array(
      z.object({ attempt: z.number().int(), status_code: z.number().int().nullable(), error: z.string().nullable(), duration_ms: z.number().int(), created_at: z.string() }),
    ),
  })
  .meta({ id: 'WebhookDelivery' });

export function webhookRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireScope(services, 'webhook:read');
  const scope = (name: 'webhook:create' | 'webhook:update' | 'webhook:delete') => requireScope(services, name);
  const tags = ['webhooks'];
  const security = BEARER_SECURITY;
  const db = () => services.database.db;
  const Id = z.object({ webhook_id: z.uuid() });

  r.post(
    '/v2/notifications/webhooks',
    {
      onRequest: scope('webhook:create'),
      schema: {
        tags,
        security,
        operationId: 'create_webhook_subscription', summary: 'Subscribe an endpoint to operation events',
        body: z.strictObject({ url, events: events.optional(), description: z.string().max(1000).nullable().optional() }),
        response: { 201: NewWebhook, ...errorResponses(401, 403, 413, 415, 422) },
      },
    },
    async (request, reply) => reply.code(201).header('cache-control', 'no-store').send(await createWebhook(services, principalOf(request).partnerId, request.body)),
  );
  r.get(
    '/v2/notifications/webhooks',
    {
      onRequest,
      schema: { tags, security, operationId: 'list_webhook_subscriptions', summary: 'List webhooks', querystring: z.object(PageQuery), response: { 200: pageOf(Webhook, 'WebhookPage'), ...errorResponses(401, 403) } },
    },
    async (request) => listWebhooks(db(), principalOf(request).partnerId, request.query),
  );
  r.get(
    '/v2/notifications/webhooks/:webhook_id',
    { onRequest, schema: { tags, security, operationId: 'get_webhook_subscription', summary: 'Get a webhook', params: Id, response: { 200: Webhook, ...errorResponses(401, 403, 404, 422) } } },
    async (request) => getWebhook(db(), principalOf(request).partnerId, request.params.webhook_id),
  );
  r.patch(
    '/v2/notifications/webhooks/:webhook_id',
    {
      onRequest: scope('webhook:update'),
      schema: {
        tags,
        security,
        operationId: 'update_webhook_subscription', summary: 'Update a webhook (status active re-enables a paused one)',
        params: Id,
        body: z.strictObject({ url: url.optional(), events: events.optional(), description: z.string().max(1000).nullable().optional(), status: z.enum(['active', 'paused']).optional() }),
        response: { 200: Webhook, ...errorResponses(401, 403, 404, 413, 415, 422) },
      },
    },
    async (request) => updateWebhook(services, principalOf(request).partnerId, request.params.webhook_id, request.body),
  );
  r.delete(
    '/v2/notifications/webhooks/:webhook_id',
    { onRequest: scope('webhook:delete'), schema: { tags, security, operationId: 'delete_webhook_subscription', summary: 'Delete a webhook', params: Id, response: { 204: z.null(), ...errorResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      await deleteWebhook(db(), principalOf(request).partnerId, request.params.webhook_id);
      return reply.code(204).send(null);
    },
  );
  r.get(
    '/v2/notifications/webhooks/:webhook_id/logs',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'get_webhook_subscription_logs', summary: 'Deliveries of a webhook, with every attempt',
        params: Id,
        querystring: z.object(PageQuery),
        response: { 200: pageOf(Delivery, 'WebhookDeliveryPage'), ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => webhookLogs(db(), principalOf(request).partnerId, request.params.webhook_id, request.query),
  );
}
