// The reliability harness (bench/chaos.ts, `npm run chaos`) at CI size: 300 operations over two
// connections on PostgreSQL, an API process and two worker processes, sandbox faults (500, 429 with
// Retry-After, timeouts, lost responses), workers SIGKILLed every 2-4 s, mid-run every session of
// the run's database terminated for a second (what a PostgreSQL restart does to sessions, without
// stopping the cluster other databases share), and later one connection's key revoked at the TSP (the
// connection fails and holds its queue) and restored by a credential update (the queue is released).
// The harness's checks are the assertions.
// CHAOS_PG_RESTART=1 stops and starts the whole cluster instead (every database on the machine).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { formatReport, runChaos } from '../bench/chaos.ts';

const skip = !process.env.TEST_DATABASE_URL && 'needs PostgreSQL (TEST_DATABASE_URL)';

describe('reliability harness, CI size (PostgreSQL)', { skip }, () => {
  test('300 operations under faults, SIGKILLs, terminated sessions and a revoked key: nothing lost, duplicated or unexplained', { timeout: 240_000 }, async (ctx) => {
    const restart = process.env.CHAOS_PG_RESTART === '1';
    const report = await runChaos({
      ops: 300,
      connections: 2,
      // Usually done in about 60 s; the deadline leaves room for a loaded 2-core machine.
      seconds: 170,
      killEveryMs: [2000, 4000],
      pgRestart: restart,
      terminateBackends: !restart,
      pgDownMs: 1000,
      adminUrl: process.env.TEST_DATABASE_URL,
      revoke: true,
    });
    const text = formatReport(report);
    ctx.diagnostic(text);
    for (const c of report.checks) assert.ok(c.ok, `${c.name}: ${c.detail}\n\n${text}`);
    assert.ok(report.kills >= 2, `at least two workers SIGKILLed (${report.kills})\n\n${text}`);
    assert.ok(report.statuses.success! >= 290, text);
    assert.ok(report.pgRestart, text);
    // The revoked connection's queue was held (with writes refused for auth waiting in it), then released.
    assert.ok(report.revocation && report.revocation.atCheck.heldAfterAuth > 0, text);
    assert.ok(report.revocation.writesWhileFailed > 0, text);
    const consumed = report.faults.consumed;
    for (const kind of ['500', '429', 'timeout', 'lost_5xx', 'lost_timeout']) assert.ok((consumed[kind] ?? 0) > 0, `a ${kind} fault was served\n\n${text}`);
    // The processes' logs are kept only when something failed.
    fs.rmSync(report.logDir, { recursive: true, force: true });
  });
});
