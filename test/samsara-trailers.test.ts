// Samsara trailers over real HTTP: the adapter against a standalone Samsara sandbox (every mapping row,
// every refusal, the merge-patch update, rate classes, the duplicate-safe create), then the write API end
// to end through the app's mounted sandbox (sync create and update, deactivation refused at submit, the
// capability matrix, a lost answer retried without a second trailer, a trailer flood in its own class).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TrailerAttributeName, TrailerAttributes } from '../src/contract/resources/trailers.ts';
import { TRAILER_ATTRIBUTE_NAMES } from '../src/contract/resources/trailers.ts';
import { startSamsaraSandbox } from '../src/sandbox/samsara/index.ts';
import { refusedAttempt } from '../src/tsps/kit/adapter-kit.ts';
import type { Attempt, Write } from '../src/tsps/kit/types.ts';
import { samsaraAdapter } from '../src/tsps/samsara/index.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { waitForOperation } from './helpers/motive.ts';
import type { SamsaraConnection, SandboxAccount } from './helpers/samsara-assets.ts';
import { OPEN_CLASSES, recordingOpts, samsaraConnection, sandboxAccount } from './helpers/samsara-assets.ts';

const trailers = samsaraAdapter.resources.trailer!;
type Json = Record<string, any>; // `any`: native bodies are read field by field

let sandbox: Awaited<ReturnType<typeof startSamsaraSandbox>>;
before(async () => {
  sandbox = await startSamsaraSandbox({ port: 0 });
});
after(async () => sandbox.close());

let seq = 0;

/** Every normalized field, with values Samsara can take. */
function fullTrailer(): TrailerAttributes {
  seq += 1;
  return {
    trailer_name: `Trailer ${seq}`,
    oem: 'Wabash',
    model_type: '53ft Dry Van',
    model_year: 2020,
    vin: `1JJV532D${String(seq).padStart(9, '0')}`,
    license_plate_region: 'TX',
    license_plate_country: 'US',
    license_plate_number: '7TYP290',
    is_active: true,
    status: 'IN_SERVICE',
    notes: 'swing door',
    eld_id: 'ag-1',
    eld_serial_number: 'AG45-1',
    eld_device_type: 'AG45',
    eld_product_id: 'AG',
    total_axles: 2,
    external_id: `T-${seq}`,
    trailer_length: 53,
    trailer_type: 'Dry Van',
  };
}

const createWrite = (attrs: TrailerAttributes = fullTrailer()): Write => ({ operation: 'create', changes: attrs, merged: attrs, externalId: randomUUID() });
const updateWrite = (created: Write, sourceId: string, changes: TrailerAttributes): Write => ({
  operation: 'update',
  changes,
  merged: { ...created.merged, ...changes },
  externalId: created.externalId,
  sourceId,
});

async function attempt(acct: SandboxAccount, write: Write, opts = recordingOpts().opts): Promise<Attempt> {
  const m = trailers.map(write);
  return m.ok ? trailers.send(acct.target, write, m.body, opts) : refusedAttempt(m.refusals);
}

async function created(acct: SandboxAccount, write = createWrite()): Promise<string> {
  const a = await attempt(acct, write);
  assert.equal(a.ok, true, JSON.stringify(a));
  return a.sourceId!;
}

describe('mapping rows', () => {
  test('every field of a full create lands where its row says, or is reported dropped', async () => {
    const acct = await sandboxAccount(sandbox.url);
    const write = createWrite();
    const tr = write.changes;
    const rows: Record<TrailerAttributeName, Json | 'dropped'> = {
      trailer_name: { name: tr.trailer_name },
      oem: 'dropped',
      model_type: 'dropped',
      model_year: 'dropped',
      vin: { trailerSerialNumber: tr.vin },
      license_plate_region: 'dropped',
      license_plate_country: 'dropped',
      license_plate_number: { licensePlate: '7TYP290' },
      is_active: {},
      status: 'dropped',
      notes: { notes: 'swing door' },
      eld_id: 'dropped',
      eld_serial_number: 'dropped',
      eld_device_type: 'dropped',
      eld_product_id: 'dropped',
      total_axles: 'dropped',
      external_id: { externalIds: { fleetgate: write.externalId, trailerExternalId: tr.external_id } },
      trailer_length: 'dropped',
      trailer_type: 'dropped',
    };
    assert.deepEqual(Object.keys(rows), TRAILER_ATTRIBUTE_NAMES, 'one expectation per contract field, in its order');
    const m = trailers.map(write);
    assert.ok(m.ok);
    assert.deepEqual(m.dropped, TRAILER_ATTRIBUTE_NAMES.filter((f) => rows[f] === 'dropped'));
    const expected = Object.assign({}, ...Object.values(rows).filter((r) => r !== 'dropped'));
    assert.deepEqual(m.body, expected);
    const stored = samsaraAdapter.capabilities.fields.trailer!;
    for (const f of TRAILER_ATTRIBUTE_NAMES) assert.equal(stored[f], rows[f] !== 'dropped', f);

    const a = await trailers.send(acct.target, write, m.body, recordingOpts().opts);
    assert.deepEqual([a.ok, a.statusCode], [true, 200], JSON.stringify(a));
    assert.deepEqual(await acct.trailer(a.sourceId!), { id: a.sourceId, ...expected });
  });

  test('an update is a merge patch of what changed: null removes a field, external ids merge key by key, no read first', async () => {
    const acct = await sandboxAccount(sandbox.url);
    const write = createWrite();
    const id = await created(acct, write);
    assert.equal((await acct.sb('PATCH', `/fleet/trailers/${id}`, { externalIds: { maintenance: `M-${seq}` } })).status, 200);
    const { opts, classes } = recordingOpts();
    const a = await attempt(acct, updateWrite(write, id, { trailer_name: 'Renamed', notes: null, external_id: null, trailer_type: 'Reefer' }), opts);
    assert.deepEqual([a.ok, a.sourceId], [true, id], JSON.stringify(a));
    assert.deepEqual(classes, ['trailers']);
    const patch = (await acct.requests()).filter((r) => r.method === 'PATCH').at(-1)!;
    assert.equal(patch.path, `/fleet/trailers/${id}`);
    assert.deepEqual(patch.body, { name: 'Renamed', notes: null, externalIds: { fleetgate: write.externalId, trailerExternalId: null } });
    const native = await acct.trailer(id);
    assert.deepEqual([native.name, native.notes, native.licensePlate], ['Renamed', undefined, '7TYP290']);
    assert.deepEqual(native.externalIds, { fleetgate: write.externalId, maintenance: `M-${seq}` });
  });
});

describe('refusals: refused before any call, naming the field', () => {
  const cases: Array<[string, (w: Write) => Write, TrailerAttributeName, RegExp]> = [
    ['create without a name', () => createWrite({ notes: 'no name' }), 'trailer_name', /requires a name on every trailer/],
    ['clearing the name', (w) => updateWrite(w, '1', { trailer_name: null }), 'trailer_name', /cannot be cleared/],
    ['a blank name', () => createWrite({ trailer_name: '  ' }), 'trailer_name', /non-blank name/],
    ['a plate over 12 characters', () => createWrite({ ...fullTrailer(), license_plate_number: 'ABCDEFGHIJKLM' }), 'license_plate_number', /at most 12 characters/],
    ['notes over 255 characters', (w) => updateWrite(w, '1', { notes: 'n'.repeat(256) }), 'notes', /at most 255 characters/],
    ['create with is_active false', () => createWrite({ ...fullTrailer(), is_active: false }), 'is_active', /no deactivation for a trailer/],
    ['update to is_active false', (w) => updateWrite(w, '1', { is_active: false }), 'is_active', /DELETE .* fleetgate does not delete/],
  ];
  for (const [name, make, field, message] of cases) {
    test(name, async () => {
      const acct = await sandboxAccount(sandbox.url);
      const write = make(createWrite());
      const m = trailers.map(write);
      assert.ok(!m.ok, 'refused');
      assert.equal(m.refusals[0]!.field, field);
      assert.match(m.refusals[0]!.message, message);
      const a = await attempt(acct, write);
      assert.deepEqual([a.ok, a.errorType, a.statusCode], [false, 'validation', null]);
      assert.deepEqual(await acct.requests(), []);
    });
  }

  test('a status is free text Samsara has no field for: dropped, whatever it says', () => {
    const m = trailers.map(updateWrite(createWrite(), '1', { status: 'OUT_OF_SERVICE' }));
    assert.ok(m.ok);
    assert.deepEqual([m.body, m.dropped], [{}, ['status']]);
  });
});

describe('duplicate-safe create', () => {
  test("a create whose answer was lost is found by GET /fleet/trailers/fleetgate:<id> and adopted", async () => {
    const acct = await sandboxAccount(sandbox.url);
    await acct.sb('POST', '/_sandbox/faults', { status: 504, body: 'Gateway Timeout', after_apply: true });
    const write = createWrite();
    const first = await attempt(acct, write);
    assert.deepEqual([first.ok, first.errorType], [false, 'transient']);
    const { opts, classes } = recordingOpts();
    const found = await trailers.findExisting(acct.target, write, {}, opts);
    assert.deepEqual([found.ok, found.found], [true, true], JSON.stringify(found));
    assert.deepEqual(classes, ['trailers_read']);
    assert.equal((await acct.requests()).at(-1)!.path, `/fleet/trailers/fleetgate%3A${write.externalId}`);
    const all = (await acct.sb('GET', '/fleet/trailers')).body.data;
    assert.deepEqual(all.map((x: Json) => x.id), [found.sourceId]);
    const none = await trailers.findExisting(acct.target, createWrite(), {}, opts);
    assert.deepEqual([none.ok, none.found, none.statusCode], [true, false, 404]);
  });

  test("a create repeating fleetgate's external id is a conflict, not a content error", async () => {
    const acct = await sandboxAccount(sandbox.url);
    const write = createWrite();
    await created(acct, write);
    const again = await attempt(acct, write);
    assert.deepEqual([again.ok, again.errorType], [false, 'conflict']);
    assert.match(again.errorDetails!, /already in use by another trailer/);
  });

  test('rate classes: writes in trailers (100/min), the lookup in trailers_read', () => {
    assert.deepEqual([trailers.rateClass?.('create'), trailers.rateClass?.('update')], ['trailers', 'trailers']);
    const classes = samsaraAdapter.descriptor.rateLimit.classes!;
    assert.deepEqual([classes.trailers!.perMinute, classes.trailers_read!.perMinute], [100, 240]);
  });
});

describe('through the write API', () => {
  let t: TestApp;
  let worker: Worker;
  let p: Partner;
  let c: SamsaraConnection;
  before(async () => {
    t = await startTestApp('pglite', { env: { FLEETGATE_RETRY_BASE_MS: '100', FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
    worker = startWorker(t.services, { pollMs: 25 });
    p = await newPartner(t);
    c = await samsaraConnection(t, p);
  });
  after(async () => {
    await worker?.stop();
    await t?.close();
  });
  const submit = (conn: SamsaraConnection, json: Json, opts: { sync?: boolean; id?: string } = {}) =>
    call(t, opts.id ? 'PATCH' : 'POST', `/v2/telematics/trailers${opts.id ? `/${opts.id}` : ''}${opts.sync ? '?is_sync=true' : ''}`, {
      token: p.token,
      json: { connection_id: conn.connectionId, ...json },
    });

  test('a sync create lands at Samsara with the fields it keeps; an update follows; the matrix agrees', async () => {
    const tr = fullTrailer();
    const op = (await submit(c, tr, { sync: true })).body;
    assert.equal(op.status, 'success', JSON.stringify(op.logs));
    const native = await c.trailer(op.source_id);
    assert.deepEqual(
      [native.name, native.trailerSerialNumber, native.licensePlate, native.externalIds],
      [tr.trailer_name, tr.vin, '7TYP290', { fleetgate: op.resource_id, trailerExternalId: tr.external_id }],
    );
    const stores = samsaraAdapter.capabilities.fields.trailer!;
    assert.deepEqual([...op.dropped_fields].sort(), TRAILER_ATTRIBUTE_NAMES.filter((f) => !stores[f]).sort());
    const upd = await submit(c, { license_plate_number: 'NEW-1' }, { sync: true, id: op.resource_id });
    assert.equal(upd.body.status, 'success', JSON.stringify(upd.body.logs));
    assert.equal((await c.trailer(op.source_id)).licensePlate, 'NEW-1');
    const matrix = await call(t, 'GET', '/v2/integrations/tsps', { token: p.token });
    const entry = matrix.body.items.find((x: Json) => x.tsp === 'samsara');
    assert.deepEqual(entry.resources.trailer, { create: 'implemented', update: 'implemented' });
    assert.deepEqual(entry.fields.trailer, stores);
    assert.equal(entry.rate_limit_classes.trailers.per_minute, 100);
  });

  test('deactivation and a plate Samsara cannot hold are refused at submit, naming Samsara and the field', async () => {
    const made = (await submit(c, { trailer_name: `Keep ${++seq}` }, { sync: true })).body;
    for (const [json, field] of [
      [{ is_active: false }, 'is_active'],
      [{ license_plate_number: 'TOO-LONG-PLATE' }, 'license_plate_number'],
    ] as const) {
      const res = await submit(c, json, { id: made.resource_id });
      assert.equal(res.status, 422, res.text);
      const problem = res.body.detail.find((d: Json) => d.path === `body.${field}`);
      assert.deepEqual([problem.error_type, /^Samsara/.test(problem.message)], ['unsupported_by_tsp', true]);
    }
    const noName = await submit(c, { notes: 'x' });
    assert.equal(noName.status, 422, noName.text);
  });

  test('a lost answer is retried without a second trailer at Samsara', async () => {
    await c.fault({ status: 502, body: 'Bad Gateway', after_apply: true });
    const res = await submit(c, { trailer_name: `Lost ${++seq}` });
    const done = await waitForOperation(t, p, c.connectionId, res.body.id, 15_000);
    assert.equal(done.status, 'success', JSON.stringify(done.logs));
    assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', null]);
    const all = (await c.sb('GET', '/fleet/trailers')).body.data.filter((x: Json) => x.externalIds?.fleetgate === done.resource_id);
    assert.deepEqual(all.map((x: Json) => x.id), [done.source_id]);
  });

  test('a trailer flood waits in its own class: a user write on the same connection is not held back', async () => {
    const slow = await samsaraConnection(t, p, { ...OPEN_CLASSES, trailers: 2 });
    const queued = [];
    for (let i = 0; i < 4; i++) queued.push((await submit(slow, { trailer_name: `Flood ${++seq}-${i}` })).body.id);
    const started = Date.now();
    const user = await call(t, 'POST', '/v2/telematics/users?is_sync=true', {
      token: p.token,
      json: { connection_id: slow.connectionId, username: `u${seq}`, first_name: 'Flo', last_name: 'Od', is_driver: true },
    });
    assert.equal(user.body.status, 'success', user.text);
    assert.ok(Date.now() - started < 3000, `user write took ${Date.now() - started} ms`);
    const states = await Promise.all(
      queued.map(async (id) => (await call(t, 'GET', `/v2/integrations/connections/${slow.connectionId}/resource-operations/${id}`, { token: p.token })).body.status),
    );
    assert.ok(states.filter((s) => s === 'pending').length >= 2, `trailers still paced: ${states.join(', ')}`);
  });
});
