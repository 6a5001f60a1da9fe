// The Motive sandbox's messages (/v2/messages) and fuel purchases (/v1/fuel_purchases) over real HTTP:
// each rule it enforces is Motive's (src/sandbox/motive/writes-vendor.ts cites the pages), and each is
// shown failing here, or every adapter test built on it proves nothing. Also: no inspection report
// create exists, and the shared pipeline (limit, faults, log, state file) covers the new routes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMotiveSandbox } from '../src/sandbox/motive/index.ts';
import type { Json } from './helpers/sandbox-http.ts';
import { motiveCall } from './helpers/sandbox-http.ts';
import { startOfLastWeek } from '../src/sandbox/motive/writes-vendor.ts';


let base = '';
let close: () => Promise<void>;
// The sandbox's clock: tests move it to send messages "last month".
let clockMs = Date.parse('2026-05-13T12:00:00Z'); // a Wednesday
before(async () => {
  const server = await startMotiveSandbox({ port: 0, now: () => clockMs });
  base = server.url;
  close = server.close;
});
after(async () => close());

const call = (method: string, path: string, key: string | undefined, body?: unknown, url = base) => motiveCall(url, method, path, key, body);

async function account(settings: Json = { rate_limit_per_minute: 10_000 }, url = base): Promise<string> {
  const key = (await call('POST', '/_sandbox/accounts', undefined, undefined, url)).body.api_key as string;
  assert.equal((await call('PUT', '/_sandbox/settings', key, settings, url)).status, 200);
  return key;
}

const refused = async (res: Promise<{ status: number; body: Json }>, status: number, message: string | RegExp) => {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  if (typeof message === 'string') assert.equal(r.body.error_message, message);
  else assert.match(r.body.error_message, message);
};

async function user(key: string, first: string, url = base): Promise<number> {
  const res = await call('POST', '/v1/users', key, { first_name: first, last_name: 'Test', phone_country_code: '+1', role: 'driver' }, url);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.user.id as number;
}

async function vehicle(key: string, number: string, url = base): Promise<number> {
  const res = await call('POST', '/v1/vehicles', key, { number }, url);
  assert.equal(res.status, 201);
  return res.body.vehicle.id as number;
}

describe('messages (/v2/messages)', () => {
  test('a send answers 201 with the message: a string id, recipient_ids, status sent', async () => {
    const key = await account();
    const [s, a, b] = [await user(key, 'S'), await user(key, 'A'), await user(key, 'B')];
    const res = await call('POST', '/v2/messages', key, { sender_id: s, receiver_ids: [a, b, a], body: 'Load 7 ready' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const m = res.body.message;
    assert.equal(typeof m.id, 'string');
    assert.deepEqual({ ...m, id: undefined }, {
      id: undefined, sent_at: new Date(clockMs).toISOString(), sender_id: s, recipient_ids: [a, b], body: 'Load 7 ready', attachment: null, location: null, status: 'sent',
    });
  });

  test('parameters may come in the query (the page calls them query parameters), receiver_id alone too', async () => {
    const key = await account();
    const [s, a] = [await user(key, 'S'), await user(key, 'A')];
    const q = await call('POST', `/v2/messages?sender_id=${s}&receiver_ids[]=${a}&body=from%20query`, key);
    assert.equal(q.status, 201, JSON.stringify(q.body));
    assert.deepEqual([q.body.message.recipient_ids, q.body.message.body], [[a], 'from query']);
    const single = await call('POST', '/v2/messages', key, { sender_id: s, receiver_id: a, body: 'one' });
    assert.deepEqual(single.body.message.recipient_ids, [a]);
  });

  test('sender, receivers and body are required (400); unknown users are 404; nothing is sent then', async () => {
    const key = await account();
    const [s, a] = [await user(key, 'S'), await user(key, 'A')];
    await refused(call('POST', '/v2/messages', key, { receiver_ids: [a], body: 'x' }), 400, 'param is missing or the value is empty: sender_id');
    await refused(call('POST', '/v2/messages', key, { sender_id: s, receiver_ids: [], body: 'x' }), 400, 'param is missing or the value is empty: receiver_ids');
    await refused(call('POST', '/v2/messages', key, { sender_id: s, body: 'x' }), 400, 'param is missing or the value is empty: receiver_ids');
    await refused(call('POST', '/v2/messages', key, { sender_id: s, receiver_ids: [a], body: '  ' }), 400, 'param is missing or the value is empty: body');
    await refused(call('POST', '/v2/messages', key, { sender_id: 999, receiver_ids: [a], body: 'x' }), 404, "Couldn't find User with 'id'=999");
    await refused(call('POST', '/v2/messages', key, { sender_id: s, receiver_ids: [a, 998], body: 'x' }), 404, "Couldn't find User with 'id'=998");
    await refused(call('POST', '/v2/messages', key, { sender_id: s, receiver_ids: ['abc'], body: 'x' }), 404, "Couldn't find User with 'id'=abc");
    assert.deepEqual((await call('GET', `/v2/messages?sender_id=${s}`, key)).body.messages, []);
  });

  test("the list is the sender's messages, with receiver_ids, narrowed by receivers, back to the start of last week", async () => {
    const key = await account();
    const [s, other, a, b] = [await user(key, 'S'), await user(key, 'O'), await user(key, 'A'), await user(key, 'B')];
    const now = clockMs;
    try {
      clockMs = startOfLastWeek(now) - 1; // just too old to be listed
      await call('POST', '/v2/messages', key, { sender_id: s, receiver_ids: [a], body: 'old' });
      clockMs = startOfLastWeek(now);
      await call('POST', '/v2/messages', key, { sender_id: s, receiver_ids: [a], body: 'oldest listed' });
    } finally {
      clockMs = now;
    }
    await call('POST', '/v2/messages', key, { sender_id: s, receiver_ids: [a, b], body: 'both' });
    await call('POST', '/v2/messages', key, { sender_id: other, receiver_ids: [a], body: 'not mine' });
    const all = await call('GET', `/v2/messages?sender_id=${s}`, key);
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.messages.map((x: Json) => x.message.body), ['oldest listed', 'both']);
    const listed = all.body.messages[1].message;
    assert.deepEqual([listed.sender_id, listed.receiver_ids, listed.status, typeof listed.id], [s, [a, b], 'sent', 'string']);
    const toB = await call('GET', `/v2/messages?sender_id=${s}&receiver_ids[]=${b}`, key);
    assert.deepEqual(toB.body.messages.map((x: Json) => x.message.body), ['both']);
    await refused(call('GET', '/v2/messages', key), 400, 'param is missing or the value is empty: sender_id');
    await refused(call('GET', '/v2/messages?sender_id=4242', key), 404, "Couldn't find User with 'id'=4242");
  });

  test('the list reaches back to Monday 00:00 UTC of the previous week', () => {
    assert.equal(new Date(startOfLastWeek(Date.parse('2026-05-13T12:00:00Z'))).toISOString(), '2026-05-04T00:00:00.000Z');
    assert.equal(new Date(startOfLastWeek(Date.parse('2026-05-10T23:59:59Z'))).toISOString(), '2026-04-27T00:00:00.000Z'); // a Sunday
    assert.equal(new Date(startOfLastWeek(Date.parse('2026-05-11T00:00:00Z'))).toISOString(), '2026-05-04T00:00:00.000Z'); // a Monday
  });
});

const aPurchase = (vehicle_id: number, driver_id: number, extra: Json = {}): Json => ({
  vehicle_id, driver_id, purchased_at: '2026-05-01T10:30:00Z', jurisdiction: 'AL', fuel_type: 'diesel', fuel: 12.5, fuel_unit: 'gal', ...extra,
});

describe('fuel purchases (/v1/fuel_purchases)', () => {
  test('a create answers 201 {fuel_purchase} with every attribute; unknown keys and external ids are dropped', async () => {
    const key = await account();
    const [v, d] = [await vehicle(key, 'T-1'), await user(key, 'D')];
    const res = await call('POST', '/v1/fuel_purchases', key, aPurchase(v, d, {
      ref_no: 'R-1', vendor: 'Pilot', total_cost: '48.20', currency: 'USD', odometer: 120345, odometer_unit: 'mi', color: 'red', external_ids_attributes: [{ external_id: 'x', integration_name: 'y' }],
    }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const f = res.body.fuel_purchase;
    assert.equal(typeof f.id, 'number');
    assert.deepEqual(
      Object.fromEntries(Object.entries(f).filter(([k]) => !['id', 'created_at', 'updated_at'].includes(k))),
      {
        offline_id: null, vehicle_id: v, driver_id: d, purchased_at: '2026-05-01T10:30:00.000Z', jurisdiction: 'AL', fuel_type: 'diesel', ref_no: 'R-1',
        vendor: 'Pilot', total_cost: 48.2, currency: 'USD', fuel: 12.5, fuel_unit: 'gal', odometer: 120345, odometer_unit: 'mi', receipt_upload_url: null, receipt_filename: null,
      },
    );
    assert.deepEqual((await call('GET', `/v1/fuel_purchases/${f.id}`, key)).body.fuel_purchase.id, f.id);
  });

  test('the example body of the page works: a date-only purchased_at is midnight UTC', async () => {
    const key = await account();
    const [v, d] = [await vehicle(key, 'T-1'), await user(key, 'D')];
    const res = await call('POST', '/v1/fuel_purchases', key, { vehicle_id: v, driver_id: d, purchased_at: '2019-04-23', jurisdiction: 'AL', fuel_type: 'diesel', fuel: 12, fuel_unit: 'gal' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.fuel_purchase.purchased_at, '2019-04-23T00:00:00.000Z');
  });

  test('each of the seven required attributes is refused when missing; the first problem is reported', async () => {
    const key = await account();
    const [v, d] = [await vehicle(key, 'T-1'), await user(key, 'D')];
    const labels: Json = {
      vehicle_id: 'Vehicle id', driver_id: 'Driver id', purchased_at: 'Purchased at', jurisdiction: 'Jurisdiction', fuel_type: 'Fuel type', fuel: 'Fuel', fuel_unit: 'Fuel unit',
    };
    for (const [field, label] of Object.entries(labels)) {
      const { [field]: _gone, ...rest } = aPurchase(v, d);
      await refused(call('POST', '/v1/fuel_purchases', key, rest), 422, `Validation failed: ${label} can't be blank`);
    }
    await refused(call('POST', '/v1/fuel_purchases', key, aPurchase(v, d, { jurisdiction: ' ' })), 422, "Validation failed: Jurisdiction can't be blank");
    await refused(call('POST', '/v1/fuel_purchases', key, aPurchase(v, d, { purchased_at: 'yesterday' })), 422, "Validation failed: Purchased at can't be blank");
    assert.equal((await call('GET', '/v1/fuel_purchases', key)).body.pagination.total, 0);
  });

  test('values outside the documented lists, fractional odometers, and unknown vehicles or drivers are 422s', async () => {
    const key = await account();
    const [v, d] = [await vehicle(key, 'T-1'), await user(key, 'D')];
    await refused(call('POST', '/v1/fuel_purchases', key, aPurchase(v, d, { fuel_type: 'kerosene' })), 422, 'Validation failed: Fuel type is not included in the list');
    await refused(call('POST', '/v1/fuel_purchases', key, aPurchase(v, d, { fuel_unit: 'l' })), 422, 'Validation failed: Fuel unit is not included in the list');
    await refused(call('POST', '/v1/fuel_purchases', key, aPurchase(v, d, { odometer_unit: 'km' })), 422, 'Validation failed: Odometer unit is not included in the list');
    await refused(call('POST', '/v1/fuel_purchases', key, aPurchase(v, d, { odometer: 12.5 })), 422, 'Validation failed: Odometer is not a number');
    await refused(call('POST', '/v1/fuel_purchases', key, aPurchase(v, d, { fuel: 'lots' })), 422, 'Validation failed: Fuel is not a number');
    await refused(call('POST', '/v1/fuel_purchases', key, aPurchase(v + 100, d)), 422, 'Validation failed: Vehicle must exist');
    await refused(call('POST', '/v1/fuel_purchases', key, aPurchase(v, d + 100)), 422, 'Validation failed: Driver must exist');
    await refused(call('POST', '/v1/fuel_purchases', key, [aPurchase(v, d)]), 400, 'Request body must be a JSON object');
  });

  test('the list pages with page_no/per_page; an unknown id is 404', async () => {
    const key = await account();
    const [v, d] = [await vehicle(key, 'T-1'), await user(key, 'D')];
    for (const fuel of [1, 2, 3]) assert.equal((await call('POST', '/v1/fuel_purchases', key, aPurchase(v, d, { fuel }))).status, 201);
    const page = await call('GET', '/v1/fuel_purchases?per_page=2&page_no=2', key);
    assert.deepEqual(page.body.pagination, { per_page: 2, page_no: 2, total: 3 });
    assert.deepEqual(page.body.fuel_purchases.map((x: Json) => x.fuel_purchase.fuel), [3]);
    await refused(call('GET', '/v1/fuel_purchases/999', key), 404, "Couldn't find FuelPurchase with 'id'=999");
  });
});

describe('what Motive does not have, and the shared pipeline', () => {
  test('there is no inspection report create: POST /v1/inspection_reports is 404', async () => {
    const key = await account();
    await refused(call('POST', '/v1/inspection_reports', key, { vehicle_id: 1 }), 404, 'Not Found');
    await refused(call('POST', '/v2/inspection_reports', key, { vehicle_id: 1 }), 404, 'Not Found');
  });

  test('messages and fuel purchases count in the account window (429), take faults, and are logged', async () => {
    await refused(call('POST', '/v2/messages', 'nope', {}), 401, /invalid API key/);
    const key = await account();
    const [s, a, v] = [await user(key, 'S'), await user(key, 'A'), await vehicle(key, 'T-1')];
    assert.equal((await call('POST', '/_sandbox/faults', key, { status: 502, body: 'Bad Gateway', after_apply: true })).status, 201);
    assert.equal((await call('POST', '/v2/messages', key, { sender_id: s, receiver_ids: [a], body: 'lost' })).status, 502);
    assert.deepEqual((await call('GET', `/v2/messages?sender_id=${s}`, key)).body.messages.map((x: Json) => x.message.body), ['lost']);
    const log = (await call('GET', '/_sandbox/requests', key)).body.requests as Json[];
    assert.deepEqual(log.slice(-2).map((r) => [r.method, r.path, r.status]), [['POST', '/v2/messages', 502], ['GET', '/v2/messages', 200]]);
    assert.deepEqual(log.at(-2)!.body, { sender_id: s, receiver_ids: [a], body: 'lost' });

    assert.equal((await call('PUT', '/_sandbox/settings', key, { rate_limit_per_minute: 1 })).status, 200);
    clockMs += 61_000; // a fresh window
    assert.equal((await call('POST', '/v1/fuel_purchases', key, aPurchase(v, s))).status, 201);
    const limited = await call('POST', '/v2/messages', key, { sender_id: s, receiver_ids: [a], body: 'x' });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  });

  test('messages and fuel purchases survive a restart through the state file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'motive-writes-'));
    const stateFile = join(dir, 'motive.json');
    try {
      const first = await startMotiveSandbox({ port: 0, stateFile });
      const key = await account(undefined, first.url);
      const [s, a, v] = [await user(key, 'S', first.url), await user(key, 'A', first.url), await vehicle(key, 'T-1', first.url)];
      await call('POST', '/v2/messages', key, { sender_id: s, receiver_ids: [a], body: 'kept' }, first.url);
      const fuel = (await call('POST', '/v1/fuel_purchases', key, aPurchase(v, s), first.url)).body.fuel_purchase;
      await first.close();
      const second = await startMotiveSandbox({ port: 0, stateFile });
      try {
        const listed = await call('GET', `/v2/messages?sender_id=${s}`, key, undefined, second.url);
        assert.deepEqual(listed.body.messages.map((x: Json) => x.message.body), ['kept']);
        assert.equal((await call('GET', `/v1/fuel_purchases/${fuel.id}`, key, undefined, second.url)).body.fuel_purchase.fuel, 12.5);
        const next = await call('POST', '/v1/fuel_purchases', key, aPurchase(v, s), second.url);
        assert.equal(next.body.fuel_purchase.id, fuel.id + 1);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
