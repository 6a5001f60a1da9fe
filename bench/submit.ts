// submit: async POST /v2/telematics/users (202, queued) under load, against a baseline (a bare Fastify
// route doing one INSERT of the same row into the same table of the same database), on PGlite and on
// PostgreSQL, in one run. fleetgate runs `serve --no-worker`, so only the API path is measured. The two
// servers take turns under load in `--rounds` rounds (one long run each would compare two moments of a
// shared machine: the same tree measured 0.47 and 0.65 of the baseline a few minutes apart).
import fs from 'node:fs';
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
  startMotiveSandbox,
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

/** One target under load for one round: the requests it served, their latency and the server's CPU. */
interface Round {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  mean: number;
  non2xx: number;
  errors: number;
  cpuSeconds: number;
}

interface Target {
  name: 'fleetgate' | 'baseline';
  proc: Proc;
  url: string;
  headers: Record<string, string>;
  body: string;
  idleRssMiB: number;
  rounds: Round[];
  loadAt: number[];
}

async function target(name: Target['name'], proc: Proc, url: string, headers: Record<string, string>, body: string, warmup: number, connections: number): Promise<Target> {
  const idle = proc.stats()!;
  // The first request must be accepted, or the figures would be about errors.
  const first = await api(url, 'POST', '/v2/telematics/users', { headers, json: JSON.parse(body) });
  if (first.status !== 202) throw new Error(`${name}: first request answered ${first.status}: ${JSON.stringify(first.body)}`);
  if (warmup > 0) await cannon(url, headers, body, connections, warmup);
  return { name, proc, url, headers, body, idleRssMiB: idle.rssMiB, rounds: [], loadAt: [] };
}

async function round1(db: string, t: Target, connections: number, seconds: number): Promise<void> {
  t.loadAt.push(load()[0]);
  const cpu0 = t.proc.stats()!.cpuSeconds;
  log(`${db}/${t.name}: round ${t.rounds.length + 1}, ${connections} connections for ${seconds} s`);
  const r = await cannon(t.url, t.headers, t.body, connections, seconds);
  t.rounds.push({
    requests: r.requests.total,
    seconds: r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.mean,
    non2xx: r.non2xx,
    errors: r.errors,
    cpuSeconds: t.proc.stats()!.cpuSeconds - cpu0,
  });
  const last = t.rounds.at(-1)!;
  log(`${db}/${t.name}: ${round(last.requests / last.seconds, 0)} req/s, ${round((last.cpuSeconds * 1000) / Math.max(1, last.requests), 3)} ms CPU/req`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function measured(db: string, t: Target): Measured {
  const total = t.rounds.reduce((a, r) => a + r.requests, 0);
  const seconds = t.rounds.reduce((a, r) => a + r.seconds, 0);
  return {
    db,
    target: t.name,
    req_per_s: round(total / seconds, 0),
    // Latency: the median of the rounds' percentiles.
    p50_ms: median(t.rounds.map((r) => r.p50)),
    p99_ms: median(t.rounds.map((r) => r.p99)),
    mean_ms: round(t.rounds.reduce((a, r) => a + r.mean * r.requests, 0) / Math.max(1, total), 2),
    requests: total,
    non2xx: t.rounds.reduce((a, r) => a + r.non2xx, 0),
    errors: t.rounds.reduce((a, r) => a + r.errors, 0),
    server_cpu_ms_per_req: round((t.rounds.reduce((a, r) => a + r.cpuSeconds, 0) * 1000) / Math.max(1, total), 3),
    rss_idle_mib: t.idleRssMiB,
    peak_rss_mib: t.proc.stats()!.peakRssMiB,
    load_1m: round(median(t.loadAt), 2),
  };
}

/**
 * Both servers run side by side and take turns under load (fleetgate, baseline, fleetgate, ...), so that
 * a change in the machine's load between two long runs does not become the ratio. On PGlite each has
 * its own copy of the data directory (one process holds a PGlite directory), made once fleetgate has
 * set up the partner and the connection and stopped.
 */
async function onDatabase(
  db: BenchDb,
  o: { connections: number; duration: number; warmup: number; rounds: number; logLevel: string; nodeArgs: string[] },
): Promise<Measured[]> {
  await migrateDb(db);
  // The server as deployed: no built-in sandboxes (PostgreSQL's default); the connection's TSP is a
  // sandbox in its own process (its credential check is the only call it gets: nothing is executed).
  const env = { ...db.env, LOG_LEVEL: o.logLevel, FLEETGATE_SANDBOXES: 'false' };
  const sandbox = await startMotiveSandbox();
  let fg: Awaited<ReturnType<typeof serveFleetgate>> | undefined;
  let baseline: Proc | undefined;
  try {
    fg = await serveFleetgate(env, ['--no-worker'], o.nodeArgs);
    const { token, partnerId } = await bootstrapToken(fg.url);
    const { connectionId } = await motiveConnection(fg.url, token, {
      sandboxBase: sandbox.base,
      sandboxLimit: 1_000_000,
      connectionLimit: 100_000,
    });
    let baselineDir: string | undefined;
    if (db.kind === 'pglite') {
      await fg.stop();
      baselineDir = path.join(db.dataDir!, 'baseline-pglite');
      fs.cpSync(path.join(db.dataDir!, 'pglite'), baselineDir, { recursive: true });
      fg = await serveFleetgate(env, ['--no-worker'], o.nodeArgs);
    }
    baseline = spawnNode(
      'baseline',
      [],
      { PORT: '0', BASELINE_PARTNER_ID: partnerId, ...(db.url ? { DATABASE_URL: db.url } : { BASELINE_PGLITE_DIR: baselineDir }) },
      path.join(ROOT, 'bench/baseline-server.ts'),
    );
    const line = await baseline.waitFor(/"msg":"baseline listening"/);
    const baselineUrl = (JSON.parse(line) as { url: string }).url;
    const body = JSON.stringify(userBody(connectionId, 1));
    const targets = [
      await target('fleetgate', fg, fg.url, { authorization: `Bearer ${token}` }, body, o.warmup, o.connections),
      await target('baseline', baseline, baselineUrl, {}, body, o.warmup, o.connections),
    ];
    const seconds = Math.max(1, Math.round(o.duration / o.rounds));
    for (let r = 0; r < o.rounds; r++) for (const t of targets) await round1(db.kind, t, o.connections, seconds);
    return targets.map((t) => measured(db.kind, t));
  } finally {
    await baseline?.stop();
    await fg?.stop();
    await sandbox.proc.stop();
  }
}

export async function run(flags: Flags): Promise<Figure[]> {
  const quick = flags.quick === true;
  const o = {
    connections: num(flags, 'connections', 10),
    duration: num(flags, 'duration', quick ? 3 : 20),
    warmup: num(flags, 'warmup', quick ? 1 : 3),
    rounds: num(flags, 'rounds', quick ? 1 : 4),
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
  printTable(`submit: async POST /v2/telematics/users, ${o.connections} connections, ${o.duration} s each in ${o.rounds} alternating rounds (+${o.warmup} s warm-up)`, rows as never);
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
