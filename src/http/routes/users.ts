// The Catena-compatible users write API: POST/PATCH answer a resource operation; GET reads the users
// as fleetgate last wrote them.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PageQuery, pageOf } from '../../contract/connections.ts';
import { ResourceOperation } from '../../contract/common/operations.ts';
import { CreateUserBody, UpdateUserBody, userAttributes } from '../../contract/resources/users.ts';
import type { SubmitResult } from '../../engine/submit.ts';
import { submitUserWrite } from '../../engine/submit.ts';
import { getUser, listUsers } from '../../resources/users.ts';
import type { Services } from '../../platform/services.ts';
import { BEARER_SECURITY, principalOf, requireScope } from '../auth.ts';
import { errorResponses } from '../errors.ts';

export const WriteQuery = z.object({
  is_sync: z
    .stringbool()
    .default(false)
    .describe('true: call the TSP before answering and return the finished operation (no automatic retry). false: queue it (202).'),
});

export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Same key and body from the same partner within 24 h: the first operation is returned again (Idempotent-Replayed: true).'),
});

const UserRecord = z
  .object({
    id: z.uuid().describe("fleetgate's id of the user (resource_id)."),
    connection_id: z.uuid(),
    source_id: z.string().nullable().describe("The user's id at the TSP."),
    ...userAttributes,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'User' });

const writeResponses = {
  200: ResourceOperation.describe('is_sync=true: the finished operation (success or failed, with its log).'),
  202: ResourceOperation.describe('Queued: the operation, status pending.'),
  504: ResourceOperation.describe('is_sync=true and the TSP did not answer within the budget: the operation, kept.'),
  ...errorResponses(401, 403, 404, 409, 413, 422),
};

export function replyWithOperation(reply: FastifyReply, result: SubmitResult, isSync: boolean) {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  const status = result.timedOut ? 504 : result.replayed ? (result.operation.status === 'pending' && !isSync ? 202 : 200) : isSync ? 200 : 202;
  return reply.code(status).send(result.operation);
}

export function userRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];
  const security = BEARER_SECURITY;
  const write = requireScope(services, 'telematics:write');
  const read = requireScope(services, 'telematics:read');

  r.post(
    '/v2/telematics/users',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Create User',
        description: "Creates a user (driver or back-office user) at the connection's TSP, as a resource operation.",
        querystring: WriteQuery,
        headers: IdempotencyHeaders,
        body: CreateUserBody,
        response: writeResponses,
      },
    },
    async (request, reply) => {
      const result = await submitUserWrite(services, {
        partnerId: principalOf(request).partnerId,
        operation: 'create',
        body: request.body,
        isSync: request.query.is_sync,
        idempotencyKey: request.headers['idempotency-key'],
      });
      return replyWithOperation(reply, result, request.query.is_sync);
    },
  );

  r.patch(
    '/v2/telematics/users/:user_id',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Update User',
        description: 'Updates a user fleetgate created: only the fields sent change.',
        params: z.object({ user_id: z.uuid() }),
        querystring: WriteQuery,
        headers: IdempotencyHeaders,
        body: UpdateUserBody,
        response: writeResponses,
      },
    },
    async (request, reply) => {
      const result = await submitUserWrite(services, {
        partnerId: principalOf(request).partnerId,
        operation: 'update',
        userId: request.params.user_id,
        body: request.body,
        isSync: request.query.is_sync,
        idempotencyKey: request.headers['idempotency-key'],
      });
      return replyWithOperation(reply, result, request.query.is_sync);
    },
  );

  r.get(
    '/v2/telematics/users',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'List users',
        querystring: z.object({ ...PageQuery, connection_id: z.uuid().optional(), source_id: z.string().optional() }),
        response: { 200: pageOf(UserRecord, 'UserPage'), ...errorResponses(401, 403) },
      },
    },
    async (request) => listUsers(services.database.db, principalOf(request).partnerId, request.query),
  );

  r.get(
    '/v2/telematics/users/:user_id',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'Get a user',
        params: z.object({ user_id: z.uuid() }),
        response: { 200: UserRecord, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => getUser(services.database.db, principalOf(request).partnerId, request.params.user_id),
  );
}
