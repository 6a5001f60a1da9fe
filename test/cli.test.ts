// The `fleetgate` command as an operator uses it, in real processes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { SCOPES } from '../src/accounts/scopes.ts';
import { call } from './helpers/app.ts';
import { cli, runCli, serve } from './helpers/proc.ts';

const ADMIN = 'cli-admin-token-0123456789';
const dirs: string[] = [];
const tmpDataDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetgate-cli-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const token = (url: string, id: string, secret: string) =>
  call({ url }, 'POST', '/oauth/token', { form: { grant_type: 'client_credentials', client_id: id, client_secret: secret } });

describe('fleetgate serve on the embedded database', () => {
  test('first start creates the demo, a second process is refused, the CLI works through the running server, a restart reuses the data', async () => {
    const dataDir = tmpDataDir();
    const env = { FLEETGATE_DATA_DIR: dataDir, FLEETGATE_ADMIN_TOKEN: ADMIN };
    const first = await serve(env);
    try {
      // The start says that the sandboxes are served, and why.
      const notice = JSON.parse(await first.waitFor(/"msg":"sandboxes /));
      assert.equal(notice.msg, 'sandboxes served under /sandbox/<tsp>: the embedded database is the zero-setup demo (FLEETGATE_SANDBOXES=false turns them off)');
      assert.equal(notice.sandboxes, true);
      const demo = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo.json'), 'utf8'));
      assert.match(first.stdout(), new RegExp(`client_id: +${demo.client_id}`));
      assert.match(first.stdout(), /curl -s .*\/oauth\/token/);
      assert.equal((await token(first.url, demo.client_id, demo.client_secret)).status, 200);
      assert.ok(fs.existsSync(path.join(dataDir, 'encryption.key')));

      // The demo's connection to the built-in Motive sandbox works, as the walk-through shows.
      assert.match(demo.connection_id, /^[0-9a-f-]{36}$/);
      // The demo's own operations, for the console to show: the driver, the truck, and the driver again,
      // which Motive refuses (its username is taken).
      const demoToken = (await token(first.url, demo.client_id, demo.client_secret)).body.access_token;
      let demoOps: Array<{ status: string; resource: string; logs: Array<{ error_details: string | null }> }> = [];
      for (let i = 0; i < 100; i++) {
        demoOps = (await call({ url: first.url }, 'GET', '/v2/integrations/connections/resource-operations', { token: demoToken })).body.items;
        if (demoOps.length === 3 && demoOps.every((o) => o.status !== 'pending')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(demoOps.map((o) => `${o.resource} ${o.status}`), ['user success', 'vehicle success', 'user failed']);
      assert.match(demoOps[2]!.logs[0]!.error_details ?? '', /Username has already been taken/);
      assert.match(first.stdout(), /Operations console: http:\/\/127\.0\.0\.1:\d+\/console/);
      assert.match(first.stdout(), /is_sync=true/);
      const tok = (await token(first.url, demo.client_id, demo.client_secret)).body.access_token;
      const write = await call({ url: first.url }, 'POST', '/v2/telematics/users?is_sync=true', {
        token: tok,
        json: { connection_id: demo.connection_id, first_name: 'Ada', last_name: 'Lovelace', username: 'ada.cli', phone_country_code: '+1' },
      });
      assert.equal(write.status, 200, write.text);
      assert.equal(write.body.status, 'success');
      // Every write the walk-through prints works as printed: its JSON bodies, sent to their paths.
      const printed = [...first.stdout().matchAll(/curl -s "[^"]*(\/v2\/telematics\/\w+)\?is_sync=true"[\s\S]*?-d '(\{.*\})'/g)];
      assert.deepEqual(printed.map((p) => p[1]), ['/v2/telematics/users', '/v2/telematics/vehicles']);
      for (const [, route, json] of printed) {
        const res = await call({ url: first.url }, 'POST', `${route}?is_sync=true`, { token: tok, raw: json! });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.status, 'success', res.text);
        if (route.endsWith('vehicles')) assert.deepEqual(res.body.dropped_fields, [], 'the demo vehicle has only fields Motive stores');
      }
      // The background worker runs in the same process: an async write completes without anything else.
      const queued = await call({ url: first.url }, 'POST', '/v2/telematics/users', {
        token: tok,
        json: { connection_id: demo.connection_id, first_name: 'Bob', last_name: 'Queued', phone_country_code: '+1' },
      });
      assert.equal(queued.status, 202);
      let status = 'pending';
      for (let i = 0; i < 100 && status === 'pending'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const op = await call({ url: first.url }, 'GET', `/v2/integrations/connections/${demo.connection_id}/resource-operations/${queued.body.id}`, { token: tok });
        status = op.body.status;
      }
      assert.equal(status, 'success');

      // The lock: a second process on the same directory refuses, clearly.
      const second = await runCli(['serve'], { ...env, PORT: '0' });
      assert.equal(second.code, 1);
      assert.match(second.stderr, /in use by another fleetgate process \(pid \d+, serving http:\/\/127\.0\.0\.1:\d+\)/);

      // Partner and client management goes through the running server's operator API.
      const created = await runCli(['clients', 'create', '--partner', demo.partner_id, '--scope', 'telematics:read'], env);
      assert.equal(created.code, 0, created.stderr);
      const client = JSON.parse(created.stdout);
      assert.deepEqual(client.scopes, ['telematics:read']);
      assert.equal((await token(first.url, client.client_id, client.client_secret)).body.scope, 'telematics:read');

      // Without the admin token the CLI explains what to do instead of failing obscurely.
      const refused = await runCli(['partners', 'create', '--name', 'X'], { FLEETGATE_DATA_DIR: dataDir });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /held by a running fleetgate .*--admin-token/s);
    } finally {
      assert.equal(await first.stop(), 0);
    }
    assert.ok(!fs.existsSync(path.join(dataDir, 'fleetgate.lock')), 'lock released on shutdown');

    // Stopped: the CLI opens the database itself. One partner (the demo's) so far.
    const list = await runCli(['partners', 'list'], { FLEETGATE_DATA_DIR: dataDir });
    assert.equal(list.code, 0, list.stderr);
    assert.equal(JSON.parse(list.stdout).items.length, 1);

    const demoBefore = fs.readFileSync(path.join(dataDir, 'demo.json'), 'utf8');
    const again = await serve({ FLEETGATE_DATA_DIR: dataDir });
    try {
      const demo = JSON.parse(demoBefore);
      const tok = await token(again.url, demo.client_id, demo.client_secret);
      assert.equal(tok.status, 200, 'data survived the restart');
      // The sandbox account survived too (its state is kept in the data directory).
      const users = await call({ url: again.url }, 'GET', '/v2/telematics/users', { token: tok.body.access_token });
      // Ada and Bob above, the walk-through's user and the demo's driver (its second write was refused).
      assert.equal(users.body.items.length, 4);
      const vehicles = await call({ url: again.url }, 'GET', '/v2/telematics/vehicles', { token: tok.body.access_token });
      assert.equal(vehicles.body.items.length, 2, "the walk-through's truck and the demo's");
      const check = await call({ url: again.url }, 'POST', '/v2/telematics/users?is_sync=true', {
        token: tok.body.access_token,
        json: { connection_id: demo.connection_id, first_name: 'Cy', last_name: 'After', phone_country_code: '+1' },
      });
      assert.equal(check.body.status, 'success', check.text);
      assert.equal(fs.readFileSync(path.join(dataDir, 'demo.json'), 'utf8'), demoBefore);
      assert.match(again.stdout(), new RegExp(demo.client_id));
    } finally {
      await again.stop();
    }
    const after = await runCli(['partners', 'list'], { FLEETGATE_DATA_DIR: dataDir });
    assert.equal(JSON.parse(after.stdout).items.length, 1, 'no second demo partner');
  });

  test('an unreadable lock file is treated as held, never guessed stale', async () => {
    const dataDir = tmpDataDir();
    fs.writeFileSync(path.join(dataDir, 'fleetgate.lock'), '{"pid": 12');
    const r = await runCli(['serve'], { FLEETGATE_DATA_DIR: dataDir, PORT: '0' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /has a lock file that cannot be read/);
  });

  test('FLEETGATE_SANDBOXES=false serves no sandbox and makes no demo connection', async () => {
    const dataDir = tmpDataDir();
    const s = await serve({ FLEETGATE_DATA_DIR: dataDir, FLEETGATE_SANDBOXES: 'false' });
    try {
      assert.equal(JSON.parse(await s.waitFor(/"msg":"sandboxes /)).msg, 'sandboxes not served: FLEETGATE_SANDBOXES=false');
      const res = await call({ url: s.url }, 'POST', '/sandbox/motive/_sandbox/accounts');
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 404);
      const demo = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo.json'), 'utf8'));
      assert.equal(demo.connection_id, undefined);
    } finally {
      await s.stop();
    }
  });

  test('a stale lock left by a dead process does not block a start', async () => {
    const dataDir = tmpDataDir();
    fs.writeFileSync(path.join(dataDir, 'fleetgate.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, started_at: 'x' }));
    const s = await serve({ FLEETGATE_DATA_DIR: dataDir });
    assert.equal(await s.stop(), 0);
  });
});

describe('configuration is checked at boot', () => {
  test('a bad PORT stops start with a message naming it', async () => {
    const r = await runCli(['serve'], { PORT: 'eighty', FLEETGATE_DATA_DIR: tmpDataDir() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /invalid configuration:\n {2}PORT: /);
  });
  test('DATABASE_URL without FLEETGATE_ENCRYPTION_KEY is refused', async () => {
    const r = await runCli(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /FLEETGATE_ENCRYPTION_KEY: is required when DATABASE_URL is set/);
  });
  test('an encryption key of the wrong size is refused', async () => {
    const r = await runCli(['migrate'], { FLEETGATE_ENCRYPTION_KEY: 'c2hvcnQ=', FLEETGATE_DATA_DIR: tmpDataDir() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /FLEETGATE_ENCRYPTION_KEY: must be 32 bytes/);
  });
});

describe('fleetgate openapi', () => {
  test('prints the OpenAPI 3.1 document without a database', async () => {
    const r = await runCli(['openapi'], {});
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/oauth/token']);
  });
  test('--help lists the commands', async () => {
    const r = await runCli(['--help'], {});
    const commands = r.stdout
      .split('Commands:')[1]!
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0])
      .filter(Boolean);
    for (const c of ['serve', 'worker', 'migrate', 'partners', 'clients', 'openapi', 'simulate']) assert.ok(commands.includes(c), `${c} in ${commands}`);
  });
  test('simulate motive serves the sandbox on its own', async () => {
    const p = cli(['simulate', 'motive', '--port', '0'], {});
    try {
      const line = await p.waitFor(/motive sandbox listening at/);
      const url = line.split(' at ')[1]!.trim();
      const account = await call({ url }, 'POST', '/_sandbox/accounts');
      assert.equal(account.status, 201);
      const users = await call({ url }, 'GET', '/v1/users', { headers: { 'x-api-key': account.body.api_key } });
      assert.equal(users.status, 200);
      assert.deepEqual(users.body.users, []);
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  });
});

describe('PostgreSQL deployment', { skip: !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL not set' }, () => {
  test('concurrent migrate processes take turns; serve applies the bootstrap client', async () => {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    const dbName = `fleetgate_cli_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${dbName}`);
    try {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${dbName}`;
      const env = { DATABASE_URL: url.toString(), FLEETGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
      const results = await Promise.all([runCli(['migrate'], env), runCli(['migrate'], env), runCli(['migrate'], env)]);
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const check = new pg.Client({ connectionString: url.toString() });
      await check.connect();
      const rows = (await check.query('SELECT name FROM fleetgate_migrations')).rows;
      const files = fs.readdirSync(path.resolve('migrations')).filter((f) => f.endsWith('.sql'));
      assert.equal(rows.length, files.length, 'each migration applied exactly once');
      await check.end();

      // On PostgreSQL the sandboxes are served only when asked for.
      const s = await serve({ ...env, FLEETGATE_SANDBOXES: 'true', FLEETGATE_BOOTSTRAP_CLIENT_ID: 'ops-client', FLEETGATE_BOOTSTRAP_CLIENT_SECRET: 'ops-secret-0123456789' }, [
        '--no-worker',
      ]);
      try {
        const res = await token(s.url, 'ops-client', 'ops-secret-0123456789');
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.scope.split(' ').sort(), [...SCOPES].sort());
        assert.doesNotMatch(s.stdout(), /ops-secret/, 'the bootstrap secret is never printed');

        // A separate worker process reaches the API's built-in sandbox through FLEETGATE_PUBLIC_URL.
        const tok = res.body.access_token;
        const account = await call({ url: s.url }, 'POST', '/sandbox/motive/_sandbox/accounts');
        const conn = await call({ url: s.url }, 'POST', '/v2/integrations/connections', {
          token: tok,
          json: { tsp: 'motive', sandbox: true, credentials: { api_key: account.body.api_key } },
        });
        assert.equal(conn.status, 200, conn.text);
        const op = await call({ url: s.url }, 'POST', '/v2/telematics/users', {
          token: tok,
          json: { connection_id: conn.body.id, first_name: 'Wo', last_name: 'Rker', phone_country_code: '+1' },
        });
        assert.equal(op.status, 202);
        const worker = cli(['worker', '--concurrency', '2'], { ...env, FLEETGATE_PUBLIC_URL: s.url });
        try {
          let status = 'pending';
          for (let i = 0; i < 150 && status === 'pending'; i++) {
            await new Promise((r) => setTimeout(r, 100));
            status = (await call({ url: s.url }, 'GET', `/v2/integrations/connections/${conn.body.id}/resource-operations/${op.body.id}`, { token: tok })).body.status;
          }
          assert.equal(status, 'success');
        } finally {
          worker.child.kill('SIGTERM');
          assert.equal(await worker.exited, 0);
        }
      } finally {
        assert.equal(await s.stop(), 0);
      }

      // The same deployment without FLEETGATE_SANDBOXES: none is served, and it says so.
      const bare = await serve({ ...env, FLEETGATE_BOOTSTRAP_CLIENT_ID: 'ops-client', FLEETGATE_BOOTSTRAP_CLIENT_SECRET: 'ops-secret-0123456789' }, ['--no-worker']);
      try {
        const notice = JSON.parse(await bare.waitFor(/"msg":"sandboxes /));
        assert.equal(notice.msg, 'sandboxes not served: DATABASE_URL is set, so this is not the embedded demo (FLEETGATE_SANDBOXES=true serves them)');
        assert.equal(notice.sandboxes, false);
        const account = await call({ url: bare.url }, 'POST', '/sandbox/motive/_sandbox/accounts');
        assert.equal(account.status, 404);
        const tok = (await token(bare.url, 'ops-client', 'ops-secret-0123456789')).body.access_token;
        const conn = await call({ url: bare.url }, 'POST', '/v2/integrations/connections', {
          token: tok,
          json: { tsp: 'motive', sandbox: true, credentials: { api_key: 'any' } },
        });
        assert.equal(conn.status, 422, conn.text);
        assert.equal(conn.body.detail[0].error_type, 'sandboxes_disabled');
        assert.match(conn.body.detail[0].message, /FLEETGATE_SANDBOXES=true/);
      } finally {
        assert.equal(await bare.stop(), 0);
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  });
});
