// Vehicles on Geotab over real HTTP: fleetgate's /v2/telematics/vehicles against the app's built-in
// Geotab sandbox. Every row of src/tsps/geotab/vehicles/mapping.ts read back from the Device, every
// refusal at submit, update as Get + Set, deactivation and reactivation through activeTo, and a create
// whose answer was lost retried without a second device.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { VEHICLE_ATTRIBUTE_NAMES } from '../src/contract/resources/vehicles.ts';
import { adapterFor } from '../src/tsps/registry.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import type { GeotabAssetsFixture, Json } from './helpers/geotab-assets.ts';
import { classesTaken, directTarget, geotabAssets, submit } from './helpers/geotab-assets.ts';
import { clearGeotabSessions } from '../src/tsps/geotab/session.ts';
import { waitForOperation } from './helpers/motive.ts';

const MAX_DATE = '2050-01-01T00:00:00.000Z';
const unique = () => randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase();

/** Every Catena vehicle field, with values Geotab can take. */
const fullVehicle = () => ({
  vehicle_name: `Unit ${unique()}`,
  oem: 'Freightliner',
  model_type: 'Cascadia',
  model_year: 2022,
  vin: '1FUJGLDR5CLBP8834',
  engine_vin: 'ENG-778812',
  license_plate_region: 'TX',
  license_plate_country: 'USA',
  license_plate_number: 'HMT-3570',
  is_active: true,
  status: 'IN_SERVICE',
  notes: 'Night routes',
  eld_id: 'eld-1',
  eld_serial_number: `G9${unique()}`,
  eld_device_type: 'go9',
  eld_product_id: '120',
  total_axles: 3,
  external_id: 'TMS-42',
  speed_unit: 'mph',
  odometer_unit: 'mi',
  fuel_unit: 'gallons',
  fuel_capacity: '150 gallons',
  engine_type: 'DIESEL',
});
const NOT_STORED = [
  'oem', 'model_type', 'model_year', 'engine_vin', 'license_plate_country', 'eld_id', 'total_axles', 'external_id',
  'speed_unit', 'odometer_unit', 'fuel_unit', 'fuel_capacity', 'engine_type',
];

describe('Geotab vehicles', () => {
  let t: TestApp;
  let worker: Worker;
  let p: Partner;
  before(async () => {
    t = await startTestApp('pglite', { env: { FLEETGATE_RETRY_BASE_MS: '100', FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
    worker = startWorker(t.services, { pollMs: 25 });
    p = await newPartner(t);
  });
  after(async () => {
    await worker?.stop();
    await t?.close();
  });

  const minimal = (g: GeotabAssetsFixture, extra: Json = {}) => ({
    connection_id: g.connectionId,
    vehicle_name: `Unit ${unique()}`,
    eld_serial_number: `G9${unique()}`,
    ...extra,
  });
  const create = async (g: GeotabAssetsFixture, body: Json) => {
    const res = await submit(t, p, 'POST', '/v2/telematics/vehicles', body);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
    return res.body;
  };
  const update = async (g: GeotabAssetsFixture, id: string, changes: Json) => {
    const res = await submit(t, p, 'PATCH', `/v2/telematics/vehicles/${id}`, { connection_id: g.connectionId, ...changes });
    assert.equal(res.body.status, 'success', res.text);
    return res.body;
  };

  test('a create with every field: each mapping row reads back from the Device; the rest is reported dropped', async () => {
    const g = await geotabAssets(t, p);
    const vehicle = fullVehicle();
    const op = await create(g, { connection_id: g.connectionId, ...vehicle });
    const device = await g.entity('Device', op.source_id);
    assert.deepEqual(
      {
        name: device.name, serialNumber: device.serialNumber, vehicleIdentificationNumber: device.vehicleIdentificationNumber,
        licensePlate: device.licensePlate, licenseState: device.licenseState, comment: device.comment, deviceType: device.deviceType,
        productId: device.productId, activeTo: device.activeTo, groups: device.groups,
      },
      {
        name: vehicle.vehicle_name, serialNumber: vehicle.eld_serial_number, vehicleIdentificationNumber: vehicle.vin,
        licensePlate: 'HMT-3570', licenseState: 'TX', comment: 'Night routes', deviceType: 'GO9', productId: 120, activeTo: MAX_DATE,
        groups: [{ id: 'GroupCompanyId' }, { id: 'GroupVehicleId' }],
      },
    );
    assert.deepEqual([...op.dropped_fields].sort(), [...NOT_STORED].sort());
    const record = await call(t, 'GET', `/v2/telematics/vehicles/${op.resource_id}`, { token: p.token });
    assert.deepEqual([record.body.source_id, record.body.vin], [op.source_id, vehicle.vin]);
  });

  test('the capability matrix reads the table: which fields Geotab stores, create and update, the Device rate classes', async () => {
    const matrix = await call(t, 'GET', '/v2/integrations/tsps', { token: p.token });
    const entry = matrix.body.items.find((x: Json) => x.tsp === 'geotab');
    assert.deepEqual(entry.resources.vehicle, { create: 'implemented', update: 'implemented' });
    const stored = entry.fields.vehicle as Record<string, boolean>;
    assert.deepEqual(Object.keys(stored), VEHICLE_ATTRIBUTE_NAMES);
    assert.deepEqual(VEHICLE_ATTRIBUTE_NAMES.filter((f) => !stored[f]), NOT_STORED);
    assert.deepEqual(
      Object.fromEntries(Object.entries(entry.rate_limit_classes).filter(([k]) => k.endsWith(':Device')).map(([k, v]) => [k, (v as Json).per_minute])),
      { 'Add:Device': 250, 'Set:Device': 250, 'Get:Device': 650 },
    );
    const vehicles = adapterFor('geotab')!.resources.vehicle!;
    assert.deepEqual([vehicles.rateClass!('create'), vehicles.rateClass!('update')], ['Add:Device', 'Get:Device']);
  });

  test('calls, not operations, take slots: each call takes one of its own class (an update two, Get:Device then Set:Device)', async () => {
    const vehicles = adapterFor('geotab')!.resources.vehicle!;
    const target = await directTarget(t);
    clearGeotabSessions();
    const attrs = { vehicle_name: 'Unit slot', eld_serial_number: `G9${unique()}` };
    const write = { operation: 'create' as const, changes: attrs, merged: attrs, externalId: randomUUID() };
    let id = '';
    const created = await classesTaken(vehicles, target, async (act) => {
      id = (await act.send(write)).sourceId!;
    });
    assert.deepEqual(created, ['Authenticate', 'Add:Device']);
    const changes = { notes: 'n' };
    const updated = await classesTaken(vehicles, target, async (act) => {
      assert.equal((await act.send({ operation: 'update', changes, merged: { ...attrs, ...changes }, externalId: write.externalId, sourceId: id })).ok, true);
      assert.equal((await act.findExisting(write)).sourceId, id);
    });
    assert.deepEqual(updated, ['Get:Device', 'Set:Device', 'Get:Device']);
  });

  test('refused at submit with Geotab and the field named; nothing reaches Geotab', async () => {
    const g = await geotabAssets(t, p);
    await g.clearCalls();
    const cases: Array<[Json, string, RegExp]> = [
      [{ eld_serial_number: undefined }, 'eld_serial_number', /requires its serial number/],
      [{ vehicle_name: undefined }, 'vehicle_name', /requires a device name/],
      [{ vehicle_name: null }, 'vehicle_name', /requires a device name/],
      [{ vehicle_name: '   ' }, 'vehicle_name', /non-empty name/],
      [{ vehicle_name: 'n'.repeat(51) }, 'vehicle_name', /name to 50 characters/],
      [{ eld_serial_number: 'S'.repeat(13) }, 'eld_serial_number', /serialNumber to 12 characters/],
      [{ vin: 'V'.repeat(51) }, 'vin', /vehicleIdentificationNumber to 50/],
      [{ license_plate_number: 'P'.repeat(51) }, 'license_plate_number', /licensePlate to 50/],
      [{ license_plate_region: 'R'.repeat(51) }, 'license_plate_region', /licenseState to 50/],
      [{ eld_device_type: 'GO99' }, 'eld_device_type', /no device type "GO99"/],
      [{ eld_device_type: 'None' }, 'eld_device_type', /no device type/],
      [{ eld_product_id: '12a' }, 'eld_product_id', /whole number/],
      [{ is_active: false }, 'is_active', /adds every device active/],
      [{ status: 'OUT_OF_SERVICE' }, 'status', /adds every device active/],
      [{ is_active: true, status: 'OUT_OF_SERVICE' }, 'is_active', /contradicts status/],
    ];
    for (const [extra, field, message] of cases) {
      const res = await submit(t, p, 'POST', '/v2/telematics/vehicles', minimal(g, extra), false);
      assert.equal(res.status, 422, `${JSON.stringify(extra)}: ${res.text}`);
      const problem = res.body.detail.find((d: Json) => d.path === `body.${field}`);
      assert.ok(problem, `${field} not named: ${res.text}`);
      assert.equal(problem.error_type, 'unsupported_by_tsp');
      assert.match(problem.message, /^Geotab/);
      assert.match(problem.message, message);
    }
    assert.deepEqual(await g.calls(), []);
  });

  test('an update is Get then Set: what was sent changes, a null clears a text, the rest stays; refusals on update', async () => {
    const g = await geotabAssets(t, p);
    const op = await create(g, { connection_id: g.connectionId, ...fullVehicle() });
    const before = await g.entity('Device', op.source_id);
    await g.clearCalls();
    const upd = await update(g, op.resource_id, { license_plate_number: 'NEW-1', notes: null, eld_device_type: 'CustomVehicleDevice', oem: 'Volvo' });
    assert.deepEqual(await g.calls(), ['Get Device', 'Set Device']);
    assert.deepEqual(upd.dropped_fields, ['oem']);
    const after = await g.entity('Device', op.source_id);
    assert.deepEqual([after.licensePlate, after.comment, after.deviceType], ['NEW-1', '', 'CustomVehicleDevice']);
    for (const member of ['name', 'serialNumber', 'vehicleIdentificationNumber', 'licenseState', 'productId', 'groups', 'activeTo']) {
      assert.deepEqual(after[member], before[member], member);
    }
    for (const [field, message] of [['vehicle_name', /always holds a device's name/], ['eld_serial_number', /serialNumber/], ['eld_product_id', /productId/]] as const) {
      const res = await submit(t, p, 'PATCH', `/v2/telematics/vehicles/${op.resource_id}`, { connection_id: g.connectionId, [field]: null });
      assert.equal(res.status, 422, res.text);
      assert.match(res.body.detail[0].message, message);
    }
  });

  test('deactivation archives the device (activeTo = now); reactivation restores the max date; a status label beyond activation is dropped', async () => {
    const g = await geotabAssets(t, p);
    const op = await create(g, minimal(g, { is_active: true }));
    const off = await update(g, op.resource_id, { is_active: false, status: 'OUT_OF_SERVICE' });
    const archived = await g.entity('Device', op.source_id);
    assert.ok(Date.parse(archived.activeTo) <= Date.now() && Date.parse(archived.activeTo) > Date.now() - 60_000, archived.activeTo);
    assert.deepEqual(off.dropped_fields, []);
    const on = await update(g, op.resource_id, { is_active: true, status: 'IN_REPAIR' });
    assert.equal((await g.entity('Device', op.source_id)).activeTo, MAX_DATE);
    assert.deepEqual(on.dropped_fields, ['status']);
  });

  test('a lost Add answer is retried without a second device: found by its serial number and adopted', async () => {
    const g = await geotabAssets(t, p);
    await g.fault({ method: 'Add', after_apply: true, status: 502, body: 'Bad Gateway' });
    const body = minimal(g, { vin: '1FUJGLDR5CLBP8834' });
    const submitted = await submit(t, p, 'POST', '/v2/telematics/vehicles', body, false);
    assert.equal(submitted.status, 202, submitted.text);
    const done = await waitForOperation(t, p, g.connectionId, submitted.body.id, 15_000);
    assert.equal(done.status, 'success', JSON.stringify(done.logs));
    assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', null]);
    const calls = await g.calls();
    assert.deepEqual(calls.filter((c) => c.endsWith('Device')), ['Add Device', 'Get Device']);
    const devices = await g.entities('Device', { serialNumber: body.eld_serial_number });
    assert.deepEqual(devices.map((d) => d.id), [done.source_id]);
  });

  test('a serial number another device holds: Geotab\'s DuplicateException, then the lookup names that device — failed, nothing adopted', async () => {
    const g = await geotabAssets(t, p);
    const serial = `G9${unique()}`;
    const theirs = await g.rpc('Add', { typeName: 'Device', entity: { name: 'Someone else', serialNumber: serial, groups: [{ id: 'GroupCompanyId' }] } });
    const submitted = await submit(t, p, 'POST', '/v2/telematics/vehicles', minimal(g, { eld_serial_number: serial }), false);
    const done = await waitForOperation(t, p, g.connectionId, submitted.body.id, 15_000);
    assert.equal(done.status, 'failed', JSON.stringify(done.logs));
    assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['conflict', 'validation']);
    assert.match(done.logs[1].error_details, new RegExp(`serial number "${serial}" \\(id ${theirs}, name "Someone else"\\).*name differ`));
    assert.equal((await g.entities('Device', { serialNumber: serial })).length, 1);
  });
});
