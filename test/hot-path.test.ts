// The hot path's one-statement writes (engine/operations/statements.ts), through HTTP with the Motive
// sandbox: what a process remembers of a connection never outlives a change made by another process
// (deleted, paused, credentials replaced), and the statements write what the transactions they replace
// wrote (the created event's delivery, the outbox's subscriber filters).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { PRODUCT_CATALOG } from '../src/catalog.ts';
import { openDatabase } from '../src/db/client.ts';
import type { Database } from '../src/db/client.ts';
import { executeOperation, prepaySlots, QUEUED_FIRST_WAIT_MS } from '../src/engine/execute.ts';
import { intervalMs } from '../src/engine/policy/ratelimit.ts';
import { claimDue } from '../src/engine/operations/machine.ts';
import { passesFilters } from '../src/engine/outbox/enqueue.ts';
import { hearsOperationEvent } from '../src/engine/outbox/sql.ts';
import { seal } from '../src/platform/keys.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection } from './helpers/motive.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

for (const kind of testDbKinds()) {
  describe(`hot path (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    // Changes "made by another process": on PostgreSQL another pool, as another process would hold; on
    // PGlite (one process only) raw SQL, past every code path of this process that could forget a connection.
    let other: Database;

    before(async () => {
      t = await startTestApp(kind);
      p = await newPartner(t);
      other = kind === 'postgres' ? await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL, poolSize: 2 }) : t.database;
    });
    after(async () => {
      if (other !== t.database) await other.close();
      await t?.close();
    });

    const submit = (m: MotiveFixture, headers: Record<string, string> = {}) =>
      call(t, 'POST', '/v2/telematics/users', {
        token: p.token,
        headers,
        json: { connection_id: m.connectionId, first_name: 'Hot', last_name: `P-${randomUUID().slice(0, 8)}`, phone_country_code: '+1' },
      });
    const operationsOf = async (m: MotiveFixture) =>
      (await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM resource_operations WHERE connection_id = $1', [m.connectionId]))[0]!.n;
    const deliveriesOf = (webhookId: string) =>
      t.database.query<{ message_id: string; payload: Record<string, any> }>( // `any`: the payload is read loosely, key by key
        'SELECT message_id, payload FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at, id',
        [webhookId],
      );

    test('a sync write without a key: the slot is taken by the statement that stores it, and the answer is what a read gives', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      const names: string[] = [];
      const query = t.database.query.bind(t.database);
      t.database.query = ((text: string, params: unknown[], name?: string) => {
        names.push(name ?? text.trim().split(/\s+/).slice(0, 3).join(' '));
        return query(text, params, name);
      }) as Database['query'];
      let res;
      try {
        res = await call(t, 'POST', '/v2/telematics/users?is_sync=true', {
          token: p.token,
          json: { connection_id: m.connectionId, first_name: 'Sync', last_name: `S-${randomUUID().slice(0, 8)}`, phone_country_code: '+1' },
        });
      } finally {
        t.database.query = query;
      }
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'success');
      // One statement stores the write with its slot, one records the attempt and gives the answer.
      assert.ok(names.includes('fg_submit_with_slot'), names.join(', '));
      assert.ok(names.includes('fg_record_attempt_answer'), names.join(', '));
      for (const gone of ['fg_take_slot', 'fg_submit', 'fg_operation_with_logs']) assert.ok(!names.includes(gone), `${gone} in ${names.join(', ')}`);
      const read = await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/resource-operations/${res.body.id}`, { token: p.token });
      assert.equal(read.status, 200, read.text);
      assert.deepEqual(res.body, read.body, 'the answer is the operation as stored');
      const [slot] = await t.database.query<{ ahead: boolean }>(
        "SELECT next_at > now() - interval '1 minute' AS ahead FROM rate_limits WHERE connection_id = $1 AND rate_class = 'default'",
        [m.connectionId],
      );
      assert.equal(slot?.ahead, true, 'the slot was taken');
    });

    test('a sync write whose slot is out of its budget gets a 429 and stores nothing; one on a connection paused meanwhile a 409', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: 1 });
      const body = () => ({ connection_id: m.connectionId, first_name: 'Sync', last_name: `S-${randomUUID().slice(0, 8)}`, phone_country_code: '+1' });
      const first = await call(t, 'POST', '/v2/telematics/users?is_sync=true', { token: p.token, json: body() });
      assert.notEqual(first.status, 429, first.text);
      const refused = await call(t, 'POST', '/v2/telematics/users?is_sync=true', { token: p.token, json: body() });
      assert.equal(refused.status, 429, refused.text);
      assert.ok(Number(refused.headers['retry-after']) > 0, 'it says when');
      assert.equal(await operationsOf(m), 1, 'the refused write was not stored');

      const fresh = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      const stored = t.database.query.bind(t.database);
      // The connection is paused by another process between this request's read of it and its statement.
      t.database.query = (async (text: string, params: unknown[], name?: string) => {
        if (name === 'fg_submit_with_slot') await other.query("UPDATE connections SET status = 'paused' WHERE id = $1", [fresh.connectionId]);
        return stored(text, params, name);
      }) as Database['query'];
      try {
        const raced = await call(t, 'POST', '/v2/telematics/users?is_sync=true', { token: p.token, json: { ...body(), connection_id: fresh.connectionId } });
        assert.equal(raced.status, 409, raced.text);
        assert.equal(await operationsOf(fresh), 0);
      } finally {
        t.database.query = stored;
      }
    });

    test('an async write to a connection another process deleted answers 404 and stores nothing', async () => {
      const m = await motiveConnection(t, p);
      assert.equal((await submit(m)).status, 202);
      await other.query(`UPDATE connections SET status = 'deleted', deleted_at = now() WHERE id = $1`, [m.connectionId]);
      const res = await submit(m);
      assert.equal(res.status, 404, res.text);
      assert.match(res.body.message, /connection/i);
      assert.equal(await operationsOf(m), 1);
    });

    test('an async write to a connection another process paused answers 409 until it is resumed', async () => {
      const m = await motiveConnection(t, p);
      assert.equal((await submit(m)).status, 202);
      await other.query(`UPDATE connections SET status = 'paused' WHERE id = $1`, [m.connectionId]);
      const refused = await submit(m);
      assert.equal(refused.status, 409, refused.text);
      assert.match(refused.body.message, /paused/);
      assert.equal(await operationsOf(m), 1);
      await other.query(`UPDATE connections SET status = 'active' WHERE id = $1`, [m.connectionId]);
      assert.equal((await submit(m)).status, 202);
      assert.equal(await operationsOf(m), 2);
    });

    test('a refusal with a remembered connection names the connection first when it is gone', async () => {
      const m = await motiveConnection(t, p);
      assert.equal((await submit(m)).status, 202);
      await other.query(`UPDATE connections SET status = 'deleted', deleted_at = now() WHERE id = $1`, [m.connectionId]);
      // An update of a record that does not exist, to a connection that no longer does: the connection's 404.
      const res = await call(t, 'PATCH', `/v2/telematics/users/${randomUUID()}`, { token: p.token, json: { connection_id: m.connectionId, first_name: 'X' } });
      assert.equal(res.status, 404, res.text);
      assert.match(res.body.message, /connection/i);
    });

    test('credentials another process replaced are the ones the next attempt sends', async () => {
      // A limit high enough that the second write's slot is free at once.
      const m = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      const run = async (id: string) => {
        const claimed = await claimDue(t.services, 'hot-path', 50, 60_000);
        const mine = claimed.find((c) => c.id === id);
        assert.ok(mine, 'the operation was claimed');
        assert.equal(mine.leased.conn?.id, m.connectionId, 'the claim read the connection');
        const outcomes = await Promise.all(
          claimed.map((c) => executeOperation(t.services, PRODUCT_CATALOG, c.id, { owner: 'hot-path', timeoutMs: 5_000, sync: false, leased: c.leased })),
        );
        return outcomes[claimed.indexOf(mine)];
      };
      assert.equal(await run((await submit(m)).body.id), 'success');
      const sealed = seal(t.services.keys.sealing, JSON.stringify({ api_key: 'revoked-key' }), m.connectionId);
      await other.query('UPDATE connections SET credentials_sealed = $2 WHERE id = $1', [m.connectionId, sealed]);
      // The sandbox refuses the key: the connection fails and the operation is held for working credentials.
      assert.equal(await run((await submit(m)).body.id), 'held');
      const conn = await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}`, { token: p.token });
      assert.equal(conn.body.status, 'failed');
    });

    test('a queued attempt waits in place for a slot a few ms away, and goes back to the queue for one further away', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      const outcomes: string[] = [];
      const off = t.services.events.on('ratelimit:wait', (e) => {
        if (e.connectionId === m.connectionId) outcomes.push(e.outcome);
      });
      try {
        const attempt = async (slotAheadMs: number) => {
          const id = (await submit(m)).body.id as string;
          const claimed = await claimDue(t.services, 'hot-path', 50, 60_000);
          const mine = claimed.find((c) => c.id === id);
          assert.ok(mine, 'the operation was claimed');
          // Another process took the connection's slot meanwhile: the next one is this far ahead.
          await other.query(
            `INSERT INTO rate_limits (connection_id, rate_class, next_at) VALUES ($1, 'default', now() + $2::float8 * interval '1 millisecond')
             ON CONFLICT (connection_id, rate_class) DO UPDATE SET next_at = excluded.next_at`,
            [m.connectionId, slotAheadMs],
          );
          return executeOperation(t.services, PRODUCT_CATALOG, id, { owner: 'hot-path', timeoutMs: 5_000, sync: false, leased: mine.leased });
        };
        assert.equal(await attempt(QUEUED_FIRST_WAIT_MS / 2), 'success');
        // Slept, or found the slot due by the time it asked (a slow turn): never given back.
        assert.ok(!outcomes.includes('deferred'), outcomes.join(', '));
        assert.equal(await attempt(QUEUED_FIRST_WAIT_MS * 20), 'deferred');
        assert.equal(outcomes.at(-1), 'deferred');
      } finally {
        off();
      }
    });

    test("a claimed batch's first calls take their slots in one statement: consecutive, and only those a call may wait for", async () => {
      const fast = await motiveConnection(t, p, { rate_limit_per_minute: 12_000 });
      const slow = await motiveConnection(t, p, { rate_limit_per_minute: 60 });
      const ids = { fast: [] as string[], slow: [] as string[] };
      for (let i = 0; i < 3; i++) ids.fast.push((await submit(fast)).body.id as string);
      for (let i = 0; i < 2; i++) ids.slow.push((await submit(slow)).body.id as string);
      const claimed = (await claimDue(t.services, 'hot-path', 50, 60_000)).filter((c) => [...ids.fast, ...ids.slow].includes(c.id));
      assert.equal(claimed.length, 5);
      const names: string[] = [];
      const query = t.database.query.bind(t.database);
      t.database.query = ((text: string, params: unknown[], name?: string) => {
        names.push(name ?? text.slice(0, 20));
        return query(text, params, name);
      }) as Database['query'];
      let slots;
      try {
        slots = await prepaySlots(t.services, PRODUCT_CATALOG, claimed);
      } finally {
        t.database.query = query;
      }
      assert.deepEqual(names, ['fg_take_slots'], 'one statement');
      const at = ids.fast.map((id) => slots.get(id)?.at);
      assert.ok(at.every((x) => x !== undefined), 'each of the fast connection has a slot');
      const step = intervalMs(12_000);
      assert.ok(Math.abs(at[1]! - at[0]! - step) < 0.01 && Math.abs(at[2]! - at[1]! - step) < 0.01, `slots ${at.join(', ')}`);
      // A slot a second away is not one a call waits for in place: one of the slow connection's is taken.
      assert.equal(ids.slow.filter((id) => slots.has(id)).length, 1);
      // The attempts use them (and the schedule's bound holds: tested with the worker in engine.test.ts).
      const outcomes = await Promise.all(
        claimed.map((c) => executeOperation(t.services, PRODUCT_CATALOG, c.id, { owner: 'hot-path', timeoutMs: 5_000, sync: false, leased: c.leased, prepaid: slots.get(c.id) })),
      );
      assert.deepEqual(
        outcomes.filter((_, i) => ids.fast.includes(claimed[i]!.id)),
        ['success', 'success', 'success'],
      );
    });

    test('ids sent in upper case are answered as the database keeps them, as a read answers them', async () => {
      const m = await motiveConnection(t, p);
      const res = await call(t, 'POST', '/v2/telematics/users', {
        token: p.token,
        json: { connection_id: m.connectionId.toUpperCase(), first_name: 'Upper', last_name: `U-${randomUUID().slice(0, 8)}`, phone_country_code: '+1' },
      });
      assert.equal(res.status, 202, res.text);
      assert.equal(res.body.connection_id, m.connectionId);
      const read = await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/resource-operations/${res.body.id}`, { token: p.token });
      const { payload: _sent, ...answered } = res.body;
      const { payload: _kept, ...stored } = read.body;
      assert.deepEqual(answered, stored);
    });

    test("the one-statement submit's created event is the delivery the transaction makes", async () => {
      const m = await motiveConnection(t, p);
      const hook = await call(t, 'POST', '/v2/notifications/webhooks', { token: p.token, json: { url: 'https://example.com/hook', event_name: 'resource_operation.created' } });
      assert.equal(hook.status, 200, hook.text);
      const elsewhere = await call(t, 'POST', '/v2/notifications/webhooks', {
        token: p.token,
        json: { url: 'https://example.com/other', event_name: 'resource_operation.*', filters: { fleet_refs: ['not-this-fleet'] } },
      });
      assert.equal(elsewhere.status, 200, elsewhere.text);
      const before = Date.now();
      const oneStatement = await submit(m);
      const transaction = await submit(m, { 'idempotency-key': randomUUID() });
      assert.equal(oneStatement.status, 202);
      assert.equal(transaction.status, 202);
      const deliveries = await deliveriesOf(hook.body.id);
      assert.equal(deliveries.length, 2);
      for (const [d, res] of deliveries.map((d, i) => [d, [oneStatement, transaction][i]!] as const)) {
        const read = await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/resource-operations/${res.body.id}`, { token: p.token });
        assert.deepEqual(d.payload.data, [read.body], 'the event carries the operation as it reads');
        assert.deepEqual(res.body, read.body, 'the 202 answers the operation as it reads');
        assert.equal(d.payload.event_name, 'resource_operation.created');
        assert.equal(d.payload.version, deliveries[1]!.payload.version);
        assert.match(d.payload.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        assert.match(d.message_id, UUID_V7);
        const ms = parseInt(d.message_id.replace(/-/g, '').slice(0, 12), 16);
        assert.ok(ms >= before - 5_000 && ms <= Date.now() + 5_000, `the id's time is now (${new Date(ms).toISOString()})`);
      }
      assert.deepEqual(await deliveriesOf(elsewhere.body.id), [], "the other fleet's subscription hears nothing");
    });

    test('the SQL subscriber filter agrees with passesFilters', async () => {
      const fleet = randomUUID();
      const filters = [
        null,
        {},
        { fleet_ids: [] },
        { fleet_ids: null },
        { fleet_ids: [fleet] },
        { fleet_ids: [randomUUID()] },
        { fleet_refs: ['r1'] },
        { fleet_refs: ['r2'] },
        { fleet_ids: [randomUUID()], fleet_refs: ['r1'] },
        { fleet_ids: [fleet], fleet_refs: ['r2'] },
        { fleet_ids: [], fleet_refs: [] },
      ];
      const conns = [
        { fleetId: fleet, fleetRef: 'r1' },
        { fleetId: null, fleetRef: null },
        { fleetId: fleet, fleetRef: null },
        { fleetId: null, fleetRef: 'r1' },
      ];
      const events = ['resource_operation.created', 'resource_operation.*', 'resource_operation.failed', 'connection.created'];
      const text = `SELECT ${hearsOperationEvent('w', 'c', `'resource_operation.created'`)} AS hears
        FROM (SELECT $1::uuid AS partner_id, NULL::timestamptz AS deleted_at, $2::text AS event_name, $3::jsonb AS filters) w,
             (SELECT $1::uuid AS partner_id, $4::uuid AS fleet_id, $5::text AS fleet_ref) c`;
      let cases = 0;
      for (const f of filters) {
        for (const c of conns) {
          for (const e of events) {
            const [row] = await t.database.query<{ hears: boolean }>(text, [p.partnerId, e, f === null ? null : JSON.stringify(f), c.fleetId, c.fleetRef]);
            const expected = (e === 'resource_operation.created' || e === 'resource_operation.*') && passesFilters(f, c);
            assert.equal(row!.hears, expected, `filters ${JSON.stringify(f)}, fleet ${JSON.stringify(c)}, event ${e}`);
            cases++;
          }
        }
      }
      assert.equal(cases, filters.length * conns.length * events.length);
    });
  });
}
