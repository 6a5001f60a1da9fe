// The Samsara sandbox's asset and trailer endpoints over real HTTP: they must validate, reject,
// rate-limit, fail and persist the way Samsara documents (src/sandbox/samsara/asset-vendor.ts cites
// the SDK and reference pages), or the adapter tests built on them prove nothing.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSamsaraSandbox } from '../src/sandbox/samsara/index.ts';
import type { CallResult } from './helpers/app.ts';
import { call } from './helpers/app.ts';

type Json = Record<string, any>; // `any`: native bodies are read field by field

let clock = Date.parse('2026-03-01T12:00:00Z');
let sandbox: Awaited<ReturnType<typeof startSamsaraSandbox>>;
before(async () => {
  sandbox = await startSamsaraSandbox({ port: 0, now: () => clock });
});
after(async () => sandbox.close());

/** Moves the sandbox clock on: each test starts in fresh rate windows. */
const tick = (ms = 120_000): void => {
  clock += ms;
};

async function account(base = sandbox.url): Promise<(method: string, path: string, json?: unknown) => Promise<CallResult<Json>>> {
  tick();
  const { access_token: token } = (await call<Json>({ url: base }, 'POST', '/_sandbox/accounts')).body;
  const sb = (method: string, path: string, json?: unknown) => call<Json>({ url: base }, method, path, { headers: { authorization: `Bearer ${token}` }, json });
  assert.equal((await sb('PUT', '/_sandbox/settings', { rate_limit_per_second: 10_000 })).status, 200);
  return sb;
}
type Sb = Awaited<ReturnType<typeof account>>;

let seq = 0;
const vin = (): string => `1FUJA6BD3${String(++seq).padStart(8, '0')}`;
async function ok(res: Promise<CallResult<Json>>): Promise<Json> {
  const r = await res;
  assert.equal(r.status, 200, r.text);
  return r.body.data;
}
async function rejected(res: Promise<CallResult<Json>>, status: number, message: RegExp): Promise<void> {
  const r = await res;
  assert.equal(r.status, status, r.text);
  assert.match(r.body.message, message);
  assert.match(r.body.requestId, /^[0-9a-f]{16}$/);
}

describe('assets', () => {
  test('POST /assets answers 200 {data}: digits id, type uncategorized by default, timestamps, externalIds', async () => {
    const sb = await account();
    const a = await ok(sb('POST', '/assets', { name: 'Bobcat', make: 'Bobcat', year: 2015 }));
    assert.match(a.id, /^\d+$/);
    assert.deepEqual([a.type, a.name, a.year, a.externalIds], ['uncategorized', 'Bobcat', 2015, {}]);
    assert.equal(a.createdAtTime, new Date(clock).toISOString());
    const v = await ok(sb('POST', '/assets', { type: 'vehicle', regulationMode: 'regulated', readingsIngestionEnabled: false, serialNumber: 'LN016251' }));
    assert.deepEqual([v.type, v.regulationMode, v.serialNumber], ['vehicle', 'regulated', 'LN016251']);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['an unknown field', { colour: 'red' }, /Unknown field: colour/],
    ['a read-only field', { tags: [] }, /Unknown field: tags/],
    ['a null (the SDK types no field nullable)', { notes: null }, /notes: must be a string/],
    ['a VIN that is not 17 characters', { vin: 'ABC123' }, /vin: must be a 17-character VIN/],
    ['an unknown type', { type: 'truck' }, /type/],
    ['an unknown regulationMode', { regulationMode: 'exempt' }, /regulationMode/],
    ['a year that is not an integer', { year: '2015' }, /year: must be an integer/],
    ['an external id that is neither a string nor a scalar Samsara converts', { externalIds: { erp: { n: 7 } } }, /externalIds.erp/],
    ['tags the sandbox does not model', { tagIds: ['1'] }, /tagIds is not supported/],
    ['a body that is not an object', [1], /JSON object/],
  ];
  for (const [name, body, message] of bad) {
    test(`POST /assets refuses ${name} (400)`, async () => {
      const sb = await account();
      await rejected(sb('POST', '/assets', body), 400, message);
      assert.deepEqual((await ok(sb('GET', '/assets'))), []);
    });
  }

  test('a VIN is unique among assets (any case); a refused PATCH leaves the asset as it was', async () => {
    const sb = await account();
    const v = vin();
    const first = await ok(sb('POST', '/assets', { type: 'vehicle', vin: v }));
    await rejected(sb('POST', '/assets', { type: 'vehicle', vin: v.toLowerCase() }), 400, /vin .* already in use by another asset/);
    const second = await ok(sb('POST', '/assets', { type: 'vehicle', vin: vin(), name: 'B' }));
    await rejected(sb('PATCH', `/assets?id=${second.id}`, { name: 'changed', vin: v }), 400, /already in use/);
    assert.equal((await ok(sb('GET', `/assets?ids=${second.id}`)))[0].name, 'B');
    assert.equal((await ok(sb('PATCH', `/assets?id=${first.id}`, { vin: v, notes: 'same VIN, same asset' }))).notes, 'same VIN, same asset');
  });

  test('PATCH /assets?id= takes the Samsara id (no external-id form is documented), replaces externalIds whole; no id is 400, an unknown one 404', async () => {
    const sb = await account();
    const a = await ok(sb('POST', '/assets', { type: 'vehicle', externalIds: { erp: `E${++seq}`, maint: 'M' } }));
    tick(1000);
    const patched = await ok(sb('PATCH', `/assets?id=${a.id}`, { externalIds: { erp: `E${seq}` }, make: 'Volvo' }));
    assert.deepEqual([patched.id, patched.make, patched.externalIds], [a.id, 'Volvo', { erp: `E${seq}` }]);
    assert.deepEqual([patched.createdAtTime < patched.updatedAtTime, patched.updatedAtTime], [true, new Date(clock).toISOString()]);
    await rejected(sb('PATCH', `/assets?id=erp:E${seq}`, { name: 'x' }), 404, /not found/);
    await rejected(sb('PATCH', '/assets', { name: 'x' }), 400, /id is required/);
    await rejected(sb('PATCH', '/assets?id=999', { name: 'x' }), 404, /Asset 999 not found/);
  });

  test('GET /assets filters by type, ids, externalIds and updatedAfterTime; external ids only with includeExternalIds=true', async () => {
    const sb = await account();
    const v = await ok(sb('POST', '/assets', { type: 'vehicle', externalIds: { fleetgate: `fg-${++seq}` } }));
    const eq = await ok(sb('POST', '/assets', { type: 'equipment', externalIds: { fleetgate: `fg-${++seq}` } }));
    tick(1000);
    const later = await ok(sb('POST', '/assets', { type: 'trailer' }));
    // GET /assets allows 5 per second: each read here is a second after the one before.
    const list = (query: string) => {
      tick(1000);
      return sb('GET', `/assets${query}`);
    };
    const ids = async (query: string) => (await ok(list(query))).map((a: Json) => a.id);
    assert.deepEqual(await ids('?type=vehicle'), [v.id]);
    assert.deepEqual(await ids(`?ids=${eq.id},${v.id}`), [v.id, eq.id]);
    assert.deepEqual(await ids(`?ids=fleetgate:${v.externalIds.fleetgate}`), [v.id]);
    assert.deepEqual(await ids(`?externalIds=fleetgate:${eq.externalIds.fleetgate}`), [eq.id]);
    assert.deepEqual(await ids('?externalIds=fleetgate:nobody'), []);
    assert.deepEqual(await ids(`?updatedAfterTime=${encodeURIComponent(later.createdAtTime)}`), [later.id]);
    assert.equal((await ok(list(`?ids=${v.id}`)))[0].externalIds, undefined);
    assert.deepEqual((await ok(list(`?ids=${v.id}&includeExternalIds=true`)))[0].externalIds, v.externalIds);
    await rejected(list('?tagIds=1'), 400, /tagIds is not supported/);
    await rejected(list('?limit=5'), 400, /Unknown query parameter: limit/);
    await rejected(list('?externalIds=plain'), 400, /key:value/);
    await rejected(list('?type=truck'), 400, /type/);
  });

  test('GET /assets pages 300 at a time with Samsara cursors', async () => {
    const sb = await account();
    for (let i = 0; i < 301; i++) {
      if (i % 100 === 0) tick(61_000); // POST /assets allows 100 per minute
      assert.equal((await sb('POST', '/assets', { name: `A${i}` })).status, 200);
    }
    const first = await sb('GET', '/assets');
    assert.deepEqual([first.body.data.length, first.body.pagination.hasNextPage], [300, true]);
    const rest = await sb('GET', `/assets?after=${first.body.pagination.endCursor}`);
    assert.deepEqual([rest.body.data.length, rest.body.data[0].name, rest.body.pagination], [1, 'A300', { endCursor: '', hasNextPage: false }]);
    await rejected(sb('GET', '/assets?after=nonsense'), 400, /not a cursor/);
  });
});

describe('trailers', () => {
  test('POST /fleet/trailers needs a name; licensePlate ≤ 12 and notes ≤ 255; nulls on create are ignored', async () => {
    const sb = await account();
    await rejected(sb('POST', '/fleet/trailers', { notes: 'x' }), 400, /name is required/);
    await rejected(sb('POST', '/fleet/trailers', { name: ' ' }), 400, /name: must not be empty/);
    await rejected(sb('POST', '/fleet/trailers', { name: 'T', licensePlate: 'ABCDEFGHIJKLM' }), 400, /licensePlate: must be at most 12/);
    await rejected(sb('POST', '/fleet/trailers', { name: 'T', notes: 'n'.repeat(256) }), 400, /notes: must be at most 255/);
    const t = await ok(sb('POST', '/fleet/trailers', { name: 'T', licensePlate: 'ABCDEFGHIJKL', notes: 'n'.repeat(255), trailerSerialNumber: null }));
    assert.deepEqual(Object.keys(t), ['id', 'name', 'licensePlate', 'notes']);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['a read-only installedGateway', { name: 'T', installedGateway: { serial: 'X' } }, /Unknown field: installedGateway/],
    ['an id', { name: 'T', id: '1' }, /Unknown field: id/],
    ['odometerMeters (PATCH only)', { name: 'T', odometerMeters: 5 }, /Unknown field: odometerMeters/],
    ['a non-boolean enabledForMobile', { name: 'T', enabledForMobile: 'yes' }, /enabledForMobile: must be a boolean/],
    ['attributes the sandbox does not model', { name: 'T', attributes: [] }, /attributes is not supported/],
  ];
  for (const [name, body, message] of bad) {
    test(`POST /fleet/trailers refuses ${name} (400)`, async () => {
      const sb = await account();
      await rejected(sb('POST', '/fleet/trailers', body), 400, message);
    });
  }

  test('PATCH is a JSON merge patch: null removes, externalIds merge key by key, name cannot be removed; a 400 changes nothing', async () => {
    const sb = await account();
    const t = await ok(sb('POST', '/fleet/trailers', { name: 'T', notes: 'n', licensePlate: 'P1', externalIds: { a: `a${++seq}`, b: `b${seq}` } }));
    const p = await ok(sb('PATCH', `/fleet/trailers/${t.id}`, { notes: null, externalIds: { b: null, c: `c${seq}` }, enabledForMobile: true }));
    assert.deepEqual(p, { id: t.id, name: 'T', licensePlate: 'P1', externalIds: { a: `a${seq}`, c: `c${seq}` }, enabledForMobile: true });
    await rejected(sb('PATCH', `/fleet/trailers/${t.id}`, { name: null }), 400, /name cannot be removed/);
    await rejected(sb('PATCH', `/fleet/trailers/${t.id}`, { licensePlate: 'P2', notes: 'n'.repeat(256) }), 400, /notes/);
    await rejected(sb('PATCH', `/fleet/trailers/${t.id}`, { odometerMeters: 10 }), 400, /odometerMeters is not supported/);
    assert.equal((await ok(sb('GET', `/fleet/trailers/${t.id}`))).licensePlate, 'P1');
  });

  test('GET /fleet/trailers/{id} by Samsara id or key:value; unknown is 404; the list pages with limit ≤ 512', async () => {
    const sb = await account();
    const t1 = await ok(sb('POST', '/fleet/trailers', { name: 'T1', externalIds: { fleetgate: `t-${++seq}` } }));
    const t2 = await ok(sb('POST', '/fleet/trailers', { name: 'T2' }));
    assert.equal((await ok(sb('GET', `/fleet/trailers/fleetgate:t-${seq}`))).id, t1.id);
    assert.equal((await ok(sb('GET', `/fleet/trailers/fleetgate%3At-${seq}`))).id, t1.id);
    await rejected(sb('GET', '/fleet/trailers/fleetgate:nobody'), 404, /Trailer fleetgate:nobody not found/);
    await rejected(sb('PATCH', '/fleet/trailers/12', { name: 'x' }), 404, /not found/);
    tick(1000);
    const page1 = await sb('GET', '/fleet/trailers?limit=1');
    assert.deepEqual([page1.body.data.map((x: Json) => x.id), page1.body.pagination.hasNextPage], [[t1.id], true]);
    const page2 = await sb('GET', `/fleet/trailers?limit=1&after=${page1.body.pagination.endCursor}`);
    assert.deepEqual(page2.body.data.map((x: Json) => x.id), [t2.id]);
    await rejected(sb('GET', '/fleet/trailers?limit=513'), 400, /limit/);
    await rejected(sb('GET', '/fleet/trailers?tagIds=1'), 400, /tagIds is not supported/);
  });
});

describe('external ids are unique across drivers, assets and trailers', () => {
  test('a value taken under a key by one kind is refused to every other kind, in create and update', async () => {
    const sb = await account();
    const v = `X${++seq}`;
    await ok(sb('POST', '/fleet/drivers', { name: 'Ada L', username: `ada${seq}`, password: 'pw', externalIds: { erp: v } }));
    await rejected(sb('POST', '/assets', { externalIds: { erp: v } }), 400, new RegExp(`externalId erp:${v} is already in use by another driver`));
    await rejected(sb('POST', '/fleet/trailers', { name: 'T', externalIds: { erp: v } }), 400, /another driver/);
    const t = await ok(sb('POST', '/fleet/trailers', { name: 'T', externalIds: { erp: `${v}-t` } }));
    await rejected(sb('POST', '/assets', { externalIds: { erp: `${v}-t` } }), 400, /another trailer/);
    const a = await ok(sb('POST', '/assets', { externalIds: { erp: `${v}-a`, other: v } }));
    await rejected(sb('PATCH', `/fleet/trailers/${t.id}`, { externalIds: { erp: `${v}-a` } }), 400, /another asset/);
    await rejected(sb('POST', '/fleet/drivers', { name: 'B C', username: `bc${seq}`, password: 'pw', externalIds: { erp: `${v}-a` } }), 400, /another asset/);
    // The same value under another key is another external id; an entity keeps its own.
    assert.equal((await ok(sb('PATCH', `/assets?id=${a.id}`, { externalIds: { erp: `${v}-a` } }))).id, a.id);
  });
});

describe('endpoint-level rate limits (per organization, beside the per-token 150/s)', () => {
  test('Level One: 100 per minute per endpoint; the 101st is 429 with a fractional Retry-After; other endpoints and accounts are not held', async () => {
    const sb = await account();
    const start = clock;
    for (let i = 0; i < 100; i++) {
      clock = start + i * 10;
      assert.equal((await sb('POST', '/fleet/trailers', { name: `T${i}` })).status, 200, `request ${i}`);
    }
    clock = start + 30_000.5;
    const limited = await sb('POST', '/fleet/trailers', { name: 'over' });
    assert.equal(limited.status, 429);
    assert.deepEqual([limited.body.message, limited.headers['retry-after']], ['Rate limit exceeded', '29.9995']);
    // Refused requests do not count, and the endpoint's limit is its own.
    assert.equal((await sb('POST', '/assets', { name: 'other endpoint' })).status, 200);
    const trailerId = (await sb('GET', '/fleet/trailers?limit=1')).body.data[0].id;
    assert.equal((await sb('PATCH', `/fleet/trailers/${trailerId}`, { notes: 'patch is its own endpoint' })).status, 200);
    assert.equal((await (await account())('POST', '/fleet/trailers', { name: 'another org' })).status, 200);
    clock = start + 60_000;
    assert.equal((await sb('POST', '/fleet/trailers', { name: 'first slot freed' })).status, 200);
    assert.equal((await sb('POST', '/fleet/trailers', { name: 'second not yet' })).status, 429);
  });

  test('Level Two: GET /fleet/trailers/{id} and GET /assets allow 5 per second; drivers have no such limit', async () => {
    const sb = await account();
    const t = await ok(sb('POST', '/fleet/trailers', { name: 'T' }));
    for (let i = 0; i < 5; i++) assert.equal((await sb('GET', `/fleet/trailers/${t.id}`)).status, 200);
    const limited = await sb('GET', `/fleet/trailers/${t.id}`);
    assert.deepEqual([limited.status, limited.headers['retry-after']], [429, '1']);
    for (let i = 0; i < 5; i++) assert.equal((await sb('GET', '/assets')).status, 200);
    assert.equal((await sb('GET', '/assets')).status, 429);
    for (let i = 0; i < 8; i++) assert.equal((await sb('GET', '/fleet/drivers')).status, 200);
    tick(1000);
    assert.equal((await sb('GET', `/fleet/trailers/${t.id}`)).status, 200);
  });
});

describe('faults, request log and persistence', () => {
  test('faults apply to asset and trailer routes (a lost response lands the write); the log shows path, query and body', async () => {
    const sb = await account();
    assert.equal((await sb('POST', '/_sandbox/faults', { faults: [{ status: 503, headers: { 'retry-after': '0.5' } }, { status: 502, after_apply: true }] })).status, 201);
    const unavailable = await sb('PATCH', '/assets?id=1', { name: 'x' });
    assert.deepEqual([unavailable.status, unavailable.headers['retry-after'], typeof unavailable.body.requestId], [503, '0.5', 'string']);
    assert.equal((await sb('POST', '/fleet/trailers', { name: 'landed' })).status, 502);
    assert.deepEqual((await ok(sb('GET', '/fleet/trailers'))).map((x: Json) => x.name), ['landed']);
    const log = (await sb('GET', '/_sandbox/requests')).body.requests;
    assert.deepEqual(
      log.map((r: Json) => [r.method, r.path, r.status]),
      [['PATCH', '/assets', 503], ['POST', '/fleet/trailers', 502], ['GET', '/fleet/trailers', 200]],
    );
    assert.deepEqual([log[0].query, log[0].body], [{ id: '1' }, { name: 'x' }]);
  });

  test('assets and trailers survive a restart; a state file from before them still loads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'samsara-assets-'));
    try {
      const stateFile = join(dir, 'state.json');
      const first = await startSamsaraSandbox({ port: 0, stateFile });
      const sb = await account(first.url);
      const a = await ok(sb('POST', '/assets', { type: 'vehicle', vin: vin(), externalIds: { fleetgate: 'persist-a' } }));
      const t = await ok(sb('POST', '/fleet/trailers', { name: 'Kept', externalIds: { fleetgate: 'persist-t' } }));
      await first.close();
      const saved = JSON.parse(await readFile(stateFile, 'utf8'));
      const token = saved.accounts[0].api_key as string;
      assert.deepEqual([saved.accounts[0].assets.length, saved.accounts[0].trailers.length], [1, 1]);
      const second = await startSamsaraSandbox({ port: 0, stateFile });
      try {
        const again = (method: string, path: string, json?: unknown) => call<Json>({ url: second.url }, method, path, { headers: { authorization: `Bearer ${token}` }, json });
        assert.equal((await ok(again('GET', '/assets?externalIds=fleetgate:persist-a')))[0].id, a.id);
        assert.equal((await ok(again('GET', '/fleet/trailers/fleetgate:persist-t'))).id, t.id);
        await rejected(again('POST', '/assets', { vin: a.vin }), 400, /already in use/);
        const fresh = await ok(again('POST', '/fleet/trailers', { name: 'After restart' }));
        assert.ok(Number(fresh.id) > Number(t.id), 'ids keep counting');
      } finally {
        await second.close();
      }
      const old = { version: 1, accounts: [{ api_key: 'samsara_sbx_old', settings: { rate_limit_per_second: 150, latency_ms: 0 }, next_id: 7, drivers: [] }] };
      await writeFile(stateFile, JSON.stringify(old));
      const third = await startSamsaraSandbox({ port: 0, stateFile });
      try {
        const res = await call<Json>({ url: third.url }, 'GET', '/assets', { headers: { authorization: 'Bearer samsara_sbx_old' } });
        assert.deepEqual([res.status, res.body.data], [200, []]);
      } finally {
        await third.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
