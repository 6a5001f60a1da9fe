// A resource declared only here, in a test-only catalog, gets everything a resource gets from the
// engine, with no change to the engine: routes and OpenAPI entries, submit (refusals, dropped fields),
// execute on the worker and inline, retries, duplicate-safe lookups, idempotency and webhooks.
// The toy TSP side is a tiny HTTP store that can fail on request, reached through a toy adapter.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import type { Catalog, ResourceDefinition } from '../src/engine/resource.ts';
import { PRODUCT_CATALOG } from '../src/catalog.ts';
import { lookupAttempt } from '../src/tsps/kit/adapter-kit.ts';
import { defineTsp } from '../src/tsps/kit/descriptor.ts';
import { toAttempt, tspRequest } from '../src/tsps/kit/http.ts';
import type { ResourceAdapter } from '../src/tsps/kit/types.ts';
import { motiveAdapter } from '../src/tsps/motive/index.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import { motiveConnection, waitForOperation } from './helpers/motive.ts';
import { startReceiver, until } from './helpers/receiver.ts';

/** The toy TSP: stores gadgets by external id; answers 503 to the next `failNext` writes. */
async function startToyStore() {
  const gadgets = new Map<string, Record<string, unknown>>();
  const state = { failNext: 0, lostNext: 0, writes: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const send = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      const ext = url.pathname.split('/')[2] ?? '';
      if (req.method === 'GET') return gadgets.has(ext) ? send(200, { id: ext, ...gadgets.get(ext) }) : send(404, { error: 'no gadget' });
      state.writes += 1;
      if (state.failNext > 0) {
        state.failNext -= 1;
        return send(503, { error: 'try later' });
      }
      gadgets.set(ext, { ...gadgets.get(ext), ...(JSON.parse(body) as Record<string, unknown>) });
      // A lost answer: the write landed, the caller hears nothing useful (a 502 from a proxy).
      if (state.lostNext > 0) {
        state.lostNext -= 1;
        return send(502, { error: 'bad gateway' });
      }
      return send(200, { id: ext });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return { url, gadgets, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const gadgetAttributes = {
  label: z.string().min(1).nullable().optional(),
  colour: z.enum(['red', 'green', 'ultraviolet']).nullable().optional(),
  notes: z.string().nullable().optional(),
};
const connection_id = z.uuid();
const Gadget = z.object({ id: z.uuid(), connection_id: z.uuid(), source_id: z.string().nullable(), ...gadgetAttributes, created_at: z.string(), updated_at: z.string() });

// 'asset' is one of the seed's resource names; the toy stands in for a resource fleetgate has not built.
const gadgetResource: ResourceDefinition = {
  name: 'asset',
  plural: 'toy-gadgets',
  idParam: 'gadget_id',
  title: 'Gadget',
  operations: {
    create: { body: z.strictObject({ connection_id, ...gadgetAttributes }), operationId: 'createToyGadget', summary: 'Create gadget', description: 'toy' },
    update: { body: z.strictObject({ connection_id, ...gadgetAttributes }), operationId: 'updateToyGadget', summary: 'Update gadget', description: 'toy' },
  },
  merge: (current, changes) => ({ ...(current ?? {}), ...changes }),
  view: Gadget,
  reads: { listOperationId: 'listToyGadgets', getOperationId: 'getToyGadget', listSummary: 'List gadgets', getSummary: 'Get a gadget' },
  orderedWrites: true,
};

function toyCatalog(storeUrl: () => string): Catalog {
  const details = () => undefined;
  const gadgets: ResourceAdapter = {
    operations: { create: 'implemented', update: 'implemented' },
    fields: { label: 'stored', colour: 'stored', notes: 'not_stored' },
    map: (write) => {
      if (write.changes.colour === 'ultraviolet') return { ok: false, refusals: [{ field: 'colour', input: 'ultraviolet', message: 'Motive: the toy store has no ultraviolet' }] };
      const { notes, ...rest } = write.changes;
      return { ok: true, body: rest, dropped: notes == null ? [] : ['notes'] };
    },
    send: async (_target, write, body, opts) => {
      const res = await tspRequest({ method: 'PUT', url: `${storeUrl()}/gadgets/${write.externalId}`, headers: {}, body, timeoutMs: opts.timeoutMs });
      const attempt = toAttempt(res, details);
      return attempt.ok ? { ...attempt, sourceId: write.externalId } : attempt;
    },
    findExisting: async (_target, write, _body, opts) => {
      const res = await tspRequest({ method: 'GET', url: `${storeUrl()}/gadgets/${write.externalId}`, headers: {}, timeoutMs: opts.timeoutMs });
      return lookupAttempt(res, details, (r) => {
        const attempt = toAttempt(r, details);
        return attempt.ok ? { ...attempt, sourceId: write.externalId } : attempt;
      });
    },
  };
  // The real Motive descriptor and credential check, plus the toy resource's adapter.
  const motive = defineTsp(motiveAdapter.descriptor, { checkCredentials: motiveAdapter.checkCredentials, resources: { ...motiveAdapter.resources, asset: gadgets } });
  return { resources: [...PRODUCT_CATALOG.resources, gadgetResource], tsps: { ...PRODUCT_CATALOG.tsps, motive } };
}

for (const kind of testDbKinds()) {
  describe(`a toy resource declared in a test catalog (${kind})`, () => {
    let t: TestApp;
    let worker: Worker;
    let p: Partner;
    let store: Awaited<ReturnType<typeof startToyStore>>;
    let connectionId: string;

    before(async () => {
      store = await startToyStore();
      const catalog = toyCatalog(() => store.url);
      t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: '50', FLEETGATE_MAX_ATTEMPTS: '4' }, app: { catalog } });
      worker = startWorker(t.services, { pollMs: 25, catalog });
      p = await newPartner(t);
      connectionId = (await motiveConnection(t, p, { rate_limit_per_minute: 100_000 })).connectionId;
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
      await store?.close();
    });

    const create = (body: Record<string, unknown>, opts: { sync?: boolean; key?: string } = {}) =>
      call(t, 'POST', `/v2/telematics/toy-gadgets${opts.sync ? '?is_sync=true' : ''}`, {
        token: p.token,
        json: { connection_id: connectionId, ...body },
        headers: opts.key ? { 'idempotency-key': opts.key } : {},
      });

    test('its routes and OpenAPI entries come from the declaration', async () => {
      const doc = (await call(t, 'GET', '/openapi.json')).body;
      assert.equal(doc.paths['/v2/telematics/toy-gadgets'].post.operationId, 'createToyGadget');
      assert.equal(doc.paths['/v2/telematics/toy-gadgets'].get.operationId, 'listToyGadgets');
      assert.equal(doc.paths['/v2/telematics/toy-gadgets/{id}'].patch.operationId, 'updateToyGadget');
      assert.equal(doc.paths['/v2/telematics/toy-gadgets/{gadget_id}'].get.operationId, 'getToyGadget');
      const body = doc.paths['/v2/telematics/toy-gadgets'].post.requestBody.content['application/json'].schema;
      assert.deepEqual(Object.keys(body.properties).sort(), ['colour', 'connection_id', 'label', 'notes']);
      // The TSP catalogue lists what the toy adapter stores.
      const tsps = await call(t, 'GET', '/v2/integrations/tsps', { token: p.token });
      const motive = tsps.body.items.find((i: { tsp: string }) => i.tsp === 'motive');
      assert.deepEqual(motive.resources.asset, { create: 'implemented', update: 'implemented' });
      assert.deepEqual(motive.fields.asset, { label: true, colour: true, notes: false });
    });

    test('submit: a value the TSP cannot take is refused with 422; a field it cannot store is reported', async () => {
      const refused = await create({ label: 'L', colour: 'ultraviolet' });
      assert.equal(refused.status, 422);
      assert.deepEqual(refused.body.detail.map((d: { path: string; error_type: string }) => [d.path, d.error_type]), [['body.colour', 'unsupported_by_tsp']]);
      const bad = await create({ label: '' });
      assert.equal(bad.status, 422, 'the declared schema validates');
      const op = await create({ label: 'Dropped', notes: 'kept nowhere' });
      assert.equal(op.status, 202);
      assert.equal(op.body.resource, 'asset');
      assert.deepEqual(op.body.dropped_fields, ['notes']);
      const done = await waitForOperation(t, p, connectionId, op.body.id);
      assert.equal(done.status, 'success');
    });

    test('the worker executes it, retries a 503, and the record reads back; an update composes on it', async () => {
      store.state.failNext = 1;
      const op = await create({ label: 'Retried', colour: 'red' });
      const done = await waitForOperation(t, p, connectionId, op.body.id);
      assert.equal(done.status, 'success', JSON.stringify(done.logs));
      assert.deepEqual(done.logs.map((l: { error_class: string | null }) => l.error_class), ['transient', null]);
      const record = await call(t, 'GET', `/v2/telematics/toy-gadgets/${done.resource_id}`, { token: p.token });
      assert.equal(record.status, 200);
      assert.deepEqual([record.body.label, record.body.colour, record.body.source_id], ['Retried', 'red', done.resource_id]);
      const upd = await call(t, 'PATCH', `/v2/telematics/toy-gadgets/${done.resource_id}?is_sync=true`, { token: p.token, json: { connection_id: connectionId, colour: 'green' } });
      assert.equal(upd.status, 200);
      assert.equal(upd.body.status, 'success');
      assert.deepEqual(store.gadgets.get(done.resource_id), { label: 'Retried', colour: 'green' });
      const list = await call(t, 'GET', `/v2/telematics/toy-gadgets?connection_id=${connectionId}`, { token: p.token });
      assert.ok(list.body.items.some((g: { id: string; colour: string }) => g.id === done.resource_id && g.colour === 'green'));
      // Users stay users: the toy's records are not in their list.
      const users = await call(t, 'GET', '/v2/telematics/users', { token: p.token });
      assert.ok(!users.body.items.some((u: { id: string }) => u.id === done.resource_id));
    });

    test('a create whose answer was lost is found and adopted on retry, not written twice', async () => {
      store.state.lostNext = 1;
      const before = store.state.writes;
      const op = await create({ label: 'Lost answer' });
      const done = await waitForOperation(t, p, connectionId, op.body.id);
      assert.equal(done.status, 'success');
      assert.equal(store.state.writes - before, 1, 'the second attempt looked it up instead of writing again');
    });

    test('is_sync and Idempotency-Key: one operation, replayed', async () => {
      const key = randomUUID();
      const first = await create({ label: 'Once' }, { sync: true, key });
      assert.equal(first.status, 200);
      assert.equal(first.body.status, 'success');
      const again = await create({ label: 'Once' }, { sync: true, key });
      assert.equal(again.status, 200);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(again.body.id, first.body.id);
      const other = await create({ label: 'Twice' }, { sync: true, key });
      assert.equal(other.status, 409);
    });

    test('webhooks hear of its operations, and a failed one can be retried', async () => {
      const receiver = await startReceiver();
      try {
        const hook = await call(t, 'POST', '/v2/notifications/webhooks', { token: p.token, json: { url: receiver.url, event_name: 'resource_operation.*' } });
        assert.equal(hook.status, 200);
        store.state.failNext = 10;
        const op = await create({ label: 'Fails, then retried' });
        const failed = await waitForOperation(t, p, connectionId, op.body.id, 20_000);
        assert.equal(failed.status, 'failed');
        store.state.failNext = 0;
        const retried = await call(t, 'POST', `/v2/integrations/connections/${connectionId}/resource-operations/${op.body.id}/retry`, { token: p.token });
        assert.equal(retried.status, 200);
        assert.equal((await waitForOperation(t, p, connectionId, op.body.id)).status, 'success');
        await until(() => receiver.received.length >= 3, 10_000, 'created, failed and succeeded deliveries');
        const events = receiver.received.map((r) => JSON.parse(r.body) as { event_name: string; data: Array<{ id: string; resource: string }> });
        assert.deepEqual(events.map((e) => e.event_name).sort(), ['resource_operation.created', 'resource_operation.failed', 'resource_operation.succeeded']);
        assert.ok(events.every((e) => e.data[0]!.id === op.body.id && e.data[0]!.resource === 'asset'));
        for (const h of hook.body as Array<{ id: string }>) await call(t, 'DELETE', `/v2/notifications/webhooks/${h.id}`, { token: p.token });
      } finally {
        await receiver.close();
      }
    });
  });
}
