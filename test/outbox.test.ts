// The webhook outbox's delivery loop when fleetgate itself cannot send: a webhook whose sealed secret
// no longer unseals (the encryption key changed) must not be claimed again and again in silence. Each
// claim ends in a recorded failed attempt, on the retry schedule, until the delivery fails for good.
// Deliveries are driven one claim at a time (claimDeliveries + deliver, next_attempt_at moved to now()
// in SQL) so the whole 12-attempt schedule runs in well under a second.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, afterEach, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { FAILURES_IN_A_ROW, MAX_DELIVERY_ATTEMPTS, claimDeliveries, deliver, uuidv7 } from '../src/engine/outbox/index.ts';
import type { ClaimedDelivery } from '../src/engine/outbox/index.ts';
import { deriveKeys, seal } from '../src/platform/keys.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import { startReceiver, until } from './helpers/receiver.ts';

// The documented schedule (README: 1 s, 5 s, 30 s, 2 min, ... 10 h), in units of the retry base.
const SCHEDULE = [1, 5, 30, 120, 600, 1800, 3600, 7200, 18_000, 36_000, 36_000];
const BASE_MS = 1;

for (const kind of testDbKinds()) {
  describe(`webhook outbox (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let logText = '';
    const rows = async (query: SQL) => ((await t.services.database.db.execute(query)) as unknown as { rows: any[] }).rows;

    before(async () => {
      const logStream = new Writable({
        write(chunk, _enc, done) {
          logText += String(chunk);
          done();
        },
      });
      t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: String(BASE_MS) }, logStream });
      p = await newPartner(t);
      receiver = await startReceiver(() => 500);
    });
    // Deleted webhooks are never claimed, so one test's leftovers (even a failed test's) stay out of the next.
    const hooks: string[] = [];
    afterEach(async () => {
      for (const id of hooks.splice(0)) await call(t, 'DELETE', `/v2/notifications/webhooks/${id}`, { token: p.token });
    });
    after(async () => {
      await receiver?.close();
      await t?.close();
    });

    const newHook = async () => {
      const hook = await call(t, 'POST', '/v2/notifications/webhooks', { token: p.token, json: { url: receiver.url, event_name: 'resource_operation.created' } });
      assert.equal(hook.status, 200, hook.text);
      hooks.push(hook.body.id);
      // Past the circuit breaker's grace period, so its rules apply from the first attempt.
      await rows(sql`UPDATE webhooks SET grace_until = now() - interval '1 second' WHERE id = ${hook.body.id}`);
      return hook.body as { id: string; secret: string };
    };
    // As if the deployment's FLEETGATE_ENCRYPTION_KEY had been replaced: the secret, sealed under the old key.
    const sealUnderAnotherKey = async (hook: { id: string; secret: string }) => {
      const other = deriveKeys(randomBytes(32).toString('base64')).sealing;
      const sealed = seal(other, hook.secret, `webhook:${hook.id}`);
      await rows(sql`UPDATE webhooks SET secret_sealed = ${sealed} WHERE id = ${hook.id}`);
      return sealed;
    };
    const enqueue = async (webhookId: string, extra?: SQL) => {
      const [d] = await rows(sql`
        INSERT INTO webhook_deliveries (webhook_id, message_id, event_type, payload)
        VALUES (${webhookId}, ${uuidv7()}, 'resource_operation.created', ${JSON.stringify({ version: '1.0', event_name: 'resource_operation.created', data: [{ id: randomUUID() }] })}::jsonb)
        RETURNING id`);
      if (extra) await rows(sql`UPDATE webhook_deliveries SET ${extra} WHERE id = ${d.id}`);
      return d.id as string;
    };
    const delivery = async (id: string) =>
      (
        await rows(sql`
          SELECT status, attempts, lease_until, last_status_code, last_error,
                 round(EXTRACT(EPOCH FROM (next_attempt_at - updated_at)) * 1000)::int AS backoff_ms,
                 next_attempt_at > now() AS waiting
            FROM webhook_deliveries WHERE id = ${id}`)
      )[0];
    const makeDue = (id: string) => rows(sql`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE id = ${id}`);
    // Claims (everything due, as the worker does) and keeps the one delivery a test is about.
    const claim = async (id: string): Promise<ClaimedDelivery | undefined> => {
      const claimed = await claimDeliveries(t.services, 50);
      await Promise.all(claimed.filter((c) => c.id !== id).map((c) => deliver(t.services, c)));
      return claimed.find((c) => c.id === id);
    };
    const hookState = async (id: string) => (await call(t, 'GET', `/v2/notifications/webhooks/${id}`, { token: p.token })).body;

    test('a secret that no longer unseals: every claim is a recorded failed attempt, on the schedule, then failed', async () => {
      const hook = await newHook();
      const sealed = await sealUnderAnotherKey(hook);
      const id = await enqueue(hook.id);
      const logsBefore = logText.length;

      for (let n = 1; n <= MAX_DELIVERY_ATTEMPTS; n++) {
        if (n > 1) {
          const waiting = await delivery(id);
          assert.equal(waiting.backoff_ms, SCHEDULE[n - 2]! * BASE_MS, `back-off after attempt ${n - 1}`);
          // Delays of 1.8 s and more (at a 1 ms base) are long enough to see the delivery wait.
          if (SCHEDULE[n - 2]! * BASE_MS >= 1000) assert.equal(await claim(id), undefined, `attempt ${n} waits for its back-off`);
          await makeDue(id);
        }
        if (n === FAILURES_IN_A_ROW + 1) {
          // Ten failures in a row trip the circuit breaker like an endpoint's would: the webhook is stale,
          // and nothing is claimed until the partner activates it.
          const stale = await hookState(hook.id);
          assert.equal(stale.status, 'stale');
          assert.equal(stale.consecutive_failures, FAILURES_IN_A_ROW);
          assert.equal(await claim(id), undefined, 'a stale webhook is not claimed');
          const resumed = await call(t, 'POST', `/v2/notifications/webhooks/${hook.id}/activate`, { token: p.token });
          assert.equal(resumed.body.status, 'active');
        }
        const c = await claim(id);
        assert.ok(c, `attempt ${n} is claimed`);
        assert.equal(c.attempts, n);
        const outcome = await deliver(t.services, c);
        assert.equal(outcome, n < MAX_DELIVERY_ATTEMPTS ? 'retry' : 'failed');
        const row = await delivery(id);
        assert.equal(row.attempts, n, 'the claim counted the attempt once');
        assert.equal(row.lease_until, null, 'the claim is released');
        assert.equal(row.status, n < MAX_DELIVERY_ATTEMPTS ? 'pending' : 'failed');
        assert.match(row.last_error, /^fleetgate could not sign the delivery: /);
        assert.equal(row.last_status_code, null);
      }

      // Terminal: even when due, it is never claimed again.
      await makeDue(id);
      assert.equal(await claim(id), undefined);
      assert.equal((await delivery(id)).attempts, MAX_DELIVERY_ATTEMPTS);
      assert.equal(receiver.received.length, 0, 'nothing went out unsigned');
      // The two failures after activating count again, from zero.
      assert.equal((await hookState(hook.id)).consecutive_failures, MAX_DELIVERY_ATTEMPTS - FAILURES_IN_A_ROW);

      // Catena's delivery log: one entry per attempt; no HTTP answer is status_code 0.
      const logs = await call(t, 'GET', `/v2/notifications/webhooks/${hook.id}/logs`, { token: p.token });
      assert.equal(logs.status, 200);
      assert.equal(logs.body.items.length, MAX_DELIVERY_ATTEMPTS);
      assert.deepEqual(
        logs.body.items.map((a: { attempt: number }) => a.attempt),
        Array.from({ length: MAX_DELIVERY_ATTEMPTS }, (_, i) => i + 1),
      );
      for (const a of logs.body.items) {
        assert.equal(a.status, 'failed');
        assert.equal(a.delivery_status, 'failed');
        assert.equal(a.status_code, 0);
        assert.match(a.error_message, /^fleetgate could not sign the delivery: the webhook secret does not unseal with the current encryption key/);
      }

      // Neither the partner-visible log, the stored errors nor fleetgate's own log lines carry the secret.
      const stored = await rows(sql`SELECT error FROM webhook_attempts WHERE delivery_id = ${id}`);
      const seen = [logs.text, JSON.stringify(stored), logText.slice(logsBefore)].join('\n');
      for (const s of [hook.secret, hook.secret.slice('whsec_'.length), sealed]) assert.ok(!seen.includes(s), 'the secret leaked');
      assert.doesNotMatch(seen, /whsec_[A-Za-z0-9+/=]{8}/);

    });

    test('the worker records each attempt of an unreadable secret (garbage) with no gaps, and the count agrees', async () => {
      const hook = await newHook();
      await rows(sql`UPDATE webhooks SET secret_sealed = 'garbage' WHERE id = ${hook.id}`);
      const id = await enqueue(hook.id);
      const worker = startWorker(t.services, { pollMs: 25 });
      try {
        // 1 ms, 5 ms, 30 ms, 120 ms at a 1 ms base: five attempts within a second or so.
        await until(async () => (await delivery(id)).attempts >= 5, 15_000, 'five attempts');
      } finally {
        await worker.stop();
      }
      const row = await delivery(id);
      const attempts = await rows(sql`SELECT attempt, status_code, error FROM webhook_attempts WHERE delivery_id = ${id} ORDER BY attempt`);
      assert.equal(row.lease_until, null, 'the worker stopped with nothing in flight');
      assert.equal(attempts.length, row.attempts, 'one recorded attempt per claim');
      assert.deepEqual(
        attempts.map((a) => a.attempt),
        Array.from({ length: row.attempts }, (_, i) => i + 1),
      );
      for (const a of attempts) {
        assert.equal(a.status_code, null);
        assert.match(a.error, /^fleetgate could not sign the delivery: .*not a sealed value/);
      }
      assert.equal(receiver.received.length, 0);
    });

    test('a last attempt lost with its worker is tried once more as the last attempt; the count never passes the end', async () => {
      const hook = await newHook();
      // One left mid-last-attempt (lease expired); one counted far past the end by an old crash loop.
      const lost = await enqueue(hook.id, sql`attempts = ${MAX_DELIVERY_ATTEMPTS}, lease_until = now() - interval '1 second'`);
      const looped = await enqueue(hook.id, sql`attempts = ${MAX_DELIVERY_ATTEMPTS + 30}, lease_until = now() - interval '1 second'`);
      const sent = receiver.received.length;
      const claimed = await claimDeliveries(t.services, 50);
      for (const id of [lost, looped]) {
        const c = claimed.find((x) => x.id === id);
        assert.ok(c, 'claimed again once its lease expired');
        assert.equal(c.attempts, MAX_DELIVERY_ATTEMPTS);
        assert.equal(await deliver(t.services, c), 'failed');
        const row = await delivery(id);
        assert.equal(row.status, 'failed');
        assert.equal(row.attempts, MAX_DELIVERY_ATTEMPTS);
        assert.equal(row.last_status_code, 500);
        const attempts = await rows(sql`SELECT attempt, status_code FROM webhook_attempts WHERE delivery_id = ${id}`);
        assert.deepEqual(attempts, [{ attempt: MAX_DELIVERY_ATTEMPTS, status_code: 500 }]);
      }
      assert.equal(receiver.received.length, sent + 2, 'the endpoint was really called (the secret is fine here)');
    });

    test('a worker whose claim expired mid-attempt logs its attempt but leaves the newer claim in charge', async () => {
      const hook = await newHook();
      await sealUnderAnotherKey(hook);
      const id = await enqueue(hook.id);
      const first = await claim(id);
      assert.ok(first);
      await rows(sql`UPDATE webhook_deliveries SET lease_until = now() - interval '1 second' WHERE id = ${id}`);
      const second = await claim(id);
      assert.ok(second);
      assert.equal(second.attempts, 2);

      assert.equal(await deliver(t.services, first), 'retry');
      const meanwhile = await delivery(id);
      assert.notEqual(meanwhile.lease_until, null, 'still claimed by the second');
      assert.equal((await hookState(hook.id)).consecutive_failures, 0, 'the stale attempt does not count');

      assert.equal(await deliver(t.services, second), 'retry');
      const row = await delivery(id);
      assert.equal(row.lease_until, null);
      assert.equal(row.backoff_ms, SCHEDULE[1]! * BASE_MS, 'the schedule follows the newer attempt');
      const attempts = await rows(sql`SELECT attempt FROM webhook_attempts WHERE delivery_id = ${id} ORDER BY attempt`);
      assert.deepEqual(attempts.map((a) => a.attempt), [1, 2]);
      assert.equal((await hookState(hook.id)).consecutive_failures, 1);
    });
  });
}
