// The Samsara sandbox's driver-message and fuel-purchase endpoints over real HTTP: they must validate,
// reject, rate-limit, fail and persist the way Samsara documents (src/sandbox/samsara/writes-once-vendor.ts
// cites the SDK and reference pages), or the adapter tests built on them prove nothing. Samsara's DVIR
// endpoints are not served (fleetgate writes no Samsara DVIR) and answer its 404.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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

type Sb = (method: string, path: string, json?: unknown) => Promise<CallResult<Json>>;
async function account(base = sandbox.url): Promise<Sb> {
  tick();
  const { access_token: token } = (await call<Json>({ url: base }, 'POST', '/_sandbox/accounts')).body;
  const sb: Sb = (method, path, json) => call<Json>({ url: base }, method, path, { headers: { authorization: `Bearer ${token}` }, json });
  assert.equal((await sb('PUT', '/_sandbox/settings', { rate_limit_per_second: 10_000 })).status, 200);
  return sb;
}

let seq = 0;
async function ok(res: Promise<CallResult<Json>>): Promise<any> {
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
const driver = async (sb: Sb): Promise<number> => Number((await ok(sb('POST', '/fleet/drivers', { name: 'D', username: `d${++seq}`, password: 'pw-123456' }))).id);
const asset = async (sb: Sb, type: string): Promise<string> => (await ok(sb('POST', '/assets', { type, name: `A${++seq}` }))).id;

/** A complete purchase; ids as the account's own. */
const purchase = (vehicleId: string, driverId: number, extra: Json = {}): Json => ({
  fuelQuantityLiters: '47.3176473',
  transactionLocation: '40.748441, -73.985664',
  transactionPrice: { amount: '150.25', currency: 'usd' },
  transactionReference: 'a'.repeat(32),
  transactionTime: '2026-02-27T14:20:50.52-07:00',
  vehicleId,
  driverId: String(driverId),
  iftaFuelType: 'Diesel',
  merchantName: 'Shell',
  ...extra,
});

describe('POST and GET /v1/fleet/messages', () => {
  test('a message to several drivers answers one {driverId, text} row each, no id; GET lists them newest first with sender and sentAtMs', async () => {
    const sb = await account();
    const [a, b] = [await driver(sb), await driver(sb)];
    const first = clock;
    assert.deepEqual(await ok(sb('POST', '/v1/fleet/messages', { driverIds: [a, b], text: 'Dock 4' })), [
      { driverId: a, text: 'Dock 4' },
      { driverId: b, text: 'Dock 4' },
    ]);
    tick(1000);
    await ok(sb('POST', '/v1/fleet/messages', { driverIds: [a], text: 'Then dock 5' }));
    const listed = await ok(sb('GET', '/v1/fleet/messages'));
    const sender = { name: 'API', type: 'dispatch' };
    assert.deepEqual(listed, [
      { driverId: a, isRead: false, sender, sentAtMs: first + 1000, text: 'Then dock 5' },
      { driverId: a, isRead: false, sender, sentAtMs: first, text: 'Dock 4' },
      { driverId: b, isRead: false, sender, sentAtMs: first, text: 'Dock 4' },
    ]);
    // endMs/durationMs bound the window (durationMs before endMs, endMs included); the default is 24 h.
    assert.equal((await ok(sb('GET', `/v1/fleet/messages?endMs=${first}&durationMs=1`))).length, 2);
    assert.equal((await ok(sb('GET', `/v1/fleet/messages?endMs=${first - 1}`))).length, 0);
    tick(24 * 3600_000 - 500);
    assert.equal((await ok(sb('GET', '/v1/fleet/messages'))).length, 1, 'only the later message is within 24 h');
    await rejected(sb('GET', '/v1/fleet/messages?endMs=yesterday'), 400, /endMs: must be an integer/);
    await rejected(sb('GET', '/v1/fleet/messages?driverId=1'), 400, /Unknown query parameter: driverId/);
  });

  const bad: Array<[string, (d: number) => unknown, RegExp]> = [
    ['no driverIds', () => ({ text: 'x' }), /driverIds is required/],
    ['no text', (d) => ({ driverIds: [d] }), /text is required/],
    ['empty text', (d) => ({ driverIds: [d], text: '' }), /text: must be a non-empty string/],
    ['text over 2500 characters', (d) => ({ driverIds: [d], text: '€'.repeat(2501) }), /at most 2500 characters \(got 2501\)/],
    ['string driver ids (the SDK types them int64)', (d) => ({ driverIds: [String(d)], text: 'x' }), /array of integer driver ids/],
    ['an empty driver list', () => ({ driverIds: [], text: 'x' }), /at least one driver id/],
    ['a driver that does not exist', () => ({ driverIds: [999], text: 'x' }), /driver 999 not found/],
    ['an unknown field (no sender, priority or reply-to exists)', (d) => ({ driverIds: [d], text: 'x', priority: 'high' }), /Unknown field: priority/],
  ];
  for (const [name, body, message] of bad) {
    test(`POST refuses ${name} (400) and sends nothing`, async () => {
      const sb = await account();
      const d = await driver(sb);
      await rejected(sb('POST', '/v1/fleet/messages', body(d)), 400, message);
      assert.deepEqual(await ok(sb('GET', '/v1/fleet/messages')), []);
    });
  }

  test('2500 characters are taken, counted as characters (an emoji is one)', async () => {
    const sb = await account();
    const d = await driver(sb);
    const text = '🚚'.repeat(2500);
    assert.equal((await ok(sb('POST', '/v1/fleet/messages', { driverIds: [d], text })))[0].text, text);
  });

  test('GET is limited to 100 per minute per organization; POST has no limit of its own', async () => {
    const sb = await account();
    const d = await driver(sb);
    const start = clock;
    for (let i = 0; i < 100; i++) {
      clock = start + i;
      assert.equal((await sb('GET', '/v1/fleet/messages')).status, 200, `request ${i}`);
    }
    const limited = await sb('GET', '/v1/fleet/messages');
    assert.deepEqual([limited.status, limited.body.message, limited.headers['retry-after']], [429, 'Rate limit exceeded', '59.901']);
    for (let i = 0; i < 120; i++) assert.equal((await sb('POST', '/v1/fleet/messages', { driverIds: [d], text: `m${i}` })).status, 200);
  });
});

describe('POST /fuel-purchase', () => {
  test('answers 200 {data: {uuid}}; the purchase is kept as sent (the control API lists it; the API has no read)', async () => {
    const sb = await account();
    const body = purchase(await asset(sb, 'vehicle'), await driver(sb), { fuelGrade: 'Premium', source: 'Customer', discount: { amount: '5', currency: 'usd' } });
    const { uuid } = await ok(sb('POST', '/fuel-purchase', body));
    assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const kept = (await sb('GET', '/_sandbox/fuel-purchases')).body.fuel_purchases;
    assert.deepEqual(kept, [{ uuid, ...body, createdAtTime: new Date(clock).toISOString() }]);
    await rejected(sb('GET', '/fuel-purchase'), 404, /Not Found/);
    // The same transactionReference again is taken: Samsara documents no uniqueness for it.
    assert.notEqual((await ok(sb('POST', '/fuel-purchase', body))).uuid, uuid);
  });

  test('only the five documented fields are required', async () => {
    const sb = await account();
    const { vehicleId: _v, driverId: _d, iftaFuelType: _t, merchantName: _m, ...required } = purchase('1', 1);
    assert.ok((await ok(sb('POST', '/fuel-purchase', required))).uuid);
  });

  const bad: Array<[string, (p: Json) => Json, RegExp]> = [
    ...(['fuelQuantityLiters', 'transactionLocation', 'transactionPrice', 'transactionReference', 'transactionTime'] as const).map(
      (f): [string, (p: Json) => Json, RegExp] => [`no ${f}`, ({ [f]: _gone, ...rest }) => rest, new RegExp(`${f} is required`)],
    ),
    ['litres as a number (the SDK types a decimal string)', (p) => ({ ...p, fuelQuantityLiters: 47.3 }), /fuelQuantityLiters: must be a decimal number in a string/],
    ['litres that are not a decimal', (p) => ({ ...p, fuelQuantityLiters: '12 gal' }), /fuelQuantityLiters/],
    ['a currency outside the six', (p) => ({ ...p, transactionPrice: { amount: '1', currency: 'jpy' } }), /transactionPrice.currency/],
    ['an upper-case currency (the enum is lower case)', (p) => ({ ...p, transactionPrice: { amount: '1', currency: 'USD' } }), /transactionPrice.currency/],
    ['a price without its amount', (p) => ({ ...p, transactionPrice: { currency: 'usd' } }), /transactionPrice.amount is required/],
    ['a reference of 33 characters', (p) => ({ ...p, transactionReference: 'b'.repeat(33) }), /transactionReference: must be at most 32 characters/],
    ['an empty reference', (p) => ({ ...p, transactionReference: '' }), /length must be between 1 and 32/],
    ['a time without its timezone', (p) => ({ ...p, transactionTime: '2026-02-27T14:20:50' }), /transactionTime: must be an RFC 3339 time with its timezone/],
    ['an IFTA fuel type outside the enum', (p) => ({ ...p, iftaFuelType: 'LPG' }), /iftaFuelType/],
    ['an unknown vehicle', (p) => ({ ...p, vehicleId: '999' }), /vehicleId: no vehicle with id 999/],
    ['an unknown driver', (p) => ({ ...p, driverId: '999' }), /driverId: no driver with id 999/],
    ['an unknown field (there is no odometer)', (p) => ({ ...p, odometerMeters: 5 }), /Unknown field: odometerMeters/],
  ];
  for (const [name, change, message] of bad) {
    test(`refuses ${name} (400), keeping nothing`, async () => {
      const sb = await account();
      await rejected(sb('POST', '/fuel-purchase', change(purchase(await asset(sb, 'vehicle'), await driver(sb)))), 400, message);
      assert.deepEqual((await sb('GET', '/_sandbox/fuel-purchases')).body.fuel_purchases, []);
    });
  }

  test('vehicleId takes the id of an asset of type vehicle (asset ids are what the vehicle endpoints take), not a trailer asset', async () => {
    const sb = await account();
    const d = await driver(sb);
    assert.ok((await ok(sb('POST', '/fuel-purchase', purchase(await asset(sb, 'vehicle'), d)))).uuid);
    await rejected(sb('POST', '/fuel-purchase', purchase(await asset(sb, 'trailer'), d)), 400, /no vehicle with id/);
  });

  test('100 per minute per organization: the 101st is 429 with a fractional Retry-After', async () => {
    const sb = await account();
    const [v, d] = [await asset(sb, 'vehicle'), await driver(sb)];
    const start = clock;
    for (let i = 0; i < 100; i++) {
      clock = start + i * 10;
      assert.equal((await sb('POST', '/fuel-purchase', purchase(v, d))).status, 200, `request ${i}`);
    }
    clock = start + 30_000.5;
    const limited = await sb('POST', '/fuel-purchase', purchase(v, d));
    assert.deepEqual([limited.status, limited.headers['retry-after']], [429, '29.9995']);
    assert.equal((await (await account())('POST', '/fuel-purchase', purchase('1', 1, { vehicleId: undefined, driverId: undefined }))).status, 200, 'another organization is not held');
  });
});

describe('DVIRs, faults, request log and persistence', () => {
  test("Samsara's DVIR endpoints are not served: Samsara's 404", async () => {
    const sb = await account();
    await rejected(sb('POST', '/fleet/dvirs', { authorId: '1', safetyStatus: 'safe', type: 'mechanic', vehicleId: '1' }), 404, /Not Found/);
    await rejected(sb('GET', '/dvirs/stream?startTime=2026-01-01T00:00:00Z'), 404, /Not Found/);
  });

  test('a lost response lands the message and the purchase; the log shows what was sent', async () => {
    const sb = await account();
    const [v, d] = [await asset(sb, 'vehicle'), await driver(sb)];
    assert.equal((await sb('POST', '/_sandbox/faults', { faults: [{ status: 502, after_apply: true }, { status: 504, after_apply: true }] })).status, 201);
    assert.equal((await sb('POST', '/v1/fleet/messages', { driverIds: [d], text: 'landed' })).status, 502);
    assert.equal((await sb('POST', '/fuel-purchase', purchase(v, d))).status, 504);
    assert.deepEqual((await ok(sb('GET', '/v1/fleet/messages'))).map((m: Json) => m.text), ['landed']);
    assert.equal((await sb('GET', '/_sandbox/fuel-purchases')).body.fuel_purchases.length, 1);
    const log = (await sb('GET', '/_sandbox/requests')).body.requests.filter((r: Json) => r.path !== '/fleet/drivers' && r.path !== '/assets');
    assert.deepEqual(log.map((r: Json) => [r.method, r.path, r.status]), [['POST', '/v1/fleet/messages', 502], ['POST', '/fuel-purchase', 504], ['GET', '/v1/fleet/messages', 200]]);
    assert.deepEqual(log[0].body, { driverIds: [d], text: 'landed' });
  });

  test('messages and fuel purchases survive a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'samsara-writes-'));
    try {
      const stateFile = join(dir, 'state.json');
      const first = await startSamsaraSandbox({ port: 0, stateFile, now: () => clock });
      let d: number;
      let uuid: string;
      try {
        const sb = await account(first.url);
        const v = await asset(sb, 'vehicle');
        d = await driver(sb);
        await ok(sb('POST', '/v1/fleet/messages', { driverIds: [d], text: 'kept' }));
        uuid = (await ok(sb('POST', '/fuel-purchase', purchase(v, d)))).uuid;
      } finally {
        await first.close();
      }
      const saved = JSON.parse(await readFile(stateFile, 'utf8'));
      const second = await startSamsaraSandbox({ port: 0, stateFile, now: () => clock });
      try {
        const again: Sb = (method, path, json) => call<Json>({ url: second.url }, method, path, { headers: { authorization: `Bearer ${saved.accounts[0].api_key}` }, json });
        assert.deepEqual((await ok(again('GET', '/v1/fleet/messages'))).map((m: Json) => [m.driverId, m.text]), [[d, 'kept']]);
        assert.deepEqual((await again('GET', '/_sandbox/fuel-purchases')).body.fuel_purchases.map((p: Json) => p.uuid), [uuid]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
