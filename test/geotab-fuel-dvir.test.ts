// Fuel transactions and DVIR logs on Geotab over real HTTP: fleetgate's /v2/telematics/fuel-transactions and
// /dvir-logs against the app's built-in Geotab sandbox. Every row of src/tsps/geotab/fuel-transactions/mapping.ts
// and dvir-logs/mapping.ts read back from the entity, each unit converted exactly, the product-type and
// log-type tables, defects by the database's own defect-list ids (found by reference or name, kept between
// writes), the refusals at submit and at send, the previous log's rule, a lost Add answer adopted (fuel by
// externalReference, DVIR by asset, driver and time), the rate classes each call takes, and the catalogue.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DVIR_LOG_ATTRIBUTE_NAMES } from '../src/contract/resources/dvir-logs.ts';
import { FUEL_TRANSACTION_ATTRIBUTE_NAMES } from '../src/contract/resources/fuel-transactions.ts';
import { ENGINE_TYPES } from '../src/contract/enums.ts';
import { DEFAULT_DEFECT_LISTS } from '../src/sandbox/geotab/writes-vendor.ts';
import { clearGeotabDefectLists } from '../src/tsps/geotab/dvir-logs/defect-lists.ts';
import { clearGeotabSessions } from '../src/tsps/geotab/session.ts';
import { adapterFor } from '../src/tsps/registry.ts';
import type { Write } from '../src/tsps/kit/types.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import type { Json } from './helpers/geotab-assets.ts';
import { classesTaken } from './helpers/geotab-assets.ts';
import { geotabWrites } from './helpers/geotab-writes.ts';
import type { GeotabWritesFixture } from './helpers/geotab-writes.ts';
import { waitForOperation } from './helpers/motive.ts';

const FUEL = '/v2/telematics/fuel-transactions';
const DVIR = '/v2/telematics/dvir-logs';
const FUEL_NOT_STORED = ['co_driver_id', 'location_string', 'transaction_jurisdiction'];

describe('Geotab fuel transactions and DVIR logs', () => {
  let t: TestApp;
  let worker: Worker;
  let p: Partner;
  let g: GeotabWritesFixture;
  before(async () => {
    t = await startTestApp('pglite', { env: { FLEETGATE_RETRY_BASE_MS: '100', FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
    worker = startWorker(t.services, { pollMs: 25 });
    p = await newPartner(t);
    g = await geotabWrites(t, p);
  });
  after(async () => {
    await worker?.stop();
    await t?.close();
  });

  const ok = async (path: string, body: Json) => {
    const res = await g.write(path, body);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
    return res.body;
  };
  const fuel = (extra: Json = {}) => ({
    driver_id: g.driver.id,
    vehicle_id: g.vehicle.id,
    transaction_time: '2026-05-04T15:30:00Z',
    fuel_volume: 100,
    fuel_volume_unit: 'LITER',
    ...extra,
  });
  let minute = 0;
  /** A distinct inspection time per log (the previous-log rule orders an asset's logs by it). */
  const at = () => new Date(Date.UTC(2026, 4, 1, 8, 0) + ++minute * 60_000).toISOString();

  describe('fuel transactions', () => {
    test('a create with every field: each mapping row reads back from the FuelTransaction; the rest is reported dropped', async () => {
      const op = await ok(FUEL, {
        ...fuel(),
        co_driver_id: g.driver2.id,
        latitude: 32.7767,
        longitude: -96.797,
        location_string: '1200 Main St, Dallas, TX',
        odometer: 26.1,
        odometer_unit: 'miles',
        transaction_time: '2026-05-04T10:30:00-05:00',
        transaction_jurisdiction: 'TX',
        fuel_type: 'DIESEL',
        fuel_volume: 3,
        fuel_volume_unit: 'US_GALLON',
        fuel_vendor: 'Love\'s #512',
        total_cost: '11.87',
        currency: 'usd',
      });
      const [native] = await g.entities('FuelTransaction', { id: op.source_id });
      assert.deepEqual(
        {
          device: native.device, driver: native.driver, dateTime: native.dateTime, volume: native.volume, odometer: native.odometer,
          location: native.location, productType: native.productType, siteName: native.siteName, cost: native.cost,
          currencyCode: native.currencyCode, externalReference: native.externalReference,
        },
        {
          device: { id: g.vehicle.geotab }, driver: { id: g.driver.geotab }, dateTime: '2026-05-04T15:30:00.000Z', volume: 11.356235352,
          odometer: 42.0038784, location: { x: -96.797, y: 32.7767 }, productType: 'Diesel', siteName: 'Love\'s #512', cost: 11.87,
          currencyCode: 'USD', externalReference: op.resource_id,
        },
      );
      assert.deepEqual([...op.dropped_fields].sort(), FUEL_NOT_STORED);
    });

    test('units convert exactly: litres from each volume unit, km from each distance unit', async () => {
      const cases: Array<[Json, string, number]> = [
        [{ fuel_volume: 37.5, fuel_volume_unit: 'LITER' }, 'volume', 37.5],
        [{ fuel_volume: 10, fuel_volume_unit: 'US_GALLON' }, 'volume', 37.85411784],
        [{ fuel_volume: 3, fuel_volume_unit: 'IMPERIAL_GALLON' }, 'volume', 13.63827],
        [{ fuel_volume: 0.25, fuel_volume_unit: 'CUBIC_METER' }, 'volume', 250],
        [{ odometer: 3, odometer_unit: 'miles' }, 'odometer', 4.828032],
        [{ odometer: 1234.5, odometer_unit: 'kilo_meters' }, 'odometer', 1234.5],
        [{ odometer: 987654, odometer_unit: 'meters' }, 'odometer', 987.654],
      ];
      for (const [extra, member, expected] of cases) {
        const op = await ok(FUEL, fuel(extra));
        const [native] = await g.entities('FuelTransaction', { id: op.source_id });
        assert.equal(native[member], expected, JSON.stringify(extra));
      }
    });

    test('every EngineType maps through the product table; a fuel Geotab has no product for is Unknown and reported dropped', async () => {
      const table: Record<string, string> = {
        GASOLINE: 'Regular', DIESEL: 'Diesel', ETHANOL: 'Unknown', METHANOL: 'Unknown', PROPANE: 'LPG', LPG: 'LPG', CNG: 'CNG',
        LNG: 'Unknown', HYDROGEN: 'Hydrogen', ELECTRICITY: 'Electric', HYBRID: 'Unknown',
      };
      assert.deepEqual(Object.keys(table), [...ENGINE_TYPES]);
      for (const fuelType of ENGINE_TYPES) {
        const op = await ok(FUEL, fuel({ fuel_type: fuelType }));
        const [native] = await g.entities('FuelTransaction', { id: op.source_id });
        assert.equal(native.productType, table[fuelType], fuelType);
        assert.deepEqual(op.dropped_fields, table[fuelType] === 'Unknown' ? ['fuel_type'] : [], fuelType);
      }
    });

    test('refused at submit with Geotab and the field named; nothing reaches Geotab', async () => {
      await g.clearCalls();
      const cases: Array<[Json, string, RegExp]> = [
        [{ transaction_time: undefined }, 'transaction_time', /FuelTransaction.dateTime/],
        [{ total_cost: 12, currency: 'DOLLARS' }, 'currency', /ISO 4217/],
        [{ total_cost: 12, currency: 'XYZ' }, 'currency', /ISO 4217/],
        [{ total_cost: 12 }, 'currency', /in USD unless told its currency/],
        [{ odometer: 1200 }, 'odometer_unit', /in km/],
        [{ latitude: 32.7 }, 'longitude', /one coordinate/],
        [{ longitude: -96.8 }, 'latitude', /one coordinate/],
      ];
      for (const [extra, field, message] of cases) {
        const res = await g.write(FUEL, fuel(extra), false);
        assert.equal(res.status, 422, `${JSON.stringify(extra)}: ${res.text}`);
        const problem = res.body.detail.find((d: Json) => d.path === `body.${field}`);
        assert.ok(problem, `${field} not named: ${res.text}`);
        assert.equal(problem.error_type, 'unsupported_by_tsp');
        assert.match(problem.message, /^Geotab/);
        assert.match(problem.message, message);
      }
      assert.deepEqual(await g.calls(), []);
    });

    test('a lost Add answer is retried without a second transaction: found by its externalReference, adopted', async () => {
      await g.clearCalls();
      await g.fault({ method: 'Add', after_apply: true, status: 502, body: 'Bad Gateway' });
      const submitted = await g.write(FUEL, fuel({ transaction_time: '2026-05-07T09:00:00Z' }), false);
      const done = await waitForOperation(t, p, g.connectionId, submitted.body.id, 15_000);
      assert.equal(done.status, 'success', JSON.stringify(done.logs));
      assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', null]);
      assert.deepEqual(await g.calls(), ['Add FuelTransaction', 'Get FuelTransaction']);
      const found = await g.entities('FuelTransaction', { externalReference: done.resource_id });
      assert.deepEqual(found.map((x) => x.id), [done.source_id]);
    });
  });

  describe('DVIR logs', () => {
    const defectIds = async (kind: 'deviceSearch' | 'trailerSearch', id: string) => {
      const [list] = await g.rpc('Get', { typeName: 'Defect', search: { [kind]: { id } } });
      return { list: list.id as string, part: (name: string) => (list.children as Json[]).find((c) => c.name === name)!.id as string };
    };
    const log = (extra: Json = {}) => ({ driver_id: g.driver.id, vehicle_id: g.vehicle.id, occurred_at: at(), ...extra });

    test('a log with every field: each mapping row reads back from the DVIRLog, defects as the database\'s part ids', async () => {
      const vehicle = await g.vehicleRecord();
      const occurred = at();
      const op = await ok(DVIR, {
        driver_id: g.driver.id,
        vehicle_id: vehicle.id,
        occurred_at: occurred,
        log_type: 'pre_trip',
        inspected_by: 'Pat Mechanic',
        defect_count: 3,
        defects: ['brakes', 'tires', 'lights_front'],
        is_safety_critical: true,
        driver_comment: 'Left rear tire low',
        certify_comment: 'Reported to shop',
        odometer: 120000.5,
        odometer_unit: 'kilo_meters',
      });
      const [native] = await g.entities('DVIRLog', { id: op.source_id });
      const ids = await defectIds('deviceSearch', vehicle.geotab);
      assert.deepEqual(
        {
          device: native.device, trailer: native.trailer, driver: native.driver, dateTime: native.dateTime, logType: native.logType,
          isInspectedByDriver: native.isInspectedByDriver, defectList: native.defectList, defects: native.dvirDefects.map((d: Json) => d.defect.id),
          isSafeToOperate: native.isSafeToOperate, driverRemark: native.driverRemark, certifyRemark: native.certifyRemark, odometer: native.odometer,
          certifyDate: native.certifyDate,
        },
        {
          device: { id: vehicle.geotab }, trailer: null, driver: { id: g.driver.geotab }, dateTime: occurred, logType: 'PreTrip',
          isInspectedByDriver: true, defectList: { id: ids.list },
          defects: [ids.part('Service Brakes Including Trailer Brake Connections'), ids.part('Tires'), ids.part('Lighting Devices and Reflectors')],
          isSafeToOperate: false, driverRemark: 'Left rear tire low', certifyRemark: 'Reported to shop', odometer: 120000500, certifyDate: null,
        },
      );
      assert.deepEqual(op.dropped_fields, ['inspected_by']);
    });

    test('log types map through the table (a mechanic\'s log is inspected by an inspector); odometers convert exactly to metres', async () => {
      const cases: Array<[Json, Json]> = [
        [{ log_type: 'post_trip', odometer: 3, odometer_unit: 'miles' }, { logType: 'PostTrip', isInspectedByDriver: true, odometer: 4828.032 }],
        [{ log_type: 'unknown', odometer: 1.25, odometer_unit: 'kilo_meters' }, { logType: 'Unknown', isInspectedByDriver: true, odometer: 1250 }],
        [{ log_type: 'mechanic', odometer: 4321.5, odometer_unit: 'meters' }, { logType: 'Unknown', isInspectedByDriver: false, odometer: 4321.5 }],
        [{ is_safety_critical: false }, { logType: 'Unknown', isInspectedByDriver: true, odometer: null, isSafeToOperate: true }],
      ];
      for (const [extra, expected] of cases) {
        const op = await ok(DVIR, log(extra));
        const [native] = await g.entities('DVIRLog', { id: op.source_id });
        const got = Object.fromEntries(Object.keys(expected).map((k) => [k, native[k]]));
        assert.deepEqual(got, expected, JSON.stringify(extra));
      }
    });

    test('defects by the database\'s own list: a part tied to Catena by reference, one by name, kept between writes; a trailer uses the trailer list', async () => {
      const trailer = await g.trailerRecord();
      const { lists } = await g.control('PUT', '/_sandbox/defect-lists', {
        lists: [
          { name: 'Yard trailers', assetType: 'Trailer', parts: [{ name: 'Kingpin & Plate', reference: 'fifth_wheel', defects: [{ name: 'Worn' }] }, { name: 'Air Lines', defects: [] }, { name: 'Doors', isHidden: true, defects: [] }] },
          { name: 'Tractors', assetType: 'Device', parts: [{ name: 'Horn', defects: [] }] },
        ],
      });
      clearGeotabDefectLists();
      try {
        await g.clearCalls();
        const op = await ok(DVIR, { driver_id: g.driver.id, trailer_id: trailer.id, occurred_at: at(), defects: ['fifth_wheel', 'air_lines', 'air_lines'] });
        assert.deepEqual(await g.calls(), ['Get Defect', 'Get DVIRLog', 'Add DVIRLog']);
        const [native] = await g.entities('DVIRLog', { id: op.source_id });
        const [kingpin, airLines] = lists[0].children;
        assert.deepEqual([native.trailer, native.device, native.defectList], [{ id: trailer.geotab }, null, { id: lists[0].id }]);
        assert.deepEqual(native.dvirDefects.map((d: Json) => d.defect.id), [kingpin.id, airLines.id]);
        // The list was read once and kept: the second log on the trailer (an earlier inspection: nothing
        // before it) reads only the previous log, then adds.
        await g.clearCalls();
        await ok(DVIR, { driver_id: g.driver.id, trailer_id: trailer.id, occurred_at: '2026-04-01T08:00:00.000Z' });
        assert.deepEqual(await g.calls(), ['Get DVIRLog', 'Add DVIRLog']);
        // A defect the list has no part for, and one whose "Other" the fleet hid: failed at send, naming them.
        for (const [defects, message] of [[['landing_gear'], /no part for landing_gear .*"Kingpin & Plate", "Air Lines", "Doors"/], [['doors'], /"Other" is hidden/]] as const) {
          const res = await g.write(DVIR, { driver_id: g.driver.id, trailer_id: trailer.id, occurred_at: at(), defects });
          assert.equal(res.body.status, 'failed', res.text);
          assert.equal(res.body.logs[0].error_class, 'validation');
          assert.match(res.body.logs[0].error_details, message);
        }
      } finally {
        await g.control('PUT', '/_sandbox/defect-lists', { lists: DEFAULT_DEFECT_LISTS });
        clearGeotabDefectLists();
      }
    });

    test('refused at submit with Geotab and the field named: both assets or neither, no time, "unset", a wrong count, an odometer without unit', async () => {
      await g.clearCalls();
      const cases: Array<[Json, string, RegExp]> = [
        [{ trailer_id: g.trailer.id }, 'trailer_id', /a device or a trailer, not both/],
        [{ vehicle_id: undefined }, 'vehicle_id', /send vehicle_id or trailer_id/],
        [{ occurred_at: undefined }, 'occurred_at', /DVIRLog.dateTime/],
        [{ defects: ['brakes', 'unset'] }, 'defects', /"unset" names no part/],
        [{ defects: ['brakes'], defect_count: 2 }, 'defect_count', /does not match the 1 defects/],
        [{ defect_count: 1 }, 'defect_count', /does not match the 0 defects/],
        [{ odometer: 1200 }, 'odometer_unit', /in metres/],
      ];
      for (const [extra, field, message] of cases) {
        const res = await g.write(DVIR, log(extra), false);
        assert.equal(res.status, 422, `${JSON.stringify(extra)}: ${res.text}`);
        const problem = res.body.detail.find((d: Json) => d.path === `body.${field}`);
        assert.ok(problem, `${field} not named: ${res.text}`);
        assert.equal(problem.error_type, 'unsupported_by_tsp');
        assert.match(problem.message, /^Geotab/);
        assert.match(problem.message, message);
      }
      assert.deepEqual(await g.calls(), []);
    });

    test('the previous log\'s rule: a log after one with unrepaired defects that is not certified fails, naming it; once certified, a retry adds it', async () => {
      const vehicle = await g.vehicleRecord();
      const first = await ok(DVIR, log({ vehicle_id: vehicle.id, defects: ['horn'] }));
      await g.clearCalls();
      const blocked = await g.write(DVIR, log({ vehicle_id: vehicle.id }));
      assert.equal(blocked.body.status, 'failed', blocked.text);
      assert.equal(blocked.body.logs[0].error_class, 'validation');
      assert.match(blocked.body.logs[0].error_details, new RegExp(`log ${first.source_id} .*1 defect\\(s\\) not repaired and is not certified`));
      assert.deepEqual(await g.calls(), ['Get DVIRLog']);
      await g.rpc('Set', { typeName: 'DVIRLog', entity: { id: first.source_id, certifyDate: new Date().toISOString(), certifiedBy: { id: g.dispatcher.geotab } } });
      const retried = await call(t, 'POST', `/v2/integrations/connections/${g.connectionId}/resource-operations/${blocked.body.id}/retry`, { token: p.token });
      assert.equal(retried.status, 200, retried.text);
      const done = await waitForOperation(t, p, g.connectionId, blocked.body.id, 15_000);
      assert.equal(done.status, 'success', JSON.stringify(done.logs));
    });

    test('a lost Add answer is retried without a second log: found by asset, driver and time, adopted', async () => {
      const vehicle = await g.vehicleRecord();
      await g.clearCalls();
      await g.fault({ method: 'Add', after_apply: true, status: 502, body: 'Bad Gateway' });
      const body = log({ vehicle_id: vehicle.id, log_type: 'post_trip', defects: ['mirrors'] });
      const submitted = await g.write(DVIR, body, false);
      const done = await waitForOperation(t, p, g.connectionId, submitted.body.id, 15_000);
      assert.equal(done.status, 'success', JSON.stringify(done.logs));
      assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', null]);
      assert.deepEqual((await g.calls()).filter((c) => c.includes('DVIRLog')), ['Get DVIRLog', 'Add DVIRLog', 'Get DVIRLog']);
      const logs = await g.entities('DVIRLog', { deviceSearch: { id: vehicle.geotab } });
      assert.deepEqual(logs.map((l) => l.id), [done.source_id]);
    });
  });

  test('each call takes a slot of its own class: fuel Add:FuelTransaction (lookup Get:FuelTransaction); DVIR Get:Defect (first only), Get:DVIRLog, Add:DVIRLog', async () => {
    const geotab = adapterFor('geotab')!;
    const account = (await call(t, 'POST', '/sandbox/geotab/_sandbox/accounts')).body;
    const direct = { baseUrl: `${t.url}/sandbox/geotab`, credentials: { database: account.database, username: account.userName, password: account.password } };
    const admin = (await call(t, 'POST', '/sandbox/geotab/apiv1', { json: { method: 'Authenticate', params: { database: account.database, userName: account.userName, password: account.password } } })).body.result.credentials;
    const add = async (typeName: string, entity: Json) => (await call(t, 'POST', '/sandbox/geotab/apiv1', { json: { method: 'Add', params: { typeName, entity, credentials: admin } } })).body.result as string;
    const users = await call(t, 'POST', '/sandbox/geotab/apiv1', { json: { method: 'Get', params: { typeName: 'User', credentials: admin } } });
    const driver = users.body.result[0].id as string;
    const device = await add('Device', { name: 'Unit slot', serialNumber: 'G9SLOT000001', groups: [{ id: 'GroupCompanyId' }] });
    clearGeotabSessions();
    clearGeotabDefectLists();
    const write = (changes: Json, refs: Json): Write => ({ operation: 'create', changes, merged: changes, externalId: randomUUID(), refs });
    const fuelWrite = write({ driver_id: 'x', vehicle_id: 'y', transaction_time: '2026-05-08T00:00:00Z', fuel_volume: 1, fuel_volume_unit: 'LITER' }, { driver_id: driver, vehicle_id: device });
    const fuelTaken = await classesTaken(geotab.resources.fuel_transaction!, direct, async (act) => {
      assert.equal((await act.send(fuelWrite)).ok, true);
      assert.equal((await act.findExisting(fuelWrite)).found, true);
    });
    assert.deepEqual(fuelTaken, ['Authenticate', 'Add:FuelTransaction', 'Get:FuelTransaction']);
    const dvirWrite = () => write({ driver_id: 'x', vehicle_id: 'y', occurred_at: at(), log_type: 'unknown' }, { driver_id: driver, vehicle_id: device });
    const dvirTaken = await classesTaken(geotab.resources.dvir_log!, direct, async (act) => {
      assert.equal((await act.send(dvirWrite())).ok, true);
      assert.equal((await act.send(dvirWrite())).ok, true);
    });
    assert.deepEqual(dvirTaken, ['Get:Defect', 'Get:DVIRLog', 'Add:DVIRLog', 'Get:DVIRLog', 'Add:DVIRLog']);
    assert.deepEqual([geotab.resources.fuel_transaction!.rateClass!('create'), geotab.resources.dvir_log!.rateClass!('create')], ['Add:FuelTransaction', 'Get:Defect']);
  });

  test('the capability catalogue: fuel transactions and DVIR logs created, which fields Geotab stores, the documented rate classes', async () => {
    const matrix = await call(t, 'GET', '/v2/integrations/tsps', { token: p.token });
    const entry = matrix.body.items.find((x: Json) => x.tsp === 'geotab');
    assert.deepEqual([entry.resources.fuel_transaction.create, entry.resources.dvir_log.create], ['implemented', 'implemented']);
    assert.deepEqual(Object.keys(entry.fields.fuel_transaction), FUEL_TRANSACTION_ATTRIBUTE_NAMES);
    assert.deepEqual(FUEL_TRANSACTION_ATTRIBUTE_NAMES.filter((f) => !entry.fields.fuel_transaction[f]), FUEL_NOT_STORED);
    assert.deepEqual(Object.keys(entry.fields.dvir_log), DVIR_LOG_ATTRIBUTE_NAMES);
    assert.deepEqual(DVIR_LOG_ATTRIBUTE_NAMES.filter((f) => !entry.fields.dvir_log[f]), ['inspected_by']);
    const classes = Object.fromEntries(
      Object.entries(entry.rate_limit_classes).filter(([k]) => /:(FuelTransaction|DVIRLog|Defect)$/.test(k)).map(([k, v]) => [k, (v as Json).per_minute]),
    );
    assert.deepEqual(classes, { 'Add:FuelTransaction': 1000, 'Get:FuelTransaction': 250, 'Add:DVIRLog': 350, 'Get:DVIRLog': 1000, 'Get:Defect': 300 });
  });
});
