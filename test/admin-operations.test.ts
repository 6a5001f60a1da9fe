// The operator routes: every partner's operations, connections and webhooks behind the admin token,
// each partner filter and list filter doing its job, retry and cancel answering as the partner routes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';

const ADMIN = 'operator-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN}` };

interface Conn {
  id: string;
  tsp: 'motive' | 'samsara';
  /** Makes the sandbox answer the next write with a 422. */
  refuseNext(): Promise<void>;
}

for (const kind of testDbKinds()) {
  describe(`operator routes (${kind})`, () => {
    let t: TestApp;
    let a: Partner;
    let b: Partner;
    let motiveA: Conn;
    let samsaraA: Conn;
    let motiveB: Conn;
    const ops: Record<string, { id: string; status: string; connection_id: string; source_id: string | null }> = {};

    const connect = async (p: Partner, tsp: Conn['tsp'], fleetRef: string): Promise<Conn> => {
      const account = (await call(t, 'POST', `/sandbox/${tsp}/_sandbox/accounts`)).body;
      const credentials = tsp === 'motive' ? { api_key: account.api_key } : { access_token: account.access_token };
      const headers: Record<string, string> = tsp === 'motive' ? { 'x-api-key': account.api_key } : { authorization: `Bearer ${account.access_token}` };
      const res = await call(t, 'POST', '/v2/integrations/connections', { token: p.token, json: { tsp, sandbox: true, credentials, fleet_ref: fleetRef } });
      assert.equal(res.status, 200, res.text);
      const fault = tsp === 'motive' ? { status: 422, body: { error_message: 'Validation failed' } } : { status: 400, body: { message: 'bad' } };
      return {
        id: res.body.id,
        tsp,
        refuseNext: async () => {
          const res = await call(t, 'POST', `/sandbox/${tsp}/_sandbox/faults`, { headers, json: fault });
          assert.ok(res.status < 300, res.text);
        },
      };
    };
    const write = async (p: Partner, path: string, json: Record<string, unknown>, sync = true) => {
      const res = await call(t, 'POST', `${path}${sync ? '?is_sync=true' : ''}`, { token: p.token, json });
      // A synchronous write the TSP refused answers with its failure, still an operation.
      assert.ok(res.body.id, res.text);
      return res.body;
    };
    const list = async (query: string) => {
      const res = await call(t, 'GET', `/admin/v1/resource-operations${query}`, { headers: admin });
      assert.equal(res.status, 200, res.text);
      return res.body;
    };
    const idsOf = (page: { items: Array<{ id: string }> }) => page.items.map((o) => o.id).sort();
    const named = (...names: string[]) => names.map((n) => ops[n]!.id).sort();

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_ADMIN_TOKEN: ADMIN } });
      a = await newPartner(t);
      b = await newPartner(t);
      motiveA = await connect(a, 'motive', 'fleet-a');
      samsaraA = await connect(a, 'samsara', 'fleet-a2');
      motiveB = await connect(b, 'motive', 'fleet-b');
      // No worker runs: an asynchronous write stays pending, so it can be cancelled.
      ops.userA = await write(a, '/v2/telematics/users', { connection_id: motiveA.id, first_name: 'Ann', last_name: 'A', phone_country_code: '+1' });
      ops.vehicleA = await write(a, '/v2/telematics/vehicles', { connection_id: motiveA.id, vehicle_name: 'VA-1' });
      ops.samsaraUserA = await write(a, '/v2/telematics/users', { connection_id: samsaraA.id, first_name: 'Sam', last_name: 'S', username: 'sam.s' });
      await motiveB.refuseNext();
      ops.failedB = await write(b, '/v2/telematics/users', { connection_id: motiveB.id, first_name: 'Bo', last_name: 'B', phone_country_code: '+1' });
      ops.pendingB = await write(b, '/v2/telematics/vehicles', { connection_id: motiveB.id, vehicle_name: 'VB-1' }, false);
      assert.deepEqual(
        Object.values(ops).map((o) => o.status),
        ['success', 'success', 'success', 'failed', 'pending'],
      );
    });
    after(async () => {
      await t?.close();
    });

    test('without the admin token every operator route answers 401; with the operator API off, 404', async () => {
      const routes: Array<[string, string]> = [
        ['GET', '/admin/v1/resource-operations'],
        ['GET', `/admin/v1/resource-operations/${ops.userA!.id}`],
        ['POST', `/admin/v1/resource-operations/${ops.failedB!.id}/retry`],
        ['POST', `/admin/v1/resource-operations/${ops.pendingB!.id}/cancel`],
        ['GET', '/admin/v1/connections'],
        ['GET', '/admin/v1/webhooks'],
      ];
      for (const [method, path] of routes) {
        assert.equal((await call(t, method, path)).status, 401, `${method} ${path} without a token`);
        assert.equal((await call(t, method, path, { headers: { authorization: 'Bearer not-the-admin-token' } })).status, 401, `${method} ${path} wrong token`);
        // A partner's access token, whatever its scopes, is not the operator's.
        assert.equal((await call(t, method, path, { token: a.token })).status, 401, `${method} ${path} partner token`);
      }
      assert.equal((await call(t, 'GET', `/admin/v1/resource-operations/${ops.failedB!.id}`, { headers: admin })).body.status, 'failed', 'nothing was retried');
      assert.equal((await call(t, 'GET', `/admin/v1/resource-operations/${ops.pendingB!.id}`, { headers: admin })).body.status, 'pending', 'nothing was cancelled');

      // A second app on its own database (PostgreSQL's would be emptied under this one's rows): PGlite only.
      if (kind === 'pglite') {
        const off = await startTestApp(kind);
        try {
          assert.equal((await call(off, 'GET', '/admin/v1/resource-operations', { headers: admin })).status, 404);
        } finally {
          await off.close();
        }
      }
    });

    test("the list holds every partner's operations, each naming its partner, on the partner list's page shape", async () => {
      const page = await list('');
      assert.deepEqual(idsOf(page), named('userA', 'vehicleA', 'samsaraUserA', 'failedB', 'pendingB'));
      assert.equal(page.total, 5);
      for (const key of ['current_page', 'current_page_backwards', 'previous_page', 'next_page']) assert.ok(key in page, key);
      const byId = new Map(page.items.map((o: { id: string; partner_id: string }) => [o.id, o.partner_id]));
      assert.equal(byId.get(ops.userA!.id), a.partnerId);
      assert.equal(byId.get(ops.failedB!.id), b.partnerId);
      // The partner's list stays the partner's.
      const own = await call(t, 'GET', '/v2/integrations/connections/resource-operations', { token: b.token });
      assert.deepEqual(idsOf(own.body), named('failedB', 'pendingB'));
    });

    test('every filter filters', async () => {
      assert.deepEqual(idsOf(await list(`?partner_ids=${b.partnerId}`)), named('failedB', 'pendingB'));
      assert.deepEqual(idsOf(await list(`?partner_ids=${a.partnerId}&partner_ids=${b.partnerId}`)).length, 5);
      assert.deepEqual(idsOf(await list(`?partner_ids=${randomUUID()}`)), []);
      assert.deepEqual(idsOf(await list('?resource=vehicle')), named('vehicleA', 'pendingB'));
      assert.deepEqual(idsOf(await list(`?connection_id=${motiveA.id}`)), named('userA', 'vehicleA'));
      assert.deepEqual(idsOf(await list('?source_name=samsara')), named('samsaraUserA'));
      assert.deepEqual(idsOf(await list('?fleet_refs=fleet-b&fleet_refs=fleet-a2')), named('samsaraUserA', 'failedB', 'pendingB'));
      assert.deepEqual(idsOf(await list('?operation=create')).length, 5);
      assert.deepEqual(idsOf(await list('?operation=update')), []);
      assert.deepEqual(idsOf(await list('?status=failed')), named('failedB'));
      assert.deepEqual(idsOf(await list(`?resource=user&source_id=${encodeURIComponent(ops.userA!.source_id!)}`)), named('userA'));
      const created = (await call(t, 'GET', `/admin/v1/resource-operations/${ops.failedB!.id}`, { headers: admin })).body.created_at as string;
      assert.deepEqual(idsOf(await list(`?from_datetime=${encodeURIComponent(created)}`)), named('failedB', 'pendingB'));
      assert.deepEqual(idsOf(await list(`?to_datetime=${encodeURIComponent(created)}`)), named('userA', 'vehicleA', 'samsaraUserA'));
      const first = await list('?size=2');
      assert.equal(first.items.length, 2);
      const second = await list(`?size=2&cursor=${encodeURIComponent(first.next_page)}`);
      assert.equal(second.items.filter((o: { id: string }) => idsOf(first).includes(o.id)).length, 0, 'the next page has the next rows');
    });

    test('bad filters are a 422 naming the parameter, as on the partner list', async () => {
      const cases: Array<[string, string]> = [
        ['?partner_ids=not-a-uuid', 'query.partner_ids'],
        ['?source_id=x', 'query.source_id'],
        ['?from_datetime=2020-01-01T00:00:00Z', 'query.from_datetime'],
        ['?status=sideways', 'query.status'],
        ['?partner_id=x', 'query.partner_id'],
      ];
      for (const [query, path] of cases) {
        const res = await call(t, 'GET', `/admin/v1/resource-operations${query}`, { headers: admin });
        assert.equal(res.status, 422, `${query}: ${res.text}`);
        assert.ok(JSON.stringify(res.body).includes(path.split('.')[1]!), `${query}: ${res.text}`);
      }
    });

    test("one operation: the partner read with its partner; an unknown id is a 404, a bad one a 422", async () => {
      const res = await call(t, 'GET', `/admin/v1/resource-operations/${ops.failedB!.id}`, { headers: admin });
      assert.equal(res.status, 200, res.text);
      const partnerRead = await call(t, 'GET', `/v2/integrations/connections/${motiveB.id}/resource-operations/${ops.failedB!.id}`, { token: b.token });
      assert.deepEqual(res.body, partnerRead.body);
      assert.equal(res.body.partner_id, b.partnerId);
      assert.equal(res.body.logs.length, 1);
      assert.equal((await call(t, 'GET', `/admin/v1/resource-operations/${randomUUID()}`, { headers: admin })).status, 404);
      assert.equal((await call(t, 'GET', '/admin/v1/resource-operations/nope', { headers: admin })).status, 422);
    });

    test('retry and cancel answer as the partner routes: a failed one is queued again, a pending one cancelled, others 409', async () => {
      assert.equal((await call(t, 'POST', `/admin/v1/resource-operations/${ops.userA!.id}/retry`, { headers: admin })).status, 409, 'a success');
      assert.equal((await call(t, 'POST', `/admin/v1/resource-operations/${ops.userA!.id}/cancel`, { headers: admin })).status, 409, 'ended');
      assert.equal((await call(t, 'POST', `/admin/v1/resource-operations/${randomUUID()}/retry`, { headers: admin })).status, 404);
      assert.equal((await call(t, 'POST', `/admin/v1/resource-operations/${ops.failedB!.id}/retry?force=maybe`, { headers: admin })).status, 422);

      const retried = await call(t, 'POST', `/admin/v1/resource-operations/${ops.failedB!.id}/retry`, { headers: admin });
      assert.equal(retried.status, 200, retried.text);
      assert.equal(retried.body.status, 'pending');
      assert.equal(retried.body.partner_id, b.partnerId);
      assert.equal((await call(t, 'POST', `/admin/v1/resource-operations/${ops.failedB!.id}/retry`, { headers: admin })).status, 409, 'already queued');

      const cancelled = await call(t, 'POST', `/admin/v1/resource-operations/${ops.pendingB!.id}/cancel`, { headers: admin });
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.equal(cancelled.body.status, 'failed');
      const seen = await call(t, 'GET', `/v2/integrations/connections/${motiveB.id}/resource-operations/${ops.pendingB!.id}`, { token: b.token });
      assert.equal(seen.body.status, 'failed', 'the partner sees the cancel');
      // The retried one back to where it was, for the other tests' sake (it is pending again: cancel it).
      assert.equal((await call(t, 'POST', `/admin/v1/resource-operations/${ops.failedB!.id}/cancel`, { headers: admin })).status, 200);
    });

    test("connections of every partner, each naming its partner; partner_id and the partner list's filters filter", async () => {
      const ids = async (query: string) => {
        const res = await call(t, 'GET', `/admin/v1/connections${query}`, { headers: admin });
        assert.equal(res.status, 200, res.text);
        return res.body.items.map((c: { id: string; partner_id: string }) => `${c.id}:${c.partner_id}`).sort();
      };
      const of = (...cs: Array<[Conn, Partner]>) => cs.map(([c, p]) => `${c.id}:${p.partnerId}`).sort();
      assert.deepEqual(await ids(''), of([motiveA, a], [samsaraA, a], [motiveB, b]));
      assert.deepEqual(await ids(`?partner_id=${b.partnerId}`), of([motiveB, b]));
      assert.deepEqual(await ids('?tsp=samsara'), of([samsaraA, a]));
      assert.deepEqual(await ids('?fleet_refs=fleet-a&fleet_refs=fleet-b'), of([motiveA, a], [motiveB, b]));
      assert.deepEqual(await ids('?status=paused'), []);
      assert.equal((await call(t, 'GET', '/admin/v1/connections?partner_id=x', { headers: admin })).status, 422);
      // The partner's own list still has no partner_id field nor filter.
      const own = await call(t, 'GET', '/v2/integrations/connections', { token: a.token });
      assert.equal(own.body.items.length, 2);
      assert.ok(!('partner_id' in own.body.items[0]));
      assert.equal((await call(t, 'GET', `/v2/integrations/connections?partner_id=${b.partnerId}`, { token: a.token })).status, 422);
    });

    test('webhooks of every partner, each naming its partner; partner_id and the partner filters filter', async () => {
      const hook = async (p: Partner, event_name: string) => {
        const res = await call(t, 'POST', '/v2/notifications/webhooks', { token: p.token, json: { url: 'https://example.com/hook', event_name } });
        assert.equal(res.status, 200, res.text);
        return res.body.id as string;
      };
      const ha = await hook(a, 'resource_operation.succeeded');
      const hb = await hook(b, 'resource_operation.failed');
      const ids = async (query: string) => {
        const res = await call(t, 'GET', `/admin/v1/webhooks${query}`, { headers: admin });
        assert.equal(res.status, 200, res.text);
        return res.body.items.map((w: { id: string; partner_id: string }) => `${w.id}:${w.partner_id}`).sort();
      };
      assert.deepEqual(await ids(''), [`${ha}:${a.partnerId}`, `${hb}:${b.partnerId}`].sort());
      assert.deepEqual(await ids(`?partner_id=${a.partnerId}`), [`${ha}:${a.partnerId}`]);
      assert.deepEqual(await ids('?event_name=resource_operation.failed'), [`${hb}:${b.partnerId}`]);
      assert.deepEqual(await ids('?status=paused'), []);
      const own = await call(t, 'GET', '/v2/notifications/webhooks', { token: a.token });
      assert.ok(!('partner_id' in own.body.items[0]), "the partner's read is Catena's WebhookRead");
    });

    test("a webhook's metrics, delivery log and replay: as its partner's routes answer them, behind the admin token", async () => {
      const res = await call(t, 'POST', '/v2/notifications/webhooks', { token: b.token, json: { url: 'https://example.com/hook-b', event_name: 'resource_operation.created' } });
      assert.equal(res.status, 200, res.text);
      const id = res.body.id as string;
      for (const [method, suffix] of [['GET', 'metrics'], ['GET', 'logs'], ['POST', 'replay']] as const) {
        const path = `/admin/v1/webhooks/${id}/${suffix}`;
        const asOperator = await call(t, method, path, { headers: admin });
        const asPartner = await call(t, method, `/v2/notifications/webhooks/${id}/${suffix}`, { token: b.token });
        assert.equal(asOperator.status, asPartner.status, `${path}: ${asOperator.text}`);
        assert.deepEqual(Object.keys(asOperator.body).sort(), Object.keys(asPartner.body).sort(), path);
        assert.equal((await call(t, method, path)).status, 401, `${path} without a token`);
        assert.equal((await call(t, method, path, { token: b.token })).status, 401, `${path} with the partner's token`);
        assert.equal((await call(t, method, `/admin/v1/webhooks/${randomUUID()}/${suffix}`, { headers: admin })).status, 404, `${suffix} of no webhook`);
        assert.equal((await call(t, method, `/admin/v1/webhooks/not-a-uuid/${suffix}`, { headers: admin })).status, 422, `${suffix}: a bad id`);
      }
      // Another partner's token cannot reach it through the partner routes: the operator's are the way.
      assert.equal((await call(t, 'GET', `/v2/notifications/webhooks/${id}/metrics`, { token: a.token })).status, 404);
      const logs = await call(t, 'GET', `/admin/v1/webhooks/${id}/logs?status=nope`, { headers: admin });
      assert.equal(logs.status, 422, 'the log filters are validated as the partner route validates them');
    });

    test('the OpenAPI document declares the operator routes behind the admin token', async () => {
      const doc = (await call(t, 'GET', '/openapi.json')).body;
      for (const [path, method] of [
        ['/admin/v1/resource-operations', 'get'],
        ['/admin/v1/resource-operations/{resource_operation_id}', 'get'],
        ['/admin/v1/resource-operations/{resource_operation_id}/retry', 'post'],
        ['/admin/v1/resource-operations/{resource_operation_id}/cancel', 'post'],
        ['/admin/v1/connections', 'get'],
        ['/admin/v1/webhooks', 'get'],
        ['/admin/v1/webhooks/{webhook_id}/metrics', 'get'],
        ['/admin/v1/webhooks/{webhook_id}/logs', 'get'],
        ['/admin/v1/webhooks/{webhook_id}/replay', 'post'],
      ] as const) {
        const op = doc.paths[path]?.[method];
        assert.ok(op, `${method} ${path}`);
        assert.deepEqual(op.security, [{ adminToken: [] }], path);
      }
      const params = doc.paths['/admin/v1/resource-operations'].get.parameters.map((p: { name: string }) => p.name);
      assert.ok(params.includes('partner_ids') && params.includes('fleet_refs') && params.includes('from_datetime'), params.join());
    });
  });
}
