import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OperationListQuery, operationListProblems } from '../../contract/common/lists.ts';
import { pageOf } from '../../contract/common/pages.ts';
import { queryBool } from '../../contract/common/query.ts';
import { ResourceOperation } from '../../contract/common/operations.ts';
import { cancelOperation, retryOperation } from '../../engine/operations/commands.ts';
import { getOperation, listOperations } from '../../engine/operations/reads.ts';
import { validationFailed } from '../../platform/errors.ts';
import type { Services } from '../../platform/services.ts';
import { bearerSecurity, principalOf, requireScope } from '../auth.ts';
import { errorResponses } from '../errors.ts';

/** A retry's description and query, the partner's and the operator's alike. */
export const retrySchema = {
  description:
    'A failed update is not retried when a later write to the same record has succeeded since: 409, ' +
    'its id in `detail.newer_operation_id`. `force=true` retries it anyway (its values go over that write).',
  querystring: z.object({
    force: queryBool(false, 'Retry a failed update even over a later successful write to the same record.'),
  }),
};

export function operationRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['resource operations'];
  const read = requireScope(services, 'resource_operation:read');
  // Catena's names for the path's parameters.
  const OpParams = z.object({
    connection_id: z.uuid().describe('The unique identifier of the connection.'),
    resource_operation_id: z.uuid().describe('The unique identifier of the resource operation.'),
  });

  r.get(
    '/v2/integrations/connections/resource-operations',
    {
      onRequest: read,
      schema: {
        tags,
        security: bearerSecurity('resource_operation:read'),
        operationId: 'list_resource_operations', summary: 'List resource operations',
        description:
          'Operations created in a window: from_datetime (default: a day before to_datetime) to to_datetime (default: now), at most 45 days (422 past that). source_id needs resource (422 without it).',
        querystring: OperationListQuery,
        response: { 200: pageOf(ResourceOperation, 'ResourceOperationPage'), ...errorResponses(401, 403, 422) },
      },
    },
    async (request) => {
      // Rules between parameters, once each one is valid: a 422 naming the parameter.
      const problems = operationListProblems(request.query, services.clock.now().getTime());
      if (problems.length) throw validationFailed(problems);
      return listOperations(services.database.db, principalOf(request).partnerId, request.query);
    },
  );

  r.get(
    '/v2/integrations/connections/:connection_id/resource-operations/:resource_operation_id',
    {
      onRequest: read,
      schema: {
        tags,
        security: bearerSecurity('resource_operation:read'),
        operationId: 'get_resource_operation', summary: 'Get a resource operation, with one log entry per attempt',
        params: OpParams,
        response: { 200: ResourceOperation, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) =>
      getOperation(services.database.db, principalOf(request).partnerId, request.params.connection_id, request.params.resource_operation_id),
  );

  const write = requireScope(services, 'telematics:write');
  r.post(
    '/v2/integrations/connections/:connection_id/resource-operations/:resource_operation_id/retry',
    {
      onRequest: write,
      schema: {
        tags,
        security: bearerSecurity('telematics:write'),
        operationId: 'retry_resource_operation', summary: 'Retry a failed operation with a fresh attempt budget',
        ...retrySchema,
        params: OpParams,
        response: { 200: ResourceOperation, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { connection_id, resource_operation_id: operation_id } = request.params;
      const partnerId = principalOf(request).partnerId;
      await retryOperation(services, partnerId, connection_id, operation_id, { force: request.query.force });
      return getOperation(services.database.db, partnerId, connection_id, operation_id);
    },
  );
  r.post(
    '/v2/integrations/connections/:connection_id/resource-operations/:resource_operation_id/cancel',
    {
      onRequest: write,
      schema: {
        tags,
        security: bearerSecurity('telematics:write'),
        operationId: 'cancel_resource_operation', summary: 'Cancel a pending operation (error_type "cancelled")',
        params: OpParams,
        response: { 200: ResourceOperation, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { connection_id, resource_operation_id: operation_id } = request.params;
      const partnerId = principalOf(request).partnerId;
      await cancelOperation(services, partnerId, connection_id, operation_id);
      return getOperation(services.database.db, partnerId, connection_id, operation_id);
    },
  );
}
