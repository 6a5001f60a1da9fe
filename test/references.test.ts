// Writes that name other records by fleetgate id (a message's recipient, a fuel transaction's vehicle),
// through the engine with a toy resource in a test catalog: the ids are resolved to the TSP's ids on the
// same connection and handed to the adapter; an unknown id, another partner's, another connection's, a
// record of another resource, and one whose create is still pending are refused at submit, naming the
// field (and the element of a list). Also: an adapter whose TSP cannot look a record up again
// (`refindable: false`) never has a create with an unknown outcome retried blindly; a manual retry sends it.
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { resourceOperations } from '../src/db/schema.ts';
import type { Catalog, ResourceDefinition } from '../src/engine/resource.ts';
import { PRODUCT_CATALOG } from '../src/catalog.ts';
import { defineTsp } from '../src/tsps/kit/descriptor.ts';
import { toAttempt, tspRequest } from '../src/tsps/kit/http.ts';
import type { ResourceAdapter } from '../src/tsps/kit/types.ts';
import { motiveAdapter } from '../src/tsps/motive/index.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection, waitForOperation } from './helpers/motive.ts';

/** The toy TSP: keeps every body it is sent; the next `lostNext` writes land but answer 502. */
async function startStore() {
  const received: Array<Record<string, unknown>> = [];
  const state = { lostNext: 0, tooManyNext: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      if (state.tooManyNext > 0) {
        state.tooManyNext -= 1;
        return res.writeHead(429, { 'retry-after': '0' }).end('slow down');
      }
      received.push(JSON.parse(body) as Record<string, unknown>);
      if (state.lostNext > 0) {
        state.lostNext -= 1;
        return res.writeHead(502).end('bad gateway');
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `toy-${received.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, received, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const attributes = {
  recipient_id: z.uuid(),
  cc_ids: z.array(z.uuid()).nullable().optional(),
  vehicle_id: z.uuid().nullable().optional(),
};
const connection_id = z.uuid();
// 'message' is the seed's resource name the toy stands in for (a catalog of its own replaces the product's).
const noteResource: ResourceDefinition = {
  name: 'message',
  plural: 'toy-notes',
  idParam: 'note_id',
  title: 'Note',
  operations: { create: { body: z.strictObject({ connection_id, ...attributes }), operationId: 'create_toy_note', summary: 'note', description: 'toy' } },
  merge: (_current, changes) => ({ ...changes }),
  view: z.object({ id: z.uuid(), connection_id: z.uuid(), source_id: z.string().nullable(), ...attributes, created_at: z.string(), updated_at: z.string() }),
  reads: { listOperationId: 'list_toy_notes', getOperationId: 'get_toy_note', listSummary: 'notes', getSummary: 'note' },
  orderedWrites: false,
  references: { recipient_id: { resource: 'user' }, cc_ids: { resource: 'user' }, vehicle_id: { resource: 'vehicle' } },
};

function toyCatalog(storeUrl: () => string): Catalog {
  const notes: ResourceAdapter = {
    operations: { create: 'implemented' },
    fields: { recipient_id: 'stored', cc_ids: 'stored', vehicle_id: 'stored' },
    // The native body carries only TSP ids: what the engine resolved.
    map: (write) => ({ ok: true, body: { to: write.refs?.recipient_id, cc: write.refs?.cc_ids ?? [], truck: write.refs?.vehicle_id ?? null }, dropped: [] }),
    send: async (_target, _write, body, opts) => {
      const res = await tspRequest({ method: 'POST', url: `${storeUrl()}/notes`, headers: {}, body, timeoutMs: opts.timeoutMs });
      const attempt = toAttempt(res, () => undefined);
      return attempt.ok && res.kind === 'response' ? { ...attempt, sourceId: (res.json as { id: string }).id } : attempt;
    },
    findExisting: async () => {
      throw new Error('never called: this TSP cannot look a note up');
    },
    refindable: false,
    refindReason: 'the toy store has no way to list notes',
  };
  const motive = defineTsp(motiveAdapter.descriptor, { checkCredentials: motiveAdapter.checkCredentials, resources: { ...motiveAdapter.resources, message: notes } });
  return { resources: [...PRODUCT_CATALOG.resources.filter((r) => r.name !== 'message'), noteResource], tsps: { ...PRODUCT_CATALOG.tsps, motive } };
}

for (const kind of testDbKinds()) {
  describe(`references to records written through fleetgate (${kind})`, () => {
    let t: TestApp;
    let worker: Worker | undefined;
    let a: Partner;
    let b: Partner;
    let m: MotiveFixture;
    let other: MotiveFixture;
    let store: Awaited<ReturnType<typeof startStore>>;
    let catalog: Catalog;
    let ada: { id: string; sourceId: string };
    let bob: { id: string; sourceId: string };

    const user = async (p: Partner, connectionId: string, name: string) => {
      const res = await call(t, 'POST', '/v2/telematics/users?is_sync=true', {
        token: p.token,
        json: { connection_id: connectionId, first_name: name, last_name: 'Ref', phone_country_code: '+1' },
      });
      assert.equal(res.body.status, 'success', res.text);
      return { id: res.body.resource_id as string, sourceId: res.body.source_id as string };
    };
    const note = (p: Partner, body: Record<string, unknown>, sync = true) =>
      call(t, 'POST', `/v2/telematics/toy-notes${sync ? '?is_sync=true' : ''}`, { token: p.token, json: { connection_id: m.connectionId, ...body } });
    const problems = (res: { body: { detail: Array<{ path: string; error_type: string; message: string }> } }) =>
      res.body.detail.map((d) => [d.path, d.error_type]);

    before(async () => {
      store = await startStore();
      catalog = toyCatalog(() => store.url);
      t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: '20', FLEETGATE_MAX_ATTEMPTS: '4' }, app: { catalog } });
      a = await newPartner(t);
      b = await newPartner(t);
      m = await motiveConnection(t, a, { rate_limit_per_minute: 100_000 });
      other = await motiveConnection(t, a, { rate_limit_per_minute: 100_000 });
      ada = await user(a, m.connectionId, 'Ada');
      bob = await user(a, m.connectionId, 'Bob');
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
      await store?.close();
    });

    test("the adapter gets the TSP's ids, a list's in its order; the operation keeps the fleetgate ids", async () => {
      const res = await note(a, { recipient_id: ada.id, cc_ids: [bob.id, ada.id] });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'success', res.text);
      assert.deepEqual(store.received.at(-1), { to: ada.sourceId, cc: [bob.sourceId, ada.sourceId], truck: null });
      assert.equal(res.body.payload.recipient_id, ada.id);
    });

    test('unknown, foreign, wrong-resource and other-connection ids are refused at submit, at their path', async () => {
      const before = store.received.length;
      const stranger = await user(b, (await motiveConnection(t, b, { rate_limit_per_minute: 100_000 })).connectionId, 'Eve');
      const elsewhere = await user(a, other.connectionId, 'Cy');
      const res = await note(a, { recipient_id: randomUUID(), cc_ids: [bob.id, stranger.id, elsewhere.id], vehicle_id: ada.id });
      assert.equal(res.status, 422, res.text);
      assert.deepEqual(problems(res), [
        ['body.recipient_id', 'not_found'],
        ['body.cc_ids.1', 'not_found'],
        ['body.cc_ids.2', 'connection_mismatch'],
        ['body.vehicle_id', 'not_found'],
      ]);
      // Nothing was stored or sent.
      assert.equal(store.received.length, before);
      const ops = await call(t, 'GET', `/v2/integrations/connections/resource-operations?connection_id=${m.connectionId}&resource=message&size=100`, { token: a.token });
      assert.ok(ops.body.items.every((op: { payload: { recipient_id: string } }) => op.payload.recipient_id !== res.body.detail[0].input));
    });

    test('a user whose create is still pending is refused, naming its operation', async () => {
      // No worker runs yet: the queued create stays pending.
      const queued = await call(t, 'POST', '/v2/telematics/users', {
        token: a.token,
        json: { connection_id: m.connectionId, first_name: 'Di', last_name: 'Pending', phone_country_code: '+1' },
      });
      assert.equal(queued.status, 202);
      // The API shows a create's resource_id once it succeeds; the id is fixed at submit, read here.
      const [row] = await t.services.database.db.select().from(resourceOperations).where(eq(resourceOperations.id, queued.body.id));
      const res = await note(a, { recipient_id: row!.resourceId });
      assert.equal(res.status, 422, res.text);
      assert.deepEqual(problems(res), [['body.recipient_id', 'reference_pending']]);
      assert.match(res.body.detail[0].message, new RegExp(queued.body.id));
    });

    test('a create the TSP cannot look up again is not retried blindly after a lost answer; a manual retry sends it', async () => {
      worker = startWorker(t.services, { pollMs: 20, catalog });
      store.state.lostNext = 1;
      const before = store.received.length;
      const res = await note(a, { recipient_id: ada.id }, false);
      assert.equal(res.status, 202, res.text);
      const done = await waitForOperation(t, a, m.connectionId, res.body.id);
      assert.equal(done.status, 'failed');
      // One write reached the store (it landed; its answer was lost); the second attempt did not send.
      assert.equal(store.received.length, before + 1);
      assert.deepEqual(done.logs.map((l: { error_class: string }) => l.error_class), ['transient', 'validation']);
      assert.match(done.logs[1].error_details, /not tried again automatically.*the toy store has no way to list notes/);
      const retried = await call(t, 'POST', `/v2/integrations/connections/${m.connectionId}/resource-operations/${res.body.id}/retry`, { token: a.token });
      assert.equal(retried.status, 200, retried.text);
      const again = await waitForOperation(t, a, m.connectionId, res.body.id);
      assert.equal(again.status, 'success', JSON.stringify(again.logs));
      assert.equal(store.received.length, before + 2);
    });

    test('after a 429 (proof that nothing was recorded) such a create is tried again as usual', async () => {
      store.state.tooManyNext = 1;
      const before = store.received.length;
      const res = await note(a, { recipient_id: ada.id }, false);
      const done = await waitForOperation(t, a, m.connectionId, res.body.id);
      assert.equal(done.status, 'success', JSON.stringify(done.logs));
      assert.deepEqual(done.logs.map((l: { error_class: string | null }) => l.error_class), ['rate_limited', null]);
      assert.equal(store.received.length, before + 1);
    });
  });
}
