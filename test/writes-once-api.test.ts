// The create-only writes (messages, group messages, fuel transactions, DVIR logs) as every TSP shares
// them: the contract against Catena's excerpt where it transcribes a schema, the enumerations copied once
// and counted, the endpoints in the OpenAPI document (create, list, get; no update), validation of the
// typed fields, and the capability catalogue naming all ten writes per TSP. Each TSP's mapping is tested
// in test/<tsp>-messages.test.ts and test/<tsp>-fuel-dvir.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DISTANCE_UNITS, DVIR_DEFECTS, DVIR_LOG_TYPES, FUEL_VOLUME_UNITS, MESSAGE_PRIORITIES } from '../src/contract/enums.ts';
import { CreateDvirLogBody } from '../src/contract/resources/dvir-logs.ts';
import { GROUP_MESSAGE_ATTRIBUTE_NAMES } from '../src/contract/resources/messages.ts';
import { adapterFor } from '../src/tsps/registry.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import type { MotiveFixture } from './helpers/motive.ts';
import { motiveConnection } from './helpers/motive.ts';

const EXCERPT_PATH = fileURLToPath(new URL('../../shared/reference/catena/telematics.openapi.excerpt.json', import.meta.url));
const EXCERPT = fs.existsSync(EXCERPT_PATH) ? (JSON.parse(fs.readFileSync(EXCERPT_PATH, 'utf8')) as { components: { schemas: Record<string, any> } }) : undefined;
const NEEDS_EXCERPT = EXCERPT === undefined && `needs Catena's excerpt at ${EXCERPT_PATH} (../shared beside the repository; absent on a plain clone)`;

const WRITES = [
  { plural: 'messages', resource: 'message', create: 'create_message', list: 'list_messages', get: 'get_message', idParam: 'message_id' },
  { plural: 'group-messages', resource: 'group_message', create: 'create_group_message', list: 'list_group_messages', get: 'get_group_message', idParam: 'group_message_id' },
  { plural: 'fuel-transactions', resource: 'fuel_transaction', create: 'create_fuel_transaction', list: 'list_fuel_transactions', get: 'get_fuel_transaction', idParam: 'fuel_transaction_id' },
  { plural: 'dvir-logs', resource: 'dvir_log', create: 'create_dvir_log', list: 'list_dvir_logs', get: 'get_dvir_log', idParam: 'dvir_log_id' },
] as const;

/** Catena's ten telematics writes, as resource and operation. */
const TEN_WRITES = [
  ['user', 'create'],
  ['user', 'update'],
  ['vehicle', 'create'],
  ['vehicle', 'update'],
  ['trailer', 'create'],
  ['trailer', 'update'],
  ['message', 'create'],
  ['group_message', 'create'],
  ['fuel_transaction', 'create'],
  ['dvir_log', 'create'],
] as const;

describe('the create-only contracts', () => {
  test("GroupMessageCreate's fields are Catena's, in Catena's order, with its required ones", { skip: NEEDS_EXCERPT }, () => {
    const schema = EXCERPT!.components.schemas.GroupMessageCreate;
    assert.deepEqual(GROUP_MESSAGE_ATTRIBUTE_NAMES, Object.keys(schema.properties).filter((n) => n !== 'connection_id'));
    assert.deepEqual(schema.required, ['connection_id', 'sender_id', 'recipient_ids']);
  });

  test('the enumerations, copied once and counted', () => {
    const counts = { MESSAGE_PRIORITIES: [MESSAGE_PRIORITIES, 3], FUEL_VOLUME_UNITS: [FUEL_VOLUME_UNITS, 4], DISTANCE_UNITS: [DISTANCE_UNITS, 3], DVIR_LOG_TYPES: [DVIR_LOG_TYPES, 4], DVIR_DEFECTS: [DVIR_DEFECTS, 60] } as const;
    for (const [name, [values, n]] of Object.entries(counts)) {
      assert.equal(values.length, n, name);
      assert.equal(new Set(values).size, n, `${name} has no repeats`);
    }
    // The two defects the current generation added (providers-messages-fuel-dvir.md §2.1).
    assert.ok(DVIR_DEFECTS.includes('alignment') && DVIR_DEFECTS.includes('scratches'));
  });

  test('a volume that converts past a double is refused at submit, never sent as null (zero)', () => {
    const changes = { driver_id: randomUUID(), vehicle_id: randomUUID(), fuel_volume: 1e308, fuel_volume_unit: 'IMPERIAL_GALLON', transaction_time: '2026-11-01T12:00:00Z', transaction_jurisdiction: 'TX', fuel_type: 'DIESEL' };
    const write = { operation: 'create' as const, changes, merged: changes, externalId: randomUUID(), refs: { driver_id: '11', vehicle_id: '22' } };
    for (const tsp of ['geotab', 'motive']) {
      const mapped = adapterFor(tsp)!.resources.fuel_transaction!.map(write);
      assert.ok(!mapped.ok && mapped.refusals.some((r) => r.field === 'fuel_volume'), `${tsp}: ${JSON.stringify(mapped)}`);
    }
  });

  test("a DVIR log's log_type defaults to unknown, as Catena's schema says", () => {
    const parsed = CreateDvirLogBody.parse({ connection_id: randomUUID(), driver_id: randomUUID() });
    assert.equal(parsed.log_type, 'unknown');
  });
});

for (const kind of testDbKinds()) {
  describe(`create-only writes over HTTP (${kind})`, () => {
    let t: TestApp;
    let a: Partner;
    let m: MotiveFixture;

    before(async () => {
      t = await startTestApp(kind);
      a = await newPartner(t);
      m = await motiveConnection(t, a, { rate_limit_per_minute: 100_000 });
    });
    after(async () => {
      await t?.close();
    });

    test('the OpenAPI document has create, list and get for each, and no update', async () => {
      const doc = (await call(t, 'GET', '/openapi.json')).body;
      for (const w of WRITES) {
        assert.equal(doc.paths[`/v2/telematics/${w.plural}`]?.post?.operationId, w.create);
        assert.equal(doc.paths[`/v2/telematics/${w.plural}`]?.get?.operationId, w.list);
        assert.equal(doc.paths[`/v2/telematics/${w.plural}/{${w.idParam}}`]?.get?.operationId, w.get);
        assert.equal(doc.paths[`/v2/telematics/${w.plural}/{${w.idParam}}`]?.patch, undefined);
      }
      assert.deepEqual(doc.components.schemas.FuelTransactionCreate.required.sort(), ['connection_id', 'driver_id', 'fuel_volume', 'fuel_volume_unit', 'vehicle_id']);
      assert.deepEqual(doc.components.schemas.MessageCreate.required.sort(), ['connection_id', 'recipient_id', 'sender_id']);
      assert.equal(doc.components.schemas.DvirLogCreate.properties.log_type.default, 'unknown');
      // Defaulted in the request, so not required of a partner.
      assert.deepEqual(doc.components.schemas.DvirLogCreateInput.required, ['connection_id', 'driver_id']);
      // OpenAPI 3.1 component names: ^[a-zA-Z0-9.\-_]+$ (a title with spaces must not leak into one).
      for (const name of Object.keys(doc.components.schemas)) assert.match(name, /^[a-zA-Z0-9.\-_]+$/);
      assert.ok(doc.components.schemas.GroupMessagePage);
      // PATCH is not served either: the path has GET only (405, Catena's MethodNotAllowed).
      const patch = await call(t, 'PATCH', `/v2/telematics/messages/${randomUUID()}`, { token: a.token, json: { connection_id: m.connectionId } });
      assert.equal(patch.status, 405);
      assert.equal(patch.headers.allow, 'GET, HEAD');
    });

    test('typed fields are validated as Catena types them: 422 naming the field', async () => {
      const bad = async (plural: string, body: Record<string, unknown>) => {
        const res = await call(t, 'POST', `/v2/telematics/${plural}`, { token: a.token, json: { connection_id: m.connectionId, ...body } });
        assert.equal(res.status, 422, res.text);
        return res.body.detail.map((d: { path: string }) => d.path);
      };
      const ids = { driver_id: randomUUID(), vehicle_id: randomUUID() };
      assert.deepEqual(await bad('messages', { sender_id: randomUUID() }), ['body.recipient_id']);
      assert.deepEqual(await bad('messages', { sender_id: randomUUID(), recipient_id: randomUUID(), priority: 'urgent' }), ['body.priority']);
      assert.deepEqual(await bad('group-messages', { sender_id: randomUUID(), recipient_ids: ['nope'] }), ['body.recipient_ids.0']);
      assert.deepEqual(await bad('fuel-transactions', { ...ids, fuel_volume: 10 }), ['body.fuel_volume_unit']);
      assert.deepEqual(await bad('fuel-transactions', { ...ids, fuel_volume: 10, fuel_volume_unit: 'GALLON' }), ['body.fuel_volume_unit']);
      assert.deepEqual(await bad('fuel-transactions', { ...ids, fuel_volume: 10, fuel_volume_unit: 'LITER', latitude: 91 }), ['body.latitude']);
      assert.deepEqual(await bad('fuel-transactions', { ...ids, fuel_volume: 10, fuel_volume_unit: 'LITER', total_cost: '12,50' }), ['body.total_cost']);
      assert.deepEqual(await bad('fuel-transactions', { ...ids, fuel_volume: 10, fuel_volume_unit: 'LITER', transaction_time: 'yesterday' }), ['body.transaction_time']);
      assert.deepEqual(await bad('dvir-logs', { driver_id: randomUUID(), defects: ['broken'] }), ['body.defects.0']);
      assert.deepEqual(await bad('dvir-logs', { driver_id: randomUUID(), log_type: null }), ['body.log_type']);
    });

    test('the capability catalogue names all ten writes per TSP, each implemented or not_supported', async () => {
      const tsps = (await call(t, 'GET', '/v2/integrations/tsps', { token: a.token })).body.items as Array<Record<string, any>>;
      assert.deepEqual(tsps.map((x) => x.tsp).sort(), ['geotab', 'motive', 'samsara']);
      for (const tsp of tsps) {
        for (const [resource, operation] of TEN_WRITES) {
          assert.ok(['implemented', 'not_supported'].includes(tsp.resources[resource][operation]), `${tsp.tsp} ${resource} ${operation}: ${tsp.resources[resource][operation]}`);
        }
      }
      // Each not_supported write carries its reason; each create that is not retried blindly, its reason.
      for (const tsp of tsps) {
        for (const [resource, operation] of TEN_WRITES) {
          if (tsp.resources[resource][operation] === 'not_supported') assert.ok(tsp.unsupported_reasons[resource]?.[operation]?.length > 20, `${tsp.tsp} ${resource}: a reason`);
        }
      }
      // Motive has no DVIR create (its docs list only reads and updates of inspection reports).
      const motive = tsps.find((x) => x.tsp === 'motive')!;
      assert.equal(motive.resources.dvir_log.create, 'not_supported');
      assert.match(motive.unsupported_reasons.dvir_log.create, /inspection report/);
      assert.match(motive.creates_not_retried.fuel_transaction, /.+/);
      const refused = await call(t, 'POST', '/v2/telematics/dvir-logs', { token: a.token, json: { connection_id: m.connectionId, driver_id: randomUUID() } });
      assert.equal(refused.status, 422);
      assert.match(refused.body.detail[0].message, /^Motive does not support dvir_log create: Motive has no API/);
    });
  });
}
