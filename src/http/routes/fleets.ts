// The partner's fleets (a fleetgate extension: Catena's documents name fleet_id everywhere and publish no
// fleet endpoint). Made here, or by a connection's fleet_ref on first use.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { pageOf } from '../../contract/connections.ts';
import { FleetCreate, FleetIdParams, FleetListQuery, FleetRead } from '../../contract/fleets.ts';
import { createFleet, getFleet, listFleets } from '../../accounts/fleets.ts';
import type { Services } from '../../platform/services.ts';
import { bearerSecurity, principalOf, requireScope } from '../auth.ts';
import { errorResponses } from '../errors.ts';

export function fleetRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['fleets'];
  // Catena's document lists each endpoint's scope in its security requirement.
  const security = bearerSecurity;

  r.post(
    '/v2/integrations/fleets',
    {
      onRequest: requireScope(services, 'connection:create'),
      schema: {
        tags,
        security: security('connection:create'),
        operationId: 'create_fleet',
        summary: 'Create a fleet (fleetgate extension)',
        description: 'A fleet of the partner, for connections to name by fleet_id. A connection given a new fleet_ref makes its fleet itself. Answers 200, as Catena\'s creates do; 409 when another fleet of the partner has the fleet_ref.',
        body: FleetCreate,
        response: { 200: FleetRead, ...errorResponses(401, 403, 409, 413, 415, 422) },
      },
    },
    async (request) => createFleet(services.database.db, principalOf(request).partnerId, request.body),
  );

  r.get(
    '/v2/integrations/fleets',
    {
      onRequest: requireScope(services, 'connection:read'),
      schema: {
        tags,
        security: security('connection:read'),
        operationId: 'list_fleets',
        summary: "List the partner's fleets (fleetgate extension)",
        querystring: FleetListQuery,
        response: { 200: pageOf(FleetRead, 'FleetPage'), ...errorResponses(401, 403) },
      },
    },
    async (request) => listFleets(services.database.db, principalOf(request).partnerId, request.query),
  );

  r.get(
    '/v2/integrations/fleets/:fleet_id',
    {
      onRequest: requireScope(services, 'connection:read'),
      schema: {
        tags,
        security: security('connection:read'),
        operationId: 'get_fleet',
        summary: 'Get a fleet (fleetgate extension)',
        params: FleetIdParams,
        response: { 200: FleetRead, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => getFleet(services.database.db, principalOf(request).partnerId, request.params.fleet_id),
  );
}
