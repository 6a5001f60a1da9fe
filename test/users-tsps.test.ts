// The users write API against every TSP: one suite, parameterised by TSP fixture and database.
// What is checked here holds for all of them; each TSP's fine print lives in its adapter's tests.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { HOS_RULESET_CODES } from '../src/contract/enums.ts';
import { adapterFor } from '../src/tsps/registry.ts';
import { usersOf } from './helpers/adapters.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import { waitForOperation } from './helpers/motive.ts';
import type { TspConnection } from './helpers/tsps.ts';
import { FULL_USER, TSP_FIXTURES, assertHoldsNative } from './helpers/tsps.ts';

for (const kind of testDbKinds()) {
  describe(`users across TSPs (${kind})`, () => {
    let t: TestApp;
    let worker: Worker;
    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: '100', FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
      worker = startWorker(t.services, { pollMs: 25 });
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
    });

    for (const fx of TSP_FIXTURES) {
      describe(fx.tsp, () => {
        let p: Partner;
        let c: TspConnection;
        before(async () => {
          p = await newPartner(t);
          c = await fx.connect(t, p);
        });
        const unique = () => randomUUID().slice(0, 8);
        const body = (extra: Record<string, unknown> = {}) => ({
          connection_id: c.connectionId,
          username: `u.${unique()}`,
          first_name: 'Min',
          last_name: `L${unique()}`,
          phone_number: '5555550199',
          phone_country_code: '+1',
          is_driver: true,
          ...extra,
        });
        const submit = async (json: Record<string, unknown>, sync = false) => {
          const res = await call(t, 'POST', `/v2/telematics/users${sync ? '?is_sync=true' : ''}`, { token: p.token, json });
          assert.equal(res.status, sync ? 200 : 202, res.text);
          return res.body;
        };

        test('a sync create with every field lands mapped; fields the TSP cannot store are reported', async () => {
          const op = await submit({ connection_id: c.connectionId, ...FULL_USER }, true);
          assert.equal(op.status, 'success', JSON.stringify(op.logs));
          const native = await c.native(op.source_id);
          assertHoldsNative(native, fx.expectedNative(op.resource_id), fx.tsp);
          const stores = adapterFor(fx.tsp)!.capabilities.fields.user!;
          const notStored = Object.keys(FULL_USER).filter((f) => !stores[f as keyof typeof stores] && !fx.representedOtherwise?.includes(f));
          for (const f of notStored) assert.ok(op.dropped_fields.includes(f), `${f} is not stored by ${fx.tsp} but was not reported`);
        });

        test('an async create reaches success through the worker', async () => {
          const op = await submit(body());
          assert.equal(op.status, 'pending');
          const done = await waitForOperation(t, p, c.connectionId, op.id);
          assert.equal(done.status, 'success', JSON.stringify(done.logs));
          assert.ok(done.source_id);
          assert.equal(c.firstName(await c.native(done.source_id)), 'Min');
        });

        test('an update changes what was sent and keeps the rest', async () => {
          const created = await submit(body({ last_name: 'Keep' }), true);
          const res = await call(t, 'PATCH', `/v2/telematics/users/${created.resource_id}?is_sync=true`, {
            token: p.token,
            json: { connection_id: c.connectionId, first_name: 'Grace' },
          });
          assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
          const native = await c.native(created.source_id);
          assert.equal(c.firstName(native), 'Grace');
          assert.match(JSON.stringify(native), /Keep/);
          const user = await call(t, 'GET', `/v2/telematics/users/${created.resource_id}`, { token: p.token });
          assert.equal(user.body.first_name, 'Grace');
          assert.equal(user.body.last_name, 'Keep');
        });

        test('rate limited (Retry-After: 1), then a 5xx, then success: three logs, Retry-After respected', async () => {
          await c.fault('rate_limited_1s');
          await c.fault('transient');
          const op = await submit(body());
          const done = await waitForOperation(t, p, c.connectionId, op.id, 15_000);
          assert.equal(done.status, 'success', JSON.stringify(done.logs));
          assert.deepEqual(done.logs.map((l: { error_class: string | null }) => l.error_class), ['rate_limited', 'transient', null]);
          const gap = Date.parse(done.logs[1].created_at) - Date.parse(done.logs[0].created_at);
          assert.ok(gap >= 1000, `second attempt ${gap} ms after the first`);
        });

        test('a refusal by the TSP fails after one attempt with its reason', async () => {
          await c.fault('validation');
          const done = await waitForOperation(t, p, c.connectionId, (await submit(body())).id);
          assert.equal(done.status, 'failed');
          assert.equal(done.logs.length, 1);
          assert.equal(done.logs[0].error_class, 'validation');
          assert.match(done.logs[0].error_details, /invalid/i);
        });

        test('a value the TSP cannot represent is refused at submit, from the same tables the matrix reports', async () => {
          const adapter = adapterFor(fx.tsp)!;
          const probe = body();
          const refused = HOS_RULESET_CODES.find((code) => {
            const attrs = { ...probe, hos_ruleset_code: code } as Record<string, unknown>;
            delete attrs.connection_id;
            return usersOf(adapter).refusals({ operation: 'create', changes: attrs, merged: attrs, externalId: randomUUID() }).length > 0;
          });
          assert.ok(refused, `${fx.tsp} refuses no HOS code`);
          const res = await call(t, 'POST', '/v2/telematics/users', { token: p.token, json: { ...probe, hos_ruleset_code: refused } });
          assert.equal(res.status, 422);
          const problem = res.body.detail.find((d: { path: string }) => d.path === 'body.hos_ruleset_code');
          assert.equal(problem.error_type, 'unsupported_by_tsp');
          assert.match(problem.message, new RegExp(adapter.displayName));
          const matrix = await call(t, 'GET', '/v2/integrations/tsps', { token: p.token });
          const entry = matrix.body.items.find((x: { tsp: string }) => x.tsp === fx.tsp);
          assert.deepEqual(entry.user_fields, adapter.capabilities.fields.user);
          assert.deepEqual(entry.resources.user, { create: 'implemented', update: 'implemented' });
        });

        test('a lost answer is retried without a second user at the TSP', async () => {
          const before = await c.userCount();
          await c.fault('lost_response');
          const done = await waitForOperation(t, p, c.connectionId, (await submit(body())).id, 15_000);
          assert.equal(done.status, 'success', JSON.stringify(done.logs));
          assert.equal(done.logs.length, 2);
          assert.equal(await c.userCount(), before + 1);
        });
      });
    }
  });
}
