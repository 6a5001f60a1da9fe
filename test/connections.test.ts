// Connections API over HTTP with the built-in Motive sandbox: credential checking, sealing, masking,
// pagination, partner isolation and the TSP catalogue. Catena's shapes (tsp_id bodies, fleets, filters,
// the catalogue's pages) are in test/connections-catena.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { USER_ATTRIBUTE_NAMES } from '../src/contract/resources/users.ts';
import { RESOURCES } from '../src/contract/enums.ts';
import { startMotiveSandbox } from '../src/sandbox/motive/index.ts';
import { testDbKinds } from './helpers/db.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';

/** A problem's path as text (an array before Catena's string paths). */
export async function sandboxAccount(t: { url: string }, prefix = '/sandbox/motive'): Promise<string> {
  const res = await call(t, 'POST', `${prefix}/_sandbox/accounts`);
  assert.equal(res.status, 201);
  return res.body.api_key;
}

for (const kind of testDbKinds()) {
  describe(`connections (${kind})`, () => {
    let t: TestApp;
    let a: Partner;
    let b: Partner;
    let standalone: Awaited<ReturnType<typeof startMotiveSandbox>>;

    before(async () => {
      t = await startTestApp(kind);
      a = await newPartner(t);
      b = await newPartner(t);
      standalone = await startMotiveSandbox({ port: 0 });
    });
    after(async () => {
      await t?.close();
      await standalone?.close();
    });

    const create = (p: Partner, body: unknown) => call(t, 'POST', '/v2/integrations/connections', { token: p.token, json: body });

    test('creates a sandbox connection: credentials checked, sealed at rest, masked on read', async () => {
      const key = await sandboxAccount(t);
      const res = await create(a, { tsp: 'motive', sandbox: true, credentials: { api_key: key }, fleet_ref: 'fleet-1', description: 'Demo fleet' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.tsp, 'motive');
      assert.equal(res.body.source_name, 'motive');
      assert.equal(res.body.fleet_ref, 'fleet-1');
      assert.match(res.body.fleet_id, /^[0-9a-f-]{36}$/);
      assert.equal(res.body.status, 'active');
      assert.equal(res.body.sandbox, true);
      assert.deepEqual(res.body.credentials, { api_key: `****${key.slice(-4)}` });
      assert.ok(!res.text.includes(key));

      const got = await call(t, 'GET', `/v2/integrations/connections/${res.body.id}`, { token: a.token });
      assert.equal(got.status, 200);
      assert.ok(!got.text.includes(key));

      // The stored row: sealed, no clear-text key in any column.
      const rows = await t.database.withSession((q) => q(`SELECT * FROM connections WHERE id = '${res.body.id}'`));
      assert.equal(rows.length, 1);
      assert.ok(!JSON.stringify(rows[0]).includes(key), 'clear-text key in the row');
      assert.match(String(rows[0]!.credentials_sealed), /^v1\./);
      if (t.database.dumpDataDir) {
        const dump = Buffer.from(await (await t.database.dumpDataDir()).arrayBuffer());
        assert.equal(dump.indexOf(key), -1, 'clear-text key in the database files');
      }
    });

    test('the credentials check asked the TSP', async () => {
      const key = await sandboxAccount(t);
      await create(a, { tsp: 'motive', sandbox: true, credentials: { api_key: key } });
      const seen = await call(t, 'GET', '/sandbox/motive/_sandbox/requests', { headers: { 'x-api-key': key } });
      assert.ok(seen.body.requests.some((r: { path: string; status: number }) => r.path.startsWith('/v1/users') && r.status === 200));
    });

    test('bad credentials are refused with 422 invalid_credentials and nothing is stored', async () => {
      const before = await call(t, 'GET', '/v2/integrations/connections', { token: a.token });
      const res = await create(a, { tsp: 'motive', sandbox: true, credentials: { api_key: 'motive_sbx_not-a-real-key' } });
      assert.equal(res.status, 422);
      assert.equal(res.body.detail[0].error_type, 'invalid_credentials');
      assert.equal(res.body.detail[0].path, 'body.credentials');
      assert.ok(!res.text.includes('not-a-real-key'), 'credentials echoed');
      const afterList = await call(t, 'GET', '/v2/integrations/connections', { token: a.token });
      assert.equal(afterList.body.items.length, before.body.items.length);
    });

    test('an access_token works as Motive OAuth credentials against a base_url', async () => {
      const key = await sandboxAccount(standalone, '');
      const res = await create(a, { tsp: 'motive', base_url: `${standalone.url}/`, credentials: { access_token: key } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.base_url, standalone.url);
      assert.equal(res.body.sandbox, false);
    });

    test('a base_url on a loopback or private address is refused unless the operator allows it', async () => {
      // A setting, not a database matter: PGlite (a second app on the shared PostgreSQL test database
      // would empty it under this suite's feet).
      const strict = await startTestApp('pglite', { env: { FLEETGATE_ALLOW_PRIVATE_URLS: 'false' } });
      try {
        const q = await newPartner(strict);
        const key = await sandboxAccount(standalone, '');
        for (const base_url of [standalone.url, 'http://10.1.2.3', 'http://169.254.169.254', 'http://[::1]:8080', 'http://localhost:9']) {
          const res = await call(strict, 'POST', '/v2/integrations/connections', { token: q.token, json: { tsp: 'motive', base_url, credentials: { api_key: key } } });
          assert.equal(res.status, 422, base_url);
          assert.equal(res.body.detail[0].error_type, 'private_address', base_url);
        }
        // The built-in sandbox is the deployment's own, and stays available.
        const own = await call(strict, 'POST', '/v2/integrations/connections', {
          token: q.token,
          json: { tsp: 'motive', sandbox: true, credentials: { api_key: await sandboxAccount(strict) } },
        });
        assert.equal(own.status, 200, own.text);
        const hook = await call(strict, 'POST', '/v2/notifications/webhooks', { token: q.token, json: { url: 'http://127.0.0.1:9/hook', event_name: 'resource_operation.created' } });
        assert.equal(hook.status, 422);
      } finally {
        await strict.close();
      }
    });

    test('a failed credential check reports the status, never the body the endpoint sent', async () => {
      const res = await create(a, { tsp: 'motive', base_url: `${standalone.url}/nowhere`, credentials: { api_key: 'k' } });
      assert.equal(res.status, 422);
      assert.match(res.body.detail[0].message, /answered HTTP \d{3}/);
      assert.doesNotMatch(res.text, /Not Found|error_message/);
    });

    test('malformed connection bodies are 422 with the path', async () => {
      const key = await sandboxAccount(t);
      const cases: Array<[unknown, string]> = [
        [{ tsp: 'teletrac', sandbox: true, credentials: { api_key: key } }, 'body.tsp'],
        [{ tsp: 'motive', sandbox: true, credentials: {} }, 'body.credentials'],
        [{ tsp: 'motive', sandbox: true, credentials: { api_key: key, access_token: key } }, 'body.credentials'],
        [{ tsp: 'motive', sandbox: true, base_url: 'https://api.gomotive.com', credentials: { api_key: key } }, 'body.base_url'],
        [{ tsp: 'motive', base_url: 'ftp://x', credentials: { api_key: key } }, 'body.base_url'],
        [{ tsp: 'motive', base_url: 'https://api.gomotive.com/private#', credentials: { api_key: key } }, 'body.base_url'],
        [{ tsp: 'motive', base_url: 'https://user:pw@api.gomotive.com', credentials: { api_key: key } }, 'body.base_url'],
        [{ tsp: 'motive', base_url: 'https://api.gomotive.com/?x=1', credentials: { api_key: key } }, 'body.base_url'],
        [{ tsp: 'motive', sandbox: 'yes', credentials: { api_key: key } }, 'body.sandbox'],
        [{ sandbox: true, credentials: { api_key: key } }, 'body.tsp_id'],
      ];
      for (const [body, path] of cases) {
        const res = await create(a, body);
        assert.equal(res.status, 422, `${JSON.stringify(body)} → ${res.status} ${res.text}`);
        assert.ok(
          res.body.detail.some((d: { path: string }) => d.path.startsWith(path)),
          `${JSON.stringify(body)}: ${JSON.stringify(res.body.detail)}`,
        );
      }
    });

    test('another partner sees none of it: 404 on read, update and delete, absent from lists', async () => {
      const key = await sandboxAccount(t);
      const mine = await create(a, { tsp: 'motive', sandbox: true, credentials: { api_key: key } });
      const id = mine.body.id;
      assert.equal((await call(t, 'GET', `/v2/integrations/connections/${id}`, { token: b.token })).status, 404);
      assert.equal((await call(t, 'PATCH', `/v2/integrations/connections/${id}`, { token: b.token, json: { description: 'x' } })).status, 404);
      assert.equal((await call(t, 'DELETE', `/v2/integrations/connections/${id}`, { token: b.token })).status, 404);
      const list = await call(t, 'GET', '/v2/integrations/connections', { token: b.token });
      assert.ok(!list.body.items.some((c: { id: string }) => c.id === id));
      assert.equal((await call(t, 'GET', `/v2/integrations/connections/${id}`, { token: a.token })).body.description, null);
    });

    test('update: description and rate limit; new credentials are checked; delete hides it', async () => {
      const key = await sandboxAccount(t);
      const c = await create(a, { tsp: 'motive', sandbox: true, credentials: { api_key: key } });
      const path = `/v2/integrations/connections/${c.body.id}`;
      const patched = await call(t, 'PATCH', path, { token: a.token, json: { description: 'Night shift', rate_limit_per_minute: 30, status: 'paused' } });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.description, 'Night shift');
      assert.equal(patched.body.rate_limit_per_minute, 30);
      assert.equal(patched.body.status, 'paused');
      const bad = await call(t, 'PATCH', path, { token: a.token, json: { credentials: { api_key: 'nope' } } });
      assert.equal(bad.status, 422);
      const key2 = await sandboxAccount(t);
      const good = await call(t, 'PATCH', path, { token: a.token, json: { credentials: { api_key: key2 } } });
      assert.equal(good.status, 200);
      assert.equal(good.body.credentials.api_key, `****${key2.slice(-4)}`);
      assert.equal((await call(t, 'DELETE', path, { token: a.token })).status, 204);
      assert.equal((await call(t, 'GET', path, { token: a.token })).status, 404);
    });

    test('list: keyset pagination over the partner’s connections', async () => {
      const p = await newPartner(t);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const key = await sandboxAccount(t);
        ids.push((await create(p, { tsp: 'motive', sandbox: true, credentials: { api_key: key }, fleet_ref: `f${i}` })).body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = cursor ? `?size=2&cursor=${cursor}` : '?size=2';
        const page = await call(t, 'GET', `/v2/integrations/connections${q}`, { token: p.token });
        assert.equal(page.status, 200);
        seen.push(...page.body.items.map((c: { id: string }) => c.id));
        cursor = page.body.next_page;
        pages++;
      } while (cursor);
      assert.deepEqual(seen, ids);
      assert.equal(pages, 3);
      const bad = await call(t, 'GET', '/v2/integrations/connections?cursor=garbage', { token: p.token });
      assert.equal(bad.status, 422);
      assert.equal((await call(t, 'GET', '/v2/integrations/connections?size=0', { token: p.token })).status, 422);
      assert.equal((await call(t, 'GET', '/v2/integrations/connections?size=1001', { token: p.token })).status, 422);
    });

    test('scopes: creating needs connection:create, reading connection:read', async () => {
      const reader = await newPartner(t, ['connection:read']);
      const res = await create(reader, { tsp: 'motive', sandbox: true, credentials: { api_key: 'x' } });
      assert.equal(res.status, 403);
      const writer = await newPartner(t, ['telematics:write']);
      assert.equal((await call(t, 'GET', '/v2/integrations/connections', { token: writer.token })).status, 403);
    });

    test('GET /v2/integrations/tsps: Motive writes users, per-field support from the adapter tables', async () => {
      const res = await call(t, 'GET', '/v2/integrations/tsps');
      assert.equal(res.status, 200);
      const motive = res.body.items.find((x: { tsp: string }) => x.tsp === 'motive');
      assert.deepEqual(motive.resources.user, { create: 'implemented', update: 'implemented' });
      assert.equal(Object.keys(motive.resources).length, RESOURCES.length);
      assert.deepEqual(Object.keys(motive.user_fields).sort(), [...USER_ATTRIBUTE_NAMES].sort());
      assert.equal(motive.user_fields.first_name, true);
      assert.equal(motive.user_fields.notes, false);
    });
  });
}
