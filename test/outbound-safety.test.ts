// What fleetgate does with partner-chosen URLs (a connection's base_url, a webhook endpoint) at the
// moment it calls them: answers are read up to a cap, never to the end of an endless body; and the
// address actually connected to is checked, so a name that resolves to loopback, private or link-local
// addresses is refused even when it was saved while that was allowed (or DNS re-pointed it since).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { Agent, request } from 'undici';
import { MAX_WEBHOOK_RESPONSE_BYTES, claimDeliveries, deliver } from '../src/engine/outbox/index.ts';
import { PrivateAddressError, guardedConnector, guardedLookup } from '../src/platform/urls.ts';
import { MAX_TSP_RESPONSE_BYTES, toAttempt, tspRequest } from '../src/tsps/kit/http.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { testDbKinds } from './helpers/db.ts';
import { motiveConnection } from './helpers/motive.ts';
import { startReceiver } from './helpers/receiver.ts';

const MiB = 1024 * 1024;

/**
 * A server whose answers never end (or end after `declared` bytes it claims up front): it writes
 * 64 KiB chunks until the client closes the connection, and counts what it wrote.
 */
async function endlessServer(opts: { status?: number; declared?: number; small?: (req: http.IncomingMessage) => boolean } = {}) {
  const stats = { written: 0, closed: 0, requests: 0 };
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const server = http.createServer((req, res) => {
    stats.requests += 1;
    req.resume();
    if (opts.small?.(req)) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"users":[]}');
      return;
    }
    res.writeHead(opts.status ?? 200, { 'content-type': 'application/json', ...(opts.declared && { 'content-length': String(opts.declared) }) });
    res.write('{"user":{"id":1,"note":"');
    let done = false;
    res.on('close', () => {
      done = true;
      stats.closed += 1;
    });
    const pump = () => {
      // Stops at 256 MiB whatever happens, so a client that reads forever fails the test instead of the machine.
      while (!done && stats.written < 256 * MiB) {
        stats.written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!done) res.end('"}}');
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const until = async (check: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
};

describe('TSP answers are read up to 1 MiB', () => {
  test('an endless answer stops the read at the cap: an unknown outcome, the status kept, an excerpt in the details', async () => {
    const srv = await endlessServer();
    try {
      const started = Date.now();
      const result = await tspRequest({ method: 'POST', url: `${srv.url}/v1/users`, headers: {}, body: {}, timeoutMs: 10_000 });
      assert.equal(result.kind, 'failure');
      const attempt = toAttempt(result, () => undefined);
      assert.equal(attempt.ok, false);
      assert.equal(attempt.errorType, 'unknown');
      assert.equal(attempt.statusCode, 200);
      assert.equal(attempt.headers['content-type'], 'application/json');
      assert.match(attempt.errorDetails ?? '', /^the answer \(HTTP 200\) is larger than 1 MiB; fleetgate stopped reading it\. It began: \{"user":\{"id":1,"note":"x+…$/);
      assert.ok((attempt.errorDetails ?? '').length < 700, 'the excerpt is short');
      assert.ok(Date.now() - started < 5_000, 'well before the deadline');
      // fleetgate closed the connection instead of draining it.
      await until(() => srv.stats.closed === 1);
      assert.equal(srv.stats.closed, 1);
      assert.ok(srv.stats.written < 32 * MiB, `${srv.stats.written} bytes written before the close`);
    } finally {
      await srv.close();
    }
  });

  test('a declared Content-Length over the cap is refused after its first bytes', async () => {
    const srv = await endlessServer({ status: 500, declared: 50 * MiB });
    try {
      const result = await tspRequest({ method: 'GET', url: srv.url, headers: {}, timeoutMs: 10_000 });
      assert.deepEqual([result.kind, result.kind === 'failure' && result.errorType, result.kind === 'failure' && result.statusCode], ['failure', 'unknown', 500]);
      await until(() => srv.stats.closed === 1);
      assert.ok(srv.stats.written < 16 * MiB, `${srv.stats.written} bytes written before the close`);
    } finally {
      await srv.close();
    }
  });

  test('an answer of exactly the cap is read whole', async () => {
    const body = `{"pad":"${'y'.repeat(MAX_TSP_RESPONSE_BYTES - 10)}"}`;
    assert.equal(Buffer.byteLength(body), MAX_TSP_RESPONSE_BYTES);
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const result = await tspRequest({ method: 'GET', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, headers: {}, timeoutMs: 10_000 });
      assert.equal(result.kind, 'response');
      assert.equal(result.kind === 'response' && result.bodyText.length, MAX_TSP_RESPONSE_BYTES);
      assert.equal(result.kind === 'response' && (result.json as { pad: string }).pad.length, MAX_TSP_RESPONSE_BYTES - 10);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('the address guard checks the address connected to', () => {
  const refusedBy = async (agent: Agent, url: string) => {
    const err = await request(url, { dispatcher: agent }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof PrivateAddressError, `refused: ${String(err)}`);
    return err.message;
  };

  test('loopback by name and by address literal is refused before a request is sent', async () => {
    const srv = await endlessServer();
    const agent = new Agent({ connect: guardedConnector() });
    try {
      assert.match(await refusedBy(agent, `http://localhost:${srv.port}/`), /^refused to connect to localhost \((127\.0\.0\.1|::1)\): a loopback, private or link-local address; an operator can allow these with FLEETGATE_ALLOW_PRIVATE_URLS=true$/);
      assert.match(await refusedBy(agent, `http://127.0.0.1:${srv.port}/`), /^refused to connect to 127\.0\.0\.1: /);
      assert.match(await refusedBy(agent, `http://[::1]:${srv.port}/`), /^refused to connect to ::1: /);
      assert.equal(srv.stats.requests, 0);
    } finally {
      await agent.close();
      await srv.close();
    }
  });

  test('a name with any internal address among its addresses is refused; a public one resolves as asked', async () => {
    const fake = (addresses: string[]) =>
      guardedLookup((_host, _opts, cb) => cb(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))));
    const ask = (lookup: ReturnType<typeof guardedLookup>, all: boolean) =>
      new Promise<{ err: Error | null; address: unknown; family?: number }>((resolve) =>
        lookup('rebind.example', { all }, (err, address, family) => resolve({ err, address, family })),
      );
    const mixed = await ask(fake(['203.0.113.7', '169.254.169.254']), false);
    assert.ok(mixed.err instanceof PrivateAddressError);
    assert.match(mixed.err.message, /rebind\.example \(169\.254\.169\.254\)/);
    assert.ok((await ask(fake(['fd00::1']), true)).err instanceof PrivateAddressError);
    assert.deepEqual(await ask(fake(['203.0.113.7']), false), { err: null, address: '203.0.113.7', family: 4 });
    assert.deepEqual(await ask(fake(['203.0.113.7', '2001:db8::1']), true), {
      err: null,
      address: [
        { address: '203.0.113.7', family: 4 },
        { address: '2001:db8::1', family: 6 },
      ],
      family: undefined,
    });
  });
});

for (const kind of testDbKinds()) {
  describe(`partner-chosen URLs at call time (${kind})`, () => {
    let t: TestApp;
    let p: Partner;
    before(async () => {
      // Saved while allowed (as the test helper's config does); each test turns the setting off before calling.
      t = await startTestApp(kind, { env: { FLEETGATE_SYNC_TIMEOUT_MS: '10000' } });
      p = await newPartner(t);
    });
    after(async () => {
      await t?.close();
    });
    const allowPrivate = (allowed: boolean) => {
      t.services.config.allowPrivateUrls = allowed;
    };
    const rows = async (query: ReturnType<typeof sql>) => ((await t.services.database.db.execute(query)) as unknown as { rows: any[] }).rows;
    const syncWrite = async (connectionId: string) => {
      const res = await call(t, 'POST', '/v2/telematics/users?is_sync=true', {
        token: p.token,
        json: { connection_id: connectionId, first_name: 'Out', last_name: `Bound-${randomUUID().slice(0, 8)}`, phone_country_code: '+1' },
      });
      const op = await call(t, 'GET', `/v2/integrations/connections/${connectionId}/resource-operations/${res.body.id}`, { token: p.token });
      assert.equal(op.status, 200, op.text);
      return op.body;
    };

    test('a TSP answer over 1 MiB fails the attempt with a clear error_details', async () => {
      allowPrivate(true);
      // Credentials verify with a small answer; the write gets an endless one.
      const srv = await endlessServer({ small: (req) => req.method === 'GET' });
      try {
        const conn = await call(t, 'POST', '/v2/integrations/connections', {
          token: p.token,
          json: { tsp: 'motive', base_url: srv.url, credentials: { api_key: 'k' } },
        });
        assert.equal(conn.status, 200, conn.text);
        const op = await syncWrite(conn.body.id);
        assert.equal(op.status, 'failed');
        assert.equal(op.logs.length, 1);
        assert.equal(op.logs[0].response_status_code, 200);
        assert.equal(op.logs[0].error_class, 'unknown');
        assert.match(op.logs[0].error_details, /larger than 1 MiB; fleetgate stopped reading it\. It began: \{"user"/);
        assert.ok(srv.stats.written < 32 * MiB);
      } finally {
        await srv.close();
      }
    });

    test('a base_url saved while private addresses were allowed is refused when called, not connected to', async () => {
      allowPrivate(true);
      const port = new URL(t.url).port;
      const m = await motiveConnection(t, p);
      const conn = await call(t, 'POST', '/v2/integrations/connections', {
        token: p.token,
        json: { tsp: 'motive', base_url: `http://localhost:${port}/sandbox/motive`, credentials: { api_key: m.apiKey } },
      });
      assert.equal(conn.status, 200, conn.text);
      await m.sandbox('DELETE', '/_sandbox/requests');
      allowPrivate(false);
      try {
        const op = await syncWrite(conn.body.id);
        assert.equal(op.status, 'failed');
        assert.equal(op.logs[0].response_status_code, null);
        assert.equal(op.logs[0].error_class, 'validation');
        assert.match(op.logs[0].error_details, /refused to connect to localhost \((127\.0\.0\.1|::1)\): a loopback, private or link-local address; an operator can allow these with FLEETGATE_ALLOW_PRIVATE_URLS=true/);
        assert.deepEqual((await m.sandbox('GET', '/_sandbox/requests')).body.requests, [], 'nothing reached the address');

        // The built-in sandbox is fleetgate's own address, not the partner's: it keeps working.
        const own = await syncWrite(m.connectionId);
        assert.equal(own.status, 'success', JSON.stringify(own.logs));
      } finally {
        allowPrivate(true);
      }
    });

    const deliverAll = async () => {
      const claimed = await claimDeliveries(t.services, 10);
      return Promise.all(claimed.map((d) => deliver(t.services, d)));
    };
    const enqueue = async (webhookId: string) => {
      const [d] = await rows(sql`
        INSERT INTO webhook_deliveries (webhook_id, message_id, event_type, payload)
        VALUES (${webhookId}, ${randomUUID()}, 'resource_operation.created', ${JSON.stringify({ version: '1.0', event_name: 'resource_operation.created', data: [{ id: randomUUID() }] })}::jsonb)
        RETURNING id`);
      return d.id as string;
    };
    const lastAttempt = async (deliveryId: string) =>
      (await rows(sql`SELECT status_code, error FROM webhook_attempts WHERE delivery_id = ${deliveryId} ORDER BY attempt DESC LIMIT 1`))[0];
    const newHook = async (url: string) => {
      const hook = await call(t, 'POST', '/v2/notifications/webhooks', { token: p.token, json: { url, event_name: 'resource_operation.created' } });
      assert.equal(hook.status, 200, hook.text);
      return hook.body.id as string;
    };
    const dropHook = (id: string) => call(t, 'DELETE', `/v2/notifications/webhooks/${id}`, { token: p.token });

    test('a webhook saved while private addresses were allowed is refused when delivered', async () => {
      allowPrivate(true);
      const receiver = await startReceiver();
      const hook = await newHook(receiver.url.replace('127.0.0.1', 'localhost'));
      await rows(sql`DELETE FROM webhook_deliveries WHERE webhook_id = ${hook}`);
      allowPrivate(false);
      try {
        const id = await enqueue(hook);
        assert.deepEqual(await deliverAll(), ['retry']);
        const attempt = await lastAttempt(id);
        assert.equal(attempt.status_code, null);
        assert.match(attempt.error, /^could not connect: refused to connect to localhost \((127\.0\.0\.1|::1)\): a loopback, private or link-local address; an operator can allow these with FLEETGATE_ALLOW_PRIVATE_URLS=true$/);
        assert.equal(receiver.received.length, 0);
      } finally {
        allowPrivate(true);
        await dropHook(hook);
        await receiver.close();
      }
    });

    test('a webhook answer is read up to 64 KiB; a failed one leaves an excerpt in the attempt log', async () => {
      allowPrivate(true);
      const srv = await endlessServer({ status: 500 });
      const hook = await newHook(`${srv.url}/hook`);
      await rows(sql`DELETE FROM webhook_deliveries WHERE webhook_id = ${hook}`);
      try {
        assert.equal(MAX_WEBHOOK_RESPONSE_BYTES, 64 * 1024);
        const id = await enqueue(hook);
        assert.deepEqual(await deliverAll(), ['retry']);
        const attempt = await lastAttempt(id);
        assert.equal(attempt.status_code, 500);
        assert.match(attempt.error, /^endpoint answered 500: \{"user":\{"id":1,"note":"x+… \(answer over 64 KiB, not read further\)$/);
        assert.ok(attempt.error.length < 300);
        await until(() => srv.stats.closed === 1);
        assert.equal(srv.stats.closed, 1);
        assert.ok(srv.stats.written < 32 * MiB, `${srv.stats.written} bytes written before the close`);
      } finally {
        await dropHook(hook);
        await srv.close();
      }
    });
  });
}
