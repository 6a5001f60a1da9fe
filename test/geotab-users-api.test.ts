// The Canadian HOS codes the Geotab adapter used to refuse on the false ground that Geotab had no such
// ruleset (issue 14), through the partner API: accepted at submit and written as Geotab's own value; a
// code Geotab still has no ruleset for stays a 422 unsupported_by_tsp.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { TspConnection } from './helpers/tsps.ts';
import { TSP_FIXTURES } from './helpers/tsps.ts';

const geotab = TSP_FIXTURES.find((f) => f.tsp === 'geotab')!;

for (const kind of testDbKinds()) {
  describe(`Geotab HOS rulesets through the API (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    let c: TspConnection;
    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
      p = await newPartner(t);
      c = await geotab.connect(t, p);
    });
    after(async () => t?.close());

    const body = (hos: string) => ({
      connection_id: c.connectionId,
      username: `u.${randomUUID().slice(0, 8)}@fleet.example`,
      first_name: 'Min',
      last_name: 'Lee',
      is_driver: true,
      hos_ruleset_code: hos,
    });

    for (const [code, native] of [
      ['CA_N60_NOHOS', 'NoneCanadaNorthOf60'],
      ['CA_N60_C1_TEAM', 'CanadaNorthOf60CycleOneTeam'],
      ['CA_S60_OIL', 'CanadaOil'],
    ] as const) {
      test(`${code} is written as ${native}`, async () => {
        const res = await call(t, 'POST', '/v2/telematics/users?is_sync=true', { token: p.token, json: body(code) });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
        assert.equal((await c.native(res.body.source_id)).hosRuleSet, native);
      });
    }

    test('a code Geotab has no ruleset for is still refused at submit', async () => {
      const res = await call(t, 'POST', '/v2/telematics/users', { token: p.token, json: body('CA_AB_PROV_PROP_70_7') });
      assert.equal(res.status, 422);
      const problem = res.body.detail.find((d: { path: string }) => d.path === 'body.hos_ruleset_code');
      assert.equal(problem.error_type, 'unsupported_by_tsp');
    });
  });
}
