// Samsara fixtures for the vehicle and trailer tests: a standalone sandbox driven by the adapters
// directly (bodies, rate classes, refusals), and an account in the app's mounted sandbox with a
// fleetgate connection to it (the write API end to end). Reads of the sandbox honour its 429s the way
// a client should (Samsara's GET /assets and GET /fleet/trailers/{id} allow 5 requests/s).
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallResult, Partner, TestApp } from './app.ts';
import { call } from './app.ts';
import type { CallOptions, TspTarget } from '../../src/tsps/kit/types.ts';

type Json = Record<string, any>; // `any`: native Samsara bodies are read field by field

/** Every endpoint class of Samsara's descriptor, opened wide for a test connection. */
export const OPEN_CLASSES = { assets: 100_000, assets_read: 100_000, trailers: 100_000, trailers_read: 100_000, fuel_purchases: 100_000 };

/** Calls a Samsara sandbox as an account; a 429 is waited out (its Retry-After) and the call made again. */
export async function sandboxCall(base: string, token: string, method: string, path: string, json?: unknown): Promise<CallResult<Json>> {
  for (let tries = 0; ; tries++) {
    const res = await call<Json>({ url: base }, method, path, { headers: { authorization: `Bearer ${token}` }, json });
    if (res.status !== 429 || tries >= 5) return res;
    await sleep(Math.ceil(Number(res.headers['retry-after'] ?? 1) * 1000));
  }
}

/** Call options whose gate records the rate class of every call (the engine's gate, observed). */
export function recordingOpts(): { opts: CallOptions; classes: string[] } {
  const classes: string[] = [];
  return { classes, opts: { timeoutMs: 3000, gate: { take: async (c) => void classes.push(c) } } };
}

export interface SandboxAccount {
  token: string;
  target: TspTarget;
  sb(method: string, path: string, json?: unknown): Promise<CallResult<Json>>;
  /** The account's request log (what the adapter sent), oldest first. */
  requests(): Promise<Json[]>;
  asset(id: string): Promise<Json>;
  trailer(id: string): Promise<Json>;
}

/** A fresh account in a sandbox at `base` (standalone or mounted), per-token limit opened wide. */
export async function sandboxAccount(base: string): Promise<SandboxAccount> {
  const created = await call<Json>({ url: base }, 'POST', '/_sandbox/accounts');
  assert.equal(created.status, 201, created.text);
  const token = created.body.access_token as string;
  const sb = (method: string, path: string, json?: unknown) => sandboxCall(base, token, method, path, json);
  assert.equal((await sb('PUT', '/_sandbox/settings', { rate_limit_per_second: 10_000 })).status, 200);
  const one = async (path: string): Promise<Json> => {
    const res = await sb('GET', path);
    assert.equal(res.status, 200, res.text);
    return res.body.data;
  };
  return {
    token,
    target: { baseUrl: base, credentials: { access_token: token } },
    sb,
    requests: async () => (await sb('GET', '/_sandbox/requests')).body.requests,
    asset: async (id) => {
      const list = await one(`/assets?ids=${encodeURIComponent(id)}&includeExternalIds=true`);
      assert.equal(list.length, 1, `asset ${id}`);
      return list[0];
    },
    trailer: (id) => one(`/fleet/trailers/${encodeURIComponent(id)}`),
  };
}

export interface SamsaraConnection extends SandboxAccount {
  connectionId: string;
  fault(f: Json): Promise<void>;
}

/** An account in the app's mounted Samsara sandbox and a fleetgate connection to it. */
export async function samsaraConnection(t: TestApp, partner: Partner, classLimits: Record<string, number> = OPEN_CLASSES): Promise<SamsaraConnection> {
  const account = await sandboxAccount(`${t.url}/sandbox/samsara`);
  const conn = await call(t, 'POST', '/v2/integrations/connections', {
    token: partner.token,
    json: {
      tsp: 'samsara',
      sandbox: true,
      credentials: { access_token: account.token },
      rate_limit_per_minute: 100_000,
      rate_limits_per_minute: classLimits,
    },
  });
  assert.equal(conn.status, 200, conn.text);
  return {
    ...account,
    connectionId: conn.body.id,
    fault: async (f) => assert.equal((await account.sb('POST', '/_sandbox/faults', f)).status, 201),
  };
}

/** A Samsara error body in a fault, as the sandbox answers one. */
export const samsaraError = (message: string): Json => ({ message, requestId: 'fault' });
