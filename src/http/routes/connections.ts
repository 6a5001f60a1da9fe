import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConnectionRead, PageQuery, connectionContract, pageOf } from '../../contract/connections.ts';
import { FleetFilters } from '../../contract/fleets.ts';
import {
  deleteConnection,
  getConnectionRow,
  listConnections,
  viewConnection,
} from '../../accounts/connections.ts';
import { createConnectionWithEvents, updateConnectionAndRelease } from '../../engine/connection-health.ts';
import type { Catalog } from '../../engine/resource.ts';
import type { Services } from '../../platform/services.ts';
import { bearerSecurity, principalOf, requireScope } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { fleetRoutes } from './fleets.ts';
import { tspRoutes } from './tsps.ts';

const IdParams = z.object({ connection_id: z.uuid() });

/** The connection list's query (the operator's list adds its partner filter to it). */
export function connectionListQuery(catalog: Catalog) {
  const { TspName } = connectionContract(catalog.tsps);
  return z.object({
    tsp_id: z.uuid().optional().describe('Only connections to this TSP (its tsp_id); an id no TSP has matches none.'),
    ...FleetFilters,
    ...PageQuery,
    tsp: TspName.optional().describe('fleetgate extension: only connections to this TSP, by its wire name.'),
    status: z.enum(['active', 'failed', 'paused']).optional().describe('fleetgate extension: only connections in this status.'),
  });
}

/** Connections, the partner's fleets and the TSP catalogue. */
export function connectionRoutes(app: FastifyInstance, services: Services, catalog: Catalog) {
  const { CreateConnectionBody, UpdateConnectionBody } = connectionContract(catalog.tsps);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['connections'];
  // Catena's document lists each endpoint's scope in its security requirement.
  const security = bearerSecurity;

  r.post(
    '/v2/integrations/connections',
    {
      onRequest: requireScope(services, 'connection:create'),
      schema: {
        tags,
        security: security('connection:create'),
        operationId: 'create_connection',
        summary: 'Create a connection (credentials are checked against the TSP first)',
        description:
          "Catena's body (tsp_id, credentials, description) or fleetgate's (tsp instead of tsp_id). Without sandbox or base_url the connection calls the TSP's own API. With fleet_ref it joins the partner's fleet of that reference, made on first use; with fleet_id, that fleet. Answers 200, as Catena does.",
        body: CreateConnectionBody,
        response: { 200: ConnectionRead, ...errorResponses(401, 403, 413, 415, 422) },
      },
    },
    async (request) => createConnectionWithEvents(services, principalOf(request).partnerId, request.body, { tsps: catalog.tsps }),
  );

  r.get(
    '/v2/integrations/connections',
    {
      onRequest: requireScope(services, 'connection:read'),
      schema: {
        tags,
        security: security('connection:read'),
        operationId: 'list_connections',
        summary: "List the partner's connections",
        querystring: connectionListQuery(catalog),
        response: { 200: pageOf(ConnectionRead, 'ConnectionPage'), ...errorResponses(401, 403) },
      },
    },
    async (request) => listConnections(services.database.db, principalOf(request).partnerId, request.query, catalog.tsps),
  );

  r.get(
    '/v2/integrations/connections/:connection_id',
    {
      onRequest: requireScope(services, 'connection:read'),
      schema: { tags, security: security('connection:read'), operationId: 'get_connection', summary: 'Get a connection', params: IdParams, response: { 200: ConnectionRead, ...errorResponses(401, 403, 404, 422) } },
    },
    async (request) => viewConnection(await getConnectionRow(services.database.db, principalOf(request).partnerId, request.params.connection_id), catalog.tsps),
  );

  r.patch(
    '/v2/integrations/connections/:connection_id',
    {
      onRequest: requireScope(services, 'connection:update'),
      schema: {
        tags,
        security: security('connection:update'),
        operationId: 'update_connection',
        summary: 'Update a connection (new credentials are checked against the TSP)',
        params: IdParams,
        body: UpdateConnectionBody,
        response: { 200: ConnectionRead, ...errorResponses(401, 403, 404, 413, 415, 422) },
      },
    },
    // A paused or failed connection made active releases its queue (resume), with its events.
    async (request) => updateConnectionAndRelease(services, principalOf(request).partnerId, request.params.connection_id, request.body),
  );

  r.delete(
    '/v2/integrations/connections/:connection_id',
    {
      onRequest: requireScope(services, 'connection:delete'),
      schema: {
        tags,
        security: security('connection:delete'),
        operationId: 'delete_connection',
        summary: 'Delete a connection (its fleet stays)',
        params: IdParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await deleteConnection(services.database.db, principalOf(request).partnerId, request.params.connection_id);
      return reply.code(204).send(null);
    },
  );

  fleetRoutes(app, services);
  tspRoutes(app, catalog);
}
