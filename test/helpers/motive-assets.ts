// Fixtures for the Motive vehicle and trailer suites: a running fleetgate with a worker, a partner with a
// connection to a fresh account of the built-in Motive sandbox, and the calls those suites repeat
// (submit a write, read the native record and the request log back, check a submit-time refusal).
import assert from 'node:assert/strict';
import type { Worker } from '../../src/worker/worker.ts';
import { startWorker } from '../../src/worker/worker.ts';
import type { CallResult, Partner, TestApp } from './app.ts';
import { call, newPartner, startTestApp } from './app.ts';
import type { TestDbKind } from './db.ts';
import type { MotiveFixture } from './motive.ts';
import { motiveConnection, waitForOperation } from './motive.ts';

export type Json = Record<string, any>; // `any`: operation and native bodies are read field by field

/** fleetgate resource path → Motive collection: trailers are Motive assets. */
export const NATIVE = {
  vehicles: { plural: 'vehicles', singular: 'vehicle' },
  trailers: { plural: 'assets', singular: 'asset' },
} as const;
export type Resource = keyof typeof NATIVE;

export interface FleetApp {
  t: TestApp;
  close(): Promise<void>;
}

export async function fleetApp(kind: TestDbKind): Promise<FleetApp> {
  const t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: '100', FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
  const worker: Worker = startWorker(t.services, { pollMs: 25 });
  return {
    t,
    async close() {
      await worker.stop();
      await t.close();
    },
  };
}

export interface FleetConnection {
  p: Partner;
  motive: MotiveFixture;
  /** POST /v2/telematics/<resource>; sync answers 200 with the finished operation, async 202. */
  create(resource: Resource, attrs: Json, opts?: { sync?: boolean }): Promise<CallResult<Json>>;
  /** PATCH /v2/telematics/<resource>/<id>?is_sync=true. */
  update(resource: Resource, resourceId: string, attrs: Json): Promise<CallResult<Json>>;
  /** The record as Motive keeps it. */
  native(resource: Resource, sourceId: string): Promise<Json>;
  /** How many records of the collection the account holds. */
  count(resource: Resource): Promise<number>;
  /** The bodies of the account's native calls of one method to one collection, oldest first. */
  sent(resource: Resource, method: 'POST' | 'PUT'): Promise<Json[]>;
  wait(operationId: string): Promise<Json>;
}

export async function fleetConnection(t: TestApp): Promise<FleetConnection> {
  const p = await newPartner(t);
  const motive = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
  const write = (method: string, path: string, attrs: Json) =>
    call(t, method, path, { token: p.token, json: { connection_id: motive.connectionId, ...attrs } });
  return {
    p,
    motive,
    create: (resource, attrs, opts = { sync: true }) => write('POST', `/v2/telematics/${resource}${opts.sync ? '?is_sync=true' : ''}`, attrs),
    update: (resource, id, attrs) => write('PATCH', `/v2/telematics/${resource}/${id}?is_sync=true`, attrs),
    async native(resource, sourceId) {
      const n = NATIVE[resource];
      const res = await motive.sandbox('GET', `/v1/${n.plural}/${sourceId}`);
      assert.equal(res.status, 200);
      return res.body[n.singular];
    },
    count: async (resource) => (await motive.sandbox('GET', `/v1/${NATIVE[resource].plural}?per_page=1`)).body.pagination.total,
    async sent(resource, method) {
      const requests = (await motive.sandbox('GET', '/_sandbox/requests')).body.requests as Json[];
      const path = new RegExp(`^/v1/${NATIVE[resource].plural}(/\\d+)?$`);
      return requests.filter((r) => r.method === method && path.test(r.path)).map((r) => r.body);
    },
    wait: (id) => waitForOperation(t, p, motive.connectionId, id, 15_000),
  };
}

/** A sync write that must have succeeded: its operation. */
export function succeeded(res: CallResult<Json>): Json {
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
  return res.body;
}

/** A write refused at submit: 422, unsupported_by_tsp at body.<field>, naming Motive; the message. */
export function refusedAt(res: CallResult<Json>, field: string): string {
  assert.equal(res.status, 422, res.text);
  const problem = (res.body.detail as Json[]).find((d) => d.path === `body.${field}`);
  assert.ok(problem, `no problem at ${field}: ${res.text}`);
  assert.equal(problem.error_type, 'unsupported_by_tsp');
  assert.match(problem.message, /^Motive/);
  return problem.message as string;
}
