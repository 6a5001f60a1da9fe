// The vehicle and trailer write APIs over HTTP, the same for both resources: the contract as Catena
// publishes it (field names from the shared excerpt, types, the vehicle-only alpha-3 pattern, enums), the
// eight endpoints in the OpenAPI document, async and sync writes, reads and pages, updates that compose,
// idempotency, and isolation between partners and connections. The TSP is the Motive sandbox; each TSP's
// own mapping is tested in test/<tsp>-vehicles.test.ts and test/<tsp>-trailers.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ENGINE_TYPES, VEHICLE_STATUSES } from '../src/contract/enums.ts';
import { TRAILER_ATTRIBUTE_NAMES } from '../src/contract/resources/trailers.ts';
import { VEHICLE_ATTRIBUTE_NAMES } from '../src/contract/resources/vehicles.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection, waitForOperation } from './helpers/motive.ts';

const EXCERPT_PATH = fileURLToPath(new URL('../../shared/reference/catena/telematics.openapi.excerpt.json', import.meta.url));
const EXCERPT = fs.existsSync(EXCERPT_PATH) ? (JSON.parse(fs.readFileSync(EXCERPT_PATH, 'utf8')) as { components: { schemas: Record<string, { 'x-property-names': string[] }> } }) : undefined;
const NEEDS_EXCERPT = EXCERPT === undefined && `needs Catena's excerpt at ${EXCERPT_PATH} (../shared beside the repository; absent on a plain clone)`;

describe('the vehicle and trailer contract', () => {
  test("the bodies' fields are Catena's, in Catena's order", { skip: NEEDS_EXCERPT }, () => {
    const names = (schema: string) => EXCERPT!.components.schemas[schema]!['x-property-names'].filter((n) => n !== 'connection_id');
    assert.deepEqual(VEHICLE_ATTRIBUTE_NAMES, names('VehicleCreate'));
    assert.deepEqual(TRAILER_ATTRIBUTE_NAMES, names('TrailerUpdate'));
  });

  test('the enumerations, copied once: VehicleStatusEnum 8 values, EngineType 11', () => {
    assert.equal(VEHICLE_STATUSES.length, 8);
    assert.equal(new Set(VEHICLE_STATUSES).size, 8);
    assert.deepEqual([VEHICLE_STATUSES[0], VEHICLE_STATUSES[7]], ['IN_SERVICE', 'SPARE']);
    assert.equal(ENGINE_TYPES.length, 11);
    assert.equal(new Set(ENGINE_TYPES).size, 11);
    assert.deepEqual([ENGINE_TYPES[0], ENGINE_TYPES[10]], ['GASOLINE', 'HYBRID']);
  });
});

const RESOURCES = [
  { plural: 'vehicles', resource: 'vehicle', idParam: 'vehicle_id', name: 'vehicle_name', body: () => ({ vehicle_name: `Truck ${randomUUID().slice(0, 6)}`, oem: 'Volvo', model_type: 'VNL', model_year: 2023 }) },
  {
    plural: 'trailers',
    resource: 'trailer',
    idParam: 'trailer_id',
    name: 'trailer_name',
    body: () => ({ trailer_name: `Trailer ${randomUUID().slice(0, 6)}`, trailer_type: 'Flatbed', oem: 'Utility', model_type: '4000D-X', model_year: 2021 }),
  },
] as const;

for (const kind of testDbKinds()) {
  describe(`vehicles and trailers over HTTP (${kind})`, () => {
    let t: TestApp;
    let worker: Worker;
    let a: Partner;
    let b: Partner;
    let m: MotiveFixture;
    let other: MotiveFixture;

    before(async () => {
      t = await startTestApp(kind);
      worker = startWorker(t.services, { pollMs: 25 });
      a = await newPartner(t);
      b = await newPartner(t);
      m = await motiveConnection(t, a, { rate_limit_per_minute: 100_000 });
      other = await motiveConnection(t, a, { rate_limit_per_minute: 100_000 });
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
    });

    test('the OpenAPI document has the eight endpoints with their operationIds and bodies', async () => {
      const doc = (await call(t, 'GET', '/openapi.json')).body;
      const op = (path: string, method: string) => doc.paths[path]?.[method]?.operationId;
      assert.equal(op('/v2/telematics/vehicles', 'post'), 'create_vehicle');
      assert.equal(op('/v2/telematics/vehicles', 'get'), 'list_vehicles');
      assert.equal(op('/v2/telematics/vehicles/{vehicle_id}', 'get'), 'get_vehicle');
      assert.equal(op('/v2/telematics/vehicles/{id}', 'patch'), 'update_vehicle');
      assert.equal(op('/v2/telematics/trailers', 'post'), 'create_trailer');
      assert.equal(op('/v2/telematics/trailers', 'get'), 'list_trailers');
      assert.equal(op('/v2/telematics/trailers/{trailer_id}', 'get'), 'get_trailer');
      assert.equal(op('/v2/telematics/trailers/{id}', 'patch'), 'update_trailer');
      const schemas = doc.components.schemas;
      assert.deepEqual(schemas.VehicleCreate.required, ['connection_id']);
      assert.ok(JSON.stringify(schemas.VehicleCreate.properties.license_plate_country).includes('^\\\\w{3}$'));
      assert.ok(!JSON.stringify(schemas.TrailerCreate.properties.license_plate_country).includes('pattern'));
      assert.ok(JSON.stringify(schemas.VehicleCreate.properties.status).includes('OUT_OF_SERVICE'));
    });

    test('typed fields are validated as Catena types them: 422 naming the field', async () => {
      const bad = async (plural: string, extra: Record<string, unknown>) => {
        const res = await call(t, 'POST', `/v2/telematics/${plural}`, { token: a.token, json: { connection_id: m.connectionId, ...extra } });
        assert.equal(res.status, 422, res.text);
        return res.body.detail.map((d: { path: string }) => d.path);
      };
      assert.deepEqual(await bad('vehicles', { model_year: 2022.5 }), ['body.model_year']);
      assert.deepEqual(await bad('vehicles', { total_axles: '3' }), ['body.total_axles']);
      assert.deepEqual(await bad('vehicles', { license_plate_country: 'US' }), ['body.license_plate_country']);
      assert.deepEqual(await bad('vehicles', { status: 'MAINTENANCE' }), ['body.status']);
      assert.deepEqual(await bad('vehicles', { engine_type: 'diesel' }), ['body.engine_type']);
      assert.deepEqual(await bad('trailers', { trailer_length: 'long' }), ['body.trailer_length']);
      // A field Catena's trailer bodies do not have is not a problem: ignored (as Catena does) and listed.
      const ignored = await call(t, 'POST', '/v2/telematics/trailers', { token: a.token, json: { connection_id: m.connectionId, ...RESOURCES[1].body(), speed_unit: 'mph' } });
      assert.equal(ignored.status, 202, ignored.text);
      assert.deepEqual(ignored.body.ignored_fields, ['speed_unit']);
      assert.equal(ignored.body.payload.speed_unit, undefined);
    });

    for (const r of RESOURCES) {
      describe(r.plural, () => {
        test('an async create succeeds through the worker; the record reads back; a page lists it', async () => {
          const body = { connection_id: m.connectionId, ...r.body() };
          const res = await call(t, 'POST', `/v2/telematics/${r.plural}`, { token: a.token, json: body });
          assert.equal(res.status, 202, res.text);
          assert.equal(res.body.resource, r.resource);
          const done = await waitForOperation(t, a, m.connectionId, res.body.id);
          assert.equal(done.status, 'success', JSON.stringify(done.logs));
          const got = await call(t, 'GET', `/v2/telematics/${r.plural}/${done.resource_id}`, { token: a.token });
          assert.equal(got.status, 200);
          assert.equal(got.body[r.name], body[r.name as keyof typeof body]);
          assert.equal(got.body.source_id, done.source_id);
          const page = await call(t, 'GET', `/v2/telematics/${r.plural}?connection_id=${m.connectionId}&size=100`, { token: a.token });
          assert.ok(page.body.items.some((x: { id: string }) => x.id === done.resource_id));
        });

        test('a sync update changes what was sent and keeps the rest; idempotency replays', async () => {
          const created = await call(t, 'POST', `/v2/telematics/${r.plural}?is_sync=true`, { token: a.token, json: { connection_id: m.connectionId, ...r.body() } });
          assert.equal(created.body.status, 'success', created.text);
          const id = created.body.resource_id as string;
          const key = randomUUID();
          const update = (notes: string) =>
            call(t, 'PATCH', `/v2/telematics/${r.plural}/${id}?is_sync=true`, {
              token: a.token,
              json: { connection_id: m.connectionId, notes, license_plate_number: 'FG-1' },
              headers: { 'idempotency-key': key },
            });
          const first = await update('first');
          assert.equal(first.body.status, 'success', first.text);
          const replay = await update('first');
          assert.equal(replay.headers['idempotent-replayed'], 'true');
          assert.equal(replay.body.id, first.body.id);
          assert.equal((await update('other')).status, 409);
          const got = (await call(t, 'GET', `/v2/telematics/${r.plural}/${id}`, { token: a.token })).body;
          assert.equal(got.notes, 'first');
          assert.equal(got.license_plate_number, 'FG-1');
          assert.equal(got.oem, created.body.payload.oem);
        });

        test("another partner can neither read nor write the record; another connection's write is refused", async () => {
          const created = await call(t, 'POST', `/v2/telematics/${r.plural}?is_sync=true`, { token: a.token, json: { connection_id: m.connectionId, ...r.body() } });
          const id = created.body.resource_id as string;
          assert.equal((await call(t, 'GET', `/v2/telematics/${r.plural}/${id}`, { token: b.token })).status, 404);
          const list = await call(t, 'GET', `/v2/telematics/${r.plural}`, { token: b.token });
          assert.equal(list.status, 200);
          assert.ok(!list.body.items.some((x: { id: string }) => x.id === id));
          const foreign = await call(t, 'PATCH', `/v2/telematics/${r.plural}/${id}`, { token: b.token, json: { connection_id: m.connectionId, notes: 'x' } });
          assert.equal(foreign.status, 404);
          const elsewhere = await call(t, 'PATCH', `/v2/telematics/${r.plural}/${id}`, { token: a.token, json: { connection_id: other.connectionId, notes: 'x' } });
          assert.equal(elsewhere.status, 422, elsewhere.text);
          assert.equal(elsewhere.body.detail[0].error_type, 'connection_mismatch');
        });
      });
    }

    test("a vehicle taken out of service by its status comes back with is_active alone: the request's own field decides", async () => {
      const created = await call(t, 'POST', '/v2/telematics/vehicles?is_sync=true', { token: a.token, json: { connection_id: m.connectionId, ...RESOURCES[0].body() } });
      const id = created.body.resource_id as string;
      const patch = (json: Record<string, unknown>) =>
        call(t, 'PATCH', `/v2/telematics/vehicles/${id}?is_sync=true`, { token: a.token, json: { connection_id: m.connectionId, ...json } });
      const atMotive = async () => (await m.sandbox('GET', `/v1/vehicles/${created.body.source_id}`)).body.vehicle.status;
      assert.equal((await patch({ status: 'OUT_OF_SERVICE' })).body.status, 'success');
      assert.equal(await atMotive(), 'deactivated');
      const back = await patch({ is_active: true });
      assert.equal(back.body.status, 'success', back.text);
      assert.equal(await atMotive(), 'active');
      // A label Motive keeps nowhere (it has active | deactivated only) is reported dropped; the vehicle stays active.
      const label = await patch({ status: 'IN_REPAIR' });
      assert.deepEqual(label.body.dropped_fields, ['status']);
      assert.equal(await atMotive(), 'active');
      // Both in one request, disagreeing: refused at submit.
      const both = await patch({ is_active: true, status: 'OUT_OF_SERVICE' });
      assert.equal(both.status, 422, both.text);
    });

    test('the capability matrix lists vehicles and trailers per TSP, with the fields each stores', async () => {
      const tsps = (await call(t, 'GET', '/v2/integrations/tsps', { token: a.token })).body.items as Array<Record<string, any>>;
      for (const tsp of tsps) {
        for (const resource of ['vehicle', 'trailer']) {
          assert.equal(tsp.resources[resource].create, 'implemented', `${tsp.tsp} ${resource}`);
          assert.deepEqual(Object.keys(tsp.fields[resource]).sort(), [...(resource === 'vehicle' ? VEHICLE_ATTRIBUTE_NAMES : TRAILER_ATTRIBUTE_NAMES)].sort());
        }
      }
      const samsara = tsps.find((x) => x.tsp === 'samsara')!;
      assert.equal(samsara.rate_limit_classes.trailers.per_minute, 100);
    });
  });
}
