// The reads the operations console needs beyond Catena's API, for a partner (its own rows, the scopes
// its token holds) and the same under /admin/v1 for the operator (every partner, the admin token):
// a connection's rate-limit state, writes and failures per TSP over time, the live feed of operation
// changes, and the native request an operation maps to.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { getConnectionRow } from '../../accounts/connections.ts';
import type { VerifiedToken } from '../../accounts/tokens.ts';
import { MAX_FILTER_VALUES } from '../../contract/common/lists.ts';
import { queryList } from '../../contract/common/query.ts';
import { ConnectionRateLimits, FEED_DESCRIPTION, NativeRequest, OperationStats, StatsQuery } from '../../contract/console.ts';
import { connections, resourceOperations } from '../../db/schema.ts';
import { operationStats } from '../../engine/console/activity.ts';
import { nativeRequestOf } from '../../engine/console/native-request.ts';
import { connectionRateLimits } from '../../engine/console/rate-view.ts';
import { partnerOperationRow } from '../../engine/operations/reads.ts';
import type { Catalog } from '../../engine/resource.ts';
import { notFound } from '../../platform/errors.ts';
import type { Services } from '../../platform/services.ts';
import { adapterFor } from '../../tsps/registry.ts';
import { bearerSecurity, principalOf, requireAdmin, requireScope } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { OpenFeeds, streamOperationChanges } from '../feed.ts';

const ConnectionParams = z.object({ connection_id: z.uuid().describe('The unique identifier of the connection.') });
const OperationParams = ConnectionParams.extend({ resource_operation_id: z.uuid().describe('The unique identifier of the resource operation.') });
const PartnerIds = queryList(z.uuid(), { maxItems: MAX_FILTER_VALUES, description: 'Only these partners (default: every partner).' });
const feedResponse = { 200: z.string().describe('text/event-stream: `event: operation`, `data:` an OperationChange (JSON).') };

export function insightRoutes(app: FastifyInstance, services: Services, catalog: Catalog) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => services.database.db;
  const open = new OpenFeeds();
  // A feed never ends by itself: end them all, or closing the server would wait for them forever.
  app.addHook('preClose', async () => {
    for (const end of [...open.enders]) end();
  });
  const tspOf = (tsp: string) => adapterFor(tsp, catalog.tsps);
  const tags = ['console'];

  r.get(
    '/v2/integrations/connections/:connection_id/rate-limits',
    {
      onRequest: requireScope(services, 'connection:read'),
      schema: {
        tags,
        security: bearerSecurity('connection:read'),
        operationId: 'get_connection_rate_limits',
        summary: "A connection's rate-limit state: limit, next slot and 429 pause per endpoint class; attempts in the last minute",
        params: ConnectionParams,
        response: { 200: ConnectionRateLimits, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => {
      const conn = await getConnectionRow(db(), principalOf(request).partnerId, request.params.connection_id);
      return connectionRateLimits(db(), conn, tspOf(conn.tsp));
    },
  );
  r.get(
    '/v2/integrations/connections/resource-operations/stats',
    {
      onRequest: requireScope(services, 'resource_operation:read'),
      schema: {
        tags,
        security: bearerSecurity('resource_operation:read'),
        operationId: 'get_resource_operation_stats',
        summary: 'Writes and failures per TSP over the last hour (per minute) or day (per hour)',
        querystring: StatsQuery,
        response: { 200: OperationStats, ...errorResponses(401, 403, 422) },
      },
    },
    async (request) => operationStats(db(), [principalOf(request).partnerId], request.query.window),
  );
  r.get(
    '/v2/integrations/connections/resource-operations/events',
    {
      onRequest: requireScope(services, 'resource_operation:read'),
      schema: {
        tags,
        security: bearerSecurity('resource_operation:read'),
        operationId: 'stream_resource_operation_changes',
        summary: "A live feed of the partner's operation changes (server-sent events)",
        description: FEED_DESCRIPTION,
        produces: ['text/event-stream'],
        response: { ...feedResponse, ...errorResponses(401, 403, 429) },
      },
    },
    // authenticate() keeps the verified token (with its expiry and id) as the principal.
    async (request, reply) =>
      streamOperationChanges(services, request, reply, {
        scope: [principalOf(request).partnerId],
        principal: principalOf(request).partnerId,
        token: principalOf(request) as VerifiedToken,
        open,
      }),
  );
  r.get(
    '/v2/integrations/connections/:connection_id/resource-operations/:resource_operation_id/native-request',
    {
      onRequest: requireScope(services, 'resource_operation:read'),
      schema: {
        tags,
        security: bearerSecurity('resource_operation:read'),
        operationId: 'get_resource_operation_native_request',
        summary: 'What fleetgate sends the TSP for an operation (secrets masked)',
        params: OperationParams,
        response: { 200: NativeRequest, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => {
      const { connection_id, resource_operation_id } = request.params;
      return nativeRequestOf(db(), catalog, await partnerOperationRow(db(), principalOf(request).partnerId, connection_id, resource_operation_id));
    },
  );

  // The operator's: the same reads over every partner.
  const admin = requireAdmin(services);
  const adminSecurity = [{ adminToken: [] }];
  const adminTags = ['operator'];
  r.get(
    '/admin/v1/connections/:connection_id/rate-limits',
    {
      onRequest: admin,
      schema: {
        tags: adminTags,
        security: adminSecurity,
        operationId: 'admin_get_connection_rate_limits',
        summary: "Any partner's connection's rate-limit state",
        params: ConnectionParams,
        response: { 200: ConnectionRateLimits, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const [conn] = await db()
        .select()
        .from(connections)
        .where(and(eq(connections.id, request.params.connection_id), isNull(connections.deletedAt)));
      if (!conn) throw notFound('Connection');
      return connectionRateLimits(db(), conn, tspOf(conn.tsp));
    },
  );
  r.get(
    '/admin/v1/resource-operations/stats',
    {
      onRequest: admin,
      schema: {
        tags: adminTags,
        security: adminSecurity,
        operationId: 'admin_get_resource_operation_stats',
        summary: 'Writes and failures per TSP over the last hour or day, across partners',
        querystring: StatsQuery.extend({ partner_ids: PartnerIds }),
        response: { 200: OperationStats, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => operationStats(db(), request.query.partner_ids, request.query.window),
  );
  r.get(
    '/admin/v1/resource-operations/events',
    {
      onRequest: admin,
      schema: {
        tags: adminTags,
        security: adminSecurity,
        operationId: 'admin_stream_resource_operation_changes',
        summary: 'A live feed of operation changes across partners (server-sent events)',
        description: `${FEED_DESCRIPTION} The operator's stream has no expiry.`,
        produces: ['text/event-stream'],
        querystring: z.object({ partner_ids: PartnerIds }),
        response: { ...feedResponse, ...errorResponses(401, 404, 422, 429) },
      },
    },
    async (request, reply) => streamOperationChanges(services, request, reply, { scope: request.query.partner_ids, principal: 'operator', open }),
  );
  r.get(
    '/admin/v1/resource-operations/:resource_operation_id/native-request',
    {
      onRequest: admin,
      schema: {
        tags: adminTags,
        security: adminSecurity,
        operationId: 'admin_get_resource_operation_native_request',
        summary: "What fleetgate sends the TSP for any partner's operation (secrets masked)",
        params: OperationParams.pick({ resource_operation_id: true }),
        response: { 200: NativeRequest, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => {
      const [op] = await db().select().from(resourceOperations).where(eq(resourceOperations.id, request.params.resource_operation_id));
      if (!op) throw notFound('Resource operation');
      return nativeRequestOf(db(), catalog, op);
    },
  );
}
