// Retrying a failed update: not over a later write to the same record that succeeded (its values would
// undo that write): 409 naming it, unless the partner says force=true.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection, waitForOperation } from './helpers/motive.ts';

const FAST = 100_000;

for (const kind of testDbKinds()) {
  describe(`retrying a failed update (${kind})`, () => {
    let t: TestApp;
    let worker: Worker;
    let p: Partner;

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: '50', FLEETGATE_MAX_ATTEMPTS: '3' } });
      worker = startWorker(t.services, { pollMs: 25 });
      p = await newPartner(t);
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
    });

    /** A user created through the sandbox connection, and its update path. */
    const newUser = async (m: MotiveFixture) => {
      const created = await call(t, 'POST', '/v2/telematics/users?is_sync=true', {
        token: p.token,
        json: { connection_id: m.connectionId, first_name: 'Orig', last_name: `Retry-${randomUUID().slice(0, 8)}`, phone_country_code: '+1' },
      });
      assert.equal(created.body.status, 'success', created.text);
      return { path: `/v2/telematics/users/${created.body.resource_id}`, sourceId: created.body.source_id as string };
    };
    const update = async (m: MotiveFixture, userPath: string, firstName: string) => {
      const res = await call(t, 'PATCH', userPath, { token: p.token, json: { connection_id: m.connectionId, first_name: firstName } });
      assert.equal(res.status, 202, res.text);
      return waitForOperation(t, p, m.connectionId, res.body.id);
    };
    const opPath = (m: MotiveFixture, id: string) => `/v2/integrations/connections/${m.connectionId}/resource-operations/${id}`;
    const nameAtTsp = async (m: MotiveFixture, sourceId: string) => (await m.sandbox('GET', `/v1/users/${sourceId}`)).body.user.first_name;

    test('a failed update with a later successful write to the record: 409 naming it; force=true applies it', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      const user = await newUser(m);
      await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'Validation failed' } });
      const old = await update(m, user.path, 'Old');
      assert.equal(old.status, 'failed');
      const newer = await update(m, user.path, 'Newer');
      assert.equal(newer.status, 'success');

      const refused = await call(t, 'POST', `${opPath(m, old.id)}/retry`, { token: p.token });
      assert.equal(refused.status, 409, refused.text);
      assert.equal(refused.body.code, 409);
      assert.equal(refused.body.newer_operation_id, newer.id);
      assert.equal((await call(t, 'GET', opPath(m, old.id), { token: p.token })).body.status, 'failed', 'left as it was');
      assert.equal(await nameAtTsp(m, user.sourceId), 'Newer');
      assert.equal((await call(t, 'GET', user.path, { token: p.token })).body.first_name, 'Newer');

      // Only the documented words are a flag.
      assert.equal((await call(t, 'POST', `${opPath(m, old.id)}/retry?force=maybe`, { token: p.token })).status, 422, 'a bad query parameter');

      const forced = await call(t, 'POST', `${opPath(m, old.id)}/retry?force=true`, { token: p.token });
      assert.equal(forced.status, 200, forced.text);
      const done = await waitForOperation(t, p, m.connectionId, old.id);
      assert.equal(done.status, 'success');
      assert.equal(await nameAtTsp(m, user.sourceId), 'Old', 'the partner asked for it');
    });

    test('a failed update with no later success is retried as before, even when a later write failed too', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      const user = await newUser(m);
      await m.sandbox('POST', '/_sandbox/faults', { faults: [{ status: 422, body: { error_message: 'no' } }, { status: 422, body: { error_message: 'no' } }] });
      const first = await update(m, user.path, 'First');
      const second = await update(m, user.path, 'Second');
      assert.equal(first.status, 'failed');
      assert.equal(second.status, 'failed');
      const retried = await call(t, 'POST', `${opPath(m, first.id)}/retry`, { token: p.token });
      assert.equal(retried.status, 200, retried.text);
      assert.equal((await waitForOperation(t, p, m.connectionId, first.id)).status, 'success');
      assert.equal(await nameAtTsp(m, user.sourceId), 'First');
      // Now `first` is a later success for nothing: `second` came after it, and retrying it is fine too.
      assert.equal((await call(t, 'POST', `${opPath(m, second.id)}/retry`, { token: p.token })).status, 200);
      assert.equal((await waitForOperation(t, p, m.connectionId, second.id)).status, 'success');
      assert.equal(await nameAtTsp(m, user.sourceId), 'Second');
    });

    test('a failed update retried after an earlier write to the record succeeded: not refused', async () => {
      const m = await motiveConnection(t, p, { rate_limit_per_minute: FAST });
      const user = await newUser(m);
      const first = await update(m, user.path, 'One');
      await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'no' } });
      const second = await update(m, user.path, 'Two');
      assert.equal(first.status, 'success');
      assert.equal(second.status, 'failed');
      assert.equal((await call(t, 'POST', `${opPath(m, second.id)}/retry`, { token: p.token })).status, 200);
      assert.equal((await waitForOperation(t, p, m.connectionId, second.id)).status, 'success');
      assert.equal(await nameAtTsp(m, user.sourceId), 'Two');
    });
  });
}
