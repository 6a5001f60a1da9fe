import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { serviceUnavailable } from '../../platform/errors.ts';
import type { Services } from '../../platform/services.ts';
import { errorResponses, exactErrorResponses } from '../errors.ts';

const Health = z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']).optional() });

export function healthRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/healthz',
    // It reads no database (no 503), but refuses an unknown query parameter as every route does.
    { schema: { tags: ['ops'], operationId: 'get_health', summary: 'Liveness: the process answers', response: { 200: Health, ...exactErrorResponses(400, 405, 422, 500) } } },
    async () => ({ status: 'ok' as const }),
  );
  r.get(
    '/readyz',
    {
      schema: {
        tags: ['ops'],
        operationId: 'get_readiness', summary: 'Readiness: the database answers',
        response: { 200: Health, ...errorResponses() },
      },
    },
    async () => {
      try {
        // A hung database must not hang the probe: answer 503 after 2 s.
        await Promise.race([
          services.database.db.execute(sql`select 1`),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000).unref()),
        ]);
      } catch {
        throw serviceUnavailable();
      }
      return { status: 'ok' as const, database: services.database.kind };
    },
  );
}
