// There is no official Motive JS SDK, so these are the exact requests Motive's own docs show a client
// sending, run against the standalone sandbox (`fleetgate simulate motive`) and the one embedded in
// fleetgate (`/sandbox/motive`). Sources:
//   [KT16-users]    armdev/public_api_docs @177c9ec4 pages/02-users.markdown: `curl -H "X-Api-Key: 12345" -d
//                   "password=12345678&email=foo@keeptruckin.com&first_name=Foo&last_name=Bar&role=driver"`
//                   (create; the same -d with -X PUT updates), and the list example
//                   `/v1/users?role=driver&name=John%20Smith&duty_status=driving&per_page=100&page_no=1`
//   [KT16-vehicles] pages/11-vehicles.markdown: `-d "number=12345&…&ifta=true&metric_units=true&fuel_type=diesel"`,
//                   `/v1/vehicles?fuel_type=diesel&per_page=100&page_no=1`
//   [seed]          shared/seeds/motive-create-user.txt: the JSON body Motive's "Create a new user" page posts
//   [update-ext]    https://developer.gomotive.com/reference/update-the-external-id-of-an-entity: `GET
//                   v1/users/:id` shows external_ids `[{"id": 809946, "external_id": "112233", "integration_name": "INT"}]`
//   [changelog]     5 Feb 2025: phone_country_code mandatory on create and update (every body below sends it;
//                   curl's -d does not encode, so its "+" is written %2B as a client must).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMotiveSandbox } from '../src/sandbox/motive/index.ts';
import { startTestApp } from './helpers/app.ts';
import type { TestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import { motiveCall } from './helpers/sandbox-http.ts';
import type { Json, JsonRes } from './helpers/sandbox-http.ts';

/** What `curl -H "X-Api-Key: …" -d "…"` sends: the body as given, form-encoded. */
async function curlForm(base: string, method: string, path: string, key: string, data: string): Promise<JsonRes> {
  const res = await fetch(base + path, {
    method,
    headers: { 'x-api-key': key, 'content-type': 'application/x-www-form-urlencoded' },
    body: data,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}

const seedBody = (extra: Json = {}): Json => ({
  email: null, first_name: 'John', last_name: 'Doe', phone: null, phone_ext: null, time_zone: null,
  violation_alerts: '1_hour', exception_24_hour_restart: false, exception_8_hour_break: false, exception_wait_time: false,
  exception_short_haul: false, exception_ca_farm_school_bus: false, exception_adverse_driving: false,
  export_combined: true, export_recap: true, export_odometers: true, metric_units: false,
  username: `john.doe.${Math.random().toString(36).slice(2, 8)}`, password: 'password', cycle: null, driver_company_id: null, minute_logs: false,
  duty_status: 'off_duty', eld_mode: 'none', yard_moves_enabled: false, personal_conveyance_enabled: false, manual_driving_enabled: false,
  role: 'driver', status: 'active', dot_id: '12345678', time_tracking_mode: 'logs', phone_country_code: '+1', ...extra,
});

function clientRequests(where: string, sandboxBase: () => string): void {
  describe(`Motive's documented requests against the ${where} sandbox`, () => {
    let key = '';
    before(async () => {
      const account = await motiveCall(sandboxBase(), 'POST', '/_sandbox/accounts', undefined);
      assert.equal(account.status, 201);
      key = account.body.api_key as string;
      assert.equal((await motiveCall(sandboxBase(), 'PUT', '/_sandbox/settings', key, { rate_limit_per_minute: 10_000 })).status, 200);
    });
    const json = (method: string, path: string, body?: unknown) => motiveCall(sandboxBase(), method, path, key, body);
    const form = (method: string, path: string, data: string) => curlForm(sandboxBase(), method, path, key, data);

    test('curl -d creates a user from form fields, and curl -X PUT -d updates it (booleans cast the Rails way)', async () => {
      const created = await form('POST', '/v1/users', 'password=12345678&email=foo@keeptruckin.com&first_name=Foo&last_name=Bar&role=driver&phone_country_code=%2B1');
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const u = created.body.user as Json;
      assert.deepEqual([u.first_name, u.last_name, u.email, u.role, u.phone_country_code, u.password], ['Foo', 'Bar', 'foo@keeptruckin.com', 'driver', '+1', undefined]);
      const updated = await form('PUT', `/v1/users/${u.id}`, 'first_name=Fooz&phone_country_code=%2B44&yard_moves_enabled=true&metric_units=0&cycle=60_7&time_zone=Central+Time+(US+%26+Canada)');
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      const v = updated.body.user as Json;
      assert.deepEqual(
        [v.first_name, v.last_name, v.phone_country_code, v.yard_moves_enabled, v.metric_units, v.cycle, v.time_zone],
        ['Fooz', 'Bar', '+44', true, false, '60_7', 'Central Time (US & Canada)'],
      );
      // A form value outside a list is refused as in JSON; a boolean's text is cast, never refused.
      const bad = await form('PUT', `/v1/users/${u.id}`, 'phone_country_code=%2B1&cycle=70_9');
      assert.deepEqual([bad.status, bad.body], [422, { error_message: 'Validation failed: Cycle is not included in the list' }]);
    });

    test('form-encoded external ids: Rack\'s nested names add a pair, and an indexed entry with its id changes it', async () => {
      const created = await form('POST', '/v1/users', 'first_name=Ext&last_name=Ids&phone_country_code=%2B1&external_ids_attributes[][external_id]=987&external_ids_attributes[][integration_name]=generic_tms');
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const u = created.body.user as Json;
      const [pair] = u.external_ids as Json[];
      assert.deepEqual(u.external_ids, [{ id: pair.id, external_id: '987', integration_name: 'generic_tms' }]);
      const changed = await form('PUT', `/v1/users/${u.id}`, `phone_country_code=%2B1&external_ids_attributes[0][id]=${pair.id}&external_ids_attributes[0][external_id]=988`);
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.deepEqual((changed.body.user as Json).external_ids, [{ id: pair.id, external_id: '988', integration_name: 'generic_tms' }]);
    });

    test('a form body whose names clash is Rack\'s 400, with Motive\'s error_message', async () => {
      const res = await form('POST', '/v1/users', 'first_name=a&first_name[x]=b&last_name=c&phone_country_code=%2B1');
      assert.equal(res.status, 400);
      assert.match(String(res.body.error_message), /first_name/);
    });

    test('the seed\'s JSON create, then GET shows external ids with their id, and an id-carrying PUT updates that pair', async () => {
      const created = await json('POST', '/v1/users', seedBody({ external_ids_attributes: [{ external_id: '112233', integration_name: 'INT' }] }));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.user.id as number;
      const shown = (await json('GET', `/v1/users/${id}`)).body.user as Json;
      const [pair] = shown.external_ids as Json[];
      assert.equal(typeof pair.id, 'number');
      assert.deepEqual(shown.external_ids, [{ id: pair.id, external_id: '112233', integration_name: 'INT' }]);
      const updated = await json('PUT', `/v1/users/${id}`, { phone_country_code: '+1', external_ids_attributes: [{ id: pair.id, external_id: '445566', integration_name: 'INT' }] });
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.deepEqual(updated.body.user.external_ids, [{ id: pair.id, external_id: '445566', integration_name: 'INT' }]);
      assert.equal((await json('GET', '/v1/users/lookup_by_external_id?external_id=445566&integration_name=INT')).body.user.id, id);
    });

    test('the documented list example filters by role, name and duty_status; a filter the sandbox lacks is refused', async () => {
      const mk = (first: string, last: string, duty: string, role = 'driver') =>
        json('POST', '/v1/users', { first_name: first, last_name: last, phone_country_code: '+1', duty_status: duty, role });
      const wanted = (await mk('John', 'Smith', 'driving')).body.user.id as number;
      await mk('John', 'Smith', 'off_duty');
      await mk('Jane', 'Doe', 'driving');
      await mk('John', 'Smith', 'driving', 'fleet_user');
      const list = await json('GET', '/v1/users?role=driver&name=John%20Smith&duty_status=driving&per_page=100&page_no=1');
      assert.equal(list.status, 200);
      assert.deepEqual((list.body.users as Json[]).map((x) => x.user.id), [wanted]);
      assert.deepEqual(list.body.pagination, { per_page: 100, page_no: 1, total: 1 });
      assert.equal((await json('GET', '/v1/users?name=smith')).body.pagination.total, 3);
      const summary = await json('GET', '/v1/users?summary=true');
      assert.equal(summary.status, 400);
      assert.match(String(summary.body.error_message), /summary is documented by Motive but not implemented/);
      const unknown = await json('GET', '/v1/users?updated_after=2025-01-01');
      assert.deepEqual([unknown.status, Object.keys(unknown.body)], [400, ['error_message']]);
    });

    test('curl -d creates a vehicle; the documented vehicle list filters by fuel_type; a users-only filter is refused there', async () => {
      const created = await form('POST', '/v1/vehicles', 'number=12345&ifta=true&metric_units=true&fuel_type=diesel');
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const v = created.body.vehicle as Json;
      assert.deepEqual([v.number, v.ifta, v.metric_units, v.fuel_type], ['12345', true, true, 'diesel']);
      await form('POST', '/v1/vehicles', 'number=12346&fuel_type=gasoline');
      const list = await json('GET', '/v1/vehicles?fuel_type=diesel&per_page=100&page_no=1');
      assert.deepEqual((list.body.vehicles as Json[]).map((x) => x.vehicle.number), ['12345']);
      assert.equal((await json('GET', '/v1/vehicles?status=active')).status, 400);
      assert.equal((await json('GET', '/v1/assets?type=flatbed')).status, 400);
    });

    test('errors come in Motive\'s own body: 401 without a key, 404 for a record that is not there', async () => {
      const noKey = await motiveCall(sandboxBase(), 'GET', '/v1/users', undefined);
      assert.deepEqual([noKey.status, Object.keys(noKey.body)], [401, ['error_message']]);
      const missing = await json('GET', '/v1/users/999999');
      assert.deepEqual([missing.status, missing.body], [404, { error_message: "Couldn't find User with 'id'=999999" }]);
    });
  });
}

let standalone: Awaited<ReturnType<typeof startMotiveSandbox>>;
before(async () => {
  standalone = await startMotiveSandbox({ port: 0 });
});
after(async () => standalone.close());
clientRequests('standalone', () => standalone.url);

for (const kind of testDbKinds()) {
  let app: TestApp;
  describe(`embedded in fleetgate (${kind})`, () => {
    before(async () => {
      app = await startTestApp(kind);
    });
    after(async () => app.close());
    clientRequests(`embedded (${kind})`, () => `${app.url}/sandbox/motive`);
  });
}
