// The reads the console adds: a connection's rate-limit state, writes and failures per TSP, the live
// feed of operation changes and the native request, for a partner (its own rows, its scopes) and for
// the operator (every partner, the admin token).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { request } from 'undici';
import { MASK, maskSecrets } from '../src/engine/console/native-request.ts';
import { FEED_LIMITS, FEED_TIMING } from '../src/http/feed.ts';
import { CONSOLE_CSP } from '../src/http/routes/console.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection, waitForOperation } from './helpers/motive.ts';

test('a native body is masked wherever a key names a secret, at any depth', () => {
  const masked = maskSecrets({ login: { userName: 'a', password: 'p', sessionId: 's' }, items: [{ api_key: 'k', pin: '1234' }], name: 'x', token: null });
  assert.deepEqual(masked, { login: { userName: 'a', password: MASK, sessionId: MASK }, items: [{ api_key: MASK, pin: MASK }], name: 'x', token: null });
});

const ADMIN = 'console-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN}` };

/** Reads a text/event-stream until `until` holds for the events read so far (or the deadline passes). */
async function readFeed(url: string, headers: Record<string, string>, start: () => Promise<void>, until: (events: Array<{ event: string; data: any }>) => boolean) {
  const controller = new AbortController();
  const res = await request(url, { headers, signal: controller.signal });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/event-stream/);
  const events: Array<{ event: string; data: any }> = [];
  let buffer = '';
  const deadline = setTimeout(() => controller.abort(), 10_000);
  await start();
  try {
    for await (const chunk of res.body) {
      buffer += chunk.toString();
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
      if (until(events)) break;
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  } finally {
    clearTimeout(deadline);
    controller.abort();
  }
  return events;
}

for (const kind of testDbKinds()) {
  describe(`console reads (${kind})`, () => {
    let t: TestApp;
    let worker: Worker;
    let p: Partner;
    let other: Partner;
    let m: MotiveFixture;

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_ADMIN_TOKEN: ADMIN, FLEETGATE_RETRY_BASE_MS: '50', FLEETGATE_MAX_ATTEMPTS: '1' } });
      worker = startWorker(t.services, { pollMs: 25 });
      p = await newPartner(t);
      other = await newPartner(t);
      m = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
    });

    const writeUser = async (partner: Partner, connectionId: string, lastName: string) => {
      const res = await call(t, 'POST', '/v2/telematics/users', { token: partner.token, json: { connection_id: connectionId, first_name: 'Chart', last_name: lastName, phone_country_code: '+1' } });
      assert.equal(res.status, 202, res.text);
      return waitForOperation(t, partner, connectionId, res.body.id);
    };

    test('stats count each TSP\'s writes and failures in the current minute, for the partner only; the operator sees every partner', async () => {
      const ok = await writeUser(p, m.connectionId, 'Ok');
      assert.equal(ok.status, 'success');
      await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'Validation failed' } });
      const bad = await writeUser(p, m.connectionId, 'Bad');
      assert.equal(bad.status, 'failed');
      const o = await motiveConnection(t, other, { rate_limit_per_minute: 100_000 });
      assert.equal((await writeUser(other, o.connectionId, 'Other')).status, 'success');

      const hour = await call(t, 'GET', '/v2/integrations/connections/resource-operations/stats?window=hour', { token: p.token });
      assert.equal(hour.status, 200, hour.text);
      assert.equal(hour.body.bucket_seconds, 60);
      const [motive] = hour.body.series;
      assert.equal(hour.body.series.length, 1);
      assert.equal(motive.source_name, 'motive');
      assert.equal(motive.buckets.length, 60);
      assert.deepEqual([motive.writes, motive.succeeded, motive.failed, motive.failure_rate], [2, 1, 1, 0.5]);
      // The writes fall in the current minute, or the one before when the test crossed a minute's end.
      const recent = motive.buckets.slice(-2);
      assert.deepEqual(['writes', 'succeeded', 'failed'].map((k) => recent.reduce((n: number, b: any) => n + b[k], 0)), [2, 1, 1]);
      assert.ok(Date.now() - Date.parse(motive.buckets.at(-1).start) < 60_000, 'the last bucket is the current minute');
      assert.equal(motive.writes_per_minute, 2 / 60);

      const day = await call(t, 'GET', '/v2/integrations/connections/resource-operations/stats?window=day', { token: p.token });
      assert.equal(day.body.bucket_seconds, 3600);
      assert.equal(day.body.series[0].buckets.length, 24);
      assert.equal(day.body.series[0].writes, 2);

      const all = await call(t, 'GET', '/admin/v1/resource-operations/stats', { headers: admin });
      assert.equal(all.status, 200, all.text);
      assert.equal(all.body.series[0].writes, 3, 'both partners');
      const one = await call(t, 'GET', `/admin/v1/resource-operations/stats?partner_ids=${other.partnerId}`, { headers: admin });
      assert.equal(one.body.series[0].writes, 1);

      assert.equal((await call(t, 'GET', '/v2/integrations/connections/resource-operations/stats?window=week', { token: p.token })).status, 422);
      assert.equal((await call(t, 'GET', '/admin/v1/resource-operations/stats', { headers: { authorization: 'Bearer wrong-admin-token-000' } })).status, 401);
      const readOnly = await newPartner(t, ['connection:read']);
      assert.equal((await call(t, 'GET', '/v2/integrations/connections/resource-operations/stats', { token: readOnly.token })).status, 403);
    });

    test('rate limits show the limit, the schedule and a 429 pause per class, and the attempts of the last minute', async () => {
      const before = await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/rate-limits`, { token: p.token });
      assert.equal(before.status, 200, before.text);
      const attemptsBefore = before.body.attempts_last_minute;
      assert.ok(attemptsBefore >= 2, 'the writes of the test above');
      assert.equal(before.body.classes[0].rate_class, 'default');
      assert.equal(before.body.classes[0].limit_per_minute, 100_000);

      await m.sandbox('POST', '/_sandbox/faults', { status: 429, headers: { 'retry-after': '120' }, body: { error_message: 'slow down' } });
      await writeUser(p, m.connectionId, 'Limited');
      const after = await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/rate-limits`, { token: p.token });
      const def = after.body.classes[0];
      assert.equal(def.paused, true, after.text);
      assert.ok(Date.parse(def.paused_until) > Date.now() + 60_000, 'paused for the Retry-After');
      assert.ok(def.next_slot_at);
      assert.equal(after.body.attempts_last_minute, attemptsBefore + 1);

      const viaAdmin = await call(t, 'GET', `/admin/v1/connections/${m.connectionId}/rate-limits`, { headers: admin });
      assert.equal(viaAdmin.body.classes[0].paused, true);
      assert.equal((await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/rate-limits`, { token: other.token })).status, 404, "another partner's connection");
      assert.equal((await call(t, 'GET', '/v2/integrations/connections/not-a-uuid/rate-limits', { token: p.token })).status, 422);
    });

    test('the native request is the adapter\'s body; another partner gets 404', async () => {
      const m2 = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      const op = await writeUser(p, m2.connectionId, 'Native');
      const path = `/v2/integrations/connections/${m2.connectionId}/resource-operations/${op.id}/native-request`;
      const res = await call(t, 'GET', path, { token: p.token });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.ok, true);
      assert.equal(res.body.source_name, 'motive');
      assert.equal(res.body.body.last_name, 'Native', res.text);
      assert.deepEqual(res.body.body.external_ids_attributes, [{ external_id: op.resource_id, integration_name: 'fleetgate' }], 'the record\'s external id, as sent');
      assert.equal((await call(t, 'GET', path, { token: other.token })).status, 404);
      assert.equal((await call(t, 'GET', `/admin/v1/resource-operations/${op.id}/native-request`, { headers: admin })).body.body.last_name, 'Native');
    });

    test('the feed sends each change of the partner\'s operations as it happens, and none of another partner\'s', async () => {
      const m3 = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      const o = await motiveConnection(t, other, { rate_limit_per_minute: 100_000 });
      let mine = '';
      const events = await readFeed(
        `${t.url}/v2/integrations/connections/resource-operations/events`,
        { authorization: `Bearer ${p.token}` },
        async () => {
          await writeUser(other, o.connectionId, 'NotMine');
          mine = (await writeUser(p, m3.connectionId, 'Live')).id;
        },
        (evs) => evs.some((e) => e.data.id === mine && e.data.status === 'success'),
      );
      const ours = events.filter((e) => e.data.id === mine);
      assert.ok(ours.some((e) => e.data.status === 'success'), JSON.stringify(events));
      assert.ok(events.every((e) => e.event === 'operation' && e.data.partner_id === p.partnerId), 'only the partner\'s own');

      const seen = await readFeed(`${t.url}/admin/v1/resource-operations/events`, admin, async () => {
        mine = (await writeUser(other, o.connectionId, 'Operator')).id;
      }, (evs) => evs.some((e) => e.data.id === mine && e.data.status === 'success'));
      assert.ok(seen.some((e) => e.data.id === mine && e.data.partner_id === other.partnerId));

      const noToken = await call(t, 'GET', '/v2/integrations/connections/resource-operations/events');
      assert.equal(noToken.status, 401);
    });

    test('changes sharing one updated_at, more than a page of them, each arrive once', async () => {
      const m4 = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      const template = await writeUser(p, m4.connectionId, 'Template');
      // Heartbeats let the reader look at the clock between events: it reads on for a few polls after
      // the last of the 600 came, to catch one sent twice.
      const heartbeatMs = FEED_TIMING.heartbeatMs;
      FEED_TIMING.heartbeatMs = 200;
      let complete = 0;
      const copies = new Set<string>();
      try {
        const events = await readFeed(
          `${t.url}/v2/integrations/connections/resource-operations/events`,
          { authorization: `Bearer ${p.token}` },
          async () => {
            // One statement: every row gets the same now(), as when resumeConnection moves a connection's pending operations.
            const inserted = await t.services.database.db.execute(sql`
              INSERT INTO resource_operations (partner_id, connection_id, resource, operation_type, source_name, payload, status)
              SELECT o.partner_id, o.connection_id, o.resource, o.operation_type, o.source_name, o.payload, 'cancelled'
                FROM resource_operations o CROSS JOIN generate_series(1, 600)
               WHERE o.id = ${template.id}
              RETURNING id`);
            for (const r of (inserted as unknown as { rows: Array<{ id: string }> }).rows) copies.add(r.id);
          },
          (evs) => {
            if (!complete && new Set(evs.filter((e) => copies.has(e.data.id)).map((e) => e.data.id)).size === copies.size) complete = Date.now();
            return complete > 0 && Date.now() - complete > 3 * FEED_TIMING.pollMs;
          },
        );
        assert.equal(copies.size, 600);
        const got = events.filter((e) => copies.has(e.data.id));
        assert.equal(new Set(got.map((e) => e.data.id)).size, 600, 'every one of them');
        assert.equal(got.length, 600, 'none twice');
        assert.equal(new Set(got.map((e) => e.data.updated_at)).size, 1, 'one updated_at');
      } finally {
        FEED_TIMING.heartbeatMs = heartbeatMs;
      }
    });

    test('a principal holds at most a few feeds at once; one ending frees its place', async () => {
      const q = await newPartner(t);
      const path = '/v2/integrations/connections/resource-operations/events';
      const open = async (headers: Record<string, string>, url = path) => {
        const controller = new AbortController();
        const res = await request(`${t.url}${url}`, { headers, signal: controller.signal });
        return { res, close: () => controller.abort() };
      };
      const streams = [];
      try {
        for (let i = 0; i < FEED_LIMITS.streamsPerPrincipal; i++) streams.push(await open({ authorization: `Bearer ${q.token}` }));
        assert.deepEqual(streams.map((s) => s.res.statusCode), Array(FEED_LIMITS.streamsPerPrincipal).fill(200));
        const refused = await call(t, 'GET', path, { token: q.token });
        assert.equal(refused.status, 429, refused.text);
        assert.equal(refused.headers['retry-after'], String(FEED_LIMITS.retryAfterSeconds));
        assert.equal(refused.body.code, 429);
        assert.equal(refused.body.detail.retry_after_seconds, FEED_LIMITS.retryAfterSeconds);
        // Another partner's and the operator's feeds count apart.
        const others = [await open({ authorization: `Bearer ${other.token}` }), await open(admin, '/admin/v1/resource-operations/events')];
        streams.push(...others);
        assert.deepEqual(others.map((s) => s.res.statusCode), [200, 200]);

        streams.shift()!.close();
        let reopened = 0;
        for (let i = 0; i < 50 && reopened !== 200; i++) {
          await new Promise((r) => setTimeout(r, 20));
          const s = await open({ authorization: `Bearer ${q.token}` });
          reopened = s.res.statusCode;
          if (reopened === 200) streams.push(s);
          else await s.res.body.text();
        }
        assert.equal(reopened, 200, 'the closed stream released its place');
      } finally {
        for (const s of streams) s.close();
      }
    });

    test('a feed ends when its token expires', async () => {
      const q = await newPartner(t);
      const controller = new AbortController();
      const res = await request(`${t.url}/v2/integrations/connections/resource-operations/events`, { headers: { authorization: `Bearer ${q.token}` }, signal: controller.signal });
      t.clock.shift(3_601_000);
      const timer = setTimeout(() => controller.abort(), 10_000);
      try {
        assert.match(await res.body.text(), /event: end\ndata: \{"reason":"token_expired"\}/);
      } finally {
        clearTimeout(timer);
        t.clock.shift(0);
      }
    });

    test('the console page and its files carry a strict CSP; only its own files are served', async () => {
      const page = await call(t, 'GET', '/console');
      assert.equal(page.status, 200);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.equal(page.headers['content-security-policy'], CONSOLE_CSP);
      assert.match(CONSOLE_CSP, /script-src 'self'(;|$)/, 'no inline script, no eval');
      assert.equal(page.headers['x-frame-options'], 'DENY');
      assert.equal(page.headers['set-cookie'], undefined);
      const script = await call(t, 'GET', '/console/js/app.js');
      assert.match(String(script.headers['content-type']), /^text\/javascript/);
      assert.equal(script.headers['content-security-policy'], CONSOLE_CSP);
      for (const path of ['/console/nope.js', '/console/..%2f..%2fpackage.json', '/console/js/../../http/app.ts']) {
        assert.equal((await call(t, 'GET', path)).status, 404, path);
      }
    });

    test('a revoked token\'s feed ends', async () => {
      // Checked every 5 s in service; sooner here so the test is quick.
      FEED_TIMING.revocationCheckMs = 100;
      const q = await newPartner(t);
      const controller = new AbortController();
      const res = await request(`${t.url}/v2/integrations/connections/resource-operations/events`, { headers: { authorization: `Bearer ${q.token}` }, signal: controller.signal });
      const revoke = await call(t, 'POST', '/realms/catena/protocol/openid-connect/revoke', { form: { token: q.token, client_id: q.clientId, client_secret: q.clientSecret } });
      assert.equal(revoke.status, 200, revoke.text);
      const timer = setTimeout(() => controller.abort(), 10_000);
      const text = await res.body.text();
      clearTimeout(timer);
      assert.match(text, /event: end\ndata: \{"reason":"token_revoked"\}/);
    });
  });
}
