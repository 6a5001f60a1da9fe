// The execution engine under faults, through HTTP with the Motive sandbox's fault queue: retry
// classification and back-off, Retry-After, duplicate-safe retries, attempt limits, per-connection
// rate limits, retry/cancel, and webhooks.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { GRACE_MS, JITTER_MS, intervalMs } from '../src/engine/policy/ratelimit.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection, waitForOperation } from './helpers/motive.ts';
import { startReceiver, until } from './helpers/receiver.ts';

const FAST = 100_000;

for (const kind of testDbKinds()) {
  describe(`execution engine (${kind})`, () => {
    let t: TestApp;
    let worker: Worker;
    let p: Partner;

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: '100', FLEETGATE_MAX_ATTEMPTS: '4', FLEETGATE_SYNC_TIMEOUT_MS: '2000' } });
      worker = startWorker(t.services, { pollMs: 25 });
      p = await newPartner(t);
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
    });

    const body = (m: MotiveFixture, extra: Record<string, unknown> = {}) => ({
      connection_id: m.connectionId,
      first_name: 'Eng',
      last_name: `Ine-${randomUUID().slice(0, 8)}`,
      phone_country_code: '+1',
      ...extra,
    });
    const submit = async (m: MotiveFixture, extra?: Record<string, unknown>) => {
      const res = await call(t, 'POST', '/v2/telematics/users', { token: p.token, json: body(m, extra) });
      assert.equal(res.status, 202, res.text);
      return res.body;
    };
    const usersAt = async (m: MotiveFixture) => (await m.sandbox('GET', '/v1/users?per_page=100')).body.users.map((u: { user: unknown }) => u.user);

    test('429 (Retry-After: 1) then 500 then 201: success with three logs, the second attempt at least 1 s after the first', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      await m.sandbox('POST', '/_sandbox/faults', {
        faults: [
          { status: 429, headers: { 'retry-after': '1' }, body: { error_message: 'Rate limit exceeded' } },
          { status: 500, body: { error_message: 'Internal Server Error' } },
        ],
      });
      const op = await submit(m);
      const done = await waitForOperation(t, p, m.connectionId, op.id);
      assert.equal(done.status, 'success');
      assert.deepEqual(done.logs.map((l: { error_class: string | null }) => l.error_class), ['rate_limited', 'transient', null]);
      // Catena's error_type: a 429 and a 500 are the TSP's (it answered).
      assert.deepEqual(done.logs.map((l: { error_type: string | null }) => l.error_type), ['tsp', 'tsp', null]);
      assert.deepEqual(done.logs.map((l: { response_status_code: number }) => l.response_status_code), [429, 500, 201]);
      const seen = (await m.sandbox('GET', '/_sandbox/requests')).body.requests.filter((r: { path: string }) => r.path.startsWith('/v1/users'));
      const posts = seen.filter((r: { method: string }) => r.method !== 'GET');
      assert.ok(Date.parse(posts[1].at) - Date.parse(posts[0].at) >= 1000, `second attempt ${Date.parse(posts[1].at) - Date.parse(posts[0].at)} ms after the first`);
    });

    test('a 422 fails after one attempt', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'Validation failed: Email is invalid' } });
      const done = await waitForOperation(t, p, m.connectionId, (await submit(m)).id);
      assert.equal(done.status, 'failed');
      assert.equal(done.logs.length, 1);
      assert.equal(done.logs[0].error_class, 'validation');
      assert.match(done.logs[0].error_details, /Email is invalid/);
    });

    test('a lost response is retried without creating the user twice', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      await m.sandbox('POST', '/_sandbox/faults', { status: 502, body: 'Bad Gateway', after_apply: true });
      const op = await submit(m);
      const done = await waitForOperation(t, p, m.connectionId, op.id);
      assert.equal(done.status, 'success');
      assert.equal(done.logs.length, 2);
      const users = await usersAt(m);
      assert.equal(users.length, 1, 'exactly one user at the TSP');
      assert.equal(String(users[0].id), done.source_id);
      assert.deepEqual(users[0].external_ids, [{ id: users[0].external_ids[0].id, external_id: done.resource_id, integration_name: 'fleetgate' }]);
    });

    test('a timeout is retried with a lookup, and the late write is adopted', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      // The write lands but the answer comes after fleetgate stopped waiting.
      await m.sandbox('POST', '/_sandbox/faults', { delay_ms: 2600, after_apply: true });
      const done = await waitForOperation(t, p, m.connectionId, (await submit(m)).id, 15_000);
      assert.equal(done.status, 'success');
      assert.equal(done.logs[0].error_class, 'timeout');
      assert.equal((await usersAt(m)).length, 1);
    });

    test('an earlier attempt that lands after the retry looked for it: the refusal it causes is resolved by adopting it', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      // 1: a very slow server applies the create 4.6 s after it arrived: after fleetgate gave up (2 s)
      //    and after the retry waited one more deadline (2 s) for a late apply.
      // 2: the retry's lookup (at ~4 s: nothing yet) is answered only after that create has landed, so
      //    the retried create is refused for the e-mail the first one took.
      await m.sandbox('POST', '/_sandbox/faults', { faults: [{ delay_ms: 4600 }, { delay_ms: 1200, after_apply: true }] });
      const email = `late-${randomUUID().slice(0, 8)}@example.com`;
      const done = await waitForOperation(t, p, m.connectionId, (await submit(m, { user_email: email })).id, 15_000);
      assert.equal(done.status, 'success', JSON.stringify(done.logs));
      assert.deepEqual(done.logs.map((l: { error_class: string | null }) => l.error_class), ['timeout', null]);
      const users = await usersAt(m);
      assert.equal(users.length, 1, 'exactly one user at the TSP');
      assert.equal(String(users[0].id), done.source_id);
      const posts = (await m.sandbox('GET', '/_sandbox/requests')).body.requests.filter((r: { method: string }) => r.method === 'POST');
      assert.equal(posts.length, 2, 'the retried create was sent, refused, and resolved by a second lookup');
    });

    test('max attempts ends failed, one log per attempt', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      await m.sandbox('POST', '/_sandbox/faults', { faults: Array.from({ length: 6 }, () => ({ status: 503, body: 'unavailable' })) });
      const done = await waitForOperation(t, p, m.connectionId, (await submit(m, { username: `max-${randomUUID().slice(0, 6)}` })).id, 15_000);
      assert.equal(done.status, 'failed');
      assert.equal(done.logs.length, 4);
      assert.ok(done.logs.every((l: { error_class: string }) => l.error_class === 'transient'));
      assert.deepEqual(done.logs.map((l: { attempt: number }) => l.attempt), [1, 2, 3, 4]);
    });

    test('a connection limited to N/min never gets more than N in a minute, while another proceeds', async () => {
      const N = 120; // one call every ~0.5 s
      const slow = await motiveConnection(t, p, { rate_limit_per_minute: N });
      const fast = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      const slowOps = [];
      for (let i = 0; i < 6; i++) slowOps.push(await submit(slow));
      const fastOps = [];
      for (let i = 0; i < 20; i++) fastOps.push(await submit(fast));
      const startedAt = Date.now();
      for (const op of fastOps) assert.equal((await waitForOperation(t, p, fast.connectionId, op.id)).status, 'success');
      const fastDone = Date.now() - startedAt;
      for (const op of slowOps) assert.equal((await waitForOperation(t, p, slow.connectionId, op.id)).status, 'success');
      assert.ok(fastDone < 2000, `the unlimited connection waited on the limited one (${fastDone} ms)`);
      const at = (await slow.sandbox('GET', '/_sandbox/requests')).body.requests
        .filter((r: { path: string; method: string }) => r.method === 'POST')
        .map((r: { at: string; status: number }) => {
          assert.notEqual(r.status, 429, 'the TSP had to refuse a call');
          return Date.parse(r.at);
        });
      assert.equal(at.length, 6);
      // The limiter's invariant (src/engine/policy/ratelimit.ts): calls k apart sit on slots k intervals apart,
      // each sent at most GRACE late and arriving with at most JITTER of disorder. That invariant is what
      // bounds any 60 s window to N calls; here it is checked over a few seconds.
      const T = intervalMs(N);
      for (let i = 0; i < at.length; i++) {
        for (let j = i + 1; j < at.length; j++) {
          assert.ok(at[j] - at[i] >= (j - i) * T - GRACE_MS - JITTER_MS, `calls ${i} and ${j}: ${at[j] - at[i]} ms apart (slots ${(j - i) * T} ms)`);
        }
      }
    });

    test('a paused connection keeps its queue and sends nothing until resumed', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      await m.sandbox('POST', '/_sandbox/faults', { status: 429, headers: { 'retry-after': '2' }, body: { error_message: 'slow down' } });
      const op = await submit(m);
      await until(async () => (await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/resource-operations/${op.id}`, { token: p.token })).body.logs.length === 1);
      const conn = `/v2/integrations/connections/${m.connectionId}`;
      assert.equal((await call(t, 'PATCH', conn, { token: p.token, json: { status: 'paused' } })).body.status, 'paused');
      const refused = await call(t, 'POST', '/v2/telematics/users', { token: p.token, json: body(m) });
      assert.equal(refused.status, 409, 'a paused connection takes no new writes');
      await new Promise((r) => setTimeout(r, 2500));
      const requests = (await m.sandbox('GET', '/_sandbox/requests')).body.requests.filter((r: { method: string }) => r.method === 'POST');
      assert.equal(requests.length, 1, 'nothing sent while paused');
      const waiting = await call(t, 'GET', `${conn}/resource-operations/${op.id}`, { token: p.token });
      assert.equal(waiting.body.status, 'pending');
      await call(t, 'PATCH', conn, { token: p.token, json: { status: 'active' } });
      const done = await waitForOperation(t, p, m.connectionId, op.id);
      assert.equal(done.status, 'success');
    });

    test('retry and cancel: failed → pending with a fresh budget; pending → failed (cancelled); other states 409', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      // A refusal of the write itself (an auth refusal holds the connection's queue instead: connection-health.test.ts).
      await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'Validation failed: Email is invalid' } });
      const op = await submit(m);
      const failed = await waitForOperation(t, p, m.connectionId, op.id);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.logs[0].error_class, 'validation');
      const path = `/v2/integrations/connections/${m.connectionId}/resource-operations/${op.id}`;
      const retried = await call(t, 'POST', `${path}/retry`, { token: p.token });
      assert.equal(retried.status, 200);
      const done = await waitForOperation(t, p, m.connectionId, op.id);
      assert.equal(done.status, 'success');
      assert.deepEqual(done.logs.map((l: { attempt: number }) => l.attempt), [1, 2]);
      assert.equal((await call(t, 'POST', `${path}/retry`, { token: p.token })).status, 409);
      assert.equal((await call(t, 'POST', `${path}/cancel`, { token: p.token })).status, 409);

      // A pending operation waiting for its next attempt can be cancelled.
      await m.sandbox('POST', '/_sandbox/faults', { faults: [{ status: 500 }, { status: 500 }, { status: 500 }] });
      await m.sandbox('PUT', '/_sandbox/settings', { latency_ms: 0 });
      const op2 = await submit(m);
      await until(async () => (await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/resource-operations/${op2.id}`, { token: p.token })).body.logs.length >= 1);
      const path2 = `/v2/integrations/connections/${m.connectionId}/resource-operations/${op2.id}`;
      let cancelled = await call(t, 'POST', `${path2}/cancel`, { token: p.token });
      // The worker may hold it for its next attempt at this very moment: then 409, and we try again.
      for (let i = 0; i < 20 && cancelled.status === 409 && cancelled.body.message.includes('in flight'); i++) {
        await new Promise((r) => setTimeout(r, 20));
        cancelled = await call(t, 'POST', `${path2}/cancel`, { token: p.token });
      }
      if (cancelled.status === 200) {
        assert.equal(cancelled.body.status, 'failed');
        assert.equal(cancelled.body.logs.at(-1).error_class, 'cancelled');
      } else {
        assert.equal(cancelled.status, 409);
        const final = await waitForOperation(t, p, m.connectionId, op2.id);
        assert.notEqual(final.status, 'pending');
      }
      const other = await newPartner(t);
      assert.equal((await call(t, 'POST', `${path}/retry`, { token: other.token })).status, 404);
    });

    test('writes to one user reach the TSP in submission order, even when the first one is retried', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      const created = await call(t, 'POST', '/v2/telematics/users?is_sync=true', { token: p.token, json: body(m) });
      assert.equal(created.body.status, 'success');
      const userPath = `/v2/telematics/users/${created.body.resource_id}`;
      await m.sandbox('POST', '/_sandbox/faults', { status: 503, body: 'busy' });
      const first = await call(t, 'PATCH', userPath, { token: p.token, json: { connection_id: m.connectionId, first_name: 'First-A' } });
      const second = await call(t, 'PATCH', userPath, { token: p.token, json: { connection_id: m.connectionId, first_name: 'Second-B' } });
      assert.equal(first.status, 202);
      assert.equal(second.status, 202);
      // A sync write to the same user cannot jump the queue either.
      const jump = await call(t, 'PATCH', `${userPath}?is_sync=true`, { token: p.token, json: { connection_id: m.connectionId, notes: 'x' } });
      assert.equal(jump.status, 409);
      const a = await waitForOperation(t, p, m.connectionId, first.body.id);
      const b = await waitForOperation(t, p, m.connectionId, second.body.id);
      assert.equal(a.status, 'success');
      assert.equal(b.status, 'success');
      assert.equal(a.logs.length, 2, 'the first update was retried');
      assert.ok(Date.parse(b.logs[0].created_at) >= Date.parse(a.logs.at(-1).created_at), 'the second ran after the first finished');
      assert.equal((await m.sandbox('GET', `/v1/users/${created.body.source_id}`)).body.user.first_name, 'Second-B');
      assert.equal((await call(t, 'GET', userPath, { token: p.token })).body.first_name, 'Second-B');
    });

    test('what a TSP sends back cannot wedge an operation: NUL bytes, absurd Retry-After', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'bad\u0000value' } });
      const done = await waitForOperation(t, p, m.connectionId, (await submit(m)).id);
      assert.equal(done.status, 'failed');
      assert.equal(done.logs.length, 1);
      assert.match(done.logs[0].error_details, /bad\uFFFDvalue/);

      await m.sandbox('POST', '/_sandbox/faults', { status: 429, headers: { 'retry-after': '99999999999999999999' }, body: { error_message: 'later' } });
      const op = await submit(m);
      await until(async () => (await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/resource-operations/${op.id}`, { token: p.token })).body.logs.length === 1);
      const waiting = (await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/resource-operations/${op.id}`, { token: p.token })).body;
      assert.equal(waiting.status, 'pending');
      assert.ok(Date.parse(waiting.next_attempt_at) <= Date.now() + 3600_000 + 5_000, 'Retry-After is capped at an hour');
      const cancelled = await call(t, 'POST', `/v2/integrations/connections/${m.connectionId}/resource-operations/${op.id}/cancel`, { token: p.token });
      assert.equal(cancelled.status, 200);
    });

    test('events raised while a webhook is paused wait for it, and go out when it is activated', async () => {
      const receiver = await startReceiver();
      try {
        const q = await newPartner(t);
        const m = await motiveConnection(t, q, { rate_limit_per_minute: FAST });
        const hook = await call(t, 'POST', '/v2/notifications/webhooks', { token: q.token, json: { url: receiver.url, event_name: 'resource_operation.succeeded' } });
        const path = `/v2/notifications/webhooks/${hook.body.id}`;
        assert.equal((await call(t, 'POST', `${path}/pause`, { token: q.token })).body.status, 'paused');
        const op = await call(t, 'POST', '/v2/telematics/users?is_sync=true', { token: q.token, json: body(m) });
        assert.equal(op.body.status, 'success');
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(receiver.received.length, 0, 'nothing sent while paused');
        assert.equal((await call(t, 'POST', `${path}/activate`, { token: q.token })).body.status, 'active');
        await until(() => receiver.received.length === 1, 10_000, 'the held event');
        assert.equal(JSON.parse(receiver.received[0]!.body).data[0].id, op.body.id);
      } finally {
        await receiver.close();
      }
    });

    test('webhooks: a Standard Webhooks subscription is signed that way, created and succeeded events delivered', async () => {
      const receiver = await startReceiver();
      try {
        const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
        const hook = await call(t, 'POST', '/v2/notifications/webhooks', {
          token: p.token,
          json: { url: receiver.url, event_name: 'resource_operation.*', signing: 'standard_webhooks' },
        });
        assert.equal(hook.status, 200);
        const made = hook.body as Array<{ id: string; secret: string; event_name: string }>;
        assert.equal(made.length, 3);
        assert.match(made[0]!.secret, /^whsec_/);
        const op = await submit(m);
        await waitForOperation(t, p, m.connectionId, op.id);
        await until(() => receiver.received.length >= 2, 10_000, 'two deliveries');
        const verifier = new Webhook(made[0]!.secret);
        const events = receiver.received.map((r) => verifier.verify(r.body, r.headers as Record<string, string>) as { event_name: string; data: Array<{ id: string }> });
        assert.deepEqual(events.map((e) => e.event_name).sort(), ['resource_operation.created', 'resource_operation.succeeded']);
        assert.ok(events.every((e) => e.data[0]!.id === op.id));
        // A tampered body does not verify.
        assert.throws(() => verifier.verify(receiver.received[0]!.body.replace('user', 'usr'), receiver.received[0]!.headers as Record<string, string>));
        const read = await call(t, 'GET', `/v2/notifications/webhooks/${made[0]!.id}`, { token: p.token });
        assert.equal(read.body.secret, '*****', 'the secret is shown once');
        const created = made.find((h) => h.event_name === 'resource_operation.created')!;
        const logs = await call(t, 'GET', `/v2/notifications/webhooks/${created.id}/logs`, { token: p.token });
        assert.deepEqual(logs.body.items.map((l: { status: string; delivery_status: string }) => [l.status, l.delivery_status]), [['success', 'delivered']]);
        for (const h of made) await call(t, 'DELETE', `/v2/notifications/webhooks/${h.id}`, { token: p.token });
      } finally {
        await receiver.close();
      }
    });

    test('webhooks: a failing receiver is retried until the circuit breaker makes it stale; activating delivers what waited', async () => {
      let healthy = false;
      const receiver = await startReceiver(() => (healthy ? 200 : 500));
      try {
        const q = await newPartner(t);
        const m = await motiveConnection(t, q, { rate_limit_per_minute: FAST });
        const hook = await call(t, 'POST', '/v2/notifications/webhooks', { token: q.token, json: { url: receiver.url, event_name: 'resource_operation.created' } });
        // Past the breaker's 15-minute grace period, as a webhook created a while ago would be.
        await t.services.database.db.execute(sql`UPDATE webhooks SET grace_until = now() - interval '1 second' WHERE id = ${hook.body.id}`);
        for (let i = 0; i < 3; i++) await call(t, 'POST', '/v2/telematics/users', { token: q.token, json: body(m) });
        const path = `/v2/notifications/webhooks/${hook.body.id}`;
        await until(async () => (await call(t, 'GET', path, { token: q.token })).body.status === 'stale', 20_000, 'the webhook to go stale');
        const stale = (await call(t, 'GET', path, { token: q.token })).body;
        // Deliveries run a few at a time, so one already in flight may add a failure after the breaker tripped.
        assert.ok(stale.consecutive_failures >= 10, `${stale.consecutive_failures} failures`);
        assert.match(stale.stale_reason, /failed attempts in a row/);
        const attemptsWhenStale = receiver.received.length;
        assert.ok(attemptsWhenStale >= 10);
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(receiver.received.length, attemptsWhenStale, 'a stale webhook is not called, and does not reactivate by itself');
        assert.equal((await call(t, 'GET', path, { token: q.token })).body.status, 'stale');
        healthy = true;
        const resumed = await call(t, 'POST', `${path}/activate`, { token: q.token });
        assert.equal(resumed.body.status, 'active');
        const delivered = async () => {
          const logs = await call(t, 'GET', `${path}/logs?status=success`, { token: q.token });
          return new Set(logs.body.items.map((l: { message_id: string }) => l.message_id)).size;
        };
        await until(async () => (await delivered()) === 3, 20_000, 'the waiting deliveries');
        const failed = await call(t, 'GET', `${path}/logs?status=failed`, { token: q.token });
        assert.ok(failed.body.items.some((l: { attempt: number }) => l.attempt > 1), 'retried deliveries keep every attempt');
      } finally {
        await receiver.close();
      }
    });
  });
}
