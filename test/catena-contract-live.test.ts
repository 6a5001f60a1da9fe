// Issue 13's acceptance, part 2: live answers against Catena's schemas. One scripted run, on each test
// database (PGlite; PostgreSQL with TEST_DATABASE_URL), against a test app with sandbox connections to
// Motive, Samsara and Geotab, calls every endpoint fleetgate serves that Catena documents, as a client
// generated from Catena's documents would call it (Catena's token request, Catena's bodies and filters),
// plus the error cases Catena documents (401, 403, 404, 405, 409, 422 in a body, a query and a path, 502).
// Each answer is checked by test/helpers/catena-live.ts: the expected status, a status Catena declares,
// Ajv against Catena's schema for it (when Catena's document has one) and against fleetgate's own
// document's schema (always). Every failure is collected; the one assertion at the end lists them all.
// A filter is also checked to filter (a value that matches nothing gives an empty page), since a filter
// that is ignored answers a valid page of wrong data.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Scope } from '../src/accounts/scopes.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import type { ApiDoc, Json } from './helpers/catena-docs.ts';
import { NEEDS_CATENA, apiDoc, label, loadCatenaDocs, operationsOf } from './helpers/catena-docs.ts';
import { LiveRun } from './helpers/catena-live.ts';
import { NOT_SERVED } from './helpers/catena-tables.ts';
import { testDbKinds } from './helpers/db.ts';
import { startReceiver } from './helpers/receiver.ts';

const FAST = 100_000;
const unique = () => randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase();
const q = (params: Record<string, string | number | boolean | Array<string | number>>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) s.append(k, String(one));
  return `?${s}`;
};
const ids = (page: Json): string[] => (Array.isArray(page?.items) ? page.items.map((i: Json) => i.id) : []);
const emptyPage = (what: string) => (b: Json) => [Array.isArray(b?.items) && b.items.length > 0 && `${what}: ${b.items.length} items where none match`];

interface Tsp {
  tsp: 'motive' | 'samsara' | 'geotab';
  connectionId?: string;
  fleetRef: string;
}

for (const kind of testDbKinds()) {
  describe(`Catena's contract, live (${kind})`, { skip: NEEDS_CATENA }, () => {
    let t: TestApp;
    let worker: Worker;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: '100', FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
      worker = startWorker(t.services, { pollMs: 25 });
      receiver = await startReceiver(() => 204);
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
      await receiver?.close();
    });

    test('every endpoint fleetgate serves that Catena documents answers as Catena documents', { timeout: 120_000 }, async () => {
      const catena = loadCatenaDocs();
      const fleetDoc: ApiDoc = apiDoc('fleetgate', (await call(t, 'GET', '/openapi.json')).body);
      const run = new LiveRun(t, catena, fleetDoc);
      const partner = await newPartner(t);

      // ---- tokens: Catena's token request, at Catena's path ----
      run.section('token');
      const TOKEN = '/realms/catena/protocol/openid-connect/token';
      const form = { grant_type: 'client_credentials', client_id: partner.clientId, client_secret: partner.clientSecret, scope: 'organization' };
      const tokenRes = await run.call('POST', TOKEN, {
        form,
        expect: { status: 200, check: (b) => [b.token_type?.toLowerCase() !== 'bearer' && `token_type ${b.token_type}`] },
      });
      // The rest of the run uses Catena's token when there is one (a failure above is reported already).
      const token: string = tokenRes.status === 200 && typeof tokenRes.body?.access_token === 'string' ? tokenRes.body.access_token : partner.token;
      await run.call('POST', TOKEN, { form: { ...form, client_secret: 'wrong' }, what: 'bad secret', expect: { status: 401, check: (b) => [b.error !== 'invalid_client' && `error ${b.error}`] } });

      // ---- connections, one per TSP ----
      run.section('connections');
      const motiveAccount = (await call(t, 'POST', '/sandbox/motive/_sandbox/accounts')).body;
      await call(t, 'PUT', '/sandbox/motive/_sandbox/settings', { headers: { 'x-api-key': motiveAccount.api_key }, json: { rate_limit_per_minute: FAST } });
      const samsaraAccount = (await call(t, 'POST', '/sandbox/samsara/_sandbox/accounts')).body;
      await call(t, 'PUT', '/sandbox/samsara/_sandbox/settings', { headers: { authorization: `Bearer ${samsaraAccount.access_token}` }, json: { rate_limit_per_second: 10_000 } });
      const geotabAccount = (await call(t, 'POST', '/sandbox/geotab/_sandbox/accounts')).body;
      const geotabControl = { 'x-sandbox-database': geotabAccount.database, 'x-sandbox-password': geotabAccount.password };
      const geotabLimits = ['add_user_per_minute', 'set_user_per_minute', 'authenticate_per_minute', 'call_per_minute', 'add_device_per_minute', 'set_device_per_minute', 'get_device_per_minute', 'add_trailer_per_minute', 'set_trailer_per_minute', 'get_trailer_per_minute', 'add_dvir_log_per_minute', 'get_dvir_log_per_minute', 'get_defect_per_minute'];
      await call(t, 'PUT', '/sandbox/geotab/_sandbox/settings', { headers: geotabControl, json: Object.fromEntries(geotabLimits.map((k) => [k, FAST])) });

      const motive: Tsp = { tsp: 'motive', fleetRef: `fleet-m-${unique()}` };
      const samsara: Tsp = { tsp: 'samsara', fleetRef: `fleet-s-${unique()}` };
      const geotab: Tsp = { tsp: 'geotab', fleetRef: `fleet-g-${unique()}` };
      const tsps = [motive, samsara, geotab];
      const connectionRead = (b: Json) => [!b?.id && 'no id'];
      const CONNECTIONS = '/v2/integrations/connections';

      // The catalogue names each TSP's tsp_id (a Catena client creates connections with it).
      const catalogue = await run.call('GET', '/v2/integrations/tsps', { what: 'no token: Catena requires none', expect: { status: 200 } });
      await run.call('GET', `/v2/integrations/tsps${q({ size: 2 })}`, { token, expect: { status: 200, check: (b) => [b.items?.length > 2 && `size=2 gave ${b.items.length}`] } });
      // (When the anonymous call fails, that is reported above; the ids are read with a token, so the rest still runs.)
      const catalogueBody = catalogue.status === 200 ? catalogue.body : (await call(t, 'GET', '/v2/integrations/tsps', { token })).body;
      const tspIdOf = (name: string): string | undefined => (catalogueBody?.items ?? []).find((i: Json) => i.source_name === name || i.tsp === name || i.slug === name)?.tsp_id;
      for (const x of tsps) if (!tspIdOf(x.tsp)) run.fail(`the TSP catalogue has no tsp_id for ${x.tsp}`);

      // Motive and Samsara: today's body (Catena's Motive and Samsara models need an OAuth authorization
      // code, which no sandbox here hands out); Geotab: Catena's own ConnectionCreate (tsp_id, GeotabCreds).
      const created = async (x: Tsp, json: Json, what: string) => {
        const res = await run.call('POST', CONNECTIONS, { token, json, what, expect: { status: 200, check: connectionRead } });
        if ((res.status === 200 || res.status === 201) && res.body?.id) x.connectionId = res.body.id;
        return res;
      };
      await created(motive, { tsp: 'motive', sandbox: true, credentials: { api_key: motiveAccount.api_key }, fleet_ref: motive.fleetRef, rate_limit_per_minute: FAST }, 'motive');
      await created(samsara, { tsp: 'samsara', sandbox: true, credentials: { access_token: samsaraAccount.access_token }, fleet_ref: samsara.fleetRef, rate_limit_per_minute: FAST, rate_limits_per_minute: { assets: FAST, assets_read: FAST, trailers: FAST, trailers_read: FAST, fuel_purchases: FAST } }, 'samsara');
      const geotabCreds = { username: geotabAccount.userName, password: geotabAccount.password, database: geotabAccount.database };
      const geotabExtras = { sandbox: true, fleet_ref: geotab.fleetRef, rate_limit_per_minute: FAST, rate_limits_per_minute: Object.fromEntries(['Authenticate', 'Add:User', 'Set:User', 'Get:User', 'Add:Device', 'Set:Device', 'Get:Device', 'Add:Trailer', 'Set:Trailer', 'Get:Trailer', 'Add:DVIRLog', 'Get:DVIRLog', 'Get:Defect'].map((c) => [c, FAST])) };
      const tspId = tspIdOf('geotab');
      if (!tspId) run.fail("Catena's ConnectionCreate (tsp_id, GeotabCreds) not tried: the catalogue names no tsp_id for geotab");
      if (tspId) await created(geotab, { tsp_id: tspId, credentials: geotabCreds, description: 'Geotab, created as Catena documents', ...geotabExtras }, "geotab, Catena's ConnectionCreate");
      if (!geotab.connectionId) {
        // Keep the run going with today's body, so the rest is checked.
        const res = await call(t, 'POST', CONNECTIONS, { token, json: { tsp: 'geotab', credentials: geotabCreds, ...geotabExtras } });
        if (res.body?.id) geotab.connectionId = res.body.id;
      }
      const live = tsps.filter((x) => x.connectionId) as Array<Tsp & { connectionId: string }>;
      assert.equal(live.length, 3, `no connection to ${tsps.filter((x) => !x.connectionId).map((x) => x.tsp).join(', ')}: ${run.failures.join('\n')}`);
      const [m, s, g] = live as [Tsp & { connectionId: string }, Tsp & { connectionId: string }, Tsp & { connectionId: string }];

      for (const x of live) {
        await run.call('GET', `${CONNECTIONS}/${x.connectionId}`, { token, what: x.tsp, expect: { status: 200, check: (b) => [b.id !== x.connectionId && 'another connection', b.source_name !== x.tsp && `source_name ${b.source_name}`, tspIdOf(x.tsp) && b.tsp_id !== tspIdOf(x.tsp) && `tsp_id ${b.tsp_id} is not the catalogue's`] } });
      }
      const motiveRead = (await call(t, 'GET', `${CONNECTIONS}/${m.connectionId}`, { token })).body;
      await run.call('GET', CONNECTIONS, { token, expect: { status: 200, check: (b) => [ids(b).length !== 3 && `${ids(b).length} connections where the partner has 3`] } });
      await run.call('GET', `${CONNECTIONS}${q({ size: 1 })}`, { token, what: 'size=1', expect: { status: 200, check: (b) => [b.items?.length !== 1 && `size=1 gave ${b.items?.length}`, !b.next_page && 'no next_page'] } });
      const firstPage = (await call(t, 'GET', `${CONNECTIONS}${q({ size: 1 })}`, { token })).body;
      if (firstPage?.next_page) await run.call('GET', `${CONNECTIONS}${q({ size: 1, cursor: firstPage.next_page })}`, { token, what: 'next page', expect: { status: 200, check: (b) => [ids(b)[0] === ids(firstPage)[0] && 'the next page repeats the first'] } });
      if (tspIdOf('motive')) await run.call('GET', `${CONNECTIONS}${q({ tsp_id: tspIdOf('motive')! })}`, { token, what: 'tsp_id', expect: { status: 200, check: (b) => [ids(b).join() !== m.connectionId && `tsp_id=motive's gave ${ids(b).length} connections`] } });
      await run.call('GET', `${CONNECTIONS}${q({ fleet_refs: [m.fleetRef, s.fleetRef] })}`, { token, what: 'fleet_refs', expect: { status: 200, check: (b) => [ids(b).sort().join() !== [m.connectionId, s.connectionId].sort().join() && `fleet_refs gave ${ids(b).length} connections where 2 match`] } });
      await run.call('GET', `${CONNECTIONS}${q({ fleet_refs: 'no-such-ref' })}`, { token, what: 'fleet_refs matching none', expect: { status: 200, check: emptyPage('fleet_refs=no-such-ref') } });
      await run.call('GET', `${CONNECTIONS}${q({ fleet_ids: motiveRead?.fleet_id ?? randomUUID() })}`, { token, what: 'fleet_ids', expect: { status: 200, check: (b) => [ids(b).join() !== m.connectionId && `fleet_ids=<motive's fleet> gave ${ids(b).length} connections`] } });
      await run.call('GET', `${CONNECTIONS}${q({ fleet_ids: randomUUID() })}`, { token, what: 'fleet_ids matching none', expect: { status: 200, check: emptyPage('fleet_ids=<unknown>') } });
      await run.call('PATCH', `${CONNECTIONS}/${m.connectionId}`, { token, json: { description: 'Motive, renamed' }, expect: { status: 200, check: (b) => [b.description !== 'Motive, renamed' && `description ${b.description}`] } });
      await run.call('PATCH', `${CONNECTIONS}/${m.connectionId}`, { token, json: { status: 'paused' }, what: 'pause', expect: { status: 200, check: (b) => [b.status !== 'paused' && `status ${b.status}`] } });
      await run.call('PATCH', `${CONNECTIONS}/${m.connectionId}`, { token, json: { status: 'active' }, what: 'resume', expect: { status: 200, check: (b) => [b.status !== 'active' && `status ${b.status}`] } });
      // A fourth connection, to delete.
      const spareAccount = (await call(t, 'POST', '/sandbox/motive/_sandbox/accounts')).body;
      const spare = await call(t, 'POST', CONNECTIONS, { token, json: { tsp: 'motive', sandbox: true, credentials: { api_key: spareAccount.api_key } } });
      if (spare.body?.id) {
        await run.call('DELETE', `${CONNECTIONS}/${spare.body.id}`, { token, expect: { status: 204 } });
        await run.call('GET', `${CONNECTIONS}/${spare.body.id}`, { token, what: 'deleted', expect: { status: 404 } });
      } else run.fail(`the spare connection was not created: ${spare.status} ${spare.text}`);

      // ---- the TSP catalogue, one by one ----
      run.section('tsps');
      for (const x of live) {
        const id = tspIdOf(x.tsp);
        if (id) await run.call('GET', `/v2/integrations/tsps/${id}`, { token, what: x.tsp, expect: { status: 200, check: (b) => [b.tsp_id !== id && `tsp_id ${b.tsp_id}`] } });
      }
      await run.call('GET', `/v2/integrations/tsps/${randomUUID()}`, { token, what: 'unknown', expect: { status: 404 } });

      // ---- webhooks (created before the writes, so that they have deliveries) ----
      run.section('webhooks');
      const WEBHOOKS = '/v2/notifications/webhooks';
      const secret = `s3cret-${unique()}-${unique()}`;
      const one = await run.call('POST', WEBHOOKS, { token, json: { url: receiver.url, event_name: 'resource_operation.succeeded', secret }, expect: { status: 200, check: (b) => [b.event_name !== 'resource_operation.succeeded' && `event_name ${b.event_name}`, b.secret !== secret && 'the create answer (Catena\'s Webhook, secret not redacted) does not show the secret given'] } });
      const all = await run.call('POST', WEBHOOKS, { token, json: { url: receiver.url, event_name: 'resource_operation.*', filters: { fleet_refs: [m.fleetRef], fleet_ids: null } }, what: 'a catch-all', expect: { status: 200, check: (b) => [!Array.isArray(b) && 'a catch-all answers an array', Array.isArray(b) && !b.length && 'an empty array for resource_operation.*'] } });
      let webhookId: string | undefined = one.status === 200 ? one.body?.id : undefined;
      if (!webhookId) webhookId = (await call(t, 'POST', WEBHOOKS, { token, json: { url: receiver.url } })).body?.id; // keep checking the rest
      const catchAll: string[] = Array.isArray(all.body) ? all.body.map((w: Json) => w.id) : [];
      if (!webhookId) run.fail('no webhook could be created: the webhook endpoints are not checked');

      // ---- users, vehicles, trailers on each TSP ----
      run.section('users');
      const USERS = '/v2/telematics/users';
      const op = (b: Json, status: string) => [b?.status !== status && `operation ${b?.status} (${JSON.stringify(b?.logs?.at?.(-1) ?? null)})`];
      const users: Record<string, { id: string; sourceId: string; driver: boolean }[]> = {};
      const userBody = (x: Tsp & { connectionId: string }) => ({ connection_id: x.connectionId, username: `u-${unique().toLowerCase()}`, first_name: 'Pat', last_name: unique(), ...(x.tsp === 'motive' && { phone_country_code: '+1' }) });
      for (const x of live) {
        users[x.tsp] = [];
        // Samsara keeps drivers only (its back-office users are another API); Motive needs a phone country code.
        for (const driver of x.tsp === 'samsara' ? [true, true] : [true, false]) {
          const res = await run.call('POST', `${USERS}${q({ is_sync: true })}`, { token, what: `${x.tsp}, sync`, json: { ...userBody(x), is_driver: driver }, expect: { status: 200, check: (b) => op(b, 'success') } });
          if (res.body?.resource_id) users[x.tsp]!.push({ id: res.body.resource_id, sourceId: res.body.source_id, driver });
        }
        await run.call('POST', USERS, { token, what: `${x.tsp}, async`, json: { ...userBody(x), first_name: 'Queued', is_driver: true }, expect: { status: 202, check: (b) => op(b, 'pending') } });
        const u = users[x.tsp]![0];
        if (!u) continue;
        // PATCH at Catena's path /users/{id}.
        await run.call('PATCH', `${USERS}/${u.id}${q({ is_sync: true })}`, { token, what: `${x.tsp}, sync`, json: { connection_id: x.connectionId, last_name: `Renamed${unique()}`, ...(x.tsp === 'motive' && { phone_country_code: '+1' }) }, expect: { status: 200, check: (b) => op(b, 'success') } });
        await run.call('PATCH', `${USERS}/${u.id}`, { token, what: `${x.tsp}, async`, json: { connection_id: x.connectionId, first_name: 'Patricia', ...(x.tsp === 'motive' && { phone_country_code: '+1' }) }, expect: { status: 202, check: (b) => op(b, 'pending') } });
        await run.call('GET', `${USERS}/${u.id}`, { token, what: x.tsp, expect: { status: 200, check: (b) => [b.id !== u.id && 'another user', b.source_name !== x.tsp && `source_name ${b.source_name}`] } });
        await run.call('GET', `${USERS}/${u.id}${q({ include_source_data: true })}`, { token, what: `${x.tsp}, include_source_data`, expect: { status: 200, check: (b) => [(typeof b.source_data !== 'object' || b.source_data === null) && 'no source_data'] } });
      }
      const mu = users.motive ?? [];
      const allUsers = Object.values(users).flat();
      await run.call('GET', USERS, { token, expect: { status: 200, check: (b) => [typeof b.total !== 'number' && 'no total'] } });
      await run.call('GET', `${USERS}${q({ connection_id: m.connectionId })}`, { token, what: 'connection_id', expect: { status: 200, check: (b) => [b.items?.some((i: Json) => i.connection_id !== m.connectionId) && 'another connection’s user'] } });
      await run.call('GET', `${USERS}${q({ is_driver: false })}`, { token, what: 'is_driver=false', expect: { status: 200, check: (b) => [b.items?.some((i: Json) => i.is_driver === true) && 'a driver with is_driver=false', !b.items?.length && 'no non-driver, though there are'] } });
      await run.call('GET', `${USERS}${q({ is_driver: true })}`, { token, what: 'is_driver=true', expect: { status: 200, check: (b) => [b.items?.some((i: Json) => i.is_driver === false) && 'a non-driver with is_driver=true'] } });
      if (mu.length) await run.call('GET', `${USERS}${q({ user_ids: mu.map((u) => u.id) })}`, { token, what: 'user_ids', expect: { status: 200, check: (b) => [ids(b).sort().join() !== mu.map((u) => u.id).sort().join() && `user_ids gave ${ids(b).length} users where ${mu.length} match`] } });
      await run.call('GET', `${USERS}${q({ user_ids: randomUUID() })}`, { token, what: 'user_ids matching none', expect: { status: 200, check: emptyPage('user_ids=<unknown>') } });
      if (mu[0]) await run.call('GET', `${USERS}${q({ source_ids: mu[0].sourceId })}`, { token, what: 'source_ids', expect: { status: 200, check: (b) => [!ids(b).includes(mu[0]!.id) && 'the user is not found by its source id', b.items?.some((i: Json) => i.source_id !== mu[0]!.sourceId) && 'another source id'] } });
      await run.call('GET', `${USERS}${q({ source_ids: 'no-such-source-id' })}`, { token, what: 'source_ids matching none', expect: { status: 200, check: emptyPage('source_ids=no-such-source-id') } });
      await run.call('GET', `${USERS}${q({ fleet_refs: g.fleetRef })}`, { token, what: 'fleet_refs', expect: { status: 200, check: (b) => [b.items?.some((i: Json) => i.connection_id !== g.connectionId) && 'a user of another fleet', !b.items?.length && 'none of the fleet’s users'] } });
      await run.call('GET', `${USERS}${q({ fleet_refs: 'no-such-ref' })}`, { token, what: 'fleet_refs matching none', expect: { status: 200, check: emptyPage('fleet_refs=no-such-ref') } });
      await run.call('GET', `${USERS}${q({ fleet_ids: motiveRead?.fleet_id ?? randomUUID() })}`, { token, what: 'fleet_ids', expect: { status: 200, check: (b) => [b.items?.some((i: Json) => i.connection_id !== m.connectionId) && 'a user of another fleet', !b.items?.length && 'none of the fleet’s users'] } });
      await run.call('GET', `${USERS}${q({ fleet_ids: randomUUID() })}`, { token, what: 'fleet_ids matching none', expect: { status: 200, check: emptyPage('fleet_ids=<unknown>') } });
      await run.call('GET', `${USERS}${q({ include_source_data: true, size: 2 })}`, { token, what: 'include_source_data', expect: { status: 200, check: (b) => [b.items?.some((i: Json) => typeof i.source_data !== 'object') && 'an item without source_data'] } });
      const sorted = await run.call('GET', `${USERS}${q({ sort_by: 'created_at', sort_order: 'desc' })}`, { token, what: 'sort_by created_at desc', expect: { status: 200 } });
      if (sorted.status === 200) {
        const times = (sorted.body.items ?? []).map((i: Json) => i.created_at as string);
        if (times.some((x: string, i: number) => i > 0 && x > times[i - 1]!)) run.fail('sort_by=created_at&sort_order=desc is not in descending created_at order');
      }
      const page1 = await run.call('GET', `${USERS}${q({ size: 2 })}`, { token, what: 'size=2', expect: { status: 200, check: (b) => [b.items?.length !== 2 && `size=2 gave ${b.items?.length}`, b.total !== undefined && b.total < allUsers.length && `total ${b.total} < ${allUsers.length}`] } });
      if (page1.body?.next_page) await run.call('GET', `${USERS}${q({ size: 2, cursor: page1.body.next_page })}`, { token, what: 'next page', expect: { status: 200, check: (b) => [ids(b).some((id) => ids(page1.body).includes(id)) && 'the next page repeats items'] } });

      run.section('vehicles and trailers');
      const records: Record<string, Record<string, string>> = { vehicles: {}, trailers: {} };
      for (const plural of ['vehicles', 'trailers'] as const) {
        const path = `/v2/telematics/${plural}`;
        for (const x of live) {
          const attrs = plural === 'vehicles' ? { vehicle_name: `Truck ${unique()}`, ...(x.tsp === 'geotab' && { eld_serial_number: `G9${unique()}` }) } : { trailer_name: `Trailer ${unique()}`, ...(x.tsp === 'motive' && { trailer_type: 'Flatbed', oem: 'Utility', model_type: '4000D-X', model_year: 2021 }) };
          const res = await run.call('POST', `${path}${q({ is_sync: true })}`, { token, what: `${x.tsp}, sync`, json: { connection_id: x.connectionId, ...attrs }, expect: { status: 200, check: (b) => op(b, 'success') } });
          const id: string | undefined = res.body?.resource_id;
          await run.call('POST', path, { token, what: `${x.tsp}, async`, json: { connection_id: x.connectionId, ...(plural === 'vehicles' ? { vehicle_name: `Truck ${unique()}`, ...(x.tsp === 'geotab' && { eld_serial_number: `G9${unique()}` }) } : { trailer_name: `Trailer ${unique()}`, ...(x.tsp === 'motive' && { trailer_type: 'Flatbed', oem: 'Utility', model_type: '4000D-X', model_year: 2021 }) }) }, expect: { status: 202, check: (b) => op(b, 'pending') } });
          if (!id) continue;
          records[plural]![x.tsp] = id;
          await run.call('PATCH', `${path}/${id}${q({ is_sync: true })}`, { token, what: `${x.tsp}, sync`, json: { connection_id: x.connectionId, notes: 'Checked' }, expect: { status: 200, check: (b) => op(b, 'success') } });
          await run.call('PATCH', `${path}/${id}`, { token, what: `${x.tsp}, async`, json: { connection_id: x.connectionId, model_year: 2024 }, expect: { status: 202, check: (b) => op(b, 'pending') } });
          await run.call('GET', `${path}/${id}`, { token, what: x.tsp, expect: { status: 200, check: (b) => [b.id !== id && 'another record'] } });
        }
        await run.call('GET', path, { token, expect: { status: 200 } });
        await run.call('GET', `${path}${q({ connection_id: s.connectionId })}`, { token, what: 'connection_id', expect: { status: 200, check: (b) => [b.items?.some((i: Json) => i.connection_id !== s.connectionId) && 'another connection’s record', !b.items?.length && 'none of the connection’s records'] } });
      }

      run.section('messages, fuel, DVIR');
      const [dispatcher, driver] = [mu.find((u) => !u.driver), mu.find((u) => u.driver)];
      const truck = records.vehicles!.motive;
      if (dispatcher && driver && truck) {
        await run.call('POST', `/v2/telematics/messages${q({ is_sync: true })}`, { token, json: { connection_id: m.connectionId, sender_id: dispatcher.id, recipient_id: driver.id, message_text: 'Load 7 is ready' }, expect: { status: 200, check: (b) => op(b, 'success') } });
        await run.call('POST', `/v2/telematics/group-messages${q({ is_sync: true })}`, { token, json: { connection_id: m.connectionId, sender_id: dispatcher.id, recipient_ids: [driver.id], message_text: 'All hands', priority: null }, expect: { status: 200, check: (b) => op(b, 'success') } });
        await run.call('POST', `/v2/telematics/fuel-transactions${q({ is_sync: true })}`, { token, json: { connection_id: m.connectionId, driver_id: driver.id, vehicle_id: truck, transaction_time: '2026-05-01T10:30:00Z', transaction_jurisdiction: 'TX', fuel_type: 'DIESEL', fuel_volume: 50, fuel_volume_unit: 'US_GALLON' }, expect: { status: 200, check: (b) => op(b, 'success') } });
        await run.call('POST', '/v2/telematics/messages', { token, what: 'async', json: { connection_id: m.connectionId, sender_id: dispatcher.id, recipient_id: driver.id, message_text: 'Queued' }, expect: { status: 202 } });
      } else run.fail('no Motive dispatcher, driver and vehicle: messages and fuel are not checked');
      const gDriver = (users.geotab ?? []).find((u) => u.driver);
      if (gDriver && records.vehicles!.geotab) {
        await run.call('POST', `/v2/telematics/dvir-logs${q({ is_sync: true })}`, { token, json: { connection_id: g.connectionId, driver_id: gDriver.id, vehicle_id: records.vehicles!.geotab, occurred_at: '2026-05-01T08:00:00Z', log_type: 'pre_trip' }, expect: { status: 200, check: (b) => op(b, 'success') } });
      } else run.fail('no Geotab driver and vehicle: DVIR logs are not checked');
      for (const plural of ['messages', 'group-messages', 'fuel-transactions', 'dvir-logs']) {
        await run.call('GET', `/v2/telematics/${plural}`, { token, expect: { status: 200, check: (b) => [!b.items?.length && 'none of the records written'] } });
      }

      // ---- resource operations ----
      run.section('resource operations');
      const OPS = '/v2/integrations/connections/resource-operations';
      const opsPage = await run.call('GET', OPS, { token, what: 'the default window (the last day)', expect: { status: 200, check: (b) => [!b.items?.length && 'none of the operations just written'] } });
      const someOp: Json | undefined = opsPage.body?.items?.find((o: Json) => o.connection_id === m.connectionId && o.resource === 'user');
      await run.call('GET', `${OPS}${q({ connection_id: s.connectionId })}`, { token, what: 'connection_id', expect: { status: 200, check: (b) => [b.items?.some((o: Json) => o.connection_id !== s.connectionId) && 'another connection’s operation'] } });
      await run.call('GET', `${OPS}${q({ resource: 'trailer' })}`, { token, what: 'resource', expect: { status: 200, check: (b) => [b.items?.some((o: Json) => o.resource !== 'trailer') && 'another resource', !b.items?.length && 'no trailer operation'] } });
      await run.call('GET', `${OPS}${q({ operation: 'update' })}`, { token, what: 'operation', expect: { status: 200, check: (b) => [b.items?.some((o: Json) => o.operation_type !== 'update') && 'a create'] } });
      await run.call('GET', `${OPS}${q({ source_name: 'samsara' })}`, { token, what: 'source_name', expect: { status: 200, check: (b) => [b.items?.some((o: Json) => o.connection_id !== s.connectionId) && 'an operation of another TSP', !b.items?.length && 'no Samsara operation'] } });
      await run.call('GET', `${OPS}${q({ fleet_refs: g.fleetRef })}`, { token, what: 'fleet_refs', expect: { status: 200, check: (b) => [b.items?.some((o: Json) => o.connection_id !== g.connectionId) && 'an operation of another fleet', !b.items?.length && 'none of the fleet’s operations'] } });
      await run.call('GET', `${OPS}${q({ fleet_refs: 'no-such-ref' })}`, { token, what: 'fleet_refs matching none', expect: { status: 200, check: emptyPage('fleet_refs=no-such-ref') } });
      if (someOp?.source_id) {
        await run.call('GET', `${OPS}${q({ resource: someOp.resource, source_id: someOp.source_id })}`, { token, what: 'source_id', expect: { status: 200, check: (b) => [!b.items?.some((o: Json) => o.id === someOp.id) && 'the operation is not found by its source id', b.items?.some((o: Json) => o.source_id !== someOp.source_id) && 'another source id'] } });
        // Catena's document: source_id "Requires the `resource` parameter".
        await run.call('GET', `${OPS}${q({ source_id: someOp.source_id })}`, { token, what: 'source_id without resource', expect: { status: 422 } });
      }
      const now = Date.now();
      await run.call('GET', `${OPS}${q({ from_datetime: new Date(now - 3_600_000).toISOString(), to_datetime: new Date(now + 60_000).toISOString(), size: 5 })}`, { token, what: 'from/to_datetime, size', expect: { status: 200, check: (b) => [b.items?.length > 5 && `size=5 gave ${b.items.length}`] } });
      await run.call('GET', `${OPS}${q({ from_datetime: new Date(now - 3 * 86_400_000).toISOString(), to_datetime: new Date(now - 2 * 86_400_000).toISOString() })}`, { token, what: 'a window before everything', expect: { status: 200, check: emptyPage('a window two days ago') } });
      if (someOp) {
        await run.call('GET', `/v2/integrations/connections/${someOp.connection_id}/resource-operations/${someOp.id}`, { token, expect: { status: 200, check: (b) => [b.id !== someOp.id && 'another operation', !Array.isArray(b.logs) && 'no logs'] } });
      } else run.fail('no Motive user operation in the list: GET one is not checked with a real operation');
      await run.call('GET', `/v2/integrations/connections/${m.connectionId}/resource-operations/${randomUUID()}`, { token, what: 'unknown', expect: { status: 404 } });

      // ---- webhooks, after the writes ----
      run.section('webhooks');
      if (webhookId) {
        const W = `${WEBHOOKS}/${webhookId}`;
        await run.call('GET', WEBHOOKS, { token, expect: { status: 200 } });
        await run.call('GET', `${WEBHOOKS}${q({ event_name: 'resource_operation.succeeded' })}`, { token, what: 'event_name', expect: { status: 200, check: (b) => [b.items?.some((w: Json) => w.event_name !== 'resource_operation.succeeded') && 'another event'] } });
        await run.call('GET', `${WEBHOOKS}${q({ status: 'paused' })}`, { token, what: 'status matching none', expect: { status: 200, check: emptyPage('status=paused') } });
        await run.call('GET', W, { token, expect: { status: 200, check: (b) => [b.secret === secret && 'the secret is answered in clear'] } });
        await run.call('PATCH', W, { token, json: { url: `${receiver.url}?v=2`, secret: `${secret}-rotated` }, expect: { status: 200 } });
        await run.call('POST', `${W}/pause`, { token, expect: { status: 200, check: (b) => [b.status !== 'paused' && `status ${b.status}`] } });
        await run.call('GET', `${WEBHOOKS}${q({ status: 'paused' })}`, { token, what: 'status', expect: { status: 200, check: (b) => [ids(b).join() !== webhookId && `status=paused gave ${ids(b).length}`] } });
        await run.call('POST', `${W}/activate`, { token, expect: { status: 200, check: (b) => [b.status !== 'active' && `status ${b.status}`] } });
        await run.call('GET', `${W}/metrics`, { token, expect: { status: 200, check: (b) => [b.webhook_id !== webhookId && `webhook_id ${b.webhook_id}`] } });
        await run.call('POST', `${W}/replay`, { token, expect: { status: 202 } });
        await run.call('GET', '/v2/notifications/schemas/resource_operation.succeeded', { token, expect: { status: 200 } });
        await run.call('GET', '/v2/notifications/schemas/resource_operation.succeeded/versions/1.0', { token, expect: { status: 200 } });
        await run.call('GET', '/v2/notifications/schemas/no.such_event', { token, what: 'unknown event', expect: { status: [404, 422] } });
        // Deliveries are made by the worker: wait (briefly) for the first to be logged.
        const deadline = Date.now() + 5_000;
        while (Date.now() < deadline && !((await call(t, 'GET', `${W}/logs`, { token })).body?.items?.length)) await new Promise((r) => setTimeout(r, 100));
        await run.call('GET', `${W}/logs`, { token, expect: { status: 200, check: (b) => [!b.items?.length && 'no delivery logged after the writes'] } });
        await run.call('GET', `${W}/logs${q({ status: 'success', start_date: new Date(now - 3_600_000).toISOString(), end_date: new Date(Date.now() + 60_000).toISOString() })}`, { token, what: 'status, start/end_date', expect: { status: 200, check: (b) => [b.items?.some((l: Json) => l.status !== 'success') && 'a failed delivery with status=success'] } });
        await run.call('GET', `${W}/logs${q({ start_date: new Date(now - 3 * 86_400_000).toISOString(), end_date: new Date(now - 2 * 86_400_000).toISOString() })}`, { token, what: 'a window before everything', expect: { status: 200, check: emptyPage('a window two days ago') } });
        for (const id of catchAll) await run.call('DELETE', `${WEBHOOKS}/${id}`, { token, expect: { status: 204 } });
        await run.call('DELETE', W, { token, expect: { status: 204 } });
        await run.call('GET', W, { token, what: 'deleted', expect: { status: 404 } });
      }

      // ---- the error answers Catena documents ----
      run.section('errors');
      const mConn = m.connectionId;
      await run.call('GET', USERS, { what: 'no token', expect: { status: 401 } });
      await run.call('GET', CONNECTIONS, { token: 'not-a-token', what: 'a bad token', expect: { status: 401 } });
      const reader = await newPartner(t, ['telematics:read'] as Scope[]);
      await run.call('POST', USERS, { token: reader.token, what: 'without telematics:write', json: { connection_id: mConn, first_name: 'X' }, expect: { status: 403 } });
      await run.call('GET', CONNECTIONS, { token: reader.token, what: 'without connection:read', expect: { status: 403 } });
      await run.call('GET', OPS, { token: reader.token, what: 'without resource_operation:read', expect: { status: 403 } });
      await run.call('GET', WEBHOOKS, { token: reader.token, what: 'without webhook:read', expect: { status: 403 } });
      await run.call('GET', `${USERS}/${randomUUID()}`, { token, what: 'unknown user', expect: { status: 404 } });
      await run.call('PATCH', `${USERS}/${randomUUID()}`, { token, what: 'unknown user', json: { connection_id: mConn, first_name: 'X', phone_country_code: '+1' }, expect: { status: 404 } });
      await run.call('GET', `${CONNECTIONS}/${randomUUID()}`, { token, what: 'unknown connection', expect: { status: 404 } });
      await run.call('GET', `${WEBHOOKS}/${randomUUID()}`, { token, what: 'unknown webhook', expect: { status: 404 } });
      const detailAt = (path: string, input?: string) => (b: Json) => {
        const d = Array.isArray(b?.detail) ? b.detail.find((x: Json) => x.path === path) : undefined;
        return [!d && `no detail at ${path} (a string path): ${JSON.stringify(b?.detail)?.slice(0, 200)}`, d && input !== undefined && d.input !== input && `input ${JSON.stringify(d.input)} where ${JSON.stringify(input)} was sent`];
      };
      await run.call('POST', USERS, { token, what: 'a bad body field', json: { connection_id: mConn, country_code: 'US' }, expect: { status: 422, check: detailAt('body.country_code', 'US') } });
      await run.call('POST', `${USERS}${q({ is_sync: true })}`, { token, what: 'an unknown body field is ignored', json: { connection_id: mConn, first_name: 'Ignored', last_name: unique(), phone_country_code: '+1', no_such_field: 1 }, expect: { status: 200, check: (b) => [...op(b, 'success'), b.status === 'success' && JSON.stringify(b).indexOf('no_such_field') < 0 && 'the ignored field is not listed in the operation'] } });
      await run.call('GET', `${USERS}${q({ size: 0 })}`, { token, what: 'a bad query value', expect: { status: 422, check: detailAt('query.size', '0') } });
      await run.call('GET', `${USERS}${q({ no_such_filter: 'x' })}`, { token, what: 'an unknown query parameter', expect: { status: 422, check: detailAt('query.no_such_filter', 'x') } });
      await run.call('GET', `${CONNECTIONS}${q({ fleet_ids: 'not-a-uuid' })}`, { token, what: 'a bad list filter', expect: { status: 422 } });
      await run.call('GET', `${USERS}/not-a-uuid`, { token, what: 'a bad path parameter', expect: { status: 422, check: detailAt('path.user_id', 'not-a-uuid') } });
      await run.call('DELETE', USERS, { token, what: 'a method the path does not have', expect: { status: 405 } });
      const key = `key-${unique()}`;
      await call(t, 'POST', USERS, { token, headers: { 'idempotency-key': key }, json: { connection_id: mConn, first_name: 'Once', last_name: unique(), phone_country_code: '+1' } });
      await run.call('POST', USERS, { token, what: 'an idempotency key reused with another body', headers: { 'idempotency-key': key }, json: { connection_id: mConn, first_name: 'Twice', last_name: unique(), phone_country_code: '+1' }, expect: { status: 409 } });
      // A sync write the TSP refuses: Catena's 502 with the (failed) operation.
      await call(t, 'POST', '/sandbox/motive/_sandbox/faults', { headers: { 'x-api-key': motiveAccount.api_key }, json: { status: 422, body: { error_message: 'Validation failed: Phone is invalid' } } });
      await run.call('POST', `${USERS}${q({ is_sync: true })}`, { token, what: 'the TSP refuses it', json: { connection_id: mConn, first_name: 'Refused', last_name: unique(), phone_country_code: '+1' }, expect: { status: 502, check: (b) => op(b, 'failed') } });

      // ---- token revocation (last: it ends a token) ----
      run.section('token');
      const spareToken = await call(t, 'POST', TOKEN, { form });
      const revoked: string | undefined = spareToken.body?.access_token;
      await run.call('POST', '/realms/catena/protocol/openid-connect/revoke', { form: { token: revoked ?? 'none', client_id: partner.clientId, client_secret: partner.clientSecret }, expect: { status: 200 } });
      if (revoked) await run.call('GET', CONNECTIONS, { token: revoked, what: 'a revoked token', expect: { status: 401 } });
      await run.call('POST', '/realms/catena/protocol/openid-connect/revoke', { form: { token: revoked ?? 'none', client_id: partner.clientId, client_secret: 'wrong' }, what: 'bad secret', expect: { status: 401 } });

      // ---- coverage: every Catena operation fleetgate is to serve was called ----
      const toServe = catena.flatMap(operationsOf).map(label).filter((l) => !NOT_SERVED.includes(l));
      for (const l of toServe) if (!run.covered.has(l)) run.fail(`not exercised by this run: ${l}`);

      assert.equal(run.failures.length, 0, `${run.failures.length} failures against Catena's contract:\n${run.failures.join('\n')}`);
    });
  });
}
