// submit: async POST /v2/telematics/users (202, queued) under load, against a baseline (a bare Fastify
// route doing one INSERT of the same row into the same table of the same database), on PGlite and on
// PostgreSQL, in one run. fleetgate runs `serve --no-worker`, so only the API path is measured.
import path from 'node:path';
import autocannon from 'autocannon';
import type { Result } from 'autocannon';
import type { BenchDb, Flags, Proc } from './lib.ts';
import type { Figure } from './targets.ts';
import { printFigures } from './targets.ts';
import {
  ROOT,
  api,
  bootstrapToken,
  freshDb,
  load,
  log,
  machine,
  migrateDb,
  motiveConnection,
  num,
  postgresVersion,
  printTable,
  profileArgs,
  round,
  serveFleetgate,
  spawnNode,
  str,
  userBody,
  writeResult,
} from './lib.ts';

interface Measured {
  db: string;
  target: string;
  req_per_s: number;
  p50_ms: number;
  p99_ms: number;
  mean_ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  server_cpu_ms_per_req: number;
  rss_idle_mib: number;
  peak_rss_mib: number;
  load_1m: number;
}

async function cannon(url: string, headers: Record<string, string>, body: string, connections: number, duration: number): Promise<Result> {
  return autocannon({
    url: `${url}/v2/telematics/users`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections,
    duration,
    timeout: 30,
  });
}

async function measure(
  db: string,
  target: string,
  proc: Proc,
  url: string,
  headers: Record<string, string>,
  body: string,
  o: { connections: number; duration: number; warmup: number },
): Promise<Measured> {
  const idle = proc.stats()!;
  // The first request must be accepted, or the figures would be about errors.
  const first = await api(url, 'POST', '/v2/telematics/users', { headers, json: JSON.parse(body) });
  if (first.status !== 202) throw new Error(`${target}: first request answered ${first.status}: ${JSON.stringify(first.body)}`);
  if (o.warmup > 0) await cannon(url, headers, body, o.connections, o.warmup);
  const loadAt = load()[0];
  const cpu0 = proc.stats()!.cpuSeconds;
  log(`${db}/${target}: ${o.connections} connections for ${o.duration} s`);
  const r = await cannon(url, headers, body, o.connections, o.duration);
  const after = proc.stats()!;
  const total = r.requests.total;
  return {
    db,
    target,
    req_per_s: round(total / r.duration, 0),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    mean_ms: round(r.latency.mean, 2),
    requests: total,
    non2xx: r.non2xx,
    errors: r.errors,
    server_cpu_ms_per_req: round(((after.cpuSeconds - cpu0) * 1000) / Math.max(1, total), 3),
    rss_idle_mib: idle.rssMiB,
    peak_rss_mib: after.peakRssMiB,
    load_1m: loadAt,
  };
}

async function onDatabase(
  db: BenchDb,
  o: { connections: number; duration: number; warmup: number; logLevel: string; nodeArgs: string[] },
): Promise<Measured[]> {
  const out: Measured[] = [];
  await migrateDb(db);
  const fg = await serveFleetgate({ ...db.env, LOG_LEVEL: o.logLevel }, ['--no-worker'], o.nodeArgs);
  let partnerId: string;
  let connectionId: string;
  try {
    const { token, partnerId: pid } = await bootstrapToken(fg.url);
    partnerId = pid;
    ({ connectionId } = await motiveConnection(fg.url, token, { sandboxLimit: 1_000_000, connectionLimit: 100_000 }));
    const body = JSON.stringify(userBody(connectionId, 1));
    out.push(await measure(db.kind, 'fleetgate', fg, fg.url, { authorization: `Bearer ${token}` }, body, o));
  } finally {
    await fg.stop();
  }
  const baseline = spawnNode(
    'baseline',
    [],
    {
      PORT: '0',
      BASELINE_PARTNER_ID: partnerId,
      ...(db.url ? { DATABASE_URL: db.url } : { BASELINE_PGLITE_DIR: path.join(db.dataDir!, 'pglite') }),
    },
    path.join(ROOT, 'bench/baseline-server.ts'),
  );
  try {
    const line = await baseline.waitFor(/"msg":"baseline listening"/);
    const url = (JSON.parse(line) as { url: string }).url;
    out.push(await measure(db.kind, 'baseline', baseline, url, {}, JSON.stringify(userBody(connectionId, 1)), o));
  } finally {
    await baseline.stop();
  }
  return out;
}

export async function run(flags: Flags): Promise<Figure[]> {
  const quick = flags.quick === true;
  const o = {
    connections: num(flags, 'connections', 10),
    duration: num(flags, 'duration', quick ? 3 : 20),
    warmup: num(flags, 'warmup', quick ? 1 : 3),
    logLevel: str(flags, 'log-level', 'info'),
    nodeArgs: profileArgs(flags),
  };
  const dbs = str(flags, 'db', 'pglite,postgres').split(',');
  const startLoad = load();
  const rows: Measured[] = [];
  for (const kind of dbs) {
    const db = await freshDb(kind);
    try {
      rows.push(...(await onDatabase(db, o)));
    } finally {
      await db.drop();
    }
  }
  const ratios = dbs.map((kind) => {
    const f = rows.find((r) => r.db === kind && r.target === 'fleetgate')!;
    const b = rows.find((r) => r.db === kind && r.target === 'baseline')!;
    return {
      db: kind,
      throughput_ratio: round(f.req_per_s / b.req_per_s, 3),
      p50_ratio: round(f.p50_ms / Math.max(b.p50_ms, 1), 2),
      p99_ratio: round(f.p99_ms / Math.max(b.p99_ms, 1), 2),
      server_cpu_ratio: round(f.server_cpu_ms_per_req / b.server_cpu_ms_per_req, 2),
    };
  });
  printTable(`submit: async POST /v2/telematics/users, ${o.connections} connections, ${o.duration} s (+${o.warmup} s warm-up) each`, rows as never);
  printTable('submit: fleetgate / baseline', ratios);
  const figures = submitFigures(rows);
  printFigures('submit: figures and targets', figures);
  writeResult('submit', {
    bench: 'submit',
    at: new Date().toISOString(),
    machine: { ...machine(), postgres: await postgresVersion() },
    load_at_start: startLoad,
    load_at_end: load(),
    options: o,
    results: rows,
    ratios,
    figures,
  });
  return figures;
}

function submitFigures(rows: Measured[]): Figure[] {
  const out: Figure[] = [];
  for (const db of ['postgres', 'pglite']) {
    const f = rows.find((r) => r.db === db && r.target === 'fleetgate');
    const b = rows.find((r) => r.db === db && r.target === 'baseline');
    if (!f || !b) continue;
    const name = db === 'postgres' ? 'PostgreSQL' : 'PGlite';
    out.push({
      figure: `async submit, ${name}: throughput / bare INSERT (req/s)`,
      fleetgate: f.req_per_s,
      baseline: b.req_per_s,
      value: f.req_per_s / b.req_per_s,
      target: { op: '>=', bound: db === 'postgres' ? 0.6 : 0.4 },
      load_1m: f.load_1m,
    });
    out.push({
      figure: `async submit, ${name}: server CPU / bare INSERT's (ms/req)`,
      fleetgate: f.server_cpu_ms_per_req,
      baseline: b.server_cpu_ms_per_req,
      value: f.server_cpu_ms_per_req / b.server_cpu_ms_per_req,
      // The issue sets the CPU bound for PostgreSQL only.
      ...(db === 'postgres' && { target: { op: '<=' as const, bound: 3 } }),
      load_1m: f.load_1m,
    });
    if (db === 'postgres') {
      out.push({ figure: 'server peak RSS under submit, PostgreSQL (MiB)', fleetgate: f.peak_rss_mib, value: f.peak_rss_mib, target: { op: '<=', bound: 200, unit: ' MiB' } });
    } else {
      out.push({ figure: 'server idle RSS, PGlite (MiB)', fleetgate: f.rss_idle_mib, baseline: b.rss_idle_mib, value: f.rss_idle_mib });
    }
  }
  return out;
}
