// retention: one retention pass (src/engine/retention.ts) over a backlog, in-process on a fresh database.
// Seeds `ops` operations that ended 31 days ago, each with one attempt log, an expired idempotency key and
// two delivered webhook deliveries with one attempt each, beside `keep` recent ended operations and
// `keep` pending ones (which must stay; 100 of them a month old). Reports rows deleted per second, the
// time of the longest single statement (how long any row lock is held), PGlite's VACUUM at the end of the
// pass, a pass with nothing left to delete (the steady state, every interval), table sizes before and
// after, and (--rounds N) the size of the files after N rounds of seed and pass. A figure, never pass/fail.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database } from '../src/db/client.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { runRetention } from '../src/engine/retention.ts';
import type { RetentionCounts } from '../src/engine/retention.ts';
import type { Flags } from './lib.ts';
import { DEFAULT_PG_URL, freshDb, load, log, machine, num, percentile, postgresVersion, printTable, round, str, writeResult } from './lib.ts';

const TABLES = ['resource_operations', 'operation_logs', 'idempotency_keys', 'webhook_deliveries', 'webhook_attempts'] as const;
type Rows<T> = { rows: T[] };
/** Pending operations a month old (a paused connection's queue): they stay like every pending one. */
const OLD_PENDING = 100;

async function postgresAutovacuum(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL });
  try {
    await c.connect();
    return String((await c.query('SHOW autovacuum')).rows[0]?.autovacuum);
  } catch {
    return undefined;
  } finally {
    await c.end().catch(() => {});
  }
}

export async function seed(database: Database, ops: number, keep: number): Promise<void> {
  const db = database.db;
  const q = (s: ReturnType<typeof sql>) => db.execute(s);
  const [partner] = ((await q(sql`INSERT INTO partners (name) VALUES ('bench') RETURNING id`)) as unknown as Rows<{ id: string }>).rows;
  const [conn] = ((await q(sql`
    INSERT INTO connections (partner_id, tsp, sandbox, credentials_sealed, credentials_masked)
    VALUES (${partner!.id}, 'motive', true, 'sealed', '{}'::jsonb) RETURNING id`)) as unknown as Rows<{ id: string }>).rows;
  const [hook] = ((await q(sql`
    INSERT INTO webhooks (partner_id, url, event_name, secret_sealed)
    VALUES (${partner!.id}, 'https://example.com/hook', 'resource_operation.created', 'sealed') RETURNING id`)) as unknown as Rows<{ id: string }>).rows;
  // A 10-field user, as the submit benchmark sends it.
  const payload = sql`jsonb_build_object('connection_id', ${conn!.id}::text, 'first_name', 'Bench', 'last_name', 'User ' || g,
    'user_email', 'bench.user.' || g || '@example.com', 'phone_number', '4155550100', 'phone_country_code', '+1',
    'driver_company_id', 'D-' || g, 'license_number', 'L' || g, 'license_state', 'CA', 'notes', 'seeded by bench/retention.ts')`;
  // Ended a month ago (gone after the pass), ended lately and pending (all stay: a few of these a month old).
  for (const [count, status, age] of [
    [ops, 'success', '31 days'],
    [keep, 'success', '1 hour'],
    [Math.max(0, keep - OLD_PENDING), 'pending', '10 minutes'],
    [Math.min(OLD_PENDING, keep), 'pending', '31 days'],
  ] as const) {
    if (count <= 0) continue;
    await q(sql`
      INSERT INTO resource_operations (partner_id, connection_id, source_name, resource, operation_type, payload, status, resource_id, source_id,
                                       attempts, next_attempt_at, created_at, updated_at)
      SELECT ${partner!.id}, ${conn!.id}, 'motive', 'user', 'create', ${payload}, ${status}::text, gen_random_uuid(), 'src-' || g,
             1, CASE WHEN ${status}::text = 'pending' THEN now() + interval '1 day' END,
             now() - ${age}::interval, now() - ${age}::interval
        FROM generate_series(1, ${count}) g`);
  }
  await q(sql`
    INSERT INTO operation_logs (resource_operation_id, attempt, status, response_status_code, response_headers, duration_ms, created_at, updated_at)
    SELECT id, 1, 'success', 201, '{"content-type":"application/json","x-request-id":"0123456789abcdef"}'::jsonb, 120, updated_at, updated_at
      FROM resource_operations o WHERE status = 'success'
       AND NOT EXISTS (SELECT 1 FROM operation_logs l WHERE l.resource_operation_id = o.id)`);
  await q(sql`
    INSERT INTO idempotency_keys (partner_id, key, request_hash, resource_operation_id, created_at)
    SELECT partner_id, 'key-' || id, md5(id::text) || md5(id::text), id, created_at FROM resource_operations o WHERE status = 'success'
       AND NOT EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.resource_operation_id = o.id)`);
  for (const event of ['resource_operation.created', 'resource_operation.succeeded']) {
    await q(sql`
      INSERT INTO webhook_deliveries (webhook_id, message_id, event_type, payload, status, attempts, last_status_code, created_at, updated_at)
      SELECT ${hook!.id}, md5(id || ${event}::text)::uuid::text, ${event}::text,
             jsonb_build_object('version', '1.0', 'event_name', ${event}::text, 'data', jsonb_build_array(payload), 'timestamp', updated_at),
             'delivered', 1, 204, updated_at, updated_at
        FROM resource_operations o WHERE status = 'success'
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.message_id = md5(o.id || ${event}::text)::uuid::text)`);
  }
  await q(sql`
    INSERT INTO webhook_attempts (delivery_id, webhook_id, attempt, status_code, duration_ms, created_at)
    SELECT id, webhook_id, 1, 204, 35, created_at FROM webhook_deliveries d WHERE NOT EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.delivery_id = d.id)`);
  // What autovacuum would have done on a live database: the planner knows the tables.
  await database.exec('ANALYZE');
}

async function sizes(database: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const r = (await database.db.execute(sql`SELECT pg_total_relation_size(${t}::regclass) AS b, (SELECT count(*) FROM ${sql.identifier(t)}) AS n`)) as unknown as Rows<{ b: string | number; n: string | number }>;
    out[`${t}_bytes`] = Number(r.rows[0]!.b);
    out[`${t}_rows`] = Number(r.rows[0]!.n);
  }
  return out;
}

/** The database with every statement timed (each retention batch is one statement). */
function timed(database: Database, times: number[], vacuums: number[]): Database {
  const db = new Proxy(database.db, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop !== 'execute' || typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          times.push(performance.now() - t0);
        }
      };
    },
  });
  const exec = async (text: string) => {
    const t0 = performance.now();
    try {
      return await database.exec(text);
    } finally {
      vacuums.push(performance.now() - t0);
    }
  };
  return { ...database, db, exec } as Database;
}

async function pass(database: Database, batchSize: number) {
  const times: number[] = [];
  const vacuums: number[] = [];
  const t0 = performance.now();
  const counts: RetentionCounts = await runRetention({ database: timed(database, times, vacuums), config: { retention: { days: 30, webhookDays: 30, intervalMs: 60_000, batchSize } } });
  return { ms: performance.now() - t0, counts, times: times.sort((a, b) => a - b), vacuumMs: vacuums.reduce((a, b) => a + b, 0) };
}

export async function run(flags: Flags): Promise<void> {
  const quick = flags.quick === true;
  const o = {
    db: str(flags, 'db', 'pglite,postgres').split(','),
    ops: num(flags, 'ops', quick ? 2_000 : 20_000),
    keep: num(flags, 'keep', quick ? 2_000 : 20_000),
    batch: str(flags, 'batch', '500').split(',').map(Number),
    rounds: num(flags, 'rounds', 3),
    /** Seconds to wait after each round (PostgreSQL: give autovacuum, 1 min naptime by default, its turn). */
    settle: num(flags, 'settle', 0),
    /** PostgreSQL: VACUUM after each round, standing in for autovacuum where it is off (SHOW autovacuum). */
    pgVacuum: flags['pg-vacuum'] === true,
  };
  const rows: Array<Record<string, unknown>> = [];
  for (const kind of o.db) {
    for (const batchSize of o.batch) {
      const bench = await freshDb(kind);
      const database = await openDatabase(kind === 'postgres' ? { databaseUrl: bench.url } : { pgliteDir: `${bench.dataDir}/pglite` });
      try {
        await migrate(database);
        log(`${kind}: seeding ${o.ops} ended operations (+ logs, keys, 2 deliveries and their attempts each), ${o.keep} recent, ${o.keep} pending`);
        await seed(database, o.ops, o.keep);
        const before = await sizes(database);
        const loadBefore = load();
        const first = await pass(database, batchSize);
        const loadAfter = load();
        const after = await sizes(database);
        const steady = await pass(database, batchSize);
        // More rounds of the same backlog: with the space of deleted rows reused, the files stop growing.
        const filesMiB = async () => {
          const z = await sizes(database);
          return round(TABLES.reduce((sum, t) => sum + z[`${t}_bytes`]!, 0) / 2 ** 20, 1);
        };
        const files = [await filesMiB()];
        for (let r = 1; r < o.rounds; r++) {
          if (o.settle) await new Promise((res) => setTimeout(res, o.settle * 1000));
          if (kind === 'postgres' && o.pgVacuum) await database.exec('VACUUM');
          await seed(database, o.ops, 0);
          await pass(database, batchSize);
          files.push(await filesMiB());
        }
        const { operations, idempotencyKeys, webhookDeliveries, rateLimits } = first.counts;
        // Logs and attempts go with their operation and delivery: one each here.
        const deleted = operations * 2 + idempotencyKeys + webhookDeliveries * 2 + rateLimits;
        const opBytes = (before.resource_operations_bytes! + before.operation_logs_bytes!) / (before.resource_operations_rows! || 1);
        const row = {
          db: kind === 'postgres' && o.pgVacuum ? 'postgres (VACUUM between rounds)' : kind,
          batch: batchSize,
          'ops deleted': operations,
          'rows deleted': deleted,
          'pass s': round(first.ms / 1000, 2),
          'rows/s': Math.round(deleted / (first.ms / 1000)),
          'ops/s': Math.round(operations / (first.ms / 1000)),
          statements: first.times.length,
          'stmt p50 ms': round(percentile(first.times, 50), 1),
          'stmt max ms': round(first.times.at(-1) ?? 0, 1),
          'vacuum ms': kind === 'pglite' ? round(first.vacuumMs, 0) : 'autovacuum',
          'idle pass ms': round(steady.ms, 1),
          'kept ops': after.resource_operations_rows,
          'op+log bytes': Math.round(opBytes),
          'files MiB by round': files.join(' → '),
          'load 1m': `${loadBefore[0]} → ${loadAfter[0]}`,
        };
        rows.push({ ...row, sizes_before: before, sizes_after: after, steady_counts: steady.counts, counts: first.counts });
        const left = (await sizes(database)).resource_operations_rows;
        if (left !== o.keep * 2) log(`warning: ${left} operations left after ${o.rounds} rounds, expected ${o.keep * 2}`);
        if (after.resource_operations_rows !== o.keep * 2) log(`warning: ${after.resource_operations_rows} operations left, expected ${o.keep * 2}`);
      } finally {
        await database.close();
        await bench.drop();
      }
    }
  }
  printTable(
    'retention: one pass over a backlog of operations that ended 31 days ago',
    rows.map(({ sizes_before, sizes_after, steady_counts, counts, ...r }) => r),
  );
  const autovacuum = o.db.includes('postgres') ? await postgresAutovacuum() : undefined;
  if (autovacuum === 'off') log('PostgreSQL runs with autovacuum = off here: nothing reclaims deleted rows between rounds unless --pg-vacuum');
  writeResult('retention', { machine: { ...machine(), postgres: await postgresVersion(), autovacuum }, options: o, results: rows });
}
