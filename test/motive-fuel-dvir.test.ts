// Fuel transactions and DVIR logs written to Motive through fleetgate's API, over real HTTP against the
// built-in Motive sandbox: every row of the fuel mapping table (src/tsps/motive/fuel-transactions/
// mapping.ts), every volume and odometer unit converted exactly, every fuel_type mapped or refused, the
// refusals at submit, a reference that does not resolve, a lost create answer that is failed with its
// reason instead of sent twice (and sent by a manual retry), DVIR logs refused as not supported, and
// the capability catalogue.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DISTANCE_UNITS, ENGINE_TYPES, FUEL_VOLUME_UNITS } from '../src/contract/enums.ts';
import { FUEL_TRANSACTION_ATTRIBUTE_NAMES } from '../src/contract/resources/fuel-transactions.ts';
import { DVIR_LOG_ATTRIBUTE_NAMES } from '../src/contract/resources/dvir-logs.ts';
import { motiveAdapter } from '../src/tsps/motive/index.ts';
import { LITRES_PER, METRES_PER, toUsGallons, toWholeMiles } from '../src/tsps/motive/fuel-transactions/units.ts';
import { MOTIVE_FUEL_FOR_ENGINE } from '../src/tsps/motive/vehicles/derive.ts';
import { call } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { FleetApp, Json, Written, WritesConnection } from './helpers/motive-writes.ts';
import { fleetApp, refusedAt, succeeded, writesConnection } from './helpers/motive-writes.ts';

const fuel = motiveAdapter.resources.fuel_transaction!;
const NOT_STORED = ['co_driver_id', 'latitude', 'longitude', 'location_string'];

/** One volume per unit, each exactly a round number of US gallons or not, and what Motive gets. */
const VOLUMES: ReadonlyArray<[(typeof FUEL_VOLUME_UNITS)[number], number, number]> = [
  ['US_GALLON', 12.5, 12.5],
  ['LITER', 37.85411784, 10],
  ['IMPERIAL_GALLON', 10, 12.009499], // 45.4609 L
  ['CUBIC_METER', 1, 264.172052], // 1000 L
];
/** One reading per unit, each exactly 100 miles. */
const ODOMETERS: ReadonlyArray<[(typeof DISTANCE_UNITS)[number], number]> = [
  ['miles', 100],
  ['kilo_meters', 160.9344],
  ['meters', 160934.4],
];

const mapCreate = (attrs: Json) =>
  fuel.map({ operation: 'create', changes: attrs, merged: attrs, externalId: randomUUID(), refs: { vehicle_id: '3', driver_id: '5' } });
const minimal = (extra: Json = {}): Json => ({
  driver_id: randomUUID(), vehicle_id: randomUUID(), transaction_time: '2026-05-01T10:30:00Z', transaction_jurisdiction: 'TX', fuel_type: 'DIESEL', fuel_volume: 50, fuel_volume_unit: 'US_GALLON', ...extra,
});

describe('the fuel table', () => {
  test('covers the 17 Catena fields; the capability matrix reads it', () => {
    assert.deepEqual(Object.keys(motiveAdapter.capabilities.fields.fuel_transaction!), FUEL_TRANSACTION_ATTRIBUTE_NAMES);
    const notStored = FUEL_TRANSACTION_ATTRIBUTE_NAMES.filter((f) => !motiveAdapter.capabilities.fields.fuel_transaction![f]);
    assert.deepEqual(notStored, NOT_STORED);
  });

  test('the unit definitions are the exact ones', () => {
    assert.deepEqual(LITRES_PER, { CUBIC_METER: 1000, LITER: 1, US_GALLON: 3.785411784, IMPERIAL_GALLON: 4.54609 });
    assert.deepEqual(METRES_PER, { miles: 1609.344, meters: 1, kilo_meters: 1000 });
    assert.deepEqual(VOLUMES.map(([u]) => u).sort(), [...FUEL_VOLUME_UNITS].sort());
    assert.deepEqual(ODOMETERS.map(([u]) => u).sort(), [...DISTANCE_UNITS].sort());
    for (const [unit, volume, gallons] of VOLUMES) assert.equal(toUsGallons(volume, unit), gallons, unit);
    for (const [unit, reading] of ODOMETERS) assert.equal(toWholeMiles(reading, unit), 100, unit);
    assert.equal(toWholeMiles(100.4, 'miles'), 100); // Motive keeps whole miles
    assert.equal(toWholeMiles(1609.344 * 99.6, 'meters'), 100);
  });

  test('every fuel_type maps to a Motive fuel_type or is refused, never to "other"', () => {
    const mapped = ENGINE_TYPES.map((fuel_type) => {
      const m = mapCreate(minimal({ fuel_type }));
      return m.ok ? m.body.fuel_type : 'refused';
    });
    assert.deepEqual(mapped, ['gasoline', 'diesel', 'ethanol', 'methanol', 'propane', 'propane', 'cng', 'lng', 'refused', 'refused', 'refused']);
    assert.deepEqual(Object.keys(MOTIVE_FUEL_FOR_ENGINE), [...ENGINE_TYPES]);
  });

  test('the native body carries the resolved Motive ids, never the fleetgate ids', () => {
    const m = mapCreate(minimal());
    assert.ok(m.ok);
    assert.deepEqual([m.body.vehicle_id, m.body.driver_id], [3, 5]);
    const unresolved = fuel.map({ operation: 'create', changes: minimal(), merged: minimal(), externalId: randomUUID(), refs: {} });
    assert.equal(unresolved.ok, false);
  });
});

for (const kind of testDbKinds()) {
  describe(`Motive fuel transactions and DVIR logs through fleetgate (${kind})`, () => {
    let app: FleetApp;
    let c: WritesConnection;
    let driver: Written;
    let truck: Written;
    before(async () => {
      app = await fleetApp(kind);
      c = await writesConnection(app);
      [driver, truck] = [await c.user('Dee'), await c.vehicle('T-9')];
    });
    after(async () => app?.close());

    const purchase = (extra: Json = {}): Json => ({ ...minimal(extra), driver_id: driver.id, vehicle_id: truck.id, ...extra });
    const nativeOf = async (sourceId: string): Promise<Json> => {
      const res = await c.motive.sandbox('GET', `/v1/fuel_purchases/${sourceId}`);
      assert.equal(res.status, 200);
      return res.body.fuel_purchase;
    };
    const purchases = async () => (await c.motive.sandbox('GET', '/v1/fuel_purchases?per_page=100')).body.pagination.total as number;

    test('a sync create writes every storable field; the others are reported in dropped_fields', async () => {
      const co = await c.user('Co');
      const op = succeeded(await c.write('fuel-transactions', {
        driver_id: driver.id, vehicle_id: truck.id, co_driver_id: co.id, latitude: 32.7, longitude: -96.8, location_string: 'Dallas, TX',
        odometer: 160.9344, odometer_unit: 'kilo_meters', transaction_time: '2026-05-01T05:30:00-05:00', transaction_jurisdiction: 'TX',
        fuel_type: 'DIESEL', fuel_volume: 37.85411784, fuel_volume_unit: 'LITER', fuel_vendor: 'Pilot #412', total_cost: '48.20', currency: 'USD',
      }));
      const native = await nativeOf(op.source_id);
      const expected = {
        vehicle_id: truck.motiveId, driver_id: driver.motiveId, purchased_at: '2026-05-01T10:30:00.000Z', jurisdiction: 'TX', fuel_type: 'diesel',
        fuel: 10, fuel_unit: 'gal', odometer: 100, odometer_unit: 'mi', vendor: 'Pilot #412', total_cost: 48.2, currency: 'USD',
      };
      for (const [field, value] of Object.entries(expected)) assert.deepEqual(native[field], value, field);
      assert.deepEqual([...op.dropped_fields].sort(), [...NOT_STORED].sort());
      // Nothing else went to Motive, and the time went as UTC.
      const [sent] = (await c.requests('POST', '/v1/fuel_purchases')).slice(-1);
      assert.deepEqual(Object.keys(sent.body).sort(), Object.keys(expected).sort());
      assert.equal(sent.body.purchased_at, '2026-05-01T10:30:00.000Z');
      const record = await call(app.t, 'GET', `/v2/telematics/fuel-transactions/${op.resource_id}`, { token: c.p.token });
      assert.deepEqual([record.body.source_id, record.body.fuel_volume, record.body.driver_id], [op.source_id, 37.85411784, driver.id]);
    });

    test('each volume unit lands converted exactly to US gallons', async () => {
      for (const [unit, volume, gallons] of VOLUMES) {
        const op = succeeded(await c.write('fuel-transactions', purchase({ fuel_volume: volume, fuel_volume_unit: unit })));
        const native = await nativeOf(op.source_id);
        assert.deepEqual([native.fuel, native.fuel_unit], [gallons, 'gal'], unit);
      }
    });

    test('each odometer unit lands converted exactly to whole miles; a reading needs its unit', async () => {
      for (const [unit, reading] of ODOMETERS) {
        const op = succeeded(await c.write('fuel-transactions', purchase({ odometer: reading, odometer_unit: unit })));
        const native = await nativeOf(op.source_id);
        assert.deepEqual([native.odometer, native.odometer_unit], [100, 'mi'], unit);
      }
      assert.match(refusedAt(await c.write('fuel-transactions', purchase({ odometer: 1200 })), 'odometer_unit'), /miles/);
      const unitOnly = succeeded(await c.write('fuel-transactions', purchase({ odometer_unit: 'miles' })));
      assert.deepEqual(unitOnly.dropped_fields, ['odometer_unit']);
      assert.equal((await nativeOf(unitOnly.source_id)).odometer, null);
    });

    test('each fuel_type Motive has lands as that fuel_type; the others are refused at submit', async () => {
      for (const fuel_type of ENGINE_TYPES) {
        const entry = MOTIVE_FUEL_FOR_ENGINE[fuel_type];
        const res = await c.write('fuel-transactions', purchase({ fuel_type }));
        if (typeof entry === 'string') assert.equal((await nativeOf(succeeded(res).source_id)).fuel_type, entry, fuel_type);
        else assert.match(refusedAt(res, 'fuel_type'), new RegExp(`no fuel_type for ${fuel_type}`));
      }
    });

    test('the time, the jurisdiction and the fuel type Motive requires are refused at submit when missing or blank', async () => {
      const before = await purchases();
      for (const [field, native] of [['transaction_time', 'purchased_at'], ['transaction_jurisdiction', 'jurisdiction'], ['fuel_type', 'fuel_type']]) {
        for (const value of [undefined, null]) assert.match(refusedAt(await c.write('fuel-transactions', purchase({ [field]: value })), field), new RegExp(`requires ${native}`));
      }
      refusedAt(await c.write('fuel-transactions', purchase({ transaction_jurisdiction: '  ' })), 'transaction_jurisdiction');
      assert.equal(await purchases(), before);
    });

    test('a vehicle that is no vehicle written through fleetgate is refused at submit, at its field', async () => {
      const res = await c.write('fuel-transactions', purchase({ vehicle_id: driver.id }));
      assert.equal(res.status, 422, res.text);
      assert.deepEqual(res.body.detail.map((d: Json) => [d.path, d.error_type]), [['body.vehicle_id', 'not_found']]);
    });

    test('a lost create answer is not sent again blindly (Motive cannot find it); a manual retry sends it', async () => {
      const before = await purchases();
      assert.equal((await c.motive.sandbox('POST', '/_sandbox/faults', { status: 502, body: 'Bad Gateway', after_apply: true })).status, 201);
      const submitted = await c.write('fuel-transactions', purchase({ fuel_vendor: 'lost answer' }), { sync: false });
      assert.equal(submitted.status, 202, submitted.text);
      const done = await c.wait(submitted.body.id);
      assert.equal(done.status, 'failed');
      assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', 'validation']);
      assert.match(done.logs[1].error_details, /not tried again automatically.*no external id/);
      assert.equal(await purchases(), before + 1); // the first attempt landed, nothing after it was sent
      const again = await c.retry(submitted.body.id);
      assert.equal(again.status, 'success', JSON.stringify(again.logs));
      assert.equal(await purchases(), before + 2); // the partner chose to send it again
    });

    test('a DVIR log is refused as not supported by Motive; nothing reaches Motive', async () => {
      const before = (await c.motive.sandbox('GET', '/_sandbox/requests')).body.requests.length;
      const res = await c.write('dvir-logs', { driver_id: driver.id, vehicle_id: truck.id, log_type: 'pre_trip' });
      assert.equal(res.status, 422, res.text);
      assert.deepEqual(res.body.detail.map((d: Json) => [d.path, d.error_type]), [['body.connection_id', 'unsupported_by_tsp']]);
      assert.match(res.body.detail[0].message, /Motive does not support dvir_log create/);
      assert.equal((await c.motive.sandbox('GET', '/_sandbox/requests')).body.requests.length, before);
      const dvir = motiveAdapter.resources.dvir_log!;
      const attrs = { driver_id: driver.id };
      const mapped = dvir.map({ operation: 'create', changes: attrs, merged: attrs, externalId: randomUUID() });
      assert.ok(!mapped.ok && /no API to create an inspection report/.test(mapped.refusals[0]!.message));
    });

    test('the capability catalogue: fuel_transaction create implemented, dvir_log create not supported', async () => {
      const matrix = await call(app.t, 'GET', '/v2/integrations/tsps', { token: c.p.token });
      const entry = matrix.body.items.find((x: Json) => x.tsp === 'motive');
      assert.deepEqual(entry.resources.fuel_transaction, { create: 'implemented', update: 'not_implemented' });
      assert.deepEqual(entry.resources.dvir_log, { create: 'not_supported', update: 'not_implemented' });
      assert.deepEqual(entry.fields.fuel_transaction, motiveAdapter.capabilities.fields.fuel_transaction);
      assert.deepEqual(Object.keys(entry.fields.dvir_log), DVIR_LOG_ATTRIBUTE_NAMES);
      assert.ok(Object.values(entry.fields.dvir_log).every((kept) => kept === false));
    });
  });
}
