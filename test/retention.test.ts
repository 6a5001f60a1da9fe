// Retention: what the worker deletes so that nothing grows without bound. Rows are aged with SQL on the
// database's clock, one pass runs, and the test looks at what went and what stayed: ended operations go
// with their logs, pending and recent ones stay; expired idempotency keys go (a replay is then a new
// operation); ended webhook deliveries go with their attempts, pending ones stay; rate-limit rows of
// deleted or long-idle connections go.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { runRetention } from '../src/engine/retention.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection } from './helpers/motive.ts';
import { startReceiver, until } from './helpers/receiver.ts';

const FAST = 100_000;
const list = (ids: string[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);

for (const kind of testDbKinds()) {
  describe(`retention on ${kind}`, () => {
    let t: TestApp;
    let p: Partner;
    let worker: Worker;

    before(async () => {
      // Small batches, so that one pass takes several statements; retention off in the worker: the tests run passes.
      t = await startTestApp(kind, { env: { FLEETGATE_RETENTION_BATCH: '2' } });
      worker = startWorker(t.services, { pollMs: 25, retentionIntervalMs: 0 });
      p = await newPartner(t);
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
    });

    const q = async <T = Record<string, unknown>>(query: SQL) =>
      ((await t.services.database.db.execute(query)) as unknown as { rows: T[] }).rows;
    const existing = async (table: 'resource_operations' | 'webhook_deliveries', ids: string[]) =>
      (await q<{ id: string }>(sql`SELECT id FROM ${sql.identifier(table)} WHERE id IN (${list(ids)})`)).map((r) => r.id).sort();
    const ageOperations = (ids: string[], days: number, columns: 'both' | 'created' = 'both') =>
      q(sql`UPDATE resource_operations SET created_at = now() - ${days} * interval '1 day'
            ${columns === 'both' ? sql`, updated_at = now() - ${days} * interval '1 day'` : sql``}
            WHERE id IN (${list(ids)})`);
    // A sync write: 200 when it succeeds, 502 with the failed operation when the TSP refuses it (Catena's).
    const syncCreate = async (m: MotiveFixture, key?: string, lastName = `Ret-${randomUUID().slice(0, 8)}`, status = 200) => {
      const res = await call(t, 'POST', '/v2/telematics/users?is_sync=true', {
        token: p.token,
        headers: key ? { 'idempotency-key': key } : {},
        json: { connection_id: m.connectionId, first_name: 'Retention', last_name: lastName, phone_country_code: '+1' },
      });
      assert.equal(res.status, status, res.text);
      return res;
    };

    test('ended operations past the retention go with their logs; pending, recent and lately retried ones stay', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      const oldSucceeded: string[] = [];
      for (let i = 0; i < 5; i++) oldSucceeded.push((await syncCreate(m)).body.id);
      await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'Validation failed' } });
      const failed = await syncCreate(m, undefined, undefined, 502);
      assert.equal(failed.body.status, 'failed');
      const oldFailed = failed.body.id as string;
      const recent = (await syncCreate(m)).body.id as string;
      const almost = (await syncCreate(m)).body.id as string;
      // Failed a month ago, retried by the partner yesterday: the retry is what counts.
      await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'Validation failed' } });
      const retriedLately = (await syncCreate(m, undefined, undefined, 502)).body.id as string;
      // A pending operation a month old: its connection (1 call a minute) spent its slot just before.
      const paced = await motiveConnection(t, p, { rate_limit_per_minute: 1 });
      // Its first call takes the minute's slot and its second finds none: the sync write could not be
      // processed at this time (502, the operation), and the slot is spent.
      const spent = await call(t, 'POST', '/v2/telematics/users?is_sync=true', {
        token: p.token,
        json: { connection_id: paced.connectionId, first_name: 'Spends', last_name: 'The-Slot', phone_country_code: '+1' },
      });
      assert.equal(spent.status, 502, spent.text);
      const queued = await call(t, 'POST', '/v2/telematics/users', {
        token: p.token,
        json: { connection_id: paced.connectionId, first_name: 'Waits', last_name: 'Its-Turn', phone_country_code: '+1' },
      });
      assert.equal(queued.status, 202);
      const pending = queued.body.id as string;

      const doomed = [...oldSucceeded, oldFailed];
      await ageOperations([...doomed, pending], 31);
      await ageOperations([almost], 29);
      await ageOperations([retriedLately], 40, 'created');
      await q(sql`UPDATE resource_operations SET updated_at = now() - interval '1 day' WHERE id = ${retriedLately}`);
      const logsBefore = await q<{ n: number | string }>(sql`SELECT count(*) AS n FROM operation_logs WHERE resource_operation_id IN (${list(doomed)})`);
      assert.equal(Number(logsBefore[0]!.n), doomed.length, 'one log per operation before the pass');

      const deleted = await runRetention(t.services);
      assert.ok(deleted.operations >= doomed.length, `deleted ${deleted.operations}`);
      assert.deepEqual(await existing('resource_operations', doomed), [], 'ended a month ago: gone (in batches of 2)');
      assert.deepEqual(await existing('resource_operations', [pending, recent, almost, retriedLately]), [pending, recent, almost, retriedLately].sort());
      const logsAfter = await q<{ n: number | string }>(sql`SELECT count(*) AS n FROM operation_logs WHERE resource_operation_id IN (${list(doomed)})`);
      assert.equal(Number(logsAfter[0]!.n), 0, 'the logs went with their operations');
      const gone = await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/resource-operations/${oldFailed}`, { token: p.token });
      assert.equal(gone.status, 404);
      const kept = await call(t, 'GET', `/v2/integrations/connections/${paced.connectionId}/resource-operations/${pending}`, { token: p.token });
      assert.equal(kept.body.status, 'pending', 'a pending operation is never deleted, however old');
      // A second pass finds nothing more of these.
      await runRetention(t.services);
      assert.deepEqual(await existing('resource_operations', [pending, recent, almost, retriedLately]), [pending, recent, almost, retriedLately].sort());
    });

    test('idempotency keys go 48 h after they were stamped; a replay of a deleted key is a new operation', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      const [expired, lately, fresh] = [`exp-${randomUUID()}`, `late-${randomUUID()}`, `fresh-${randomUUID()}`];
      const first = await syncCreate(m, expired, 'Same-Body');
      const second = await syncCreate(m, lately, 'Late-Body');
      const third = await syncCreate(m, fresh, 'Fresh-Body');
      const ageKey = (key: string, hours: number) =>
        q(sql`UPDATE idempotency_keys SET created_at = now() - ${hours} * interval '1 hour' WHERE partner_id = ${p.partnerId} AND key = ${key}`);
      await ageKey(expired, 3 * 24);
      await ageKey(lately, 30); // past its 24 h lifetime, not yet past the allowance
      const keys = async () =>
        (await q<{ key: string }>(sql`SELECT key FROM idempotency_keys WHERE key IN (${list([expired, lately, fresh])})`)).map((r) => r.key).sort();

      const deleted = await runRetention(t.services);
      assert.ok(deleted.idempotencyKeys >= 1);
      assert.deepEqual(await keys(), [lately, fresh].sort());
      assert.deepEqual(await existing('resource_operations', [first.body.id, second.body.id]), [first.body.id, second.body.id].sort(), 'the operations stay');

      const replayOfDeleted = await syncCreate(m, expired, 'Same-Body');
      assert.notEqual(replayOfDeleted.body.id, first.body.id, 'a new operation');
      assert.equal(replayOfDeleted.headers['idempotent-replayed'], undefined);
      const replayOfLive = await syncCreate(m, fresh, 'Fresh-Body');
      assert.equal(replayOfLive.body.id, third.body.id);
      assert.equal(replayOfLive.headers['idempotent-replayed'], 'true');

      // An operation and its key, both old: they go together (the key first; no foreign key stands in the way).
      const both = await syncCreate(m, `both-${randomUUID()}`);
      await ageOperations([both.body.id], 31);
      await q(sql`UPDATE idempotency_keys SET created_at = now() - interval '31 days' WHERE resource_operation_id = ${both.body.id}`);
      await runRetention(t.services);
      assert.deepEqual(await existing('resource_operations', [both.body.id]), []);
    });

    test('ended webhook deliveries go with their attempts; pending ones stay', async () => {
      const q2 = await newPartner(t);
      const receiver = await startReceiver();
      try {
        const subscribe = () => call(t, 'POST', '/v2/notifications/webhooks', { token: q2.token, json: { url: receiver.url, event_name: 'resource_operation.created' } });
        const hook = await subscribe();
        assert.equal(hook.status, 200);
        const quiet = await subscribe();
        await call(t, 'POST', `/v2/notifications/webhooks/${quiet.body.id}/pause`, { token: q2.token });
        const m = await motiveConnection(t, q2, { rate_limit_per_minute: FAST });
        const res = await call(t, 'POST', '/v2/telematics/users?is_sync=true', {
          token: q2.token,
          json: { connection_id: m.connectionId, first_name: 'Hook', last_name: 'Ed', phone_country_code: '+1' },
        });
        assert.equal(res.status, 200);
        const deliveries = async (webhookId: string) =>
          q<{ id: string; status: string }>(sql`SELECT id, status FROM webhook_deliveries WHERE webhook_id = ${webhookId}`);
        await until(async () => (await deliveries(hook.body.id)).filter((d) => d.status === 'delivered').length === 1, 10_000, 'the delivery');
        const delivered = (await deliveries(hook.body.id)).map((d) => d.id);
        const waiting = (await deliveries(quiet.body.id)).map((d) => d.id);
        assert.equal(waiting.length, 1, 'the paused webhook keeps its delivery pending');
        await q(sql`UPDATE webhook_deliveries SET created_at = now() - interval '31 days', updated_at = now() - interval '31 days'
                     WHERE id IN (${list([...delivered, ...waiting])})`);

        const deleted = await runRetention(t.services);
        assert.ok(deleted.webhookDeliveries >= 1);
        assert.deepEqual(await existing('webhook_deliveries', delivered), []);
        const attempts = await q<{ n: number | string }>(sql`SELECT count(*) AS n FROM webhook_attempts WHERE delivery_id IN (${list(delivered)})`);
        assert.equal(Number(attempts[0]!.n), 0, 'the attempts went with their deliveries');
        assert.deepEqual(await existing('webhook_deliveries', waiting), waiting.sort(), 'pending deliveries are never deleted');
        const logs = await call(t, 'GET', `/v2/notifications/webhooks/${hook.body.id}/logs`, { token: q2.token });
        assert.equal(logs.body.items.length, 0);
      } finally {
        await receiver.close();
      }
    });

    test('rate-limit rows of deleted connections and of connections idle for a day go; the next call recreates one', async () => {
      const [idle, busy, deleted, paused] = await Promise.all([1, 2, 3, 4].map(() => motiveConnection(t, p, { rate_limit_per_minute: FAST })));
      for (const m of [idle!, busy!, deleted!, paused!]) await syncCreate(m);
      await q(sql`UPDATE rate_limits SET next_at = now() - interval '2 days' WHERE connection_id IN (${list([idle!.connectionId, paused!.connectionId])})`);
      await q(sql`UPDATE rate_limits SET paused_until = now() + interval '1 hour' WHERE connection_id = ${paused!.connectionId}`);
      assert.equal((await call(t, 'DELETE', `/v2/integrations/connections/${deleted!.connectionId}`, { token: p.token })).status, 204);
      const rows = async () =>
        (await q<{ connection_id: string }>(sql`SELECT connection_id FROM rate_limits WHERE connection_id IN (${list([idle!, busy!, deleted!, paused!].map((m) => m.connectionId))})`))
          .map((r) => r.connection_id)
          .sort();

      const counts = await runRetention(t.services);
      assert.ok(counts.rateLimits >= 2);
      assert.deepEqual(await rows(), [busy!.connectionId, paused!.connectionId].sort(), 'busy and still paused: kept');
      assert.equal((await syncCreate(idle!)).body.status, 'success', 'the idle connection writes as before');
      assert.ok((await rows()).includes(idle!.connectionId), 'its schedule starts again');
    });

    test('the worker runs retention on its own, at its interval', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      const id = (await syncCreate(m)).body.id as string;
      await ageOperations([id], 31);
      const cleaner = startWorker(t.services, { pollMs: 25, retentionIntervalMs: 100 });
      try {
        await until(async () => (await existing('resource_operations', [id])).length === 0, 10_000, 'the worker to delete it');
      } finally {
        await cleaner.stop();
      }
    });
  });
}
