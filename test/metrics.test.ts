// GET /metrics after a scripted run through the Motive sandbox: writes that succeed, one the TSP
// refuses, a 429 that pauses the connection's class (and the wait it causes), a queued write, webhook
// deliveries. Each series must have moved exactly as the run says.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import type { EngineEventMap } from '../src/engine/events.ts';
import { createMetrics, serveMetrics } from '../src/http/metrics.ts';
import { parseConfig } from '../src/platform/config.ts';
import { TypedEmitter } from '../src/platform/events.ts';
import { closeSandboxStates } from '../src/sandbox/registry.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection } from './helpers/motive.ts';
import { cli, serve } from './helpers/proc.ts';
import { startReceiver, until } from './helpers/receiver.ts';

const ADMIN = 'metrics-admin-token-0123456789';
const USERS = '/v2/telematics/users';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (no escaped quotes in fleetgate's label values). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of a series over the samples whose labels include `labels`. */
const total = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);

for (const kind of testDbKinds()) {
  describe(`Prometheus metrics (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    let m: MotiveFixture;
    let worker: Worker | undefined;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    const scrape = async () => {
      const res = await call(t, 'GET', '/metrics', { headers: { authorization: `Bearer ${ADMIN}` } });
      assert.equal(res.status, 200, res.text);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      return parse(res.text);
    };
    const syncUser = async (lastName: string) => {
      const res = await call(t, 'POST', `${USERS}?is_sync=true`, {
        token: p.token,
        json: { connection_id: m.connectionId, first_name: 'Metric', last_name: lastName, phone_country_code: '+1' },
      });
      return res;
    };

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_ADMIN_TOKEN: ADMIN, FLEETGATE_RETRY_BASE_MS: '50' } });
      p = await newPartner(t);
      m = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      receiver = await startReceiver();
    });
    after(async () => {
      await worker?.stop();
      await receiver?.close();
      await t?.close();
    });

    test('only the admin token reads /metrics', async () => {
      assert.equal((await call(t, 'GET', '/metrics')).status, 401);
      assert.equal((await call(t, 'GET', '/metrics', { token: p.token })).status, 401, "a partner's token is not the operator's");
    });

    test('after a scripted run every series moved as the run says', async () => {
      const hook = await call(t, 'POST', '/v2/notifications/webhooks', {
        token: p.token,
        json: { url: receiver.url, event_name: 'resource_operation.succeeded' },
      });
      assert.equal(hook.status, 200, hook.text);
      const before = await scrape();

      // Two writes the TSP accepts.
      for (const name of ['Ok-1', 'Ok-2']) assert.equal((await syncUser(name)).body.status, 'success');
      // One it refuses (422): a final failure.
      await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'Validation failed' } });
      assert.equal((await syncUser('Refused')).body.status, 'failed');
      // A 429 with Retry-After: 1: the connection's class pauses for a second, and this sync write fails.
      await m.sandbox('POST', '/_sandbox/faults', { status: 429, headers: { 'retry-after': '1' }, body: { error_message: 'Rate limit exceeded' } });
      const limited = await syncUser('Limited');
      assert.equal(limited.body.status, 'failed', limited.text);
      assert.equal(limited.body.logs[0].response_status_code, 429);
      // The next sync write waits out the pause for its slot (within its budget), then goes through.
      const started = Date.now();
      assert.equal((await syncUser('After-pause')).body.status, 'success');
      assert.ok(Date.now() - started >= 500, 'it waited for the pause to end');
      // A queued write, no worker yet: the queue has one due operation.
      const queued = await call(t, 'POST', USERS, { token: p.token, json: { connection_id: m.connectionId, first_name: 'Q', last_name: 'Queued', phone_country_code: '+1' } });
      assert.equal(queued.status, 202, queued.text);
      const mid = await scrape();
      assert.equal(total(mid, 'fleetgate_queue_operations', { state: 'queued', due: 'true' }), 1);
      assert.equal(total(mid, 'fleetgate_queue_operations', { state: 'running' }), 0);

      // The worker runs the queued write and delivers the four successes' webhooks.
      worker = startWorker(t.services, { pollMs: 25 });
      await until(() => receiver.received.length >= 4, 15_000, 'four webhook deliveries');
      await until(async () => total(await scrape(), 'fleetgate_webhook_deliveries_total') >= 4, 5_000, 'the deliveries recorded');
      const after = await scrape();
      const moved = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);

      const user = { resource: 'user', tsp: 'motive' };
      assert.equal(moved('fleetgate_operations_accepted_total', { ...user, mode: 'sync' }), 5);
      assert.equal(moved('fleetgate_operations_accepted_total', { ...user, mode: 'async' }), 1);
      assert.equal(moved('fleetgate_operations_finished_total', { ...user, outcome: 'success' }), 4);
      assert.equal(moved('fleetgate_operations_finished_total', { ...user, outcome: 'failed' }), 2);
      assert.equal(moved('fleetgate_operations_finished_total', { outcome: 'cancelled' }), 0);
      assert.equal(moved('fleetgate_operation_attempt_duration_seconds_count', { tsp: 'motive', status_class: '2xx' }), 4);
      assert.equal(moved('fleetgate_operation_attempt_duration_seconds_count', { tsp: 'motive', status_class: '4xx' }), 2);
      assert.ok(moved('fleetgate_operation_attempt_duration_seconds_sum', { tsp: 'motive' }) > 0);
      assert.equal(moved('fleetgate_rate_limit_pauses_total', { tsp: 'motive', rate_class: 'default' }), 1);
      assert.equal(moved('fleetgate_rate_limit_paused_seconds_total', { tsp: 'motive', rate_class: 'default' }), 1);
      assert.ok(moved('fleetgate_rate_limit_waits_total', { tsp: 'motive', rate_class: 'default', outcome: 'slept' }) >= 1, 'the wait after the pause');
      assert.equal(moved('fleetgate_rate_limit_waits_total', { outcome: 'refused' }), 0);
      assert.equal(moved('fleetgate_webhook_deliveries_total', { event_name: 'resource_operation.succeeded', outcome: 'delivered' }), 4);
      assert.equal(moved('fleetgate_webhook_deliveries_total', { outcome: 'retry' }), 0);
      assert.equal(moved('fleetgate_webhook_delivery_duration_seconds_count', { outcome: 'delivered' }), 4);
      assert.equal(total(after, 'fleetgate_queue_operations', { state: 'queued', due: 'true' }), 0, 'the queue drained');

      // Requests by route template: the three accepted sync writes (200) and the two failed ones (502).
      const http = 'fleetgate_http_request_duration_seconds_count';
      assert.equal(moved(http, { method: 'POST', route: USERS, status_code: '200' }), 3);
      assert.equal(moved(http, { method: 'POST', route: USERS, status_code: '502' }), 2);
      assert.equal(moved(http, { method: 'POST', route: USERS, status_code: '202' }), 1);
      assert.ok(total(after, http, { route: '/v2/integrations/connections' }) >= 1, 'the connection made before the run');
      const routes = new Set(after.filter((s) => s.name === http).map((s) => s.labels.route));
      assert.ok(![...routes].some((r) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(r!)), `no raw ids in routes: ${[...routes].join(' ')}`);
    });

    test("the queue's due-ness is the claim's: a write with no slot under its connection's limit is queued, not due", async () => {
      worker ??= startWorker(t.services, { pollMs: 25 });
      const slow = await motiveConnection(t, p);
      const patched = await call(t, 'PATCH', `/v2/integrations/connections/${slow.connectionId}`, { token: p.token, json: { rate_limit_per_minute: 1 } });
      assert.equal(patched.status, 200, patched.text);
      const admin = { authorization: `Bearer ${ADMIN}` };
      const write = async (name: string) =>
        (await call(t, 'POST', USERS, { token: p.token, json: { connection_id: slow.connectionId, first_name: 'Slow', last_name: name, phone_country_code: '+1' } })).body.id as string;
      const first = await write('First');
      await until(async () => (await call(t, 'GET', `/admin/v1/resource-operations/${first}`, { headers: admin })).body.status === 'success', 10_000, 'the first write');
      // One call a minute: the second waits for its slot, which the claim will not take before it comes.
      const second = await write('Second');
      const samples = await scrape();
      assert.equal(total(samples, 'fleetgate_queue_operations', { state: 'queued', due: 'false' }), 1);
      assert.equal(total(samples, 'fleetgate_queue_operations', { state: 'queued', due: 'true' }), 0);
      // Cancelled, it leaves the queue.
      assert.equal((await call(t, 'POST', `/admin/v1/resource-operations/${second}/cancel`, { headers: admin })).status, 200);
      assert.equal(total(await scrape(), 'fleetgate_queue_operations'), 0);
    });

    test('with FLEETGATE_METRICS_PORT the API has no /metrics; the metrics listener serves them without a token', async () => {
      const separate = await startTestApp(kind, { env: { FLEETGATE_ADMIN_TOKEN: ADMIN, FLEETGATE_METRICS_PORT: '0' }, database: t.database });
      const metrics = createMetrics(separate.services.events, () => separate.services.database.db);
      const server = await serveMetrics(metrics, '127.0.0.1', 0);
      try {
        assert.equal((await call(separate, 'GET', '/metrics', { headers: { authorization: `Bearer ${ADMIN}` } })).status, 404);
        const res = await request(server.url);
        assert.equal(res.statusCode, 200);
        const samples = parse(await res.body.text());
        assert.ok(samples.some((s) => s.name === 'fleetgate_queue_operations'), 'the queue, read from the database');
        const other = await request(server.url.replace('/metrics', '/other'));
        assert.equal(other.statusCode, 404);
        await other.body.dump();
      } finally {
        metrics.close();
        await server.close();
        // Not separate.close(): the database is the suite's.
        await separate.app.close();
        await closeSandboxStates(separate.sandboxes);
      }
    });
  });
}

describe('the metrics listener', () => {
  test('binds loopback unless FLEETGATE_METRICS_HOST says otherwise (it asks for no token)', () => {
    assert.equal(parseConfig({ HOST: '0.0.0.0', FLEETGATE_METRICS_PORT: '9464' }).metricsHost, '127.0.0.1');
    assert.equal(parseConfig({ FLEETGATE_METRICS_HOST: '0.0.0.0' }).metricsHost, '0.0.0.0');
  });

  test('a failed scrape is a 503 that tells the log the cause, not the caller', async () => {
    const cause = 'connect ECONNREFUSED db.internal:5432 (user fleet_rw)';
    const broken = { execute: async () => Promise.reject(new Error(cause)) } as unknown as ReturnType<Parameters<typeof createMetrics>[1]>;
    const metrics = createMetrics(new TypedEmitter<EngineEventMap>(), () => broken);
    const logged: unknown[] = [];
    const server = await serveMetrics(metrics, '127.0.0.1', 0, (err) => logged.push(err));
    try {
      const res = await request(server.url);
      const text = await res.body.text();
      assert.equal(res.statusCode, 503);
      assert.equal(text.includes('db.internal') || text.includes('fleet_rw'), false, text);
      assert.equal((logged[0] as Error | undefined)?.message, cause);
    } finally {
      metrics.close();
      await server.close();
    }
  });
});

describe('FLEETGATE_METRICS_PORT in real processes', () => {
  const scrapeAt = async (url: string) => {
    const res = await request(url);
    assert.equal(res.statusCode, 200);
    return parse(await res.body.text());
  };

  test('fleetgate serve: the metrics listener serves them without a token, the API port has no /metrics', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetgate-metrics-'));
    const server = await serve({ FLEETGATE_DATA_DIR: dataDir, FLEETGATE_ADMIN_TOKEN: ADMIN, FLEETGATE_METRICS_PORT: '0' });
    try {
      const listening = JSON.parse(await server.waitFor(/"msg":"fleetgate listening"/));
      assert.match(listening.metrics, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      assert.notEqual(new URL(listening.metrics).port, new URL(server.url).port);
      assert.equal((await call(server, 'GET', '/metrics', { headers: { authorization: `Bearer ${ADMIN}` } })).status, 404);
      assert.equal((await call(server, 'GET', '/healthz')).status, 200);
      const samples = await scrapeAt(listening.metrics);
      assert.ok(total(samples, 'fleetgate_http_request_duration_seconds_count', { route: '/healthz' }) >= 1, 'the API process counts its requests there');
      assert.ok(samples.some((s) => s.name === 'process_cpu_user_seconds_total'), "the process's own metrics");
    } finally {
      assert.equal(await server.stop(), 0);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('fleetgate worker (PostgreSQL): the worker process serves its own series', { skip: !process.env.TEST_DATABASE_URL && 'a separate worker process needs PostgreSQL (TEST_DATABASE_URL)' }, async () => {
    const worker = cli(['worker'], {
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      FLEETGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      FLEETGATE_METRICS_PORT: '0',
    });
    try {
      const started = JSON.parse(await worker.waitFor(/"msg":"fleetgate worker started"/));
      const samples = await scrapeAt(started.metrics);
      assert.ok(samples.some((s) => s.name === 'fleetgate_queue_operations' && s.labels.state === 'queued'), 'the queue, read from the database');
      assert.ok(samples.some((s) => s.name === 'process_cpu_user_seconds_total'), "the worker process's own process metrics");
    } finally {
      worker.child.kill('SIGTERM');
      assert.equal(await worker.exited, 0);
    }
  });
});
