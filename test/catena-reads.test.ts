// Catena's reads as a Catena client sees them: UserRead / VehicleRead / TrailerRead with the record's fleet,
// TSP and the TSP's own record (source_data and its hash); pages with total and Catena's four cursors; every
// list filter Catena declares really filtering (users, vehicles, trailers, resource operations), sorting as
// keyset pages; the operations' source_name and fleet_ref, the one-day default window and the 45-day cap.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { catenaErrorType, LOG_ERROR_CLASSES, OPERATION_ERROR_TYPES } from '../src/contract/common/operations.ts';
import type { LogErrorClass, OperationErrorType } from '../src/contract/common/operations.ts';
import { TSP_SOURCE_NAMES as SOURCE_NAMES } from '../src/contract/enums.ts';
import { TrailerRecord } from '../src/contract/resources/trailers.ts';
import { UserRecord } from '../src/contract/resources/users.ts';
import { VehicleRecord } from '../src/contract/resources/vehicles.ts';
import { EMPTY_SOURCE_DATA_HASH } from '../src/db/schema.ts';
import { canonicalJson, sourceDataHash } from '../src/engine/records.ts';
import { ERROR_TYPES } from '../src/tsps/kit/types.ts';
import { MOTIVE } from '../src/tsps/motive/descriptor.ts';
import { TSP_NAMES } from '../src/tsps/registry.ts';
import type { CallResult, Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import { FULL_USER, TSP_FIXTURES, assertHoldsNative } from './helpers/tsps.ts';

type Json = Record<string, any>; // `any`: response bodies are read field by field

const EXCERPT_PATH = fileURLToPath(new URL('../../shared/reference/catena/telematics.openapi.excerpt.json', import.meta.url));
const EXCERPT = fs.existsSync(EXCERPT_PATH) ? (JSON.parse(fs.readFileSync(EXCERPT_PATH, 'utf8')) as Json) : undefined;
const NEEDS_EXCERPT = EXCERPT === undefined && `needs Catena's excerpt at ${EXCERPT_PATH} (../shared beside the repository; absent on a plain clone)`;

const OPS = '/v2/integrations/connections/resource-operations';
const path = (p: string | Array<string | number>) => (Array.isArray(p) ? p.join('.') : p);
const ids = (res: CallResult<Json>) => (res.body.items as Json[]).map((i) => i.id as string).sort();
const sorted = (...xs: string[]) => [...xs].sort();

for (const kind of testDbKinds()) {
  describe(`Catena reads (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    let other: Partner;
    /** How this build answers a query parameter its schema refuses (400 today; 422 once query validation is 422). */
    let refusedStatus: number;
    const fleet: Record<'a' | 'b', { connectionId: string; fleetId: string; ref: string }> = {} as never;
    const users: Record<'ann' | 'bob' | 'cid' | 'dee', Json> = {} as never;
    const vehicles: Json[] = [];
    const trailers: Json[] = [];

    /** A Motive sandbox connection with a fleet_ref, and the fleet that ref found or made. */
    async function connection(partner: Partner, ref: string) {
      const { api_key } = (await call(t, 'POST', '/sandbox/motive/_sandbox/accounts')).body;
      await call(t, 'PUT', '/sandbox/motive/_sandbox/settings', { headers: { 'x-api-key': api_key }, json: { rate_limit_per_minute: 100_000 } });
      const res = await call(t, 'POST', '/v2/integrations/connections', {
        token: partner.token,
        json: { tsp: 'motive', sandbox: true, credentials: { api_key }, fleet_ref: ref, rate_limit_per_minute: 100_000 },
      });
      assert.equal(res.status, 200, res.text);
      // The connection's fleet_ref found or made the partner's fleet.
      assert.match(res.body.fleet_id, /^[0-9a-f-]{36}$/);
      return { connectionId: res.body.id as string, fleetId: res.body.fleet_id as string, ref };
    }

    async function write(resource: string, connectionId: string, attrs: Json, partner = p): Promise<Json> {
      const res = await call(t, 'POST', `/v2/telematics/${resource}?is_sync=true`, { token: partner.token, json: { connection_id: connectionId, ...attrs } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
      return res.body;
    }
    const get = (url: string, partner = p) => call<Json>(t, 'GET', url, { token: partner.token });
    const user = (first: string, extra: Json = {}) => ({ first_name: first, last_name: `L-${randomUUID().slice(0, 6)}`, phone_country_code: '+1', ...extra });

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
      p = await newPartner(t);
      other = await newPartner(t);
      fleet.a = await connection(p, `fleet-a-${randomUUID().slice(0, 6)}`);
      fleet.b = await connection(p, `fleet-b-${randomUUID().slice(0, 6)}`);
      users.ann = await write('users', fleet.a.connectionId, user('Ann', { is_driver: true }));
      users.bob = await write('users', fleet.a.connectionId, user('Bob', { is_driver: false }));
      users.cid = await write('users', fleet.a.connectionId, user('Cid'));
      users.dee = await write('users', fleet.b.connectionId, user('Dee', { is_driver: true }));
      for (const f of [fleet.a, fleet.b]) {
        vehicles.push(await write('vehicles', f.connectionId, { vehicle_name: `${vehicles.length + 101}` }));
        trailers.push(await write('trailers', f.connectionId, { trailer_name: `T-${trailers.length}`, oem: 'Wabash', model_type: 'DuraPlate', model_year: 2020, trailer_type: 'flatbed' }));
      }
      // The other partner's user must never show.
      await write('users', (await connection(other, 'fleet-other')).connectionId, user('Eve', { is_driver: true }), other);
      refusedStatus = (await get('/v2/telematics/users?size=0')).status;
      assert.ok([400, 422].includes(refusedStatus), `size=0 answered ${refusedStatus}`);
    });
    after(async () => {
      await t?.close();
    });

    /** A refusal of the query, naming the parameter: a bad value (as this build answers one), or a bad combination (422). */
    function refused(res: CallResult<Json>, param: string, status = refusedStatus): void {
      assert.equal(res.status, status, res.text);
      assert.ok((res.body.detail as Json[]).some((d) => path(d.path) === `query.${param}` || path(d.path).startsWith(`query.${param}.`)), res.text);
    }

    describe('UserRead', () => {
      test("carries every field Catena requires: the connection's fleet, the TSP and the TSP's record hash", async () => {
        const res = await get(`/v2/telematics/users/${users.ann.resource_id}`);
        assert.equal(res.status, 200, res.text);
        const u = res.body;
        for (const field of ['fleet_id', 'id', 'created_at', 'updated_at', 'connection_id', 'source_name', 'source_id', 'source_data_hash']) assert.ok(field in u, field);
        assert.equal(u.fleet_id, fleet.a.fleetId);
        assert.equal(u.fleet_ref, fleet.a.ref);
        assert.equal(u.connection_id, fleet.a.connectionId);
        assert.equal(u.source_name, 'motive');
        assert.equal(u.tsp_slug, 'motive');
        assert.equal(u.tsp_id, MOTIVE.tspId);
        assert.equal(u.source_id, users.ann.source_id);
        assert.match(u.source_data_hash, /^[0-9a-f]{64}$/);
        assert.equal(u.occurred_at, u.created_at);
        assert.equal(u.deleted_at, null);
        // Catena's fields fleetgate has no source for are there, as null.
        for (const field of ['execution_id', 'schedule_id', 'extras', 'started_at', 'ended_at', 'company_name', 'security_groups', 'last_tsp_login']) assert.equal(u[field], null, field);
        assert.equal(u.first_name, 'Ann');
        assert.equal(u.is_driver, true);
        assert.equal('source_data' in u, false, 'source_data only with include_source_data=true');
        UserRecord.parse(u);
      });

      test("include_source_data=true: the TSP's own record, whose canonical JSON source_data_hash is", async () => {
        const res = await get(`/v2/telematics/users/${users.ann.resource_id}?include_source_data=true`);
        assert.equal(res.status, 200, res.text);
        const data = res.body.source_data;
        assert.equal(String(data.id), users.ann.source_id, "Motive's user, by its own id");
        assert.equal(data.first_name, 'Ann');
        assert.equal(res.body.source_data_hash, sourceDataHash(data));
        const list = await get(`/v2/telematics/users?include_source_data=true&user_ids=${users.ann.resource_id}`);
        assert.deepEqual(list.body.items[0].source_data, data);
        assert.equal('source_data' in (await get(`/v2/telematics/users?user_ids=${users.ann.resource_id}`)).body.items[0], false);
      });

      test('an update keeps the TSP record it answered with, and the hash follows it', async () => {
        const before = (await get(`/v2/telematics/users/${users.cid.resource_id}?include_source_data=true`)).body;
        const res = await call(t, 'PATCH', `/v2/telematics/users/${users.cid.resource_id}?is_sync=true`, {
          token: p.token,
          json: { connection_id: fleet.a.connectionId, last_name: 'Renamed' },
        });
        assert.equal(res.body.status, 'success', res.text);
        const afterUpdate = (await get(`/v2/telematics/users/${users.cid.resource_id}?include_source_data=true`)).body;
        assert.equal(afterUpdate.source_data.last_name, 'Renamed');
        assert.notEqual(afterUpdate.source_data_hash, before.source_data_hash);
        assert.equal(afterUpdate.source_data_hash, sourceDataHash(afterUpdate.source_data));
      });

      test('a record written before fleetgate kept source data reads {} with the hash of {}', async () => {
        const id = randomUUID();
        await t.database.db.execute(sql`INSERT INTO resources (id, partner_id, connection_id, resource, attributes, source_id)
                                        VALUES (${id}, ${p.partnerId}, ${fleet.b.connectionId}, 'user', '{"first_name":"Old"}'::jsonb, 'old-1')`);
        const res = await get(`/v2/telematics/users/${id}?include_source_data=true`);
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body.source_data, {});
        assert.equal(res.body.source_data_hash, EMPTY_SOURCE_DATA_HASH);
        assert.equal(EMPTY_SOURCE_DATA_HASH, sourceDataHash({}));
        await t.database.db.execute(sql`DELETE FROM resources WHERE id = ${id}`);
      });

      test("matches Catena's UserRead: its required fields, and no field it types otherwise", { skip: NEEDS_EXCERPT }, async () => {
        const schema = EXCERPT!.components.schemas.UserRead;
        const u = (await get(`/v2/telematics/users/${users.bob.resource_id}?include_source_data=true`)).body;
        for (const field of schema.required as string[]) assert.ok(u[field] !== undefined, field);
        for (const name of Object.keys(schema.properties)) assert.ok(Object.hasOwn(UserRecord.shape, name), `UserRead.${name} is declared`);
        assert.equal(typeof u.source_data, 'object');
        assert.ok(u.source_data_hash.length <= schema.properties.source_data_hash.maxLength);
      });
    });

    describe('pages', () => {
      test('a forged cursor past what the database reads (year 0000, an offset past ±15:59) is a 422, never a 500', async () => {
        const id = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
        const forged = (x: Json) => Buffer.from(JSON.stringify(x)).toString('base64url');
        for (const v of ['0000-01-01 00:00:00', '2024-01-01 00:00:00+99', '2024-01-01 00:00:00+1600']) {
          for (const cursor of [forged({ s: 'created_at', o: 'asc', d: 'next', v, id }), forged({ t: v, id, d: 'next' })]) {
            for (const list of ['/v2/telematics/users', '/v2/integrations/connections', '/v2/notifications/webhooks']) {
              const res = await get(`${list}?cursor=${cursor}`);
              assert.equal(res.status, 422, `${list} ${v}: ${res.text}`);
              assert.equal(res.body.detail[0].path, 'query.cursor');
            }
          }
        }
      });

      test("total, and Catena's four cursors: forward, back, and refetching a page either way", async () => {
        const all = (await get('/v2/telematics/users?size=1000')).body;
        assert.equal(all.total, 4, 'four users of this partner');
        assert.equal(all.items.length, 4);
        assert.ok(all.current_page, 'a first page has a cursor from the start');
        assert.equal(all.previous_page, null);
        assert.equal(all.next_page, null);

        const seen: string[] = [];
        const pages: Json[] = [];
        let url = '/v2/telematics/users?size=1';
        for (;;) {
          const page = (await get(url)).body;
          assert.equal(page.total, 4, 'the same total on every page');
          pages.push(page);
          seen.push(...page.items.map((i: Json) => i.id));
          if (!page.next_page) break;
          url = `/v2/telematics/users?size=1&cursor=${page.next_page}`;
        }
        assert.deepEqual(seen, all.items.map((i: Json) => i.id), 'forward pages: every item once, in order');
        assert.equal(pages[0]!.previous_page, null);

        // Back from the last page to the first.
        const back: string[] = [];
        let page = pages.at(-1)!;
        back.unshift(...page.items.map((i: Json) => i.id));
        while (page.previous_page) {
          page = (await get(`/v2/telematics/users?size=1&cursor=${page.previous_page}`)).body;
          back.unshift(...page.items.map((i: Json) => i.id));
        }
        assert.deepEqual(back, seen, 'previous pages walk back to the first');

        // current_page and current_page_backwards refetch the same page (here: the second).
        const second = pages[1]!;
        for (const cursor of [second.current_page, second.current_page_backwards]) {
          const again = (await get(`/v2/telematics/users?size=1&cursor=${cursor}`)).body;
          assert.deepEqual(again.items.map((i: Json) => i.id), second.items.map((i: Json) => i.id));
        }
        // A wider page read backwards from the third item's page ends at that item.
        const wide = (await get(`/v2/telematics/users?size=2&cursor=${pages[2]!.current_page_backwards}`)).body;
        assert.deepEqual(wide.items.map((i: Json) => i.id), seen.slice(1, 3));
        assert.equal(wide.current_page_backwards, pages[2]!.current_page_backwards, 'a page read backwards: its own cursor');
      });

      test('every list has a total: connections, webhooks, operations', async () => {
        assert.equal((await get('/v2/integrations/connections')).body.total, 2);
        assert.equal((await get('/v2/notifications/webhooks')).body.total, 0);
        const ops = (await get(OPS)).body;
        assert.equal(ops.total, ops.items.length);
        assert.ok(ops.total >= 9);
      });

      test('a cursor carries its sort: the same sort (or none) with it, another is refused', async () => {
        const first = (await get('/v2/telematics/users?sort_by=first_name&sort_order=desc&size=2')).body;
        const next = await get(`/v2/telematics/users?size=2&cursor=${first.next_page}`);
        assert.equal(next.status, 200);
        assert.deepEqual(next.body.items.map((i: Json) => i.first_name), ['Bob', 'Ann'], 'the cursor kept first_name desc');
        const mismatch = await get(`/v2/telematics/users?size=2&sort_by=created_at&cursor=${first.next_page}`);
        assert.equal(mismatch.status, 422, mismatch.text);
        assert.equal(path(mismatch.body.detail[0].path), 'query.cursor');
        const elsewhere = await get(`/v2/telematics/vehicles?cursor=${first.next_page}`);
        assert.equal(elsewhere.status, 422, 'a users cursor on the vehicles list');
      });
    });

    describe('user list filters', () => {
      test('is_driver', async () => {
        assert.deepEqual(ids(await get('/v2/telematics/users?is_driver=true')), sorted(users.ann.resource_id, users.dee.resource_id));
        assert.deepEqual(ids(await get('/v2/telematics/users?is_driver=false')), [users.bob.resource_id], 'no driver; a user written without is_driver matches neither');
      });

      test('user_ids, repeated; an unknown id matches nothing', async () => {
        const two = await get(`/v2/telematics/users?user_ids=${users.ann.resource_id}&user_ids=${users.dee.resource_id}`);
        assert.deepEqual(ids(two), sorted(users.ann.resource_id, users.dee.resource_id));
        assert.equal(two.body.total, 2);
        assert.deepEqual(ids(await get(`/v2/telematics/users?user_ids=${randomUUID()}`)), []);
        refused(await get(`/v2/telematics/users?${Array.from({ length: 101 }, () => `user_ids=${randomUUID()}`).join('&')}`), 'user_ids');
        refused(await get('/v2/telematics/users?user_ids=not-a-uuid'), 'user_ids');
      });

      test('fleet_ids and fleet_refs: the connections of those fleets only', async () => {
        assert.deepEqual(ids(await get(`/v2/telematics/users?fleet_ids=${fleet.b.fleetId}`)), [users.dee.resource_id]);
        assert.deepEqual(ids(await get(`/v2/telematics/users?fleet_ids=${fleet.a.fleetId}&fleet_ids=${fleet.b.fleetId}`)).length, 4);
        assert.deepEqual(ids(await get(`/v2/telematics/users?fleet_ids=${randomUUID()}`)), []);
        assert.deepEqual(ids(await get(`/v2/telematics/users?fleet_refs=${fleet.b.ref}`)), [users.dee.resource_id]);
        assert.deepEqual(ids(await get('/v2/telematics/users?fleet_refs=no-such-ref')), []);
        assert.deepEqual(ids(await get('/v2/telematics/users?fleet_refs=fleet-other')), [], "another partner's fleet_ref");
      });

      test('connection_id and source_ids', async () => {
        assert.deepEqual(ids(await get(`/v2/telematics/users?connection_id=${fleet.b.connectionId}`)), [users.dee.resource_id]);
        const bySource = await get(`/v2/telematics/users?source_ids=${users.bob.source_id}&source_ids=${users.dee.source_id}`);
        // Each sandbox account numbers its users from 1: a TSP id may repeat across connections.
        const wanted = new Set([users.bob.source_id, users.dee.source_id]);
        assert.deepEqual(ids(bySource), sorted(...Object.values(users).filter((u) => wanted.has(u.source_id)).map((u) => u.resource_id as string)));
        assert.ok(ids(bySource).includes(users.bob.resource_id) && ids(bySource).includes(users.dee.resource_id));
        assert.deepEqual(ids(await get(`/v2/telematics/users?connection_id=${fleet.b.connectionId}&source_ids=${users.dee.source_id}`)), [users.dee.resource_id]);
        assert.deepEqual(ids(await get('/v2/telematics/users?source_ids=no-such-id')), []);
      });

      test('sort_by and sort_order: keyset pages in that order, any page size', async () => {
        for (const [order, expected] of [
          ['asc', ['Ann', 'Bob', 'Cid', 'Dee']],
          ['desc', ['Dee', 'Cid', 'Bob', 'Ann']],
        ] as const) {
          const seen: string[] = [];
          let cursor = '';
          do {
            const page = (await get(`/v2/telematics/users?sort_by=first_name&sort_order=${order}&size=1${cursor && `&cursor=${cursor}`}`)).body;
            seen.push(...page.items.map((i: Json) => i.first_name));
            cursor = page.next_page ?? '';
          } while (cursor);
          assert.deepEqual(seen, expected, order);
        }
        // Booleans and missing values sort too (jsonb: null, then false, then true), ties by id.
        const byDriver = (await get('/v2/telematics/users?sort_by=is_driver')).body.items.map((i: Json) => i.first_name);
        assert.deepEqual(byDriver.slice(0, 2), ['Cid', 'Bob']);
        // Catena's default, occurred_at: the order of writing.
        const byDefault = (await get('/v2/telematics/users')).body.items.map((i: Json) => i.first_name);
        assert.deepEqual(byDefault, ['Ann', 'Bob', 'Cid', 'Dee']);
        assert.deepEqual((await get('/v2/telematics/users?sort_order=desc')).body.items.map((i: Json) => i.first_name), ['Dee', 'Cid', 'Bob', 'Ann']);
      });

      test('every sort_by the document offers pages through every user once, both ways', async () => {
        const doc = (await call<Json>(t, 'GET', '/openapi.json')).body;
        for (const list of ['users', 'vehicles', 'trailers']) {
          const param = (doc.paths[`/v2/telematics/${list}`].get.parameters as Json[]).find((x) => x.name === 'sort_by')!;
          const total = (await get(`/v2/telematics/${list}`)).body.total;
          for (const field of param.schema.enum as string[]) {
            for (const order of ['asc', 'desc']) {
              const seen: string[] = [];
              let cursor = '';
              do {
                const res = await get(`/v2/telematics/${list}?sort_by=${field}&sort_order=${order}&size=3${cursor && `&cursor=${cursor}`}`);
                assert.equal(res.status, 200, `${list} sort_by=${field}: ${res.text}`);
                seen.push(...res.body.items.map((i: Json) => i.id));
                cursor = res.body.next_page ?? '';
              } while (cursor);
              assert.equal(seen.length, total, `${list} sort_by=${field} ${order}`);
              assert.equal(new Set(seen).size, total, `${list} sort_by=${field} ${order}: none twice`);
            }
          }
        }
      });

      test('sort_by: only a field of the read; anything else is refused', async () => {
        refused(await get('/v2/telematics/users?sort_by=password'), 'sort_by');
        refused(await get('/v2/telematics/users?sort_by=source_data'), 'sort_by');
        refused(await get('/v2/telematics/users?sort_order=sideways'), 'sort_order');
      });

      test("another partner's records never show, whatever the filter", async () => {
        assert.deepEqual(ids(await get(`/v2/telematics/users?connection_id=${fleet.a.connectionId}`, other)), []);
        assert.equal((await get('/v2/telematics/users', other)).body.total, 1);
      });
    });

    describe('vehicle and trailer reads and filters', () => {
      test("VehicleRead and TrailerRead carry Catena's required fields", async () => {
        const v = (await get(`/v2/telematics/vehicles/${vehicles[0]!.resource_id}?include_source_data=true`)).body;
        VehicleRecord.parse(v);
        assert.deepEqual([v.fleet_id, v.source_name, v.tsp_id], [fleet.a.fleetId, 'motive', MOTIVE.tspId]);
        assert.equal(v.source_data_hash, sourceDataHash(v.source_data));
        assert.equal(String(v.source_data.id), vehicles[0]!.source_id);
        assert.equal(v.vehicle_groups, null);
        const tr = (await get(`/v2/telematics/trailers/${trailers[1]!.resource_id}`)).body;
        TrailerRecord.parse(tr);
        assert.deepEqual([tr.fleet_id, tr.fleet_ref, tr.source_id], [fleet.b.fleetId, fleet.b.ref, trailers[1]!.source_id]);
        assert.equal(tr.trailer_groups, null);
      });

      test('vehicle_ids, trailer_ids, fleet_ids, fleet_refs, source_ids', async () => {
        for (const [list, records, idsParam] of [
          ['vehicles', vehicles, 'vehicle_ids'],
          ['trailers', trailers, 'trailer_ids'],
        ] as const) {
          const [x, y] = [records[0]!, records[1]!];
          assert.deepEqual(ids(await get(`/v2/telematics/${list}?${idsParam}=${y.resource_id}`)), [y.resource_id], idsParam);
          assert.deepEqual(ids(await get(`/v2/telematics/${list}?${idsParam}=${randomUUID()}`)), [], idsParam);
          assert.deepEqual(ids(await get(`/v2/telematics/${list}?fleet_ids=${fleet.a.fleetId}`)), [x.resource_id]);
          assert.deepEqual(ids(await get(`/v2/telematics/${list}?fleet_refs=${fleet.b.ref}`)), [y.resource_id]);
          const bySource = (records as Json[]).filter((r) => r.source_id === x.source_id).map((r) => r.resource_id as string);
          assert.deepEqual(ids(await get(`/v2/telematics/${list}?source_ids=${x.source_id}`)), sorted(...bySource));
          assert.deepEqual(ids(await get(`/v2/telematics/${list}?source_ids=no-such-id`)), []);
          assert.equal((await get(`/v2/telematics/${list}`)).body.total, 2);
        }
      });
    });

    describe('resource operations', () => {
      test('carry source_name and fleet_ref, and logs carry error_class beside error_type', async () => {
        const res = await get(`/v2/integrations/connections/${fleet.b.connectionId}/resource-operations/${users.dee.id}`);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.source_name, 'motive');
        assert.equal(res.body.fleet_ref, fleet.b.ref);
        assert.deepEqual([res.body.logs[0].error_type, res.body.logs[0].error_class, res.body.logs[0].attempt], [null, null, 1]);
        assert.equal(users.dee.source_name, 'motive', 'the write answer too');
        assert.equal(users.dee.fleet_ref, fleet.b.ref);
      });

      test('source_name and fleet_refs filter; a TSP name fleetgate does not serve is valid and matches nothing', async () => {
        const all = (await get(`${OPS}?size=1000`)).body.total;
        assert.equal((await get(`${OPS}?source_name=motive&size=1000`)).body.total, all);
        assert.equal((await get(`${OPS}?source_name=samsara`)).body.total, 0);
        assert.equal((await get(`${OPS}?source_name=omnitracs`)).body.total, 0);
        refused(await get(`${OPS}?source_name=not-a-tsp`), 'source_name');
        const b = (await get(`${OPS}?fleet_refs=${fleet.b.ref}&size=1000`)).body;
        assert.deepEqual(b.items.map((o: Json) => o.id).sort(), sorted(users.dee.id, vehicles[1]!.id, trailers[1]!.id));
        assert.equal((await get(`${OPS}?fleet_refs=${fleet.a.ref}&fleet_refs=${fleet.b.ref}`)).body.total, all);
        assert.equal((await get(`${OPS}?fleet_refs=no-such-ref`)).body.total, 0);
      });

      test('source_id needs resource (Catena); resource and operation filter', async () => {
        refused(await get(`${OPS}?source_id=${users.ann.source_id}`), 'source_id', 422);
        const sameSource = Object.values(users).filter((u) => u.source_id === users.ann.source_id).map((u) => u.id as string);
        assert.deepEqual(ids(await get(`${OPS}?resource=user&source_id=${users.ann.source_id}`)), sorted(...sameSource));
        assert.deepEqual(ids(await get(`${OPS}?resource=vehicle&source_id=${users.ann.source_id}&connection_id=${fleet.a.connectionId}`)).length <= 1, true);
        assert.equal((await get(`${OPS}?resource=vehicle`)).body.total, 2);
        assert.equal((await get(`${OPS}?resource=hos_event`)).body.total, 0, "a resource of Catena's that fleetgate does not write");
        assert.ok((await get(`${OPS}?operation=update`)).body.total >= 1);
      });

      test('the default window is the last day; from_datetime and to_datetime bound it, to_datetime exclusive', async () => {
        const op = users.bob.id as string;
        await t.database.db.execute(sql`UPDATE resource_operations SET created_at = now() - interval '2 days' WHERE id = ${op}`);
        try {
          const listed = async (query: string) => (await get(`${OPS}?size=1000${query}`)).body.items.map((o: Json) => o.id).includes(op);
          assert.equal(await listed(''), false, 'two days old: not in the default window');
          const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();
          assert.equal(await listed(`&from_datetime=${threeDaysAgo}`), true);
          const [row] = (await t.database.db.execute(sql`SELECT created_at::text AS at, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS iso FROM resource_operations WHERE id = ${op}`) as unknown as { rows: Array<{ iso: string }> }).rows;
          assert.equal(await listed(`&to_datetime=${row!.iso}`), false, 'created_at < to_datetime: not at it');
          const justAfter = new Date(Date.parse(row!.iso) + 1).toISOString();
          assert.equal(await listed(`&to_datetime=${justAfter}`), true, 'to_datetime alone: the day before it');
        } finally {
          await t.database.db.execute(sql`UPDATE resource_operations SET created_at = now() WHERE id = ${op}`);
        }
      });

      test('a window longer than 45 days is refused', async () => {
        const day = 86_400_000;
        const to = Date.now();
        refused(await get(`${OPS}?from_datetime=${new Date(to - 46 * day).toISOString()}`), 'from_datetime', 422);
        refused(await get(`${OPS}?from_datetime=${new Date(to - 60 * day).toISOString()}&to_datetime=${new Date(to - 14 * day).toISOString()}`), 'from_datetime', 422);
        assert.equal((await get(`${OPS}?from_datetime=${new Date(to - 60 * day).toISOString()}&to_datetime=${new Date(to - 15 * day).toISOString()}`)).status, 200);
        assert.equal((await get(`${OPS}?from_datetime=${new Date(to - 44 * day).toISOString()}`)).status, 200);
      });
    });

    test("every TSP's own record is kept: Motive's and Samsara's answer, Geotab's entity as written (never the password it was sent with)", async () => {
      for (const fx of TSP_FIXTURES) {
        const c = await fx.connect(t, p);
        const op = await write('users', c.connectionId, FULL_USER);
        const u = (await get(`/v2/telematics/users/${op.resource_id}?include_source_data=true`)).body;
        assert.equal(u.source_name, fx.tsp);
        const native = await c.native(op.source_id);
        assertHoldsNative(u.source_data, fx.expectedNative(op.resource_id), fx.tsp);
        assert.equal(String(u.source_data.id), String(native.id), fx.tsp);
        assert.equal(JSON.stringify(u.source_data).includes('password'), false, `${fx.tsp}: no password kept`);
        assert.equal(u.source_data_hash, sourceDataHash(u.source_data), fx.tsp);
      }
    });
  });
}

describe('canonical JSON of source data', () => {
  test('keys sorted at every depth, no whitespace; the hash is SHA-256 hex of it', () => {
    assert.equal(canonicalJson({ b: [1, { d: true, c: null }], a: 'x' }), '{"a":"x","b":[1,{"c":null,"d":true}]}');
    assert.equal(sourceDataHash({ b: 1, a: 2 }), sourceDataHash({ a: 2, b: 1 }));
    assert.equal(sourceDataHash({}), '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});

const INTEGRATIONS_PATH = fileURLToPath(new URL('../../shared/reference/catena/integrations.openapi.json', import.meta.url));
const INTEGRATIONS = fs.existsSync(INTEGRATIONS_PATH) ? (JSON.parse(fs.readFileSync(INTEGRATIONS_PATH, 'utf8')) as Json) : undefined;

describe("Catena's enumerations, copied once", () => {
  test('ResourceOperationErrorTypeEnum: 4 values; TspEnum: 166 values, among them every TSP fleetgate writes to', () => {
    assert.deepEqual([...OPERATION_ERROR_TYPES], ['auth', 'validation', 'network', 'tsp']);
    assert.equal(SOURCE_NAMES.length, 166);
    assert.equal(new Set(SOURCE_NAMES).size, 166);
    for (const tsp of TSP_NAMES) assert.ok((SOURCE_NAMES as readonly string[]).includes(tsp), tsp);
  });

  test('both, as both of Catena\'s documents list them', { skip: NEEDS_EXCERPT }, () => {
    assert.deepEqual([...OPERATION_ERROR_TYPES], EXCERPT!.components.schemas.ResourceOperationErrorTypeEnum.enum);
    assert.deepEqual([...SOURCE_NAMES], EXCERPT!.components.schemas.TspEnum.enum);
    if (INTEGRATIONS) {
      assert.deepEqual([...OPERATION_ERROR_TYPES], INTEGRATIONS.components.schemas.ResourceOperationErrorTypeEnum.enum);
      assert.deepEqual([...SOURCE_NAMES], INTEGRATIONS.components.schemas.TspEnum.enum);
    }
  });

  test("fleetgate's finer classes: the retry classifier's, and cancelled", () => {
    assert.deepEqual([...LOG_ERROR_CLASSES].sort(), [...ERROR_TYPES, 'cancelled'].sort());
  });
});

describe("error_type: fleetgate's class → Catena's four", () => {
  test('each class maps where its reason says (and whether the TSP answered, for transient and timeout)', () => {
    const answered = 503;
    const cases: Array<[LogErrorClass | null, number | null, OperationErrorType | null]> = [
      [null, 201, null],
      ['auth', 401, 'auth'],
      ['validation', 422, 'validation'],
      ['validation', null, 'validation'],
      ['conflict', 409, 'validation'],
      ['not_found', 404, 'tsp'],
      ['not_found', null, 'tsp'],
      ['rate_limited', 429, 'tsp'],
      ['rate_limited', null, 'tsp'],
      ['transient', answered, 'tsp'],
      ['transient', null, 'network'],
      ['timeout', 408, 'tsp'],
      ['timeout', null, 'network'],
      ['unknown', 200, 'tsp'],
      ['unknown', null, 'tsp'],
      ['cancelled', null, null],
    ];
    for (const [cls, status, expected] of cases) assert.equal(catenaErrorType(cls, status), expected, `${cls} / ${status}`);
    // Every class is covered, and every answer is one of Catena's four (or null).
    assert.deepEqual(new Set(cases.map(([c]) => c).filter((c) => c !== null)), new Set(LOG_ERROR_CLASSES));
    for (const cls of LOG_ERROR_CLASSES) {
      for (const status of [null, 200, 404, 500]) {
        const type = catenaErrorType(cls, status);
        assert.ok(type === null || OPERATION_ERROR_TYPES.includes(type), `${cls}: ${type}`);
      }
    }
  });
});
