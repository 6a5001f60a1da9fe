// Trailers written to Motive (as Motive assets) through fleetgate's API, over real HTTP against the
// built-in Motive sandbox: every row of the mapping table (src/tsps/motive/trailers/mapping.ts), every
// refusal (Motive's required asset fields among them), deactivation, an update, and a retried create after
// a lost answer that finds its asset instead of making a second one.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { TRAILER_ATTRIBUTE_NAMES } from '../src/contract/resources/trailers.ts';
import { motiveAdapter } from '../src/tsps/motive/index.ts';
import { MOTIVE_ASSET_TYPE_FOR } from '../src/tsps/motive/trailers/types.ts';
import { call } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { FleetApp, FleetConnection, Json } from './helpers/motive-assets.ts';
import { fleetApp, fleetConnection, refusedAt, succeeded } from './helpers/motive-assets.ts';

const trailers = motiveAdapter.resources.trailer!;

/** Every normalized trailer field, with values Motive can take. */
const FULL_TRAILER = {
  trailer_name: 'TR-53',
  oem: 'Utility',
  model_type: '4000D-X',
  model_year: 2021,
  vin: '1UYVS2530LU123456',
  license_plate_region: 'TX',
  license_plate_country: 'US',
  license_plate_number: 'TRL-77',
  is_active: true,
  status: 'IN_SERVICE',
  notes: 'swing doors',
  eld_id: '8',
  eld_serial_number: 'AG-123',
  eld_device_type: 'asset-gateway',
  eld_product_id: 'P-9',
  total_axles: 2,
  external_id: 'tms-t-1',
  trailer_length: 53,
  trailer_type: 'Flatbed',
} as const;

const NOT_STORED = [
  'license_plate_country', 'status', 'eld_id', 'eld_serial_number', 'eld_device_type', 'eld_product_id', 'external_id', 'trailer_length',
];

/** What Motive requires on every asset, by normalized field. */
const REQUIRED = { trailer_name: 'name', oem: 'make', model_type: 'model', model_year: 'year', trailer_type: 'type' } as const;
const minimal = (extra: Json = {}): Json => ({ trailer_name: `T-${randomUUID().slice(0, 6)}`, oem: 'Wabash', model_type: 'DuraPlate', model_year: 2020, trailer_type: 'flatbed', ...extra });

const mapCreate = (attrs: Json) => trailers.map({ operation: 'create', changes: attrs, merged: attrs, externalId: randomUUID() });

describe('the trailer table', () => {
  test('covers the 19 Catena fields, and the capability matrix reads it', () => {
    assert.deepEqual(Object.keys(FULL_TRAILER), TRAILER_ATTRIBUTE_NAMES);
    assert.deepEqual(Object.keys(motiveAdapter.capabilities.fields.trailer!), TRAILER_ATTRIBUTE_NAMES);
    const notStored = TRAILER_ATTRIBUTE_NAMES.filter((f) => !motiveAdapter.capabilities.fields.trailer![f]);
    assert.deepEqual(notStored.sort(), [...NOT_STORED].sort());
  });

  test('each trailer_type spelling of the table maps to its documented Motive type; any other is refused', () => {
    for (const [spelling, type] of Object.entries(MOTIVE_ASSET_TYPE_FOR)) {
      for (const written of [spelling, spelling.toUpperCase(), ` ${spelling.replace(/_/g, ' ')} `, spelling.replace(/_/g, '-')]) {
        const m = mapCreate(minimal({ trailer_type: written }));
        assert.ok(m.ok, written);
        assert.equal(m.body.type, type, written);
      }
    }
    for (const other of ['Dry Van', 'Reefer', 'Tanker', 'Chassis', 'auto hauler']) assert.equal(mapCreate(minimal({ trailer_type: other })).ok, false, other);
  });
});

for (const kind of testDbKinds()) {
  describe(`Motive trailers through fleetgate (${kind})`, () => {
    let app: FleetApp;
    let c: FleetConnection;
    before(async () => {
      app = await fleetApp(kind);
      c = await fleetConnection(app.t);
    });
    after(async () => app?.close());

    test('a sync create makes a Motive asset with every storable field; the others are reported in dropped_fields', async () => {
      const op = succeeded(await c.create('trailers', FULL_TRAILER));
      const native = await c.native('trailers', op.source_id);
      const expected = {
        name: 'TR-53', make: 'Utility', model: '4000D-X', year: '2021', vin: '1UYVS2530LU123456', license_plate_state: 'TX',
        license_plate_number: 'TRL-77', status: 'active', notes: 'swing doors', axle: 2, type: 'flatbed',
      };
      for (const [field, value] of Object.entries(expected)) assert.deepEqual(native[field], value, field);
      assert.deepEqual(native.external_ids, [{ id: native.external_ids[0].id, external_id: op.resource_id, integration_name: 'fleetgate' }]);
      assert.deepEqual([...op.dropped_fields].sort(), [...NOT_STORED].sort());
      const [body] = await c.sent('trailers', 'POST');
      assert.deepEqual(Object.keys(body).sort(), [...Object.keys(expected), 'external_ids_attributes'].sort());
    });

    test('"Low Boy" lands as type low_boy; a type Motive does not document is refused at submit', async () => {
      const op = succeeded(await c.create('trailers', minimal({ trailer_type: 'Low Boy' })));
      assert.equal((await c.native('trailers', op.source_id)).type, 'low_boy');
      assert.match(refusedAt(await c.create('trailers', minimal({ trailer_type: 'Reefer' })), 'trailer_type'), /flatbed, low_boy/);
    });

    test('each field Motive requires on an asset is refused at submit when missing, blank or cleared, naming it', async () => {
      const before = await c.count('trailers');
      for (const [field, native] of Object.entries(REQUIRED)) {
        const attrs = minimal();
        delete attrs[field];
        assert.match(refusedAt(await c.create('trailers', attrs), field), new RegExp(`requires ${native}`));
      }
      refusedAt(await c.create('trailers', minimal({ trailer_name: ' ' })), 'trailer_name');
      const op = succeeded(await c.create('trailers', minimal()));
      refusedAt(await c.update('trailers', op.resource_id, { oem: null }), 'oem');
      assert.equal(await c.count('trailers'), before + 1);
    });

    test('an update PUTs only what changed; total_axles is the axle count; a cleared optional field is cleared', async () => {
      const op = succeeded(await c.create('trailers', minimal({ notes: 'old', total_axles: 2, vin: 'V1' })));
      succeeded(await c.update('trailers', op.resource_id, { notes: 'new', total_axles: 3, vin: null, model_year: 2022 }));
      assert.deepEqual((await c.sent('trailers', 'PUT')).at(-1), { notes: 'new', axle: 3, vin: null, year: '2022' });
      const native = await c.native('trailers', op.source_id);
      assert.deepEqual([native.notes, native.axle, native.vin, native.year, native.make], ['new', 3, null, '2022', 'Wabash']);
    });

    test('is_active false deactivates the asset and true reactivates it; the free-text status is dropped, not read', async () => {
      const op = succeeded(await c.create('trailers', minimal()));
      succeeded(await c.update('trailers', op.resource_id, { is_active: false }));
      assert.equal((await c.native('trailers', op.source_id)).status, 'deactivated');
      const label = succeeded(await c.update('trailers', op.resource_id, { status: 'OUT_OF_SERVICE' }));
      assert.deepEqual(label.dropped_fields, ['status']);
      assert.equal((await c.sent('trailers', 'PUT')).at(-1)!.status, undefined);
      succeeded(await c.update('trailers', op.resource_id, { is_active: true }));
      assert.equal((await c.native('trailers', op.source_id)).status, 'active');
    });

    test('a lost answer to a create is retried by finding the asset by its external id: no second asset', async () => {
      const before = await c.count('trailers');
      assert.equal((await c.motive.sandbox('POST', '/_sandbox/faults', { status: 502, body: 'Bad Gateway', after_apply: true })).status, 201);
      const submitted = await c.create('trailers', minimal({ trailer_name: 'L-1' }), { sync: false });
      assert.equal(submitted.status, 202, submitted.text);
      const done = await c.wait(submitted.body.id);
      assert.equal(done.status, 'success', JSON.stringify(done.logs));
      assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', null]);
      assert.equal(await c.count('trailers'), before + 1);
      // Motive's asset lookup answers the asset at the top level: the adapter reads its id there.
      const found = await c.motive.sandbox('GET', `/v1/assets/lookup_by_external_id?external_id=${done.resource_id}&integration_name=fleetgate`);
      assert.equal(String(found.body.id), done.source_id);
      assert.equal((await c.sent('trailers', 'POST')).filter((b) => b.name === 'L-1').length, 1);
    });

    test('the capability matrix shows trailer create and update, and the fields Motive stores', async () => {
      const matrix = await call(app.t, 'GET', '/v2/integrations/tsps', { token: c.p.token });
      const entry = matrix.body.items.find((x: Json) => x.tsp === 'motive');
      assert.deepEqual(entry.resources.trailer, { create: 'implemented', update: 'implemented' });
      assert.deepEqual(entry.fields.trailer, motiveAdapter.capabilities.fields.trailer);
    });
  });
}
