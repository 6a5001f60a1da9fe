// Motive sandbox fixtures for integration tests: an account in the app's mounted sandbox and a
// fleetgate connection to it.
import assert from 'node:assert/strict';
import type { Partner, TestApp } from './app.ts';
import { call } from './app.ts';

export interface MotiveFixture {
  apiKey: string;
  connectionId: string;
  /** Calls the sandbox as the account (native Motive API and /_sandbox control). */
  sandbox<T = any>(method: string, path: string, json?: unknown): Promise<{ status: number; body: T }>; // `any`: native bodies are read loosely
}

export async function motiveConnection(t: TestApp, partner: Partner, settings?: { rate_limit_per_minute?: number }): Promise<MotiveFixture> {
  const account = await call(t, 'POST', '/sandbox/motive/_sandbox/accounts');
  assert.equal(account.status, 201);
  const apiKey = account.body.api_key as string;
  const sandbox = async (method: string, path: string, json?: unknown) => {
    const res = await call(t, method, `/sandbox/motive${path}`, { headers: { 'x-api-key': apiKey }, json });
    return { status: res.status, body: res.body };
  };
  if (settings) assert.equal((await sandbox('PUT', '/_sandbox/settings', settings)).status, 200);
  const conn = await call(t, 'POST', '/v2/integrations/connections', {
    token: partner.token,
    // The connection's own limit (fleetgate's outbound pacing) follows the sandbox account's.
    json: { tsp: 'motive', sandbox: true, credentials: { api_key: apiKey }, rate_limit_per_minute: settings?.rate_limit_per_minute },
  });
  assert.equal(conn.status, 200, conn.text);
  return { apiKey, connectionId: conn.body.id, sandbox };
}

/** Polls an operation until it leaves `pending` (or the deadline passes). */
export async function waitForOperation(t: TestApp, partner: Partner, connectionId: string, id: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(t, 'GET', `/v2/integrations/connections/${connectionId}/resource-operations/${id}`, { token: partner.token });
    assert.equal(res.status, 200);
    if (res.body.status !== 'pending' || Date.now() > deadline) return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
}
