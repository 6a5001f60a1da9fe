// The one write router: for every declared resource, POST /v2/telematics/<plural> and (where it has
// updates) PATCH /v2/telematics/<plural>/{id}, with is_sync, Idempotency-Key and Catena's 200/202/502
// answers; and the reads of what fleetgate wrote. Routes and OpenAPI entries follow from the declarations.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PageQuery, pageOf } from '../../contract/connections.ts';
import { queryBool } from '../../contract/common/query.ts';
import { ResourceOperation } from '../../contract/common/operations.ts';
import type { OperationType } from '../../contract/enums.ts';
import { recordListQuery } from '../../contract/common/lists.ts';
import { getRecord, listRecords, recordSortNames } from '../../engine/records.ts';
import type { Catalog, ResourceDefinition, WriteOperation } from '../../engine/resource.ts';
import { adapterFor } from '../../tsps/registry.ts';
import type { SubmitResult } from '../../engine/submit.ts';
import { submitWrite } from '../../engine/submit.ts';
import type { Services } from '../../platform/services.ts';
import { bearerSecurity, principalOf, requireScope } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { ErrorStatusCode } from '../errors.ts';
import { ignoredFieldsOf } from '../validation.ts';

export const WriteQuery = z.object({
  is_sync: queryBool(
    false,
    'true: call the TSP before answering and return the finished operation (no automatic retry). false: queue it (202).',
  ),
});

export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Same key and body from the same partner within 24 h: the first operation is returned again (Idempotent-Replayed: true).'),
});

/**
 * Whether some TSP of the catalog has no fleetgate adapter for this write (its capability is
 * not_implemented): only then can the route answer 501, so only then does the document say so.
 */
function mayBeUnimplemented(catalog: Catalog, def: ResourceDefinition, operation: OperationType): boolean {
  return Object.keys(catalog.tsps).some((tsp) => {
    const adapter = adapterFor(tsp, catalog.tsps)?.resources[def.name];
    return (adapter?.operations[operation] ?? 'not_implemented') === 'not_implemented';
  });
}

function writeResponses(catalog: Catalog, def: ResourceDefinition, operation: OperationType) {
  const errors: ErrorStatusCode[] = [401, 403, 404, 409, 413, 415, 429];
  if (mayBeUnimplemented(catalog, def, operation)) errors.push(501);
  return {
    200: ResourceOperation.describe('is_sync=true: the write succeeded at the TSP: the operation, status success. Also a replay (Idempotency-Key) of an operation that has ended.'),
    202: ResourceOperation.describe('Queued (is_sync=false): the operation, status pending. Also a replay of an operation still pending.'),
    502: ResourceOperation.describe(
      "is_sync=true: the write could not be processed: the operation, failed and kept, whose log says why (the TSP refused the content or the credentials, answered 5xx or 429, did not answer within the synchronous budget, could not be reached). Sent again, a refused write fails the same way; the others may succeed.",
    ),
    ...errorResponses(...errors),
  };
}

/** A component name for the resource's page: its view's id (GroupMessage), else its name in PascalCase. */
const pageIdOf = (def: ResourceDefinition): string =>
  (def.view.meta()?.id as string | undefined) ?? def.name.replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());

/**
 * A write's answer, read off its operation as Catena's statuses describe them: is_sync=true, 200 when it
 * succeeded ("created successfully"), 502 when it failed ("could not be processed", the operation and
 * its log), 202 if it is still pending (its attempt went back to the queue); is_sync=false, 202 while
 * pending, else 200 (a replay of one that has ended). A replay answers the operation as it now is.
 */
export function replyWithOperation(reply: FastifyReply, result: SubmitResult, isSync: boolean) {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  const { status: state } = result.operation;
  const status = state === 'pending' ? 202 : isSync && state === 'failed' ? 502 : 200;
  return reply.code(status).send(result.operation);
}

function writeRoute(app: FastifyInstance, services: Services, catalog: Catalog, def: ResourceDefinition, operation: OperationType, doc: WriteOperation) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Catena names the record `{id}` in its PATCH paths (and `{user_id}`, `{vehicle_id}`, ... in its GETs).
  const idParams = z.object({ id: z.uuid().describe(`The fleetgate id of the ${def.name.replace(/_/g, ' ')} to update.`) });
  const url = operation === 'create' ? `/v2/telematics/${def.plural}` : `/v2/telematics/${def.plural}/:id`;
  r.route({
    method: operation === 'create' ? 'POST' : 'PATCH',
    url,
    onRequest: requireScope(services, 'telematics:write'),
    schema: {
      operationId: doc.operationId,
      tags: [def.plural],
      security: bearerSecurity('telematics:write'),
      summary: doc.summary,
      description: `${doc.description} Body fields the schema does not list are accepted and ignored (as Catena does) and listed in the operation's ignored_fields.`,
      ...(operation === 'update' && { params: idParams }),
      querystring: WriteQuery,
      headers: IdempotencyHeaders,
      body: doc.body,
      response: writeResponses(catalog, def, operation),
    },
    handler: async (request, reply) => {
      const query = request.query as z.infer<typeof WriteQuery>;
      const headers = request.headers as z.infer<typeof IdempotencyHeaders>;
      const result = await submitWrite(services, catalog, {
        partnerId: principalOf(request).partnerId,
        resource: def,
        operation,
        recordId: operation === 'update' ? (request.params as { id: string }).id : undefined,
        body: request.body as { connection_id: string } & Record<string, unknown>,
        isSync: query.is_sync,
        idempotencyKey: headers['idempotency-key'],
        ignoredFields: ignoredFieldsOf(request.body),
      });
      return replyWithOperation(reply, result, query.is_sync);
    },
  });
}

function readRoutes(app: FastifyInstance, services: Services, catalog: Catalog, def: ResourceDefinition) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const common = { onRequest: requireScope(services, 'telematics:read') };
  const schema = { tags: [def.plural], security: bearerSecurity('telematics:read') };
  const ListQuery = recordListQuery({
    plural: def.plural,
    idsParam: def.reads.idsParam,
    isDriverFilter: def.reads.isDriverFilter,
    sortBy: recordSortNames(def, catalog.tsps) as [string, ...string[]],
  });
  r.get(
    `/v2/telematics/${def.plural}`,
    {
      ...common,
      schema: {
        ...schema,
        operationId: def.reads.listOperationId,
        summary: def.reads.listSummary,
        querystring: ListQuery,
        response: { 200: pageOf(def.view, `${pageIdOf(def)}Page`), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const q = request.query as z.infer<typeof ListQuery> & { is_driver?: boolean } & Record<string, unknown>;
      const ids = def.reads.idsParam ? (q[def.reads.idsParam] as string[] | undefined) : undefined;
      return listRecords(services.database.db, def, catalog.tsps, principalOf(request).partnerId, { ...q, ids });
    },
  );
  const GetQuery = z.object({ include_source_data: recordListQuery({ plural: def.plural, sortBy: ['id'] }).shape.include_source_data });
  r.get(
    `/v2/telematics/${def.plural}/:${def.idParam}`,
    {
      ...common,
      schema: {
        ...schema,
        operationId: def.reads.getOperationId,
        summary: def.reads.getSummary,
        params: z.object({ [def.idParam]: z.uuid() }),
        querystring: GetQuery,
        response: { 200: def.view, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) =>
      getRecord(services.database.db, def, catalog.tsps, principalOf(request).partnerId, (request.params as Record<string, string>)[def.idParam]!, request.query),
  );
}

/** Every declared resource's writes and reads. */
export function resourceRoutes(app: FastifyInstance, services: Services, catalog: Catalog) {
  for (const def of catalog.resources) {
    writeRoute(app, services, catalog, def, 'create', def.operations.create);
    if (def.operations.update) writeRoute(app, services, catalog, def, 'update', def.operations.update);
    readRoutes(app, services, catalog, def);
  }
}
