// The users write API end to end over HTTP, with the Motive sandbox as the TSP: what lands at the
// TSP, async and sync execution, updates, idempotency, reads, pagination and isolation.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { MOTIVE_HOS } from '../src/tsps/motive/users/hos.ts';
import { MOTIVE_ZONE_FOR_IANA } from '../src/tsps/motive/users/zones.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection, waitForOperation } from './helpers/motive.ts';
import { FULL_USER as ALL_FIELDS } from './helpers/tsps.ts';

// The shared full user, with a ruleset that exercises Motive's exception flags (short-haul).
const FULL_USER = { ...ALL_FIELDS, hos_ruleset_code: 'US_INT_PROP_70_8_SH' } as const;

for (const kind of testDbKinds()) {
  describe(`users write API (${kind})`, () => {
    let t: TestApp;
    let worker: Worker;
    let a: Partner;
    let b: Partner;
    let m: MotiveFixture;

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_SYNC_TIMEOUT_MS: '1500' } });
      worker = startWorker(t.services, { pollMs: 50 });
      a = await newPartner(t);
      b = await newPartner(t);
      m = await motiveConnection(t, a, { rate_limit_per_minute: 100_000 });
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
    });

    const createUser = (p: Partner, body: Record<string, unknown>, opts: { sync?: boolean; key?: string } = {}) =>
      call(t, 'POST', `/v2/telematics/users${opts.sync ? '?is_sync=true' : ''}`, {
        token: p.token,
        json: body,
        headers: opts.key ? { 'idempotency-key': opts.key } : {},
      });
    const minimal = (extra: Record<string, unknown> = {}) => ({
      connection_id: m.connectionId,
      first_name: 'Min',
      last_name: `User-${randomUUID().slice(0, 8)}`,
      phone_country_code: '+1',
      ...extra,
    });

    test('a sync create with every field lands at Motive mapped as the adapter tables say', async () => {
      const res = await createUser(a, { connection_id: m.connectionId, ...FULL_USER }, { sync: true });
      assert.equal(res.status, 200, res.text);
      const op = res.body;
      assert.equal(op.status, 'success');
      assert.equal(op.resource, 'user');
      assert.equal(op.operation_type, 'create');
      assert.equal(op.partner_id, a.partnerId);
      assert.equal(op.connection_id, m.connectionId);
      assert.deepEqual(op.payload, { connection_id: m.connectionId, ...FULL_USER });
      assert.match(op.resource_id, /^[0-9a-f-]{36}$/);
      assert.match(op.source_id, /^\d+$/);
      assert.equal(op.logs.length, 1);
      assert.equal(op.logs[0].response_status_code, 201);
      assert.equal(op.logs[0].error_class, null);
      assert.deepEqual([...op.dropped_fields].sort(), ['carrier_number', 'country_code', 'license_country', 'license_expiration', 'notes']);

      const native = await m.sandbox('GET', `/v1/users/${op.source_id}`);
      assert.equal(native.status, 200);
      const u = native.body.user;
      const hos = MOTIVE_HOS.US_INT_PROP_70_8_SH;
      assert.ok('cycle' in hos);
      const expected: Record<string, unknown> = {
        username: 'ada.lovelace',
        email: 'ada@example.com',
        first_name: 'Ada',
        last_name: 'Lovelace',
        phone: '5555550100',
        phone_country_code: '+1',
        time_zone: MOTIVE_ZONE_FOR_IANA['America/Chicago'],
        role: 'driver',
        status: 'active',
        drivers_license_number: 'TX1234567',
        drivers_license_state: 'TX',
        driver_company_id: 'EMP-42',
        dot_id: '1234567',
        cycle: hos.cycle,
        exception_short_haul: true,
        exception_8_hour_break: false,
        exception_24_hour_restart: false,
        exception_adverse_driving: true,
        yard_moves_enabled: true,
        personal_conveyance_enabled: false,
        eld_mode: 'logs',
        time_tracking_mode: 'logs',
      };
      for (const [field, value] of Object.entries(expected)) assert.deepEqual(u[field], value, `Motive ${field}`);
      assert.deepEqual(u.external_ids, [{ id: u.external_ids[0].id, external_id: op.resource_id, integration_name: 'fleetgate' }]);

      const user = await call(t, 'GET', `/v2/telematics/users/${op.resource_id}`, { token: a.token });
      assert.equal(user.status, 200);
      assert.equal(user.body.source_id, op.source_id);
      assert.equal(user.body.first_name, 'Ada');
      assert.equal(user.body.hos_ruleset_code, 'US_INT_PROP_70_8_SH');
    });

    test('an async create answers 202 pending and the worker brings it to success', async () => {
      const res = await createUser(a, minimal());
      assert.equal(res.status, 202, res.text);
      assert.equal(res.body.status, 'pending');
      assert.equal(res.body.resource_id, null);
      assert.equal(res.body.source_id, null);
      assert.deepEqual(res.body.logs, []);
      const done = await waitForOperation(t, a, m.connectionId, res.body.id);
      assert.equal(done.status, 'success');
      assert.ok(done.resource_id);
      assert.ok(done.source_id);
      assert.equal(done.logs.length, 1);
      assert.equal((await m.sandbox('GET', `/v1/users/${done.source_id}`)).body.user.last_name, res.body.payload.last_name);
    });

    test('an update sends Motive only what changed (plus what Motive requires) and keeps the rest', async () => {
      const created = await createUser(a, minimal({ username: `u-${randomUUID().slice(0, 6)}`, user_email: `${randomUUID()}@x.io` }), { sync: true });
      const id = created.body.resource_id;
      const res = await call(t, 'PATCH', `/v2/telematics/users/${id}?is_sync=true`, {
        token: a.token,
        json: { connection_id: m.connectionId, first_name: 'Grace' },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'success');
      assert.equal(res.body.operation_type, 'update');
      assert.equal(res.body.resource_id, id);
      assert.equal(res.body.source_id, created.body.source_id);
      const log = (await m.sandbox('GET', '/_sandbox/requests')).body.requests;
      const put = log.filter((r: { method: string }) => r.method === 'PUT').at(-1);
      assert.equal(put.path, `/v1/users/${created.body.source_id}`);
      assert.deepEqual(Object.keys(put.body).sort(), ['first_name', 'phone_country_code']);
      const native = (await m.sandbox('GET', `/v1/users/${created.body.source_id}`)).body.user;
      assert.equal(native.first_name, 'Grace');
      assert.equal(native.last_name, created.body.payload.last_name);
      assert.equal(native.email, created.body.payload.user_email);
      const user = await call(t, 'GET', `/v2/telematics/users/${id}`, { token: a.token });
      assert.equal(user.body.first_name, 'Grace');
      assert.equal(user.body.last_name, created.body.payload.last_name);
    });

    test('updating one form of a doubled field brings the stored other form along (status / is_active)', async () => {
      const created = await createUser(a, minimal({ status: 'ACTIVE', is_active: true }), { sync: true });
      assert.equal(created.body.status, 'success');
      const res = await call(t, 'PATCH', `/v2/telematics/users/${created.body.resource_id}?is_sync=true`, {
        token: a.token,
        json: { connection_id: m.connectionId, status: 'INACTIVE' },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
      assert.equal((await m.sandbox('GET', `/v1/users/${created.body.source_id}`)).body.user.status, 'deactivated');
      const user = await call(t, 'GET', `/v2/telematics/users/${created.body.resource_id}`, { token: a.token });
      assert.equal(user.body.status, 'INACTIVE');
      assert.equal(user.body.is_active, false);
    });

    test('updating an unknown user, or another partner’s, is 404', async () => {
      const unknown = await call(t, 'PATCH', `/v2/telematics/users/${randomUUID()}`, { token: a.token, json: { connection_id: m.connectionId, first_name: 'X' } });
      assert.equal(unknown.status, 404);
      const created = await createUser(a, minimal(), { sync: true });
      const mb = await motiveConnection(t, b);
      const foreign = await call(t, 'PATCH', `/v2/telematics/users/${created.body.resource_id}`, {
        token: b.token,
        json: { connection_id: mb.connectionId, first_name: 'X' },
      });
      assert.equal(foreign.status, 404);
      assert.equal((await call(t, 'GET', `/v2/telematics/users/${created.body.resource_id}`, { token: b.token })).status, 404);
      const op = `/v2/integrations/connections/${m.connectionId}/resource-operations/${created.body.id}`;
      assert.equal((await call(t, 'GET', op, { token: b.token })).status, 404);
      const list = await call(t, 'GET', '/v2/integrations/connections/resource-operations', { token: b.token });
      assert.ok(!list.body.items.some((o: { id: string }) => o.id === created.body.id));
    });

    test('a sync write Motive refuses answers 502 (Catena\'s "could not be processed") with the failed operation, Motive’s reason and no retry', async () => {
      await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'Validation failed: Phone is invalid' } });
      const res = await createUser(a, minimal(), { sync: true });
      assert.equal(res.status, 502, res.text);
      assert.equal(res.body.status, 'failed');
      assert.equal(res.body.resource_id, null);
      assert.equal(res.body.logs.length, 1);
      assert.equal(res.body.logs[0].error_class, 'validation');
      assert.equal(res.body.logs[0].response_status_code, 422);
      assert.match(res.body.logs[0].error_details, /Phone is invalid/);
    });

    test('a sync write the TSP does not answer in time is 502 with the operation, which is kept (Catena declares no 504 here)', async () => {
      await m.sandbox('POST', '/_sandbox/faults', { delay_ms: 3000, status: 500 });
      const started = Date.now();
      const res = await createUser(a, minimal(), { sync: true });
      assert.equal(res.status, 502, res.text);
      assert.ok(Date.now() - started < 2900, 'answered within the sync budget');
      assert.equal(res.body.status, 'failed');
      assert.equal(res.body.logs[0].error_class, 'timeout');
      assert.equal(res.body.logs[0].error_type, 'network', 'no answer within the deadline: Catena\'s network');
      const kept = await call(t, 'GET', `/v2/integrations/connections/${m.connectionId}/resource-operations/${res.body.id}`, { token: a.token });
      assert.equal(kept.status, 200);
    });

    test('stored response headers never hold credentials or cookies', async () => {
      await m.sandbox('POST', '/_sandbox/faults', {
        status: 500,
        body: { error_message: 'boom' },
        headers: { 'set-cookie': 'session=abc123', 'x-api-key': 'leaked-key', authorization: 'Bearer leaked', 'x-trace': 'keep-me' },
      });
      const res = await createUser(a, minimal(), { sync: true });
      const headers = res.body.logs[0].response_headers;
      assert.equal(headers['x-trace'], 'keep-me');
      assert.ok(!JSON.stringify(headers).includes('abc123'));
      assert.ok(!JSON.stringify(headers).includes('leaked'));
      assert.ok(!res.text.includes(m.apiKey));
    });

    test('an async attempt that meets a 500 is retried and succeeds', async () => {
      await m.sandbox('POST', '/_sandbox/faults', { status: 500, body: { error_message: 'upstream' } });
      const res = await createUser(a, minimal());
      const done = await waitForOperation(t, a, m.connectionId, res.body.id);
      assert.equal(done.status, 'success');
      assert.deepEqual(done.logs.map((l: { error_class: string | null }) => l.error_class), ['transient', null]);
      assert.deepEqual(done.logs.map((l: { attempt: number }) => l.attempt), [1, 2]);
    });

    test('Idempotency-Key: a replay returns the first operation, another body is 409', async () => {
      const key = `key-${randomUUID()}`;
      const body = minimal();
      const first = await createUser(a, body, { key });
      assert.equal(first.status, 202);
      const replay = await createUser(a, body, { key });
      assert.equal(replay.body.id, first.body.id);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      const other = await createUser(a, { ...body, first_name: 'Other' }, { key });
      assert.equal(other.status, 409);
      assert.equal(other.body.code, 409);
      const otherPartner = await motiveConnection(t, b, { rate_limit_per_minute: 100_000 });
      const theirs = await createUser(b, { ...body, connection_id: otherPartner.connectionId }, { key });
      assert.equal(theirs.status, 202);
      assert.notEqual(theirs.body.id, first.body.id, 'keys are per partner');
      const tooLong = await createUser(a, body, { key: 'k'.repeat(256) });
      assert.equal(tooLong.status, 422);
    });

    test('Idempotency-Key: a sync replay spends no rate-limit slot; a key past its 24 h is taken over', async () => {
      // One write per minute: a second real call would have to wait past the sync budget (429).
      const slow = await motiveConnection(t, a, { rate_limit_per_minute: 1 });
      const key = `sync-${randomUUID()}`;
      const body = { ...minimal(), connection_id: slow.connectionId };
      const first = await createUser(a, body, { sync: true, key });
      // The sandbox account's one call a minute went to the connection's credential check: Motive answers
      // 429, the write could not be processed at this time (502, the operation). The replay answers the
      // stored operation by the same rule, and spends no slot (a real call would be fleetgate's 429).
      assert.equal(first.status, 502, first.text);
      assert.equal(first.body.logs[0].response_status_code, 429);
      const replay = await createUser(a, body, { sync: true, key });
      assert.equal(replay.status, 502, replay.text);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(replay.body.id, first.body.id);
      const other = await createUser(a, { ...body, first_name: 'Other' }, { sync: true, key });
      assert.equal(other.status, 409);

      const oldKey = `old-${randomUUID()}`;
      const original = await createUser(a, minimal(), { key: oldKey });
      t.clock.shift(25 * 3600_000);
      try {
        // A day later the partner holds a new token, of course.
        const token = await call(t, 'POST', '/oauth/token', {
          form: { grant_type: 'client_credentials', client_id: a.clientId, client_secret: a.clientSecret },
        });
        const later = { ...a, token: token.body.access_token };
        const fresh = minimal();
        const takeover = await createUser(later, fresh, { key: oldKey });
        assert.equal(takeover.status, 202, takeover.text);
        assert.notEqual(takeover.body.id, original.body.id, 'an expired key starts a new operation');
        const again = await createUser(later, fresh, { key: oldKey });
        assert.equal(again.body.id, takeover.body.id);
        assert.equal(again.headers['idempotent-replayed'], 'true');
      } finally {
        t.clock.shift(0);
      }
    });

    test('operations list: filters, and keyset pages that neither skip nor repeat while rows arrive', async () => {
      const p = await newPartner(t);
      const mp = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await call(t, 'POST', '/v2/telematics/users', { token: p.token, json: { connection_id: mp.connectionId, first_name: 'P', last_name: `L${i}`, phone_country_code: '+1' } });
        ids.push(r.body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let inserted = 0;
      do {
        const page: { body: { items: Array<{ id: string }>; next_page: string | null } } = await call(
          t,
          'GET',
          `/v2/integrations/connections/resource-operations?size=5${cursor ? `&cursor=${cursor}` : ''}`,
          { token: p.token },
        );
        seen.push(...page.body.items.map((o) => o.id));
        cursor = page.body.next_page;
        // New operations arrive between page reads.
        if (cursor && inserted < 3) {
          await call(t, 'POST', '/v2/telematics/users', { token: p.token, json: { connection_id: mp.connectionId, first_name: 'N', last_name: `N${inserted}`, phone_country_code: '+1' } });
          inserted++;
        }
      } while (cursor);
      assert.equal(new Set(seen).size, seen.length, 'no operation repeated');
      assert.deepEqual(seen.slice(0, ids.length), ids, 'every earlier operation, in order');
      assert.equal(seen.length, ids.length + inserted, 'rows inserted meanwhile appear at the end');

      const byStatus = await call(t, 'GET', `/v2/integrations/connections/resource-operations?connection_id=${mp.connectionId}&operation=create&resource=user&size=1000`, { token: p.token });
      assert.equal(byStatus.body.items.length, ids.length + inserted);
      const none = await call(t, 'GET', '/v2/integrations/connections/resource-operations?operation=update', { token: p.token });
      assert.equal(none.body.items.length, 0);
      const future = await call(t, 'GET', `/v2/integrations/connections/resource-operations?from_datetime=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`, { token: p.token });
      assert.equal(future.body.items.length, 0);
      const done = await waitForOperation(t, p, mp.connectionId, ids[0]!);
      // Catena: source_id requires the resource parameter.
      const bySource = await call(t, 'GET', `/v2/integrations/connections/resource-operations?resource=user&source_id=${done.source_id}`, { token: p.token });
      assert.deepEqual(bySource.body.items.map((o: { id: string }) => o.id), [ids[0]]);
    });

    test('users list is paginated and scoped to the partner', async () => {
      const list = await call(t, 'GET', '/v2/telematics/users?size=2', { token: a.token });
      assert.equal(list.status, 200);
      assert.equal(list.body.items.length, 2);
      assert.ok(list.body.next_page);
      const theirs = await call(t, 'GET', `/v2/telematics/users?connection_id=${m.connectionId}`, { token: b.token });
      assert.equal(theirs.body.items.length, 0);
    });

    test('scopes: writing needs telematics:write, reading telematics:read', async () => {
      const reader = await newPartner(t, ['telematics:read']);
      assert.equal((await createUser(reader, minimal())).status, 403);
      const writer = await newPartner(t, ['telematics:write']);
      assert.equal((await call(t, 'GET', '/v2/telematics/users', { token: writer.token })).status, 403);
    });

    test('the OpenAPI document describes the users API and validates as OpenAPI 3.1', async () => {
      const doc = (await call(t, 'GET', '/openapi.json')).body;
      const post = doc.paths['/v2/telematics/users'].post;
      assert.ok(post.responses['202'] && post.responses['200'] && post.responses['502'] && post.responses['422']);
      assert.equal(post.responses['504'], undefined, 'Catena declares no 504 on its user writes; a sync timeout is a 502');
      assert.ok(doc.paths['/v2/telematics/users/{id}'].patch);
      assert.ok(doc.paths['/v2/integrations/connections/{connection_id}/resource-operations/{resource_operation_id}'].get);
      const { Validator } = await import('@seriousme/openapi-schema-validator');
      const result = await new Validator().validate(doc);
      assert.equal(result.valid, true, JSON.stringify(result.errors));
    });
  });
}
