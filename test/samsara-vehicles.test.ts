// Samsara vehicles over real HTTP: the adapter against a standalone Samsara sandbox (every mapping row,
// every refusal, the bodies and rate classes of each call, the duplicate-safe create), then the write
// API end to end through the app's mounted sandbox (sync create, update, deactivation refused at submit,
// the capability matrix, a lost answer retried without a second vehicle).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { VehicleAttributeName, VehicleAttributes } from '../src/contract/resources/vehicles.ts';
import { VEHICLE_ATTRIBUTE_NAMES } from '../src/contract/resources/vehicles.ts';
import { startSamsaraSandbox } from '../src/sandbox/samsara/index.ts';
import { refusedAttempt } from '../src/tsps/kit/adapter-kit.ts';
import type { Attempt, Write } from '../src/tsps/kit/types.ts';
import { samsaraAdapter } from '../src/tsps/samsara/index.ts';
import { assetLookup } from '../src/tsps/samsara/assets-client.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { waitForOperation } from './helpers/motive.ts';
import type { SamsaraConnection, SandboxAccount } from './helpers/samsara-assets.ts';
import { recordingOpts, samsaraConnection, samsaraError, sandboxAccount } from './helpers/samsara-assets.ts';

const vehicles = samsaraAdapter.resources.vehicle!;
type Json = Record<string, any>; // `any`: native bodies are read field by field

let sandbox: Awaited<ReturnType<typeof startSamsaraSandbox>>;
before(async () => {
  sandbox = await startSamsaraSandbox({ port: 0 });
});
after(async () => sandbox.close());

let seq = 0;
/** A unique 17-character VIN. */
const vin17 = (): string => `1FUJA6BD3${String(++seq).padStart(8, '0')}`;

/** Every normalized field, with values Samsara can take. */
function fullVehicle(): VehicleAttributes {
  return {
    vehicle_name: `Truck ${++seq}`,
    oem: 'Freightliner',
    model_type: 'Cascadia',
    model_year: 2022,
    vin: vin17(),
    engine_vin: 'ENG-1',
    license_plate_region: 'TX',
    license_plate_country: 'USA',
    license_plate_number: 'HMT-3570',
    is_active: true,
    status: 'IN_SERVICE',
    notes: 'night runs',
    eld_id: 'eld-1',
    eld_serial_number: 'GFRV-43N-VGX',
    eld_device_type: 'VG34',
    eld_product_id: 'VG',
    total_axles: 3,
    external_id: `V-${seq}`,
    speed_unit: 'mph',
    odometer_unit: 'mi',
    fuel_unit: 'gallons',
    fuel_capacity: '150 gallons',
    engine_type: 'DIESEL',
  };
}

const createWrite = (attrs: VehicleAttributes = fullVehicle()): Write => ({ operation: 'create', changes: attrs, merged: attrs, externalId: randomUUID() });
const updateWrite = (created: Write, sourceId: string, changes: VehicleAttributes): Write => ({
  operation: 'update',
  changes,
  merged: { ...created.merged, ...changes },
  externalId: created.externalId,
  sourceId,
});

/** One attempt as the engine makes it: map, then send what was mapped (or the refusal). */
async function attempt(acct: SandboxAccount, write: Write, opts = recordingOpts().opts): Promise<Attempt> {
  const m = vehicles.map(write);
  return m.ok ? vehicles.send(acct.target, write, m.body, opts) : refusedAttempt(m.refusals);
}

async function created(acct: SandboxAccount, write = createWrite()): Promise<string> {
  const a = await attempt(acct, write);
  assert.equal(a.ok, true, JSON.stringify(a));
  return a.sourceId!;
}

const writes = async (acct: SandboxAccount): Promise<Json[]> => (await acct.requests()).filter((r) => r.method !== 'GET');

describe('mapping rows', () => {
  test('every field of a full create lands where its row says, or is reported dropped', async () => {
    const acct = await sandboxAccount(sandbox.url);
    const write = createWrite();
    const v = write.changes;
    // One expectation per normalized field: the native fields it writes, or 'dropped'.
    const rows: Record<VehicleAttributeName, Json | 'dropped'> = {
      vehicle_name: { name: v.vehicle_name },
      oem: { make: 'Freightliner' },
      model_type: { model: 'Cascadia' },
      model_year: { year: 2022 },
      vin: { vin: v.vin },
      engine_vin: 'dropped',
      license_plate_region: 'dropped',
      license_plate_country: 'dropped',
      license_plate_number: { licensePlate: 'HMT-3570' },
      is_active: {},
      status: 'dropped',
      notes: { notes: 'night runs' },
      eld_id: 'dropped',
      eld_serial_number: 'dropped',
      eld_device_type: 'dropped',
      eld_product_id: 'dropped',
      total_axles: 'dropped',
      external_id: { externalIds: { fleetgate: write.externalId, vehicleExternalId: v.external_id } },
      speed_unit: 'dropped',
      odometer_unit: 'dropped',
      fuel_unit: 'dropped',
      fuel_capacity: 'dropped',
      engine_type: 'dropped',
    };
    assert.deepEqual(Object.keys(rows), VEHICLE_ATTRIBUTE_NAMES, 'one expectation per contract field, in its order');
    const m = vehicles.map(write);
    assert.ok(m.ok);
    assert.deepEqual(m.dropped, VEHICLE_ATTRIBUTE_NAMES.filter((f) => rows[f] === 'dropped'));
    const expected = Object.assign({ type: 'vehicle' }, ...Object.values(rows).filter((r) => r !== 'dropped'));
    assert.deepEqual(m.body, expected);
    // The capability matrix says the same: stored = the rows that write something (or, is_active, hold true).
    const stored = samsaraAdapter.capabilities.fields.vehicle!;
    for (const f of VEHICLE_ATTRIBUTE_NAMES) assert.equal(stored[f], rows[f] !== 'dropped', f);

    const a = await vehicles.send(acct.target, write, m.body, recordingOpts().opts);
    assert.deepEqual([a.ok, a.statusCode], [true, 200], JSON.stringify(a));
    const native = await acct.asset(a.sourceId!);
    for (const [k, value] of Object.entries(expected)) assert.deepEqual(native[k], value, k);
  });

  test('a legacy VIN shorter than 17 characters is kept as serialNumber; a longer one is refused', async () => {
    const acct = await sandboxAccount(sandbox.url);
    const id = await created(acct, createWrite({ vehicle_name: 'Old', vin: ' 12345ABC ' }));
    const native = await acct.asset(id);
    assert.deepEqual([native.serialNumber, native.vin], ['12345ABC', undefined]);
    const long = vehicles.map(createWrite({ vin: `${vin17()}X` }));
    assert.ok(!long.ok);
    assert.match(long.refusals[0]!.message, /at most 17 characters/);
  });

  test('an update PATCHes /assets?id= with only what changed; a null empties text with ""; a VIN that changes kind empties the other', async () => {
    const acct = await sandboxAccount(sandbox.url);
    const write = createWrite();
    const id = await created(acct, write);
    const changes: VehicleAttributes = { vehicle_name: 'Renamed', notes: null, license_plate_number: null, vin: 'AB123', total_axles: 2 };
    const update = updateWrite(write, id, changes);
    const m = vehicles.map(update);
    assert.ok(m.ok);
    assert.deepEqual(m.dropped, ['total_axles']);
    const a = await vehicles.send(acct.target, update, m.body, recordingOpts().opts);
    assert.deepEqual([a.ok, a.sourceId], [true, id], JSON.stringify(a));
    const [patch] = (await writes(acct)).filter((r) => r.method === 'PATCH');
    assert.deepEqual([patch.path, patch.query], ['/assets', { id }]);
    assert.deepEqual(patch.body, { name: 'Renamed', notes: '', licensePlate: '', serialNumber: 'AB123', vin: '' });
    const native = await acct.asset(id);
    assert.deepEqual([native.name, native.notes, native.licensePlate, native.vin, native.serialNumber, native.make], ['Renamed', '', '', '', 'AB123', 'Freightliner']);
  });

  test("an external_id change reads the asset first and keeps fleetgate's and other integrations' ids", async () => {
    const acct = await sandboxAccount(sandbox.url);
    const write = createWrite();
    const id = await created(acct, write);
    const others = { fleetgate: write.externalId, vehicleExternalId: write.changes.external_id, maintenance: `M-${seq}` };
    assert.equal((await acct.sb('PATCH', `/assets?id=${id}`, { externalIds: others })).status, 200);
    const { opts, classes } = recordingOpts();
    const a = await attempt(acct, updateWrite(write, id, { external_id: 'V-new' }), opts);
    assert.equal(a.ok, true, JSON.stringify(a));
    assert.deepEqual(classes, ['assets_read', 'assets']);
    assert.deepEqual((await acct.asset(id)).externalIds, { ...others, vehicleExternalId: 'V-new' });
    await attempt(acct, updateWrite(write, id, { external_id: null }));
    assert.deepEqual((await acct.asset(id)).externalIds, { fleetgate: write.externalId, maintenance: others.maintenance });
  });
});

describe('refusals: refused before any call, naming the field', () => {
  const cases: Array<[string, (w: Write) => Write, VehicleAttributeName, RegExp]> = [
    ['create with is_active false', () => createWrite({ ...fullVehicle(), is_active: false }), 'is_active', /no deactivation for a vehicle/],
    ['create with status OUT_OF_SERVICE', () => createWrite({ ...fullVehicle(), is_active: undefined, status: 'OUT_OF_SERVICE' }), 'status', /no deactivation/],
    ['update to is_active false', (w) => updateWrite(w, '1', { is_active: false }), 'is_active', /retired, mark it using fields such as name or notes/],
    ['update to status OUT_OF_SERVICE', (w) => updateWrite(w, '1', { status: 'OUT_OF_SERVICE' }), 'status', /no deactivation/],
    // Both in one request: Samsara cannot deactivate, whichever of the two asks for it.
    ['is_active and status that contradict', (w) => updateWrite(w, '1', { is_active: true, status: 'OUT_OF_SERVICE' }), 'status', /no deactivation/],
    ['a VIN over 17 characters', () => createWrite({ vin: 'X'.repeat(18) }), 'vin', /at most 17/],
    ['clearing vehicle_name', (w) => updateWrite(w, '1', { vehicle_name: null }), 'vehicle_name', /name on every vehicle/],
    ['clearing model_year', (w) => updateWrite(w, '1', { model_year: null }), 'model_year', /clear an asset's year/],
  ];
  for (const [name, make, field, message] of cases) {
    test(name, async () => {
      const acct = await sandboxAccount(sandbox.url);
      const write = make(createWrite());
      const m = vehicles.map(write);
      assert.ok(!m.ok, 'refused');
      assert.equal(m.refusals[0]!.field, field);
      assert.match(m.refusals[0]!.message, message);
      const a = await attempt(acct, write);
      assert.deepEqual([a.ok, a.errorType, a.statusCode], [false, 'validation', null]);
      assert.deepEqual(await acct.requests(), []);
    });
  }

  test('an active status label is taken (and dropped), is_active true needs nothing sent', () => {
    const m = vehicles.map(updateWrite(createWrite(), '1', { is_active: true, status: 'IN_REPAIR' }));
    assert.ok(m.ok);
    assert.deepEqual([m.body, m.dropped], [{}, ['status']]);
  });
});

describe('duplicate-safe create', () => {
  test("a create whose answer was lost is found by fleetgate's external id and adopted", async () => {
    const acct = await sandboxAccount(sandbox.url);
    await acct.sb('POST', '/_sandbox/faults', { status: 502, body: 'Bad Gateway', after_apply: true });
    const write = createWrite();
    const first = await attempt(acct, write);
    assert.deepEqual([first.ok, first.errorType], [false, 'transient']);
    const { opts, classes } = recordingOpts();
    const found = await vehicles.findExisting(acct.target, write, {}, opts);
    assert.deepEqual([found.ok, found.found], [true, true], JSON.stringify(found));
    assert.deepEqual(classes, ['assets_read']);
    const lookup = (await acct.requests()).at(-1)!;
    assert.deepEqual([lookup.method, lookup.path, lookup.query], ['GET', '/assets', { externalIds: `fleetgate:${write.externalId}`, includeExternalIds: 'true' }]);
    const all = (await acct.sb('GET', '/assets')).body.data;
    assert.deepEqual(all.map((x: Json) => x.id), [found.sourceId]);
  });

  test('nothing there yet: the lookup succeeds with nothing found', async () => {
    const acct = await sandboxAccount(sandbox.url);
    const found = await vehicles.findExisting(acct.target, createWrite(), {}, recordingOpts().opts);
    assert.deepEqual([found.ok, found.found, found.sourceId], [true, false, undefined]);
  });

  test("a create repeating fleetgate's external id is a conflict (an earlier attempt landed); a taken VIN is the partner's error", async () => {
    const acct = await sandboxAccount(sandbox.url);
    const write = createWrite();
    await created(acct, write);
    const again = await attempt(acct, write);
    assert.deepEqual([again.ok, again.errorType, again.statusCode], [false, 'conflict', 400]);
    assert.match(again.errorDetails!, /externalId fleetgate:.* already in use by another asset \(requestId \w+\)/);
    const sameVin = await attempt(acct, createWrite({ vehicle_name: 'Twin', vin: write.changes.vin as string }));
    assert.deepEqual([sameVin.errorType, sameVin.statusCode], ['validation', 400]);
    assert.match(sameVin.errorDetails!, /vin .* already in use/);
  });
});

describe('rate classes', () => {
  test('create and update write in class assets (100/min), lookups read in assets_read; the adapter says so', async () => {
    const acct = await sandboxAccount(sandbox.url);
    const write = createWrite();
    const c = recordingOpts();
    const id = (await attempt(acct, write, c.opts)).sourceId!;
    const u = recordingOpts();
    await attempt(acct, updateWrite(write, id, { notes: 'x' }), u.opts);
    assert.deepEqual([c.classes, u.classes], [['assets'], ['assets']]);
    assert.deepEqual([vehicles.rateClass?.('create'), vehicles.rateClass?.('update')], ['assets', 'assets']);
    const classes = samsaraAdapter.descriptor.rateLimit.classes!;
    assert.deepEqual([classes.assets!.perMinute, classes.assets_read!.perMinute], [100, 240]);
    assert.match(classes.assets!.source, /100 requests\/min/);
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
  const submit = (json: Json, opts: { sync?: boolean; id?: string } = {}) =>
    call(t, opts.id ? 'PATCH' : 'POST', `/v2/telematics/vehicles${opts.id ? `/${opts.id}` : ''}${opts.sync ? '?is_sync=true' : ''}`, {
      token: p.token,
      json: { connection_id: c.connectionId, ...json },
    });

  test('a sync create lands as a Samsara asset of type vehicle; fields Samsara cannot keep are listed; an update follows', async () => {
    const v = fullVehicle();
    const res = await submit(v, { sync: true });
    assert.equal(res.status, 200, res.text);
    const op = res.body;
    assert.equal(op.status, 'success', JSON.stringify(op.logs));
    const native = await c.asset(op.source_id);
    assert.deepEqual(
      [native.type, native.name, native.vin, native.year, native.externalIds],
      ['vehicle', v.vehicle_name, v.vin, 2022, { fleetgate: op.resource_id, vehicleExternalId: v.external_id }],
    );
    const stores = samsaraAdapter.capabilities.fields.vehicle!;
    assert.deepEqual(
      [...op.dropped_fields].sort(),
      VEHICLE_ATTRIBUTE_NAMES.filter((f) => !stores[f]).sort(),
    );
    const upd = await submit({ notes: 'moved to Dallas' }, { sync: true, id: op.resource_id });
    assert.equal(upd.body.status, 'success', JSON.stringify(upd.body.logs));
    assert.equal((await c.asset(op.source_id)).notes, 'moved to Dallas');
    const read = await call(t, 'GET', `/v2/telematics/vehicles/${op.resource_id}`, { token: p.token });
    assert.deepEqual([read.body.notes, read.body.vehicle_name, read.body.source_id], ['moved to Dallas', v.vehicle_name, op.source_id]);
  });

  test('deactivation is refused at submit (422 unsupported_by_tsp naming Samsara and the field), nothing sent', async () => {
    const created = (await submit({ vehicle_name: `Keep ${++seq}` }, { sync: true })).body;
    const before = (await c.requests()).length;
    for (const [json, field] of [
      [{ is_active: false }, 'is_active'],
      [{ status: 'OUT_OF_SERVICE' }, 'status'],
    ] as const) {
      const res = await submit(json, { id: created.resource_id });
      assert.equal(res.status, 422, res.text);
      const problem = res.body.detail.find((d: Json) => d.path === `body.${field}`);
      assert.equal(problem.error_type, 'unsupported_by_tsp');
      assert.match(problem.message, /^Samsara/);
    }
    assert.equal((await submit({ vehicle_name: 'Retired', is_active: false })).status, 422);
    assert.equal((await c.requests()).length, before);
  });

  test('the capability matrix shows the vehicle create through /assets and which fields Samsara keeps', async () => {
    const matrix = await call(t, 'GET', '/v2/integrations/tsps', { token: p.token });
    const entry = matrix.body.items.find((x: Json) => x.tsp === 'samsara');
    assert.deepEqual(entry.resources.vehicle, { create: 'implemented', update: 'implemented' });
    assert.deepEqual(entry.fields.vehicle, samsaraAdapter.capabilities.fields.vehicle);
    assert.equal(entry.rate_limit_classes.assets.per_minute, 100);
  });

  test('a lost answer is retried without a second vehicle at Samsara', async () => {
    await c.fault({ status: 502, body: 'Bad Gateway', after_apply: true });
    const res = await submit({ vehicle_name: `Lost ${++seq}`, vin: vin17() });
    assert.equal(res.status, 202, res.text);
    const done = await waitForOperation(t, p, c.connectionId, res.body.id, 15_000);
    assert.equal(done.status, 'success', JSON.stringify(done.logs));
    assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', null]);
    const same = (await c.sb('GET', `/assets?externalIds=fleetgate:${done.resource_id}`)).body.data;
    assert.deepEqual(same.map((a: Json) => a.id), [done.source_id]);
  });

  test("Samsara's own refusal fails the write after one attempt with its message", async () => {
    await c.fault({ status: 400, body: samsaraError('Asset API is not enabled for this organization') });
    const res = await submit({ vehicle_name: `Beta ${++seq}` });
    const done = await waitForOperation(t, p, c.connectionId, res.body.id);
    assert.deepEqual([done.status, done.logs.length, done.logs[0].error_class], ['failed', 1, 'validation']);
    assert.match(done.logs[0].error_details, /not enabled/);
  });
});

describe('finding an earlier attempt by external id', () => {
  test('an asset on the page that does not carry the external id is not adopted (the filter alone is not trusted)', () => {
    const page = (assets: unknown[]) => ({
      kind: 'response' as const,
      statusCode: 200,
      headers: {},
      bodyText: JSON.stringify({ data: assets }),
      json: { data: assets },
      durationMs: 1,
    });
    const key = { key: 'fleetgate', value: 'ours' };
    assert.equal(assetLookup(page([{ id: '1', externalIds: { fleetgate: 'theirs' } }]), key).found, false);
    assert.equal(assetLookup(page([{ id: '1' }]), key).found, false);
    const found = assetLookup(page([{ id: '1', externalIds: { fleetgate: 'theirs' } }, { id: '2', externalIds: { fleetgate: 'ours' } }]), key);
    assert.deepEqual([found.found, found.sourceId], [true, '2']);
  });
});
