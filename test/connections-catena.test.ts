// Connections, fleets and the TSP catalogue as a client generated from Catena's integrations document
// uses them: Catena's create body (tsp_id, credentials, description) answered 200 with a ConnectionRead,
// fleets found-or-created from fleet_ref or made explicitly, the list filters Catena declares, the
// statuses, and the catalogue's pages. Responses are checked against Catena's own schemas where its
// document is beside the project. The TSPs' "own APIs" are the app's built-in sandboxes here: the test
// catalog points each TSP's default base URL at them, so a body naming no target calls no real TSP.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
// Ajv and ajv-formats come with @seriousme/openapi-schema-validator (a devDependency).
import Ajv2020 from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { PRODUCT_CATALOG } from '../src/catalog.ts';
import { fleetForRef } from '../src/accounts/fleets.ts';
import type { Catalog } from '../src/engine/resource.ts';
import type { TspAdapter } from '../src/tsps/kit/descriptor.ts';
import { ADAPTERS } from '../src/tsps/registry.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';

type Schema = Record<string, any>; // `any`: JSON Schema read from Catena's document
// ../shared beside the repository; CATENA_REFERENCE_DIR overrides it (a worktree elsewhere), as test/helpers/catena-docs.ts reads it.
const DOC_PATH = path.join(process.env.CATENA_REFERENCE_DIR ?? fileURLToPath(new URL('../../shared/reference/catena', import.meta.url)), 'integrations.openapi.json');
const DOC = fs.existsSync(DOC_PATH) ? (JSON.parse(fs.readFileSync(DOC_PATH, 'utf8')) as { components: { schemas: Record<string, Schema> } }) : undefined;
if (!DOC) console.log(`# Catena's schemas not checked: needs ${DOC_PATH} (../shared beside the repository; absent on a plain clone)`);

const { default: addFormats } = addFormatsModule as unknown as { default: (ajv: unknown) => void };
// @ts-expect-error ajv's CommonJS default export is the class
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
if (DOC) ajv.addSchema({ $id: 'catena', components: DOC.components });

/** Asserts `value` is valid under Catena's component `name` (when its document is here). */
function assertCatena(name: string, value: unknown) {
  if (!DOC) return;
  const validate = ajv.getSchema(`catena#/components/schemas/${name}`)!;
  assert.ok(validate(value), `not a Catena ${name}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(value).slice(0, 500)}`);
}

/** Catena's ConnectionRead required fields (its document's `required`), and fleetgate's fleet_ref. */
const CONNECTION_READ_FIELDS = ['id', 'created_at', 'updated_at', 'fleet_id', 'tsp_id', 'source_name', 'credentials', 'status', 'description', 'fleet_ref'];

const pathOf = (d: { path: string | Array<string | number> }) => (Array.isArray(d.path) ? d.path.join('.') : d.path);
const paths = (body: any) => (body.detail as Array<{ path: string | Array<string | number> }>).map(pathOf);
/** A query the API refuses: 400 today, Catena's 422 once query validation follows it. */
const refusedQuery = (status: number) => status === 400 || status === 422;

type TspName = 'motive' | 'samsara' | 'geotab';

for (const kind of testDbKinds()) {
  describe(`connections, fleets and the catalogue in Catena's shapes (${kind})`, () => {
    let t: TestApp;
    let a: Partner;
    let b: Partner;
    // The product's TSPs, each with its own API moved to the app's sandbox of it.
    const tsps: Record<TspName, TspAdapter> = { motive: { ...ADAPTERS.motive! }, samsara: { ...ADAPTERS.samsara! }, geotab: { ...ADAPTERS.geotab! } };
    const catalog: Catalog = { ...PRODUCT_CATALOG, tsps };

    before(async () => {
      t = await startTestApp(kind, { app: { catalog } });
      for (const x of Object.values(tsps)) x.defaultBaseUrl = `${t.url}${x.sandboxPath}`;
      a = await newPartner(t);
      b = await newPartner(t);
    });
    after(async () => {
      await t?.close();
    });

    /** Fresh credentials of an account in the TSP's sandbox. */
    async function credentialsOf(tsp: TspName): Promise<Record<string, string>> {
      const account = await call(t, 'POST', `/sandbox/${tsp}/_sandbox/accounts`);
      assert.equal(account.status, 201, account.text);
      if (tsp === 'motive') return { api_key: account.body.api_key };
      if (tsp === 'samsara') return { access_token: account.body.access_token };
      return { database: account.body.database, username: account.body.userName, password: account.body.password };
    }
    const create = (p: Partner, body: unknown) => call(t, 'POST', '/v2/integrations/connections', { token: p.token, json: body });
    /** A connection in Catena's body, with fleetgate's fields added as given. */
    async function connect(p: Partner, tsp: TspName, extra: Record<string, unknown> = {}) {
      const res = await create(p, { tsp_id: tsps[tsp].tspId, credentials: await credentialsOf(tsp), ...extra });
      assert.equal(res.status, 200, res.text);
      return res.body;
    }
    const list = (p: Partner, query: string) => call(t, 'GET', `/v2/integrations/connections?${query}`, { token: p.token });
    const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((c) => c.id).sort();

    test("Catena's create body is answered 200 with a ConnectionRead, for every TSP", async () => {
      for (const tsp of ['motive', 'samsara', 'geotab'] as const) {
        const credentials = await credentialsOf(tsp);
        const res = await create(a, { tsp_id: tsps[tsp].tspId, credentials, description: `${tsp} account of fleet 1234` });
        assert.equal(res.status, 200, `${tsp}: ${res.text}`);
        for (const field of CONNECTION_READ_FIELDS) assert.ok(Object.hasOwn(res.body, field), `${tsp}: no ${field}`);
        assertCatena('ConnectionRead', res.body);
        assert.equal(res.body.tsp_id, tsps[tsp].tspId);
        assert.equal(res.body.source_name, tsp);
        assert.equal(res.body.status, 'active');
        assert.equal(res.body.fleet_id, null, 'no fleet named');
        assert.equal(res.body.description, `${tsp} account of fleet 1234`);
        // Named no target: the TSP's own API (here, its sandbox).
        assert.equal(res.body.base_url, tsps[tsp].defaultBaseUrl);
        assert.equal(res.body.sandbox, false);
        for (const secret of Object.values(credentials).filter((v) => v !== credentials.database && v !== credentials.username)) {
          assert.ok(!res.text.includes(secret), `${tsp}: a secret shown`);
        }
        const got = await call(t, 'GET', `/v2/integrations/connections/${res.body.id}`, { token: a.token });
        assert.deepEqual(got.body, res.body);
        assertCatena('ConnectionRead', got.body);
      }
      const page = await call(t, 'GET', '/v2/integrations/connections', { token: a.token });
      assertCatena('_CursorPage_TypeVar_Customized_ConnectionRead_', page.body);
    });

    test('credentials are validated by the schema of the TSP that tsp_id names', async () => {
      const res = await create(a, { tsp_id: tsps.motive.tspId, credentials: await credentialsOf('samsara') });
      assert.equal(res.status, 422, res.text);
      assert.ok(paths(res.body).every((p) => p.startsWith('body.credentials')), res.text);
    });

    test('exactly one of tsp_id and tsp; an unknown tsp_id is refused naming it', async () => {
      const credentials = await credentialsOf('motive');
      const unknown = randomUUID();
      const cases: Array<[Record<string, unknown>, string, RegExp?]> = [
        [{ tsp_id: tsps.motive.tspId, tsp: 'motive', credentials }, 'body.tsp', /not both/],
        [{ credentials }, 'body.tsp_id', /required/],
        [{ tsp_id: unknown, credentials }, 'body.tsp_id', new RegExp(`unknown tsp_id ${unknown}`)],
        [{ tsp_id: 'motive', credentials }, 'body.tsp_id', /unknown tsp_id motive/],
        [{ tsp_id: 7, credentials }, 'body.tsp_id'],
      ];
      for (const [body, path, message] of cases) {
        const res = await create(a, body);
        assert.equal(res.status, 422, `${JSON.stringify(body)} → ${res.text}`);
        const found = res.body.detail.find((d: { path: string | string[] }) => pathOf(d) === path);
        assert.ok(found, `${JSON.stringify(body)}: ${res.text}`);
        if (message) assert.match(found.message, message);
      }
      // fleetgate's own body still works.
      const own = await create(a, { tsp: 'motive', sandbox: true, credentials });
      assert.equal(own.status, 200, own.text);
      assert.equal(own.body.tsp_id, tsps.motive.tspId);
    });

    test('fields a body does not declare are ignored, as Catena does; declared ones stay strict', async () => {
      const credentials = await credentialsOf('motive');
      const res = await create(a, { tsp_id: tsps.motive.tspId, credentials, colour: 'red', schedule: { every: '5m' }, fleet: null });
      assert.equal(res.status, 200, res.text);
      assert.ok(!('colour' in res.body) && !res.text.includes('schedule'));
      for (const [field, value] of [['description', 5], ['sandbox', 'true'], ['fleet_ref', 12], ['fleet_id', 'nope'], ['rate_limit_per_minute', 0]] as const) {
        const bad = await create(a, { tsp_id: tsps.motive.tspId, credentials, [field]: value });
        assert.equal(bad.status, 422, `${field}: ${bad.text}`);
        assert.deepEqual(paths(bad.body), [`body.${field}`]);
      }
      const patched = await call(t, 'PATCH', `/v2/integrations/connections/${res.body.id}`, { token: a.token, json: { description: 'x', colour: 'blue' } });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.description, 'x');
    });

    test('a new fleet_ref makes a fleet; the next connection with it joins that fleet', async () => {
      const ref = `acme-${randomUUID()}`;
      const first = await connect(a, 'motive', { fleet_ref: ref });
      const second = await connect(a, 'samsara', { fleet_ref: ref });
      assert.match(first.fleet_id, /^[0-9a-f-]{36}$/);
      assert.equal(second.fleet_id, first.fleet_id);
      assert.equal(second.fleet_ref, ref);
      const fleet = await call(t, 'GET', `/v2/integrations/fleets/${first.fleet_id}`, { token: a.token });
      assert.equal(fleet.status, 200, fleet.text);
      assert.equal(fleet.body.fleet_ref, ref);
      const fleets = await call(t, 'GET', `/v2/integrations/fleets?fleet_refs=${ref}`, { token: a.token });
      assert.deepEqual(fleets.body.items.map((f: { id: string }) => f.id), [first.fleet_id]);
      // Another partner's same fleet_ref is another fleet.
      const theirs = await connect(b, 'motive', { fleet_ref: ref });
      assert.notEqual(theirs.fleet_id, first.fleet_id);
      assert.equal((await call(t, 'GET', `/v2/integrations/fleets/${first.fleet_id}`, { token: b.token })).status, 404);
    });

    test('connections made at once with one new fleet_ref share one fleet', async () => {
      const p = await newPartner(t);
      const ref = `burst-${randomUUID()}`;
      const credentials = await Promise.all([0, 1, 2, 3, 4, 5].map(() => credentialsOf('motive')));
      const made = await Promise.all(credentials.map((c) => create(p, { tsp_id: tsps.motive.tspId, credentials: c, fleet_ref: ref })));
      for (const res of made) assert.equal(res.status, 200, res.text);
      assert.equal(new Set(made.map((res) => res.body.fleet_id)).size, 1);
      // The database's own race, without HTTP in between: ten at once, one fleet.
      const raced = await Promise.all(Array.from({ length: 10 }, () => fleetForRef(t.services.database.db, p.partnerId, `${ref}-direct`)));
      assert.equal(new Set(raced.map((f) => f.id)).size, 1);
      const rows = await t.database.withSession((q) => q(`SELECT count(*)::int AS n FROM fleets WHERE partner_id = '${p.partnerId}'`));
      assert.equal(rows[0]!.n, 2);
    });

    test('a fleet made explicitly is named by fleet_id; fleet_id and fleet_ref must agree', async () => {
      const ref = `beta-${randomUUID()}`;
      const made = await call(t, 'POST', '/v2/integrations/fleets', { token: a.token, json: { fleet_ref: ref, name: 'Beta Freight', region: 'ignored' } });
      assert.equal(made.status, 200, made.text);
      assert.deepEqual(Object.keys(made.body).sort(), ['created_at', 'fleet_ref', 'id', 'name', 'updated_at']);
      assert.equal(made.body.name, 'Beta Freight');
      const again = await call(t, 'POST', '/v2/integrations/fleets', { token: a.token, json: { fleet_ref: ref } });
      assert.equal(again.status, 409, again.text);
      assert.match(again.body.message, new RegExp(made.body.id));
      const anonymous = await call(t, 'POST', '/v2/integrations/fleets', { token: a.token, json: {} });
      assert.equal(anonymous.status, 200, anonymous.text);
      assert.equal(anonymous.body.fleet_ref, null);

      const byId = await connect(a, 'motive', { fleet_id: made.body.id });
      assert.equal(byId.fleet_id, made.body.id);
      assert.equal(byId.fleet_ref, ref, "the connection carries its fleet's fleet_ref");
      const byRef = await connect(a, 'motive', { fleet_ref: ref });
      assert.equal(byRef.fleet_id, made.body.id);
      const both = await connect(a, 'motive', { fleet_id: made.body.id, fleet_ref: ref });
      assert.equal(both.fleet_id, made.body.id);
      const noRef = await connect(a, 'geotab', { fleet_id: anonymous.body.id });
      assert.equal(noRef.fleet_id, anonymous.body.id);
      assert.equal(noRef.fleet_ref, null);

      const credentials = await credentialsOf('motive');
      const refused: Array<[Record<string, unknown>, string]> = [
        [{ fleet_id: made.body.id, fleet_ref: 'another' }, 'body.fleet_ref'],
        [{ fleet_id: randomUUID() }, 'body.fleet_id'],
        [{ fleet_id: (await call(t, 'POST', '/v2/integrations/fleets', { token: b.token, json: {} })).body.id }, 'body.fleet_id'],
      ];
      for (const [extra, path] of refused) {
        const res = await create(a, { tsp_id: tsps.motive.tspId, credentials, ...extra });
        assert.equal(res.status, 422, `${JSON.stringify(extra)}: ${res.text}`);
        assert.deepEqual(paths(res.body), [path]);
      }
    });

    test("changing a connection's fleet_ref moves it to that fleet; deleting it leaves the fleet", async () => {
      const ref = `move-${randomUUID()}`;
      const c = await connect(a, 'motive', { fleet_ref: ref });
      const path = `/v2/integrations/connections/${c.id}`;
      const moved = await call(t, 'PATCH', path, { token: a.token, json: { fleet_ref: `${ref}-new` } });
      assert.equal(moved.status, 200, moved.text);
      assert.notEqual(moved.body.fleet_id, c.fleet_id);
      assert.equal(moved.body.fleet_ref, `${ref}-new`);
      assert.equal((await call(t, 'GET', `/v2/integrations/fleets/${c.fleet_id}`, { token: a.token })).status, 200, 'the old fleet stays');
      const back = await call(t, 'PATCH', path, { token: a.token, json: { fleet_id: c.fleet_id } });
      assert.equal(back.body.fleet_id, c.fleet_id);
      assert.equal(back.body.fleet_ref, ref);
      const none = await call(t, 'PATCH', path, { token: a.token, json: { fleet_ref: null } });
      assert.equal(none.body.fleet_id, null);
      assert.equal(none.body.fleet_ref, null);
      const mismatch = await call(t, 'PATCH', path, { token: a.token, json: { fleet_id: c.fleet_id, fleet_ref: 'other' } });
      assert.equal(mismatch.status, 422);
      assert.equal((await call(t, 'PATCH', path, { token: a.token, json: { fleet_ref: ref } })).body.fleet_id, c.fleet_id);

      assert.equal((await call(t, 'DELETE', path, { token: a.token })).status, 204);
      const fleet = await call(t, 'GET', `/v2/integrations/fleets/${c.fleet_id}`, { token: a.token });
      assert.equal(fleet.status, 200);
      const next = await connect(a, 'samsara', { fleet_ref: ref });
      assert.equal(next.fleet_id, c.fleet_id, 'a later connection with the fleet_ref joins the fleet the deleted one left');
    });

    test('the list filters Catena declares filter: tsp_id, fleet_ids, fleet_refs', async () => {
      const p = await newPartner(t);
      const [r1, r2] = [`one-${randomUUID()}`, `two-${randomUUID()}`];
      const m1 = await connect(p, 'motive', { fleet_ref: r1 });
      const s2 = await connect(p, 'samsara', { fleet_ref: r2 });
      const loose = await connect(p, 'motive');
      const all = [m1.id, s2.id, loose.id].sort();
      assert.deepEqual(ids(await list(p, '')), all);

      // Each of these returned all three connections while the filters were ignored.
      assert.deepEqual(ids(await list(p, `tsp_id=${tsps.samsara.tspId}`)), [s2.id]);
      assert.deepEqual(ids(await list(p, `tsp_id=${tsps.motive.tspId}`)), [m1.id, loose.id].sort());
      assert.deepEqual(ids(await list(p, `tsp_id=${tsps.geotab.tspId}`)), []);
      assert.deepEqual(ids(await list(p, `tsp_id=${randomUUID()}`)), [], 'an id no TSP has matches none');
      assert.deepEqual(ids(await list(p, 'fleet_refs=no-such-ref')), []);
      assert.deepEqual(ids(await list(p, `fleet_refs=${r2}`)), [s2.id]);
      assert.deepEqual(ids(await list(p, `fleet_refs=${r1}&fleet_refs=${r2}`)), [m1.id, s2.id].sort());
      assert.deepEqual(ids(await list(p, `fleet_ids=${m1.fleet_id}`)), [m1.id]);
      assert.deepEqual(ids(await list(p, `fleet_ids=${m1.fleet_id}&fleet_ids=${s2.fleet_id}`)), [m1.id, s2.id].sort());
      assert.deepEqual(ids(await list(p, `fleet_ids=${randomUUID()}`)), []);
      assert.deepEqual(ids(await list(p, `tsp_id=${tsps.motive.tspId}&fleet_refs=${r2}`)), [], 'filters combine');
      // Another partner's fleet is nobody's here.
      assert.deepEqual(ids(await list(a, `fleet_ids=${m1.fleet_id}`)), []);

      for (const q of ['fleet_ids=not-a-uuid', 'tsp_id=motive', Array.from({ length: 101 }, () => `fleet_ids=${randomUUID()}`).join('&'), Array.from({ length: 101 }, (_, i) => `fleet_refs=r${i}`).join('&')]) {
        const res = await list(p, q);
        assert.ok(refusedQuery(res.status), `${q.slice(0, 60)} → ${res.status} ${res.text.slice(0, 200)}`);
        assert.ok(paths(res.body).every((x) => /^query\.(fleet_ids|fleet_refs|tsp_id)/.test(x)), res.text.slice(0, 300));
      }
      // The fleets list filters the same way.
      const fleets = await call(t, 'GET', `/v2/integrations/fleets?fleet_ids=${m1.fleet_id}&fleet_refs=${r1}&fleet_refs=${r2}`, { token: p.token });
      assert.deepEqual(fleets.body.items.map((f: { id: string }) => f.id), [m1.fleet_id]);
      const unfiltered = await call(t, 'GET', '/v2/integrations/fleets', { token: p.token });
      assert.deepEqual(unfiltered.body.items.map((f: { id: string }) => f.id).sort(), [m1.fleet_id, s2.fleet_id].sort());
    });

    test('status: a PATCH sets active or paused; the other Catena statuses are refused; null leaves it', async () => {
      const c = await connect(a, 'motive');
      const path = `/v2/integrations/connections/${c.id}`;
      for (const status of ['cancelled', 'stale', 'failed', 'deleted', 'ACTIVE']) {
        const res = await call(t, 'PATCH', path, { token: a.token, json: { status } });
        assert.equal(res.status, 422, `${status}: ${res.text}`);
        assert.deepEqual(paths(res.body), ['body.status']);
        assert.match(res.body.detail[0].message, /active or paused/);
      }
      const paused = await call(t, 'PATCH', path, { token: a.token, json: { status: 'paused' } });
      assert.equal(paused.body.status, 'paused');
      const unchanged = await call(t, 'PATCH', path, { token: a.token, json: { status: null, credentials: null, description: 'kept paused' } });
      assert.equal(unchanged.status, 200, unchanged.text);
      assert.equal(unchanged.body.status, 'paused');
      assert.equal(unchanged.body.credentials.api_key, c.credentials.api_key);
      assertCatena('ConnectionRead', unchanged.body);
      const resumed = await call(t, 'PATCH', path, { token: a.token, json: { status: 'active', credentials: await credentialsOf('motive') } });
      assert.equal(resumed.status, 200, resumed.text);
      assert.equal(resumed.body.status, 'active');
      assert.notEqual(resumed.body.credentials.api_key, c.credentials.api_key);
    });

    test('scopes: making a fleet needs connection:create, reading fleets connection:read', async () => {
      const reader = await newPartner(t, ['connection:read']);
      assert.equal((await call(t, 'POST', '/v2/integrations/fleets', { token: reader.token, json: {} })).status, 403);
      assert.equal((await call(t, 'GET', '/v2/integrations/fleets', { token: reader.token })).status, 200);
      const writer = await newPartner(t, ['connection:create']);
      assert.equal((await call(t, 'POST', '/v2/integrations/fleets', { token: writer.token, json: {} })).status, 200);
      assert.equal((await call(t, 'GET', '/v2/integrations/fleets', { token: writer.token })).status, 403);
      assert.equal((await call(t, 'GET', '/v2/integrations/fleets')).status, 401);
    });

    test("the TSP catalogue: Catena's page of TspIntegrationsRead, without a token, fleetgate's matrix added", async () => {
      const res = await call(t, 'GET', '/v2/integrations/tsps');
      assert.equal(res.status, 200, res.text);
      assertCatena('_CursorPage_TypeVar_Customized_TspIntegrationsRead_', res.body);
      const sorted = Object.values(tsps).map((x) => x.tspId).sort();
      assert.deepEqual(res.body.items.map((i: { tsp_id: string }) => i.tsp_id), sorted, 'ordered by tsp_id');
      for (const item of res.body.items) {
        assertCatena('TspIntegrationsRead', item);
        assert.equal(Object.keys(item.integrations).length, 31);
        assert.equal(item.implemented_count + item.not_implemented_count + item.not_supported_count, 31);
        assert.equal(item.integrations.user, 'implemented');
        assert.equal(item.integrations.hos_event, 'not_implemented');
        assert.deepEqual(item.resources.user, { create: 'implemented', update: 'implemented' }, "fleetgate's per-operation matrix stays");
        assert.equal(item.user_fields.first_name, true);
      }
      const motive = res.body.items.find((i: { source_name: string }) => i.source_name === 'motive');
      assert.equal(motive.integrations.dvir_log, 'not_supported');
      assert.match(motive.unsupported_reasons.dvir_log.create, /\w/);

      // Paged one at a time, forwards and back; current_page_backwards reads the same page again.
      const seen: string[] = [];
      let page = await call(t, 'GET', '/v2/integrations/tsps?size=1');
      const pages = [page.body];
      seen.push(...page.body.items.map((i: { tsp_id: string }) => i.tsp_id));
      assert.equal(page.body.previous_page, null);
      while (page.body.next_page) {
        page = await call(t, 'GET', `/v2/integrations/tsps?size=1&cursor=${page.body.next_page}`);
        assert.equal(page.status, 200, page.text);
        pages.push(page.body);
        seen.push(...page.body.items.map((i: { tsp_id: string }) => i.tsp_id));
      }
      assert.deepEqual(seen, sorted);
      const back = await call(t, 'GET', `/v2/integrations/tsps?size=1&cursor=${pages[2].previous_page}`);
      assert.deepEqual(back.body.items.map((i: { tsp_id: string }) => i.tsp_id), [sorted[1]]);
      const again = await call(t, 'GET', `/v2/integrations/tsps?size=1&cursor=${pages[1].current_page_backwards}`);
      assert.deepEqual(again.body.items.map((i: { tsp_id: string }) => i.tsp_id), [sorted[1]]);
      assert.ok(refusedQuery((await call(t, 'GET', '/v2/integrations/tsps?cursor=garbage')).status));
      assert.ok(refusedQuery((await call(t, 'GET', '/v2/integrations/tsps?size=0')).status));

      for (const item of res.body.items) {
        const one = await call(t, 'GET', `/v2/integrations/tsps/${item.tsp_id}`);
        assert.equal(one.status, 200);
        assert.deepEqual(one.body, item);
      }
      assert.equal((await call(t, 'GET', `/v2/integrations/tsps/${randomUUID()}`)).status, 404);
      const notUuid = await call(t, 'GET', '/v2/integrations/tsps/motive');
      assert.equal(notUuid.status, 422);
      assert.deepEqual(paths(notUuid.body), ['path.tsp_id']);
    });
  });
}
