// `fleetgate simulate <tsp>` servers (src/sandbox/kit/standalone.ts) answer a path with or without a
// trailing slash alike, as the main app that mounts the same sandboxes does: the vendors' own clients
// post to `/apiv1/` (Geotab's mg-api-js) or build paths that may end in one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGeotabSandbox } from '../src/sandbox/geotab/index.ts';
import { startMotiveSandbox } from '../src/sandbox/motive/index.ts';
import { startSamsaraSandbox } from '../src/sandbox/samsara/index.ts';

type Server = { url: string; close(): Promise<void> };
const servers: Server[] = [];
let geotab: Server;
let motive: Server;
let samsara: Server;
before(async () => {
  geotab = await startGeotabSandbox({ port: 0 });
  motive = await startMotiveSandbox({ port: 0 });
  samsara = await startSamsaraSandbox({ port: 0 });
  servers.push(geotab, motive, samsara);
});
after(async () => {
  for (const s of servers) await s.close();
});

async function account(base: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/_sandbox/accounts/`, { method: 'POST' });
  assert.equal(res.status, 201);
  return (await res.json()) as Record<string, string>;
}

describe('a trailing slash reaches the same route', () => {
  test('geotab: POST /apiv1/ authenticates as /apiv1 does', async () => {
    const a = await account(geotab.url);
    for (const path of ['/apiv1', '/apiv1/']) {
      const res = await fetch(`${geotab.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'Authenticate', params: { database: a.database, userName: a.userName, password: a.password } }),
      });
      assert.equal(res.status, 200, path);
      const body = (await res.json()) as { result?: { path: string } };
      assert.equal(body.result?.path, 'ThisServer', path);
    }
  });

  test('motive: GET /v1/users/ lists as /v1/users does', async () => {
    const { api_key } = await account(motive.url);
    for (const path of ['/v1/users', '/v1/users/']) {
      const res = await fetch(`${motive.url}${path}`, { headers: { 'x-api-key': api_key } });
      assert.equal(res.status, 200, path);
      assert.ok(Array.isArray(((await res.json()) as { users: unknown[] }).users), path);
    }
  });

  test('samsara: GET /fleet/drivers/ lists as /fleet/drivers does', async () => {
    const { access_token } = await account(samsara.url);
    for (const path of ['/fleet/drivers', '/fleet/drivers/']) {
      const res = await fetch(`${samsara.url}${path}`, { headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(res.status, 200, path);
      assert.ok(Array.isArray(((await res.json()) as { data: unknown[] }).data), path);
    }
  });
});
