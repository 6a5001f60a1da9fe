// `fleetgate operations list|show|retry|cancel` as an operator runs it: a real CLI process against a
// fleetgate on port 0, the token from FLEETGATE_ADMIN_TOKEN only, never printed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { instantOf } from '../src/main/operations-cli.ts';
import { createProgress } from '../src/main/progress.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection } from './helpers/motive.ts';
import { runCli } from './helpers/proc.ts';

const ADMIN = 'cli-operations-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN}` };

describe('progress on stderr', () => {
  test('a terminal gets one bar redrawn in place, ended by a newline', () => {
    let out = '';
    const p = createProgress({ isTTY: true, columns: 200, write: (s: string) => (out += s) }, 2, 'retried');
    p.tick(true, 'retried a');
    p.tick(false, 'refused b');
    p.done();
    assert.ok(!out.slice(0, -1).includes('\n'), 'one line');
    assert.equal(out.split('\r').length, 3, 'drawn, then redrawn once per item');
    assert.match(out, /\[#{30}\] 2\/2 retried 1, refused 1\n$/);
  });
  test('anything else gets one plain line per item, no control characters', () => {
    let out = '';
    const p = createProgress({ write: (s: string) => (out += s) }, 2, 'retried');
    p.tick(true, 'retried a');
    p.tick(false, 'refused b: 409');
    p.done();
    assert.equal(out, '[1/2] retried a\n[2/2] refused b: 409\n');
  });
  test('--since takes a duration back from now, or passes an instant through for the server to check', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    assert.equal(instantOf('1h', now), '2026-12-01T11:00:00.000Z');
    assert.equal(instantOf('90m', now), '2026-12-01T10:30:00.000Z');
    assert.equal(instantOf('2d', now), '2026-11-29T12:00:00.000Z');
    assert.equal(instantOf('2026-11-30T00:00:00Z', now), '2026-11-30T00:00:00Z');
  });
});

for (const kind of testDbKinds()) {
  describe(`fleetgate operations against a running server (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    let m: MotiveFixture;
    const ids = { ok: '', failed: [] as string[], pending: '' };
    const outputs: string[] = [];

    const run = async (args: string[], env: Record<string, string> = { FLEETGATE_ADMIN_TOKEN: ADMIN }) => {
      const res = await runCli(['operations', ...args, '--url', t.url], env);
      outputs.push(res.stdout, res.stderr);
      return res;
    };
    const sync = async (lastName: string) =>
      (await call(t, 'POST', '/v2/telematics/users?is_sync=true', { token: p.token, json: { connection_id: m.connectionId, first_name: 'Cli', last_name: lastName, phone_country_code: '+1' } })).body;

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_ADMIN_TOKEN: ADMIN } });
      p = await newPartner(t);
      m = await motiveConnection(t, p, { rate_limit_per_minute: 100_000 });
      ids.ok = (await sync('Ok')).id;
      for (const name of ['Bad-1', 'Bad-2']) {
        await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'Validation failed: Phone is invalid' } });
        const op = await sync(name);
        assert.equal(op.status, 'failed');
        ids.failed.push(op.id);
      }
      // No worker runs: this one stays pending.
      ids.pending = (await call(t, 'POST', '/v2/telematics/users', { token: p.token, json: { connection_id: m.connectionId, first_name: 'Cli', last_name: 'Queued', phone_country_code: '+1' } })).body.id;
    });
    after(async () => {
      // Whatever was asked, the token itself never reached the output.
      for (const text of outputs) assert.ok(!text.includes(ADMIN), 'the admin token was printed');
      await t?.close();
    });

    test('list: --json is the API page; the table has a row per operation; filters go to the API', async () => {
      const all = await run(['list', '--json']);
      assert.equal(all.code, 0, all.stderr);
      const page = JSON.parse(all.stdout);
      assert.equal(page.total, 4);
      assert.deepEqual(page.items.map((o: { id: string }) => o.id).sort(), [ids.ok, ...ids.failed, ids.pending].sort());

      const failed = await run(['list', '--status', 'failed', '--resource', 'user', '--tsp', 'motive', '--partner', p.partnerId, '--since', '1h']);
      assert.equal(failed.code, 0, failed.stderr);
      const lines = failed.stdout.trim().split('\n');
      assert.match(lines[0]!, /^ID +CREATED +STATUS +TSP +RESOURCE +OP +ATTEMPTS +PARTNER +LAST ERROR$/);
      assert.equal(lines.length, 4, failed.stdout);
      for (const id of ids.failed) assert.ok(lines.some((l) => l.startsWith(id) && /failed +motive +user +create +1 /.test(l) && l.includes('validation 422')), failed.stdout);
      assert.equal(lines.at(-1), '2 of 2');

      const paged = await run(['list', '--size', '1']);
      assert.match(paged.stdout, /1 of 4; next page: --cursor \S+/);
    });

    test('show: the operation and a row per attempt; --json is the API read', async () => {
      const res = await run(['show', ids.failed[0]!]);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, new RegExp(`^id: +${ids.failed[0]}$`, 'm'));
      assert.match(res.stdout, new RegExp(`^partner: +${p.partnerId}$`, 'm'));
      assert.match(res.stdout, /^attempts \(1\):\n# +AT +RESULT +HTTP +CLASS +MS +DETAILS\n1 +\S+ \S+ +failed +422 +validation +\d+ +Validation failed: Phone is invalid$/m);
      const json = await run(['show', ids.ok, '--json']);
      assert.equal(JSON.parse(json.stdout).status, 'success');
      const missing = await run(['show', '00000000-0000-4000-8000-000000000000']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /404 Resource operation not found/);
    });

    test('the token comes from FLEETGATE_ADMIN_TOKEN only; a wrong one is refused by the server', async () => {
      const none = await run(['list'], {});
      assert.equal(none.code, 1);
      assert.match(none.stderr, /set FLEETGATE_ADMIN_TOKEN/);
      const argv = await run(['list', '--admin-token', ADMIN], {});
      assert.equal(argv.code, 1);
      assert.match(argv.stderr, /unknown option '--admin-token'/);
      const wrong = await run(['list'], { FLEETGATE_ADMIN_TOKEN: 'not-the-servers-token' });
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /401 .*is FLEETGATE_ADMIN_TOKEN the server's/);
      // A server without an operator API says so (a second app on its own database: PGlite only, as
      // PostgreSQL's would be emptied under this suite's rows).
      if (kind === 'pglite') {
        const off = await startTestApp(kind);
        try {
          const res = await runCli(['operations', 'list', '--url', off.url], { FLEETGATE_ADMIN_TOKEN: ADMIN });
          outputs.push(res.stdout, res.stderr);
          assert.equal(res.code, 1);
          assert.match(res.stderr, /404 Route GET \/admin\/v1\/resource-operations not found \(is FLEETGATE_ADMIN_TOKEN set on the server\?\)/);
        } finally {
          await off.close();
        }
      }
    });

    test("bad filters: the CLI's own choices, and the server's 422 named", async () => {
      const status = await run(['list', '--status', 'sideways']);
      assert.equal(status.code, 1);
      assert.match(status.stderr, /--status <status>' argument 'sideways' is invalid/);
      const window = await run(['list', '--since', '60d']);
      assert.equal(window.code, 1);
      assert.match(window.stderr, /422 .*query\.from_datetime: to_datetime - from_datetime cannot exceed 45 days/);
    });

    test('bulk retry --status failed --since 1h: each failed one retried, progress on stderr, the result on stdout', async () => {
      const unselected = await run(['retry', '--since', '1h']);
      assert.equal(unselected.code, 1);
      assert.match(unselected.stderr, /give operation ids, or select them with --status failed/);

      const res = await run(['retry', '--status', 'failed', '--since', '1h', '--json']);
      assert.equal(res.code, 0, res.stderr);
      const out = JSON.parse(res.stdout);
      assert.deepEqual(out.retried.sort(), [...ids.failed].sort());
      assert.deepEqual(out.refused, []);
      // Not a terminal: one plain line per operation.
      const lines = res.stderr.trim().split('\n');
      assert.equal(lines.length, 2, res.stderr);
      lines.forEach((l, i) => assert.match(l, new RegExp(`^\\[${i + 1}/2\\] retried [0-9a-f-]{36}$`)));
      assert.deepEqual(lines.map((l) => l.split(' ').at(-1)).sort(), [...ids.failed].sort());
      for (const id of ids.failed) assert.equal((await call(t, 'GET', `/admin/v1/resource-operations/${id}`, { headers: admin })).body.status, 'pending');
    });

    test('cancel by id: the pending ones cancelled, an ended one refused with the 409, exit 1', async () => {
      const res = await run(['cancel', ids.pending, ids.failed[0]!, ids.ok]);
      assert.equal(res.code, 1);
      assert.match(res.stdout, /^cancelled 2 of 3, refused 1:\n {2}\S+: 409 Only a pending operation/);
      assert.ok(res.stdout.includes(ids.ok));
      for (const id of [ids.pending, ids.failed[0]!]) assert.equal((await call(t, 'GET', `/admin/v1/resource-operations/${id}`, { headers: admin })).body.status, 'failed');
      assert.equal((await run(['cancel', 'not-an-id'])).code, 1, 'ids are checked before anything is sent');
    });
  });
}
