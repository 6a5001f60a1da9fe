// The operator API: partner and client management while a server (which owns an embedded database)
// runs. Off unless FLEETGATE_ADMIN_TOKEN is set.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../platform/errors.ts';
import { createClient, createPartner, getPartner, listPartners } from '../../accounts/partners.ts';
import { SCOPES } from '../../accounts/scopes.ts';
import type { Services } from '../../platform/services.ts';
import { requireAdmin } from '../auth.ts';
import { errorResponses } from '../errors.ts';

const Partner = z.object({ id: z.uuid(), name: z.string(), created_at: z.string() }).meta({ id: 'Partner' });
const NewClient = z
  .object({ partner_id: z.uuid(), client_id: z.string(), client_secret: z.string(), scopes: z.array(z.enum(SCOPES)) })
  .meta({ id: 'NewClient' });

export function adminRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireAdmin(services);
  const security = [{ adminToken: [] }];
  // Read per request: building the app (e.g. for `fleetgate openapi`) must not need a database.
  const db = () => services.database.db;

  r.post(
    '/admin/v1/partners',
    {
      onRequest,
      schema: {
        tags: ['operator'],
        operationId: 'create_partner', summary: 'Create a partner',
        security,
        body: z.strictObject({
          name: z
            .string()
            .max(200)
            .regex(/\S/, 'must not be blank')
            .transform((s) => s.trim())
            .describe('Up to 200 characters, not all blank; leading and trailing spaces are removed.'),
        }),
        response: { 201: Partner, ...errorResponses(401, 404, 413, 415, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await createPartner(db(), request.body.name)),
  );
  r.get(
    '/admin/v1/partners',
    {
      onRequest,
      schema: {
        tags: ['operator'],
        operationId: 'list_partners', summary: 'List partners',
        security,
        response: { 200: z.object({ items: z.array(Partner) }), ...errorResponses(401, 404) },
      },
    },
    async () => ({ items: await listPartners(db()) }),
  );
  r.post(
    '/admin/v1/partners/:partner_id/clients',
    {
      onRequest,
      schema: {
        tags: ['operator'],
        operationId: 'create_partner_client', summary: 'Create an OAuth client for a partner; the secret is shown once',
        security,
        params: z.object({ partner_id: z.uuid() }),
        body: z.strictObject({ scopes: z.array(z.enum(SCOPES)).min(1).optional() }).optional(),
        response: { 201: NewClient, ...errorResponses(401, 404, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      if (!(await getPartner(db(), request.params.partner_id))) throw notFound('Partner');
      const client = await createClient(db(), request.params.partner_id, request.body?.scopes ?? SCOPES);
      return reply.code(201).header('cache-control', 'no-store').send(client);
    },
  );
}
