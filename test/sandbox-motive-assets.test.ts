// The Motive sandbox's vehicles (/v1/vehicles) and assets (/v1/assets) over real HTTP: each rule it
// enforces is Motive's (src/sandbox/motive/fleet-vendor.ts cites the pages), and each is shown failing
// here, or every adapter test built on it proves nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMotiveSandbox } from '../src/sandbox/motive/index.ts';
import type { Json } from './helpers/sandbox-http.ts';
import { motiveCall } from './helpers/sandbox-http.ts';


let base = '';
let close: () => Promise<void>;
before(async () => {
  const server = await startMotiveSandbox({ port: 0 });
  base = server.url;
  close = server.close;
});
after(async () => close());

const call = (method: string, path: string, key: string | undefined, body?: unknown, url = base) => motiveCall(url, method, path, key, body);

async function account(settings: Json = { rate_limit_per_minute: 10_000 }, url = base): Promise<string> {
  const key = (await call('POST', '/_sandbox/accounts', undefined, undefined, url)).body.api_key as string;
  assert.equal((await call('PUT', '/_sandbox/settings', key, settings, url)).status, 200);
  return key;
}

const refused = async (res: Promise<{ status: number; body: Json }>, status: number, message: string | RegExp) => {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  if (typeof message === 'string') assert.equal(r.body.error_message, message);
  else assert.match(r.body.error_message, message);
};

const pair = (externalId: string) => [{ external_id: externalId, integration_name: 'fleetgate' }];
const anAsset = (extra: Json = {}): Json => ({ name: 'T-1', type: 'flatbed', make: 'Utility', model: '4000D-X', year: '2021', ...extra });

describe('vehicles', () => {
  test('create answers 201 {vehicle}; unknown keys are dropped; numbers typecast to the string year', async () => {
    const key = await account();
    const res = await call('POST', '/v1/vehicles', key, { number: 'T-100', year: 2019, fuel_type: 'diesel', color: 'red', external_ids_attributes: pair('a') });
    assert.equal(res.status, 201);
    const v = res.body.vehicle;
    assert.equal(typeof v.id, 'number');
    assert.deepEqual(
      { number: v.number, year: v.year, fuel_type: v.fuel_type, status: v.status, metric_units: v.metric_units, color: v.color, eld_device: v.eld_device },
      { number: 'T-100', year: '2019', fuel_type: 'diesel', status: 'active', metric_units: false, color: undefined, eld_device: null },
    );
    // Motive renders each external id record with its own id (reference/update-the-external-id-of-an-entity).
    assert.deepEqual(v.external_ids, [{ id: v.external_ids[0].id, ...pair('a')[0] }]);
    assert.equal(typeof v.external_ids[0].id, 'number');
    assert.deepEqual((await call('GET', `/v1/vehicles/${v.id}`, key)).body.vehicle, v);
  });

  test('number is required on create and cannot be blanked by an update', async () => {
    const key = await account();
    await refused(call('POST', '/v1/vehicles', key, { vin: 'X' }), 422, "Validation failed: Number can't be blank");
    await refused(call('POST', '/v1/vehicles', key, { number: '  ' }), 422, "Validation failed: Number can't be blank");
    const id = (await call('POST', '/v1/vehicles', key, { number: 'T-1' })).body.vehicle.id;
    await refused(call('PUT', `/v1/vehicles/${id}`, key, { number: null }), 422, "Validation failed: Number can't be blank");
    assert.equal((await call('GET', `/v1/vehicles/${id}`, key)).body.vehicle.number, 'T-1');
  });

  test('fuel_type and status take only their documented values; fuel_type may be cleared, status not', async () => {
    const key = await account();
    await refused(call('POST', '/v1/vehicles', key, { number: 'a', fuel_type: 'electric' }), 422, 'Validation failed: Fuel type is not included in the list');
    await refused(call('POST', '/v1/vehicles', key, { number: 'a', status: 'inactive' }), 422, 'Validation failed: Status is not included in the list');
    const id = (await call('POST', '/v1/vehicles', key, { number: 'a', fuel_type: 'cng' })).body.vehicle.id;
    await refused(call('PUT', `/v1/vehicles/${id}`, key, { status: null }), 422, "Validation failed: Status can't be blank");
    const put = await call('PUT', `/v1/vehicles/${id}`, key, { fuel_type: null, status: 'deactivated' });
    assert.equal(put.status, 200);
    assert.equal(put.body.vehicle.fuel_type, null);
    assert.equal(put.body.vehicle.status, 'deactivated');
  });

  test('booleans must be JSON booleans; an eld_device_id matches no device the sandbox has', async () => {
    const key = await account();
    await refused(call('POST', '/v1/vehicles', key, { number: 'a', metric_units: 'true' }), 422, 'Validation failed: Metric units must be true or false');
    await refused(call('POST', '/v1/vehicles', key, { number: 'a', eld_device_id: 45 }), 422, 'Validation failed: Eld device must exist');
  });

  test('PUT is partial and returns 200; an unknown or non-numeric id is 404', async () => {
    const key = await account();
    const id = (await call('POST', '/v1/vehicles', key, { number: 'a', make: 'Volvo', notes: 'n' })).body.vehicle.id;
    const put = await call('PUT', `/v1/vehicles/${id}`, key, { notes: 'changed' });
    assert.equal(put.status, 200);
    assert.deepEqual([put.body.vehicle.make, put.body.vehicle.notes], ['Volvo', 'changed']);
    await refused(call('PUT', '/v1/vehicles/999', key, { notes: 'x' }), 404, "Couldn't find Vehicle with 'id'=999");
    await refused(call('GET', '/v1/vehicles/abc', key), 404, "Couldn't find Vehicle with 'id'=abc");
  });

  test('an (external_id, integration_name) pair is unique; lookup_by_external_id finds it, or 404, or 400', async () => {
    const key = await account();
    const id = (await call('POST', '/v1/vehicles', key, { number: 'a', external_ids_attributes: pair('r-1') })).body.vehicle.id;
    await refused(call('POST', '/v1/vehicles', key, { number: 'b', external_ids_attributes: pair('r-1') }), 422, 'Validation failed: External ids external id has already been taken');
    const other = (await call('POST', '/v1/vehicles', key, { number: 'b', external_ids_attributes: [{ external_id: 'r-1', integration_name: 'tms' }] })).body.vehicle;
    assert.ok(other.id);
    const found = await call('GET', '/v1/vehicles/lookup_by_external_id?external_id=r-1&integration_name=fleetgate', key);
    assert.equal(found.status, 200);
    assert.equal(found.body.vehicle.id, id);
    await refused(call('GET', '/v1/vehicles/lookup_by_external_id?external_id=r-2&integration_name=fleetgate', key), 404, 'Vehicle not found');
    await refused(call('GET', '/v1/vehicles/lookup_by_external_id?external_id=r-1', key), 400, /integration_name/);
    // Another account's pairs are its own.
    const key2 = await account();
    assert.equal((await call('POST', '/v1/vehicles', key2, { number: 'a', external_ids_attributes: pair('r-1') })).status, 201);
    assert.equal((await call('GET', '/v1/vehicles/lookup_by_external_id?external_id=r-1&integration_name=fleetgate', key2)).body.vehicle.number, 'a');
  });

  test('the list pages with per_page/page_no and filters by fuel_type and driver_ids', async () => {
    const key = await account();
    for (const [n, f] of [['1', 'diesel'], ['2', 'gasoline'], ['3', 'diesel']]) await call('POST', '/v1/vehicles', key, { number: n, fuel_type: f });
    const page = await call('GET', '/v1/vehicles?per_page=1&page_no=2', key);
    assert.deepEqual(page.body.pagination, { per_page: 1, page_no: 2, total: 3 });
    assert.equal(page.body.vehicles[0].vehicle.number, '2');
    const diesel = await call('GET', '/v1/vehicles?fuel_type=diesel', key);
    assert.deepEqual(diesel.body.vehicles.map((v: Json) => v.vehicle.number), ['1', '3']);
    assert.equal((await call('GET', '/v1/vehicles?driver_ids[]=11', key)).body.pagination.total, 0);
  });
});

describe('assets', () => {
  test('create answers 201 {asset}; show answers {asset}; lookup_by_external_id answers the asset at the top level', async () => {
    const key = await account();
    const res = await call('POST', '/v1/assets', key, anAsset({ axle: '3', length: 53, notes: 'n', external_ids_attributes: pair('t-1') }));
    assert.equal(res.status, 201);
    const a = res.body.asset;
    assert.deepEqual([a.name, a.type, a.status, a.axle, a.length, a.notes, a.year], ['T-1', 'flatbed', 'active', 3, 53, 'n', '2021']);
    assert.deepEqual((await call('GET', `/v1/assets/${a.id}`, key)).body.asset, a);
    const found = await call('GET', '/v1/assets/lookup_by_external_id?external_id=t-1&integration_name=fleetgate', key);
    assert.equal(found.status, 200);
    assert.equal(found.body.id, a.id);
    assert.equal(found.body.asset, undefined);
    await refused(call('GET', '/v1/assets/lookup_by_external_id?external_id=t-2&integration_name=fleetgate', key), 404, 'Asset not found');
  });

  test('name, type, make, model and year are each required on create and stay required', async () => {
    const key = await account();
    for (const [field, label] of [['name', 'Name'], ['type', 'Type'], ['make', 'Make'], ['model', 'Model'], ['year', 'Year']]) {
      const body = anAsset();
      delete body[field];
      await refused(call('POST', '/v1/assets', key, body), 422, `Validation failed: ${label} can't be blank`);
    }
    const id = (await call('POST', '/v1/assets', key, anAsset())).body.asset.id;
    await refused(call('PUT', `/v1/assets/${id}`, key, { make: '' }), 422, "Validation failed: Make can't be blank");
    await refused(call('PUT', `/v1/assets/${id}`, key, { type: null }), 422, "Validation failed: Type can't be blank");
  });

  test('type and status take only documented values; axle is a number; a gateway id matches no gateway', async () => {
    const key = await account();
    await refused(call('POST', '/v1/assets', key, anAsset({ type: 'dry_van' })), 422, 'Validation failed: Type is not included in the list');
    assert.equal((await call('POST', '/v1/assets', key, anAsset({ type: 'low_boy' }))).status, 201);
    await refused(call('POST', '/v1/assets', key, anAsset({ status: 'inactive' })), 422, 'Validation failed: Status is not included in the list');
    await refused(call('POST', '/v1/assets', key, anAsset({ axle: 'three' })), 422, 'Validation failed: Axle is not a number');
    await refused(call('POST', '/v1/assets', key, anAsset({ asset_gateway_id: 7 })), 422, 'Validation failed: Asset gateway must exist');
    const id = (await call('POST', '/v1/assets', key, anAsset())).body.asset.id;
    const put = await call('PUT', `/v1/assets/${id}`, key, { status: 'deactivated' });
    assert.equal(put.status, 200);
    assert.equal(put.body.asset.status, 'deactivated');
    assert.equal(put.body.asset.name, 'T-1');
  });

  test('external id pairs are unique among assets, apart from vehicles; the list pages', async () => {
    const key = await account();
    await call('POST', '/v1/vehicles', key, { number: 'v', external_ids_attributes: pair('x') });
    assert.equal((await call('POST', '/v1/assets', key, anAsset({ external_ids_attributes: pair('x') }))).status, 201);
    await refused(call('POST', '/v1/assets', key, anAsset({ external_ids_attributes: pair('x') })), 422, 'Validation failed: External ids external id has already been taken');
    const list = await call('GET', '/v1/assets?per_page=10', key);
    assert.deepEqual(list.body.pagination, { per_page: 10, page_no: 1, total: 1 });
    assert.equal(list.body.assets[0].asset.name, 'T-1');
    await refused(call('PUT', '/v1/assets/42', key, { notes: 'x' }), 404, "Couldn't find Asset with 'id'=42");
  });
});

describe('the pipeline every /v1 route shares', () => {
  test('no key is 401; the account window counts vehicle and asset calls alike (429 with Retry-After)', async () => {
    await refused(call('GET', '/v1/vehicles', 'nope'), 401, /invalid API key/);
    const key = await account({ rate_limit_per_minute: 2 });
    assert.equal((await call('POST', '/v1/vehicles', key, { number: 'a' })).status, 201);
    assert.equal((await call('GET', '/v1/assets', key)).status, 200);
    const limited = await call('POST', '/v1/assets', key, anAsset());
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  });

  test('a fault replaces the answer of a write (after applying it when asked); the request log records both', async () => {
    const key = await account();
    assert.equal((await call('POST', '/_sandbox/faults', key, { status: 502, body: 'Bad Gateway', after_apply: true })).status, 201);
    assert.equal((await call('POST', '/v1/assets', key, anAsset({ external_ids_attributes: pair('lost') }))).status, 502);
    const found = await call('GET', '/v1/assets/lookup_by_external_id?external_id=lost&integration_name=fleetgate', key);
    assert.equal(found.body.name, 'T-1');
    const log = (await call('GET', '/_sandbox/requests', key)).body.requests as Json[];
    assert.deepEqual(log.map((r) => [r.method, r.path, r.status]), [
      ['POST', '/v1/assets', 502],
      ['GET', '/v1/assets/lookup_by_external_id', 200],
    ]);
  });

  test('vehicles and assets survive a restart through the state file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'motive-assets-'));
    const stateFile = join(dir, 'motive.json');
    try {
      const first = await startMotiveSandbox({ port: 0, stateFile });
      const key = await account(undefined, first.url);
      await call('POST', '/v1/vehicles', key, { number: 'kept', external_ids_attributes: pair('v') }, first.url);
      await call('POST', '/v1/assets', key, anAsset({ external_ids_attributes: pair('a') }), first.url);
      await first.close();
      const second = await startMotiveSandbox({ port: 0, stateFile });
      try {
        const v = await call('GET', '/v1/vehicles/lookup_by_external_id?external_id=v&integration_name=fleetgate', key, undefined, second.url);
        assert.equal(v.body.vehicle.number, 'kept');
        const a = await call('GET', '/v1/assets/lookup_by_external_id?external_id=a&integration_name=fleetgate', key, undefined, second.url);
        assert.equal(a.body.name, 'T-1');
        // Ids keep counting from where they were.
        assert.equal((await call('POST', '/v1/vehicles', key, { number: 'next' }, second.url)).body.vehicle.id, v.body.vehicle.id + 1);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
