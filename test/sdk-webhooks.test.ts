// @fleetgate/client's webhook verification, both schemes: first against signatures made the way each
// scheme's documentation says (Catena's formula by hand; Standard Webhooks by its own library), every
// refusal included; then live, against deliveries a running fleetgate sends to a receiver written as a
// partner would write it with the client (raw body in, verify, hand the event to waitForOperation).
import assert from 'node:assert/strict';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { startWorker } from '../src/worker/worker.ts';
import type { Worker } from '../src/worker/worker.ts';
import { MAX_UNPACKED_BYTES, OperationWaiters, WebhookVerificationError, createFleetgateClient, ok, verifyWebhook } from '../sdk/src/index.ts';
import type { FleetgateClient, SigningScheme } from '../sdk/src/index.ts';
import type { TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import { until } from './helpers/receiver.ts';

const envelope = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ version: '1.0', event_name: 'resource_operation.succeeded', data: [{ id: randomUUID() }], webhook_id: randomUUID(), id: randomUUID(), timestamp: new Date().toISOString(), delivery_attempt: 1, ...extra });
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof WebhookVerificationError, String(e));
    return e.message;
  }
  assert.fail('accepted');
};

describe('sdk: verifying a catena-signed delivery', () => {
  const secret = randomBytes(24).toString('base64url');
  // Catena's docs: base64(HMAC-SHA256(secret, X-Catena-Timestamp + "." + uncompressed payload)).
  const sign = (timestamp: string, body: string, key = secret) => createHmac('sha256', key).update(`${timestamp}.${body}`).digest('base64');
  const at = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
  const now = Date.now();
  const body = envelope();
  const headers = (timestamp = at(now), signature = sign(timestamp, body)) => ({ 'X-Catena-Signature': signature, 'X-Catena-Timestamp': timestamp });

  test('accepts it and answers the envelope, from text, gzip bytes or a Fetch Headers', () => {
    const e = verifyWebhook({ scheme: 'catena', secret, headers: headers(), body });
    assert.equal(e.event_name, 'resource_operation.succeeded');
    assert.equal(verifyWebhook({ scheme: 'catena', secret, headers: headers(), body: gzipSync(body) }).id, e.id);
    assert.equal(verifyWebhook({ scheme: 'catena', secret, headers: new Headers(headers()), body: Buffer.from(body) }).id, e.id);
  });

  test('a gzip body that unpacks past the bound is refused before anything else is read (a gzip bomb)', () => {
    const bomb = gzipSync(Buffer.alloc(MAX_UNPACKED_BYTES + 1, 0x20));
    assert.ok(bomb.length < 100_000, `the bomb is small: ${bomb.length} bytes`);
    assert.match(refusal(() => verifyWebhook({ scheme: 'catena', secret, headers: headers(), body: bomb })), /gzip body unreadable or over/);
  });

  test('refuses a changed body, another secret, a missing header, an unreadable or distant timestamp', () => {
    assert.match(refusal(() => verifyWebhook({ scheme: 'catena', secret, headers: headers(), body: body.replace('1.0', '1.1') })), /does not match/);
    assert.match(refusal(() => verifyWebhook({ scheme: 'catena', secret: `${secret}x`, headers: headers(), body })), /does not match/);
    assert.match(refusal(() => verifyWebhook({ scheme: 'catena', secret, headers: { 'x-catena-timestamp': at(now) }, body })), /missing/);
    // The signature is right for the text, but a time without a zone means nothing.
    const bare = at(now).replace('+00:00', '');
    assert.match(refusal(() => verifyWebhook({ scheme: 'catena', secret, headers: headers(bare), body })), /unreadable/);
    const sixMinutes = 6 * 60_000;
    assert.match(refusal(() => verifyWebhook({ scheme: 'catena', secret, headers: headers(at(now - sixMinutes)), body })), /tolerance/);
    assert.match(refusal(() => verifyWebhook({ scheme: 'catena', secret, headers: headers(at(now + sixMinutes)), body })), /tolerance/);
    // Within a tolerance the receiver chose.
    assert.ok(verifyWebhook({ scheme: 'catena', secret, headers: headers(at(now - sixMinutes)), body, toleranceSeconds: 600 }));
  });

  test('refuses a signed body that is not an envelope', () => {
    const text = 'not json';
    const timestamp = at(now);
    assert.match(refusal(() => verifyWebhook({ scheme: 'catena', secret, headers: headers(timestamp, sign(timestamp, text)), body: text })), /not JSON/);
  });
});

describe('sdk: verifying a standard_webhooks-signed delivery', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const library = new StandardWebhook(secret);
  const body = envelope();
  const signed = (at = new Date(), id = `msg_${randomUUID()}`) => ({
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': library.sign(id, at, body),
  });

  test("accepts what the scheme's own library signs, also beside a rotated-out signature", () => {
    const h = signed();
    assert.equal(verifyWebhook({ scheme: 'standard_webhooks', secret, headers: h, body }).event_name, 'resource_operation.succeeded');
    const rotating = { ...h, 'webhook-signature': `v1,${randomBytes(32).toString('base64')} ${h['webhook-signature']}` };
    assert.ok(verifyWebhook({ scheme: 'standard_webhooks', secret, headers: rotating, body }));
  });

  test('refuses a changed body, another id, another secret, another version, a distant timestamp', () => {
    const h = signed();
    assert.match(refusal(() => verifyWebhook({ scheme: 'standard_webhooks', secret, headers: h, body: `${body} ` })), /no signature/);
    assert.match(refusal(() => verifyWebhook({ scheme: 'standard_webhooks', secret, headers: { ...h, 'webhook-id': 'msg_other' }, body })), /no signature/);
    const other = `whsec_${randomBytes(24).toString('base64')}`;
    assert.match(refusal(() => verifyWebhook({ scheme: 'standard_webhooks', secret: other, headers: h, body })), /no signature/);
    assert.match(refusal(() => verifyWebhook({ scheme: 'standard_webhooks', secret, headers: { ...h, 'webhook-signature': h['webhook-signature'].replace('v1,', 'v2,') }, body })), /no signature/);
    assert.match(refusal(() => verifyWebhook({ scheme: 'standard_webhooks', secret, headers: signed(new Date(Date.now() - 10 * 60_000)), body })), /tolerance/);
    assert.match(refusal(() => verifyWebhook({ scheme: 'standard_webhooks', secret, headers: { ...h, 'webhook-timestamp': 'soon' }, body })), /unreadable/);
  });

  test("a delivery is checked by the scheme the receiver names, not the one its headers suggest", () => {
    assert.match(refusal(() => verifyWebhook({ scheme: 'catena', secret, headers: signed(), body })), /missing/);
  });
});

describe('sdk: which events end a wait', () => {
  test("an operation's succeeded or failed event wakes its waiters; created, another operation's, or a pending record do not", () => {
    const waiters = new OperationWaiters();
    const woken: string[] = [];
    const id = randomUUID();
    const stop = waiters.subscribe(id, (op) => woken.push(op.status));
    assert.equal(waiters.deliver({ event_name: 'resource_operation.created', data: [{ id, status: 'pending' }] }), false);
    assert.equal(waiters.deliver({ event_name: 'resource_operation.succeeded', data: [{ id: randomUUID(), status: 'success' }] }), false);
    assert.equal(waiters.deliver({ event_name: 'resource_operation.failed', data: [{ id, status: 'pending' }] }), false);
    assert.equal(waiters.deliver({ event_name: 'resource_operation.failed', data: [{ id, status: 'failed' }] }), true);
    stop();
    assert.equal(waiters.deliver({ event_name: 'resource_operation.succeeded', data: [{ id, status: 'success' }] }), false, 'no longer waiting');
    assert.deepEqual(woken, ['failed']);
  });
});

interface Delivery {
  scheme: SigningScheme;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  verified: boolean;
}

for (const kind of testDbKinds()) {
  describe(`sdk: deliveries from a running fleetgate, verified by the client (${kind})`, () => {
    let t: TestApp;
    let worker: Worker;
    let server: http.Server;
    let fg: FleetgateClient;
    const secrets: Partial<Record<SigningScheme, string>> = {};
    const deliveries: Delivery[] = [];

    before(async () => {
      t = await startTestApp(kind, { env: { FLEETGATE_RETRY_BASE_MS: '100' } });
      worker = startWorker(t.services, { pollMs: 25 });
      const partner = await newPartner(t);
      fg = createFleetgateClient({ baseUrl: t.url, clientId: partner.clientId, clientSecret: partner.clientSecret });
      // The partner's receiver: the raw body as it arrived (Catena's gzip too), verified with the
      // subscription's scheme and secret, then handed to the client (which ends waits on the operation).
      server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const scheme: SigningScheme = req.url === '/catena' ? 'catena' : 'standard_webhooks';
          const raw = Buffer.concat(chunks);
          let verified = false;
          try {
            fg.handleWebhook({ scheme, secret: secrets[scheme]!, headers: req.headers, body: raw });
            verified = true;
          } catch (e) {
            if (!(e instanceof WebhookVerificationError)) throw e;
          }
          deliveries.push({ scheme, headers: req.headers, raw, verified });
          res.writeHead(verified ? 204 : 401).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as { port: number }).port;
      for (const scheme of ['catena', 'standard_webhooks'] as const) {
        const created = await ok(
          fg.api.POST('/v2/notifications/webhooks', {
            body: { url: `http://127.0.0.1:${port}/${scheme === 'catena' ? 'catena' : 'standard'}`, event_name: 'resource_operation.succeeded', signing: scheme },
          }),
        );
        const hook = Array.isArray(created) ? created[0]! : created;
        secrets[scheme] = hook.secret ?? undefined;
      }
      assert.ok(secrets.catena && secrets.standard_webhooks?.startsWith('whsec_'), 'both secrets shown at create');
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    });

    test('both deliveries of an operation verify, and the event ends waitForOperation without another poll', async () => {
      // The TSP answers after 300 ms, so the first poll finds the write pending; the next poll would be a
      // minute later, so only the webhook can end the wait within the test.
      const account = await call(t, 'POST', '/sandbox/motive/_sandbox/accounts');
      const headers = { 'x-api-key': account.body.api_key as string };
      await call(t, 'PUT', '/sandbox/motive/_sandbox/settings', { headers, json: { latency_ms: 300 } });
      const connection = await ok(fg.api.POST('/v2/integrations/connections', { body: { tsp: 'motive', sandbox: true, credentials: { api_key: headers['x-api-key'] } } }));
      const op = await ok(fg.api.POST('/v2/telematics/users', { body: { connection_id: connection.id, first_name: 'Grace', last_name: 'Hopper', phone_country_code: '+1' } }));
      const started = Date.now();
      const done = await fg.waitForOperation(op, { initialDelayMs: 60_000, maxDelayMs: 60_000, timeoutMs: 30_000 });
      assert.equal(done.status, 'success');
      assert.equal(done.id, op.id);
      assert.ok(Date.now() - started < 20_000, 'ended by the webhook, not by a poll a minute later');

      await until(() => deliveries.filter((d) => d.verified).length >= 2, 10_000, 'both deliveries');
      assert.deepEqual(deliveries.map((d) => [d.scheme, d.verified]).sort(), [['catena', true], ['standard_webhooks', true]]);
      const catena = deliveries.find((d) => d.scheme === 'catena')!;
      assert.equal(catena.headers['content-encoding'], 'gzip', 'verified from the compressed bytes as they came');
      // The standard_webhooks delivery also passes the scheme's own library (the client is no laxer or stricter).
      const standard = deliveries.find((d) => d.scheme === 'standard_webhooks')!;
      assert.ok(new StandardWebhook(secrets.standard_webhooks!).verify(standard.raw.toString('utf8'), standard.headers as Record<string, string>));
    });

    test('a tampered delivery is refused, for each scheme', () => {
      for (const d of deliveries.filter((x) => x.verified)) {
        const text = d.scheme === 'catena' ? gunzipSync(d.raw).toString('utf8') : d.raw.toString('utf8');
        assert.ok(verifyWebhook({ scheme: d.scheme, secret: secrets[d.scheme]!, headers: d.headers, body: text }), 'the untouched body verifies');
        const tampered = text.replace('"Grace"', '"Mallory"');
        assert.notEqual(tampered, text, 'the delivery carries the written user');
        assert.throws(() => verifyWebhook({ scheme: d.scheme, secret: secrets[d.scheme]!, headers: d.headers, body: tampered }), WebhookVerificationError);
        assert.throws(() => verifyWebhook({ scheme: d.scheme, secret: secrets[d.scheme === 'catena' ? 'standard_webhooks' : 'catena']!, headers: d.headers, body: text }), WebhookVerificationError);
      }
    });
  });
}
