// @fleetgate/client against a running fleetgate (port 0, a worker, a Motive sandbox connection), on each
// test database: a user and a vehicle written and waited for, an Idempotency-Key on every write, errors
// as classes carrying the envelope, the token renewed before expiry (once for concurrent callers) and
// after a revocation, and waitForOperation's failure and deadline. Every request the client sends is
// recorded at its fetch, so what went over the wire is asserted, not assumed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import * as sdk from '../sdk/src/index.ts';
import {
  FleetgateAuthError,
  FleetgateConflictError,
  FleetgateError,
  FleetgateValidationError,
  OperationFailedError,
  OperationTimeoutError,
  createFleetgateClient,
  ok,
} from '../sdk/src/index.ts';
import type { FleetgateClientOptions } from '../sdk/src/index.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const kind of testDbKinds()) {
  describe(`sdk: the typed client against fleetgate (${kind})`, () => {
    let t: TestApp;
    let worker: Worker;
    let partner: Partner;
    let apiKey: string;
    let connectionId: string;

    /** A client for the test partner whose every request (token requests included) is recorded. */
    // `fault` answers a request instead of fleetgate when it returns a Response: a proxy in front of it failing.
    const client = (opts: Partial<FleetgateClientOptions> = {}, fault?: (request: Request) => Response | undefined) => {
      const sent: Sent[] = [];
      const fg = createFleetgateClient({
        baseUrl: t.url,
        clientId: partner.clientId,
        clientSecret: partner.clientSecret,
        fetch: async (request) => {
          sent.push({ method: request.method, path: new URL(request.url).pathname, headers: Object.fromEntries(request.headers) });
          return fault?.(request) ?? fetch(request);
        },
        ...opts,
      });
      const tokenRequests = () => sent.filter((s) => s.path === '/oauth/token').length;
      return { fg, sent, tokenRequests };
    };
    /** A Motive sandbox account of its own and a connection to it (faults and latency stay in one test). */
    const ownConnection = async (settings?: { latency_ms: number }) => {
      const account = await call(t, 'POST', '/sandbox/motive/_sandbox/accounts');
      const headers = { 'x-api-key': account.body.api_key as string };
      if (settings) assert.equal((await call(t, 'PUT', '/sandbox/motive/_sandbox/settings', { headers, json: settings })).status, 200);
      const { fg } = client();
      const connection = await ok(fg.api.POST('/v2/integrations/connections', { body: { tsp: 'motive', sandbox: true, credentials: { api_key: headers['x-api-key'] } } }));
      return { id: connection.id, headers };
    };
    const newUser = (last = `L${randomUUID().slice(0, 8)}`) => ({ connection_id: connectionId, first_name: 'Ada', last_name: last, phone_country_code: '+1' });

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: '100' } });
      worker = startWorker(t.services, { pollMs: 25 });
      partner = await newPartner(t);
      const account = await call(t, 'POST', '/sandbox/motive/_sandbox/accounts');
      apiKey = account.body.api_key;
      const { fg } = client();
      const connection = await ok(fg.api.POST('/v2/integrations/connections', { body: { tsp: 'motive', sandbox: true, credentials: { api_key: apiKey } } }));
      connectionId = connection.id;
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
    });

    test('a user and a vehicle are written, waited for and read back', async () => {
      const { fg } = client();
      const userOp = await ok(fg.api.POST('/v2/telematics/users', { body: newUser('Lovelace') }));
      assert.equal(userOp.status, 'pending');
      const user = await fg.waitForOperation(userOp, { initialDelayMs: 25 });
      assert.equal(user.status, 'success');
      assert.match(user.resource_id ?? '', UUID);
      const read = await ok(fg.api.GET('/v2/telematics/users/{user_id}', { params: { path: { user_id: user.resource_id! } } }));
      assert.equal(read.last_name, 'Lovelace');

      const vehicleOp = await ok(fg.api.POST('/v2/telematics/vehicles', { body: { connection_id: connectionId, vehicle_name: 'Truck 7', vin: '1FUJGLDR0CLBP8834' } }));
      const vehicle = await fg.waitForOperation(vehicleOp, { initialDelayMs: 25 });
      assert.equal(vehicle.resource, 'vehicle');
      const readVehicle = await ok(fg.api.GET('/v2/telematics/vehicles/{vehicle_id}', { params: { path: { vehicle_id: vehicle.resource_id! } } }));
      assert.equal(readVehicle.vehicle_name, 'Truck 7');
    });

    test("the README's first write runs as printed", async () => {
      const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
      const section = readme.slice(readme.indexOf('### First write with the TypeScript client'));
      const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
      assert.ok(snippet, 'the README has the snippet');
      const lines = snippet.trim().split('\n');
      assert.equal(lines.length, 5, 'five lines');
      assert.match(lines[0]!, /^import \{ createFleetgateClient, ok \} from '@fleetgate\/client';/);
      // The import becomes parameters, the demo's address this server's; the rest runs unchanged.
      const body = lines.slice(1).join('\n').replace("'http://127.0.0.1:8080'", JSON.stringify(t.url));
      const printed: unknown[][] = [];
      const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
      const run = new AsyncFunction('createFleetgateClient', 'ok', 'clientId', 'clientSecret', 'connection_id', 'console', body);
      await run(sdk.createFleetgateClient, sdk.ok, partner.clientId, partner.clientSecret, connectionId, { log: (...args: unknown[]) => printed.push(args) });
      assert.equal(printed.length, 1);
      assert.equal(printed[0]![0], 'success');
      assert.match(String(printed[0]![1]), UUID);
    });

    test('every write carries a fresh Idempotency-Key; a caller-chosen key replays the first operation', async () => {
      const { fg, sent } = client();
      const a = await ok(fg.api.POST('/v2/telematics/users', { body: newUser() }));
      const b = await ok(fg.api.POST('/v2/telematics/users', { body: newUser() }));
      await ok(fg.api.GET('/v2/integrations/connections'));
      const writes = sent.filter((s) => s.path === '/v2/telematics/users');
      assert.equal(writes.length, 2);
      for (const w of writes) assert.match(w.headers['idempotency-key'] ?? '', UUID);
      assert.notEqual(writes[0]!.headers['idempotency-key'], writes[1]!.headers['idempotency-key']);
      assert.notEqual(a.id, b.id);
      assert.equal(sent.find((s) => s.method === 'GET' && s.path === '/v2/integrations/connections')?.headers['idempotency-key'], undefined);

      const key = `mine-${randomUUID()}`;
      const body = newUser();
      const first = await fg.api.POST('/v2/telematics/users', { body, params: { header: { 'idempotency-key': key } } });
      const again = await fg.api.POST('/v2/telematics/users', { body, params: { header: { 'idempotency-key': key } } });
      assert.equal(again.data?.id, first.data?.id);
      assert.equal(again.response.headers.get('idempotent-replayed'), 'true');
      // The same key with another body is the API's 409, typed.
      const conflict = await ok(fg.api.POST('/v2/telematics/users', { body: newUser(), params: { header: { 'idempotency-key': key } } })).catch((e: unknown) => e);
      assert.ok(conflict instanceof FleetgateConflictError, String(conflict));
      assert.equal(conflict.status, 409);

      const { fg: plain, sent: plainSent } = client({ idempotencyKey: false });
      await ok(plain.api.POST('/v2/telematics/users', { body: newUser() }));
      assert.equal(plainSent.find((s) => s.path === '/v2/telematics/users')?.headers['idempotency-key'], undefined);
    });

    test("a 422 is a FleetgateValidationError carrying the envelope's every problem", async () => {
      const { fg } = client();
      const err = await ok(fg.api.POST('/v2/telematics/users', { body: { connection_id: 'not-a-uuid', first_name: 'A', last_name: 'B', license_expiration: 'next spring' } })).catch((e: unknown) => e);
      assert.ok(err instanceof FleetgateValidationError, String(err));
      assert.ok(err instanceof FleetgateError);
      assert.equal(err.status, 422);
      assert.equal(err.envelope.code, 422);
      assert.ok(err.requestId, 'the request id to quote');
      const paths = err.problems.map((p) => p.path).sort();
      assert.deepEqual(paths, ['body.connection_id', 'body.license_expiration']);
      for (const p of err.problems) assert.ok(p.error_type && p.message, JSON.stringify(p));
      assert.match(err.message, /^POST \/v2\/telematics\/users: 422 .*body\.license_expiration/);

      const missing = await ok(
        fg.api.GET('/v2/integrations/connections/{connection_id}/resource-operations/{resource_operation_id}', {
          params: { path: { connection_id: connectionId, resource_operation_id: randomUUID() } },
        }),
      ).catch((e: unknown) => e);
      assert.ok(missing instanceof FleetgateError && !(missing instanceof FleetgateValidationError), String(missing));
      assert.equal(missing.status, 404);
    });

    test('an operation the TSP refuses rejects waitForOperation with its log (error_type, error_class, details)', async () => {
      const own = await ownConnection();
      await call(t, 'POST', '/sandbox/motive/_sandbox/faults', { headers: own.headers, json: { status: 422, body: { error_message: 'Validation failed: Phone is invalid' } } });
      const { fg } = client();
      const op = await ok(fg.api.POST('/v2/telematics/users', { body: { ...newUser(), connection_id: own.id } }));
      const err = await fg.waitForOperation(op, { initialDelayMs: 25 }).catch((e: unknown) => e);
      assert.ok(err instanceof OperationFailedError, String(err));
      assert.equal(err.operation.id, op.id);
      assert.equal(err.errorType, 'validation');
      assert.equal(err.errorClass, 'validation');
      assert.match(err.errorDetails ?? '', /Phone is invalid/);
      // resolveFailed: the same ended operation, for callers that branch on status themselves.
      const ended = await fg.waitForOperation(op, { resolveFailed: true });
      assert.equal(ended.status, 'failed');
    });

    test('waitForOperation backs off between polls and gives up at its deadline', async () => {
      // The TSP takes 2.5 s to answer: the write is still pending when the 1.2 s wait ends.
      const own = await ownConnection({ latency_ms: 2_500 });
      const { fg, sent } = client();
      const op = await ok(fg.api.POST('/v2/telematics/users', { body: { ...newUser(), connection_id: own.id } }));
      const started = Date.now();
      const err = await fg.waitForOperation(op, { timeoutMs: 1_200, initialDelayMs: 50, maxDelayMs: 400 }).catch((e: unknown) => e);
      assert.ok(err instanceof OperationTimeoutError, String(err));
      assert.equal(err.operation?.status, 'pending');
      assert.ok(Date.now() - started >= 1_150, 'not before the deadline');
      // 50, 100, 200, 400, 400 ms (±20 %) fit in 1.2 s: about 6 polls; a fixed 50 ms would be 24.
      const polls = sent.filter((s) => s.method === 'GET' && s.path.endsWith(`/resource-operations/${op.id}`)).length;
      assert.ok(polls >= 4 && polls <= 8, `${polls} polls`);
      // An abort ends a wait at once, between polls or during one.
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('caller gave up')), 100);
      const abortedAt = Date.now();
      const aborted = await fg.waitForOperation(op, { initialDelayMs: 5_000, signal: controller.signal }).catch((e: unknown) => e);
      assert.equal((aborted as Error).message, 'caller gave up');
      assert.ok(Date.now() - abortedAt < 2_000, 'not after the 5 s pause');
      // It does end: a later wait sees it succeed.
      assert.equal((await fg.waitForOperation(op, { initialDelayMs: 100 })).status, 'success');
    });

    test('waitForOperation polls through a 503 in front of the API, and stops at once on a 404', async () => {
      let failed = 0;
      const unavailable = () => new Response(JSON.stringify({ code: 503, message: 'Service Unavailable', detail: null }), { status: 503, headers: { 'content-type': 'application/json' } });
      const { fg, sent } = client({}, (r) => (r.method === 'GET' && r.url.includes('/resource-operations/') && failed++ < 2 ? unavailable() : undefined));
      const op = await ok(fg.api.POST('/v2/telematics/users', { body: newUser() }));
      assert.equal((await fg.waitForOperation(op, { initialDelayMs: 25 })).status, 'success');
      assert.ok(sent.filter((s) => s.path.endsWith(op.id)).length >= 3, 'two failed polls, then the answer');

      const started = Date.now();
      const missing = await fg.waitForOperation({ id: randomUUID(), connection_id: connectionId }, { timeoutMs: 10_000 }).catch((e: unknown) => e);
      assert.ok(missing instanceof FleetgateError && missing.status === 404, String(missing));
      assert.ok(Date.now() - started < 5_000, 'a 404 is not polled until the deadline');
    });

    test('a token endpoint failing during early renewal costs nothing while the held token is good', async () => {
      let offset = 0;
      let tokenDown = false;
      const { fg, tokenRequests } = client({ now: () => Date.now() + offset }, (r) =>
        tokenDown && r.url.endsWith('/oauth/token') ? new Response('{"error":"temporarily_unavailable","error_description":"down"}', { status: 503 }) : undefined,
      );
      await ok(fg.api.GET('/v2/integrations/connections'));
      tokenDown = true;
      offset = 3_570_000; // inside the renewal margin, 30 s before expiry
      await ok(fg.api.GET('/v2/integrations/connections'));
      assert.equal(tokenRequests(), 2, 'renewal was tried');
      offset = 3_598_000; // 2 s before expiry: too close to send it
      const err = await fg.api.GET('/v2/integrations/connections').catch((e: unknown) => e);
      assert.ok(err instanceof FleetgateAuthError && err.status === 503, String(err));
      tokenDown = false;
      await ok(fg.api.GET('/v2/integrations/connections'));
      assert.equal(tokenRequests(), 4);
    });

    test('the token is renewed before it expires, and only once for concurrent callers', async () => {
      let offset = 0;
      const { fg, tokenRequests } = client({ now: () => Date.now() + offset });
      await ok(fg.api.GET('/v2/integrations/connections'));
      await ok(fg.api.GET('/v2/integrations/connections'));
      assert.equal(tokenRequests(), 1, 'a valid token is reused');
      // 30 s before expiry (fleetgate's tokens last 3600 s): inside the 60 s renewal margin.
      offset = 3_570_000;
      const pages = await Promise.all(Array.from({ length: 5 }, () => ok(fg.api.GET('/v2/integrations/connections'))));
      for (const p of pages) assert.ok(Array.isArray(p.items));
      assert.equal(tokenRequests(), 2, 'five callers, one renewal');
      offset = 3_500_000;
      await ok(fg.api.GET('/v2/integrations/connections'));
      assert.equal(tokenRequests(), 2, 'the renewed token is good for another hour');
      // Logging the client shows neither its secret nor its token.
      const token = await fg.tokens.get();
      const shown = `${inspect(fg, { depth: 10, showHidden: true })}${JSON.stringify(fg)}`;
      assert.ok(!shown.includes(partner.clientSecret) && !shown.includes(token), 'no secret or token when the client is printed');
    });

    test('a revoked token is renewed once and the write sent again with the same Idempotency-Key', async () => {
      const { fg, sent, tokenRequests } = client();
      await ok(fg.api.GET('/v2/integrations/connections'));
      const token = sent.find((s) => s.path === '/v2/integrations/connections')!.headers.authorization!.replace(/^Bearer /, '');
      const revoke = await call(t, 'POST', '/realms/catena/protocol/openid-connect/revoke', { form: { token, client_id: partner.clientId, client_secret: partner.clientSecret } });
      assert.equal(revoke.status, 200);
      const op = await ok(fg.api.POST('/v2/telematics/users', { body: newUser() }));
      assert.equal(op.status, 'pending');
      assert.equal(tokenRequests(), 2);
      const writes = sent.filter((s) => s.path === '/v2/telematics/users');
      assert.equal(writes.length, 2, 'refused once, then sent again');
      assert.equal(writes[0]!.headers.authorization, `Bearer ${token}`);
      assert.notEqual(writes[1]!.headers.authorization, `Bearer ${token}`);
      assert.equal(writes[1]!.headers['idempotency-key'], writes[0]!.headers['idempotency-key']);
    });

    test("a token for the scopes asked: a write outside them is the API's 403, naming the scope it needs", async () => {
      const { fg, sent } = client({ scope: 'telematics:read' });
      const err = await ok(fg.api.POST('/v2/telematics/users', { body: newUser() })).catch((e: unknown) => e);
      assert.ok(err instanceof FleetgateError, String(err));
      assert.equal(err.status, 403);
      assert.equal(err.envelope.required_scope, 'telematics:write');
      assert.equal(sent.filter((s) => s.path === '/v2/telematics/users').length, 1, 'a 403 is not retried');
    });

    test('credentials the token endpoint refuses are a FleetgateAuthError, and no request is sent', async () => {
      const { fg, sent } = client({ clientSecret: 'not-the-secret' });
      const err = await fg.api.GET('/v2/integrations/connections').catch((e: unknown) => e);
      assert.ok(err instanceof FleetgateAuthError, String(err));
      assert.equal(err.status, 401);
      assert.equal(err.error, 'invalid_client');
      assert.ok(!err.message.includes('not-the-secret'), 'the secret is not repeated');
      assert.deepEqual(sent.map((s) => s.path), ['/oauth/token']);
    });
  });
}
