// The Geotab sandbox's Device and Trailer entities over real HTTP: what MyGeotab requires and refuses
// (src/sandbox/geotab/asset-vendor.ts cites each rule), DeviceSearch / TrailerSearch, Set keeping what it
// is not sent, serial numbers unique, rate limits per (method, entity), faults, the log and persistence.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGeotabSandbox } from '../src/sandbox/geotab/index.ts';
import type { GeotabAccount, Json } from './helpers/sandbox-http.ts';
import { geotabControl, geotabDatabase, geotabErrorOf, geotabRpc } from './helpers/sandbox-http.ts';

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
/** A fresh database and a session on it: `call(method, typeName, params)`. */
const database = (at = base) => geotabDatabase(at);

let seq = 0;
const device = (extra: Json = {}): Json => {
  seq += 1;
  return { name: `Truck ${seq}`, serialNumber: `G9${String(seq).padStart(10, '0')}`, groups: [{ id: 'GroupCompanyId' }, { id: 'GroupVehicleId' }], ...extra };
};
const MAX_DATE = '2050-01-01T00:00:00.000Z';

describe('Device', () => {
  test('Add, Get, Set: defaults rendered; Set keeps what it is not sent and bumps the version', async () => {
    const { call } = await database();
    const add = await call('Add', 'Device', { entity: device({ vehicleIdentificationNumber: '1FUJGLDR5CLBP8834', licensePlate: 'ABC-123' }) });
    const id = add.body.result as string;
    assert.match(id, /^b[0-9A-F]+$/);
    const [got] = (await call('Get', 'Device', { search: { id } })).body.result;
    assert.deepEqual(
      [got.comment, got.licenseState, got.deviceType, got.productId, got.timeZoneId, got.activeTo, got.version],
      ['', '', 'None', 0, 'UTC', MAX_DATE, 0],
    );
    assert.equal((await call('Set', 'Device', { entity: { id, licenseState: 'TX', name: null } })).body.result, null);
    const [set] = (await call('Get', 'Device', { search: { id } })).body.result;
    assert.deepEqual([set.name, set.licenseState, set.licensePlate, set.version], [got.name, 'TX', 'ABC-123', 1]);
    assert.equal(errorOf(await call('Set', 'Device', { entity: { ...set, id: 'b999' } }))[0], 'ArgumentException');
  });

  test('required members, lengths and types, the way Geotab refuses them', async () => {
    const { call } = await database();
    const refused = async (entity: Json) => errorOf(await call('Add', 'Device', { entity }));
    assert.deepEqual(await refused(device({ name: ' ' })), ['ArgumentException', "'name' is required"]);
    assert.deepEqual(await refused(device({ serialNumber: undefined })), ['ArgumentException', "'serialNumber' is required"]);
    assert.deepEqual(await refused(device({ groups: [] })), ['ArgumentException', "'groups' must name at least one group"]);
    for (const [member, max] of [['name', 50], ['serialNumber', 12], ['vehicleIdentificationNumber', 50], ['licensePlate', 50], ['licenseState', 50]] as const) {
      assert.deepEqual(await refused(device({ [member]: 'x'.repeat(max + 1) })), ['ArgumentException', `'${member}' is too long: ${max + 1} characters, at most ${max}`]);
      assert.equal((await call('Add', 'Device', { entity: device({ [member]: 'y'.repeat(max) }) })).body.error, undefined, member);
    }
    assert.deepEqual(await refused(device({ groups: [{ id: 'GroupNope' }] })), ['GenericException', 'Invalid group id used. GroupNope is not a valid group id.']);
    const serializer = ['JsonSerializerException', "Exception of type 'Geotab.Serialization.JsonSerializerException' was thrown."];
    for (const bad of [{ productId: '120' }, { deviceType: 'GO99' }, { name: 42 }, { activeFrom: 'yesterday' }, { groups: 'GroupCompanyId' }]) {
      const res = await call('Add', 'Device', { entity: device(bad) });
      assert.deepEqual(errorOf(res), serializer, JSON.stringify(bad));
      assert.equal(res.body.error.code, -32700);
    }
    assert.deepEqual(await refused(device({ workTime: { id: 'WorkTimeStandardHoursId' } })), ['ArgumentException', 'Device.workTime is not supported by the fleetgate sandbox']);
    const typed = await call('Add', 'Device', { entity: device({ deviceType: 'GO9', productId: 120, notAMember: 'ignored' }) });
    const [stored] = (await call('Get', 'Device', { search: { id: typed.body.result } })).body.result;
    assert.deepEqual([stored.deviceType, stored.productId, stored.notAMember], ['GO9', 120, undefined]);
  });

  test('serial numbers are unique in the database (DuplicateException on Add and Set); names are not', async () => {
    const { call } = await database();
    const first = device();
    const id = (await call('Add', 'Device', { entity: first })).body.result;
    const dup = await call('Add', 'Device', { entity: device({ serialNumber: first.serialNumber.toLowerCase() }) });
    assert.deepEqual(errorOf(dup), ['DuplicateException', `Duplicate data: a device with serial number '${first.serialNumber.toLowerCase()}' already exists`]);
    const other = (await call('Add', 'Device', { entity: device({ name: first.name }) })).body.result;
    assert.match(other, /^b/);
    assert.equal(errorOf(await call('Set', 'Device', { entity: { id: other, serialNumber: first.serialNumber } }))[0], 'DuplicateException');
    assert.equal((await call('Set', 'Device', { entity: { id, serialNumber: first.serialNumber } })).body.result, null);
  });

  test('activeTo: Add forces the max date; Set archives with a past date, forces a future one to the max date', async () => {
    const { call } = await database();
    const id = (await call('Add', 'Device', { entity: device({ activeTo: '2020-01-01T00:00:00Z' }) })).body.result;
    const read = async () => (await call('Get', 'Device', { search: { id } })).body.result[0];
    assert.equal((await read()).activeTo, MAX_DATE);
    const past = new Date(clock - 1000).toISOString();
    await call('Set', 'Device', { entity: { id, activeTo: past } });
    assert.equal((await read()).activeTo, past);
    await call('Set', 'Device', { entity: { id, activeTo: new Date(clock + 3_600_000).toISOString() } });
    assert.equal((await read()).activeTo, MAX_DATE);
    const future = await call('Add', 'Device', { entity: device({ activeFrom: '2051-01-01T00:00:00Z' }) });
    assert.deepEqual(errorOf(future), ['ArgumentException', "'activeFrom' must not be after 'activeTo'"]);
    const switched = await call('Set', 'Device', { entity: { id, groups: [{ id: 'GroupCompanyId' }, { id: 'GroupTrailerId' }] } });
    assert.equal(errorOf(switched)[0], 'ArgumentException');
  });

  test('DeviceSearch: serial number, % wildcards, groups below the one searched, active period; unimplemented criteria refused', async () => {
    const { call } = await database();
    const a = device({ name: 'Reefer truck 7', comment: 'north yard', licensePlate: 'PL-7' });
    const idA = (await call('Add', 'Device', { entity: a })).body.result;
    const idB = (await call('Add', 'Device', { entity: device({ name: 'Van 8', groups: [{ id: 'GroupCompanyId' }] }) })).body.result;
    const ids = async (search: Json) => (await call('Get', 'Device', { search })).body.result.map((d: Json) => d.id);
    assert.deepEqual(await ids({ serialNumber: a.serialNumber.toLowerCase() }), [idA]);
    assert.deepEqual(await ids({ name: '%truck%' }), [idA]);
    assert.deepEqual(await ids({ name: 'truck' }), []);
    assert.deepEqual(await ids({ comment: 'north%', licensePlate: 'pl-7' }), [idA]);
    assert.deepEqual(await ids({ groups: [{ id: 'GroupVehicleId' }] }), [idA]);
    assert.deepEqual((await ids({ groups: [{ id: 'GroupCompanyId' }] })).sort(), [idA, idB].sort());
    await call('Set', 'Device', { entity: { id: idB, activeTo: new Date(clock - 1000).toISOString() } });
    assert.deepEqual(await ids({ fromDate: new Date(clock).toISOString() }), [idA]);
    assert.equal((await call('Get', 'Device', { resultsLimit: 1 })).body.result.length, 1);
    assert.deepEqual(errorOf(await call('Get', 'Device', { search: { keywords: ['truck'] } })), ['ArgumentException', 'DeviceSearch.keywords is not supported by the fleetgate sandbox']);
    assert.equal(errorOf(await call('Get', 'Device', { search: { serialNumber: 7 } }))[0], 'JsonSerializerException');
    assert.equal((await call('Get', 'Device', { search: { notACriterion: 'x' } })).body.result.length, 2);
  });
});

describe('Trailer', () => {
  test('Add, Get, Set: name, comment and groups only; names may repeat; Set keeps what it is not sent', async () => {
    const { call } = await database();
    const id = (await call('Add', 'Trailer', { entity: { name: 'T-53', groups: [{ id: 'GroupCompanyId' }] } })).body.result;
    const again = (await call('Add', 'Trailer', { entity: { name: 'T-53', comment: 'second' } })).body.result;
    assert.notEqual(id, again);
    const [t] = (await call('Get', 'Trailer', { search: { id } })).body.result;
    assert.deepEqual(t, { id, version: 0, name: 'T-53', comment: '', groups: [{ id: 'GroupCompanyId' }] });
    await call('Set', 'Trailer', { entity: { id, comment: 'dry van' } });
    assert.deepEqual((await call('Get', 'Trailer', { search: { id } })).body.result[0], { ...t, version: 1, comment: 'dry van' });
    assert.equal(errorOf(await call('Set', 'Trailer', { entity: { id: 'b999', name: 'x' } }))[0], 'ArgumentException');
  });

  test('validation: a name of at most 255; no asset-type groups; wrong types are the serializer\'s', async () => {
    const { call } = await database();
    const refused = async (entity: Json) => errorOf(await call('Add', 'Trailer', { entity }));
    assert.deepEqual(await refused({ name: '' }), ['ArgumentException', "'name' is required"]);
    assert.deepEqual(await refused({ name: 'x'.repeat(256) }), ['ArgumentException', "'name' is too long: 256 characters, at most 255"]);
    assert.match((await call('Add', 'Trailer', { entity: { name: 'y'.repeat(255) } })).body.result, /^b/);
    assert.deepEqual(await refused({ name: 'T', groups: [{ id: 'GroupTrailerId' }] }), ['ArgumentException', 'A Trailer cannot be added to the built-in group GroupTrailerId']);
    assert.equal((await refused({ name: 'T', groups: [{ id: 'GroupVehicleId' }] }))[0], 'ArgumentException');
    assert.equal((await refused({ name: 'T', comment: 5 }))[0], 'JsonSerializerException');
    assert.equal(errorOf(await call('Remove', 'Trailer', { entity: { id: 'b1' } }))[0], 'MissingMethodException');
  });

  test('TrailerSearch: name with wildcards, groups above or below; groupFilterCondition refused', async () => {
    const { call } = await database();
    const id = (await call('Add', 'Trailer', { entity: { name: 'Flatbed 12', groups: [{ id: 'GroupCompanyId' }] } })).body.result;
    await call('Add', 'Trailer', { entity: { name: 'Reefer 3' } });
    const ids = async (search: Json) => (await call('Get', 'Trailer', { search })).body.result.map((t: Json) => t.id);
    assert.deepEqual(await ids({ name: 'flatbed 12' }), [id]);
    assert.deepEqual(await ids({ name: 'Flat%' }), [id]);
    assert.deepEqual(await ids({ groups: [{ id: 'GroupCompanyId' }] }), [id]);
    assert.deepEqual(await ids({ groups: [{ id: 'GroupAssetTypeId' }] }), [id]);
    assert.equal(errorOf(await call('Get', 'Trailer', { search: { groupFilterCondition: { groupId: 'GroupCompanyId' } } }))[0], 'ArgumentException');
  });
});

describe('rate limits, faults, log and state', () => {
  test('each (method, entity) has its own window at Geotab\'s limits: Add:Device over its limit leaves Add:Trailer and Get:Device alone', async () => {
    const { a, call } = await database();
    const settings = await control(a, 'GET', '/_sandbox/settings');
    assert.deepEqual(
      ['add_device_per_minute', 'set_device_per_minute', 'get_device_per_minute', 'add_trailer_per_minute', 'set_trailer_per_minute', 'get_trailer_per_minute'].map((k) => settings[k]),
      [250, 250, 650, 300, 300, 300],
    );
    await control(a, 'PUT', '/_sandbox/settings', { add_device_per_minute: 1 });
    const first = await call('Add', 'Device', { entity: device() });
    assert.deepEqual([first.headers.get('x-rate-limit-limit'), first.headers.get('x-rate-limit-remaining')], ['1', '0']);
    const over = await call('Add', 'Device', { entity: device() });
    assert.equal(errorOf(over)[0], 'OverLimitException');
    assert.ok(Number(over.headers.get('retry-after')) >= 1 && Number(over.headers.get('retry-after')) <= 60);
    assert.match((await call('Add', 'Trailer', { entity: { name: 'T' } })).body.result, /^b/);
    assert.equal((await call('Get', 'Device')).body.result.length, 1);
    clock += 61_000;
    assert.match((await call('Add', 'Device', { entity: device() })).body.result, /^b/);
  });

  test('a fault aimed at Add hits a Device Add; after_apply lands it; the log shows the call without the session', async () => {
    const { a, call } = await database();
    await control(a, 'POST', '/_sandbox/faults', { method: 'Add', after_apply: true, status: 502, body: 'Bad Gateway' });
    const d = device();
    const lost = await fetch(`${base}/apiv1`, { method: 'POST', body: JSON.stringify({ method: 'Add', params: { typeName: 'Device', entity: d, credentials: (await login(a)) } }) });
    assert.equal(lost.status, 502);
    assert.equal((await call('Get', 'Device', { search: { serialNumber: d.serialNumber } })).body.result.length, 1);
    const log = (await control(a, 'GET', '/_sandbox/requests')).requests as Json[];
    const add = log.find((r) => r.method === 'Add') as Json;
    assert.deepEqual([add.params.typeName, add.params.entity.serialNumber, add.params.credentials.sessionId, add.status], ['Device', d.serialNumber, '[REDACTED]', 502]);
  });

  test('a state file keeps devices and trailers across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'geotab-assets-'));
    try {
      const file = join(dir, 'state.json');
      const first = await startGeotabSandbox({ port: 0, stateFile: file });
      const { a, call } = await database(first.url);
      const d = device();
      await call('Add', 'Device', { entity: d });
      await call('Add', 'Trailer', { entity: { name: 'Kept' } });
      await first.close();
      const second = await startGeotabSandbox({ port: 0, stateFile: file });
      try {
        const credentials = await login(a, second.url);
        const get = (typeName: string, search: Json) => rpc('Get', { typeName, credentials, search }, second.url);
        assert.equal((await get('Device', { serialNumber: d.serialNumber })).body.result.length, 1);
        assert.equal((await get('Trailer', { name: 'Kept' })).body.result.length, 1);
        // One id sequence for every entity: a new user does not reuse a device's id.
        const user = await rpc('Add', { typeName: 'User', credentials, entity: { name: 'u@x.example', password: 'S3cret-pass', securityGroups: [{ id: 'GroupDriveUserSecurityId' }], companyGroups: [{ id: 'GroupCompanyId' }] } }, second.url);
        const ids = [...(await get('Device', {})).body.result, ...(await get('Trailer', {})).body.result].map((e: Json) => e.id);
        assert.ok(!ids.includes(user.body.result), `${user.body.result} reused`);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

async function login(a: Account, at = base): Promise<Json> {
  return (await rpc('Authenticate', { database: a.database, userName: a.userName, password: a.password }, at)).body.result.credentials as Json;
}
