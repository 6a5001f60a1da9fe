// Samsara users through fleetgate's write API, on both databases: what a partner sees of the issue-14
// corrections. The e-mail is accepted and listed in dropped_fields (Samsara drivers have none); a clear
// Samsara documents no way to write is a 422 unsupported_by_tsp at submit, before anything is stored or
// sent; the documented one (hos_ruleset_code → usDriverRulesetOverride: null) reaches Samsara.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { SamsaraConnection } from './helpers/samsara-assets.ts';
import { samsaraConnection } from './helpers/samsara-assets.ts';

type Json = Record<string, any>; // `any`: API bodies are read field by field

for (const kind of testDbKinds()) {
  describe(`Samsara users through the API (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    let c: SamsaraConnection;
    before(async () => {
      t = await startTestApp(kind);
      p = await newPartner(t);
      c = await samsaraConnection(t, p);
    });
    after(async () => t?.close());

    let seq = 0;
    const create = async (extra: Json = {}): Promise<Json> => {
      seq += 1;
      const res = await call(t, 'POST', '/v2/telematics/users?is_sync=true', {
        token: p.token,
        json: { connection_id: c.connectionId, username: `api${seq}${Date.now() % 100_000}`, first_name: 'Ana', last_name: 'Lima', ...extra },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
      return res.body;
    };
    const patch = (id: string, json: Json) =>
      call(t, 'PATCH', `/v2/telematics/users/${id}?is_sync=true`, { token: p.token, json: { connection_id: c.connectionId, ...json } });
    const driver = async (sourceId: string): Promise<Json> => (await c.sb('GET', `/fleet/drivers/${sourceId}`)).body.data;

    test('user_email is accepted, listed in dropped_fields and never sent to Samsara', async () => {
      const op = await create({ user_email: 'ana@example.com' });
      assert.ok(op.dropped_fields.includes('user_email'), JSON.stringify(op.dropped_fields));
      assert.equal('email' in (await driver(op.source_id)), false);
      const posts = (await c.requests()).filter((r) => r.method === 'POST' && r.path === '/fleet/drivers');
      assert.ok(posts.length > 0 && posts.every((r) => !('email' in r.body)));
    });

    test('a clear Samsara has no documented way to write is 422 unsupported_by_tsp at submit; Samsara is not called', async () => {
      const op = await create({ notes: 'night shifts', license_region: 'TX', license_number: `D${seq}` });
      const before = (await c.requests()).length;
      for (const field of ['notes', 'license_region', 'license_number', 'phone_number', 'default_time_zone', 'dot_id', 'employee_number']) {
        const res = await patch(op.resource_id, { [field]: null });
        assert.equal(res.status, 422, `${field}: ${res.text}`);
        const item = res.body.detail.find((d: Json) => d.path === `body.${field}`);
        assert.equal(item?.error_type, 'unsupported_by_tsp', `${field}: ${res.text}`);
        assert.match(item.message, /Samsara documents no way to clear/);
      }
      assert.equal((await c.requests()).length, before);
      assert.equal((await driver(op.source_id)).notes, 'night shifts');
    });

    test('hos_ruleset_code: null is the documented clear: the override is deleted at Samsara', async () => {
      const op = await create({ hos_ruleset_code: 'US_INT_PROP_70_8' });
      assert.equal((await driver(op.source_id)).usDriverRulesetOverride?.cycle, 'USA Property (8/70)');
      const res = await patch(op.resource_id, { hos_ruleset_code: null });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
      assert.equal('usDriverRulesetOverride' in (await driver(op.source_id)), false);
    });
  });
}
