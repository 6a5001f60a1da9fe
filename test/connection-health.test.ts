// Connection health, through HTTP with the Motive sandbox: a key revoked at the TSP fails the connection
// (with its reason on GET and a connection.staled webhook) and holds its queue (nothing failed one by
// one, no attempt spent); credentials that the TSP accepts make it active again (Catena has no event for
// that, so none is sent) and every held write goes through.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { PRODUCT_CATALOG } from '../src/catalog.ts';
import { executeOperation } from '../src/engine/execute.ts';
import { claimDue } from '../src/engine/operations/machine.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection, waitForOperation } from './helpers/motive.ts';
import { startReceiver, until } from './helpers/receiver.ts';

const FAST = 100_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of testDbKinds()) {
  describe(`connection health (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    let worker: Worker | undefined;

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: '100', FLEETGATE_MAX_ATTEMPTS: '3', FLEETGATE_SYNC_TIMEOUT_MS: '2000' } });
      p = await newPartner(t);
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
    });
    /** The background worker, from the first test that needs one on (the first test claims by hand). */
    const withWorker = () => (worker ??= startWorker(t.services, { pollMs: 25 }));

    const connPath = (m: MotiveFixture) => `/v2/integrations/connections/${m.connectionId}`;
    const opPath = (m: MotiveFixture, id: string) => `${connPath(m)}/resource-operations/${id}`;
    const submit = async (m: MotiveFixture, q: Partner, sync = false) =>
      call(t, 'POST', `/v2/telematics/users${sync ? '?is_sync=true' : ''}`, {
        token: q.token,
        json: { connection_id: m.connectionId, first_name: 'Health', last_name: `C-${randomUUID().slice(0, 8)}`, phone_country_code: '+1' },
      });
    /** Revokes the account's key at the sandbox and issues a new one (what regenerating a Motive key does). */
    const rotateKey = async (apiKey: string): Promise<string> => {
      const res = await call(t, 'POST', '/sandbox/motive/_sandbox/rotate_key', { headers: { 'x-api-key': apiKey } });
      assert.equal(res.status, 201, res.text);
      return res.body.api_key as string;
    };
    const sandboxAs = async (apiKey: string, method: string, path: string, json?: unknown) =>
      call(t, method, `/sandbox/motive${path}`, { headers: { 'x-api-key': apiKey }, json });
    const budget = async (id: string) => {
      const res = (await t.services.database.db.execute(sql`
        SELECT attempts, attempts - attempts_base AS spent, lease_owner FROM resource_operations WHERE id = ${id}`)) as unknown as {
        rows: Array<{ attempts: number; spent: number; lease_owner: string | null }>;
      };
      return { ...res.rows[0]!, spent: Number(res.rows[0]!.spent) };
    };
    const run = (id: string) => executeOperation(t.services, PRODUCT_CATALOG, id, { owner: 'w1', timeoutMs: 2_000, sync: false });

    test('a 401 that answers credentials replaced in the meantime holds the write but does not fail the connection', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      const res = await submit(m, p);
      assert.equal(res.status, 202);
      assert.deepEqual((await claimDue(t.services, 'w1', 10, 60_000)).map((c) => c.id), [res.body.id]);
      // The TSP takes 800 ms to refuse this attempt; meanwhile the partner saves credentials that work.
      await m.sandbox('POST', '/_sandbox/faults', { status: 401, delay_ms: 800, body: { error_message: 'Unauthorized' } });
      const attempt = run(res.body.id);
      await sleep(200);
      const replaced = await call(t, 'PATCH', connPath(m), { token: p.token, json: { credentials: { api_key: m.apiKey } } });
      assert.equal(replaced.status, 200, replaced.text);
      assert.equal(await attempt, 'held');
      const conn = await call(t, 'GET', connPath(m), { token: p.token });
      assert.equal(conn.body.status, 'active', 'the refusal was of the credentials the partner has since replaced');
      assert.equal(conn.body.status_reason, null);
      // Not spent, and due at once: the next claim tries it with the new credentials.
      assert.equal((await budget(res.body.id)).spent, 0);
      assert.deepEqual((await claimDue(t.services, 'w1', 10, 60_000)).map((c) => c.id), [res.body.id]);
      assert.equal(await run(res.body.id), 'success');
      const done = await waitForOperation(t, p, m.connectionId, res.body.id);
      assert.deepEqual(done.logs.map((l: { error_class: string | null }) => l.error_class), ['auth', null]);
    });

    test('revoked at the TSP: the connection fails with its reason, its writes wait (none failed, no attempt spent); new credentials release them', async () => {
      withWorker();
      const q = await newPartner(t);
      const receiver = await startReceiver();
      try {
        const hook = await call(t, 'POST', '/v2/notifications/webhooks', {
          token: q.token,
          json: { url: receiver.url, event_name: 'connection.staled', signing: 'standard_webhooks' },
        });
        assert.equal(hook.status, 200, hook.text);
        const m = await motiveConnection(t, q, { rate_limit_per_minute: FAST });
        const newKey = await rotateKey(m.apiKey);

        // The first write's attempt is refused: logged as auth, the write still pending.
        const first = await submit(m, q);
        assert.equal(first.status, 202);
        await until(async () => (await call(t, 'GET', opPath(m, first.body.id), { token: q.token })).body.logs.length >= 1, 10_000, 'the first attempt');
        const held = (await call(t, 'GET', opPath(m, first.body.id), { token: q.token })).body;
        assert.equal(held.status, 'pending');
        assert.deepEqual(
          held.logs.map((l: { error_class: string; response_status_code: number }) => [l.error_class, l.response_status_code]),
          [['auth', 401]],
        );

        // GET says why, and when; the list finds it by status.
        const failed = await call(t, 'GET', connPath(m), { token: q.token });
        assert.equal(failed.body.status, 'failed');
        assert.match(failed.body.status_reason, new RegExp(`^Motive refused the connection's credentials \\(HTTP 401\\) on operation ${first.body.id}: .*invalid API key`));
        assert.ok(Date.parse(failed.body.failed_at) <= Date.now() + 1000);
        const listed = await call(t, 'GET', '/v2/integrations/connections?status=failed', { token: q.token });
        assert.deepEqual(listed.body.items.map((c: { id: string }) => c.id), [m.connectionId]);

        // Later writes are taken and wait with it; a sync write cannot wait and is refused.
        const later = [await submit(m, q), await submit(m, q)];
        for (const r of later) assert.equal(r.status, 202, r.text);
        const sync = await submit(m, q, true);
        assert.equal(sync.status, 409);
        assert.match(sync.body.message, /connection failed/);
        await sleep(500);
        for (const id of [first.body.id, ...later.map((r) => r.body.id)]) {
          const op = (await call(t, 'GET', opPath(m, id), { token: q.token })).body;
          assert.equal(op.status, 'pending', 'held, not failed');
          assert.equal(op.logs.length, id === first.body.id ? 1 : 0, 'nothing more was sent');
          const b = await budget(id);
          assert.equal(b.spent, 0, 'no attempt of the budget spent');
          assert.equal(b.lease_owner, null, 'queued, not in flight');
        }

        // One connection.staled: the Connection without its credentials.
        const verifier = new Webhook(hook.body.secret);
        const events = () =>
          receiver.received.map((r) => verifier.verify(r.body, r.headers as Record<string, string>) as { event_name: string; data: Array<Record<string, unknown>> });
        await until(() => receiver.received.length >= 1, 10_000, 'connection.staled');
        assert.deepEqual(events().map((e) => e.event_name), ['connection.staled']);
        const staled = events()[0]!.data[0]!;
        // Catena's BaseConnectionEvent (id, source_name, fleet_id, tsp_id, status), and the reason.
        assert.equal(staled.id, m.connectionId);
        assert.equal(staled.source_name, 'motive');
        assert.ok('fleet_id' in staled);
        assert.match(String(staled.tsp_id), /^[0-9a-f-]{36}$/);
        assert.equal(staled.status, 'failed');
        assert.equal(staled.status_reason, failed.body.status_reason);
        assert.equal(staled.credentials, undefined);
        assert.ok(!receiver.received[0]!.body.includes(m.apiKey.slice(-4)), 'no credential, not even masked');

        // Asked to be active again on the same (revoked) key: checked at the TSP, refused, still failed.
        const onFaith = await call(t, 'PATCH', connPath(m), { token: q.token, json: { status: 'active' } });
        assert.equal(onFaith.status, 422);
        assert.equal(onFaith.body.detail[0].error_type, 'invalid_credentials');
        assert.equal((await call(t, 'GET', connPath(m), { token: q.token })).body.status, 'failed');

        // The new key: active, the reason gone, and every held write goes through.
        const restored = await call(t, 'PATCH', connPath(m), { token: q.token, json: { credentials: { api_key: newKey } } });
        assert.equal(restored.status, 200, restored.text);
        assert.equal(restored.body.status, 'active');
        assert.equal(restored.body.status_reason, null);
        assert.equal(restored.body.failed_at, null);
        for (const id of [first.body.id, ...later.map((r) => r.body.id)]) {
          const done = await waitForOperation(t, q, m.connectionId, id);
          assert.equal(done.status, 'success', JSON.stringify(done.logs));
        }
        const firstDone = await waitForOperation(t, q, m.connectionId, first.body.id);
        assert.deepEqual(firstDone.logs.map((l: { attempt: number; error_class: string | null }) => [l.attempt, l.error_class]), [[1, 'auth'], [2, null]]);
        const users = (await sandboxAs(newKey, 'GET', '/v1/users?per_page=100')).body.users;
        assert.equal(users.length, 3, 'each write once at the TSP');

        // Catena has no event for a connection that works again: nothing more is sent.
        await sleep(300);
        assert.deepEqual(events().map((e) => e.event_name), ['connection.staled']);
      } finally {
        await receiver.close();
      }
    });

    test('a 401 on an is_sync write: that write fails (the caller owns its retries) and the connection fails with it', async () => {
      withWorker();
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      await m.sandbox('POST', '/_sandbox/faults', { status: 401, body: { error_message: 'Unauthorized' } });
      const res = await submit(m, p, true);
      // Catena's 502 for a sync write that could not be processed: the failed operation, its log saying why.
      assert.equal(res.status, 502, res.text);
      assert.equal(res.body.status, 'failed');
      assert.equal(res.body.logs[0].error_class, 'auth');
      const conn = await call(t, 'GET', connPath(m), { token: p.token });
      assert.equal(conn.body.status, 'failed');
      assert.match(conn.body.status_reason, new RegExp(`on operation ${res.body.id}`));
      // The key itself still works (the 401 was a one-off): asking for active checks it again and succeeds.
      const revived = await call(t, 'PATCH', connPath(m), { token: p.token, json: { status: 'active' } });
      assert.equal(revived.status, 200, revived.text);
      assert.equal(revived.body.status, 'active');
      const again = await submit(m, p, true);
      assert.equal(again.body.status, 'success');
    });

    test('a failed connection stays failed through other updates; deleting it ends its held writes', async () => {
      withWorker();
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      await rotateKey(m.apiKey);
      const op = await submit(m, p);
      await until(async () => (await call(t, 'GET', connPath(m), { token: p.token })).body.status === 'failed', 10_000, 'the connection to fail');
      // A description change leaves it failed.
      const renamed = await call(t, 'PATCH', connPath(m), { token: p.token, json: { description: 'still broken' } });
      assert.equal(renamed.body.status, 'failed');
      assert.ok(renamed.body.status_reason);
      assert.equal((await call(t, 'DELETE', connPath(m), { token: p.token })).status, 204);
      const ended = await waitForOperation(t, p, m.connectionId, op.body.id);
      assert.equal(ended.status, 'failed');
      assert.equal(ended.logs.at(-1).error_class, 'not_found');
    });
  });
}
