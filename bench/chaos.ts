// Reliability harness (`npm run chaos`): fleetgate on PostgreSQL under faults, crashes and a database
// restart, then an audit of what it recorded against what reached the TSP.
//
// It creates a fresh PostgreSQL database, starts a standalone Motive sandbox (one account per
// connection), one API process (`serve --no-worker`) and two `worker` processes; submits N operations
// through the HTTP API (async, each with its own Idempotency-Key, retried on 503 / network errors)
// while
//   - a fault injector keeps every sandbox account's fault queue stocked with a mix of normal answers,
//     500s, 429s with Retry-After, answers delayed past fleetgate's TSP timeout, and lost responses
//     (the write lands, the client hears a 5xx or nothing until it times out),
//   - a killer SIGKILLs a random worker every few seconds and starts a new one,
//   - once mid-run (full run only, see --pg-restart) PostgreSQL is stopped and started again while the
//     API is probed (GET /readyz and a write): 503 meanwhile, 200/202 again without restarting the API.
//   - once mid-run one connection's key is revoked at the sandbox (rotated: the old key answers 401):
//     fleetgate fails that connection and holds its queue; a few more writes are sent to it meanwhile;
//     after a while the harness PATCHes the connection with the new key, as a partner would, and the
//     queue is released. While revoked, that connection's operations must each be terminal or held
//     (pending, not in flight), none failed for auth; one connection.staled reaches a webhook receiver
//     (Catena has no event for a connection that works again).
// Seven writes in ten create users, two vehicles and one a trailer (a Motive asset), all on the same
// connections, queues and rate-limit schedules. A few pairs of user writes share an email on purpose:
// Motive refuses the second (422), so the run has failures whose cause is known in advance.
// When every operation is terminal it checks (and prints): every operation terminal; none lost; none
// invented; successes == users, vehicles and assets at the sandbox, resource by resource (the same external
// ids, the same source ids); zero
// duplicate external ids; every failure explained by its logs; no lease left; no process died on its own;
// the API answered only 2xx/503 to writes and recovered from the restart. Exit code 1 if a check fails.
//
//   npm run chaos -- [--ops 5000] [--connections 4] [--seconds 900] [--workers 2] [--fault-rate 0.2]
//                    [--pg-down-ms 1000] [--no-pg-restart | --terminate-backends] [--no-revoke] [--keep-db] [--json FILE]
//
// The PostgreSQL restart (pg_ctlcluster stop, --pg-down-ms, start) stops the whole cluster: every
// database on the machine, other people's tests included. --terminate-backends replaces it with a
// storm of pg_terminate_backend on the run's database alone (what test/chaos.test.ts uses).
// Admin URL: CHAOS_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { Agent, request } from 'undici';
import { isRetryable } from '../src/engine/policy/retry.ts';
import type { ErrorType } from '../src/tsps/kit/types.ts';
import { startMotiveSandbox } from '../src/sandbox/motive/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'src/main/cli.ts');
const run = promisify(execFile);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface ChaosOptions {
  ops: number;
  connections: number;
  /** Overall limit for the run (submission + drain), seconds. */
  seconds: number;
  workers?: number;
  workerConcurrency?: number;
  /** HTTP requests in flight while submitting. */
  submitConcurrency?: number;
  /** Share of sandbox answers that are faults (the rest are normal). */
  faultRate?: number;
  /** Share of operations that reuse the email of an earlier one on the same connection (known 422s). */
  duplicateEmailRate?: number;
  /** A worker is SIGKILLed every [min, max] ms (uniform). */
  killEveryMs?: [number, number];
  /** Stop and start PostgreSQL once, when this share of the operations has been submitted. */
  pgRestart?: boolean;
  /**
   * Without pgRestart: a "connection storm" instead, confined to the run's database: every backend of
   * it is terminated (pg_terminate_backend, what a restart does to sessions) every 25 ms for pgDownMs.
   * Safe beside other users of the cluster, so the CI-sized run uses it.
   */
  terminateBackends?: boolean;
  pgRestartAt?: number;
  /** How long PostgreSQL stays down. */
  pgDownMs?: number;
  /** Revoke one connection's key at the TSP mid-run, then restore it with a credential update. */
  revoke?: boolean;
  /** When this share of the operations has been submitted. */
  revokeAt?: number;
  /** How long the connection stays failed before the partner's credential update (at least lease + timeout). */
  revokedMs?: number;
  /** Writes sent to the failed connection while it is failed (held until the restore). */
  revokedWrites?: number;
  /** A PostgreSQL URL with CREATE DATABASE rights; the run's database is created beside it. */
  adminUrl?: string;
  /** fleetgate settings for the processes. */
  timeoutMs?: number;
  leaseMs?: number;
  retryBaseMs?: number;
  maxAttempts?: number;
  keepDatabase?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ChaosReport {
  options: Required<Omit<ChaosOptions, 'log' | 'adminUrl'>>;
  database: string;
  logDir: string;
  durationMs: number;
  submitMs: number;
  drainMs: number;
  submitted: number;
  /** Write answers the harness retried: 503s, network errors, other 5xx (a bug). */
  submitRetries: { status503: number; network: number; other: Record<string, number> };
  submitRejected: Array<{ index: number; status: number; body: string }>;
  statuses: Record<string, number>;
  /** Records at the sandboxes, all resources. */
  recordsTotal: number;
  /** Records at the sandboxes by native list (users, vehicles, assets). */
  recordsAtSandboxes: Record<string, number>;
  distinctExternalIds: number;
  duplicateEmailPairs: number;
  kills: number;
  unexpectedExits: Array<{ name: string; code: number | null; signal: string | null; tail: string }>;
  pgRestart: null | {
    mode: 'restart' | 'terminate';
    downMs: number;
    terminated: number;
    readyz: Record<string, number>;
    write: Record<string, number>;
    /** From `pg_ctlcluster start` being issued to the first 200 on /readyz and the first 202 on the write. */
    readyAfterMs: number | null;
    writeAfterMs: number | null;
    apiRestarted: boolean;
  };
  faults: { queued: Record<string, number>; consumed: Record<string, number> };
  revocation: null | {
    connectionId: string;
    /** From the key's revocation to the connection seen failed. */
    failedAfterMs: number | null;
    statusReason: string | null;
    /** The revoked connection's operations when the check ran (just before the restore). */
    atCheck: { total: number; terminal: number; held: number; inFlight: number; failedForAuth: number; heldAfterAuth: number; connectionStatus: string };
    writesWhileFailed: number;
    /** PATCH answers until the new key was accepted (a sandbox fault can make the check fail: retried). */
    restoreAnswers: Record<string, number>;
    failedForMs: number;
    /** Distinct webhook messages per event type for the connection. */
    events: Record<string, number>;
    finalStatus: string | null;
  };
  attempts: { total: number; logged: number; byOutcome: Record<string, number> };
  failures: Record<string, number>;
  workerWarnings: Record<string, number>;
  checks: Check[];
  ok: boolean;
}

const DEFAULTS = {
  workers: 2,
  workerConcurrency: 8,
  submitConcurrency: 16,
  faultRate: 0.2,
  duplicateEmailRate: 0.01,
  killEveryMs: [3000, 6000] as [number, number],
  pgRestart: true,
  terminateBackends: false,
  pgRestartAt: 0.4,
  pgDownMs: 1000,
  revoke: true,
  revokeAt: 0.6,
  revokedMs: 0,
  revokedWrites: 10,
  timeoutMs: 1000,
  leaseMs: 3000,
  retryBaseMs: 100,
  maxAttempts: 12,
  keepDatabase: false,
};

// ---------------------------------------------------------------------------------------------------
// Processes

interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: string | null }>;
  killedByUs: boolean;
  logFile: string;
}

function spawnCli(name: string, args: string[], env: Record<string, string>, logDir: string, onLine?: (line: string) => void): Proc {
  const logFile = path.join(logDir, `${name}.log`);
  const out = fs.createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    out.write(d);
    if (!onLine) return;
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const l of lines) onLine(l);
  });
  child.stderr!.on('data', (d: Buffer) => out.write(d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      out.end();
      resolve({ code, signal });
    }),
  );
  return { name, child, exited, killedByUs: false, logFile };
}

const tail = (file: string, n = 15) => {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
};

// ---------------------------------------------------------------------------------------------------
// Faults

/** What a chaos write creates: the API path segment (users, vehicles, trailers) and its body. */
type ChaosKind = 'users' | 'vehicles' | 'trailers' | 'messages' | 'fuel-transactions';
interface ChaosWrite {
  kind: ChaosKind;
  body: Record<string, unknown>;
}

type FaultKind = 'none' | '500' | '429' | 'timeout' | 'lost_5xx' | 'lost_timeout';
type Fault = { status?: number; headers?: Record<string, string>; body?: unknown; delay_ms?: number; after_apply?: boolean };

function faultKind(f: Fault): FaultKind {
  if (f.after_apply) return f.status !== undefined ? 'lost_5xx' : 'lost_timeout';
  if (f.status === 429) return '429';
  if (f.status !== undefined) return '500';
  if (f.delay_ms) return 'timeout';
  return 'none';
}

function makeFault(rate: number, timeoutMs: number, random: () => number): Fault {
  if (random() >= rate) return {};
  const r = random();
  const late = timeoutMs + 500;
  if (r < 0.3) return { status: 500, body: { error_message: 'Internal Server Error' } };
  if (r < 0.4) return { status: 429, headers: { 'retry-after': '1' }, body: { error_message: 'Rate limit exceeded' } };
  if (r < 0.65) return { delay_ms: late };
  if (r < 0.85) return { after_apply: true, status: random() < 0.5 ? 502 : 500, body: 'Bad Gateway' };
  return { after_apply: true, delay_ms: late };
}

// ---------------------------------------------------------------------------------------------------

const count = (rec: Record<string, number>, key: string, by = 1) => {
  rec[key] = (rec[key] ?? 0) + by;
};

export async function runChaos(input: ChaosOptions): Promise<ChaosReport> {
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as Required<ChaosOptions>;
  const log = input.log ?? (() => {});
  const started = Date.now();
  const deadline = started + o.seconds * 1000;
  const runId = randomBytes(4).toString('hex');
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), `fleetgate-chaos-${runId}-`));
  const adminUrl = o.adminUrl ?? process.env.CHAOS_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `fleetgate_chaos_${runId}`;
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;

  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const submitRetries = { status503: 0, network: 0, other: {} as Record<string, number> };
  const submitRejected: ChaosReport['submitRejected'] = [];
  const unexpectedExits: ChaosReport['unexpectedExits'] = [];
  const queued: Record<string, number> = {};
  const consumed: Record<string, number> = {};
  let pgReport: ChaosReport['pgRestart'] = null;
  let revocation: ChaosReport['revocation'] = null;
  let revocationError: string | null = null;
  let kills = 0;
  let stopping = false;
  let pgIsDown = false;

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: 2 });
  pool.on('error', () => {});

  const sandbox = await startMotiveSandbox({ port: 0 });
  // The partner's webhook endpoint for connection events (at least once: counted by message id).
  const hookEvents: Array<{ messageId: string; type: string; connectionId: string }> = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      try {
        // Catena's delivery: a gzip body {version, event_name, data: [...], webhook_id, id, ...}.
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
        const e = JSON.parse(body) as { id: string; event_name: string; data?: Array<{ id?: string }> };
        hookEvents.push({ messageId: String(e.id), type: e.event_name, connectionId: String(e.data?.[0]?.id) });
      } catch {
        // not an event: ignored
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const receiverAddr = receiver.address();
  const receiverUrl = `http://127.0.0.1:${typeof receiverAddr === 'object' && receiverAddr ? receiverAddr.port : 0}/hook`;
  const http = new Agent({ connections: 64, keepAliveTimeout: 10_000 });
  const procs: Proc[] = [];
  const workers: Proc[] = [];
  let api: Proc | undefined;
  const background: Array<Promise<unknown>> = [];

  const clientId = `chaos-${runId}`;
  const clientSecret = randomBytes(24).toString('hex');
  const env: Record<string, string> = {
    DATABASE_URL: dbUrl.toString(),
    FLEETGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    FLEETGATE_DATA_DIR: path.join(logDir, 'data'),
    FLEETGATE_SYNC_TIMEOUT_MS: String(o.timeoutMs),
    FLEETGATE_LEASE_MS: String(o.leaseMs),
    FLEETGATE_RETRY_BASE_MS: String(o.retryBaseMs),
    FLEETGATE_MAX_ATTEMPTS: String(o.maxAttempts),
    // The sandboxes listen on loopback.
    FLEETGATE_ALLOW_PRIVATE_URLS: 'true',
    LOG_LEVEL: 'info',
  };

  const watch = (p: Proc) => {
    procs.push(p);
    void p.exited.then(({ code, signal }) => {
      if (!p.killedByUs && !stopping) unexpectedExits.push({ name: p.name, code, signal, tail: tail(p.logFile) });
    });
    return p;
  };
  let workerSerial = 0;
  const startWorkerProc = () => watch(spawnCli(`worker-${++workerSerial}`, ['worker', '--concurrency', String(o.workerConcurrency)], env, logDir));

  const call = async (method: string, url: string, opts: { headers?: Record<string, string>; json?: unknown; form?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    }
    const res = await request(url, { method: method as 'GET', headers, body, dispatcher: http, headersTimeout: 30_000, bodyTimeout: 30_000 });
    const text = await res.body.text();
    let parsed: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are read field by field
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.statusCode, body: parsed, text };
  };

  try {
    // --- fleetgate: one API process, then the workers ---------------------------------------------
    let apiUrl = '';
    const listening = new Promise<void>((resolve) => {
      api = watch(
        spawnCli('api', ['serve', '--no-worker'], { ...env, PORT: '0', FLEETGATE_BOOTSTRAP_CLIENT_ID: clientId, FLEETGATE_BOOTSTRAP_CLIENT_SECRET: clientSecret }, logDir, (line) => {
          if (!apiUrl && line.includes('"msg":"fleetgate listening"')) {
            apiUrl = (JSON.parse(line) as { url: string }).url;
            resolve();
          }
        }),
      );
    });
    await Promise.race([
      listening,
      api!.exited.then(() => Promise.reject(new Error(`the API process exited at start:\n${tail(api!.logFile)}`))),
      sleep(60_000).then(() => Promise.reject(new Error('the API process did not start within 60 s'))),
    ]);
    log(`api ${apiUrl} (logs: ${logDir}), database ${dbName}`);
    for (let i = 0; i < o.workers; i++) workers.push(startWorkerProc());

    const token = await call('POST', `${apiUrl}/oauth/token`, { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
    if (token.status !== 200) throw new Error(`token: ${token.status} ${token.text}`);
    const auth = { authorization: `Bearer ${token.body.access_token as string}` };
    if (o.revoke) {
      const hook = await call('POST', `${apiUrl}/v2/notifications/webhooks`, {
        headers: auth,
        json: { url: receiverUrl, event_name: 'connection.staled' },
      });
      if (hook.status !== 200) throw new Error(`webhook: ${hook.status} ${hook.text}`);
    }

    // --- connections, one sandbox account each ----------------------------------------------------
    const conns: Array<{ id: string; apiKey: string }> = [];
    for (let k = 0; k < o.connections; k++) {
      const acct = await call('POST', `${sandbox.url}/_sandbox/accounts`);
      const apiKey = acct.body.api_key as string;
      await call('PUT', `${sandbox.url}/_sandbox/settings`, { headers: { 'x-api-key': apiKey }, json: { rate_limit_per_minute: 1_000_000 } });
      const conn = await call('POST', `${apiUrl}/v2/integrations/connections`, {
        headers: auth,
        json: { tsp: 'motive', base_url: sandbox.url, credentials: { api_key: apiKey }, rate_limit_per_minute: 100_000, fleet_ref: `chaos-${k}` },
      });
      if (conn.status !== 200) throw new Error(`connection: ${conn.status} ${conn.text}`);
      conns.push({ id: conn.body.id as string, apiKey });
    }

    // --- what messages and fuel transactions refer to: per connection, a sender, a driver and a truck,
    // written through fleetgate (sync) before the faults begin -------------------------------------
    const refsOf: Array<{ sender: string; driver: string; vehicle: string }> = [];
    const referenceOps: string[] = [];
    for (const c of conns) {
      const sync = async (plural: string, json: Record<string, unknown>): Promise<string> => {
        const res = await call('POST', `${apiUrl}/v2/telematics/${plural}?is_sync=true`, { headers: auth, json: { connection_id: c.id, ...json } });
        if (res.status !== 200 || res.body.status !== 'success') throw new Error(`reference ${plural}: ${res.status} ${res.text}`);
        referenceOps.push(res.body.id as string);
        return res.body.resource_id as string;
      };
      refsOf.push({
        sender: await sync('users', { first_name: 'Chaos', last_name: 'Dispatcher', user_email: `chaos-${runId}-dispatch-${c.id}@example.com`, phone_country_code: '+1' }),
        driver: await sync('users', { first_name: 'Chaos', last_name: 'Driver', user_email: `chaos-${runId}-driver-${c.id}@example.com`, phone_country_code: '+1' }),
        vehicle: await sync('vehicles', { vehicle_name: `Chaos reference truck ${c.id.slice(0, 8)}` }),
      });
    }

    // --- the fault injector: keeps each account's queue stocked -----------------------------------
    let seed = Number.parseInt(runId, 16) || 1;
    const random = () => {
      // mulberry32: reproducible fault mix per run id
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let injecting = true;
    background.push(
      (async () => {
        while (injecting) {
          for (const c of conns) {
            try {
              const pending = await call('GET', `${sandbox.url}/_sandbox/faults`, { headers: { 'x-api-key': c.apiKey } });
              if ((pending.body.faults as unknown[]).length < 50) {
                const faults = Array.from({ length: 100 }, () => makeFault(o.faultRate, o.timeoutMs, random));
                await call('POST', `${sandbox.url}/_sandbox/faults`, { headers: { 'x-api-key': c.apiKey }, json: { faults } });
                for (const f of faults) count(queued, faultKind(f));
              }
            } catch (err) {
              log(`injector: ${(err as Error).message}`);
            }
          }
          await sleep(100);
        }
      })(),
    );

    // --- the killer -------------------------------------------------------------------------------
    let killing = true;
    // Paused around the PostgreSQL restart: `fleetgate worker` refuses to boot without its database.
    let killerPaused = false;
    background.push(
      (async () => {
        while (killing) {
          const [min, max] = o.killEveryMs;
          const wait = min + Math.random() * (max - min);
          const until = Date.now() + wait;
          while (killing && (Date.now() < until || killerPaused)) await sleep(50);
          if (!killing) break;
          const i = Math.floor(Math.random() * workers.length);
          const victim = workers[i]!;
          victim.killedByUs = true;
          victim.child.kill('SIGKILL');
          await victim.exited;
          kills++;
          workers[i] = startWorkerProc();
        }
      })(),
    );
    // A worker that died on its own is replaced too (and reported: a check fails).
    background.push(
      (async () => {
        while (!stopping) {
          for (let i = 0; i < workers.length; i++) {
            if (workers[i]!.child.exitCode !== null && !workers[i]!.killedByUs) workers[i] = startWorkerProc();
          }
          await sleep(500);
        }
      })(),
    );

    // --- the operations: bodies, with a few known-duplicate emails --------------------------------
    const K = o.connections;
    // Of twenty writes, twelve are users, four vehicles, two trailers (Motive assets), one a message and
    // one a fuel transaction: all share each connection's queue, rate-limit schedule and faults.
    const kindOf = (i: number): ChaosKind =>
      i % 10 === 7 || i % 10 === 8 ? 'vehicles' : i % 10 === 9 ? 'trailers' : i % 20 === 5 ? 'messages' : i % 20 === 15 ? 'fuel-transactions' : 'users';
    const emailOf: number[] = [];
    const paired = new Set<number>();
    let duplicateEmailPairs = 0;
    for (let i = 0; i < o.ops; i++) {
      emailOf[i] = i;
      const partner = i - K;
      if (kindOf(i) !== 'users' || partner < 0 || kindOf(partner) !== 'users') continue;
      if (!paired.has(partner) && emailOf[partner] === partner && random() < o.duplicateEmailRate) {
        emailOf[i] = partner;
        paired.add(partner);
        paired.add(i);
        duplicateEmailPairs++;
      }
    }
    const bodyOf = (i: number): ChaosWrite => {
      const connection_id = conns[i % K]!.id;
      const kind = kindOf(i);
      if (kind === 'vehicles') {
        return { kind, body: { connection_id, vehicle_name: `Chaos truck ${i}`, oem: 'Freightliner', model_type: 'Cascadia', model_year: 2022, vin: `CHAOS${String(i).padStart(12, '0')}` } };
      }
      const refs = refsOf[i % K]!;
      if (kind === 'messages') {
        return { kind, body: { connection_id, sender_id: refs.sender, recipient_id: refs.driver, message_text: `chaos ${runId} message ${i}` } };
      }
      if (kind === 'fuel-transactions') {
        return {
          kind,
          body: {
            connection_id,
            driver_id: refs.driver,
            vehicle_id: refs.vehicle,
            fuel_volume: 40 + (i % 7),
            fuel_volume_unit: 'US_GALLON',
            transaction_time: new Date(Date.UTC(2026, 10, 1, 12, 0, i % 60)).toISOString(),
            transaction_jurisdiction: 'TX',
            fuel_type: 'DIESEL',
            // Marks the purchase as this operation's: the audit counts purchases per operation by it.
            fuel_vendor: `chaos-${runId}-${i}`,
          },
        };
      }
      if (kind === 'trailers') {
        return { kind, body: { connection_id, trailer_name: `Chaos trailer ${i}`, trailer_type: 'Flatbed', oem: 'Utility', model_type: '4000D-X', model_year: 2021 } };
      }
      return {
        kind,
        body: { connection_id, first_name: 'Chaos', last_name: `Op-${i}`, user_email: `chaos-${runId}-${emailOf[i]}@example.com`, phone_country_code: '+1' },
      };
    };

    // Every operation submitted, the reference writes above included.
    const ids: string[] = [...referenceOps];
    const submitOne = async (
      key: string,
      write: ChaosWrite,
      onStatus?: (s: number | 'network') => void,
      retryMs?: number,
    ): Promise<{ id?: string; status: number; text: string }> => {
      for (let tries = 0; ; tries++) {
        try {
          const res = await call('POST', `${apiUrl}/v2/telematics/${write.kind}`, { headers: { ...auth, 'idempotency-key': key }, json: write.body });
          onStatus?.(res.status);
          if (res.status === 202 || res.status === 200) return { id: res.body.id as string, status: res.status, text: res.text };
          if (res.status === 503) submitRetries.status503++;
          else if (res.status >= 500) count(submitRetries.other, String(res.status));
          else return { status: res.status, text: res.text };
        } catch {
          onStatus?.('network');
          submitRetries.network++;
        }
        if (Date.now() > deadline) return { status: 0, text: 'gave up: the run deadline passed' };
        await sleep(retryMs ?? Math.min(2000, 100 + tries * 100));
      }
    };

    // --- PostgreSQL restart with probes -----------------------------------------------------------
    let restartDone: Promise<void> = Promise.resolve();
    const restartPostgres = async () => {
      const version = fs.readdirSync('/etc/postgresql').sort()[0]!;
      const readyz: Record<string, number> = {};
      const write: Record<string, number> = {};
      let startedAt = 0;
      let readyAfterMs: number | null = null;
      let writeAfterMs: number | null = null;
      let probing = true;
      const apiPid = api!.child.pid;
      let writeProbe: Promise<{ id?: string; status: number; text: string }> | undefined;
      const readyProbe = (async () => {
        while (probing) {
          try {
            const r = await call('GET', `${apiUrl}/readyz`);
            count(readyz, String(r.status));
            if (r.status === 200 && startedAt && readyAfterMs === null) readyAfterMs = Date.now() - startedAt;
          } catch {
            count(readyz, 'network');
          }
          await sleep(100);
        }
      })();
      // No worker may be booting (running migrations) when the database goes away.
      killerPaused = true;
      await sleep(500);
      for (const w of workers) {
        const until = Date.now() + 30_000;
        while (Date.now() < until && w.child.exitCode === null && !fs.readFileSync(w.logFile, 'utf8').includes('fleetgate worker started')) await sleep(100);
      }
      await sleep(300);
      const mode = o.pgRestart ? 'restart' : 'terminate';
      log(mode === 'restart' ? `postgres: stopping cluster ${version}/main for ${o.pgDownMs} ms` : `postgres: terminating every backend of ${dbName} for ${o.pgDownMs} ms`);
      const t0 = Date.now();
      let terminated = 0;
      const startProbe = () =>
        submitOne(
          `chaos-${runId}-probe`,
          { kind: 'users', body: { ...bodyOf(0).body, last_name: 'Probe', user_email: `chaos-${runId}-probe@example.com` } },
          (st) => {
            count(write, String(st));
            if ((st === 202 || st === 200) && writeAfterMs === null) writeAfterMs = startedAt ? Date.now() - startedAt : 0;
          },
          200,
        );
      if (mode === 'restart') {
        pgIsDown = true;
        try {
          await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'stop']);
          // The database is down now: one logical write, retried with its key every 200 ms until accepted.
          writeProbe = startProbe();
          await sleep(o.pgDownMs);
        } finally {
          startedAt = Date.now();
          await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
          pgIsDown = false;
        }
      } else {
        const killer = new pg.Client({ connectionString: adminUrl });
        await killer.connect();
        writeProbe = startProbe();
        while (Date.now() - t0 < o.pgDownMs) {
          const r = await killer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [dbName]);
          terminated += r.rowCount ?? 0;
          await sleep(25);
        }
        await killer.end();
        startedAt = Date.now();
      }
      const upAt = Date.now();
      log(mode === 'restart' ? `postgres: started again after ${upAt - t0} ms down` : `postgres: ${terminated} backends terminated`);
      const probe = await writeProbe!;
      if (probe.id) ids.push(probe.id);
      else submitRejected.push({ index: -1, status: probe.status, body: probe.text });
      const waitUntil = Date.now() + 30_000;
      while (readyAfterMs === null && Date.now() < waitUntil) await sleep(50);
      probing = false;
      await readyProbe;
      killerPaused = false;
      pgReport = { mode, terminated, downMs: upAt - t0, readyz, write, readyAfterMs, writeAfterMs, apiRestarted: api!.child.pid !== apiPid || api!.child.exitCode !== null };
    };

    // --- revocation: one connection's key revoked at the TSP, restored by a credential update --------
    const dbQuery = async <R extends pg.QueryResultRow>(text: string, params: unknown[]): Promise<R[]> => {
      // Retried: the database phase may be terminating sessions.
      for (let tries = 0; ; tries++) {
        try {
          return (await pool.query<R>(text, params)).rows;
        } catch (err) {
          if (tries >= 50) throw err;
          await sleep(100);
        }
      }
    };
    const revokeAndRestore = async () => {
      // Not while the database phase runs: each is judged on its own.
      await restartDone;
      const c = conns[conns.length - 1]!;
      const revokedMs = o.revokedMs || o.leaseMs + 3 * o.timeoutMs + 1000;
      const rotatedAt = Date.now();
      const rotated = await call('POST', `${sandbox.url}/_sandbox/rotate_key`, { headers: { 'x-api-key': c.apiKey } });
      if (rotated.status !== 201) throw new Error(`rotate_key: ${rotated.status} ${rotated.text}`);
      const newKey = rotated.body.api_key as string;
      // The account's key from now on: the injector and the audit use it; fleetgate still has the old one.
      c.apiKey = newKey;
      log(`revocation: the key of connection ${c.id} revoked at the sandbox`);
      let writesWhileFailed = 0;
      const revokedWrite = async (j: number) => {
        const res = await submitOne(`chaos-${runId}-revoked-${j}`, {
          kind: 'users',
          body: { connection_id: c.id, first_name: 'Chaos', last_name: `Revoked-${j}`, user_email: `chaos-${runId}-revoked-${j}@example.com`, phone_country_code: '+1' },
        });
        if (res.id) ids.push(res.id);
        else submitRejected.push({ index: -2 - j, status: res.status, body: res.text.slice(0, 500) });
      };
      const half = Math.ceil(o.revokedWrites / 2);
      await Promise.all(Array.from({ length: half }, (_, j) => revokedWrite(j)));
      let failedAt: number | null = null;
      let statusReason: string | null = null;
      while (Date.now() < deadline) {
        const [row] = await dbQuery<{ status: string; status_reason: string | null }>('SELECT status, status_reason FROM connections WHERE id = $1', [c.id]);
        if (row?.status === 'failed') {
          failedAt = Date.now();
          statusReason = row.status_reason;
          break;
        }
        await sleep(50);
      }
      log(`revocation: connection failed ${failedAt === null ? 'never' : `after ${failedAt - rotatedAt} ms`} (${statusReason})`);
      // Later writes to the failed connection: taken, and held with the rest.
      await Promise.all(Array.from({ length: o.revokedWrites - half }, (_, j) => revokedWrite(half + j).then(() => writesWhileFailed++)));
      // Long enough for every attempt in flight when it failed to end, and every lease of a killed worker to expire.
      while (Date.now() < (failedAt ?? rotatedAt) + revokedMs) await sleep(50);
      const rows = await dbQuery<{ status: string; live: boolean; last_error: string | null; had_auth: boolean }>(
        `SELECT o.status, (o.lease_until IS NOT NULL AND o.lease_until > now()) AS live,
                (SELECT l.error_type FROM operation_logs l WHERE l.resource_operation_id = o.id ORDER BY l.attempt DESC, l.created_at DESC LIMIT 1) AS last_error,
                EXISTS (SELECT 1 FROM operation_logs l WHERE l.resource_operation_id = o.id AND l.error_type = 'auth') AS had_auth
           FROM resource_operations o WHERE o.connection_id = $1`,
        [c.id],
      );
      const [conn] = await dbQuery<{ status: string }>('SELECT status FROM connections WHERE id = $1', [c.id]);
      const pending = rows.filter((r) => r.status === 'pending');
      const atCheck = {
        total: rows.length,
        terminal: rows.length - pending.length,
        held: pending.filter((r) => !r.live).length,
        inFlight: pending.filter((r) => r.live).length,
        failedForAuth: rows.filter((r) => r.status === 'failed' && r.last_error === 'auth').length,
        heldAfterAuth: pending.filter((r) => r.had_auth).length,
        connectionStatus: conn?.status ?? 'missing',
      };
      log(`revocation: at the check ${JSON.stringify(atCheck)}; restoring with the new key`);
      // The partner saves the new key. fleetgate checks it at the sandbox, whose fault queue may answer
      // that check with a 5xx, a 429 or a timeout (422 tsp_unreachable): a partner tries again.
      const restoreAnswers: Record<string, number> = {};
      const restoreStart = Date.now();
      for (;;) {
        let status: number | 'network' = 'network';
        try {
          status = (await call('PATCH', `${apiUrl}/v2/integrations/connections/${c.id}`, { headers: auth, json: { credentials: { api_key: newKey } } })).status;
        } catch {
          // the API may be unreachable for a moment
        }
        count(restoreAnswers, String(status));
        if (status === 200 || Date.now() > deadline) break;
        await sleep(200);
      }
      log(`revocation: restore answered ${JSON.stringify(restoreAnswers)}`);
      revocation = {
        connectionId: c.id,
        failedAfterMs: failedAt === null ? null : failedAt - rotatedAt,
        statusReason,
        atCheck,
        writesWhileFailed,
        restoreAnswers,
        failedForMs: Date.now() - (failedAt ?? restoreStart),
        events: {},
        finalStatus: null,
      };
    };

    // --- submit ------------------------------------------------------------------------------------
    const submitStart = Date.now();
    let next = 0;
    let restartTriggered = !o.pgRestart && !o.terminateBackends;
    const restartAt = Math.floor(o.ops * o.pgRestartAt);
    let revocationDone: Promise<void> = Promise.resolve();
    let revokeTriggered = !o.revoke;
    const revokeAt = Math.floor(o.ops * o.revokeAt);
    const progress = setInterval(() => void report('submitting'), 5000);
    const report = async (phase: string) => {
      try {
        const r = await pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM resource_operations GROUP BY status');
        const s = Object.fromEntries(r.rows.map((x) => [x.status, x.n]));
        log(`${phase}: ${Math.round((Date.now() - started) / 1000)} s, submitted ${ids.length}/${o.ops}, ${JSON.stringify(s)}, kills ${kills}`);
        return s as Record<string, number>;
      } catch (err) {
        log(`${phase}: database unreachable (${(err as Error).message})`);
        return undefined;
      }
    };
    await Promise.all(
      Array.from({ length: o.submitConcurrency }, async () => {
        while (next < o.ops && Date.now() < deadline) {
          const i = next++;
          if (!restartTriggered && i >= restartAt) {
            restartTriggered = true;
            restartDone = restartPostgres();
          }
          if (!revokeTriggered && i >= revokeAt) {
            revokeTriggered = true;
            revocationDone = revokeAndRestore().catch((err: unknown) => {
              revocationError = (err as Error).message;
            });
          }
          const res = await submitOne(`chaos-${runId}-${i}`, bodyOf(i));
          if (res.id) ids.push(res.id);
          else submitRejected.push({ index: i, status: res.status, body: res.text.slice(0, 500) });
        }
      }),
    );
    await restartDone;
    await revocationDone;
    const submitMs = Date.now() - submitStart;
    clearInterval(progress);
    log(`submitted ${ids.length} operations in ${(submitMs / 1000).toFixed(1)} s`);

    // --- drain -------------------------------------------------------------------------------------
    const drainStart = Date.now();
    let lastLog = 0;
    for (;;) {
      let pending = -1;
      try {
        const r = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource_operations WHERE status = 'pending'`);
        pending = r.rows[0]!.n;
      } catch {
        // the database may be restarting
      }
      if (pending === 0 || Date.now() > deadline) break;
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        await report('draining');
      }
      await sleep(250);
    }
    const drainMs = Date.now() - drainStart;
    if (revocation) {
      // The connection's event is delivered by the workers, at least once: wait for it.
      const r = revocation as NonNullable<ChaosReport['revocation']>;
      const seen = () => new Set(hookEvents.filter((e) => e.connectionId === r.connectionId).map((e) => e.type));
      const until = Date.now() + 20_000;
      while (Date.now() < until && seen().size < 1) await sleep(100);
      for (const type of ['connection.staled']) {
        r.events[type] = new Set(hookEvents.filter((e) => e.connectionId === r.connectionId && e.type === type).map((e) => e.messageId)).size;
      }
    }
    killing = false;
    injecting = false;
    await Promise.all(background.slice(0, 2));

    // What the fault queues still hold was never consumed.
    for (const c of conns) {
      const left = await call('GET', `${sandbox.url}/_sandbox/faults`, { headers: { 'x-api-key': c.apiKey } });
      await call('DELETE', `${sandbox.url}/_sandbox/faults`, { headers: { 'x-api-key': c.apiKey } });
      for (const f of left.body.faults as Fault[]) count(consumed, faultKind(f), -1);
    }
    for (const [k, n] of Object.entries(queued)) count(consumed, k, n);
    // Writes delayed past the timeout may still be on their way to the sandbox: let them land.
    await sleep(o.timeoutMs + 1000);

    // --- stop fleetgate: workers first (SIGTERM: finish in flight), then the API -------------------
    stopping = true;
    await Promise.all(background);
    // A worker SIGTERMed before its signal handler is installed would just die: let the last ones start.
    for (const w of workers) {
      const until = Date.now() + 30_000;
      while (Date.now() < until && w.child.exitCode === null && !fs.readFileSync(w.logFile, 'utf8').includes('fleetgate worker started')) await sleep(100);
    }
    for (const w of workers) w.child.kill('SIGTERM');
    const workerCodes = await Promise.all(workers.map((w) => Promise.race([w.exited, sleep(15_000).then(() => ({ code: -1, signal: 'timeout' }))])));
    api!.child.kill('SIGTERM');
    const apiCode = await Promise.race([api!.exited, sleep(15_000).then(() => ({ code: -1, signal: 'timeout' }))]);

    // --- audit -------------------------------------------------------------------------------------
    const ops = (
      await pool.query<{
        id: string;
        connection_id: string;
        resource: string;
        status: string;
        resource_id: string;
        source_id: string | null;
        attempts: number;
        attempts_base: number;
        lease_owner: string | null;
        payload: Record<string, unknown>;
      }>('SELECT id, connection_id, resource, status, resource_id, source_id, attempts, attempts_base, lease_owner, payload FROM resource_operations')
    ).rows;
    const logs = (
      await pool.query<{ op: string; attempt: number; status: string; error_type: string | null; error_details: string | null; code: number | null }>(
        `SELECT resource_operation_id AS op, attempt, status, error_type, error_details, response_status_code AS code
           FROM operation_logs ORDER BY resource_operation_id, attempt, created_at, id`,
      )
    ).rows;
    const logsOf = new Map<string, typeof logs>();
    for (const l of logs) {
      const list = logsOf.get(l.op) ?? [];
      list.push(l);
      logsOf.set(l.op, list);
    }
    const statuses: Record<string, number> = {};
    for (const op of ops) count(statuses, op.status);

    check('every write accepted', submitRejected.length === 0, submitRejected.length ? `${submitRejected.length} refused, first: ${JSON.stringify(submitRejected[0])}` : `${ids.length} accepted (202)`);
    const pendingOps = ops.filter((op) => op.status === 'pending');
    check('every operation terminal', pendingOps.length === 0, pendingOps.length ? `${pendingOps.length} still pending, e.g. ${pendingOps[0]!.id}` : `${ops.length} terminal`);

    const byId = new Map(ops.map((op) => [op.id, op]));
    const missing = ids.filter((id) => !byId.has(id));
    const submittedSet = new Set(ids);
    const extra = ops.filter((op) => !submittedSet.has(op.id));
    check('zero operations lost', missing.length === 0, missing.length ? `${missing.length} accepted ids missing, e.g. ${missing[0]}` : `all ${ids.length} accepted ids stored`);
    check('zero operations invented', extra.length === 0 && submittedSet.size === ids.length, `${extra.length} stored operations nobody submitted; ${ids.length - submittedSet.size} ids answered twice`);

    // Records at the sandboxes vs successful operations, connection by connection and resource by
    // resource: users (/v1/users), vehicles (/v1/vehicles), trailers (Motive assets, /v1/assets).
    type NativeRecord = { id: number; external_ids: Array<{ external_id: string; integration_name: string }> };
    const NATIVE = [
      { resource: 'user', list: 'users', one: 'user' },
      { resource: 'vehicle', list: 'vehicles', one: 'vehicle' },
      { resource: 'trailer', list: 'assets', one: 'asset' },
    ] as const;
    const atTsp: Record<string, number> = {};
    let recordsTotal = 0;
    const externalIds: string[] = [];
    const bijection: string[] = [];
    for (const c of conns) {
      for (const kind of NATIVE) {
        const records: NativeRecord[] = [];
        for (let page = 1; ; page++) {
          const res = await call('GET', `${sandbox.url}/v1/${kind.list}?per_page=100&page_no=${page}`, { headers: { 'x-api-key': c.apiKey } });
          if (res.status !== 200) throw new Error(`sandbox list ${kind.list}: ${res.status} ${res.text}`);
          const items = res.body[kind.list] as Array<Record<string, NativeRecord>>;
          records.push(...items.map((u) => u[kind.one]!));
          if (items.length < 100) break;
        }
        recordsTotal += records.length;
        count(atTsp, kind.list, records.length);
        const successes = ops.filter((op) => op.connection_id === c.id && op.resource === kind.resource && op.status === 'success');
        const byExt = new Map<string, NativeRecord>();
        for (const r of records) {
          for (const e of r.external_ids.filter((e) => e.integration_name === 'fleetgate')) {
            externalIds.push(e.external_id);
            byExt.set(e.external_id, r);
          }
        }
        const notAtTsp = successes.filter((op) => !byExt.has(op.resource_id));
        const wrongSource = successes.filter((op) => byExt.has(op.resource_id) && String(byExt.get(op.resource_id)!.id) !== op.source_id);
        const successIds = new Set(successes.map((op) => op.resource_id));
        const orphans = records.filter((r) => !r.external_ids.some((e) => successIds.has(e.external_id)));
        if (successes.length !== records.length || notAtTsp.length || wrongSource.length || orphans.length) {
          bijection.push(
            `connection ${c.id} ${kind.list}: ${successes.length} successes, ${records.length} at the TSP; ${notAtTsp.length} successes not at the TSP, ` +
              `${wrongSource.length} with another source_id, ${orphans.length} records of no successful operation` +
              (orphans.length ? ` (e.g. ${JSON.stringify(orphans[0]!.external_ids)}: ${byId.get(ops.find((op) => op.resource_id === orphans[0]!.external_ids[0]?.external_id)?.id ?? '')?.status ?? 'no operation'})` : ''),
          );
        }
      }
    }
    const successCount = ops.filter((op) => op.status === 'success' && NATIVE.some((n) => n.resource === op.resource)).length;
    check(
      'successes == records at the sandboxes (users, vehicles, trailers)',
      bijection.length === 0 && successCount === recordsTotal,
      bijection.length ? bijection.join('; ') : `${successCount} successes, ${JSON.stringify(atTsp)} at the TSP, the same external ids and source ids`,
    );
    const distinct = new Set(externalIds).size;
    check('zero duplicates by external id', distinct === externalIds.length && recordsTotal === externalIds.length, `${externalIds.length} external ids on ${recordsTotal} records, ${distinct} distinct`);

    // Messages and fuel purchases at the sandbox, operation by operation (each carries a text or vendor of
    // its own): none twice; each success exactly once, under its source_id; a failed one at most once.
    // Messages are found again after a lost answer (Motive's list of the sender's messages); fuel
    // purchases cannot be (no external id, no search), so a fuel create whose outcome is unknown fails
    // with that reason rather than be sent twice: it may then be at the TSP once.
    const sourceOf = new Map(ops.filter((op) => op.status === 'success').map((op) => [op.resource_id, op.source_id]));
    const sentOnce: string[] = [];
    const sentCounts = { messages: 0, fuel_purchases: 0 };
    for (const [k, c] of conns.entries()) {
      const listed = await call('GET', `${sandbox.url}/v2/messages?sender_id=${encodeURIComponent(sourceOf.get(refsOf[k]!.sender) ?? '')}`, { headers: { 'x-api-key': c.apiKey } });
      if (listed.status !== 200) throw new Error(`sandbox messages: ${listed.status} ${listed.text}`);
      const messages = (listed.body.messages as Array<{ message: { id: string; body: string } }>).map((m) => m.message);
      const purchases: Array<{ id: number; vendor: string | null }> = [];
      for (let page = 1; ; page++) {
        const res = await call('GET', `${sandbox.url}/v1/fuel_purchases?per_page=100&page_no=${page}`, { headers: { 'x-api-key': c.apiKey } });
        if (res.status !== 200) throw new Error(`sandbox fuel purchases: ${res.status} ${res.text}`);
        const items = (res.body.fuel_purchases as Array<{ fuel_purchase: { id: number; vendor: string | null } }>).map((f) => f.fuel_purchase);
        purchases.push(...items);
        if (items.length < 100) break;
      }
      sentCounts.messages += messages.length;
      sentCounts.fuel_purchases += purchases.length;
      for (const op of ops.filter((o) => o.connection_id === c.id && (o.resource === 'message' || o.resource === 'fuel_transaction'))) {
        const marker = op.resource === 'message' ? op.payload.message_text : op.payload.fuel_vendor;
        const found = op.resource === 'message' ? messages.filter((m) => m.body === marker) : purchases.filter((f) => f.vendor === marker);
        if (found.length > 1) sentOnce.push(`${op.resource} ${op.id}: ${found.length} at the TSP`);
        else if (op.status === 'success' && (found.length !== 1 || String(found[0]!.id) !== op.source_id)) sentOnce.push(`${op.resource} ${op.id}: success, ${found.length} at the TSP`);
      }
    }
    check('messages and fuel purchases: none twice at the TSP, every success there once', sentOnce.length === 0, sentOnce.length ? sentOnce.slice(0, 3).join('; ') : `${sentCounts.messages} messages, ${sentCounts.fuel_purchases} fuel purchases at the TSP`);

    // Failures: each must carry its cause in its log.
    const failures: Record<string, number> = {};
    const unexplained: string[] = [];
    const retryable = (t: string) => isRetryable(t as ErrorType, 'create');
    for (const op of ops.filter((op) => op.status === 'failed')) {
      const opLogs = logsOf.get(op.id) ?? [];
      const last = opLogs.at(-1);
      if (!last || last.status !== 'failed' || !last.error_type) {
        unexplained.push(`${op.id}: ${last ? `last log ${last.status}/${last.error_type}` : 'no log'}`);
        continue;
      }
      const exhausted = op.attempts - op.attempts_base >= o.maxAttempts;
      if (retryable(last.error_type) && !exhausted) {
        unexplained.push(`${op.id}: ${last.error_type} after ${op.attempts} attempts, yet not retried`);
        continue;
      }
      const reason = exhausted && retryable(last.error_type)
        ? `${last.error_type}: attempts exhausted (${o.maxAttempts})`
        : `${last.error_type}: ${(last.error_details ?? '').replace(/[0-9a-f-]{36}/g, '<id>').slice(0, 80)}`;
      count(failures, reason);
    }
    const failedCount = statuses.failed ?? 0;
    check('every failure explained by its logs', unexplained.length === 0, unexplained.length ? `${unexplained.length} unexplained, e.g. ${unexplained[0]}` : `${failedCount} failed: ${JSON.stringify(failures)}`);
    const emailTaken = Object.entries(failures).filter(([k]) => /Email has already been taken/.test(k)).reduce((a, [, n]) => a + n, 0);
    check(
      'the known duplicate emails failed, one per pair',
      emailTaken === duplicateEmailPairs,
      `${duplicateEmailPairs} pairs planned, ${emailTaken} failed with "Email has already been taken"`,
    );
    const leased = ops.filter((op) => op.lease_owner !== null);
    check('no lease left behind', leased.length === 0, `${leased.length} terminal operations still leased`);
    const failedForAuth = ops.filter((op) => op.status === 'failed' && logsOf.get(op.id)?.at(-1)?.error_type === 'auth');
    check(
      'no operation failed for auth (a refused key holds the queue)',
      failedForAuth.length === 0,
      failedForAuth.length ? `${failedForAuth.length} failed for auth, e.g. ${failedForAuth[0]!.id}` : `${logs.filter((l) => l.error_type === 'auth').length} auth refusals logged, none final`,
    );
    if (o.revoke) {
      const r = revocation as ChaosReport['revocation'];
      if (r) {
        const [conn] = (await pool.query<{ status: string }>('SELECT status FROM connections WHERE id = $1', [r.connectionId])).rows;
        r.finalStatus = conn?.status ?? null;
      }
      const at = r?.atCheck;
      check(
        'key revoked: the connection failed with its reason; its operations terminal or held, none failed for auth',
        !!r &&
          !!at &&
          r.failedAfterMs !== null &&
          /refused the connection's credentials/.test(r.statusReason ?? '') &&
          at.connectionStatus === 'failed' &&
          at.inFlight === 0 &&
          at.failedForAuth === 0 &&
          at.terminal + at.held === at.total &&
          at.heldAfterAuth > 0,
        r && at
          ? `failed ${r.failedAfterMs} ms after the revocation ("${(r.statusReason ?? '').replace(/[0-9a-f-]{36}/g, '<id>').slice(0, 90)}"); ` +
              `at the check, of ${at.total}: ${at.terminal} terminal, ${at.held} held (${at.heldAfterAuth} after an auth refusal), ${at.inFlight} in flight, ${at.failedForAuth} failed for auth; ${r.writesWhileFailed} writes sent while failed`
          : `the revocation phase did not run: ${revocationError ?? 'not triggered'}`,
      );
      const leftPending = r ? ops.filter((op) => op.connection_id === r.connectionId && op.status === 'pending').length : -1;
      check(
        'restored by a credential update: active again, every operation terminal',
        !!r && r.finalStatus === 'active' && (r.restoreAnswers['200'] ?? 0) === 1 && leftPending === 0,
        r ? `PATCH answers ${JSON.stringify(r.restoreAnswers)} after ${r.failedForMs} ms failed; status ${r.finalStatus}; ${leftPending} still pending` : 'no restore',
      );
      check(
        'connection events: one connection.staled',
        !!r && r.events['connection.staled'] === 1 && Object.keys(r.events).length === 1,
        r ? `distinct messages ${JSON.stringify(r.events)} (${hookEvents.length} deliveries received)` : 'no revocation',
      );
    }

    const byOutcome: Record<string, number> = {};
    for (const l of logs) count(byOutcome, l.status === 'success' ? `success ${l.code}` : `${l.error_type} ${l.code ?? '-'}`);
    const attemptsTotal = ops.reduce((a, op) => a + op.attempts, 0);

    check(
      'no process died on its own',
      unexpectedExits.length === 0,
      unexpectedExits.length ? unexpectedExits.map((e) => `${e.name} exited ${e.code ?? e.signal}:\n${e.tail}`).join('\n') : `${kills} SIGKILLs, every other process alive until the end`,
    );
    check(
      'clean shutdown on SIGTERM',
      workerCodes.every((c) => c.code === 0) && apiCode.code === 0,
      `workers ${JSON.stringify(workerCodes.map((c) => c.code ?? c.signal))}, api ${apiCode.code ?? apiCode.signal}`,
    );
    check(
      'writes answered only 2xx, 503 or 4xx',
      Object.keys(submitRetries.other).length === 0,
      `${submitRetries.status503} × 503 and ${submitRetries.network} network errors retried; other 5xx: ${JSON.stringify(submitRetries.other)}`,
    );
    if (o.pgRestart || o.terminateBackends) {
      const p = pgReport as ChaosReport['pgRestart'];
      const ok =
        !!p &&
        // A restart must be seen (503); a storm of terminated sessions may or may not hit a probe.
        (!o.pgRestart || (p.readyz['503'] ?? 0) > 0) &&
        p.readyAfterMs !== null &&
        p.writeAfterMs !== null &&
        !p.apiRestarted &&
        Object.keys(p.readyz).every((s) => s === '200' || s === '503') &&
        Object.keys(p.write).every((s) => s === '202' || s === '200' || s === '503');
      check(
        o.pgRestart
          ? 'PostgreSQL restart: 503 meanwhile, recovered without restarting the API'
          : 'sessions terminated under load: only 2xx/503, recovered without restarting the API',
        ok,
        p
          ? `${p.mode === 'restart' ? 'down' : `${p.terminated} backends terminated over`} ${p.downMs} ms; /readyz ${JSON.stringify(p.readyz)}, ready ${p.readyAfterMs} ms after start; write ${JSON.stringify(p.write)}, accepted ${p.writeAfterMs} ms after start; API restarted: ${p.apiRestarted}`
          : 'the restart did not happen',
      );
    }

    const workerWarnings: Record<string, number> = {};
    for (const f of fs.readdirSync(logDir).filter((f) => f.endsWith('.log'))) {
      for (const line of fs.readFileSync(path.join(logDir, f), 'utf8').split('\n')) {
        const m = /"level":(40|50|60).*?"msg":"([^"]*)"/.exec(line);
        if (m) count(workerWarnings, `${f.startsWith('api') ? 'api' : 'worker'}: ${m[2]}`);
      }
    }

    return {
      options: { ...(o as Required<ChaosOptions>) },
      database: dbName,
      logDir,
      durationMs: Date.now() - started,
      submitMs,
      drainMs,
      submitted: ids.length,
      submitRetries,
      submitRejected,
      statuses,
      recordsTotal,
      recordsAtSandboxes: atTsp,
      distinctExternalIds: distinct,
      duplicateEmailPairs,
      kills,
      unexpectedExits,
      pgRestart: pgReport,
      faults: { queued, consumed },
      revocation,
      attempts: { total: attemptsTotal, logged: logs.length, byOutcome },
      failures,
      workerWarnings,
      checks,
      ok: checks.every((c) => c.ok),
    };
  } finally {
    stopping = true;
    if (pgIsDown) {
      const version = fs.readdirSync('/etc/postgresql').sort()[0]!;
      await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']).catch(() => {});
    }
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await sandbox.close();
    await new Promise<void>((r) => receiver.close(() => r()));
    await http.close();
    await pool.end().catch(() => {});
    if (!o.keepDatabase) {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
    }
  }
}

export function formatReport(r: ChaosReport): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `fleetgate chaos run: ${r.options.ops} operations over ${r.options.connections} connections, ${r.options.workers} workers × ${r.options.workerConcurrency}`,
    `  duration ${s(r.durationMs)} (submit ${s(r.submitMs)}, drain ${s(r.drainMs)}); database ${r.database}; logs ${r.logDir}`,
    `  submitted ${r.submitted}; retried writes: ${r.submitRetries.status503} × 503, ${r.submitRetries.network} network errors, other ${JSON.stringify(r.submitRetries.other)}`,
    `  statuses ${JSON.stringify(r.statuses)}; records at the sandboxes ${r.recordsTotal} ${JSON.stringify(r.recordsAtSandboxes)} (${r.distinctExternalIds} distinct external ids)`,
    `  attempts ${r.attempts.total} (${r.attempts.logged} logged; the rest died with a SIGKILLed worker)`,
    `  attempt outcomes ${JSON.stringify(r.attempts.byOutcome)}`,
    `  faults queued ${JSON.stringify(r.faults.queued)}`,
    `  faults consumed ${JSON.stringify(r.faults.consumed)}`,
    `  SIGKILLs ${r.kills}; failures ${JSON.stringify(r.failures)} (${r.duplicateEmailPairs} duplicate-email pairs planned)`,
    `  warnings/errors logged by fleetgate ${JSON.stringify(r.workerWarnings)}`,
  ];
  if (r.pgRestart) {
    const p = r.pgRestart;
    lines.push(
      `  PostgreSQL ${p.mode === 'restart' ? 'down' : `sessions terminated (${p.terminated})`} ${p.downMs} ms: /readyz ${JSON.stringify(p.readyz)} → 200 ${p.readyAfterMs} ms after start; ` +
        `write ${JSON.stringify(p.write)} → accepted ${p.writeAfterMs} ms after start; API restarted: ${p.apiRestarted}`,
    );
  }
  if (r.revocation) {
    const v = r.revocation;
    lines.push(
      `  key revoked on ${v.connectionId}: failed after ${v.failedAfterMs} ms, at the check ${JSON.stringify(v.atCheck)}, ${v.writesWhileFailed} writes while failed; ` +
        `restored after ${v.failedForMs} ms (PATCH ${JSON.stringify(v.restoreAnswers)}), final status ${v.finalStatus}; events ${JSON.stringify(v.events)}`,
    );
  }
  lines.push('checks:');
  for (const c of r.checks) lines.push(`  ${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
  lines.push(r.ok ? 'ALL CHECKS PASSED' : 'SOME CHECKS FAILED');
  return lines.join('\n');
}

// `npm run chaos -- --ops 5000 --connections 4 --seconds 900`
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      ops: { type: 'string', default: '5000' },
      connections: { type: 'string', default: '4' },
      seconds: { type: 'string', default: '900' },
      workers: { type: 'string' },
      'fault-rate': { type: 'string' },
      'no-pg-restart': { type: 'boolean', default: false },
      'terminate-backends': { type: 'boolean', default: false },
      'pg-down-ms': { type: 'string' },
      'no-revoke': { type: 'boolean', default: false },
      'keep-db': { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const report = await runChaos({
    ops: num(values.ops)!,
    connections: num(values.connections)!,
    seconds: num(values.seconds)!,
    workers: num(values.workers),
    faultRate: num(values['fault-rate']),
    pgRestart: !values['no-pg-restart'] && !values['terminate-backends'],
    terminateBackends: values['terminate-backends'],
    pgDownMs: num(values['pg-down-ms']),
    revoke: !values['no-revoke'],
    keepDatabase: values['keep-db'],
    log: (l) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${l}\n`),
  });
  process.stdout.write(`${formatReport(report)}\n`);
  if (values.json) fs.writeFileSync(values.json, JSON.stringify(report, null, 2));
  process.exit(report.ok ? 0 : 1);
}
