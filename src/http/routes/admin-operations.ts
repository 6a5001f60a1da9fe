// The operator's view of every partner: the partner routes' reads and commands with the partner filter
// lifted (an operator filters by partner instead). Behind the admin token, like the rest of /admin/v1.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listConnections } from '../../accounts/connections.ts';
import { ConnectionRead } from '../../contract/connections.ts';
import { MAX_FILTER_VALUES, OperationListQuery, operationListProblems } from '../../contract/common/lists.ts';
import { ResourceOperation } from '../../contract/common/operations.ts';
import { pageOf } from '../../contract/common/pages.ts';
import { queryList } from '../../contract/common/query.ts';
import { WebhookLogRead, WebhookMetrics, WebhookRead } from '../../contract/webhooks.ts';
import { cancelOperation, retryOperation } from '../../engine/operations/commands.ts';
import { listOperations, loadOperation } from '../../engine/operations/reads.ts';
import { listWebhooks, replayDeadLetters, webhookLogs, webhookMetrics, webhookOwner } from '../../engine/outbox/index.ts';
import type { Catalog } from '../../engine/resource.ts';
import { validationFailed } from '../../platform/errors.ts';
import type { Services } from '../../platform/services.ts';
import { requireAdmin } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { connectionListQuery } from './connections.ts';
import { retrySchema } from './operations.ts';
import { Replayed, WebhookListQuery, WebhookLogQuery } from './webhooks.ts';

const PartnerFilter = z.uuid().optional().describe('Only the rows of this partner.');
const AdminConnection = ConnectionRead.extend({ partner_id: z.uuid().describe('The partner that owns the connection.') }).meta({
  id: 'AdminConnectionRead',
});
const AdminWebhook = WebhookRead.extend({ partner_id: z.uuid().describe('The partner that owns the subscription.') }).meta({
  id: 'AdminWebhookRead',
});
const WebhookParams = z.object({ webhook_id: z.uuid().describe('The unique identifier of the webhook subscription.') });
const OpParams = z.object({ resource_operation_id: z.uuid().describe('The unique identifier of the resource operation.') });

export function adminOperationRoutes(app: FastifyInstance, services: Services, catalog: Catalog) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireAdmin(services);
  const security = [{ adminToken: [] }];
  const tags = ['operator'];
  const db = () => services.database.db;

  r.get(
    '/admin/v1/resource-operations',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'admin_list_resource_operations',
        summary: "List every partner's resource operations",
        description: 'The partner list (GET /v2/integrations/connections/resource-operations) across partners, with the same window rules, and partner_ids.',
        querystring: OperationListQuery.extend({
          partner_ids: queryList(z.uuid(), { maxItems: MAX_FILTER_VALUES, description: 'Only the operations of these partners.' }),
        }),
        response: { 200: pageOf(ResourceOperation, 'AdminResourceOperationPage'), ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const problems = operationListProblems(request.query, services.clock.now().getTime());
      if (problems.length) throw validationFailed(problems);
      return listOperations(db(), null, request.query);
    },
  );

  r.get(
    '/admin/v1/resource-operations/:resource_operation_id',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'admin_get_resource_operation',
        summary: 'Get any resource operation, with one log entry per attempt',
        params: OpParams,
        response: { 200: ResourceOperation, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => loadOperation(db(), request.params.resource_operation_id),
  );

  // The partner's own command, run as the operation's partner: the same state rules and the same 409s.
  r.post(
    '/admin/v1/resource-operations/:resource_operation_id/retry',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'admin_retry_resource_operation',
        summary: 'Retry a failed operation with a fresh attempt budget (as the partner route)',
        ...retrySchema,
        params: OpParams,
        response: { 200: ResourceOperation, ...errorResponses(401, 404, 409, 422) },
      },
    },
    async (request) => {
      const op = await loadOperation(db(), request.params.resource_operation_id);
      await retryOperation(services, op.partner_id, op.connection_id, op.id, { force: request.query.force });
      return loadOperation(db(), op.id);
    },
  );
  r.post(
    '/admin/v1/resource-operations/:resource_operation_id/cancel',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'admin_cancel_resource_operation',
        summary: 'Cancel a pending operation (error_type "cancelled"), as the partner route',
        params: OpParams,
        response: { 200: ResourceOperation, ...errorResponses(401, 404, 409, 422) },
      },
    },
    async (request) => {
      const op = await loadOperation(db(), request.params.resource_operation_id);
      await cancelOperation(services, op.partner_id, op.connection_id, op.id);
      return loadOperation(db(), op.id);
    },
  );

  r.get(
    '/admin/v1/connections',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'admin_list_connections',
        summary: "List every partner's connections",
        querystring: connectionListQuery(catalog).extend({ partner_id: PartnerFilter }),
        response: { 200: pageOf(AdminConnection, 'AdminConnectionPage'), ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => listConnections(db(), null, request.query, catalog.tsps),
  );

  r.get(
    '/admin/v1/webhooks',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'admin_list_webhook_subscriptions',
        summary: "List every partner's webhook subscriptions",
        querystring: WebhookListQuery.extend({ partner_id: PartnerFilter }),
        response: { 200: pageOf(AdminWebhook, 'AdminWebhookReadPage'), ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => listWebhooks(db(), null, request.query),
  );

  // A webhook's delivery log, metrics and replay, as its partner's routes answer them (the same
  // functions, run as the partner that owns it).
  r.get(
    '/admin/v1/webhooks/:webhook_id/metrics',
    {
      onRequest,
      schema: { tags, security, operationId: 'admin_get_webhook_metrics', summary: "A webhook's delivery metrics (as the partner route)", params: WebhookParams, response: { 200: WebhookMetrics, ...errorResponses(401, 404, 422) } },
    },
    async (request) => webhookMetrics(db(), await webhookOwner(db(), request.params.webhook_id), request.params.webhook_id),
  );
  r.get(
    '/admin/v1/webhooks/:webhook_id/logs',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'admin_get_webhook_logs',
        summary: "A webhook's delivery attempts, oldest first (as the partner route)",
        params: WebhookParams,
        querystring: WebhookLogQuery,
        response: { 200: pageOf(WebhookLogRead, 'AdminWebhookLogReadPage'), ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => webhookLogs(db(), await webhookOwner(db(), request.params.webhook_id), request.params.webhook_id, request.query),
  );
  r.post(
    '/admin/v1/webhooks/:webhook_id/replay',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'admin_replay_webhook_dead_letters',
        summary: 'Queue again the messages whose every attempt failed in the last 14 days (as the partner route)',
        params: WebhookParams,
        response: { 202: Replayed, ...errorResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const partnerId = await webhookOwner(db(), request.params.webhook_id);
      return reply.code(202).send({ replayed: await replayDeadLetters(db(), partnerId, request.params.webhook_id) });
    },
  );
}
