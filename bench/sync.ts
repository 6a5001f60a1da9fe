// sync: POST /v2/telematics/users?is_sync=true (fleetgate validates, records, calls the TSP, records
// the attempt, answers the finished operation) against calling the sandbox directly with the same
// native body fleetgate sends it (POST /v1/users, sandbox latency 0). The sandbox is its own process
// (`fleetgate simulate motive`), as a TSP is: mounted in the server (`--sandbox in-server`) its work
// (a uniqueness check over every user, its state file) shares fleetgate's thread and is counted in
// fleetgate's latency. Requests alternate one by one (fleetgate, direct, fleetgate, ...) so both see the
// same load; the figure is the latency fleetgate adds at p50 and p99.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import type { Flags, Proc } from './lib.ts';
import type { Figure } from './targets.ts';
import { printFigures } from './targets.ts';
import {
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
  percentile,
  postgresVersion,
  printTable,
  profileArgs,
  round,
  serveFleetgate,
  str,
  userBody,
  writeResult,
} from './lib.ts';

const MARK = '9999999';

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    p50_ms: round(percentile(s, 50), 2),
    p90_ms: round(percentile(s, 90), 2),
    p99_ms: round(percentile(s, 99), 2),
    mean_ms: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), 2),
    max_ms: round(s.at(-1) ?? NaN, 2),
  };
}

async function timed(url: string, headers: Record<string, string>, body: string, expect: number): Promise<number> {
  const t0 = performance.now();
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.body.text();
  const ms = performance.now() - t0;
  if (res.statusCode !== expect) throw new Error(`${url}: HTTP ${res.statusCode} ${text.slice(0, 500)}`);
  return ms;
}

export async function run(flags: Flags): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const db of str(flags, 'db', 'pglite,postgres').split(',')) figures.push(...(await onDatabase(flags, db)));
  printFigures('sync: figures and targets', figures);
  return figures;
}

async function onDatabase(flags: Flags, dbKind: string): Promise<Figure[]> {
  const quick = flags.quick === true;
  const o = {
    db: dbKind,
    duration: num(flags, 'duration', quick ? 4 : 30),
    warmup: num(flags, 'warmup', quick ? 1 : 3),
    concurrency: num(flags, 'concurrency', 1),
    logLevel: str(flags, 'log-level', 'info'),
    sandbox: str(flags, 'sandbox', 'process'),
  };
  if (o.sandbox !== 'process' && o.sandbox !== 'in-server') throw new Error(`--sandbox process|in-server, not ${o.sandbox}`);
  const startLoad = load();
  const db = await freshDb(o.db);
  let sandbox: Proc | undefined;
  try {
    const migrate = await migrateDb(db);
    let ownSandbox: string | undefined;
    if (o.sandbox === 'process') {
      const started = await startMotiveSandbox();
      sandbox = started.proc;
      ownSandbox = started.base;
    }
    const fg = await serveFleetgate({ ...db.env, LOG_LEVEL: o.logLevel }, [], profileArgs(flags));
    try {
      const { token } = await bootstrapToken(fg.url);
      const { connectionId, apiKey, sandboxBase } = await motiveConnection(fg.url, token, { sandboxBase: ownSandbox, sandboxLimit: 1_000_000, connectionLimit: 100_000 });

      // One sync write, to read back the exact native body fleetgate sent (the sandbox logs it).
      const first = await api(fg.url, 'POST', '/v2/telematics/users?is_sync=true', { token, json: userBody(connectionId, MARK) });
      if (first.status !== 200 || first.body.status !== 'success') throw new Error(`sync write: ${first.status} ${JSON.stringify(first.body)}`);
      const logged = await api<{ requests: Array<{ method: string; path: string; body: unknown; status: number }> }>(sandboxBase, 'GET', '/_sandbox/requests', {
        headers: { 'x-api-key': apiKey },
      });
      const sent = logged.body.requests.filter((r) => r.method === 'POST' && r.path === '/v1/users').at(-1)!;
      const externalId = first.body.resource_id as string;
      const nativeTemplate = JSON.stringify(sent.body);
      if (!nativeTemplate.includes(externalId)) throw new Error(`native body does not carry the external id: ${nativeTemplate}`);

      let counter = 0;
      const next = () => String(++counter).padStart(7, '0');
      const viaFleetgate = () =>
        timed(`${fg.url}/v2/telematics/users?is_sync=true`, { authorization: `Bearer ${token}` }, JSON.stringify(userBody(connectionId, next())), 200);
      const direct = () =>
        timed(
          `${sandboxBase}/v1/users`,
          { 'x-api-key': apiKey },
          nativeTemplate.replaceAll(MARK, next()).replaceAll(externalId, randomUUID()),
          201,
        );

      const loop = async (seconds: number, record: boolean, samples: { fg: number[]; direct: number[] }) => {
        const end = performance.now() + seconds * 1000;
        while (performance.now() < end) {
          const a = await viaFleetgate();
          const b = await direct();
          if (record) {
            samples.fg.push(a);
            samples.direct.push(b);
          }
        }
      };
      const samples = { fg: [] as number[], direct: [] as number[] };
      await Promise.all(Array.from({ length: o.concurrency }, () => loop(o.warmup, false, samples)));
      const loadAt = load()[0];
      log(`sync on ${o.db}: ${o.concurrency} loop(s), ${o.duration} s, sandbox ${o.sandbox}`);
      const cpu0 = fg.stats()!.cpuSeconds;
      await Promise.all(Array.from({ length: o.concurrency }, () => loop(o.duration, true, samples)));
      const after = fg.stats()!;

      const f = stats(samples.fg);
      const d = stats(samples.direct);
      const rows = [
        { path: 'fleetgate is_sync=true', ...f, load_1m: loadAt },
        { path: 'sandbox direct', ...d, load_1m: loadAt },
      ];
      const added = {
        added_p50_ms: round(f.p50_ms - d.p50_ms, 2),
        added_p90_ms: round(f.p90_ms - d.p90_ms, 2),
        added_p99_ms: round(f.p99_ms - d.p99_ms, 2),
        added_mean_ms: round(f.mean_ms - d.mean_ms, 2),
        server_cpu_ms_per_pair: round(((after.cpuSeconds - cpu0) * 1000) / Math.max(1, f.n), 2),
        peak_rss_mib: after.peakRssMiB,
        migrate_peak_rss_mib: migrate.peakRssMiB,
      };
      printTable(`sync: is_sync=true vs the sandbox directly (${o.db}, sandbox ${o.sandbox}, ${o.concurrency} loop(s), ${o.duration} s, alternating)`, rows);
      printTable('sync: added by fleetgate', [added]);
      writeResult('sync', {
        bench: 'sync',
        at: new Date().toISOString(),
        machine: { ...machine(), postgres: o.db === 'postgres' ? await postgresVersion() : undefined },
        load_at_start: startLoad,
        load_at_end: load(),
        options: o,
        results: rows,
        added,
      });
      const name = o.db === 'postgres' ? 'PostgreSQL' : 'PGlite';
      const figure = (p: 'p50' | 'p99', bound: number): Figure => ({
        figure: `is_sync, ${name}: added over the sandbox directly at ${p} (ms)`,
        fleetgate: f[`${p}_ms`],
        baseline: d[`${p}_ms`],
        value: added[`added_${p}_ms`],
        target: { op: '<=', bound, unit: ' ms' },
        load_1m: loadAt,
      });
      // The issue bounds p99 on PostgreSQL only.
      return o.db === 'postgres' ? [figure('p50', 1.5), figure('p99', 5)] : [figure('p50', 3), { ...figure('p99', 0), target: undefined }];
    } finally {
      await fg.stop();
    }
  } finally {
    await sandbox?.stop();
    await db.drop();
  }
}
