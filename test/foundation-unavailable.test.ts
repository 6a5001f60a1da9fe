// A database that stops answering: /readyz and every request that needs the database answer 503 in
// the envelope (never a 500, never a hang).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openDatabase } from '../src/db/client.ts';
import type { Database } from '../src/db/client.ts';
import { deriveKeys } from '../src/platform/keys.ts';
import { buildApp } from '../src/http/app.ts';
import type { EngineEventMap } from '../src/engine/events.ts';
import { TypedEmitter } from '../src/platform/events.ts';
import { createLogger, systemClock } from '../src/platform/services.ts';
import { call, newPartner, startTestApp, testConfig } from './helpers/app.ts';

async function appOn(database: Database) {
  const config = testConfig();
  const services = {
    config,
    database,
    keys: deriveKeys(config.encryptionKey!),
    logger: createLogger('silent'),
    clock: systemClock,
    events: new TypedEmitter<EngineEventMap>(),
    selfUrl: 'http://127.0.0.1:1',
    lock: undefined,
    close: () => database.close(),
  };
  const app = await buildApp(services);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return { app, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

describe('database unavailable', () => {
  test('PGlite closed under a running server: 503 on /readyz and on token requests', async () => {
    const t = await startTestApp('pglite');
    const partner = await newPartner(t);
    await t.database.close();
    const ready = await call(t, 'GET', '/readyz');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.code, 503);
    assert.equal(ready.headers['content-type'], 'application/json; charset=utf-8');
    const token = await call(t, 'POST', '/oauth/token', {
      form: { grant_type: 'client_credentials', client_id: partner.clientId, client_secret: partner.clientSecret },
    });
    assert.equal(token.status, 503);
    // The token endpoint answers in OAuth's shape (RFC 6749 §5.2), its 503 included.
    assert.deepEqual(Object.keys(token.body).sort(), ['error', 'error_description']);
    assert.equal(token.body.error, 'temporarily_unavailable');
    assert.equal(token.headers['retry-after'], '5');
    assert.equal(token.headers['content-type'], 'application/json; charset=utf-8');
    const list = await call(t, 'GET', '/v2/integrations/connections', { token: partner.token });
    assert.equal(list.status, 503);
    assert.equal(list.body.code, 503);
    assert.equal(list.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal((await call(t, 'GET', '/healthz')).status, 200, 'liveness does not depend on the database');
    await t.app.close();
  });

  test('PostgreSQL unreachable: 503 on /readyz and on token requests', async () => {
    // Port 1 on loopback: nothing listens, connections are refused at once.
    const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', poolSize: 2 });
    const { app, url } = await appOn(database);
    try {
      const ready = await call({ url }, 'GET', '/readyz');
      assert.equal(ready.status, 503);
      const token = await call({ url }, 'POST', '/oauth/token', {
        form: { grant_type: 'client_credentials', client_id: 'fgc_x', client_secret: 'y' },
      });
      assert.equal(token.status, 503);
      assert.equal(token.body.error_description, 'The database is unavailable; try again shortly');
    } finally {
      await app.close();
      await database.close();
    }
  });

  test('PostgreSQL: transactions whose BEGIN fails give their connection back (the pool never runs dry)', { skip: !process.env.TEST_DATABASE_URL && 'needs PostgreSQL', timeout: 20_000 }, async () => {
    const database = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL, poolSize: 2 });
    try {
      // An isolation level PostgreSQL does not know makes BEGIN itself fail, like a connection
      // terminated between checkout and BEGIN does.
      const bogus = { isolationLevel: 'no such level' } as unknown as Parameters<typeof database.db.transaction>[1];
      for (let i = 0; i < 4; i++) {
        await assert.rejects(database.db.transaction(async () => 1, bogus));
      }
      // With both connections leaked this would wait for the pool's 5 s timeout and fail.
      const started = Date.now();
      assert.equal(await database.db.transaction(async () => 42), 42);
      assert.ok(Date.now() - started < 2000);
    } finally {
      await database.close();
    }
  });
});
