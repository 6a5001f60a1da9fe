// drain: N queued operations drained by 1 and by 2 `fleetgate worker` processes on PostgreSQL, and by
// the bare worker baseline (bench/bare-worker.ts: claim with SKIP LOCKED, call, mark done), with the
// sandbox (`fleetgate simulate motive`, its own process) answering after 0 ms and after 50 ms, and
// every rate limit raised out of the way. Figure: operations per second, from the first operation's
// end to the last one's (database clock: attempt logs for fleetgate, updated_at for the bare worker,
// which keeps no log), plus wall time and each process's peak RSS and CPU.
//
// Queueing: the first operation of each connection goes through the API (POST /v2/telematics/users);
// the rest are copies of that row made in SQL with distinct ids and user fields, so the queue is
// filled in a second rather than minutes. The operations are spread over `--connections` connections
// (one sandbox account each): a sandbox account checks uniqueness against all its users on every
// create (O(users)), and one connection's GCRA cell spaces calls at least 1 ms apart.
import path from 'node:path';
import pg from 'pg';
import type { Flags, Proc } from './lib.ts';
import type { Figure } from './targets.ts';
import { printFigures } from './targets.ts';
import {
  ROOT,
  api,
  bootstrapToken,
  startMotiveSandbox,
  freshPostgres,
  load,
  log,
  machine,
  migrateDb,
  motiveConnection,
  num,
  postgresVersion,
  printTable,
  round,
  serveFleetgate,
  sleep,
  spawnNode,
  str,
  userBody,
  writeResult,
  profileArgs,
} from './lib.ts';

interface Row {
  target: 'fleetgate' | 'bare';
  workers: number;
  latency_ms: number;
  ops: number;
  ops_per_s: number;
  drain_s: number;
  wall_s: number;
  succeeded: number;
  failed: number;
  attempts: number;
  worker_cpu_ms_per_op: number;
  worker_peak_rss_mib: string;
  sandbox_peak_rss_mib: number;
  load_1m: number;
}

export async function run(flags: Flags): Promise<Figure[]> {
  const quick = flags.quick === true;
  const o = {
    ops: num(flags, 'ops', quick ? 1000 : 10_000),
    connections: num(flags, 'connections', 10),
    concurrency: num(flags, 'concurrency', 16),
    workers: str(flags, 'workers', 'bare,1,2').split(','),
    latencies: str(flags, 'latency', '0,50').split(',').map(Number),
    timeout: num(flags, 'timeout', 300),
  };
  const startLoad = load();
  const db = await freshPostgres();
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => {});
  const rows: Row[] = [];
  let sandbox: Proc | undefined;
  let fg: Awaited<ReturnType<typeof serveFleetgate>> | undefined;
  try {
    await migrateDb(db);
    await client.connect();
    const started = await startMotiveSandbox();
    sandbox = started.proc;
    const sandboxBase = started.base;
    // The API only queues (--no-worker) and is idle while the workers drain.
    fg = await serveFleetgate({ ...db.env, LOG_LEVEL: 'warn' }, ['--no-worker']);
    const { token } = await bootstrapToken(fg.url);

    for (const latency of o.latencies) {
      for (const who of o.workers) {
        const bare = who === 'bare';
        const workers = bare ? 1 : Number(who);
        // Queue: per connection, one operation through the API, then SQL copies of its row.
        const perConn = Math.ceil(o.ops / o.connections);
        const connIds: string[] = [];
        const apiKeys: Record<string, string> = {};
        let queued = 0;
        for (let c = 0; c < o.connections && queued < o.ops; c++) {
          const { connectionId, apiKey } = await motiveConnection(fg.url, token, {
            sandboxBase,
            sandboxLimit: 1_000_000,
            latencyMs: latency,
            connectionLimit: 100_000,
          });
          connIds.push(connectionId);
          apiKeys[connectionId] = apiKey;
          const tag = `${latency}-${who}-${c}`;
          const first = await api(fg.url, 'POST', '/v2/telematics/users', { token, json: userBody(connectionId, `${tag}-0`) });
          if (first.status !== 202) throw new Error(`queue: ${first.status} ${JSON.stringify(first.body)}`);
          const n = Math.min(perConn, o.ops - queued);
          await client.query(
            `INSERT INTO resource_operations
               (id, partner_id, connection_id, source_name, fleet_ref, resource, operation_type, payload, dropped_fields, resource_id, is_sync, attempts, next_attempt_at)
             SELECT gen_random_uuid(), partner_id, connection_id, source_name, fleet_ref, resource, operation_type,
                    payload || jsonb_build_object('last_name', 'User ' || $2::text || '-' || g,
                                                  'user_email', 'bench.user.' || $2::text || '-' || g || '@example.com',
                                                  'license_number', 'D' || lpad(g::text, 7, '0')),
                    dropped_fields, gen_random_uuid(), false, 0, now()
               FROM resource_operations, generate_series(1, $3::int - 1) g
              WHERE id = $1`,
            [first.body.id, tag, n],
          );
          queued += n;
        }
        const pending = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM resource_operations WHERE status = 'pending' AND connection_id = ANY($1::uuid[])`,
          [connIds],
        );
        if (pending.rows[0]!.n !== o.ops) throw new Error(`queued ${pending.rows[0]!.n}, expected ${o.ops}`);

        const loadAt = load()[0];
        log(`drain: ${o.ops} ops, ${bare ? 'the bare worker' : `${workers} worker(s)`} x concurrency ${o.concurrency}, sandbox latency ${latency} ms`);
        const t0 = Date.now();
        const procs = bare
          ? [
              spawnNode(
                'bare worker',
                [],
                { DATABASE_URL: db.url, SANDBOX_BASE: sandboxBase, BARE_API_KEYS: JSON.stringify(apiKeys), CONCURRENCY: String(o.concurrency) },
                path.join(ROOT, 'bench/bare-worker.ts'),
              ),
            ]
          : Array.from({ length: workers }, (_, i) =>
              spawnNode(
                `worker ${i + 1}`,
                ['worker', '--concurrency', String(o.concurrency)],
                { FLEETGATE_ALLOW_PRIVATE_URLS: 'true', ...db.env, LOG_LEVEL: 'info' },
                undefined,
                profileArgs(flags),
              ),
            );
        let done = { succeeded: 0, failed: 0 };
        let stats: ReturnType<Proc['stats']>[] = [];
        let cpuAtStart: number[] = [];
        try {
          await Promise.all(procs.map((p) => p.waitFor(bare ? /bare worker started/ : /fleetgate worker started/)));
          cpuAtStart = procs.map((p) => p.stats()?.cpuSeconds ?? 0);
          for (;;) {
            const r = await client.query<{ s: number; f: number }>(
              `SELECT count(*) FILTER (WHERE status = 'success')::int AS s, count(*) FILTER (WHERE status = 'failed')::int AS f
                 FROM resource_operations WHERE connection_id = ANY($1::uuid[])`,
              [connIds],
            );
            done = { succeeded: r.rows[0]!.s, failed: r.rows[0]!.f };
            if (done.succeeded + done.failed >= o.ops) break;
            if (Date.now() - t0 > o.timeout * 1000) {
              log(`drain: timed out after ${o.timeout} s with ${done.succeeded + done.failed} of ${o.ops} done`);
              break;
            }
            await sleep(200);
          }
        } finally {
          stats = procs.map((p) => p.stats());
          await Promise.all(procs.map((p) => p.stop()));
        }
        const wall = (Date.now() - t0) / 1000;
        const span = await client.query<{ span_s: number; attempts: number }>(
          bare
            ? `SELECT EXTRACT(EPOCH FROM max(updated_at) - min(updated_at))::float8 AS span_s, sum(attempts)::int AS attempts
                 FROM resource_operations WHERE connection_id = ANY($1::uuid[]) AND status <> 'pending'`
            : `SELECT EXTRACT(EPOCH FROM max(l.created_at) - min(l.created_at))::float8 AS span_s, count(*)::int AS attempts
                 FROM operation_logs l JOIN resource_operations o ON o.id = l.resource_operation_id
                WHERE o.connection_id = ANY($1::uuid[])`,
          [connIds],
        );
        const drainS = span.rows[0]!.span_s;
        rows.push({
          target: bare ? 'bare' : 'fleetgate',
          workers,
          latency_ms: latency,
          ops: o.ops,
          ops_per_s: round((done.succeeded + done.failed) / drainS, 0),
          drain_s: round(drainS, 2),
          wall_s: round(wall, 2),
          succeeded: done.succeeded,
          failed: done.failed,
          attempts: span.rows[0]!.attempts,
          worker_cpu_ms_per_op: round(
            (stats.reduce((a, s, i) => a + (s?.cpuSeconds ?? 0) - (cpuAtStart[i] ?? 0), 0) * 1000) / Math.max(1, done.succeeded + done.failed),
            2,
          ),
          worker_peak_rss_mib: stats.map((s) => s?.peakRssMiB ?? NaN).join(' / '),
          sandbox_peak_rss_mib: sandbox.stats()?.peakRssMiB ?? NaN,
          load_1m: loadAt,
        });
        printTable('drain (so far)', [rows.at(-1)!] as never);
      }
    }
  } finally {
    await fg?.stop();
    await sandbox?.stop();
    await client.end().catch(() => {});
    await db.drop();
  }
  printTable(
    `drain: ${o.ops} queued operations on PostgreSQL, ${o.connections} connections, worker --concurrency ${o.concurrency}`,
    rows as never,
  );
  const figures = drainFigures(rows);
  printFigures('drain: figures and targets', figures);
  writeResult('drain', {
    bench: 'drain',
    at: new Date().toISOString(),
    machine: { ...machine(), postgres: await postgresVersion() },
    load_at_start: startLoad,
    load_at_end: load(),
    options: o,
    results: rows,
    figures,
  });
  return figures;
}

function drainFigures(rows: Row[]): Figure[] {
  const at = (target: Row['target'], workers: number, latency: number) => rows.find((r) => r.target === target && r.workers === workers && r.latency_ms === latency);
  const out: Figure[] = [];
  const one = at('fleetgate', 1, 0);
  const bare = at('bare', 1, 0);
  if (one && bare) {
    out.push({
      figure: 'drain at 0 ms, PostgreSQL: 1 worker / bare worker (ops/s)',
      fleetgate: one.ops_per_s,
      baseline: bare.ops_per_s,
      value: one.ops_per_s / bare.ops_per_s,
      target: { op: '>=', bound: 0.6 },
      load_1m: one.load_1m,
    });
  }
  const one50 = at('fleetgate', 1, 50);
  const two50 = at('fleetgate', 2, 50);
  if (one50 && two50) {
    out.push({
      figure: 'drain at 50 ms, PostgreSQL: 2 workers / 1 worker (ops/s)',
      fleetgate: two50.ops_per_s,
      baseline: one50.ops_per_s,
      value: two50.ops_per_s / one50.ops_per_s,
      target: { op: '>=', bound: 1.7 },
      load_1m: two50.load_1m,
    });
  }
  return out;
}
