// Samsara's own TypeScript SDK (@samsarahq/samsara 11.11.1) driven against the Samsara sandbox, both as
// the fleetgate app serves it (/sandbox/samsara) and standalone (`fleetgate simulate samsara`): if the
// vendor's client cannot create, read, update, deactivate and list drivers here, or does not see its own
// error types, the sandbox is not Samsara. The drivers client throws the base SamsaraError with the
// status; the trailers client throws the SDK's typed errors (UnauthorizedError, NotFoundError,
// TooManyRequestsError), and Samsara's 400 has no class of its own in the SDK (SamsaraError).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Samsara, SamsaraClient, SamsaraError } from '@samsarahq/samsara';
import { startSamsaraSandbox } from '../src/sandbox/samsara/index.ts';
import { SAMSARA_SDK } from '../src/sandbox/samsara/sdk-vocabulary.ts';
import { startTestApp } from './helpers/app.ts';
import type { TestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';

type Json = Record<string, unknown>;
const OVERRIDE: Samsara.UsDriverRulesetOverride = {
  cycle: 'California Property (8/80)',
  restart: '34-hour Restart',
  restbreak: 'California Mealbreak (off-duty/sleeper)',
  usStateToOverride: 'CA',
};
// A 1×1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

async function control(base: string, method: string, path: string, token?: string, body?: unknown): Promise<Json> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path} → ${res.status}`);
  return (await res.json()) as Json;
}

/** The error a call rejects with, asserted to be an instance of `type`. */
async function rejection<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof type, `${String(err)} is not a ${type.name}`);
    return err as E;
  }
  return assert.fail(`expected a ${type.name}`);
}

const targets: Array<{ name: string; start(): Promise<{ base: string; close(): Promise<void> }> }> = [
  ...testDbKinds().map((kind) => ({
    name: `the fleetgate app (/sandbox/samsara, ${kind})`,
    async start() {
      const t: TestApp = await startTestApp(kind);
      return { base: `${t.url}/sandbox/samsara`, close: () => t.close() };
    },
  })),
  {
    name: 'the standalone sandbox',
    async start() {
      const s = await startSamsaraSandbox({ port: 0 });
      return { base: s.url, close: () => s.close() };
    },
  },
];

for (const target of targets) {
  describe(`the official Samsara SDK against ${target.name}`, () => {
    let base = '';
    let close: () => Promise<void>;
    before(async () => {
      ({ base, close } = await target.start());
    });
    after(async () => close());

    let seq = 0;
    async function account(): Promise<{ token: string; client: SamsaraClient }> {
      const { api_key: token } = (await control(base, 'POST', '/_sandbox/accounts')) as { api_key: string };
      await control(base, 'PUT', '/_sandbox/settings', token, { rate_limit_per_second: 10_000 });
      // maxRetries 0: each error is the SDK's answer to one request (the retry test below sets its own).
      return { token, client: new SamsaraClient({ token, baseUrl: base, maxRetries: 0 }) };
    }
    const driver = (extra: Partial<Samsara.CreateDriverRequest> = {}): Samsara.CreateDriverRequest => {
      seq += 1;
      return { name: `Driver ${seq}`, username: `driver${seq}`, password: 'pw-for-the-sdk', ...extra };
    };

    test('create with every member of CreateDriverRequest, then get by id and by key:value external id', async () => {
      const { client } = await account();
      const parent = (await client.tags.createTag({ name: 'West' })).data as Json;
      const tag = (await client.tags.createTag({ name: 'California', parentTagId: String(parent.id) })).data as Json;
      const vehicle = (await client.assets.createAsset({ type: 'vehicle', name: 'Truck 7' })).data as Json;
      const payroll = `P-${seq}`;
      const body: Samsara.CreateDriverRequest = driver({
        attributes: [{ name: 'Shift', stringValues: ['night'] }, { name: 'Seniority', numberValues: [7] }],
        carrierSettings: { carrierName: 'ACME', dotNumber: 1234567, mainOfficeAddress: '1 Main St', homeTerminalName: 'Yard', homeTerminalAddress: '2 Side St' },
        currentIdCardCode: '941',
        eldAdverseWeatherExemptionEnabled: true,
        eldBigDayExemptionEnabled: true,
        eldDayStartHour: 12,
        eldExempt: false,
        eldExemptReason: '',
        eldPcEnabled: true,
        eldYmEnabled: true,
        externalIds: { payroll },
        hasDrivingFeaturesHidden: false,
        hasVehicleUnpinningEnabled: true,
        hosSetting: { heavyHaulExemptionToggleEnabled: true },
        licenseNumber: `L${seq}`,
        licenseState: 'CA',
        locale: 'us',
        notes: 'hired 2026',
        peerGroupTagId: String(tag.id),
        phone: '+15551234567',
        profileImageBase64: PNG,
        staticAssignedVehicleId: String(vehicle.id),
        tachographCardNumber: 'DF000000001',
        tagIds: [String(tag.id)],
        timezone: 'America/Los_Angeles',
        trailerGroupTagId: String(tag.id),
        usDriverRulesetOverride: OVERRIDE,
        vehicleGroupTagId: String(parent.id),
        waitingTimeDutyStatusEnabled: false,
      });
      // Every member the SDK has (profileImageUrl excluded: it is the alternative to the base64 image,
      // sent on update below). A new SDK member fails here until the test sends it.
      assert.deepEqual(
        Object.keys(body).sort(),
        Object.keys(SAMSARA_SDK.objects.CreateDriverRequest.fields).filter((f) => f !== 'profileImageUrl').sort(),
      );
      const created = (await client.drivers.create(body)).data as Samsara.Driver;
      assert.match(String(created.id), /^\d+$/);
      const tiny = { id: String(tag.id), name: 'California', parentTagId: String(parent.id) };
      assert.deepEqual(created.tags, [tiny]);
      assert.deepEqual(created.vehicleGroupTag, { id: String(parent.id), name: 'West' });
      assert.deepEqual(created.trailerGroupTag, tiny);
      assert.deepEqual(created.peerGroupTag, tiny);
      assert.deepEqual(created.staticAssignedVehicle, { id: String(vehicle.id), name: 'Truck 7' });
      assert.equal(created.profileImageUrl, `data:application/octet-stream;base64,${PNG}`);
      assert.deepEqual(created.usDriverRulesetOverride, OVERRIDE);
      assert.equal(created.eldDayStartHour, 12);
      assert.deepEqual([created.driverActivationStatus, created.isDeactivated], ['active', false]);
      // The read is the SDK's Driver: no request-only member, no password, no e-mail.
      const driverMembers = Object.keys(SAMSARA_SDK.objects.Driver.fields);
      for (const key of Object.keys(created)) assert.ok(driverMembers.includes(key), `${key} is not a member of the SDK's Driver`);

      const byId = (await client.drivers.get({ id: String(created.id) })).data;
      const byExternal = (await client.drivers.get({ id: `payroll:${payroll}` })).data;
      assert.deepEqual(byId, created);
      assert.deepEqual(byExternal, created);
    });

    test('update (PATCH) members, clear the ruleset override with the documented null, deactivate with deactivatedAtTime', async () => {
      const { client } = await account();
      const payroll = `U-${seq}`;
      const created = (await client.drivers.create(driver({ usDriverRulesetOverride: OVERRIDE, externalIds: { payroll } }))).data as Samsara.Driver;
      const id = String(created.id);
      const updated = (await client.drivers.update({ id: `payroll:${payroll}`, notes: 'moved', eldDayStartHour: 0, profileImageUrl: 'https://example.com/me.png' })).data as Samsara.Driver;
      assert.deepEqual([updated.id, updated.notes, updated.eldDayStartHour, updated.profileImageUrl], [id, 'moved', 0, 'https://example.com/me.png']);
      assert.deepEqual(updated.usDriverRulesetOverride, OVERRIDE);
      // The SDK types the member non-nullable, but documents null as the way to delete the override.
      const cleared = (await client.drivers.update({ id, usDriverRulesetOverride: null as unknown as Samsara.UsDriverRulesetOverride })).data as Samsara.Driver;
      assert.equal(cleared.usDriverRulesetOverride, undefined);

      const early = await rejection(client.drivers.update({ id, deactivatedAtTime: new Date().toISOString() }), SamsaraError);
      assert.equal(early.statusCode, 400);
      const when = new Date(Date.now() - 86_400_000).toISOString();
      const off = (await client.drivers.update({ id, driverActivationStatus: 'deactivated', deactivatedAtTime: when })).data as Samsara.Driver;
      assert.deepEqual([off.driverActivationStatus, off.isDeactivated], ['deactivated', true]);
      const active = await client.drivers.list();
      assert.equal(active.data.some((d) => d.id === id), false);
      const deactivated = await client.drivers.list({ driverActivationStatus: 'deactivated' });
      assert.deepEqual(deactivated.data.map((d) => d.id), [id]);
    });

    test('the paged list: the SDK follows endCursor page by page, and every documented filter applies', async () => {
      const { client } = await account();
      const parent = String(((await client.tags.createTag({ name: 'Region' })).data as Json).id);
      const child = String(((await client.tags.createTag({ name: 'Depot', parentTagId: parent })).data as Json).id);
      const other = String(((await client.tags.createTag({ name: 'Other' })).data as Json).id);
      const a = String((await client.drivers.create(driver({ tagIds: [child], attributes: [{ name: 'Level', numberValues: [3] }] }))).data?.id);
      const b = String((await client.drivers.create(driver({ tagIds: [parent], attributes: [{ name: 'Shift', stringValues: ['day'] }] }))).data?.id);
      // "After or equal to": a clear millisecond on each side, so b cannot share between's instant.
      await new Promise((r) => setTimeout(r, 5));
      const between = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 5));
      const c = String((await client.drivers.create(driver({ tagIds: [other] }))).data?.id);

      const all: string[] = [];
      const page = await client.drivers.list({ limit: 1 });
      assert.equal(page.data.length, 1);
      for await (const d of page) all.push(String(d.id));
      assert.deepEqual(all, [a, b, c]);

      const ids = async (request: Samsara.ListDriversRequest): Promise<string[]> => {
        const out: string[] = [];
        for await (const d of await client.drivers.list(request)) out.push(String(d.id));
        return out;
      };
      assert.deepEqual(await ids({ tagIds: child }), [a]);
      assert.deepEqual(await ids({ tagIds: [child, other] }), [a, c]);
      // "Specifying a parent tag will implicitly include all descendent tags of the parent tag."
      assert.deepEqual(await ids({ parentTagIds: parent }), [a, b]);
      assert.deepEqual(await ids({ attributes: 'Level:range(1,5)' }), [a]);
      assert.deepEqual(await ids({ attributes: ['Shift:day'] }), [b]);
      assert.deepEqual(await ids({ createdAfterTime: between }), [c]);
      assert.deepEqual(await ids({ updatedAfterTime: between, tagIds: other }), [c]);
      const unsupported = await rejection(client.drivers.list({ attributeValueIds: '076efac2-83b5-47aa-ba36-18428436dcac' }), SamsaraError);
      assert.equal(unsupported.statusCode, 400);
      assert.match(String((unsupported.body as Json).message), /attributeValueIds is not supported by the Samsara sandbox/);
    });

    test("the SDK's errors: 400, 401, 404 and 429 (with a Retry-After it can read) as SamsaraError and the typed classes", async () => {
      const { token, client } = await account();
      const bad = await rejection(client.drivers.create({ ...driver(), username: 'has space' }), SamsaraError);
      assert.equal(bad.statusCode, 400);
      assert.match(String((bad.body as Json).message), /username/);
      assert.match(String((bad.body as Json).requestId), /^[0-9a-f]{16}$/);

      const stranger = new SamsaraClient({ token: 'samsara_api_not-a-token', baseUrl: base, maxRetries: 0 });
      assert.equal((await rejection(stranger.drivers.list(), SamsaraError)).statusCode, 401);
      const unauthorized = await rejection(stranger.trailers.getTrailer({ id: '1' }), Samsara.UnauthorizedError);
      assert.equal(unauthorized.statusCode, 401);

      assert.equal((await rejection(client.drivers.get({ id: '999999999' }), SamsaraError)).statusCode, 404);
      assert.equal((await rejection(client.drivers.get({ id: 'payroll:nobody' }), SamsaraError)).statusCode, 404);
      assert.equal((await rejection(client.trailers.getTrailer({ id: '999999999' }), Samsara.NotFoundError)).statusCode, 404);

      await control(base, 'PUT', '/_sandbox/settings', token, { rate_limit_per_second: 1 });
      // One request a second: within two calls (the first may still find the second's slot free) a 429.
      const limited = await rejection(client.drivers.list().then(() => client.drivers.list()), SamsaraError);
      assert.equal(limited.statusCode, 429);
      const retryAfter = limited.rawResponse?.headers.get('retry-after');
      assert.match(String(retryAfter), /^\d+(\.\d+)?$/);
      assert.ok(Number(retryAfter) > 0 && Number(retryAfter) <= 1, String(retryAfter));
      const typed = await rejection(client.trailers.getTrailer({ id: '1' }), Samsara.TooManyRequestsError);
      assert.equal(typed.statusCode, 429);
    });

    test('the SDK retries a 429 itself and succeeds once the window allows', async () => {
      const { token } = await account();
      await control(base, 'PUT', '/_sandbox/settings', token, { rate_limit_per_second: 1 });
      const client = new SamsaraClient({ token, baseUrl: base, maxRetries: 2 });
      await client.drivers.list();
      const started = Date.now();
      // The second call inside the second is refused with 429; the SDK waits (parseInt of a fractional
      // Retry-After is 0, so it falls back to its own 1 s back-off) and tries again.
      const page = await client.drivers.list();
      assert.deepEqual(page.data, []);
      assert.ok(Date.now() - started >= 500, `answered after ${Date.now() - started} ms: the SDK did not wait`);
    });
  });
}
