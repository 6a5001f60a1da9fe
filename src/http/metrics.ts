// Prometheus metrics, fed by the engine's typed events (engine/events.ts) and Fastify's request hooks:
// the engine counts nothing itself. Series are per process, as Prometheus expects (it adds `instance`):
// a `fleetgate worker` process counts the attempts it makes and serves them on its own metrics port.
// Queue depth is read from the database at scrape time, so every process reports the same shared queue.
import { createServer } from 'node:http';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/client.ts';
import type { EngineEvents } from '../engine/events.ts';

export interface Metrics {
  readonly registry: Registry;
  /** The exposition text, with the queue read from the database now. */
  scrape(): Promise<{ contentType: string; body: string }>;
  /** Times every request of `app` by its route template (never the raw URL: ids would explode the series). */
  timeRequests(app: FastifyInstance): void;
  /** Stops listening to the engine. */
  close(): void;
}

// Seconds: TSP calls run from milliseconds to the call budget (15 s by default, 120 s at most).
const ATTEMPT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];
// Webhook attempts stop at DELIVERY_TIMEOUT_MS (3 s).
const DELIVERY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 30];

/** 2xx, 4xx, 5xx... or `none` when the TSP never answered (a timeout, a refusal before any call). */
export const statusClass = (code: number | null) => (code === null ? 'none' : `${Math.floor(code / 100)}xx`);

const FINISHED = { succeed: 'success', fail: 'failed', cancel: 'cancelled' } as const;

/**
 * `processMetrics`: prom-client's process_* and nodejs_* series too. Only the entry points ask for them:
 * they describe the process, and each set keeps an event-loop monitor running for the process's life.
 */
export function createMetrics(events: EngineEvents, db: () => Db, opts: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter<L>({ name, help, labelNames, registers: [registry] });
  const histogram = <L extends string>(name: string, help: string, labelNames: L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] });

  const accepted = counter('fleetgate_operations_accepted_total', 'Writes accepted (operations created), by resource, TSP and mode (sync: is_sync=true).', ['resource', 'tsp', 'mode']);
  const finished = counter('fleetgate_operations_finished_total', 'Operations that ended, by resource, TSP and outcome (success, failed, cancelled).', ['resource', 'tsp', 'outcome']);
  const attempts = histogram('fleetgate_operation_attempt_duration_seconds', 'Attempts of operations at their TSP, by TSP and the class of its answer (none: no answer).', ['tsp', 'status_class'], ATTEMPT_BUCKETS);
  const waits = counter('fleetgate_rate_limit_waits_total', "Each time a call found no slot of its rate class (fleetgate's own limit; a call that sleeps twice counts twice), by TSP, class and outcome (slept, deferred, refused).", ['tsp', 'rate_class', 'outcome']);
  const pauses = counter('fleetgate_rate_limit_pauses_total', "A TSP's 429s that paused a rate class of a connection, by TSP and class.", ['tsp', 'rate_class']);
  const pausedSeconds = counter('fleetgate_rate_limit_paused_seconds_total', 'Time those 429 pauses held their class (as Retry-After asked, at most an hour each).', ['tsp', 'rate_class']);
  const deliveries = counter('fleetgate_webhook_deliveries_total', 'Webhook delivery attempts, by event and outcome (delivered, retry, failed: dead-lettered).', ['event_name', 'outcome']);
  const deliveryTime = histogram('fleetgate_webhook_delivery_duration_seconds', 'Webhook delivery attempts, by outcome.', ['outcome'], DELIVERY_BUCKETS);
  const http = histogram('fleetgate_http_request_duration_seconds', 'HTTP requests served, by method, route template and status code.', ['method', 'route', 'status_code'], HTTP_BUCKETS);

  new Gauge({
    name: 'fleetgate_queue_operations',
    help: 'Pending operations now (every process sees the one queue), by state (queued; running: leased) and due (a worker may claim it now).',
    labelNames: ['state', 'due'],
    registers: [registry],
    // Read at scrape time, on the database's clock, with the claim's own conditions (machine.ts claimDue):
    // not due while its back-off runs, its connection is paused or failed, or its rate class has no slot.
    // (An update waiting behind an earlier write to its record counts as due: that check is per pair.)
    async collect() {
      const res = (await db().execute(sql`
        SELECT (o.lease_until IS NOT NULL AND o.lease_until >= now()) AS running,
               (o.next_attempt_at <= now()
                AND NOT EXISTS (SELECT 1 FROM connections c WHERE c.id = o.connection_id AND c.status IN ('paused', 'failed'))
                AND NOT EXISTS (SELECT 1 FROM rate_limits r WHERE r.connection_id = o.connection_id AND r.rate_class = o.rate_class
                                   AND (r.next_at > now() OR r.paused_until > now()))) AS due,
               count(*)::int AS n
          FROM resource_operations o WHERE o.status = 'pending'
         GROUP BY 1, 2`)) as unknown as { rows: Array<{ running: boolean; due: boolean; n: number }> };
      this.reset();
      // Every series present, zero or not (a leased operation is never due: its lease is live).
      for (const [state, due] of [['queued', 'true'], ['queued', 'false'], ['running', 'false']] as const) this.set({ state, due }, 0);
      for (const r of res.rows) this.inc({ state: r.running ? 'running' : 'queued', due: String(!r.running && r.due) }, Number(r.n));
    },
  });

  const offs = [
    events.on('operation:submit', (e) => accepted.inc({ resource: e.resource, tsp: e.tsp, mode: 'async' })),
    events.on('operation:submit_sync', (e) => accepted.inc({ resource: e.resource, tsp: e.tsp, mode: 'sync' })),
    events.on('operation:transition', (e) => {
      const outcome = FINISHED[e.transition as keyof typeof FINISHED];
      if (outcome) finished.inc({ resource: e.resource, tsp: e.tsp, outcome });
    }),
    events.on('operation:attempt', (e) => attempts.observe({ tsp: e.tsp, status_class: statusClass(e.statusCode) }, e.durationMs / 1000)),
    events.on('ratelimit:wait', (e) => waits.inc({ tsp: e.tsp, rate_class: e.rateClass, outcome: e.outcome })),
    events.on('ratelimit:pause', (e) => {
      pauses.inc({ tsp: e.tsp, rate_class: e.rateClass });
      pausedSeconds.inc({ tsp: e.tsp, rate_class: e.rateClass }, e.pauseMs / 1000);
    }),
    events.on('webhook:delivery', (e) => {
      deliveries.inc({ event_name: e.eventName, outcome: e.outcome });
      deliveryTime.observe({ outcome: e.outcome }, e.durationMs / 1000);
    }),
  ];

  return {
    registry,
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    timeRequests(app) {
      app.addHook('onResponse', (request, reply, done) => {
        // A request no route matched has no template: one series for all of them.
        const route = request.routeOptions.url ?? 'unmatched';
        http.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
        done();
      });
    },
    close() {
      for (const off of offs) off();
    },
  };
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * FLEETGATE_METRICS_PORT: GET /metrics alone on its own listener, without a token (bind it where only
 * the scraper reaches). A failed scrape (the database down) is a 503, so Prometheus marks the target down.
 */
export async function serveMetrics(metrics: Metrics, host: string, port: number, onError?: (err: unknown) => void): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    metrics.scrape().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      // The cause goes to the log, not to whoever can reach the port (a driver error may name hosts or users).
      (err: unknown) => {
        onError?.(err);
        res.writeHead(503, { 'content-type': 'text/plain' }).end('metrics unavailable (the database did not answer; see the log)\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown === '0.0.0.0' ? '127.0.0.1' : shown}:${bound}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
