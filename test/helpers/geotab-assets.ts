// Geotab fixtures for the vehicle, trailer, message, fuel and DVIR tests: a database in the app's built-in sandbox with fast
// limits, a fleetgate connection to it (fast per-class limits too), the sandbox read as the database's
// admin (Get Device / Trailer), its request log and fault queue, and writes through fleetgate.
import assert from 'node:assert/strict';
import { refusedAttempt } from '../../src/tsps/kit/adapter-kit.ts';
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../src/tsps/kit/types.ts';
import type { Partner, TestApp } from './app.ts';
import { call } from './app.ts';

// any: native JSON-RPC answers and operations are read field by field.
export type Json = Record<string, any>;

const FAST = 100_000;
const SANDBOX_LIMITS = [
  'add_user_per_minute', 'authenticate_per_minute', 'call_per_minute',
  'add_device_per_minute', 'set_device_per_minute', 'get_device_per_minute',
  'add_trailer_per_minute', 'set_trailer_per_minute', 'get_trailer_per_minute',
  'add_fuel_transaction_per_minute', 'get_fuel_transaction_per_minute', 'add_dvir_log_per_minute',
  'set_dvir_log_per_minute', 'get_dvir_log_per_minute', 'get_defect_per_minute',
];
const CLASSES = [
  'Authenticate', 'Add:Device', 'Set:Device', 'Get:Device', 'Add:Trailer', 'Set:Trailer', 'Get:Trailer',
  'Add:FuelTransaction', 'Get:FuelTransaction', 'Add:DVIRLog', 'Get:DVIRLog', 'Get:Defect',
];

export interface GeotabAssetsFixture {
  connectionId: string;
  /** One JSON-RPC call as the database's admin; throws on a JSON-RPC error. */
  rpc(method: string, params: Json): Promise<any>;
  entities(typeName: string, search?: Json): Promise<Json[]>;
  entity(typeName: string, id: string): Promise<Json>;
  /** The sandbox's request log as `method typeName`: clear it before the write, read it before rpc(). */
  calls(): Promise<string[]>;
  clearCalls(): Promise<void>;
  fault(fault: Json): Promise<void>;
  /** The sandbox's control API as the database's admin (settings, defect lists …). */
  control(method: string, path: string, json?: unknown): Promise<any>;
}

export async function geotabAssets(t: TestApp, partner: Partner): Promise<GeotabAssetsFixture> {
  const account = (await call(t, 'POST', '/sandbox/geotab/_sandbox/accounts')).body;
  const headers = { 'x-sandbox-database': account.database, 'x-sandbox-password': account.password };
  const control = async (method: string, path: string, json?: unknown) => {
    const res = await call(t, method, `/sandbox/geotab${path}`, { headers, json });
    assert.ok(res.status < 300, `${method} ${path} → ${res.status} ${res.text}`);
    return res.body;
  };
  await control('PUT', '/_sandbox/settings', Object.fromEntries(SANDBOX_LIMITS.map((k) => [k, FAST])));
  const conn = await call(t, 'POST', '/v2/integrations/connections', {
    token: partner.token,
    json: {
      tsp: 'geotab',
      sandbox: true,
      credentials: { database: account.database, username: account.userName, password: account.password },
      rate_limit_per_minute: FAST,
      rate_limits_per_minute: Object.fromEntries(CLASSES.map((c) => [c, FAST])),
    },
  });
  assert.equal(conn.status, 200, conn.text);

  // The fixture's own session, kept out of calls() by its session id.
  let credentials: Json | undefined;
  const rpc = async (method: string, params: Json) => {
    credentials ??= (
      await call(t, 'POST', '/sandbox/geotab/apiv1', {
        json: { method: 'Authenticate', params: { database: account.database, userName: account.userName, password: account.password } },
      })
    ).body.result.credentials;
    const res = await call(t, 'POST', '/sandbox/geotab/apiv1', { json: { method, params: { ...params, credentials } } });
    assert.equal(res.body.error, undefined, JSON.stringify(res.body.error));
    return res.body.result;
  };
  const entities = async (typeName: string, search: Json = {}) => (await rpc('Get', { typeName, search })) as Json[];
  return {
    connectionId: conn.body.id,
    rpc,
    entities,
    entity: async (typeName, id) => (await entities(typeName, { id }))[0] as Json,
    calls: async () =>
      ((await control('GET', '/_sandbox/requests')).requests as Json[]).map((r) => `${r.method}${r.params?.typeName ? ` ${r.params.typeName}` : ''}`),
    clearCalls: async () => void (await control('DELETE', '/_sandbox/requests')),
    fault: async (fault) => void (await control('POST', '/_sandbox/faults', fault)),
    control,
  };
}

/** A write through fleetgate; `sync` answers the finished operation. */
export async function submit(t: TestApp, p: Partner, method: 'POST' | 'PATCH', path: string, json: Json, sync = true) {
  return call(t, method, `${path}${sync ? '?is_sync=true' : ''}`, { token: p.token, json });
}

/** A database in the app's sandbox as an adapter's target (for calling an adapter directly). */
export async function directTarget(t: TestApp): Promise<TspTarget> {
  const account = (await call(t, 'POST', '/sandbox/geotab/_sandbox/accounts')).body;
  return { baseUrl: `${t.url}/sandbox/geotab`, credentials: { database: account.database, username: account.userName, password: account.password } };
}

/** The rate-limit classes an adapter's calls take, in order, through a gate that lets every call go. */
export async function classesTaken(
  adapter: ResourceAdapter,
  target: TspTarget,
  run: (act: { send(write: Write): Promise<Attempt>; findExisting(write: Write): Promise<Attempt & { found: boolean }> }) => Promise<void>,
): Promise<string[]> {
  const taken: string[] = [];
  const opts: CallOptions = { timeoutMs: 5000, gate: { take: async (rateClass) => void taken.push(rateClass) } };
  await run({
    async send(write) {
      const m = adapter.map(write);
      return m.ok ? adapter.send(target, write, m.body, opts) : refusedAttempt(m.refusals);
    },
    async findExisting(write) {
      const m = adapter.map({ ...write, operation: 'create' });
      assert.ok(m.ok, JSON.stringify(m));
      return adapter.findExisting(target, write, m.body, opts);
    },
  });
  return taken;
}
