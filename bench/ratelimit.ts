// ratelimit: one connection whose sandbox account allows L requests per sliding minute, with the
// connection's rate_limit_per_minute set to the same L and more operations queued than can be sent in
// the window. Counted at the TSP side (the sandbox's request log, timestamps at arrival): writes
// admitted during `window` seconds from the first one, divided by L x window/60 (goal >= 0.95), and
// the 429s fleetgate provoked (goal 0). fleetgate runs `serve` with its in-process worker.
import type { Flags } from './lib.ts';
import type { Figure } from './targets.ts';
import { printFigures } from './targets.ts';
import {
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
  sleep,
  str,
  userBody,
  writeResult,
} from './lib.ts';

interface Logged {
  at: string;
  method: string;
  path: string;
  status: number;
}

export async function run(flags: Flags): Promise<Figure[]> {
  const quick = flags.quick === true;
  const o = {
    db: str(flags, 'db', 'pglite'),
    limit: num(flags, 'limit', quick ? 600 : 300),
    window: num(flags, 'window', quick ? 15 : 120),
  };
  const expected = (o.limit * o.window) / 60;
  // The sandbox keeps its last 1,000 requests; the window must fit.
  if (expected > 900) throw new Error(`--limit x --window/60 = ${expected}: keep it under 900 (the sandbox logs 1,000 requests)`);
  const queued = Math.ceil(expected * 1.2) + 20;
  const startLoad = load();
  const db = await freshDb(o.db);
  try {
    await migrateDb(db);
    const fg = await serveFleetgate({ ...db.env, LOG_LEVEL: 'info' }, [], profileArgs(flags));
    try {
      const { token } = await bootstrapToken(fg.url);
      const { connectionId, apiKey, sandboxBase } = await motiveConnection(fg.url, token, { sandboxLimit: o.limit, connectionLimit: o.limit });
      const sandboxLog = async () =>
        (await api<{ requests: Logged[] }>(sandboxBase, 'GET', '/_sandbox/requests', { headers: { 'x-api-key': apiKey } })).body.requests.filter(
          (r) => r.path.startsWith('/v1/'),
        );
      // The connection check at creation called GET /v1/users once: it counts in the sandbox's window
      // like any request, so it stays in the log and in the 429 count, but not in the window's writes.

      log(`ratelimit: queueing ${queued} operations (L=${o.limit}/min, window ${o.window} s)`);
      const cpu0 = fg.stats()!.cpuSeconds;
      for (let i = 0; i < queued; i += 20) {
        const batch = Array.from({ length: Math.min(20, queued - i) }, (_, j) =>
          api(fg.url, 'POST', '/v2/telematics/users', { token, json: userBody(connectionId, i + j) }),
        );
        for (const r of await Promise.all(batch)) if (r.status !== 202) throw new Error(`queue: ${r.status} ${JSON.stringify(r.body)}`);
      }
      let first: Logged | undefined;
      while (!(first = (await sandboxLog()).find((r) => r.method === 'POST' && r.status === 201))) await sleep(50);
      const t0 = Date.parse(first.at);
      const loadAt = load()[0];
      log(`ratelimit: first write admitted; measuring ${o.window} s`);
      await sleep(Math.max(0, t0 + o.window * 1000 + 1500 - Date.now()));
      const entries = await sandboxLog();
      const after = fg.stats()!;
      const inWindow = entries.filter((r) => r.method === 'POST' && r.status === 201 && Date.parse(r.at) >= t0 && Date.parse(r.at) < t0 + o.window * 1000);
      const tooMany = entries.filter((r) => r.status === 429);
      const gaps = inWindow
        .map((r) => Date.parse(r.at))
        .sort((a, b) => a - b)
        .map((t, i, a) => (i ? t - a[i - 1]! : 0))
        .slice(1)
        .sort((a, b) => a - b);
      const row = {
        db: o.db,
        limit_per_min: o.limit,
        window_s: o.window,
        admitted_in_window: inWindow.length,
        allowed_in_window: expected,
        throughput_over_limit: round(inWindow.length / expected, 3),
        http_429: tooMany.length,
        other_non_2xx: entries.filter((r) => r.method === 'POST' && r.status !== 201 && r.status !== 429).length,
        spacing_min_ms: gaps[0] ?? NaN,
        spacing_p50_ms: gaps[Math.floor(gaps.length / 2)] ?? NaN,
        spacing_max_ms: gaps.at(-1) ?? NaN,
        interval_ms: Math.ceil((60_000 / o.limit) * 1.01),
        server_cpu_s: round(after.cpuSeconds - cpu0, 1),
        peak_rss_mib: after.peakRssMiB,
        load_1m: loadAt,
      };
      printTable(`ratelimit: one connection, sandbox limit L/min = connection limit, ${queued} queued, ${o.window} s window`, [row]);
      writeResult('ratelimit', {
        bench: 'ratelimit',
        at: new Date().toISOString(),
        machine: { ...machine(), postgres: o.db === 'postgres' ? await postgresVersion() : undefined },
        load_at_start: startLoad,
        load_at_end: load(),
        options: { ...o, queued },
        results: [row],
      });
      const figures: Figure[] = [
        { figure: `rate limit, ${o.db}: writes admitted / the limit`, fleetgate: row.admitted_in_window, baseline: expected, value: row.throughput_over_limit, target: { op: '>=', bound: 0.95 }, load_1m: loadAt },
        { figure: `rate limit, ${o.db}: 429s provoked`, fleetgate: row.http_429, value: row.http_429, target: { op: '<=', bound: 0 }, load_1m: loadAt },
      ];
      printFigures('ratelimit: figures and targets', figures);
      return figures;
    } finally {
      await fg.stop();
    }
  } finally {
    await db.drop();
  }
}
