// Several worker processes on one PostgreSQL: every operation executed exactly once, and a worker
// killed mid-run (SIGKILL) leaves nothing stuck and nothing duplicated.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { parseConfig } from '../src/platform/config.ts';
import { createConnection } from '../src/accounts/connections.ts';
import { createPartner } from '../src/accounts/partners.ts';
import { PRODUCT_CATALOG } from '../src/catalog.ts';
import { submitWrite } from '../src/engine/submit.ts';
import { userResource } from '../src/resources/users.ts';
import { startMotiveSandbox } from '../src/sandbox/motive/index.ts';
import { createLogger, createServices } from '../src/platform/services.ts';
import type { Services } from '../src/platform/services.ts';
import { freshPgDatabase } from './helpers/pgdb.ts';
import { cli } from './helpers/proc.ts';
import { until } from './helpers/receiver.ts';

const skip = !process.env.TEST_DATABASE_URL && 'needs PostgreSQL (TEST_DATABASE_URL)';

describe('worker processes on PostgreSQL', { skip }, () => {
  let db: Awaited<ReturnType<typeof freshPgDatabase>>;
  let services: Services;
  let sandbox: Awaited<ReturnType<typeof startMotiveSandbox>>;
  let env: Record<string, string>;
  let partnerId: string;

  before(async () => {
    db = await freshPgDatabase();
    env = {
      DATABASE_URL: db.url,
      FLEETGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      FLEETGATE_SYNC_TIMEOUT_MS: '1000',
      FLEETGATE_LEASE_MS: '3000',
      FLEETGATE_RETRY_BASE_MS: '100',
      FLEETGATE_ALLOW_PRIVATE_URLS: 'true',
      LOG_LEVEL: 'warn',
    };
    services = await createServices(parseConfig(env), { logger: createLogger('silent') });
    sandbox = await startMotiveSandbox({ port: 0 });
    partnerId = (await createPartner(services.database.db, 'load')).id;
  });
  after(async () => {
    await services?.close();
    await sandbox?.close();
    await db?.drop();
  });

  async function connectionWithOps(count: number, latencyMs: number) {
    const { api_key } = sandbox.state.createAccount();
    const headers = { 'x-api-key': api_key, 'content-type': 'application/json' };
    await fetch(`${sandbox.url}/_sandbox/settings`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ rate_limit_per_minute: 1_000_000, latency_ms: latencyMs }),
    });
    const conn = await createConnection(services, partnerId, {
      tsp: 'motive',
      base_url: sandbox.url,
      credentials: { api_key },
      rate_limit_per_minute: 1_000_000,
    });
    const ids: string[] = [];
    for (let i = 0; i < count; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, (_, j) =>
          submitWrite(services, PRODUCT_CATALOG, {
            partnerId,
            resource: userResource,
            operation: 'create',
            body: { connection_id: conn.id, first_name: 'Load', last_name: `L${i + j}`, phone_country_code: '+1' },
            isSync: false,
          }),
        ),
      );
      ids.push(...batch.map((r) => r.operation.id));
    }
    const usersAt = async () => {
      const seen: Array<{ external_ids: Array<{ external_id: string }> }> = [];
      for (let page = 1; ; page++) {
        const res = await fetch(`${sandbox.url}/v1/users?per_page=100&page_no=${page}`, { headers });
        const body = (await res.json()) as { users: Array<{ user: (typeof seen)[number] }> };
        seen.push(...body.users.map((u) => u.user));
        if (body.users.length < 100) return seen;
      }
    };
    return { connectionId: conn.id, ids, usersAt };
  }

  const counts = async (connectionId: string) => {
    const res = (await services.database.db.execute(sql`
      SELECT status, count(*)::int AS n FROM resource_operations WHERE connection_id = ${connectionId} GROUP BY status`)) as unknown as {
      rows: Array<{ status: string; n: number }>;
    };
    return Object.fromEntries(res.rows.map((r) => [r.status, r.n])) as Record<string, number>;
  };

  test('a write accepted in this process is attempted by a worker process within 200 ms (NOTIFY), not at its 30 s poll', async () => {
    const { connectionId } = await connectionWithOps(0, 0);
    const worker = cli(['worker', '--concurrency', '2', '--poll-ms', '30000'], { ...env, LOG_LEVEL: 'info' });
    try {
      await worker.waitFor(/fleetgate worker started/, 30_000);
      // The worker's first look (at start) found nothing; from here on only a wake-up can bring it back.
      await new Promise((r) => setTimeout(r, 1_500));
      const delays: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { operation } = await submitWrite(services, PRODUCT_CATALOG, {
          partnerId,
          resource: userResource,
          operation: 'create',
          body: { connection_id: connectionId, first_name: 'Wake', last_name: `W${i}`, phone_country_code: '+1' },
          isSync: false,
        });
        await until(async () => ((await counts(connectionId)).success ?? 0) === i + 1, 10_000, 'the worker to run it');
        // When the attempt started, on the database's clock: its log row's time less the call's duration.
        const res = (await services.database.db.execute(sql`
          SELECT EXTRACT(EPOCH FROM (l.created_at - o.created_at)) * 1000 - l.duration_ms AS delay_ms
            FROM operation_logs l JOIN resource_operations o ON o.id = l.resource_operation_id
           WHERE o.id = ${operation.id}`)) as unknown as { rows: Array<{ delay_ms: number | string }> };
        delays.push(Number(res.rows[0]!.delay_ms));
      }
      for (const d of delays) assert.ok(d < 200, `attempt started ${d.toFixed(0)} ms after acceptance: ${delays.map((x) => x.toFixed(0)).join(', ')}`);
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  });

  test('two worker processes drain 2,000 operations, each executed exactly once', async () => {
    const { connectionId, ids, usersAt } = await connectionWithOps(2000, 0);
    const workers = [cli(['worker', '--concurrency', '8'], env), cli(['worker', '--concurrency', '8'], env)];
    try {
      await until(async () => ((await counts(connectionId)).success ?? 0) === ids.length, 120_000, 'all operations to succeed');
      const logs = (await services.database.db.execute(sql`
        SELECT count(*)::int AS n, count(DISTINCT resource_operation_id)::int AS ops FROM operation_logs l
          JOIN resource_operations o ON o.id = l.resource_operation_id WHERE o.connection_id = ${connectionId}`)) as unknown as {
        rows: Array<{ n: number; ops: number }>;
      };
      assert.deepEqual(logs.rows[0], { n: 2000, ops: 2000 }, 'one attempt per operation');
      const users = await usersAt();
      assert.equal(users.length, 2000, 'one user per operation at the TSP');
      assert.equal(new Set(users.map((u) => u.external_ids[0]!.external_id)).size, 2000);
      const owners = (await services.database.db.execute(sql`SELECT count(*)::int AS n FROM resource_operations WHERE lease_owner IS NOT NULL`)) as unknown as {
        rows: Array<{ n: number }>;
      };
      assert.equal(owners.rows[0]!.n, 0, 'no lease left behind');
    } finally {
      for (const w of workers) w.child.kill('SIGTERM');
      const codes = await Promise.all(workers.map((w) => w.exited));
      assert.deepEqual(codes, [0, 0], 'SIGTERM: finish in-flight attempts and exit cleanly');
    }
  });

  test('a worker killed with SIGKILL mid-run: another finishes its operations, nothing duplicated', async () => {
    const { connectionId, ids, usersAt } = await connectionWithOps(300, 40);
    const victim = cli(['worker', '--concurrency', '8'], env);
    const survivor = cli(['worker', '--concurrency', '8'], env);
    try {
      await until(async () => ((await counts(connectionId)).success ?? 0) >= 40, 60_000, 'work to be under way');
      victim.child.kill('SIGKILL');
      await victim.exited;
      await until(async () => ((await counts(connectionId)).success ?? 0) === ids.length, 90_000, 'the survivor to finish everything');
      const c = await counts(connectionId);
      assert.deepEqual(c, { success: ids.length });
      const users = await usersAt();
      assert.equal(users.length, ids.length, 'no user created twice');
      assert.equal(new Set(users.map((u) => u.external_ids[0]!.external_id)).size, ids.length);
    } finally {
      survivor.child.kill('SIGTERM');
      await survivor.exited;
    }
  });
});
