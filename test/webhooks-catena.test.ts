// Catena's webhook subscription API and deliveries, as a partner written against Catena's notifications
// document and webhook docs sees them: create (200; a `<group>.*` catch-all answers a list), reads with
// the secret redacted, filters, scopes, activate / pause / replay / metrics / logs, the circuit breaker's
// three rules and its grace period, and deliveries that a receiver written from Catena's docs
// (test/helpers/catena-receiver.ts) verifies and parses. The breaker is driven one claim at a time with its
// state set in SQL (database time), so nothing waits for minutes.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import {
  EMITTED_EVENT_NAMES,
  WEBHOOK_CATCH_ALL_EVENTS,
  WEBHOOK_EVENT_NAMES,
  WEBHOOK_LOG_STATUSES,
  WEBHOOK_STATUSES,
  WebhookLogRead,
  WebhookMetrics,
  WebhookRead,
  Webhook as WebhookSchema,
  expandEventName,
} from '../src/contract/webhooks.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate, readMigrations } from '../src/db/migrate.ts';
import { MAX_DELIVERY_ATTEMPTS, claimDeliveries, deliver, envelopeOf, uuidv7 } from '../src/engine/outbox/index.ts';
import { eventPayloadSchema, isEmittedEvent } from '../src/contract/webhook-events.ts';
import { sealWebhookSecret, unsealWebhookSecret } from '../src/engine/outbox/signing.ts';
import { deriveKeys } from '../src/platform/keys.ts';
import type { ClaimedDelivery } from '../src/engine/outbox/index.ts';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import type { Scope } from '../src/accounts/scopes.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { startCatenaReceiver } from './helpers/catena-receiver.ts';
import { testDbKinds } from './helpers/db.ts';
import { motiveConnection, waitForOperation } from './helpers/motive.ts';
import { startReceiver, until } from './helpers/receiver.ts';

const HOOKS = '/v2/notifications/webhooks';
const FAST = 100_000;
const EXCERPT = fileURLToPath(new URL('../../shared/reference/catena/notifications.openapi.excerpt.json', import.meta.url));
const CATENA = fs.existsSync(EXCERPT) ? (JSON.parse(fs.readFileSync(EXCERPT, 'utf8')) as CatenaDoc) : undefined;
const NEEDS_CATENA = CATENA === undefined && `needs Catena's notifications document at ${EXCERPT} (../shared beside the repository; absent on a plain clone)`;

interface CatenaDoc {
  paths: Record<string, Record<string, { operationId: string; security: Array<{ Bearer: string[] }>; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { enum?: string[]; required?: string[]; properties?: Record<string, unknown> }> };
}

describe('Catena webhook enumerations, counted', () => {
  test('as many names as Catena lists, each once', () => {
    assert.equal(WEBHOOK_EVENT_NAMES.length, 99);
    assert.equal(new Set(WEBHOOK_EVENT_NAMES).size, 99);
    assert.equal(WEBHOOK_CATCH_ALL_EVENTS.length, 26);
    assert.deepEqual([...WEBHOOK_STATUSES], ['active', 'paused', 'stale', 'deleted']);
    assert.deepEqual([...WEBHOOK_LOG_STATUSES], ['success', 'failed']);
    for (const n of EMITTED_EVENT_NAMES) assert.ok((WEBHOOK_EVENT_NAMES as readonly string[]).includes(n), n);
  });

  test('the same lists as Catena\'s document, in its order', { skip: NEEDS_CATENA }, () => {
    const s = CATENA!.components.schemas;
    assert.deepEqual([...WEBHOOK_EVENT_NAMES], s.WebhookEventNameEnum!.enum);
    assert.deepEqual([...WEBHOOK_CATCH_ALL_EVENTS], s.WebhookCatchAllEvents!.enum);
    assert.deepEqual([...WEBHOOK_STATUSES], s.WebhookStatusEnum!.enum);
    assert.deepEqual([...WEBHOOK_LOG_STATUSES], s.WebhookLogStatusEnum!.enum);
    // Every required field of Catena's read shapes is one the zod contract requires too.
    for (const [name, schema] of [['Webhook', WebhookSchema], ['WebhookRead', WebhookRead], ['WebhookLogRead', WebhookLogRead], ['WebhookMetrics', WebhookMetrics]] as const) {
      const shape = schema.shape as Record<string, { isOptional(): boolean }>;
      for (const field of s[name]!.required!) assert.ok(shape[field] && !shape[field].isOptional(), `${name}.${field}`);
      for (const field of Object.keys(s[name]!.properties!)) assert.ok(shape[field], `${name}.${field} is missing`);
    }
  });

  test('a catch-all is every action of its group, and nothing of a group with a longer name', () => {
    assert.deepEqual(expandEventName('resource_operation.*').names, ['resource_operation.created', 'resource_operation.succeeded', 'resource_operation.failed']);
    assert.deepEqual(expandEventName('message.*').names, ['message.added', 'message.modified']);
    assert.deepEqual(expandEventName('vehicle_location.*').names, ['vehicle_location.added']);
    assert.deepEqual(expandEventName('webhook.*').names, ['webhook.created', 'webhook.updated', 'webhook.deleted', 'webhook.staled', 'webhook.activated', 'webhook.paused']);
    assert.deepEqual(expandEventName('user.added'), { catchAll: false, names: ['user.added'] });
    for (const c of WEBHOOK_CATCH_ALL_EVENTS) assert.ok(expandEventName(c).names.length >= 1, c);
  });
});

for (const kind of testDbKinds()) {
  describe(`Catena webhooks (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    let worker: Worker | undefined;
    const q = async <R = any>(query: SQL) => ((await t.services.database.db.execute(query)) as unknown as { rows: R[] }).rows;
    const hooks: Array<[Partner, string]> = [];

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: '20', FLEETGATE_SYNC_TIMEOUT_MS: '3000' } });
      p = await newPartner(t);
    });
    // Deleted webhooks are never claimed: one test's subscriptions stay out of the next one's claims.
    afterEach(async () => {
      await worker?.stop();
      worker = undefined;
      for (const [who, id] of hooks.splice(0)) await call(t, 'DELETE', `${HOOKS}/${id}`, { token: who.token });
    });
    after(async () => {
      await t?.close();
    });

    const create = async (who: Partner, json: Record<string, unknown>) => {
      const res = await call(t, 'POST', HOOKS, { token: who.token, json });
      assert.equal(res.status, 200, res.text);
      for (const h of Array.isArray(res.body) ? res.body : [res.body]) hooks.push([who, h.id]);
      return res.body;
    };
    const user = (connectionId: string) => ({ connection_id: connectionId, first_name: 'Cat', last_name: `Ena-${randomUUID().slice(0, 8)}`, phone_country_code: '+1' });
    const claim = async (webhookId: string): Promise<ClaimedDelivery[]> => {
      const claimed = await claimDeliveries(t.services, 100);
      const mine = claimed.filter((c) => c.webhook_id === webhookId);
      await Promise.all(claimed.filter((c) => c.webhook_id !== webhookId).map((c) => deliver(t.services, c)));
      return mine;
    };
    const enqueue = async (webhookId: string, eventName = 'resource_operation.created') => {
      const payload = { version: '1.0', event_name: eventName, data: [{ id: randomUUID() }], timestamp: new Date().toISOString() };
      const [d] = await q<{ id: string }>(sql`
        INSERT INTO webhook_deliveries (webhook_id, message_id, event_type, payload)
        VALUES (${webhookId}, ${uuidv7()}, ${eventName}, ${JSON.stringify(payload)}::jsonb) RETURNING id`);
      return d!.id;
    };
    const state = async (id: string) =>
      (
        await q(sql`SELECT status, stale_reason, breaker_attempts, breaker_successes, ewma_success_rate, consecutive_failures,
                           grace_until > now() + interval '14 minutes' AS in_grace FROM webhooks WHERE id = ${id}`)
      )[0];
    const deliveriesOf = (webhookId: string) =>
      q<{ id: string; status: string; attempts: number; event_type: string; payload: any }>(sql`
        SELECT id, status, attempts, event_type, payload FROM webhook_deliveries WHERE webhook_id = ${webhookId} ORDER BY created_at, id`);

    test('create answers 200 with the Webhook (secret once, URL redacted); reads redact the secret; unknown fields are ignored', async () => {
      const made = await create(p, {
        url: 'http://127.0.0.1:9/hooks/catena?token=abc',
        event_name: 'resource_operation.failed',
        secret: 'my-own-secret-of-partner',
        filters: { fleet_ids: [], fleet_refs: [] },
        nonsense_field: { ignored: true },
      });
      assert.ok(!Array.isArray(made));
      assert.equal(WebhookSchema.safeParse(made).success, true, JSON.stringify(made));
      assert.equal(made.secret, 'my-own-secret-of-partner');
      assert.equal(made.partner_id, p.partnerId);
      assert.equal(made.status, 'active');
      assert.equal(made.event_name, 'resource_operation.failed');
      assert.equal(made.url, 'http://127.0.0.1:9/hooks/*****', 'the last path segment and the query are masked');
      assert.equal(made.signing, 'catena');
      assert.deepEqual(made.filters, { fleet_ids: [], fleet_refs: [] });
      assert.equal(made.nonsense_field, undefined);

      const read = await call(t, 'GET', `${HOOKS}/${made.id}`, { token: p.token });
      assert.equal(read.status, 200);
      assert.equal(WebhookRead.safeParse(read.body).success, true, read.text);
      assert.equal(read.body.secret, '*****');
      assert.ok(!read.text.includes('my-own-secret'), 'the secret is not read back');
      assert.ok(!read.text.includes('token=abc'));

      // Without a secret, one is generated and shown once.
      const generated = await create(p, { url: 'http://127.0.0.1:9/h', event_name: 'connection.staled' });
      assert.match(generated.secret, /^[A-Za-z0-9_-]{32}$/);
    });

    test('a catch-all creates one subscription per event of its group and answers their list, sharing one secret', async () => {
      const made = await create(p, { url: 'http://127.0.0.1:9/all', event_name: 'resource_operation.*' });
      assert.ok(Array.isArray(made));
      assert.deepEqual(made.map((w: { event_name: string }) => w.event_name), ['resource_operation.created', 'resource_operation.succeeded', 'resource_operation.failed']);
      assert.equal(new Set(made.map((w: { secret: string }) => w.secret)).size, 1);
      assert.equal(new Set(made.map((w: { id: string }) => w.id)).size, 3);
      for (const w of made) assert.equal(WebhookSchema.safeParse(w).success, true);
      const listed = await call(t, 'GET', `${HOOKS}?event_name=resource_operation.succeeded`, { token: p.token });
      assert.equal(listed.status, 200);
      assert.ok(listed.body.items.some((w: { id: string }) => w.id === made[1].id));
      assert.ok(listed.body.items.every((w: { event_name: string }) => w.event_name === 'resource_operation.succeeded'));
      for (const w of listed.body.items) assert.equal(WebhookRead.safeParse(w).success, true);
    });

    test('typed fields are validated strictly: 422 naming the field', async () => {
      const bad = async (json: unknown, path: string, method = 'POST', url = HOOKS) => {
        const res = await call(t, method, url, { token: p.token, json });
        assert.equal(res.status, 422, `${JSON.stringify(json)}: ${res.text}`);
        assert.ok(JSON.stringify(res.body.detail).includes(path.split('.').at(-1)!), `${path} in ${res.text}`);
      };
      await bad({ url: 'http://127.0.0.1:9/h', event_name: 'user.nope' }, 'body.event_name');
      await bad({ url: 'http://127.0.0.1:9/h' }, 'body.event_name');
      await bad({ url: 'ftp://example.com/h', event_name: 'user.added' }, 'body.url');
      await bad({ url: 'http://127.0.0.1:9/h', event_name: 'user.added', filters: { fleet_ids: ['not-a-uuid'] } }, 'body.filters.fleet_ids');
      await bad({ url: 'http://127.0.0.1:9/h', event_name: 'user.added', signing: 'standard_webhooks', secret: 'not-whsec-format' }, 'body.secret');
      await bad({ url: 'http://127.0.0.1:9/h', event_name: 'user.added', signing: 'hmac' }, 'body.signing');
      const w = await create(p, { url: 'http://127.0.0.1:9/h', event_name: 'user.added' });
      await bad({ secret: 'short' }, 'body.secret', 'PATCH', `${HOOKS}/${w.id}`);
      // A refused secret is never echoed back (too short, too long: neither shows in the answer).
      for (const [method, url, json] of [
        ['PATCH', `${HOOKS}/${w.id}`, { secret: 'MySecret99' }],
        ['POST', HOOKS, { url: 'http://127.0.0.1:9/h', event_name: 'user.added', secret: `S${'x'.repeat(300)}` }],
      ] as const) {
        const res = await call(t, method, url, { token: p.token, json });
        assert.equal(res.status, 422);
        assert.ok(!res.text.includes(String(json.secret)), `the secret is echoed: ${res.text}`);
        assert.equal(res.body.detail.find((d: { path: string }) => d.path === 'body.secret').input, '');
      }
      // A switch to Standard Webhooks needs a whsec_ secret: the generated Catena one is not.
      await bad({ signing: 'standard_webhooks' }, 'body.secret', 'PATCH', `${HOOKS}/${w.id}`);
      // A secret that no longer unseals (the encryption key changed) cannot be kept either: 422, not 500.
      await q(sql`UPDATE webhooks SET secret_sealed = 'garbage' WHERE id = ${w.id}`);
      await bad({ signing: 'standard_webhooks' }, 'body.secret', 'PATCH', `${HOOKS}/${w.id}`);
      const rotated = await call(t, 'PATCH', `${HOOKS}/${w.id}`, { token: p.token, json: { signing: 'standard_webhooks', secret: `whsec_${Buffer.alloc(24, 1).toString('base64')}` } });
      assert.equal(rotated.status, 200, rotated.text);
      assert.equal(rotated.body.signing, 'standard_webhooks');
      // A query parameter out of its enum or form is refused (400 today, 422 once query validation answers as Catena's does).
      const refusedQuery = async (path: string) => assert.ok([400, 422].includes((await call(t, 'GET', path, { token: p.token })).status), path);
      for (const query of ['event_name=user.nope', 'status=inactive', 'size=0']) await refusedQuery(`${HOOKS}?${query}`);
      await refusedQuery(`${HOOKS}/${w.id}/logs?start_date=yesterday`);
      await refusedQuery(`${HOOKS}/${w.id}/logs?status=pending`);
      assert.equal((await call(t, 'GET', `${HOOKS}/not-a-uuid`, { token: p.token })).status, 422);
      assert.equal((await call(t, 'GET', `${HOOKS}/${randomUUID()}`, { token: p.token })).status, 404);
    });

    test('each endpoint wants exactly the scope Catena\'s document gives it', async () => {
      const w = await create(p, { url: 'http://127.0.0.1:9/h', event_name: 'user.modified' });
      const id = w.id as string;
      const endpoints: Array<[string, string, Scope, unknown?]> = [
        ['POST', HOOKS, 'webhook:create', { url: 'http://127.0.0.1:9/h', event_name: 'user.added' }],
        ['GET', HOOKS, 'webhook:read'],
        ['GET', `${HOOKS}/${id}`, 'webhook:read'],
        ['PATCH', `${HOOKS}/${id}`, 'webhook:update', { description: 'x' }],
        ['POST', `${HOOKS}/${id}/pause`, 'webhook:update'],
        ['POST', `${HOOKS}/${id}/activate`, 'webhook:update'],
        ['GET', `${HOOKS}/${id}/metrics`, 'webhook:read'],
        ['POST', `${HOOKS}/${id}/replay`, 'webhook:create'],
        ['GET', `${HOOKS}/${id}/logs`, 'webhook:read'],
        ['DELETE', `${HOOKS}/${id}`, 'webhook:delete'],
      ];
      const all: Scope[] = ['webhook:read', 'webhook:create', 'webhook:update', 'webhook:delete'];
      // Same partner as the webhook: the scope alone decides. DELETE is last, it ends the webhook.
      const as = async (scopes: Scope[]) => {
        const other = await newPartner(t, scopes);
        await q(sql`UPDATE oauth_clients SET partner_id = ${p.partnerId} WHERE client_id = ${other.clientId}`);
        const token = await call(t, 'POST', '/oauth/token', { form: { grant_type: 'client_credentials', client_id: other.clientId, client_secret: other.clientSecret } });
        return token.body.access_token as string;
      };
      for (const [method, path, scope, json] of endpoints) {
        const without = await call(t, method, path, { token: await as(all.filter((s) => s !== scope)), json });
        assert.equal(without.status, 403, `${method} ${path} without ${scope}: ${without.text}`);
        const withOnly = await call(t, method, path, { token: await as([scope]), json });
        assert.ok([200, 202, 204].includes(withOnly.status), `${method} ${path} with ${scope}: ${withOnly.status} ${withOnly.text}`);
        if (method === 'POST' && path === HOOKS) hooks.push([p, withOnly.body.id]);
      }
    });

    test('the OpenAPI document declares Catena\'s operation ids, success codes and scopes', { skip: NEEDS_CATENA }, async () => {
      const doc = (await call(t, 'GET', '/openapi.json')).body;
      for (const [path, ops] of Object.entries(CATENA!.paths)) {
        const ours = doc.paths[path];
        assert.ok(ours, `${path} is served`);
        for (const [method, op] of Object.entries(ops)) {
          const mine = ours[method];
          assert.ok(mine, `${method} ${path}`);
          assert.equal(mine.operationId, op.operationId);
          const success = Object.keys(op.responses).filter((c) => c.startsWith('2'));
          for (const code of success) assert.ok(mine.responses[code], `${method} ${path} ${code}`);
          assert.deepEqual(mine.security, [{ Bearer: op.security[0]!.Bearer }], `${method} ${path} scopes`);
        }
      }
    });

    test('a Catena receiver accepts every delivery of a scripted run: a connection created, sync and async user creates, a failure, the connection failing', async () => {
      const partner = await newPartner(t);
      const secrets = new Map<string, string>();
      let failedOnce: string | undefined;
      // The first delivery is answered 500 once: its retry must verify too, with the next attempt number.
      const rx = await startCatenaReceiver(
        (id) => secrets.get(id),
        (d) => {
          if (!failedOnce) {
            failedOnce = d.envelope.id;
            return 500;
          }
          return 202;
        },
      );
      try {
        const ops = await create(partner, { url: rx.url, event_name: 'resource_operation.*', secret: 'partner-chosen-secret' });
        for (const w of ops) secrets.set(w.id, 'partner-chosen-secret');
        const conns = await create(partner, { url: rx.url, event_name: 'connection.*' });
        for (const w of conns) secrets.set(w.id, w.secret);
        worker = startWorker(t.services, { pollMs: 25 });

        const m = await motiveConnection(t, partner, { rate_limit_per_minute: FAST });
        const sync = await call(t, 'POST', '/v2/telematics/users?is_sync=true', { token: partner.token, json: user(m.connectionId) });
        assert.equal(sync.body.status, 'success', sync.text);
        const queued = await call(t, 'POST', '/v2/telematics/users', { token: partner.token, json: user(m.connectionId) });
        assert.equal(queued.status, 202);
        assert.equal((await waitForOperation(t, partner, m.connectionId, queued.body.id)).status, 'success');
        await m.sandbox('POST', '/_sandbox/faults', { status: 422, body: { error_message: 'Validation failed' } });
        const refused = await call(t, 'POST', '/v2/telematics/users?is_sync=true', { token: partner.token, json: user(m.connectionId) });
        assert.equal(refused.body.status, 'failed', refused.text);
        // The key is revoked at Motive: the next write's 401 fails the connection (connection.staled).
        const rotated = await call(t, 'POST', '/sandbox/motive/_sandbox/rotate_key', { headers: { 'x-api-key': m.apiKey } });
        assert.equal(rotated.status, 201);
        const held = await call(t, 'POST', '/v2/telematics/users', { token: partner.token, json: user(m.connectionId) });
        assert.equal(held.status, 202);

        const expected = [
          ['resource_operation.created', sync.body.id],
          ['resource_operation.succeeded', sync.body.id],
          ['resource_operation.created', queued.body.id],
          ['resource_operation.succeeded', queued.body.id],
          ['resource_operation.created', refused.body.id],
          ['resource_operation.failed', refused.body.id],
          ['resource_operation.created', held.body.id],
          ['connection.created', m.connectionId],
          ['connection.staled', m.connectionId],
        ];
        const seen = () => new Set(rx.accepted.filter((d) => d.envelope.id !== failedOnce || d.envelope.delivery_attempt > 1).map((d) => d.envelope.id)).size;
        await until(() => seen() >= expected.length, 15_000, `${expected.length} deliveries (have ${seen()})`);
        assert.deepEqual(rx.rejected, [], 'every delivery verifies');
        const first = new Map<string, (typeof rx.accepted)[number]>();
        for (const d of rx.accepted) if (!first.has(d.envelope.id) || d.envelope.delivery_attempt > 1) first.set(d.envelope.id, d);
        const got = [...first.values()].map((d) => [d.envelope.event_name, String(d.envelope.data[0]!.id)]);
        for (const e of expected) assert.ok(got.some((g) => g[0] === e[0] && g[1] === e[1]), `${e.join(' ')} delivered; got ${JSON.stringify(got)}`);

        // The retried delivery: same message id and body, the next attempt, a new request id.
        const tries = rx.accepted.filter((d) => d.envelope.id === failedOnce);
        assert.deepEqual(tries.map((d) => d.envelope.delivery_attempt), [1, 2]);
        assert.notEqual(tries[0]!.headers['x-request-id'], tries[1]!.headers['x-request-id']);
        assert.deepEqual(tries[0]!.envelope.data, tries[1]!.envelope.data);

        for (const d of first.values()) {
          // Exactly what the event's published schema declares (GET /v2/notifications/schemas/{event_name}).
          assert.ok(isEmittedEvent(d.envelope.event_name));
          assert.deepEqual(eventPayloadSchema(d.envelope.event_name).parse(d.envelope), d.envelope, `${d.envelope.event_name} matches its schema, field for field`);
          assert.equal(d.headers['content-encoding'], 'gzip');
          assert.equal(d.envelope.version, '1.0');
          const item = d.envelope.data[0]!;
          if (d.envelope.event_name.startsWith('resource_operation.')) {
            // BaseResourceOperationEvent's required fields.
            for (const f of ['id', 'created_at', 'updated_at', 'partner_id', 'connection_id', 'source_name', 'resource', 'operation_type', 'status', 'payload']) {
              assert.ok(f in item, `${d.envelope.event_name} data has ${f}`);
            }
            assert.equal(item.source_name, 'motive');
            assert.equal(item.partner_id, partner.partnerId);
          } else {
            // BaseConnectionEvent's: id, source_name, fleet_id, tsp_id, status; never the credentials.
            const status = d.envelope.event_name === 'connection.created' ? 'active' : 'failed';
            assert.deepEqual([item.id, item.source_name, item.status], [m.connectionId, 'motive', status]);
            assert.ok('fleet_id' in item);
            assert.match(String(item.tsp_id), /^[0-9a-f-]{36}$/);
            assert.equal(item.credentials, undefined);
            assert.ok(!d.payload.includes(m.apiKey));
          }
        }
        const succeeded = [...first.values()].find((d) => d.envelope.event_name === 'resource_operation.succeeded')!;
        assert.equal(succeeded.envelope.webhook_id, ops[1].id, 'delivered by the subscription of that event');

        // The delivery log of the subscription with the retry: Catena's fields, one entry per attempt.
        const retriedBy = tries[0]!.envelope.webhook_id;
        const logs = await call(t, 'GET', `${HOOKS}/${retriedBy}/logs`, { token: partner.token });
        assert.equal(logs.status, 200);
        for (const l of logs.body.items) assert.equal(WebhookLogRead.safeParse(l).success, true, JSON.stringify(l));
        const entries = logs.body.items.filter((l: { message_id: string }) => l.message_id === failedOnce);
        assert.deepEqual(
          entries.map((l: { status: string; status_code: number; attempt: number }) => [l.attempt, l.status, l.status_code]),
          [
            [1, 'failed', 500],
            [2, 'success', 202],
          ],
        );
        assert.equal(entries[1].request_id, tries[1]!.headers['x-request-id']);
      } finally {
        await rx.close();
      }
    });

    test('a Standard Webhooks subscription still verifies with the standardwebhooks library (plain JSON, Catena envelope)', async () => {
      const partner = await newPartner(t);
      const receiver = await startReceiver();
      try {
        const w = await create(partner, { url: receiver.url, event_name: 'resource_operation.created', signing: 'standard_webhooks' });
        assert.match(w.secret, /^whsec_/);
        const given = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
        const w2 = await create(partner, { url: receiver.url, event_name: 'resource_operation.created', signing: 'standard_webhooks', secret: given });
        assert.equal(w2.secret, given);
        const m = await motiveConnection(t, partner, { rate_limit_per_minute: FAST });
        const op = await call(t, 'POST', '/v2/telematics/users', { token: partner.token, json: user(m.connectionId) });
        for (const c of [...(await claim(w.id)), ...(await claim(w2.id))]) assert.equal(await deliver(t.services, c), 'delivered');
        assert.equal(receiver.received.length, 2);
        for (const r of receiver.received) {
          const secret = r.headers['x-webhook-id'] === w.id ? w.secret : given;
          assert.equal(r.headers['content-encoding'], undefined, 'not compressed: the library verifies the body as received');
          const body = new StandardWebhook(secret).verify(r.body, r.headers as Record<string, string>) as any;
          assert.equal(body.event_name, 'resource_operation.created');
          assert.equal(body.data[0].id, op.body.id);
          assert.equal(body.id, r.headers['webhook-id']);
          assert.throws(() => new StandardWebhook(secret).verify(r.body.replace('created', 'crated'), r.headers as Record<string, string>));
        }
      } finally {
        await receiver.close();
      }
    });

    test('filters: fleet_ids and fleet_refs deliver only the events of the fleets they name', async () => {
      const partner = await newPartner(t);
      const fleetOf = async (ref: string) => {
        const m = await motiveConnection(t, partner, { rate_limit_per_minute: FAST });
        await call(t, 'PATCH', `/v2/integrations/connections/${m.connectionId}`, { token: partner.token, json: { fleet_ref: ref } });
        // The fleet with that ref (made here if the connection did not make it), as connections.fleet_id.
        let [fleet] = await q<{ id: string }>(sql`SELECT id FROM fleets WHERE partner_id = ${partner.partnerId} AND fleet_ref = ${ref}`);
        fleet ??= (await q<{ id: string }>(sql`INSERT INTO fleets (partner_id, fleet_ref) VALUES (${partner.partnerId}, ${ref}) RETURNING id`))[0]!;
        await q(sql`UPDATE connections SET fleet_ref = ${ref}, fleet_id = ${fleet.id} WHERE id = ${m.connectionId}`);
        return { connectionId: m.connectionId, fleetId: fleet.id };
      };
      const a = await fleetOf(`ref-a-${randomUUID().slice(0, 6)}`);
      const b = await fleetOf(`ref-b-${randomUUID().slice(0, 6)}`);
      const [refB] = await q<{ fleet_ref: string }>(sql`SELECT fleet_ref FROM connections WHERE id = ${b.connectionId}`);
      const url = 'http://127.0.0.1:9/h';
      const byId = await create(partner, { url, event_name: 'resource_operation.created', filters: { fleet_ids: [a.fleetId] } });
      const byRef = await create(partner, { url, event_name: 'resource_operation.created', filters: { fleet_refs: [refB!.fleet_ref] } });
      const either = await create(partner, { url, event_name: 'resource_operation.created', filters: { fleet_ids: [a.fleetId], fleet_refs: [refB!.fleet_ref] } });
      const none = await create(partner, { url, event_name: 'resource_operation.created', filters: { fleet_ids: [], fleet_refs: [] } });
      const unfiltered = await create(partner, { url, event_name: 'resource_operation.created' });
      const other = await create(partner, { url, event_name: 'resource_operation.created', filters: { fleet_ids: [randomUUID()] } });
      const opA = (await call(t, 'POST', '/v2/telematics/users', { token: partner.token, json: user(a.connectionId) })).body.id;
      const opB = (await call(t, 'POST', '/v2/telematics/users', { token: partner.token, json: user(b.connectionId) })).body.id;
      const got = async (w: { id: string }) => (await deliveriesOf(w.id)).map((d) => d.payload.data[0].id).sort();
      assert.deepEqual(await got(byId), [opA]);
      assert.deepEqual(await got(byRef), [opB]);
      assert.deepEqual(await got(either), [opA, opB].sort());
      assert.deepEqual(await got(none), [opA, opB].sort());
      assert.deepEqual(await got(unfiltered), [opA, opB].sort());
      assert.deepEqual(await got(other), []);
      // PATCH replaces the filters; null removes them.
      await call(t, 'PATCH', `${HOOKS}/${other.id}`, { token: partner.token, json: { filters: null } });
      const opA2 = (await call(t, 'POST', '/v2/telematics/users', { token: partner.token, json: user(a.connectionId) })).body.id;
      assert.deepEqual(await got(other), [opA2]);
    });

    test('GET /v2/notifications/schemas/{event_name}: an OpenAPI 3.0 document per event fleetgate sends, for any token', async () => {
      const anyToken = (await newPartner(t, ['telematics:read'])).token;
      for (const name of EMITTED_EVENT_NAMES) {
        const res = await call(t, 'GET', `/v2/notifications/schemas/${name}`, { token: anyToken });
        assert.equal(res.status, 200, `${name}: ${res.text}`);
        assert.deepEqual([res.body.event_name, res.body.version], [name, '1.0']);
        const doc = JSON.parse(res.body.openapi_schema);
        assert.equal(doc.openapi, '3.0.3');
        const schemas = doc.components.schemas as Record<string, any>;
        const root = Object.values(schemas)[0];
        assert.deepEqual(root.required.sort(), ['data', 'delivery_attempt', 'event_name', 'id', 'timestamp', 'version', 'webhook_id']);
        assert.deepEqual(root.properties.event_name.enum, [name]);
        // Every reference resolves inside the document.
        for (const ref of res.body.openapi_schema.match(/"#\/components\/schemas\/[^"]+"/g) ?? []) {
          assert.ok(schemas[ref.slice(22, -1)], `${name}: ${ref} resolves`);
        }
        const versioned = await call(t, 'GET', `/v2/notifications/schemas/${name}/versions/1.0`, { token: anyToken });
        assert.deepEqual(versioned.body, res.body);
      }
      const item = JSON.parse((await call(t, 'GET', '/v2/notifications/schemas/connection.staled', { token: anyToken })).body.openapi_schema).components.schemas.BaseConnectionEvent;
      for (const f of ['id', 'source_name', 'fleet_id', 'tsp_id', 'status']) assert.ok(item.required.includes(f), f);
      assert.equal((await call(t, 'GET', '/v2/notifications/schemas/vehicle.added', { token: anyToken })).status, 404, 'a Catena event fleetgate does not send');
      assert.equal((await call(t, 'GET', '/v2/notifications/schemas/no.such', { token: anyToken })).status, 404);
      assert.equal((await call(t, 'GET', '/v2/notifications/schemas/webhook.created/versions/2.0', { token: anyToken })).status, 404);
      assert.equal((await call(t, 'GET', '/v2/notifications/schemas/webhook.created')).status, 401);
    });

    describe('the circuit breaker', () => {
      // A fresh webhook on an endpoint that answers 500, with the breaker's state as given.
      const failing = async (who: Partner, url: string, s: { attempts: number; successes: number; ewma: number | null; inARow: number; grace?: boolean }) => {
        const w = await create(who, { url, event_name: 'resource_operation.created' });
        await q(sql`UPDATE webhooks SET breaker_attempts = ${s.attempts}, breaker_successes = ${s.successes}, ewma_success_rate = ${s.ewma},
                      consecutive_failures = ${s.inARow},
                      grace_until = ${s.grace ? sql`now() + interval '10 minutes'` : sql`now() - interval '1 second'`} WHERE id = ${w.id}`);
        return w.id as string;
      };
      const failOnce = async (id: string) => {
        await enqueue(id);
        const [c] = await claim(id);
        assert.ok(c, 'claimed');
        await deliver(t.services, c);
        // Its retry waits, so that another test case's claims leave this webhook alone.
        await q(sql`UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 day' WHERE webhook_id = ${id} AND status = 'pending'`);
      };

      test('low volume (< 20): 10 failures in a row make it stale, 9 do not; webhook.staled is raised', async () => {
        const who = await newPartner(t);
        const r500 = await startReceiver(() => 500);
        const rx = await startReceiver();
        try {
          const watcher = await create(who, { url: rx.url, event_name: 'webhook.staled' });
          const holds = await failing(who, r500.url, { attempts: 8, successes: 0, ewma: 0, inARow: 8 });
          await failOnce(holds);
          assert.equal((await state(holds)).status, 'active', '9 in a row');
          const trips = await failing(who, r500.url, { attempts: 9, successes: 0, ewma: 0, inARow: 9 });
          await failOnce(trips);
          const s = await state(trips);
          assert.equal(s.status, 'stale');
          assert.equal(s.stale_reason, '10 failed attempts in a row');
          const read = await call(t, 'GET', `${HOOKS}/${trips}`, { token: who.token });
          assert.equal(read.body.status, 'stale');
          const listed = await call(t, 'GET', `${HOOKS}?status=stale`, { token: who.token });
          assert.deepEqual(listed.body.items.map((w: { id: string }) => w.id), [trips]);
          // webhook.staled: BaseWebhookEvent of the webhook that tripped.
          const [staled] = await deliveriesOf(watcher.id);
          assert.equal(staled!.event_type, 'webhook.staled');
          assert.deepEqual(
            { ...staled!.payload.data[0], url: undefined },
            { id: trips, url: undefined, event_name: 'resource_operation.created', filters: null, status: 'stale' },
          );
          assert.match(staled!.payload.data[0].url, /\*\*\*\*\*$/);
          // No automatic reactivation: its deliveries are never claimed while stale.
          await enqueue(trips);
          await q(sql`UPDATE webhook_deliveries SET next_attempt_at = now() - interval '1 hour' WHERE webhook_id = ${trips}`);
          assert.deepEqual(await claim(trips), []);
          assert.equal((await state(trips)).status, 'stale');
        } finally {
          await r500.close();
          await rx.close();
        }
      });

      test('medium volume (20-49): a success rate under 80 % trips it, 80 % holds, failures in a row no longer count', async () => {
        const who = await newPartner(t);
        const r500 = await startReceiver(() => 500);
        try {
          const holds = await failing(who, r500.url, { attempts: 24, successes: 20, ewma: 0.5, inARow: 15 });
          await failOnce(holds); // 20 of 25: 80 %
          assert.equal((await state(holds)).status, 'active');
          const trips = await failing(who, r500.url, { attempts: 24, successes: 19, ewma: 1, inARow: 0 });
          await failOnce(trips); // 19 of 25: 76 %
          const s = await state(trips);
          assert.equal(s.status, 'stale');
          assert.match(s.stale_reason, /^success rate 76\.0 % is below 80\.0 % after 25 attempts$/);
        } finally {
          await r500.close();
        }
      });

      test('high volume (50+): the EWMA decides, below 95 % it trips', async () => {
        const who = await newPartner(t);
        const r500 = await startReceiver(() => 500);
        try {
          // A poor simple rate but a good EWMA: 0.98 × 0.97 = 0.9506 after the failure, holds.
          const holds = await failing(who, r500.url, { attempts: 60, successes: 30, ewma: 0.97, inARow: 12 });
          await failOnce(holds);
          const h = await state(holds);
          assert.equal(h.status, 'active');
          assert.ok(Math.abs(Number(h.ewma_success_rate) - 0.9506) < 1e-9);
          // 0.98 × 0.96 = 0.9408.
          const trips = await failing(who, r500.url, { attempts: 60, successes: 60, ewma: 0.96, inARow: 0 });
          await failOnce(trips);
          const s = await state(trips);
          assert.equal(s.status, 'stale');
          assert.match(s.stale_reason, /^EWMA success rate 94\.1 % is below 95\.0 % after 61 attempts$/);
          const metrics = await call(t, 'GET', `${HOOKS}/${trips}/metrics`, { token: who.token });
          assert.ok(Math.abs(metrics.body.ewma_success_rate - 0.9408) < 1e-9);
        } finally {
          await r500.close();
        }
      });

      test('the 15-minute grace after create or update: counted, not judged; activate re-opens a stale webhook with its grace', async () => {
        const who = await newPartner(t);
        const r500 = await startReceiver(() => 500);
        const rx = await startReceiver();
        try {
          const watcher = await create(who, { url: rx.url, event_name: 'webhook.activated' });
          // A new webhook is in its grace period.
          const fresh = await create(who, { url: r500.url, event_name: 'resource_operation.created' });
          assert.equal((await state(fresh.id)).in_grace, true);
          const id = await failing(who, r500.url, { attempts: 9, successes: 0, ewma: 0, inARow: 9, grace: true });
          await failOnce(id);
          let s = await state(id);
          assert.deepEqual([s.status, s.consecutive_failures], ['active', 10], 'in its grace period: counted, not judged');
          await q(sql`UPDATE webhooks SET grace_until = now() - interval '1 second' WHERE id = ${id}`);
          await failOnce(id);
          assert.equal((await state(id)).status, 'stale', 'judged once the grace is over');

          // An update starts the breaker afresh with a new grace period; the status stays stale.
          const patched = await call(t, 'PATCH', `${HOOKS}/${id}`, { token: who.token, json: { description: 'fixed?' } });
          assert.equal(patched.status, 200);
          assert.equal(patched.body.status, 'stale', 'an update does not reactivate');
          s = await state(id);
          assert.deepEqual([s.in_grace, s.breaker_attempts, s.consecutive_failures, s.ewma_success_rate], [true, 0, 0, null]);

          const waiting = await enqueue(id);
          await q(sql`UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 hour' WHERE id = ${waiting}`);
          const activated = await call(t, 'POST', `${HOOKS}/${id}/activate`, { token: who.token });
          assert.equal(activated.status, 200);
          assert.equal(activated.body.status, 'active');
          assert.equal(activated.body.stale_reason, null);
          assert.equal((await state(id)).in_grace, true);
          const due = await claim(id);
          assert.ok(due.some((c) => c.id === waiting), 'what waited is due at once');
          for (const c of due) await deliver(t.services, c);
          assert.equal((await state(id)).status, 'active', 'failing again inside the new grace period');
          const [event] = await deliveriesOf(watcher.id);
          assert.equal(event!.event_type, 'webhook.activated');
          assert.equal(event!.payload.data[0].status, 'active');
        } finally {
          await r500.close();
          await rx.close();
        }
      });
    });

    test('pause holds deliveries, activate sends them; webhook.paused / webhook.activated / webhook.updated / webhook.deleted are raised', async () => {
      const who = await newPartner(t);
      const receiver = await startReceiver();
      try {
        const lifecycle = await create(who, { url: 'http://127.0.0.1:9/life', event_name: 'webhook.*' });
        const w = await create(who, { url: receiver.url, event_name: 'resource_operation.created' });
        const paused = await call(t, 'POST', `${HOOKS}/${w.id}/pause`, { token: who.token });
        assert.equal(paused.status, 200);
        assert.equal(paused.body.status, 'paused');
        await enqueue(w.id);
        assert.deepEqual(await claim(w.id), [], 'nothing is sent while paused');
        assert.equal((await call(t, 'GET', `${HOOKS}?status=paused`, { token: who.token })).body.items.length, 1);
        const active = await call(t, 'POST', `${HOOKS}/${w.id}/activate`, { token: who.token });
        assert.equal(active.body.status, 'active');
        for (const c of await claim(w.id)) assert.equal(await deliver(t.services, c), 'delivered');
        assert.equal(receiver.received.length, 1);
        await call(t, 'PATCH', `${HOOKS}/${w.id}`, { token: who.token, json: { url: receiver.url } });
        assert.equal((await call(t, 'DELETE', `${HOOKS}/${w.id}`, { token: who.token })).status, 204);
        assert.equal((await call(t, 'GET', `${HOOKS}/${w.id}`, { token: who.token })).status, 404);
        const deleted = await call(t, 'GET', `${HOOKS}?status=deleted`, { token: who.token });
        assert.deepEqual(deleted.body.items.map((x: { id: string; status: string }) => [x.id, x.status]), [[w.id, 'deleted']]);
        // Each lifecycle event went to the webhook.* subscription of that event.
        const byName = new Map(lifecycle.map((l: { id: string; event_name: string }) => [l.id, l.event_name]));
        const raised: string[] = [];
        for (const l of lifecycle) {
          for (const d of await deliveriesOf(l.id)) {
            if (d.payload.data[0].id !== w.id) continue;
            raised.push(`${byName.get(l.id)}=${d.event_type}`);
            const body = JSON.parse(envelopeOf({ webhook_id: l.id, message_id: randomUUID(), event_type: d.event_type, payload: d.payload, attempts: 1 }));
            assert.deepEqual(eventPayloadSchema(d.event_type as 'webhook.created').parse(body), body, `${d.event_type} matches its schema`);
          }
        }
        assert.deepEqual(raised.sort(), ['webhook.activated', 'webhook.created', 'webhook.deleted', 'webhook.paused', 'webhook.updated'].map((e) => `${e}=${e}`));
      } finally {
        await receiver.close();
      }
    });

    test('replay re-queues the dead-letter queue (deliveries that failed every attempt) with a fresh budget: 202', async () => {
      const who = await newPartner(t);
      let healthy = false;
      const receiver = await startReceiver(() => (healthy ? 204 : 500));
      try {
        const w = await create(who, { url: receiver.url, event_name: 'resource_operation.created' });
        const dead = await enqueue(w.id);
        await q(sql`UPDATE webhook_deliveries SET attempts = ${MAX_DELIVERY_ATTEMPTS - 1} WHERE id = ${dead}`);
        const [c] = await claim(w.id);
        assert.equal(await deliver(t.services, c!), 'failed');
        const before = await call(t, 'GET', `${HOOKS}/${w.id}/metrics`, { token: who.token });
        assert.equal(before.body.dlq_count, 1);
        const replay = await call(t, 'POST', `${HOOKS}/${w.id}/replay`, { token: who.token });
        assert.equal(replay.status, 202);
        assert.deepEqual(replay.body, { replayed: 1 });
        const [row] = await deliveriesOf(w.id);
        assert.deepEqual([row!.status, row!.attempts], ['pending', 0]);
        assert.equal((await call(t, 'GET', `${HOOKS}/${w.id}/metrics`, { token: who.token })).body.dlq_count, 0);
        healthy = true;
        const [again] = await claim(w.id);
        assert.equal(again!.attempts, 1, 'a fresh attempt budget');
        assert.equal(await deliver(t.services, again!), 'delivered');
        assert.deepEqual((await call(t, 'POST', `${HOOKS}/${w.id}/replay`, { token: who.token })).body, { replayed: 0 });
        // A dead letter older than 14 days is no longer in the queue.
        const old = await enqueue(w.id);
        await q(sql`UPDATE webhook_deliveries SET status = 'failed', dead_lettered_at = now() - interval '15 days' WHERE id = ${old}`);
        assert.deepEqual((await call(t, 'POST', `${HOOKS}/${w.id}/replay`, { token: who.token })).body, { replayed: 0 });
      } finally {
        await receiver.close();
      }
    });

    test('metrics: 6 h / 24 h / 7 d / 14 d windows from the attempts, on the database clock', async () => {
      const who = await newPartner(t);
      const w = await create(who, { url: 'http://127.0.0.1:9/m', event_name: 'resource_operation.created' });
      // attempts: [age, ok, duration]; two attempts of one message 1 h ago (a failure, then a success).
      const m1 = await enqueue(w.id);
      const attempt = (delivery: string, age: string, ok: boolean, ms: number) =>
        q(sql`INSERT INTO webhook_attempts (delivery_id, webhook_id, attempt, status_code, error, duration_ms, created_at)
              VALUES (${delivery}, ${w.id}, 1, ${ok ? 200 : 500}, ${ok ? null : 'endpoint answered 500'}, ${ms}, now() - ${age}::interval)`);
      await attempt(m1, '1 hour', false, 300);
      await attempt(m1, '1 hour', true, 100);
      await attempt(await enqueue(w.id), '12 hours', true, 200);
      await attempt(await enqueue(w.id), '3 days', false, 1000);
      await attempt(await enqueue(w.id), '10 days', true, 400);
      await attempt(await enqueue(w.id), '20 days', true, 999);
      const res = await call(t, 'GET', `${HOOKS}/${w.id}/metrics`, { token: who.token });
      assert.equal(res.status, 200);
      assert.equal(WebhookMetrics.safeParse(res.body).success, true, res.text);
      const m = res.body;
      assert.equal(m.webhook_id, w.id);
      assert.deepEqual(m.http_attempts, { '6h': 2, '24h': 3, '7d': 4, '14d': 5 });
      assert.deepEqual(m.http_success_attempts, { '6h': 1, '24h': 2, '7d': 2, '14d': 3 });
      assert.deepEqual(m.http_failure_attempts, { '6h': 1, '24h': 1, '7d': 2, '14d': 2 });
      assert.deepEqual(m.message_count, { '6h': 1, '24h': 2, '7d': 3, '14d': 4 });
      assert.deepEqual(m.message_success_count, { '6h': 1, '24h': 2, '7d': 2, '14d': 3 });
      assert.deepEqual(m.avg_response_time_ms, { '6h': 200, '24h': 200, '7d': 400, '14d': 400 });
      assert.deepEqual(m.success_rate, { '6h': null, '24h': null, '7d': null, '14d': null }, 'under 200 messages');
      assert.equal(m.ewma_success_rate, null);
      assert.equal(m.dlq_count, 0);

      // 199 delivered messages 1 h ago, one failed 12 h ago: 199 in 6 h (no rate), 200 in 24 h: 99 %.
      const busy = await create(who, { url: 'http://127.0.0.1:9/m', event_name: 'resource_operation.created' });
      await q(sql`
        WITH d AS (
          INSERT INTO webhook_deliveries (webhook_id, message_id, event_type, payload, status)
          SELECT ${busy.id}, gen_random_uuid()::text, 'resource_operation.created', '{}'::jsonb, 'delivered' FROM generate_series(1, 200)
          RETURNING id)
        INSERT INTO webhook_attempts (delivery_id, webhook_id, attempt, status_code, error, duration_ms, created_at)
        SELECT id, ${busy.id}, 1, CASE WHEN n = 1 THEN 500 ELSE 200 END, CASE WHEN n = 1 THEN 'endpoint answered 500' END, 50,
               now() - CASE WHEN n = 1 THEN interval '12 hours' ELSE interval '1 hour' END
          FROM (SELECT id, row_number() OVER () AS n FROM d) x`);
      const b = (await call(t, 'GET', `${HOOKS}/${busy.id}/metrics`, { token: who.token })).body;
      assert.deepEqual(b.message_count, { '6h': 199, '24h': 200, '7d': 200, '14d': 200 });
      assert.deepEqual(b.success_rate, { '6h': null, '24h': 99, '7d': 99, '14d': 99 });
    });

    test('logs: one entry per attempt with Catena\'s fields, filtered by start_date, end_date and status', async () => {
      const who = await newPartner(t);
      const w = await create(who, { url: 'http://127.0.0.1:9/l', event_name: 'resource_operation.created' });
      const d = await enqueue(w.id);
      const [{ message_id: messageId }] = await q<{ message_id: string }>(sql`SELECT message_id FROM webhook_deliveries WHERE id = ${d}`) as [{ message_id: string }];
      const at = (iso: string, n: number, code: number | null, error: string | null) =>
        q(sql`INSERT INTO webhook_attempts (delivery_id, webhook_id, attempt, status_code, error, duration_ms, created_at)
              VALUES (${d}, ${w.id}, ${n}, ${code}, ${error}, 10, ${iso}::timestamptz)`);
      await at('2026-01-01T10:00:00Z', 1, null, 'no answer within 3000 ms');
      await at('2026-01-01T11:00:00Z', 2, 503, 'endpoint answered 503');
      await at('2026-01-01T12:00:00Z', 3, 202, null);
      const logs = async (query = '') => (await call(t, 'GET', `${HOOKS}/${w.id}/logs${query}`, { token: who.token })).body.items as any[];
      const all = await logs();
      assert.equal(all.length, 3);
      for (const l of all) assert.equal(WebhookLogRead.safeParse(l).success, true, JSON.stringify(l));
      assert.deepEqual(
        all.map((l) => [l.attempt, l.status, l.status_code, l.error_message, l.message_id, l.event_name, l.webhook_id, l.response_time_ms]),
        [
          [1, 'failed', 0, 'no answer within 3000 ms', messageId, 'resource_operation.created', w.id, 10],
          [2, 'failed', 503, 'endpoint answered 503', messageId, 'resource_operation.created', w.id, 10],
          [3, 'success', 202, null, messageId, 'resource_operation.created', w.id, 10],
        ],
      );
      assert.deepEqual((await logs('?status=success')).map((l) => l.attempt), [3]);
      assert.deepEqual((await logs('?status=failed')).map((l) => l.attempt), [1, 2]);
      assert.deepEqual((await logs('?start_date=2026-01-01T10:30:00Z')).map((l) => l.attempt), [2, 3]);
      assert.deepEqual((await logs('?end_date=2026-01-01T11:00:00Z')).map((l) => l.attempt), [1, 2]);
      assert.deepEqual((await logs('?start_date=2026-01-01T10:30:00Z&end_date=2026-01-01T11:30:00Z&status=failed')).map((l) => l.attempt), [2]);
      const page = await call(t, 'GET', `${HOOKS}/${w.id}/logs?size=2`, { token: who.token });
      assert.equal(page.body.items.length, 2);
      const next = await call(t, 'GET', `${HOOKS}/${w.id}/logs?size=2&cursor=${page.body.next_page}`, { token: who.token });
      assert.deepEqual(next.body.items.map((l: { attempt: number }) => l.attempt), [3]);
    });
  });
}

describe('migration 0008 (PGlite, from the schema before it)', () => {
  test('events arrays become one subscription per Catena event name, deliveries follow their event, old secrets still unseal', async () => {
    const db = await openDatabase({});
    try {
      await migrate(db, readMigrations().filter((m) => m.name < '0008'));
      const rows = async <R = any>(query: SQL) => ((await db.db.execute(query)) as unknown as { rows: R[] }).rows;
      const sealing = deriveKeys(randomBytes(32).toString('base64')).sealing;
      const [partner] = await rows<{ id: string }>(sql`INSERT INTO partners (name) VALUES ('legacy') RETURNING id`);
      const secret = `whsec_${randomBytes(24).toString('base64')}`;
      const hook = async (events: string[], extra: { status?: string; failures?: number; deleted?: boolean } = {}) => {
        const id = randomUUID();
        await rows(sql`INSERT INTO webhooks (id, partner_id, url, events, secret_sealed, status, consecutive_failures, deleted_at)
          VALUES (${id}, ${partner!.id}, 'https://partner.example/hook', ${`{${events.join(',')}}`}::text[], ${sealWebhookSecret(sealing, id, secret)},
                  ${extra.status ?? 'active'}, ${extra.failures ?? 0}, ${extra.deleted ? sql`now()` : null})`);
        return id;
      };
      const everything = await hook(['resource_operation.created', 'resource_operation.succeeded', 'resource_operation.failed', 'connection.staled', 'connection.activated']);
      const onlyActivated = await hook(['connection.activated']);
      const tripped = await hook(['resource_operation.failed'], { status: 'paused', failures: 12 });
      const gone = await hook(['resource_operation.created'], { deleted: true });
      const msg = (n: number) => `msg_${n.toString(16).padStart(32, '0')}`;
      const delivery = async (webhookId: string, type: string, status: string, n: number) => {
        const [d] = await rows<{ id: string }>(sql`INSERT INTO webhook_deliveries (webhook_id, message_id, event_type, payload, status)
          VALUES (${webhookId}, ${msg(n)}, ${type}, ${JSON.stringify({ type, timestamp: '2026-11-01T00:00:00.000Z', data: { id: `record-${n}` } })}::jsonb, ${status})
          RETURNING id`);
        await rows(sql`INSERT INTO webhook_attempts (delivery_id, attempt, status_code, duration_ms) VALUES (${d!.id}, 1, 500, 10)`);
        return d!.id;
      };
      const waiting = await delivery(everything, 'resource_operation.succeeded', 'pending', 1);
      const dead = await delivery(everything, 'resource_operation.created', 'failed', 2);
      const orphan = await delivery(everything, 'connection.activated', 'pending', 3);
      const sentOrphan = await delivery(everything, 'connection.activated', 'delivered', 4);

      await migrate(db);
      const subs = await rows<any>(sql`SELECT * FROM webhooks WHERE partner_id = ${partner!.id} ORDER BY event_name`);
      const family = subs.filter((w) => w.id === everything || w.secret_seal_id === everything);
      assert.deepEqual(family.map((w) => w.event_name).sort(), ['connection.staled', 'resource_operation.created', 'resource_operation.failed', 'resource_operation.succeeded']);
      assert.equal(family.find((w) => w.id === everything).event_name, 'resource_operation.created', 'the first event keeps the row');
      for (const w of family) {
        assert.equal(unsealWebhookSecret(sealing, w.secret_seal_id ?? w.id, w.secret_sealed), secret, 'the sealed secret opens for every split row');
        assert.deepEqual([w.signing, w.status, w.url], ['standard_webhooks', 'active', 'https://partner.example/hook']);
      }
      const byId = (id: string) => subs.find((w) => w.id === id);
      assert.deepEqual([byId(onlyActivated).status, byId(onlyActivated).event_name], ['deleted', 'connection.*']);
      assert.ok(byId(onlyActivated).deleted_at);
      assert.deepEqual([byId(tripped).status, byId(tripped).event_name], ['stale', 'resource_operation.failed']);
      assert.match(byId(tripped).stale_reason, /12 failed deliveries in a row/);
      assert.equal(byId(gone).status, 'deleted');

      const [w] = await rows<any>(sql`SELECT d.*, a.webhook_id AS attempt_webhook FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id WHERE d.id = ${waiting}`);
      const succeededSub = family.find((s) => s.event_name === 'resource_operation.succeeded');
      assert.equal(w.webhook_id, succeededSub.id, 'the delivery follows its event to its subscription');
      assert.equal(w.attempt_webhook, succeededSub.id);
      assert.equal(w.message_id, '00000000-0000-0000-0000-000000000001');
      assert.deepEqual(w.payload, { version: '1.0', event_name: 'resource_operation.succeeded', data: [{ id: 'record-1' }], timestamp: '2026-11-01T00:00:00.000Z' });
      assert.equal(w.status, 'pending');
      const [d] = await rows<any>(sql`SELECT * FROM webhook_deliveries WHERE id = ${dead}`);
      assert.deepEqual([d.webhook_id, d.status, d.dead_lettered_at !== null], [everything, 'failed', true], 'failed for good: the dead-letter queue');
      // connection.activated is no Catena event: its deliveries, pending or sent, and their attempts are gone
      // (a log naming it could not be answered in Catena's WebhookLogRead).
      const left = await rows<any>(sql`SELECT id FROM webhook_deliveries WHERE id IN (${orphan}, ${sentOrphan})`);
      assert.deepEqual(left, []);
      const attemptsLeft = await rows<any>(sql`SELECT id FROM webhook_attempts WHERE delivery_id IN (${orphan}, ${sentOrphan})`);
      assert.deepEqual(attemptsLeft, []);
    } finally {
      await db.close();
    }
  });
});
