import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Connection, PageQuery, TspInfo, connectionContract, pageOf } from '../../contract/connections.ts';
import { OPERATION_TYPES, RESOURCES } from '../../contract/enums.ts';
import {
  deleteConnection,
  getConnectionRow,
  listConnections,
  viewConnection,
} from '../../accounts/connections.ts';
import { createConnectionWithEvents, updateConnectionAndRelease } from '../../engine/connection-health.ts';
import type { Catalog } from '../../engine/resource.ts';
import type { Services } from '../../platform/services.ts';
import { BEARER_SECURITY, principalOf, requireScope } from '../auth.ts';
import { errorResponses } from '../errors.ts';

const IdParams = z.object({ connection_id: z.uuid() });

export function connectionRoutes(app: FastifyInstance, services: Services, catalog: Catalog) {
  const { CreateConnectionBody, UpdateConnectionBody, TspName } = connectionContract(catalog.tsps);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['connections'];
  const security = BEARER_SECURITY;

  r.post(
    '/v2/integrations/connections',
    {
      onRequest: requireScope(services, 'connection:create'),
      schema: {
        tags,
        security,
        operationId: 'create_connection', summary: 'Create a connection (credentials are checked against the TSP first)',
        body: CreateConnectionBody,
        response: { 201: Connection, ...errorResponses(401, 403, 413, 415, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await createConnectionWithEvents(services, principalOf(request).partnerId, request.body)),
  );

  r.get(
    '/v2/integrations/connections',
    {
      onRequest: requireScope(services, 'connection:read'),
      schema: {
        tags,
        security,
        operationId: 'list_connections', summary: "List the partner's connections",
        querystring: z.object({ ...PageQuery, tsp: TspName.optional(), status: z.enum(['active', 'failed', 'paused']).optional() }),
        response: { 200: pageOf(Connection, 'ConnectionPage'), ...errorResponses(401, 403) },
      },
    },
    async (request) => listConnections(services.database.db, principalOf(request).partnerId, request.query),
  );

  r.get(
    '/v2/integrations/connections/:connection_id',
    {
      onRequest: requireScope(services, 'connection:read'),
      schema: { tags, security, operationId: 'get_connection', summary: 'Get a connection', params: IdParams, response: { 200: Connection, ...errorResponses(401, 403, 404, 422) } },
    },
    async (request) => viewConnection(await getConnectionRow(services.database.db, principalOf(request).partnerId, request.params.connection_id)),
  );

  r.patch(
    '/v2/integrations/connections/:connection_id',
    {
      onRequest: requireScope(services, 'connection:update'),
      schema: {
        tags,
        security,
        operationId: 'update_connection', summary: 'Update a connection (new credentials are checked against the TSP)',
        params: IdParams,
        body: UpdateConnectionBody,
        response: { 200: Connection, ...errorResponses(401, 403, 404, 413, 415, 422) },
      },
    },
    // A paused or failed connection made active releases its queue (resume), with its events.
    async (request) => updateConnectionAndRelease(services, principalOf(request).partnerId, request.params.connection_id, request.body),
  );

  r.delete(
    '/v2/integrations/connections/:connection_id',
    {
      onRequest: requireScope(services, 'connection:delete'),
      schema: { tags, security, operationId: 'delete_connection', summary: 'Delete a connection', params: IdParams, response: { 204: z.null(), ...errorResponses(401, 403, 404, 422) } },
    },
    async (request, reply) => {
      await deleteConnection(services.database.db, principalOf(request).partnerId, request.params.connection_id);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/v2/integrations/tsps',
    {
      onRequest: requireScope(services, 'connection:read'),
      schema: {
        tags,
        security,
        operationId: 'list_integrations_per_tsp', summary: 'The TSPs, what each can do per resource and operation, which fields each stores, and its rate-limit classes',
        response: { 200: z.object({ items: z.array(TspInfo) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({
      items: Object.values(catalog.tsps).map((a) => ({
        tsp: a.tsp,
        name: a.displayName,
        sandbox_path: a.sandboxPath,
        default_rate_limit_per_minute: a.defaultRateLimitPerMinute,
        rate_limit_classes: Object.fromEntries(
          Object.entries(a.descriptor.rateLimit.classes ?? {}).map(([name, c]) => [name, { per_minute: c.perMinute, source: c.source }]),
        ),
        // Every resource of the contract is listed: what an adapter does not declare, it has not implemented.
        resources: Object.fromEntries(
          RESOURCES.map((res) => [res, Object.fromEntries(OPERATION_TYPES.map((op) => [op, a.capabilities.resources[res]?.[op] ?? 'not_implemented']))]),
        ),
        // Per resource with an adapter: whether the TSP stores each normalized field.
        fields: a.capabilities.fields,
        user_fields: a.capabilities.fields.user ?? {},
        unsupported_reasons: a.capabilities.reasons,
        creates_not_retried: a.capabilities.notRefindable,
      })),
    }),
  );
}
