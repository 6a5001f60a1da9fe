// The operation state machine: every transition the code performs is in the table (and nothing
// else writes an operation), every transition in the table happens with the phases it declares, and
// the queue keeps the database's time when the application's clock is hours away from it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { PRODUCT_CATALOG } from '../src/catalog.ts';
import type { OperationTransitionEvent } from '../src/engine/events.ts';
import { executeOperation } from '../src/engine/execute.ts';
import { claimDue } from '../src/engine/operations/machine.ts';
import { TRANSITIONS } from '../src/engine/operations/transitions.ts';
import type { TransitionName } from '../src/engine/operations/transitions.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection } from './helpers/motive.ts';
import { ROOT } from './helpers/proc.ts';

const HOUR = 3600_000;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the transition table', () => {
  test('no code outside the state machine writes a resource operation', () => {
    const machine = path.join(ROOT, 'src/engine/operations/machine.ts');
    // The text of the machine's one-statement writes; only the machine runs them.
    const statements = path.join(ROOT, 'src/engine/operations/statements.ts');
    const writes = /(update|insert|delete)\(resourceOperations\)|UPDATE\s+resource_operations|INSERT\s+INTO\s+resource_operations|DELETE\s+FROM\s+resource_operations/i;
    const files = sourceFiles(path.join(ROOT, 'src'));
    const offenders = files.filter((f) => f !== machine && f !== statements && writes.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(offenders.map((f) => path.relative(ROOT, f)), []);
    assert.match(fs.readFileSync(machine, 'utf8'), writes, 'the machine is where they are');
    const importers = files.filter((f) => /from '\.{1,2}\/(operations\/)?statements\.ts'/.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(importers.map((f) => path.relative(ROOT, f)), ['src/engine/operations/machine.ts']);
  });

  test('every transition the machine announces is in the table, and every one in the table is announced', () => {
    const text = fs.readFileSync(path.join(ROOT, 'src/engine/operations/machine.ts'), 'utf8');
    const named = new Set([...text.matchAll(/'(\w+)'/g)].map((m) => m[1]!).filter((n) => Object.hasOwn(TRANSITIONS, n)));
    assert.deepEqual([...named].sort(), Object.keys(TRANSITIONS).sort());
  });
});

for (const kind of testDbKinds()) {
  describe(`state machine on ${kind}`, () => {
    let t: TestApp;
    let p: Partner;
    const events: OperationTransitionEvent[] = [];

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: '50', FLEETGATE_MAX_ATTEMPTS: '5', FLEETGATE_MAX_AGE_HOURS: '1' } });
      p = await newPartner(t);
      t.services.events.on('operation:transition', (e) => events.push(e));
    });
    after(async () => {
      t.clock.shift(0);
      await t?.close();
    });

    const submit = async (m: MotiveFixture, sync = false) => {
      const res = await call(t, 'POST', `/v2/telematics/users${sync ? '?is_sync=true' : ''}`, {
        token: p.token,
        json: { connection_id: m.connectionId, first_name: 'State', last_name: `M-${randomUUID().slice(0, 8)}`, phone_country_code: '+1' },
      });
      assert.ok(res.status === 202 || res.status === 200, res.text);
      return res.body.id as string;
    };
    // 'asset' stands for a create-only resource whose writes need no ordering (the SQL path with a list).
    const claim = async (owner: string, leaseMs = 60_000) => (await claimDue(t.services, owner, 10, leaseMs, ['asset'])).map((c) => c.id);
    const run = (id: string, owner: string) => executeOperation(t.services, PRODUCT_CATALOG, id, { owner, timeoutMs: 2_000, sync: false });
    const dbNow = async () => {
      const res = (await t.services.database.db.execute(sql`SELECT now() AS now`)) as unknown as { rows: Array<{ now: string | Date }> };
      return new Date(res.rows[0]!.now).getTime();
    };
    const row = async (id: string) => {
      const res = (await t.services.database.db.execute(sql`
        SELECT status, EXTRACT(EPOCH FROM (next_attempt_at - now())) * 1000 AS due_in_ms FROM resource_operations WHERE id = ${id}`)) as unknown as {
        rows: Array<{ status: string; due_in_ms: number | string | null }>;
      };
      return { status: res.rows[0]!.status, dueInMs: res.rows[0]!.due_in_ms === null ? null : Number(res.rows[0]!.due_in_ms) };
    };
    /** A fresh token for the partner (the same client), on the clock as it now is. */
    const newPartnerWith = async (_m: MotiveFixture): Promise<Partner> => {
      const res = await call(t, 'POST', '/oauth/token', { form: { grant_type: 'client_credentials', client_id: p.clientId, client_secret: p.clientSecret } });
      assert.equal(res.status, 200);
      return { ...p, token: res.body.access_token };
    };
    const makeDue = (id: string) => t.services.database.db.execute(sql`UPDATE resource_operations SET next_attempt_at = now() WHERE id = ${id}`);

    test('every transition of the table happens, each from and to the phases it declares', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      events.length = 0;
      // submit → claim → succeed
      const a = await submit(m);
      assert.deepEqual(await claim('w1'), [a]);
      assert.equal(await run(a, 'w1'), 'success');
      // submit_sync (→ succeed)
      await submit(m, true);
      // A 503: retry_later; then a claim whose lease runs out is taken over, and a 422 fails it.
      const b = await submit(m);
      await m.sandbox('POST', '/_sandbox/faults', { status: 503, body: 'unavailable' });
      assert.deepEqual(await claim('w1'), [b]);
      assert.equal(await run(b, 'w1'), 'retry');
      await makeDue(b);
      assert.deepEqual(await claim('w1', 1), [b]);
      await new Promise((r) => setTimeout(r, 30));
      assert.deepEqual(await claim('w2'), [b], 'the expired lease is taken over');
      assert.equal(await run(b, 'w1'), 'lost', 'the old holder can no longer record');
      await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'Validation failed' } });
      assert.equal(await run(b, 'w2'), 'failed');
      // manual_retry, then defer (the connection was paused under a claimed attempt), resume, cancel.
      const retried = await call(t, 'POST', `/v2/integrations/connections/${m.connectionId}/resource-operations/${b}/retry`, { token: p.token });
      assert.equal(retried.status, 200);
      assert.deepEqual(await claim('w1'), [b]);
      await t.services.database.db.execute(sql`UPDATE connections SET status = 'paused' WHERE id = ${m.connectionId}`);
      assert.equal(await run(b, 'w1'), 'deferred');
      assert.deepEqual(await claim('w1'), [], 'a paused connection is not claimed');
      const resumed = await call(t, 'PATCH', `/v2/integrations/connections/${m.connectionId}`, { token: p.token, json: { status: 'active' } });
      assert.equal(resumed.status, 200);
      assert.ok((await row(b)).dueInMs! <= 0, 'due again at once');
      const cancelled = await call(t, 'POST', `/v2/integrations/connections/${m.connectionId}/resource-operations/${b}/cancel`, { token: p.token });
      assert.equal(cancelled.status, 200);
      // hold: the TSP refuses the credentials; the connection fails and its queue waits (the attempt not
      // spent) until working credentials revive it (resume again), then it runs.
      const c = await submit(m);
      await m.sandbox('POST', '/_sandbox/faults', { status: 401, body: { error_message: 'Unauthorized' } });
      assert.deepEqual(await claim('w1'), [c]);
      assert.equal(await run(c, 'w1'), 'held');
      assert.equal((await row(c)).status, 'pending');
      assert.deepEqual(await claim('w1'), [], 'a failed connection is not claimed');
      const revived = await call(t, 'PATCH', `/v2/integrations/connections/${m.connectionId}`, { token: p.token, json: { credentials: { api_key: m.apiKey } } });
      assert.equal(revived.body.status, 'active', revived.text);
      assert.deepEqual(await claim('w1'), [c]);
      assert.equal(await run(c, 'w1'), 'success');

      const seen = new Set(events.map((e) => e.transition));
      assert.deepEqual([...seen].sort(), Object.keys(TRANSITIONS).sort());
      for (const e of events) {
        const declared = TRANSITIONS[e.transition as TransitionName];
        assert.ok((declared.from as ReadonlyArray<string | null>).includes(e.from), `${e.transition} from ${e.from}`);
        assert.equal(e.to, declared.to, e.transition);
        assert.equal(e.resource, 'user');
      }
    });

    test('application clock hours ahead: a retry is due on the database clock, not hours later', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      t.clock.shift(5 * HOUR);
      // Access tokens are the application's (issued and checked on its clock): one for the shifted clock.
      p = await newPartnerWith(m);
      try {
        const id = await submit(m);
        await m.sandbox('POST', '/_sandbox/faults', { status: 503, body: 'unavailable' });
        assert.deepEqual(await claim('w1'), [id]);
        assert.equal(await run(id, 'w1'), 'retry', 'the age budget (1 h) is measured by the database: the operation is seconds old');
        const { dueInMs } = await row(id);
        assert.ok(dueInMs !== null && dueInMs <= 1_000, `due in ${dueInMs} ms on the database clock`);
        await new Promise((r) => setTimeout(r, Math.max(0, dueInMs) + 20));
        assert.deepEqual(await claim('w1'), [id], 'claimed once its back-off has passed, by the database clock');
        assert.equal(await run(id, 'w1'), 'success');
      } finally {
        t.clock.shift(0);
        p = await newPartnerWith(m);
      }
    });

    test('application clock hours behind: the age budget still runs out on the database clock', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      t.clock.shift(-5 * HOUR);
      p = await newPartnerWith(m);
      try {
        const id = await submit(m);
        // Two hours old by the database, older than the 1 h budget; three hours in the future by the app clock.
        await t.services.database.db.execute(sql`UPDATE resource_operations SET budget_started_at = now() - interval '2 hours' WHERE id = ${id}`);
        await m.sandbox('POST', '/_sandbox/faults', { status: 503, body: 'unavailable' });
        assert.deepEqual(await claim('w1'), [id]);
        assert.equal(await run(id, 'w1'), 'failed');
        assert.equal((await row(id)).status, 'failed');
        assert.ok(Math.abs((await dbNow()) - Date.now()) < 60_000, 'the database clock is the real one');
      } finally {
        t.clock.shift(0);
        p = await newPartnerWith(m);
      }
    });
  });
}
