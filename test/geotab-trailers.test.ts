// Trailers on Geotab over real HTTP: fleetgate's /v2/telematics/trailers against the app's built-in
// Geotab sandbox. Every row of src/tsps/geotab/trailers/mapping.ts (a Geotab Trailer keeps a name, a
// comment and groups), every refusal at submit (deactivation among them: a Trailer has no activeTo),
// update as Get + Set, and a create whose answer was lost: not retried blindly (nothing unique to find it by), a manual retry sends it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { TRAILER_ATTRIBUTE_NAMES } from '../src/contract/resources/trailers.ts';
import { adapterFor } from '../src/tsps/registry.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import type { GeotabAssetsFixture, Json } from './helpers/geotab-assets.ts';
import { classesTaken, directTarget, geotabAssets, submit } from './helpers/geotab-assets.ts';
import { clearGeotabSessions } from '../src/tsps/geotab/session.ts';
import { waitForOperation } from './helpers/motive.ts';

const unique = () => randomUUID().slice(0, 8);

/** Every Catena trailer field. */
const fullTrailer = () => ({
  trailer_name: `TR-${unique()}`,
  oem: 'Great Dane',
  model_type: 'Champion',
  model_year: 2021,
  vin: '1GRAA0621BB123456',
  license_plate_region: 'TX',
  license_plate_country: 'US',
  license_plate_number: 'TRL-889',
  is_active: true,
  status: 'IN_SERVICE',
  notes: '53ft dry van',
  eld_id: 'eld-9',
  eld_serial_number: 'GA0000000001',
  eld_device_type: 'GO9',
  eld_product_id: '120',
  total_axles: 2,
  external_id: 'TMS-T-7',
  trailer_length: 53,
  trailer_type: 'Dry Van',
});
const STORED = ['trailer_name', 'notes'];

describe('Geotab trailers', () => {
  let t: TestApp;
  let worker: Worker;
  let p: Partner;
  before(async () => {
    t = await startTestApp('pglite', { env: { FLEETGATE_RETRY_BASE_MS: '100', FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
    worker = startWorker(t.services, { pollMs: 25 });
    p = await newPartner(t);
  });
  after(async () => {
    await worker?.stop();
    await t?.close();
  });

  const create = async (body: Json) => {
    const res = await submit(t, p, 'POST', '/v2/telematics/trailers', body);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
    return res.body;
  };

  test('a create with every field: name and comment read back from the Trailer, in the company group; the rest is reported dropped', async () => {
    const g = await geotabAssets(t, p);
    const trailer = fullTrailer();
    const op = await create({ connection_id: g.connectionId, ...trailer });
    const native = await g.entity('Trailer', op.source_id);
    assert.deepEqual(native, { id: op.source_id, version: 0, name: trailer.trailer_name, comment: '53ft dry van', groups: [{ id: 'GroupCompanyId' }] });
    assert.deepEqual([...op.dropped_fields].sort(), TRAILER_ATTRIBUTE_NAMES.filter((f) => !STORED.includes(f)).sort());
  });

  test('the capability matrix: only trailer_name and notes are stored; create and update; the Trailer rate classes', async () => {
    const matrix = await call(t, 'GET', '/v2/integrations/tsps', { token: p.token });
    const entry = matrix.body.items.find((x: Json) => x.tsp === 'geotab');
    assert.deepEqual(entry.resources.trailer, { create: 'implemented', update: 'implemented' });
    const stored = entry.fields.trailer as Record<string, boolean>;
    assert.deepEqual(Object.keys(stored), TRAILER_ATTRIBUTE_NAMES);
    assert.deepEqual(TRAILER_ATTRIBUTE_NAMES.filter((f) => stored[f]), STORED);
    assert.deepEqual(
      Object.fromEntries(Object.entries(entry.rate_limit_classes).filter(([k]) => k.endsWith(':Trailer')).map(([k, v]) => [k, (v as Json).per_minute])),
      { 'Add:Trailer': 300, 'Set:Trailer': 300, 'Get:Trailer': 300 },
    );
    const trailers = adapterFor('geotab')!.resources.trailer!;
    assert.deepEqual([trailers.rateClass!('create'), trailers.rateClass!('update')], ['Add:Trailer', 'Get:Trailer']);
  });

  test('each call takes a slot of its own class: Add:Trailer; an update Get:Trailer then Set:Trailer', async () => {
    const trailers = adapterFor('geotab')!.resources.trailer!;
    const target = await directTarget(t);
    clearGeotabSessions();
    const attrs = { trailer_name: `TR-${unique()}` };
    const write = { operation: 'create' as const, changes: attrs, merged: attrs, externalId: randomUUID() };
    let id = '';
    const taken = await classesTaken(trailers, target, async (act) => {
      id = (await act.send(write)).sourceId!;
      const changes = { notes: 'n' };
      assert.equal((await act.send({ operation: 'update', changes, merged: { ...attrs, ...changes }, externalId: write.externalId, sourceId: id })).ok, true);
    });
    assert.deepEqual(taken, ['Authenticate', 'Add:Trailer', 'Get:Trailer', 'Set:Trailer']);
  });

  test('refused at submit with Geotab and the field named, deactivation among them; nothing reaches Geotab', async () => {
    const g = await geotabAssets(t, p);
    await g.clearCalls();
    const cases: Array<[Json, string, RegExp]> = [
      [{}, 'trailer_name', /requires a trailer name/],
      [{ trailer_name: ' ' }, 'trailer_name', /non-empty trailer name/],
      [{ trailer_name: 'x'.repeat(256) }, 'trailer_name', /255 characters/],
      [{ trailer_name: 'T', is_active: false }, 'is_active', /no active period/],
    ];
    for (const [extra, field, message] of cases) {
      const res = await submit(t, p, 'POST', '/v2/telematics/trailers', { connection_id: g.connectionId, ...extra }, false);
      assert.equal(res.status, 422, `${JSON.stringify(extra)}: ${res.text}`);
      const problem = res.body.detail.find((d: Json) => d.path === `body.${field}`);
      assert.ok(problem, res.text);
      assert.equal(problem.error_type, 'unsupported_by_tsp');
      assert.match(problem.message, /^Geotab/);
      assert.match(problem.message, message);
    }
    assert.deepEqual(await g.calls(), []);
  });

  test('an update is Get then Set of the comment; deactivation and a cleared name are refused', async () => {
    const g = await geotabAssets(t, p);
    const name = `TR-${unique()}`;
    const op = await create({ connection_id: g.connectionId, trailer_name: name, notes: 'reefer' });
    await g.clearCalls();
    const upd = await submit(t, p, 'PATCH', `/v2/telematics/trailers/${op.resource_id}`, { connection_id: g.connectionId, notes: null, is_active: true });
    assert.equal(upd.body.status, 'success', upd.text);
    assert.deepEqual(upd.body.dropped_fields, ['is_active']);
    assert.deepEqual(await g.calls(), ['Get Trailer', 'Set Trailer']);
    const native = await g.entity('Trailer', op.source_id);
    assert.deepEqual([native.name, native.comment, native.version], [name, '', 1]);
    for (const [changes, field] of [[{ is_active: false }, 'is_active'], [{ trailer_name: null }, 'trailer_name']] as const) {
      const res = await submit(t, p, 'PATCH', `/v2/telematics/trailers/${op.resource_id}`, { connection_id: g.connectionId, ...changes });
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.detail[0].path, `body.${field}`);
    }
  });

  test('a lost Add answer is not retried blindly (a Geotab trailer has nothing unique to find it by): failed with the reason; a manual retry sends it', async () => {
    const g = await geotabAssets(t, p);
    const name = `TR-${unique()}`;
    const theirs = await g.rpc('Add', { typeName: 'Trailer', entity: { name, comment: 'theirs' } });
    await g.clearCalls();
    await g.fault({ method: 'Add', status: 502, body: 'Bad Gateway' });
    const submitted = await submit(t, p, 'POST', '/v2/telematics/trailers', { connection_id: g.connectionId, trailer_name: name, notes: 'ours' }, false);
    assert.equal(submitted.status, 202, submitted.text);
    const done = await waitForOperation(t, p, g.connectionId, submitted.body.id, 15_000);
    assert.equal(done.status, 'failed', JSON.stringify(done.logs));
    assert.deepEqual(done.logs.map((l: Json) => l.error_class), ['transient', 'validation']);
    assert.match(done.logs[1].error_details, /not tried again automatically.*nothing unique/);
    // One Add reached Geotab (refused by the fault: nothing made); no lookup could have told it apart from theirs.
    assert.deepEqual(await g.calls(), ['Add Trailer']);
    const retried = await call(t, 'POST', `/v2/integrations/connections/${g.connectionId}/resource-operations/${submitted.body.id}/retry`, { token: p.token });
    assert.equal(retried.status, 200, retried.text);
    const again = await waitForOperation(t, p, g.connectionId, submitted.body.id, 15_000);
    assert.equal(again.status, 'success', JSON.stringify(again.logs));
    const named = await g.entities('Trailer', { name });
    assert.deepEqual(named.map((x) => x.id).sort(), [theirs, again.source_id].sort());
    assert.equal(named.find((x) => x.id === again.source_id)?.comment, 'ours');
  });
});
