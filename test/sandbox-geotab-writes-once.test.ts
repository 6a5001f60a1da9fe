// The Geotab sandbox's TextMessage, FuelTransaction, DVIRLog and Defect entities over real HTTP: what MyGeotab
// requires and refuses (src/sandbox/geotab/writes-vendor.ts and the entity files cite each rule), their
// searches (criteria the sandbox does not implement refused with Geotab's own error), defect lists, the
// previous log's rule, rate limits per (method, entity), faults and persistence.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGeotabSandbox } from '../src/sandbox/geotab/index.ts';
import type { GeotabAccount, Json } from './helpers/sandbox-http.ts';
import { geotabControl, geotabDatabase, geotabErrorOf, geotabRpc, jsonHttp as http } from './helpers/sandbox-http.ts';

type Account = GeotabAccount;

let clock = Date.now();
let base = '';
let close: () => Promise<void>;
before(async () => {
  const server = await startGeotabSandbox({ port: 0, now: () => clock });
  base = server.url;
  close = server.close;
});
after(async () => close());

const rpc = (method: string, params: Json, at = base) => geotabRpc(at, method, params);
const control = (a: Account, method: string, path: string, body?: unknown, at = base) => geotabControl(at, a, method, path, body);
const errorOf = geotabErrorOf;
const SERIALIZER = 'JsonSerializerException';

let seq = 0;
/** A fresh database, a session, and a driver, a dispatcher, a device and a trailer in it. */
async function database(at = base) {
  const { a, call } = await geotabDatabase(at);
  const id = async (typeName: string, entity: Json) => {
    const res = await call('Add', typeName, { entity });
    assert.equal(res.body.error, undefined, JSON.stringify(res.body.error));
    return res.body.result as string;
  };
  const user = (name: string) =>
    id('User', { name: `${name}-${++seq}@x.example`, password: 'S3cret-pass', securityGroups: [{ id: 'GroupDriveUserSecurityId' }], companyGroups: [{ id: 'GroupCompanyId' }] });
  const driver = await user('driver');
  const dispatcher = await user('dispatcher');
  const device = await id('Device', { name: `Truck ${++seq}`, serialNumber: `G9${String(seq).padStart(10, '0')}`, vehicleIdentificationNumber: `1FUJGLDR5CLBP${String(seq).padStart(4, '0')}`, groups: [{ id: 'GroupCompanyId' }] });
  const trailer = await id('Trailer', { name: `Trailer ${++seq}` });
  const lists = (await call('Get', 'Defect')).body.result as Json[];
  return { a, call, id, user, driver, dispatcher, device, trailer, lists };
}

describe('TextMessage', () => {
  test('Add and Get: to a recipient user (no device), defaults rendered; the search by sender, recipient, date, content type and parent', async () => {
    const { call, id, driver, dispatcher } = await database();
    const entity = (extra: Json = {}) => ({ user: { id: dispatcher }, recipient: { id: driver }, isDirectionToVehicle: true, messageContent: { contentType: 'Normal', message: 'Hi' }, ...extra });
    const first = await id('TextMessage', entity());
    const [m] = (await call('Get', 'TextMessage', { search: { id: first } })).body.result;
    assert.deepEqual(
      [m.user, m.recipient, m.device, m.parentMessage, m.messageContent, m.sent, m.delivered, m.read],
      [{ id: dispatcher }, { id: driver }, null, null, { contentType: 'Normal', message: 'Hi', urgent: false }, new Date(clock).toISOString(), '2050-01-01T00:00:00.000Z', null],
    );
    clock += 60_000;
    const reply = await id('TextMessage', entity({ user: { id: driver }, recipient: { id: dispatcher }, parentMessage: { id: first }, messageContent: { contentType: 'Normal', message: 'Ok', urgent: true } }));
    const ids = async (search: Json) => (await call('Get', 'TextMessage', { search })).body.result.map((x: Json) => x.id);
    assert.deepEqual(await ids({ userSearch: { id: dispatcher } }), [first]);
    assert.deepEqual(await ids({ recipientSearch: { id: dispatcher } }), [reply]);
    assert.deepEqual(await ids({ fromDate: new Date(clock - 1000).toISOString() }), [reply]);
    assert.deepEqual(await ids({ toDate: new Date(clock - 1000).toISOString() }), [first]);
    assert.deepEqual(await ids({ parentMessageId: first }), [reply]);
    assert.deepEqual(await ids({ contentTypes: ['Location'] }), []);
    assert.deepEqual(await ids({ isDirectionToVehicle: false }), []);
  });

  test('what Geotab refuses: nowhere to send it, unknown users, other content types, no text, wrong types; unimplemented criteria and methods', async () => {
    const { call, driver } = await database();
    const refused = async (entity: Json) => errorOf(await call('Add', 'TextMessage', { entity }));
    const content = { contentType: 'Normal', message: 'x' };
    assert.deepEqual((await refused({ messageContent: content }))[0], 'ArgumentException');
    assert.deepEqual(await refused({ recipient: { id: 'b999' }, messageContent: content }), ['ArgumentException', "TextMessage.recipient: no User with id 'b999'"]);
    assert.deepEqual(await refused({ recipient: { id: driver }, user: { id: 'b998' }, messageContent: content }), ['ArgumentException', "TextMessage.user: no User with id 'b998'"]);
    assert.deepEqual(await refused({ recipient: { id: driver }, parentMessage: { id: 'b997' }, messageContent: content }), ['ArgumentException', "TextMessage.parentMessage: no TextMessage with id 'b997'"]);
    assert.match((await refused({ recipient: { id: driver }, messageContent: { contentType: 'Location', message: 'x' } }))[1], /Location is not supported by the fleetgate sandbox/);
    assert.deepEqual(await refused({ recipient: { id: driver }, messageContent: { contentType: 'Normal', message: ' ' } }), ['ArgumentException', "'messageContent.message' must not be empty"]);
    assert.deepEqual(await refused({ recipient: { id: driver }, messageContent: { contentType: 'Normal' } }), ['ArgumentException', "'messageContent.message' is required"]);
    for (const bad of [{ messageContent: { contentType: 'Nope', message: 'x' } }, { messageContent: { ...content, urgent: 'yes' } }, { recipient: driver, messageContent: content }]) {
      assert.equal((await refused({ recipient: { id: driver }, ...bad }))[0], SERIALIZER, JSON.stringify(bad));
    }
    assert.deepEqual(await refused({ recipient: { id: driver }, messageContent: content, read: '2026-01-01T00:00:00Z' }), ['ArgumentException', 'TextMessage.read is not supported by the fleetgate sandbox']);
    for (const search of [{ isRead: true }, { userSearch: { companyGroups: [{ id: 'GroupCompanyId' }] } }]) {
      assert.equal(errorOf(await call('Get', 'TextMessage', { search }))[0], 'ArgumentException', JSON.stringify(search));
    }
    assert.match(errorOf(await call('Set', 'TextMessage', { entity: { id: 'b1' } }))[1], /Set of TextMessage is not supported by the fleetgate sandbox/);
  });
});

describe('FuelTransaction', () => {
  test('Add and Get: Geotab\'s defaults; a device matched by VIN, or NoDeviceId; UnknownDriverId; sourceData left out on request', async () => {
    const { call, id, driver, device } = await database();
    const [vin] = (await call('Get', 'Device', { search: { id: device } })).body.result.map((d: Json) => d.vehicleIdentificationNumber);
    const bare = await id('FuelTransaction', { externalReference: 'bare' });
    const [t] = (await call('Get', 'FuelTransaction', { search: { id: bare } })).body.result;
    assert.deepEqual(
      [t.volume, t.cost, t.currencyCode, t.location, t.odometer, t.productType, t.provider, t.device, t.driver, t.siteName, t.dateTime],
      [0, 0, 'USD', { x: 0, y: 0 }, 0, 'Unknown', 'Unknown', { id: 'NoDeviceId' }, { id: 'UnknownDriverId' }, '', new Date(clock).toISOString()],
    );
    const matched = await id('FuelTransaction', { vehicleIdentificationNumber: vin.toLowerCase(), sourceData: '{"raw":1}' });
    const [m] = (await call('Get', 'FuelTransaction', { search: { id: matched } })).body.result;
    assert.deepEqual([m.device, m.sourceData], [{ id: device }, '{"raw":1}']);
    const [lean] = (await call('Get', 'FuelTransaction', { search: { id: matched, includeSourceData: false } })).body.result;
    assert.equal(lean.sourceData, undefined);
    const full = await id('FuelTransaction', { device: { id: device }, driver: { id: driver }, externalReference: 'ext-42', volume: 10.5, location: { x: -96.8, y: 32.7 }, productType: 'Diesel', currencyCode: 'CAD', cost: 20 });
    const ids = async (search: Json) => (await call('Get', 'FuelTransaction', { search })).body.result.map((x: Json) => x.id);
    assert.deepEqual(await ids({ externalReference: 'ext-42' }), [full]);
    assert.deepEqual(await ids({ externalReference: 'ext%' }), [full]);
    assert.deepEqual(await ids({ deviceSearch: { id: device }, userSearch: { id: driver } }), [full]);
    assert.deepEqual(await ids({ fromDate: new Date(clock + 1).toISOString() }), []);
  });

  test('what Geotab refuses: an unknown device or driver, a currency that is not ISO 4217, a coordinate off the earth, lengths, wrong types, a duplicate', async () => {
    const { call, device } = await database();
    const refused = async (entity: Json) => errorOf(await call('Add', 'FuelTransaction', { entity }));
    assert.deepEqual(await refused({ device: { id: 'b999' } }), ['ArgumentException', "FuelTransaction.device: no Device with id 'b999'"]);
    assert.deepEqual(await refused({ driver: { id: 'b999' } }), ['ArgumentException', "FuelTransaction.driver: no User with id 'b999'"]);
    assert.match((await refused({ currencyCode: 'usd' }))[1], /ISO 4217/);
    assert.match((await refused({ location: { x: -200, y: 10 } }))[1], /not a coordinate/);
    assert.deepEqual(await refused({ externalReference: 'x'.repeat(256) }), ['ArgumentException', "'externalReference' is too long: 256 characters, at most 255"]);
    assert.equal((await refused({ comments: 'x'.repeat(1025) }))[0], 'ArgumentException');
    for (const bad of [{ volume: '10' }, { productType: 'Gasoline' }, { device: device }, { dateTime: 'today' }]) {
      assert.equal((await refused(bad))[0], SERIALIZER, JSON.stringify(bad));
    }
    assert.equal((await refused({ confidence: 'High' }))[0], 'ArgumentException');
    // "Fuel transactions must be unique when comparing all fields (excluding sourceData)".
    const same = { device: { id: device }, dateTime: '2026-05-01T00:00:00Z', volume: 50 };
    assert.equal((await call('Add', 'FuelTransaction', { entity: { ...same, sourceData: 'a' } })).body.error, undefined);
    assert.equal((await refused({ ...same, sourceData: 'b' }))[0], 'DuplicateException');
    assert.equal((await call('Add', 'FuelTransaction', { entity: { ...same, volume: 51 } })).body.error, undefined);
    assert.equal(errorOf(await call('Get', 'FuelTransaction', { search: { maxVersion: 3 } }))[0], 'ArgumentException');
  });
});

describe('DVIRLog and defect lists', () => {
  test('Get Defect: the lists available to a device or a trailer, each a tree of parts and defects; a node by id; the control API replaces them', async () => {
    const { a, call, device, trailer, lists } = await database();
    assert.deepEqual(lists.map((l) => [l.name, l.assetType, l.isDefectList]), [['Vehicle Defects', 'Device', true], ['Trailer Defects', 'Trailer', true]]);
    const names = async (search: Json) => (await call('Get', 'Defect', { search })).body.result.map((l: Json) => l.name);
    assert.deepEqual(await names({ deviceSearch: { id: device } }), ['Vehicle Defects']);
    assert.deepEqual(await names({ trailerSearch: { id: trailer } }), ['Trailer Defects']);
    assert.deepEqual(await names({ deviceSearch: { id: 'b999' } }), []);
    const part = lists[0].children[0];
    assert.deepEqual([part.name, part.isHidden, part.children.map((d: Json) => d.name)], ['Service Brakes Including Trailer Brake Connections', false, ['Air leak', 'Slow to release']]);
    assert.deepEqual((await call('Get', 'Defect', { search: { id: part.id } })).body.result[0].id, part.id);
    assert.equal(errorOf(await call('Get', 'Defect', { search: { groups: [{ id: 'GroupCompanyId' }] } }))[0], 'ArgumentException');
    const replaced = await control(a, 'PUT', '/_sandbox/defect-lists', { lists: [{ name: 'All assets', assetType: 'All', parts: [{ name: 'Horn', reference: 'horn', defects: [] }] }] });
    assert.deepEqual(replaced.lists.map((l: Json) => [l.name, l.children[0].reference]), [['All assets', 'horn']]);
    assert.deepEqual(await names({ trailerSearch: { id: trailer } }), ['All assets']);
    const bad = await http(`${base}/_sandbox/defect-lists`, 'PUT', { lists: [{ name: 'x', assetType: 'Boat', parts: [] }] }, { 'x-sandbox-database': a.database, 'x-sandbox-password': a.password });
    assert.equal(bad.status, 400);
  });

  test('Add: a device or a trailer, not both; a driver; the defect list, matching the asset; defects of that list; the repair rules', async () => {
    const { call, driver, device, trailer, lists } = await database();
    const [vehicleList, trailerList] = lists;
    const part = vehicleList.children[0];
    const log = (extra: Json = {}) => ({ device: { id: device }, driver: { id: driver }, defectList: { id: vehicleList.id }, dateTime: new Date(clock).toISOString(), ...extra });
    const refused = async (entity: Json) => errorOf(await call('Add', 'DVIRLog', { entity }));
    assert.deepEqual(await refused(log({ trailer: { id: trailer } })), ['ArgumentException', 'Either a Device or a Trailer is defined for a log, not both']);
    assert.deepEqual(await refused(log({ device: undefined })), ['ArgumentException', 'Either a Device or a Trailer is defined for a log, not both']);
    assert.deepEqual(await refused(log({ defectList: undefined })), ['ArgumentException', 'DefectList must be provided with DVIRLog']);
    assert.match((await refused(log({ defectList: { id: trailerList.id } })))[1], /is for Trailer assets, not a Device/);
    assert.match((await refused(log({ dvirDefects: [{ defect: { id: trailerList.children[0].id } }] })))[1], /is not a defect or part of the log's defect list/);
    assert.deepEqual(await refused(log({ driver: undefined })), ['ArgumentException', "'driver' is required"]);
    assert.match((await refused(log({ dvirDefects: [{ defect: { id: part.id }, repairUser: { id: driver } }] })))[1], /not supported for an unrepaired DVIRDefect/);
    assert.match((await refused(log({ dvirDefects: [{ defect: { id: part.id }, repairStatus: 'Repaired' }] })))[1], /cannot be completed without/);
    for (const bad of [{ logType: 'Mechanic' }, { odometer: '12' }, { dvirDefects: {} }]) assert.equal((await refused(log(bad)))[0], SERIALIZER, JSON.stringify(bad));
    assert.equal((await refused(log({ engineHours: 3600 })))[0], 'ArgumentException');
    const ok = await call('Add', 'DVIRLog', { entity: log({ logType: 'PreTrip', dvirDefects: [{ defect: { id: part.id } }, { defect: { id: part.children[0].id } }], odometer: 1000 }) });
    const [stored] = (await call('Get', 'DVIRLog', { search: { id: ok.body.result } })).body.result;
    assert.deepEqual(
      [stored.logType, stored.isInspectedByDriver, stored.odometer, stored.dvirDefects.map((d: Json) => [d.defect.id, d.repairStatus])],
      ['PreTrip', true, 1000, [[part.id, 'NotRepaired'], [part.children[0].id, 'NotRepaired']]],
    );
  });

  test('the previous log\'s rule: a log after one with unrepaired defects that is not certified is refused; certifying (Set) lets it in; repairs cannot change once set', async () => {
    const { call, driver, dispatcher, device, lists } = await database();
    const part = lists[0].children[1];
    const log = (minute: number, extra: Json = {}) => ({ device: { id: device }, driver: { id: driver }, defectList: { id: lists[0].id }, dateTime: new Date(Date.UTC(2026, 4, 1, 8, minute)).toISOString(), ...extra });
    const first = (await call('Add', 'DVIRLog', { entity: log(0, { dvirDefects: [{ defect: { id: part.id } }] }) })).body.result;
    const blocked = await call('Add', 'DVIRLog', { entity: log(10) });
    assert.deepEqual(errorOf(blocked), ['ArgumentException', `The previous DVIRLog '${first}' of this asset has 1 unrepaired defect(s) and is not certified: certify it before adding a new log`]);
    // An earlier inspection has no previous log: allowed.
    assert.equal((await call('Add', 'DVIRLog', { entity: log(-10) })).body.error, undefined);
    assert.equal(errorOf(await call('Set', 'DVIRLog', { entity: { id: first, device: { id: 'b999' } } }))[0], 'ArgumentException');
    const [stored] = (await call('Get', 'DVIRLog', { search: { id: first } })).body.result;
    const defectId = stored.dvirDefects[0].id;
    const repair = { id: defectId, repairStatus: 'Repaired', repairUser: { id: dispatcher }, repairDateTime: '2026-05-01T09:00:00.000Z' };
    assert.equal((await call('Set', 'DVIRLog', { entity: { ...stored, dvirDefects: [repair] } })).body.error, undefined);
    assert.match(errorOf(await call('Set', 'DVIRLog', { entity: { id: first, dvirDefects: [{ ...repair, repairStatus: 'NotNecessary' }] } }))[1], /cannot be changed once set/);
    // Repaired (no outstanding defect): the next log goes in even before certification.
    assert.equal((await call('Add', 'DVIRLog', { entity: log(10, { dvirDefects: [{ defect: { id: part.id } }] }) })).body.error, undefined);
    assert.equal(errorOf(await call('Add', 'DVIRLog', { entity: log(20) }))[0], 'ArgumentException');
    const [second] = (await call('Get', 'DVIRLog', { search: { deviceSearch: { id: device }, fromDate: log(10).dateTime, toDate: log(10).dateTime } })).body.result;
    await call('Set', 'DVIRLog', { entity: { id: second.id, certifyDate: '2026-05-01T08:15:00.000Z', certifiedBy: { id: driver }, certifyRemark: 'Checked' } });
    assert.equal((await call('Add', 'DVIRLog', { entity: log(20) })).body.error, undefined);
  });

  test('DVIRLogSearch: asset, driver, dates with the boundary logs, log types, flags; both asset searches at once and unimplemented criteria refused', async () => {
    const { call, driver, dispatcher, device, trailer, lists } = await database();
    const at = (minute: number) => new Date(Date.UTC(2026, 4, 2, 8, minute)).toISOString();
    const add = async (minute: number, extra: Json = {}) =>
      (await call('Add', 'DVIRLog', { entity: { device: { id: device }, driver: { id: driver }, defectList: { id: lists[0].id }, dateTime: at(minute), ...extra } })).body.result as string;
    const [l0, l1, l2] = [await add(0), await add(10, { logType: 'PostTrip' }), await add(20, { driver: { id: dispatcher } })];
    const ids = async (search: Json) => (await call('Get', 'DVIRLog', { search })).body.result.map((x: Json) => x.id);
    assert.deepEqual(await ids({ deviceSearch: { id: device }, fromDate: at(10), toDate: at(10) }), [l1]);
    assert.deepEqual(await ids({ deviceSearch: { id: device }, fromDate: at(10), toDate: at(10), includeBoundaryLogs: true }), [l0, l1, l2]);
    assert.deepEqual(await ids({ deviceSearch: { id: device }, fromDate: at(5), toDate: at(5), includeBoundaryLogs: true }), [l0, l1]);
    assert.deepEqual(await ids({ userSearch: { id: dispatcher } }), [l2]);
    assert.deepEqual(await ids({ logTypes: ['PostTrip'] }), [l1]);
    assert.deepEqual(await ids({ isDefective: true }), []);
    assert.deepEqual(await ids({ trailerSearch: { id: trailer } }), []);
    assert.match(errorOf(await call('Get', 'DVIRLog', { search: { deviceSearch: { id: device }, trailerSearch: { id: trailer } } }))[1], /cannot be used at the same time/);
    assert.equal(errorOf(await call('Get', 'DVIRLog', { search: { searchByRemark: 'tire' } }))[0], 'ArgumentException');
  });
});

describe('limits, faults and persistence', () => {
  test('each (method, entity) has its own window at Geotab\'s documented limit; TextMessage takes call_per_minute', async () => {
    const { a, call, id, driver } = await database();
    const settings = await control(a, 'GET', '/_sandbox/settings');
    assert.deepEqual(
      ['add_fuel_transaction_per_minute', 'get_fuel_transaction_per_minute', 'add_dvir_log_per_minute', 'set_dvir_log_per_minute', 'get_dvir_log_per_minute', 'get_defect_per_minute'].map((k) => settings[k]),
      [1000, 250, 350, 350, 1000, 300],
    );
    await control(a, 'PUT', '/_sandbox/settings', { add_fuel_transaction_per_minute: 1, call_per_minute: 2 });
    const first = await call('Add', 'FuelTransaction', { entity: { externalReference: 'a' } });
    assert.equal(first.headers.get('x-rate-limit-limit'), '1');
    const over = await call('Add', 'FuelTransaction', { entity: { externalReference: 'b' } });
    assert.equal(errorOf(over)[0], 'OverLimitException');
    assert.ok(Number(over.headers.get('retry-after')) >= 1);
    assert.equal((await call('Get', 'FuelTransaction')).body.result.length, 1);
    const message = { recipient: { id: driver }, messageContent: { contentType: 'Normal', message: 'x' } };
    await id('TextMessage', message);
    await id('TextMessage', message);
    assert.equal(errorOf(await call('Add', 'TextMessage', { entity: message }))[0], 'OverLimitException');
    clock += 61_000;
    assert.match((await call('Add', 'FuelTransaction', { entity: { externalReference: 'b' } })).body.result, /^b/);
  });

  test('a fault aimed at Add lands a message and loses the answer; a state file keeps the new entities and the defect lists across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geotab-writes-'));
    try {
      const file = join(dir, 'state.json');
      const first = await startGeotabSandbox({ port: 0, stateFile: file });
      const { a, id, driver, device, lists } = await database(first.url);
      await control(a, 'POST', '/_sandbox/faults', { method: 'Add', after_apply: true, status: 502, body: 'Bad Gateway' }, first.url);
      const credentials = (await rpc('Authenticate', { database: a.database, userName: a.userName, password: a.password }, first.url)).body.result.credentials;
      const entity = { recipient: { id: driver }, messageContent: { contentType: 'Normal', message: 'kept' } };
      const lost = await fetch(`${first.url}/apiv1`, { method: 'POST', body: JSON.stringify({ method: 'Add', params: { typeName: 'TextMessage', entity, credentials } }) });
      assert.deepEqual([lost.status, await lost.text()], [502, 'Bad Gateway']);
      await id('FuelTransaction', { device: { id: device }, externalReference: 'kept' });
      await id('DVIRLog', { device: { id: device }, driver: { id: driver }, defectList: { id: lists[0].id } });
      await first.close();
      const second = await startGeotabSandbox({ port: 0, stateFile: file });
      try {
        const credentials = (await rpc('Authenticate', { database: a.database, userName: a.userName, password: a.password }, second.url)).body.result.credentials;
        const get = async (typeName: string, search: Json = {}) => (await rpc('Get', { typeName, credentials, search }, second.url)).body.result as Json[];
        assert.deepEqual((await get('TextMessage', { recipientSearch: { id: driver } })).map((m) => m.messageContent.message), ['kept']);
        assert.equal((await get('FuelTransaction', { externalReference: 'kept' })).length, 1);
        assert.equal((await get('DVIRLog', { deviceSearch: { id: device } })).length, 1);
        assert.deepEqual((await get('Defect')).map((l) => l.id), lists.map((l) => l.id));
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
