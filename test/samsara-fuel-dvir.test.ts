// Samsara fuel transactions and DVIR logs over real HTTP. Fuel: the adapter against a standalone
// Samsara sandbox (every mapping row, each volume unit converted exactly, the fuel-type table, every
// refusal, the call's body and rate class), then the write API end to end through the app's mounted
// sandbox (driver and vehicle created through fleetgate, the vehicle's asset id taken as vehicleId,
// refusals at submit, a lost answer failed with its reason instead of recorded twice, a manual retry,
// a flood paced in its own class). DVIR: not supported at Samsara, in the catalogue and at submit.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { ENGINE_TYPES, FUEL_VOLUME_UNITS } from '../src/contract/enums.ts';
import type { FuelTransactionAttributes } from '../src/contract/resources/fuel-transactions.ts';
import { FUEL_TRANSACTION_ATTRIBUTE_NAMES } from '../src/contract/resources/fuel-transactions.ts';
import { DVIR_LOG_ATTRIBUTE_NAMES } from '../src/contract/resources/dvir-logs.ts';
import { resourceOperations } from '../src/db/schema.ts';
import { startSamsaraSandbox } from '../src/sandbox/samsara/index.ts';
import type { Write } from '../src/tsps/kit/types.ts';
import { samsaraAdapter } from '../src/tsps/samsara/index.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { waitForOperation } from './helpers/motive.ts';
import type { SamsaraConnection, SandboxAccount } from './helpers/samsara-assets.ts';
import { OPEN_CLASSES, recordingOpts, samsaraConnection, sandboxAccount } from './helpers/samsara-assets.ts';
import type { Written } from './helpers/samsara-writes.ts';
import { driverUser, trailer, vehicle } from './helpers/samsara-writes.ts';

const fuel = samsaraAdapter.resources.fuel_transaction!;
const dvir = samsaraAdapter.resources.dvir_log!;
type Json = Record<string, any>; // `any`: native bodies are read field by field

let sandbox: Awaited<ReturnType<typeof startSamsaraSandbox>>;
before(async () => {
  sandbox = await startSamsaraSandbox({ port: 0 });
});
after(async () => sandbox.close());

let seq = 0;

/** A driver and a vehicle (an asset of type vehicle) in a standalone sandbox account: their Samsara ids. */
async function fleet(acct: SandboxAccount): Promise<{ driverId: string; vehicleId: string }> {
  const d = await acct.sb('POST', '/fleet/drivers', { name: 'Dana', username: `dana${++seq}`, password: 'pw-123456' });
  const v = await acct.sb('POST', '/assets', { type: 'vehicle', name: `Truck ${seq}` });
  assert.deepEqual([d.status, v.status], [200, 200]);
  return { driverId: d.body.data.id, vehicleId: v.body.data.id };
}

/** The fields Samsara requires, with the partner's ids (fleetgate's; the adapter reads `refs`). */
const required = (): FuelTransactionAttributes => ({
  driver_id: randomUUID(),
  vehicle_id: randomUUID(),
  location_string: '350 Rhode Island St, San Francisco, CA 94103',
  transaction_time: '2026-02-27T21:20:50Z',
  fuel_volume: 40,
  fuel_volume_unit: 'LITER',
  total_cost: 72.5,
  currency: 'usd',
});
const write = (changes: Json, refs: Write['refs'] = { driver_id: '5', vehicle_id: '6' }): Write => ({ operation: 'create', changes, merged: changes, externalId: randomUUID(), refs });
const mapped = (changes: Json): Json => {
  const m = fuel.map(write(changes));
  assert.ok(m.ok, JSON.stringify(m));
  return m.body;
};
const kept = async (acct: SandboxAccount): Promise<Json[]> => (await acct.sb('GET', '/_sandbox/fuel-purchases')).body.fuel_purchases;

describe('fuel mapping rows', () => {
  test('every field lands where its row says or is reported dropped; Samsara keeps the purchase as sent', async () => {
    const acct = await sandboxAccount(sandbox.url);
    const { driverId, vehicleId } = await fleet(acct);
    const changes: FuelTransactionAttributes = {
      driver_id: randomUUID(),
      vehicle_id: randomUUID(),
      co_driver_id: randomUUID(),
      latitude: 40.748441,
      longitude: -73.985664,
      location_string: '20 W 34th St, New York, NY 10001',
      odometer: 120_000,
      odometer_unit: 'miles',
      transaction_time: '2026-02-27T14:20:50.52-07:00',
      transaction_jurisdiction: 'NY',
      fuel_type: 'DIESEL',
      fuel_volume: 12.5,
      fuel_volume_unit: 'US_GALLON',
      fuel_vendor: 'Shell',
      total_cost: '+0150.250',
      currency: ' USD ',
    };
    const w = write(changes, { driver_id: driverId, vehicle_id: vehicleId, co_driver_id: '999' });
    const rows: Record<keyof FuelTransactionAttributes, Json | 'dropped'> = {
      driver_id: { driverId },
      vehicle_id: { vehicleId },
      co_driver_id: 'dropped',
      latitude: { transactionLocation: '40.748441, -73.985664' },
      longitude: {},
      // Coordinates are exact; the address beside them is not sent.
      location_string: 'dropped',
      odometer: 'dropped',
      odometer_unit: 'dropped',
      transaction_time: { transactionTime: '2026-02-27T14:20:50.52-07:00' },
      transaction_jurisdiction: 'dropped',
      fuel_type: { iftaFuelType: 'Diesel' },
      fuel_volume: { fuelQuantityLiters: '47.3176473' },
      fuel_volume_unit: {},
      fuel_vendor: { merchantName: 'Shell' },
      total_cost: { transactionPrice: { amount: '150.250', currency: 'usd' } },
      currency: {},
    };
    assert.deepEqual(Object.keys(rows), FUEL_TRANSACTION_ATTRIBUTE_NAMES, 'one expectation per contract field, in its order');
    const m = fuel.map(w);
    assert.ok(m.ok, JSON.stringify(m));
    const expected = Object.assign({ transactionReference: w.externalId.replace(/-/g, '') }, ...Object.values(rows).filter((r) => r !== 'dropped'));
    assert.deepEqual(m.body, expected);
    assert.equal(String(m.body.transactionReference).length, 32);
    assert.deepEqual(m.dropped, FUEL_TRANSACTION_ATTRIBUTE_NAMES.filter((f) => rows[f] === 'dropped'));
    const stored = samsaraAdapter.capabilities.fields.fuel_transaction!;
    for (const f of FUEL_TRANSACTION_ATTRIBUTE_NAMES) {
      assert.equal(stored[f], !['co_driver_id', 'odometer', 'odometer_unit', 'transaction_jurisdiction'].includes(f), f);
    }

    const { opts, classes } = recordingOpts();
    const a = await fuel.send(acct.target, w, m.body, opts);
    assert.deepEqual([a.ok, a.statusCode], [true, 200], JSON.stringify(a));
    assert.deepEqual(classes, ['fuel_purchases']);
    const [purchase] = await kept(acct);
    assert.equal(a.sourceId, purchase!.uuid, "the record's Samsara id is the purchase's uuid");
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(purchase![k], v, k);
  });

  test('an address alone is the transactionLocation', () => {
    assert.equal(mapped(required()).transactionLocation, '350 Rhode Island St, San Francisco, CA 94103');
    const m = fuel.map(write({ ...required(), location_string: 'Depot 4' }));
    assert.ok(m.ok);
    assert.deepEqual(m.dropped, []);
  });

  const units: Array<[(typeof FUEL_VOLUME_UNITS)[number], number, string]> = [
    ['LITER', 40, '40'],
    ['US_GALLON', 12.345, '46.73090847348'],
    ['US_GALLON', 0.1, '0.3785411784'],
    ['IMPERIAL_GALLON', 37.2, '169.114548'],
    ['CUBIC_METER', 0.05, '50'],
    ['LITER', 1e-7, '0.0000001'],
  ];
  for (const [unit, volume, litres] of units) {
    test(`${volume} ${unit} is ${litres} L exactly (a decimal string, no float error, no exponent)`, () => {
      assert.equal(mapped({ ...required(), fuel_volume: volume, fuel_volume_unit: unit }).fuelQuantityLiters, litres);
    });
  }
  test('every volume unit has a conversion', () => {
    const covered = new Set(units.map(([u]) => u));
    assert.deepEqual(FUEL_VOLUME_UNITS.filter((u) => !covered.has(u)), []);
  });

  test('every fuel type maps through the table to a value Samsara takes, except HYBRID, which is refused', async () => {
    const table: Record<(typeof ENGINE_TYPES)[number], string | null> = {
      GASOLINE: 'Gasoline',
      DIESEL: 'Diesel',
      ETHANOL: 'Ethanol',
      METHANOL: 'Methanol',
      PROPANE: 'Propane',
      LPG: 'Propane',
      CNG: 'CompressedNaturalGas',
      LNG: 'LiquifiedNaturalGas',
      HYDROGEN: 'Hydrogen',
      ELECTRICITY: 'Electricity',
      HYBRID: null,
    };
    assert.deepEqual(Object.keys(table), ENGINE_TYPES);
    const acct = await sandboxAccount(sandbox.url);
    const refs = await fleet(acct);
    for (const type of ENGINE_TYPES) {
      const w = write({ ...required(), fuel_type: type }, { driver_id: refs.driverId, vehicle_id: refs.vehicleId });
      const m = fuel.map(w);
      if (table[type] === null) {
        assert.ok(!m.ok, type);
        assert.deepEqual([m.refusals[0]!.field, m.refusals[0]!.input], ['fuel_type', 'HYBRID']);
        assert.match(m.refusals[0]!.message, /HYBRID is a kind of vehicle, not a fuel/);
        continue;
      }
      assert.ok(m.ok, type);
      assert.equal(m.body.iftaFuelType, table[type], type);
      const a = await fuel.send(acct.target, w, m.body, recordingOpts().opts);
      assert.equal(a.ok, true, `${type}: ${a.errorDetails}`);
    }
  });

  test('the price: a number or Catena decimal string becomes a plain amount; the currency, any case, one of six', () => {
    const price = (total_cost: number | string, currency = 'CAD') => mapped({ ...required(), total_cost, currency }).transactionPrice;
    assert.deepEqual(price(150.5), { amount: '150.5', currency: 'cad' });
    assert.deepEqual(price('.5'), { amount: '0.5', currency: 'cad' });
    assert.deepEqual(price('5.'), { amount: '5', currency: 'cad' });
    assert.deepEqual(price('-0012.30'), { amount: '-12.30', currency: 'cad' });
    for (const c of ['usd', 'gbp', 'cad', 'eur', 'chf', 'MXN']) assert.equal(price(1, c).currency, c.toLowerCase());
  });
});

describe('fuel refusals: refused before any call, naming the field', () => {
  const cases: Array<[string, (f: Json) => Json, string, RegExp, Write['refs']?]> = [
    ['no location at all (Samsara requires transactionLocation)', ({ location_string: _l, ...f }) => f, 'location_string', /^Samsara requires the place of a fuel purchase/],
    ['a blank address', (f) => ({ ...f, location_string: ' ' }), 'location_string', /requires the place/],
    ['a latitude without its longitude', ({ location_string: _l, ...f }) => ({ ...f, latitude: 40.7 }), 'latitude', /longitude is missing/],
    ['a longitude without its latitude', (f) => ({ ...f, longitude: -73.9 }), 'longitude', /latitude is missing/],
    ['no transaction_time (Samsara requires one, with its zone)', ({ transaction_time: _t, ...f }) => f, 'transaction_time', /^Samsara requires the time of a fuel purchase/],
    ['no total_cost (transactionPrice is required)', ({ total_cost: _c, ...f }) => f, 'total_cost', /requires the price/],
    ['no currency', ({ currency: _c, ...f }) => f, 'currency', /requires the currency of the price \(transactionPrice.currency: usd, gbp, cad, eur, chf, mxn\)/],
    ['a currency outside the six', (f) => ({ ...f, currency: 'JPY' }), 'currency', /usd, gbp, cad, eur, chf, mxn only \(got "JPY"\)/],
    ['fuel_type HYBRID', (f) => ({ ...f, fuel_type: 'HYBRID' }), 'fuel_type', /not a fuel/],
    ['no fuel', (f) => ({ ...f, fuel_volume: 0 }), 'fuel_volume', /must be more than 0 \(got 0\)/],
    ['less than no fuel', (f) => ({ ...f, fuel_volume: -3 }), 'fuel_volume', /more than 0/],
    ['a driver with no Samsara id', (f) => f, 'driver_id', /driver by its Samsara id/, { vehicle_id: '6' }],
  ];
  for (const [name, change, field, message, refs] of cases) {
    test(name, () => {
      const m = fuel.map(write(change(required()), refs));
      assert.ok(!m.ok, 'refused');
      assert.deepEqual(m.refusals.map((r) => r.field), [field]);
      assert.match(m.refusals[0]!.message, message);
    });
  }

  test('every missing requirement is named at once', () => {
    const m = fuel.map(write({ driver_id: randomUUID(), vehicle_id: randomUUID(), fuel_volume: 1, fuel_volume_unit: 'LITER' }));
    assert.ok(!m.ok);
    assert.deepEqual(m.refusals.map((r) => r.field), ['location_string', 'transaction_time', 'total_cost', 'currency']);
  });

  test('no read API: refindable false with the reason; findExisting cannot look; the class is fuel_purchases (100/min)', async () => {
    assert.equal(fuel.refindable, false);
    assert.match(fuel.refindReason!, /no read API for fuel purchases .* may record the purchase twice/);
    const found = await fuel.findExisting({ baseUrl: sandbox.url, credentials: {} }, write(required()), {}, recordingOpts().opts);
    assert.deepEqual([found.ok, found.found], [false, false]);
    assert.equal(fuel.rateClass?.('create'), 'fuel_purchases');
    const cls = samsaraAdapter.descriptor.rateLimit.classes!.fuel_purchases!;
    assert.equal(cls.perMinute, 100);
    assert.match(cls.source, /POST \/fuel-purchase: "Rate limit: 100 requests\/min"/);
  });
});

describe('DVIR logs', () => {
  test('not supported: nothing Samsara keeps, and any mapping is refused with the reason', () => {
    assert.deepEqual(dvir.operations, { create: 'not_supported' });
    assert.deepEqual(Object.keys(dvir.fields), DVIR_LOG_ATTRIBUTE_NAMES);
    assert.ok(Object.values(dvir.fields).every((s) => s === 'not_stored'));
    const m = dvir.map(write({ driver_id: randomUUID(), vehicle_id: randomUUID(), log_type: 'mechanic' }, { driver_id: '5', vehicle_id: '6' }));
    assert.ok(!m.ok);
    assert.match(m.refusals[0]!.message, /mechanic DVIRs signed by a Samsara user .* a Samsara driver, not a user/);
  });
});

describe('through the write API', () => {
  let t: TestApp;
  let worker: Worker;
  let p: Partner;
  let c: SamsaraConnection;
  let dana: Written;
  let truck: Written;
  before(async () => {
    t = await startTestApp('pglite', { env: { FLEETGATE_RETRY_BASE_MS: '100', FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
    worker = startWorker(t.services, { pollMs: 25 });
    p = await newPartner(t);
    c = await samsaraConnection(t, p);
    [dana, truck] = [await driverUser(t, p, c), await vehicle(t, p, c)];
  });
  after(async () => {
    await worker?.stop();
    await t?.close();
  });
  const submit = (plural: string, json: Json, opts: { sync?: boolean; conn?: SamsaraConnection } = {}) =>
    call(t, 'POST', `/v2/telematics/${plural}${opts.sync === false ? '' : '?is_sync=true'}`, {
      token: p.token,
      json: { connection_id: (opts.conn ?? c).connectionId, ...json },
    });
  const body = (extra: Json = {}): Json => ({ ...required(), driver_id: dana.id, vehicle_id: truck.id, ...extra });
  const purchasesWith = async (reference: string): Promise<Json[]> => (await kept(c)).filter((x) => x.transactionReference === reference);

  test("a sync fuel transaction lands with the driver's and the vehicle asset's Samsara ids and fleetgate's id as reference", async () => {
    const res = await submit('fuel-transactions', body({ fuel_volume: 50, fuel_volume_unit: 'US_GALLON', odometer: 1200, odometer_unit: 'miles', co_driver_id: dana.id }));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
    assert.deepEqual([...res.body.dropped_fields].sort(), ['co_driver_id', 'odometer', 'odometer_unit']);
    const [purchase] = await purchasesWith(res.body.resource_id.replace(/-/g, ''));
    assert.ok(purchase, 'the purchase carries fleetgate\'s id as its transactionReference');
    assert.deepEqual(
      [purchase.uuid, purchase.vehicleId, purchase.driverId, purchase.fuelQuantityLiters, purchase.transactionPrice],
      [res.body.source_id, truck.sourceId, dana.sourceId, '189.2705892', { amount: '72.5', currency: 'usd' }],
    );
    const read = await call(t, 'GET', `/v2/telematics/fuel-transactions/${res.body.resource_id}`, { token: p.token });
    assert.deepEqual([read.body.fuel_volume, read.body.source_id], [50, purchase.uuid]);
  });

  test('refused at submit with nothing sent: what Samsara requires and the partner left out, a currency it lacks, ids fleetgate does not know', async () => {
    const before = (await c.requests()).length;
    const problems = async (json: Json) => {
      const res = await submit('fuel-transactions', json, { sync: false });
      assert.equal(res.status, 422, res.text);
      return res.body.detail.map((d: Json) => [d.path, d.error_type]);
    };
    const { location_string: _l, total_cost: _c, ...bare } = body();
    assert.deepEqual(await problems(bare), [['body.location_string', 'unsupported_by_tsp'], ['body.total_cost', 'unsupported_by_tsp']]);
    assert.deepEqual(await problems(body({ currency: 'JPY' })), [['body.currency', 'unsupported_by_tsp']]);
    assert.deepEqual(await problems(body({ vehicle_id: randomUUID() })), [['body.vehicle_id', 'not_found']]);
    const trailerRecord = await trailer(t, p, c);
    assert.deepEqual(await problems(body({ vehicle_id: trailerRecord.id })), [['body.vehicle_id', 'not_found']]);
    assert.equal((await c.requests()).slice(before).filter((r) => r.path === '/fuel-purchase').length, 0);
  });

  test('a lost answer is not sent again automatically (a second purchase may be recorded); a manual retry sends it, and Samsara keeps both', async () => {
    await c.fault({ status: 504, body: 'Gateway Timeout', after_apply: true });
    const res = await submit('fuel-transactions', body(), { sync: false });
    assert.equal(res.status, 202, res.text);
    const done = await waitForOperation(t, p, c.connectionId, res.body.id, 15_000);
    assert.equal(done.status, 'failed', JSON.stringify(done.logs));
    assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', 'validation']);
    assert.match(done.logs[1].error_details, /not tried again automatically: .*Samsara has no read API for fuel purchases.*transactionReference.*Check the fleet at Samsara/);
    // The API shows a create's resource_id once it succeeds; the id is fixed at submit, read here.
    const [row] = await t.services.database.db.select().from(resourceOperations).where(eq(resourceOperations.id, res.body.id));
    const reference = row!.resourceId!.replace(/-/g, '');
    assert.equal((await purchasesWith(reference)).length, 1, 'the first attempt landed; the second sent nothing');
    const retried = await call(t, 'POST', `/v2/integrations/connections/${c.connectionId}/resource-operations/${res.body.id}/retry`, { token: p.token });
    assert.equal(retried.status, 200, retried.text);
    const again = await waitForOperation(t, p, c.connectionId, res.body.id, 15_000);
    assert.equal(again.status, 'success', JSON.stringify(again.logs));
    assert.equal((await purchasesWith(reference)).length, 2, 'the documented duplicate: the partner asked for it again');
  });

  test('a fuel flood waits in its own class (100/min at Samsara): a message on the same connection is not held back', async () => {
    const slow = await samsaraConnection(t, p, { ...OPEN_CLASSES, fuel_purchases: 2 });
    const [d, v] = [await driverUser(t, p, slow), await vehicle(t, p, slow)];
    const queued = [];
    for (let i = 0; i < 4; i++) queued.push((await submit('fuel-transactions', { ...required(), driver_id: d.id, vehicle_id: v.id }, { sync: false, conn: slow })).body.id);
    const started = Date.now();
    const msg = await submit('messages', { sender_id: d.id, recipient_id: d.id, message_text: 'not held back' }, { conn: slow });
    assert.equal(msg.body.status, 'success', msg.text);
    assert.ok(Date.now() - started < 3000, `message took ${Date.now() - started} ms`);
    const states = await Promise.all(
      queued.map(async (id) => (await call(t, 'GET', `/v2/integrations/connections/${slow.connectionId}/resource-operations/${id}`, { token: p.token })).body.status),
    );
    assert.ok(states.filter((s) => s === 'pending').length >= 2, `fuel still paced: ${states.join(', ')}`);
  });

  test('a DVIR log is refused at submit (Samsara does not support it), whatever its type; nothing is sent', async () => {
    const before = (await c.requests()).length;
    for (const log_type of ['mechanic', 'pre_trip'] as const) {
      const res = await submit('dvir-logs', { driver_id: dana.id, vehicle_id: truck.id, log_type, is_safety_critical: false }, { sync: false });
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.detail[0].error_type, 'unsupported_by_tsp');
      assert.match(res.body.detail[0].message, /^Samsara does not support dvir_log create: Samsara creates only mechanic DVIRs signed by a Samsara user/);
    }
    assert.equal((await c.requests()).length, before);
  });

  test('the capability catalogue: fuel implemented with its class, DVIR not_supported with nothing stored', async () => {
    const entry = (await call(t, 'GET', '/v2/integrations/tsps', { token: p.token })).body.items.find((x: Json) => x.tsp === 'samsara');
    assert.deepEqual(entry.resources.fuel_transaction, { create: 'implemented', update: 'not_implemented' });
    assert.deepEqual(entry.resources.dvir_log, { create: 'not_supported', update: 'not_implemented' });
    assert.deepEqual(entry.fields.fuel_transaction, samsaraAdapter.capabilities.fields.fuel_transaction);
    assert.ok(Object.values(entry.fields.dvir_log).every((s) => s === false));
    assert.equal(entry.rate_limit_classes.fuel_purchases.per_minute, 100);
  });
});
