// A running fleetgate for integration tests: real HTTP on a loopback port, on the database kind asked.
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { parseConfig } from '../../src/platform/config.ts';
import type { Config } from '../../src/platform/config.ts';
import type { Database } from '../../src/db/client.ts';
import { createClient, createPartner } from '../../src/accounts/partners.ts';
import type { Scope } from '../../src/accounts/scopes.ts';
import { buildApp } from '../../src/http/app.ts';
import { closeSandboxStates, createSandboxStates } from '../../src/sandbox/registry.ts';
import type { SandboxStates } from '../../src/sandbox/registry.ts';
import type { AppOptions } from '../../src/http/app.ts';
import { createLogger, createServices } from '../../src/platform/services.ts';
import type { Clock, Services } from '../../src/platform/services.ts';
import type { TestDbKind } from './db.ts';
import { openTestDatabase } from './db.ts';

export interface TestApp {
  url: string;
  app: FastifyInstance;
  services: Services;
  database: Database;
  clock: MutableClock;
  sandboxes: Required<SandboxStates>;
  close(): Promise<void>;
}

export interface MutableClock extends Clock {
  /** Shift the clock by ms (0 resets to real time). */
  shift(ms: number): void;
}

export function mutableClock(): MutableClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    shift: (ms) => {
      offset = ms === 0 ? 0 : offset + ms;
    },
  };
}

export function testConfig(env: Record<string, string> = {}): Config {
  // Tests run their sandboxes and webhook receivers on loopback, which production refuses by default.
  return parseConfig({
    FLEETGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    FLEETGATE_ALLOW_PRIVATE_URLS: 'true',
    ...env,
  });
}

export async function startTestApp(
  kind: TestDbKind,
  opts: { env?: Record<string, string>; app?: AppOptions; database?: Database; logStream?: Writable } = {},
): Promise<TestApp> {
  const database = opts.database ?? (await openTestDatabase(kind));
  const config = testConfig(opts.env);
  const clock = mutableClock();
  const logger = opts.logStream ? createLogger('info', opts.logStream) : createLogger('silent');
  const services = await createServices(config, { database, clock, logger });
  // Every test app serves the built-in sandboxes, as `fleetgate serve` does.
  const sandboxes = await createSandboxStates();
  const app = await buildApp(services, { sandboxes, ...opts.app });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  services.selfUrl = url;
  return {
    url,
    app,
    services,
    database,
    clock,
    sandboxes,
    async close() {
      await app.close();
      await services.close();
      await closeSandboxStates(sandboxes);
    },
  };
}

export interface Partner {
  partnerId: string;
  clientId: string;
  clientSecret: string;
  token: string;
}

/** A partner with a client holding `scopes` (default all) and a fresh access token. */
export async function newPartner(t: TestApp, scopes?: Scope[]): Promise<Partner> {
  const db = t.services.database.db;
  const p = await createPartner(db, `partner-${randomBytes(3).toString('hex')}`);
  const c = await createClient(db, p.id, scopes);
  const res = await call(t, 'POST', '/oauth/token', {
    form: { grant_type: 'client_credentials', client_id: c.client_id, client_secret: c.client_secret },
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
  return { partnerId: p.id, clientId: c.client_id, clientSecret: c.client_secret, token: (res.body as { access_token: string }).access_token };
}

export interface CallResult<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

// `any` by default: tests read response bodies loosely and assert on them field by field.
export async function call<T = any>(
  t: { url: string },
  method: string,
  path: string,
  opts: { token?: string; json?: unknown; form?: Record<string, string>; raw?: string; headers?: Record<string, string> } = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.raw !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = opts.raw;
  }
  const res = await request(`${t.url}${path}`, { method: method as 'GET', headers, body });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.statusCode, headers: res.headers, body: parsed as T, text };
}
