// Rate limits per endpoint class of a TSP's API, end to end through the engine: calls (not operations)
// take slots; a flood of one class does not slow another on the same connection; a 429 pauses only the
// class it came from; the queue skips an operation whose class has no slot instead of claiming and
// deferring it over and over; a sync write's slot is its first call's; a connection may set a class's
// limit. The TSP is a toy store reached through a toy catalog whose descriptor declares a "slow" class.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Catalog, ResourceDefinition } from '../src/engine/resource.ts';
import { GRACE_MS, intervalMs, JITTER_MS } from '../src/engine/policy/ratelimit.ts';
import { PRODUCT_CATALOG } from '../src/catalog.ts';
import { lookupAttempt } from '../src/tsps/kit/adapter-kit.ts';
import { defineTsp } from '../src/tsps/kit/descriptor.ts';
import { restCaller, toAttempt } from '../src/tsps/kit/http.ts';
import type { ResourceAdapter } from '../src/tsps/kit/types.ts';
import { motiveAdapter } from '../src/tsps/motive/index.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import { motiveConnection, waitForOperation } from './helpers/motive.ts';
import { until } from './helpers/receiver.ts';

interface Hit {
  at: number;
  method: string;
  lane: string;
}

/** The toy TSP: stores items by path; records every call; answers 429 to the next `tooMany[lane]` writes. */
async function startStore() {
  const items = new Map<string, unknown>();
  const hits: Hit[] = [];
  const tooMany: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const [, lane = '', id = ''] = new URL(req.url!, 'http://x').pathname.split('/');
      hits.push({ at: performance.now(), method: req.method!, lane });
      const send = (status: number, json: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
      if (req.method === 'GET') return items.has(id) ? send(200, { id }) : send(404, { error_message: 'no such item' });
      if ((tooMany[lane] ?? 0) > 0) {
        tooMany[lane]! -= 1;
        return send(429, { error_message: 'slow down' }, { 'retry-after': '30' });
      }
      items.set(id, JSON.parse(body));
      return send(200, { id });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return { url, hits, tooMany, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const attributes = { label: z.string().nullable().optional() };
const connection_id = z.uuid();
const View = z.object({ id: z.uuid(), connection_id: z.uuid(), source_id: z.string().nullable(), ...attributes, created_at: z.string(), updated_at: z.string() });

/** Two toy resources in the seed's resource names: 'asset' writes to the slow class, 'workflow' to the default. */
const toyResource = (name: 'asset' | 'workflow', plural: string): ResourceDefinition => ({
  name,
  plural,
  idParam: 'item_id',
  title: plural,
  operations: {
    create: { body: z.strictObject({ connection_id, ...attributes }), operationId: `create_${plural}`, summary: plural, description: 'toy' },
  },
  merge: (current, changes) => ({ ...(current ?? {}), ...changes }),
  view: View,
  reads: { listOperationId: `list_${plural}`, getOperationId: `get_${plural}`, listSummary: plural, getSummary: plural },
  orderedWrites: false,
});

const SLOW_PER_MINUTE = 120; // one call per ~0.5 s

function toyCatalog(storeUrl: () => string): Catalog {
  const descriptor = {
    ...motiveAdapter.descriptor,
    rateLimit: { ...motiveAdapter.descriptor.rateLimit, classes: { slow: { perMinute: SLOW_PER_MINUTE, source: 'this test' } } },
  };
  const rest = restCaller(descriptor);
  const details = () => undefined;
  const idOf = (id: string) => (r: Parameters<typeof toAttempt>[0]) => {
    const attempt = toAttempt(r, details);
    return attempt.ok ? { ...attempt, sourceId: id } : attempt;
  };
  /** `lookupFirst`: the write makes two calls, a GET and then the PUT (calls take slots, not writes). */
  const adapter = (lane: string, rateClass: string | undefined, lookupFirst: boolean): ResourceAdapter => ({
    operations: { create: 'implemented' },
    fields: { label: 'stored' },
    ...(rateClass && { rateClass: () => rateClass }),
    map: (write) => ({ ok: true, body: { ...write.changes }, dropped: [] }),
    send: async (target, write, body, opts) => {
      const store = { ...target, baseUrl: storeUrl() };
      const path = `/${lane}/${write.externalId}`;
      if (lookupFirst) await rest(store, opts, 'GET', path, { rateClass });
      return idOf(write.externalId)(await rest(store, opts, 'PUT', path, { body, rateClass }));
    },
    findExisting: async (target, write, _body, opts) =>
      lookupAttempt(await rest({ ...target, baseUrl: storeUrl() }, opts, 'GET', `/${lane}/${write.externalId}`, { rateClass }), details, idOf(write.externalId)),
  });
  const motive = defineTsp(descriptor, {
    checkCredentials: motiveAdapter.checkCredentials,
    resources: { ...motiveAdapter.resources, asset: adapter('slow', 'slow', false), workflow: adapter('fast', undefined, true) },
  });
  return { resources: [...PRODUCT_CATALOG.resources, toyResource('asset', 'toy-slow'), toyResource('workflow', 'toy-fast')], tsps: { ...PRODUCT_CATALOG.tsps, motive } };
}

for (const kind of testDbKinds()) {
  describe(`rate limits per endpoint class (${kind})`, () => {
    let t: TestApp;
    let worker: Worker | undefined;
    let p: Partner;
    let store: Awaited<ReturnType<typeof startStore>>;
    let catalog: Catalog;

    before(async () => {
      store = await startStore();
      catalog = toyCatalog(() => store.url);
      // A 3 s budget: a later call of an attempt waits at most that long for its slot.
      t = await startTestApp(kind, { env: { FLEETGATE_SYNC_TIMEOUT_MS: '3000' }, app: { catalog } });
      p = await newPartner(t);
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
      await store?.close();
    });

    const connect = async (perMinute: number) => (await motiveConnection(t, p, { rate_limit_per_minute: perMinute })).connectionId;
    const write = (plural: string, connectionId: string, sync = false) =>
      call(t, 'POST', `/v2/telematics/${plural}${sync ? '?is_sync=true' : ''}`, { token: p.token, json: { connection_id: connectionId, label: plural } });
    const rateRow = async (connectionId: string, rateClass: string) =>
      (
        (await t.services.database.db.execute(
          sql`SELECT EXTRACT(EPOCH FROM (next_at - now())) * 1000 AS ahead_ms, EXTRACT(EPOCH FROM (paused_until - now())) * 1000 AS paused_ms
                FROM rate_limits WHERE connection_id = ${connectionId} AND rate_class = ${rateClass}`,
        )) as unknown as { rows: Array<{ ahead_ms: string | number; paused_ms: string | number | null }> }
      ).rows[0];
    const startTheWorker = () => {
      worker = startWorker(t.services, { pollMs: 20, catalog });
    };
    const stopTheWorker = async () => {
      await worker?.stop();
      worker = undefined;
    };

    test('a flood of the slow class does not slow writes of the default class on the same connection', async () => {
      const connectionId = await connect(100_000);
      const slow = [];
      for (let i = 0; i < 5; i++) slow.push((await write('toy-slow', connectionId)).body.id as string);
      const fast = [];
      for (let i = 0; i < 5; i++) fast.push((await write('toy-fast', connectionId)).body.id as string);
      const started = performance.now();
      const from = store.hits.length;
      startTheWorker();
      try {
        for (const id of fast) assert.equal((await waitForOperation(t, p, connectionId, id)).status, 'success');
        const fastDone = performance.now() - started;
        // Five slow calls need four intervals (~2 s at 120/min); the fast ones did not queue behind them.
        assert.ok(fastDone < 1500, `default-class writes took ${Math.round(fastDone)} ms`);
        for (const id of slow) assert.equal((await waitForOperation(t, p, connectionId, id)).status, 'success');
        const slowHits = store.hits.slice(from).filter((h) => h.lane === 'slow');
        assert.equal(slowHits.length, 5);
        // The slow class keeps its own pace: five calls span four intervals. (The first call of a fresh
        // HTTP connection may reach the store late by its set-up time, so single gaps are not compared.)
        const span = slowHits.at(-1)!.at - slowHits[0]!.at;
        assert.ok(span >= 4 * intervalMs(SLOW_PER_MINUTE) - 300, `five slow calls within ${Math.round(span)} ms`);
      } finally {
        await stopTheWorker();
      }
    });

    test('calls take slots, not operations: a write with a lookup and a write takes two, the second waiting its turn', async () => {
      // 60/min: one call a second on the default class.
      const connectionId = await connect(60);
      const from = store.hits.length;
      const res = await write('toy-fast', connectionId, true);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'success');
      const hits = store.hits.slice(from);
      assert.deepEqual(hits.map((h) => h.method), ['GET', 'PUT']);
      assert.ok(hits[1]!.at - hits[0]!.at >= intervalMs(60) - GRACE_MS - JITTER_MS - 10, `the PUT went ${Math.round(hits[1]!.at - hits[0]!.at)} ms after the GET`);
      // The schedule moved on twice: the next slot is about one interval ahead of the second call.
      const row = await rateRow(connectionId, 'default');
      assert.ok(Number(row!.ahead_ms) > 500, `next default slot only ${row!.ahead_ms} ms ahead`);
    });

    test('a later call with no slot in reach: a queued attempt is logged and spent (not given back); a sync one fails; no class is paused', async () => {
      // 6/min: the PUT after the GET would wait ~10 s, past the 3 s an attempt may wait.
      const queuedConn = await connect(6);
      startTheWorker();
      try {
        const queued = await write('toy-fast', queuedConn);
        let op: Record<string, any> = {};
        await until(async () => {
          op = (await call(t, 'GET', `/v2/integrations/connections/${queuedConn}/resource-operations/${queued.body.id}`, { token: p.token })).body;
          return op.logs.length > 0;
        }, 5000, 'the first attempt logged');
        assert.equal(op.status, 'pending');
        assert.equal(op.logs[0].error_class, 'rate_limited');
        assert.equal(op.logs[0].response_status_code, null);
        assert.match(op.logs[0].error_details, /fleetgate's own limit: no default rate-limit slot.*an earlier call of this attempt went out/);
      } finally {
        await stopTheWorker();
      }
      const syncConn = await connect(6);
      const sync = await write('toy-fast', syncConn, true);
      assert.equal(sync.body.status, 'failed', sync.text);
      assert.match(sync.body.logs[0].error_details, /a sync write does not wait in the queue/);
      // fleetgate's own limiter refused, not the TSP: nothing is paused.
      assert.equal((await rateRow(syncConn, 'default'))!.paused_ms, null);
    });

    test("a sync write's slot, taken before it is stored, is its first call's: one call, one slot", async () => {
      const connectionId = await connect(100_000);
      const res = await write('toy-slow', connectionId, true);
      assert.equal(res.body.status, 'success', res.text);
      const ahead = Number((await rateRow(connectionId, 'slow'))!.ahead_ms);
      // One interval (~505 ms) ahead, not two.
      assert.ok(ahead <= intervalMs(SLOW_PER_MINUTE) + 50 && ahead > 0, `slow schedule ${Math.round(ahead)} ms ahead`);
    });

    test('a 429 pauses only the class it came from; the queue does not keep claiming what it cannot send', async () => {
      const connectionId = await connect(100_000);
      store.tooMany.slow = 1;
      const claims = new Map<string, number>();
      const onClaim = (e: { operationId: string }) => claims.set(e.operationId, (claims.get(e.operationId) ?? 0) + 1);
      const unsubscribe = t.services.events.on('operation:claim', onClaim);
      startTheWorker();
      try {
        const limited = (await write('toy-slow', connectionId)).body.id as string;
        await until(async () => (await rateRow(connectionId, 'slow'))?.paused_ms != null && Number((await rateRow(connectionId, 'slow'))!.paused_ms) > 20_000, 5000, 'the slow class paused');
        const waiting = [];
        for (let i = 0; i < 3; i++) waiting.push((await write('toy-slow', connectionId)).body.id as string);
        // The default class still flows on the same connection.
        const fast = (await write('toy-fast', connectionId)).body.id as string;
        assert.equal((await waitForOperation(t, p, connectionId, fast)).status, 'success');
        await new Promise((r) => setTimeout(r, 600));
        for (const id of [limited, ...waiting]) assert.equal((await waitForOperation(t, p, connectionId, id, 0)).status, 'pending');
        // Paused for 30 s: the queue skips the class instead of claiming and deferring each poll (20 ms).
        for (const id of waiting) assert.ok((claims.get(id) ?? 0) <= 1, `claimed ${claims.get(id)} times while its class was paused`);
      } finally {
        unsubscribe();
        await stopTheWorker();
      }
    });

    test("a connection sets a class's limit of its own, above or below the TSP's; the catalogue lists the classes", async () => {
      const connectionId = await connect(100_000);
      const patched = await call(t, 'PATCH', `/v2/integrations/connections/${connectionId}`, {
        token: p.token,
        json: { rate_limits_per_minute: { slow: 6000 } },
      });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.body.rate_limits_per_minute, { slow: 6000 });
      await write('toy-slow', connectionId, true);
      const ahead = Number((await rateRow(connectionId, 'slow'))!.ahead_ms);
      assert.ok(ahead <= intervalMs(6000) + 50, `slow schedule ${Math.round(ahead)} ms ahead at 6000/min`);
      const bad = await call(t, 'PATCH', `/v2/integrations/connections/${connectionId}`, { token: p.token, json: { rate_limits_per_minute: { 'no spaces': 5 } } });
      assert.equal(bad.status, 422, bad.text);
      const cleared = await call(t, 'PATCH', `/v2/integrations/connections/${connectionId}`, { token: p.token, json: { rate_limits_per_minute: null } });
      assert.equal(cleared.body.rate_limits_per_minute, null);
      const tsps = (await call(t, 'GET', '/v2/integrations/tsps', { token: p.token })).body.items;
      const samsara = tsps.find((x: { tsp: string }) => x.tsp === 'samsara');
      assert.ok(samsara && typeof samsara.rate_limit_classes === 'object');
    });
  });
}
