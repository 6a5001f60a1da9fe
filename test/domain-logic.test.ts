// Pure logic of the engine: the retry classifier and back-off, the doubled-field merge, cursors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidCursorError, decodeCursor, encodeCursor } from '../src/db/pagination.ts';
import { GRACE_MS, JITTER_MS, intervalMs } from '../src/engine/policy/ratelimit.ts';
import { decideRetry, isRetryable, nextDelayMs } from '../src/engine/policy/retry.ts';
import { mergeUser } from '../src/resources/users.ts';

const policy = { maxAttempts: 8, maxAgeMs: 24 * 3600_000, baseDelayMs: 1000, maxDelayMs: 300_000 };
const base = { operation: 'create' as const, attempt: 1, ageMs: 0, sync: false };

describe('retry classifier', () => {
  test('rate limits, 5xx, network errors and timeouts are retried; auth, validation, not-found are not', () => {
    for (const t of ['rate_limited', 'transient', 'timeout', 'unknown'] as const) assert.equal(isRetryable(t, 'update'), true, t);
    for (const t of ['auth', 'validation', 'not_found'] as const) assert.equal(isRetryable(t, 'create'), false, t);
  });
  test('a conflict is retried for a create (to adopt the existing user) but not for an update', () => {
    assert.equal(isRetryable('conflict', 'create'), true);
    assert.equal(isRetryable('conflict', 'update'), false);
  });
  test('back-off doubles with jitter between half and all of the step, capped', () => {
    assert.equal(nextDelayMs(1, undefined, policy, () => 0), 500);
    assert.equal(nextDelayMs(1, undefined, policy, () => 1), 1000);
    assert.equal(nextDelayMs(4, undefined, policy, () => 1), 8000);
    assert.equal(nextDelayMs(30, undefined, policy, () => 1), 300_000);
  });
  test('never sooner than Retry-After', () => {
    assert.equal(nextDelayMs(1, 7000, policy, () => 1), 7000);
    assert.equal(decideRetry({ ...base, errorType: 'rate_limited', retryAfterMs: 1500 }, policy).delayMs >= 1500, true);
  });
  test('a create that timed out is not tried again before one more deadline: the TSP may still be applying it', () => {
    const timedOut = { ...base, errorType: 'timeout' as const, operation: 'create' as const, timeoutMs: 15_000 };
    assert.ok(decideRetry(timedOut, policy).delayMs >= 15_000);
    // Not for an update (it is idempotent at the TSP) nor for other errors.
    assert.ok(decideRetry({ ...timedOut, operation: 'update' }, policy).delayMs < 15_000);
    assert.ok(decideRetry({ ...timedOut, errorType: 'transient' }, policy).delayMs < 15_000);
  });
  test('the attempt and age budgets end retries; sync requests are never retried', () => {
    assert.equal(decideRetry({ ...base, errorType: 'transient', attempt: 7 }, policy).retry, true);
    assert.equal(decideRetry({ ...base, errorType: 'transient', attempt: 8 }, policy).retry, false);
    assert.equal(decideRetry({ ...base, errorType: 'transient', ageMs: policy.maxAgeMs - 10 }, policy).retry, false);
    assert.equal(decideRetry({ ...base, errorType: 'transient', sync: true }, policy).retry, false);
  });
});

describe('rate limit spacing', () => {
  test('slots are spaced so that N calls, each up to GRACE late and JITTER disordered, span at least a minute', () => {
    for (const n of [1, 2, 60, 120, 300, 6000]) {
      const slots = Math.max(1, n - 1);
      assert.ok(intervalMs(n) * slots >= 60_000 + GRACE_MS + JITTER_MS - 1e-6, `N=${n}`);
      // ...and no slower than needed: throughput stays within 2 % of N for the limits TSPs publish.
      if (n >= 60) assert.ok((60_000 / intervalMs(n)) / n > 0.98, `N=${n}: ${60_000 / intervalMs(n)} per minute`);
    }
  });
});

describe('mergeUser', () => {
  test('changing status brings is_active along, and the other way round', () => {
    assert.deepEqual(mergeUser({ status: 'ACTIVE', is_active: true }, { status: 'INACTIVE' }), { status: 'INACTIVE', is_active: false });
    assert.deepEqual(mergeUser({ status: 'ACTIVE', is_active: true }, { is_active: false }), { status: 'INACTIVE', is_active: false });
    assert.deepEqual(mergeUser({ first_name: 'A' }, { status: 'INACTIVE' }), { first_name: 'A', status: 'INACTIVE' });
  });
  test('the HOS object and the top-level fields follow each other', () => {
    const stored = { hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic', hos_tracking_mode: { hos_compliance_type: 'non_exempt', hos_tracking_method: 'automatic' } } as const;
    const a = mergeUser(stored, { hos_compliance_type: 'exempt', hos_tracking_method: null });
    assert.deepEqual(a.hos_tracking_mode, { hos_compliance_type: 'exempt', hos_tracking_method: null });
    const b = mergeUser(stored, { hos_tracking_mode: { hos_compliance_type: 'exempt' } });
    assert.equal(b.hos_compliance_type, 'exempt');
    assert.equal(b.hos_tracking_method, 'automatic');
  });
});

describe('cursors', () => {
  test('round-trip, and anything else is refused naming the cursor', () => {
    const c = { s: 'created_at', o: 'desc' as const, d: 'next' as const, v: '2026-11-23 11:40:00.123456+00', id: '3c90c3cc-0d44-4b50-8888-8dd25736052a' };
    assert.deepEqual(decodeCursor(encodeCursor(c)), c);
    const inclusive = { ...c, d: 'prev' as const, i: true as const };
    assert.deepEqual(decodeCursor(encodeCursor(inclusive)), inclusive);
    const fromTheEnd = { s: 'first_name', o: 'asc' as const, d: 'prev' as const };
    assert.deepEqual(decodeCursor(encodeCursor(fromTheEnd)), fromTheEnd);
    // The form issued before sorts existed still reads: created_at ascending.
    const legacy = Buffer.from(JSON.stringify({ t: c.v, id: c.id, d: 'prev' })).toString('base64url');
    assert.deepEqual(decodeCursor(legacy), { s: 'created_at', o: 'asc', d: 'prev', v: c.v, id: c.id });
    const forged = (t: string) => Buffer.from(JSON.stringify({ t, id: c.id, d: 'next' })).toString('base64url');
    const shaped = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
    for (const bad of [
      'x',
      Buffer.from('{"t":"now","id":"1","d":"next"}').toString('base64url'),
      Buffer.from('[]').toString('base64url'),
      forged('2024-13-45 99:99:99'),
      forged('2024-02-30 10:00:00+00'),
      // Past what PostgreSQL's timestamptz reads (year 0000, offsets beyond ±15:59): a 500 at the cast before.
      forged('0000-01-01 00:00:00'),
      forged('2024-01-01 00:00:00+99'),
      forged('2024-01-01 00:00:00+1600'),
      shaped({ ...c, s: 'Robert\'); DROP TABLE' }),
      shaped({ ...c, o: 'sideways' }),
      shaped({ ...c, id: undefined }),
      shaped({ ...fromTheEnd, i: true }),
      shaped({ ...c, v: 'x'.repeat(4001) }),
    ]) {
      // The database layer's own error; http/errors.ts renders it as a 422 naming query.cursor.
      assert.throws(
        () => decodeCursor(bad),
        (e: unknown) =>
          e instanceof InvalidCursorError &&
          e.message === 'Invalid cursor' &&
          e.detail[0].input === bad &&
          e.detail[0].error_type === 'cursor',
      );
    }
  });
});
