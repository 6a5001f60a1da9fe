// GET /metrics on the API's port, behind the admin token (when FLEETGATE_METRICS_PORT does not give
// the metrics a listener of their own).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { requireAdmin } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import type { Metrics } from '../metrics.ts';

export function metricsRoute(app: FastifyInstance, services: Services, metrics: Metrics) {
  app.get(
    '/metrics',
    {
      onRequest: requireAdmin(services),
      schema: {
        tags: ['operator'],
        security: [{ adminToken: [] }],
        operationId: 'get_metrics',
        summary: 'Prometheus metrics of this process (text exposition format)',
        description:
          "This process's counters and histograms (a separate `fleetgate worker` serves its own on FLEETGATE_METRICS_PORT) " +
          'and the queue depth read from the database. With FLEETGATE_METRICS_PORT set they are served there instead, and this route is absent.',
        response: {
          200: {
            description: 'The Prometheus text exposition format (0.0.4).',
            content: { 'text/plain; version=0.0.4': { schema: z.string() } },
          },
          ...errorResponses(401, 404),
        },
      },
    },
    async (_request, reply) => {
      const { contentType, body } = await metrics.scrape();
      return reply.type(contentType).send(body);
    },
  );
}
