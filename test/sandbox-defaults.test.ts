// The built-in sandboxes let anyone create accounts and state, so they are served by default only on
// the embedded database (the zero-setup demo), or where FLEETGATE_SANDBOXES=true asks for them. Where
// they are not served, no /sandbox route exists and a `sandbox: true` connection is refused, naming
// the setting.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { sandboxesNotice } from '../src/main/server.ts';
import { parseConfig } from '../src/platform/config.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';

const KEY = randomBytes(32).toString('base64');
const PG = { DATABASE_URL: 'postgres://fleetgate@db.internal:5432/fleetgate', FLEETGATE_ENCRYPTION_KEY: KEY };

describe('FLEETGATE_SANDBOXES', () => {
  test('defaults to served on the embedded database and not served with DATABASE_URL; a setting decides either way', () => {
    const cases: Array<[Record<string, string>, boolean, 'setting' | 'default', string]> = [
      [{}, true, 'default', 'sandboxes served under /sandbox/<tsp>: the embedded database is the zero-setup demo (FLEETGATE_SANDBOXES=false turns them off)'],
      [PG, false, 'default', 'sandboxes not served: DATABASE_URL is set, so this is not the embedded demo (FLEETGATE_SANDBOXES=true serves them)'],
      [{ ...PG, FLEETGATE_SANDBOXES: 'true' }, true, 'setting', 'sandboxes served under /sandbox/<tsp>: FLEETGATE_SANDBOXES=true'],
      [{ FLEETGATE_SANDBOXES: 'false' }, false, 'setting', 'sandboxes not served: FLEETGATE_SANDBOXES=false'],
      // An empty value is unset, as everywhere else in the configuration.
      [{ ...PG, FLEETGATE_SANDBOXES: '' }, false, 'default', 'sandboxes not served: DATABASE_URL is set, so this is not the embedded demo (FLEETGATE_SANDBOXES=true serves them)'],
    ];
    for (const [env, sandboxes, setBy, notice] of cases) {
      const config = parseConfig(env);
      assert.deepEqual([config.sandboxes, config.sandboxesSetBy, sandboxesNotice(config)], [sandboxes, setBy, notice], JSON.stringify(env));
    }
    assert.throws(() => parseConfig({ FLEETGATE_SANDBOXES: 'sometimes' }), /FLEETGATE_SANDBOXES/);
  });
});

for (const kind of testDbKinds()) {
  describe(`sandboxes on a deployment with DATABASE_URL (${kind})`, () => {
    // The app is handed sandbox states, as a caller could; the configuration still decides.
    test('without FLEETGATE_SANDBOXES: no sandbox route, and sandbox connections are refused with 422 naming the setting', async () => {
      const t = await startTestApp(kind, { env: PG });
      try {
        assert.equal(t.services.config.sandboxes, false);
        for (const tsp of ['motive', 'samsara', 'geotab']) {
          const res = await call(t, 'POST', `/sandbox/${tsp}/_sandbox/accounts`);
          assert.equal(res.status, 404, tsp);
        }
        const p = await newPartner(t);
        const conn = await call(t, 'POST', '/v2/integrations/connections', {
          token: p.token,
          json: { tsp: 'motive', sandbox: true, credentials: { api_key: 'any-key' } },
        });
        assert.equal(conn.status, 422, conn.text);
        assert.deepEqual(conn.body.detail, [
          {
            path: 'body.sandbox',
            input: 'true',
            message: 'this deployment does not serve the built-in sandboxes; an operator can serve them with FLEETGATE_SANDBOXES=true',
            error_type: 'sandboxes_disabled',
          },
        ]);
      } finally {
        await t.close();
      }
    });

    test('with FLEETGATE_SANDBOXES=true: served, and sandbox connections work', async () => {
      const t = await startTestApp(kind, { env: { ...PG, FLEETGATE_SANDBOXES: 'true' } });
      try {
        const account = await call(t, 'POST', '/sandbox/motive/_sandbox/accounts');
        assert.equal(account.status, 201);
        const p = await newPartner(t);
        const conn = await call(t, 'POST', '/v2/integrations/connections', {
          token: p.token,
          json: { tsp: 'motive', sandbox: true, credentials: { api_key: account.body.api_key } },
        });
        assert.equal(conn.status, 200, conn.text);
      } finally {
        await t.close();
      }
    });
  });
}
