// Vehicles written to Motive through fleetgate's API, over real HTTP against the built-in Motive sandbox:
// every row of the mapping table (src/tsps/motive/vehicles/mapping.ts), every refusal, deactivation, an
// update, and a retried create after a lost answer that finds its record instead of making a second one.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ENGINE_TYPES } from '../src/contract/enums.ts';
import { VEHICLE_ATTRIBUTE_NAMES } from '../src/contract/resources/vehicles.ts';
import { motiveAdapter } from '../src/tsps/motive/index.ts';
import { METRIC_FOR_UNIT, MOTIVE_FUEL_FOR_ENGINE } from '../src/tsps/motive/vehicles/derive.ts';
import { call } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { FleetApp, FleetConnection, Json } from './helpers/motive-assets.ts';
import { fleetApp, fleetConnection, refusedAt, succeeded } from './helpers/motive-assets.ts';

const vehicles = motiveAdapter.resources.vehicle!;

/** Every normalized vehicle field, with values Motive can take. */
const FULL_VEHICLE = {
  vehicle_name: 'T-100',
  oem: 'Freightliner',
  model_type: 'Cascadia',
  model_year: 2022,
  vin: '1FUJGLDR5CLBP8834',
  engine_vin: 'ENG-77',
  license_plate_region: 'CA',
  license_plate_country: 'USA',
  license_plate_number: '5M37250',
  is_active: true,
  status: 'IN_SERVICE',
  notes: 'night runs',
  eld_id: '2',
  eld_serial_number: '000074802542164638439715893965',
  eld_device_type: 'lbb-1',
  eld_product_id: 'P-1',
  total_axles: 3,
  external_id: 'tms-9',
  speed_unit: 'km/h',
  odometer_unit: 'km',
  fuel_unit: 'liters',
  fuel_capacity: '400 liters',
  engine_type: 'DIESEL',
} as const;

const NOT_STORED = [
  'engine_vin', 'license_plate_country', 'eld_id', 'eld_serial_number', 'eld_device_type', 'eld_product_id',
  'total_axles', 'external_id', 'fuel_unit', 'fuel_capacity',
];

/** The mapping of one create, without fleetgate around it. */
const mapCreate = (attrs: Json) => vehicles.map({ operation: 'create', changes: attrs, merged: attrs, externalId: randomUUID() });

describe('the vehicle table', () => {
  test('covers the 24 Catena fields, and the capability matrix reads it', () => {
    assert.deepEqual(Object.keys(FULL_VEHICLE), VEHICLE_ATTRIBUTE_NAMES);
    assert.deepEqual(Object.keys(motiveAdapter.capabilities.fields.vehicle!), VEHICLE_ATTRIBUTE_NAMES);
    const notStored = VEHICLE_ATTRIBUTE_NAMES.filter((f) => !motiveAdapter.capabilities.fields.vehicle![f]);
    assert.deepEqual(notStored.sort(), [...NOT_STORED].sort());
  });

  test('every engine_type maps to a Motive fuel_type or is refused, never to "other"', () => {
    assert.deepEqual(Object.keys(MOTIVE_FUEL_FOR_ENGINE), [...ENGINE_TYPES]);
    const fuels = ENGINE_TYPES.map((engine_type) => {
      const m = mapCreate({ vehicle_name: 'x', engine_type });
      return m.ok ? m.body.fuel_type : 'refused';
    });
    assert.deepEqual(fuels, ['gasoline', 'diesel', 'ethanol', 'methanol', 'propane', 'propane', 'cng', 'lng', 'refused', 'refused', 'refused']);
  });

  test('every unit spelling sets metric_units; both units must agree', () => {
    for (const field of ['odometer_unit', 'speed_unit'] as const) {
      for (const [spelling, metric] of Object.entries(METRIC_FOR_UNIT[field])) {
        const m = mapCreate({ vehicle_name: 'x', [field]: ` ${spelling.toUpperCase()} ` });
        assert.ok(m.ok, `${field} ${spelling}`);
        assert.equal(m.body.metric_units, metric, `${field} ${spelling}`);
      }
    }
    assert.equal(mapCreate({ vehicle_name: 'x', odometer_unit: 'mi', speed_unit: 'km/h' }).ok, false);
  });
});

for (const kind of testDbKinds()) {
  describe(`Motive vehicles through fleetgate (${kind})`, () => {
    let app: FleetApp;
    let c: FleetConnection;
    before(async () => {
      app = await fleetApp(kind);
      c = await fleetConnection(app.t);
    });
    after(async () => app?.close());

    test('a sync create writes every storable field; the others are reported in dropped_fields', async () => {
      const op = succeeded(await c.create('vehicles', FULL_VEHICLE));
      const native = await c.native('vehicles', op.source_id);
      const expected = {
        number: 'T-100', make: 'Freightliner', model: 'Cascadia', year: '2022', vin: '1FUJGLDR5CLBP8834',
        license_plate_state: 'CA', license_plate_number: '5M37250', status: 'active', notes: 'night runs',
        metric_units: true, fuel_type: 'diesel',
      };
      for (const [field, value] of Object.entries(expected)) assert.deepEqual(native[field], value, field);
      assert.deepEqual(native.external_ids, [{ id: native.external_ids[0].id, external_id: op.resource_id, integration_name: 'fleetgate' }]);
      assert.deepEqual([...op.dropped_fields].sort(), [...NOT_STORED].sort());
      // Nothing else went to Motive.
      const [body] = await c.sent('vehicles', 'POST');
      assert.deepEqual(Object.keys(body).sort(), [...Object.keys(expected), 'external_ids_attributes'].sort());
    });

    test('each engine_type Motive has a fuel for lands as that fuel_type; the others are refused at submit', async () => {
      for (const engine_type of ENGINE_TYPES) {
        const entry = MOTIVE_FUEL_FOR_ENGINE[engine_type];
        const res = await c.create('vehicles', { vehicle_name: `F-${engine_type}`, engine_type });
        if (typeof entry === 'string') {
          assert.equal((await c.native('vehicles', succeeded(res).source_id)).fuel_type, entry, engine_type);
        } else {
          assert.match(refusedAt(res, 'engine_type'), new RegExp(engine_type));
        }
      }
    });

    test('imperial units land as metric_units false; unknown or contradicting units are refused at submit', async () => {
      const op = succeeded(await c.create('vehicles', { vehicle_name: 'U-1', odometer_unit: 'miles', speed_unit: 'mph' }));
      assert.equal((await c.native('vehicles', op.source_id)).metric_units, false);
      refusedAt(await c.create('vehicles', { vehicle_name: 'U-2', odometer_unit: 'furlongs' }), 'odometer_unit');
      assert.match(refusedAt(await c.create('vehicles', { vehicle_name: 'U-3', odometer_unit: 'km', speed_unit: 'mph' }), 'speed_unit'), /contradicts/);
    });

    test('a vehicle needs its number: missing, blank or cleared is refused at submit', async () => {
      const before = await c.count('vehicles');
      assert.match(refusedAt(await c.create('vehicles', { oem: 'Volvo' }), 'vehicle_name'), /number/);
      refusedAt(await c.create('vehicles', { vehicle_name: '  ' }), 'vehicle_name');
      const op = succeeded(await c.create('vehicles', { vehicle_name: 'N-1' }));
      refusedAt(await c.update('vehicles', op.resource_id, { vehicle_name: null }), 'vehicle_name');
      assert.equal(await c.count('vehicles'), before + 1);
    });

    test('an update PUTs only what changed (year as a string); a cleared field is cleared at Motive', async () => {
      const op = succeeded(await c.create('vehicles', { vehicle_name: 'P-1', oem: 'Kenworth', notes: 'old', model_year: 2020 }));
      succeeded(await c.update('vehicles', op.resource_id, { notes: 'new', model_year: 2021, oem: null }));
      const puts = await c.sent('vehicles', 'PUT');
      assert.deepEqual(puts.at(-1), { notes: 'new', year: '2021', make: null });
      const native = await c.native('vehicles', op.source_id);
      assert.deepEqual([native.number, native.notes, native.year, native.make], ['P-1', 'new', '2021', null]);
      const record = await call(app.t, 'GET', `/v2/telematics/vehicles/${op.resource_id}`, { token: c.p.token });
      assert.deepEqual([record.body.notes, record.body.model_year, record.body.oem], ['new', 2021, null]);
    });

    test('is_active false or status OUT_OF_SERVICE deactivates; another status label keeps it active; a contradiction is refused', async () => {
      const a = succeeded(await c.create('vehicles', { vehicle_name: 'D-1', is_active: true }));
      succeeded(await c.update('vehicles', a.resource_id, { is_active: false }));
      assert.equal((await c.native('vehicles', a.source_id)).status, 'deactivated');
      succeeded(await c.update('vehicles', a.resource_id, { is_active: true }));
      assert.equal((await c.native('vehicles', a.source_id)).status, 'active');

      const b = succeeded(await c.create('vehicles', { vehicle_name: 'D-2', status: 'IN_REPAIR' }));
      assert.equal((await c.native('vehicles', b.source_id)).status, 'active');
      succeeded(await c.update('vehicles', b.resource_id, { status: 'OUT_OF_SERVICE' }));
      assert.equal((await c.native('vehicles', b.source_id)).status, 'deactivated');
      // A write that touches neither leaves Motive's status alone.
      succeeded(await c.update('vehicles', b.resource_id, { notes: 'parked' }));
      assert.equal((await c.sent('vehicles', 'PUT')).at(-1)!.status, undefined);

      assert.match(refusedAt(await c.create('vehicles', { vehicle_name: 'D-3', is_active: true, status: 'OUT_OF_SERVICE' }), 'is_active'), /contradicts/);
    });

    test('a lost answer to a create is retried by finding the vehicle by its external id: no second vehicle', async () => {
      const before = await c.count('vehicles');
      assert.equal((await c.motive.sandbox('POST', '/_sandbox/faults', { status: 502, body: 'Bad Gateway', after_apply: true })).status, 201);
      const submitted = await c.create('vehicles', { vehicle_name: 'L-1' }, { sync: false });
      assert.equal(submitted.status, 202, submitted.text);
      const done = await c.wait(submitted.body.id);
      assert.equal(done.status, 'success', JSON.stringify(done.logs));
      assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', null]);
      assert.equal(await c.count('vehicles'), before + 1);
      const found = await c.motive.sandbox('GET', `/v1/vehicles/lookup_by_external_id?external_id=${done.resource_id}&integration_name=fleetgate`);
      assert.equal(String(found.body.vehicle.id), done.source_id);
      assert.equal((await c.sent('vehicles', 'POST')).filter((b) => b.number === 'L-1').length, 1);
    });

    test('a create repeating its external id adopts the vehicle the earlier attempt made, found by its external id', async () => {
      const target = { baseUrl: `${app.t.url}/sandbox/motive`, credentials: { api_key: c.motive.apiKey } };
      const write = { operation: 'create' as const, changes: { vehicle_name: 'C-1' }, merged: { vehicle_name: 'C-1' }, externalId: randomUUID() };
      const m = vehicles.map(write);
      assert.ok(m.ok);
      const first = await vehicles.send(target, write, m.body, { timeoutMs: 2000 });
      assert.equal(first.ok, true);
      const again = await vehicles.send(target, write, m.body, { timeoutMs: 2000 });
      assert.deepEqual([again.ok, again.statusCode, again.sourceId], [true, 200, first.sourceId]);
      const found = await vehicles.findExisting(target, write, m.body, { timeoutMs: 2000 });
      assert.equal(found.found, true);
      const missing = await vehicles.findExisting(target, { ...write, externalId: randomUUID() }, m.body, { timeoutMs: 2000 });
      assert.deepEqual([missing.ok, missing.found], [true, false]);
    });

    test('the capability matrix shows vehicle create and update, and the fields Motive stores', async () => {
      const matrix = await call(app.t, 'GET', '/v2/integrations/tsps', { token: c.p.token });
      const entry = matrix.body.items.find((x: Json) => x.tsp === 'motive');
      assert.deepEqual(entry.resources.vehicle, { create: 'implemented', update: 'implemented' });
      assert.deepEqual(entry.fields.vehicle, motiveAdapter.capabilities.fields.vehicle);
    });
  });
}
