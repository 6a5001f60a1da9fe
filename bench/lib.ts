// Shared helpers of the benchmarks: real fleetgate processes (spawned like `npm run fleetgate`), their
// peak memory and CPU time from /proc, throwaway databases, flags, tables and the JSON results.
// Benchmarks report figures; they never fail on time.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { request } from 'undici';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'src/main/cli.ts');
export const RESULTS_DIR = path.join(ROOT, 'bench/results');
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

// ---------------------------------------------------------------------------------------------- flags

export type Flags = Record<string, string | boolean>;

/** `--name value`, `--name=value`, `--flag` (boolean). */
export function parseFlags(argv: string[]): Flags {
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) {
      flags[a.slice(2, eq)] = a.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) {
      flags[a.slice(2)] = argv[++i]!;
    } else {
      flags[a.slice(2)] = true;
    }
  }
  return flags;
}

export function num(flags: Flags, name: string, fallback: number): number {
  const v = flags[name];
  if (v === undefined || v === true) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name}: not a number: ${v}`);
  return n;
}

export function str(flags: Flags, name: string, fallback: string): string {
  const v = flags[name];
  return typeof v === 'string' ? v : fallback;
}

// ------------------------------------------------------------------------------------ machine, load

export interface Machine {
  cores: number;
  cpu_model: string;
  mem_total_gib: number;
  node: string;
  platform: string;
  postgres?: string;
}

export function machine(): Machine {
  return {
    cores: os.availableParallelism(),
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    mem_total_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** The 1/5/15-minute load averages, as `uptime` prints them. */
export function load(): [number, number, number] {
  return os.loadavg().map((v) => Math.round(v * 100) / 100) as [number, number, number];
}

// ------------------------------------------------------------------------------------------ process

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface ProcStats {
  /** Peak resident set size (VmHWM), MiB. */
  peakRssMiB: number;
  /** Resident set size now (VmRSS), MiB. */
  rssMiB: number;
  /** user + system CPU seconds so far. */
  cpuSeconds: number;
}

export function procStats(pid: number): ProcStats | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return {
      peakRssMiB: hwm ? Math.round((Number(hwm[1]) / 1024) * 10) / 10 : NaN,
      rssMiB: rss ? Math.round((Number(rss[1]) / 1024) * 10) / 10 : NaN,
      cpuSeconds: (utime + stime) / TICKS_PER_SECOND,
    };
  } catch {
    return undefined;
  }
}

export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line matching (lines are scanned as they arrive, not kept). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Last stats read while the process was alive (VmHWM is read again just before stop). */
  stats(): ProcStats | undefined;
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
  tail(): string;
}

/**
 * The environment and Node flags `npm start` runs fleetgate with (package.json's start script, before
 * `--import`): every process a benchmark spawns runs with them, the baseline's too.
 */
export const PRODUCT_RUNTIME = productRuntime(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start as string);

export function productRuntime(start: string): { env: Record<string, string>; nodeFlags: string[] } {
  const words = start.split(/\s+/);
  const env: Record<string, string> = {};
  const nodeFlags: string[] = [];
  let i = 0;
  for (; i < words.length && /^[A-Z_][A-Z0-9_]*=/.test(words[i]!); i++) env[words[i]!.split('=')[0]!] = words[i]!.slice(words[i]!.indexOf('=') + 1);
  if (words[i++] !== 'node') throw new Error(`package.json start script: expected node after its environment: ${start}`);
  for (; i < words.length && words[i] !== '--import'; i++) nodeFlags.push(words[i]!);
  return { env, nodeFlags };
}

/**
 * Spawns `node --import tsx <script> ...args` (the real CLI unless `script` is given), with only the
 * environment given (plus PATH and HOME). Output is scanned line by line and only a short tail kept,
 * so a long run at LOG_LEVEL=info does not grow this process.
 */
export function spawnNode(name: string, args: string[], env: Record<string, string | undefined>, script = CLI, nodeArgs: string[] = []): Proc {
  const child = spawn(process.execPath, [...PRODUCT_RUNTIME.nodeFlags, ...nodeArgs, '--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...PRODUCT_RUNTIME.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  let tail = '';
  let partial = '';
  const waiters: Array<{ pattern: RegExp; resolve: (l: string) => void }> = [];
  const seen: string[] = [];
  const keep = (s: string) => {
    tail = (tail + s).slice(-4000);
  };
  child.stdout!.on('data', (d: Buffer) => {
    const text = partial + d.toString();
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    keep(d.toString());
    for (const line of lines) {
      if (seen.length < 50) seen.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => keep(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let last: ProcStats | undefined;
  const sampler = setInterval(() => {
    last = procStats(pid) ?? last;
  }, 250);
  sampler.unref();
  exited.then(() => clearInterval(sampler));
  return {
    name,
    child,
    pid,
    exited,
    tail: () => tail,
    stats: () => procStats(pid) ?? last,
    waitFor(pattern, timeoutMs = 60_000) {
      const line = seen.find((l) => pattern.test(l));
      if (line) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: timed out waiting for ${pattern}\n${tail}`)), timeoutMs);
        exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name}: exited ${code} before ${pattern}\n${tail}`));
        });
        waiters.push({
          pattern,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      });
    },
    async stop() {
      last = procStats(pid) ?? last;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** `fleetgate serve` on a free port; resolves once /healthz answers (whatever LOG_LEVEL). */
export async function serveFleetgate(env: Record<string, string | undefined>, args: string[] = [], nodeArgs: string[] = []) {
  const port = await freePort();
  // Benchmarks may point connections at a sandbox on loopback, and use the built-in ones on PostgreSQL too.
  const proc = spawnNode('fleetgate serve', ['serve', ...args], { FLEETGATE_ALLOW_PRIVATE_URLS: 'true', FLEETGATE_SANDBOXES: 'true', ...env, PORT: String(port) }, CLI, nodeArgs);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(proc, url);
  return { ...proc, url };
}

/** Polls `<url>/healthz` until 200; fails if the process exits first or after timeoutMs. */
export async function waitHealthy(proc: Proc, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`${proc.name}: exited before listening\n${proc.tail()}`);
    try {
      const res = await request(`${url}/healthz`);
      await res.body.dump();
      if (res.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${proc.name}: not healthy after ${timeoutMs} ms\n${proc.tail()}`);
    await sleep(100);
  }
}

/** `fleetgate simulate motive` in its own process, as a TSP is: its base URL once it listens. */
export async function startMotiveSandbox(): Promise<{ proc: Proc; base: string }> {
  const port = await freePort();
  const proc = spawnNode('sandbox', ['simulate', 'motive', '--port', String(port)], {});
  await proc.waitFor(/sandbox listening at/i);
  return { proc, base: `http://127.0.0.1:${port}` };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** `--cpu-prof`: node flags writing a V8 CPU profile of the spawned server to $TMPDIR/fleetgate-bench-profiles. */
/** Node flags for the measured fleetgate processes: --cpu-prof, and any given as --node-flags "--a --b=1". */
export function profileArgs(flags: Flags): string[] {
  const prof = flags['cpu-prof'] === true ? ['--cpu-prof', '--cpu-prof-dir', path.join(os.tmpdir(), 'fleetgate-bench-profiles')] : [];
  const extra = typeof flags['node-flags'] === 'string' ? flags['node-flags'].split(/\s+/).filter(Boolean) : [];
  return [...prof, ...extra];
}

// ---------------------------------------------------------------------------------------- databases

export interface BenchDb {
  kind: 'pglite' | 'postgres';
  /** Environment for fleetgate processes on this database. */
  env: Record<string, string>;
  /** PostgreSQL only. */
  url?: string;
  /** PGlite: FLEETGATE_DATA_DIR (PostgreSQL runs have one too, for the sandboxes' state). */
  dataDir?: string;
  drop(): Promise<void>;
}

export const BOOTSTRAP = { clientId: 'bench-client', clientSecret: 'bench-secret-0123456789abcdef' };

function baseEnv(): Record<string, string> {
  return {
    FLEETGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    FLEETGATE_BOOTSTRAP_CLIENT_ID: BOOTSTRAP.clientId,
    FLEETGATE_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP.clientSecret,
  };
}

export async function freshPostgres(base = process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL): Promise<BenchDb> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  // BENCH_DB_PREFIX keeps the throwaway databases of engineers sharing one PostgreSQL apart.
  const prefix = process.env.BENCH_DB_PREFIX ?? 'fleetgate_bench';
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) throw new Error(`BENCH_DB_PREFIX: not a plain lower-case name: ${prefix}`);
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  // The data directory still holds the built-in sandboxes' state: a fresh one per run, or the state of
  // every earlier run (./data) would be loaded and grow the server.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetgate-bench-'));
  return {
    kind: 'postgres',
    url: url.toString(),
    env: { ...baseEnv(), DATABASE_URL: url.toString(), FLEETGATE_DATA_DIR: dataDir },
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function freshPglite(): Promise<BenchDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetgate-bench-'));
  return {
    kind: 'pglite',
    dataDir,
    env: { ...baseEnv(), FLEETGATE_DATA_DIR: dataDir },
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `fleetgate migrate` in its own process, so the measured server starts on a migrated database (on
 * PGlite, the WASM heap grown by the migrations is never given back: a first start is much bigger).
 * Returns the migrate process's peak RSS (last sample before it exited).
 */
export async function migrateDb(db: BenchDb): Promise<{ peakRssMiB: number }> {
  const proc = spawnNode('fleetgate migrate', ['migrate'], { ...db.env, LOG_LEVEL: 'warn' });
  let peak = 0;
  const timer = setInterval(() => {
    const hwm = procStats(proc.pid)?.peakRssMiB;
    if (hwm !== undefined && Number.isFinite(hwm)) peak = Math.max(peak, hwm);
  }, 50);
  const code = await proc.exited;
  clearInterval(timer);
  if (code !== 0) throw new Error(`fleetgate migrate exited ${code}\n${proc.tail()}`);
  return { peakRssMiB: peak };
}

export const freshDb = (kind: string) => (kind === 'postgres' ? freshPostgres() : freshPglite());

export async function postgresVersion(): Promise<string | undefined> {
  try {
    const c = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL });
    await c.connect();
    const r = await c.query<{ server_version: string }>('SHOW server_version');
    await c.end();
    return r.rows[0]?.server_version;
  } catch {
    return undefined;
  }
}

// -------------------------------------------------------------------------------------- fleetgate API

export async function api<T = any>(
  base: string,
  method: string,
  urlPath: string,
  opts: { token?: string; json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  }
  const res = await request(`${base}${urlPath}`, { method: method as 'GET', headers, body });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep text
  }
  return { status: res.statusCode, body: parsed as T };
}

function must<T>(res: { status: number; body: T }, expected: number, what: string): T {
  if (res.status !== expected) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Access token of the bootstrap client, and its partner id (the token's `pid` claim). */
export async function bootstrapToken(base: string): Promise<{ token: string; partnerId: string }> {
  const body = must(
    await api<{ access_token: string }>(base, 'POST', '/oauth/token', {
      form: { grant_type: 'client_credentials', client_id: BOOTSTRAP.clientId, client_secret: BOOTSTRAP.clientSecret },
    }),
    200,
    'token',
  );
  const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString()) as { pid: string };
  return { token: body.access_token, partnerId: claims.pid };
}

/**
 * A Motive sandbox account (at `sandboxBase`, e.g. `<fleetgate>/sandbox/motive` or a `simulate`
 * process) with the settings given, and a fleetgate connection to it.
 */
export async function motiveConnection(
  base: string,
  token: string,
  opts: { sandboxBase?: string; sandboxLimit: number; latencyMs?: number; connectionLimit: number },
): Promise<{ connectionId: string; apiKey: string; sandboxBase: string }> {
  const sandboxBase = opts.sandboxBase ?? `${base}/sandbox/motive`;
  const { api_key } = must(await api<{ api_key: string }>(sandboxBase, 'POST', '/_sandbox/accounts'), 201, 'sandbox account');
  must(
    await api(sandboxBase, 'PUT', '/_sandbox/settings', {
      headers: { 'x-api-key': api_key },
      json: { rate_limit_per_minute: opts.sandboxLimit, latency_ms: opts.latencyMs ?? 0 },
    }),
    200,
    'sandbox settings',
  );
  const conn = must(
    await api<{ id: string }>(base, 'POST', '/v2/integrations/connections', {
      token,
      json: {
        tsp: 'motive',
        ...(opts.sandboxBase ? { base_url: opts.sandboxBase } : { sandbox: true }),
        credentials: { api_key },
        rate_limit_per_minute: opts.connectionLimit,
      },
    }),
    200,
    'connection',
  );
  return { connectionId: conn.id, apiKey: api_key, sandboxBase };
}

/** The normalized user every benchmark writes; `n` makes the fields the TSP keeps unique distinct. */
export function userBody(connectionId: string, n: number | string) {
  return {
    connection_id: connectionId,
    first_name: 'Bench',
    last_name: `User ${n}`,
    user_email: `bench.user.${n}@example.com`,
    phone_number: '4155550100',
    phone_country_code: '+1',
    is_driver: true,
    license_number: `D${String(n).padStart(7, '0')}`,
    license_region: 'CA',
    license_country: 'USA',
  };
}

// ---------------------------------------------------------------------------------------- reporting

export function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Percentile of a sample (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function printTable(title: string, rows: Array<Record<string, unknown>>): void {
  if (!rows.length) return;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' ? String(v) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => `| ${vals.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`\n${title}\n`);
  process.stdout.write(`${line(cols)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`);
  for (const r of rows) process.stdout.write(`${line(cols.map((c) => cell(r[c])))}\n`);
}

export function writeResult(name: string, data: Record<string, unknown>): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `${name}-${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  process.stdout.write(`\nresults: ${path.relative(ROOT, file)}\n`);
  return file;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function log(msg: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)} load ${load().join(' ')}] ${msg}\n`);
}
