// The Geotab session cache under the rate limiter: an Authenticate that never went out (its class had no
// slot) must not stay cached, or every later call for those credentials would fail the same way without
// asking the limiter again (until the process restarts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Budget, clearGeotabSessions, geotabCall } from '../src/tsps/geotab/session.ts';
import { SlotUnavailable } from '../src/tsps/kit/types.ts';
import type { CallGate } from '../src/tsps/kit/types.ts';
import type { TestApp } from './helpers/app.ts';
import { startTestApp } from './helpers/app.ts';
import { directTarget } from './helpers/geotab-assets.ts';

describe('Geotab sessions and the rate limiter', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('pglite');
  });
  after(async () => {
    await t?.close();
  });

  test('a login refused by the limiter is not cached: the next call asks the limiter again and authenticates', async () => {
    clearGeotabSessions();
    const target = await directTarget(t);
    const refusing: CallGate = {
      take: async (rateClass) => {
        throw new SlotUnavailable(rateClass, 6000);
      },
    };
    await assert.rejects(geotabCall(target, 'Get', { typeName: 'User', search: {} }, new Budget({ timeoutMs: 5000, gate: refusing })), SlotUnavailable);
    const asked: string[] = [];
    const allowing: CallGate = { take: async (rateClass) => void asked.push(rateClass) };
    const outcome = await geotabCall(target, 'Get', { typeName: 'User', search: {} }, new Budget({ timeoutMs: 5000, gate: allowing }));
    assert.equal(outcome.attempt.ok, true, JSON.stringify(outcome.attempt));
    assert.deepEqual(asked, ['Authenticate', 'Get:User']);
    assert.equal(outcome.authentications, 1);
  });
});
