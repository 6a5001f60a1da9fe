// `fleetgate openapi`: the document is a property of the routes and schemas, not of any data, so it
// is built without opening a database.
import type { EngineEventMap } from '../engine/events.ts';
import { TypedEmitter } from '../platform/events.ts';
import { parseConfig } from '../platform/config.ts';
import type { Database } from '../db/client.ts';
import { deriveKeys } from '../platform/keys.ts';
import { buildApp } from '../http/app.ts';
import type { AppOptions } from '../http/app.ts';
import { createLogger, systemClock } from '../platform/services.ts';
import type { Services } from '../platform/services.ts';

const noDatabase = new Proxy({} as Database, {
  get(_t, prop) {
    if (prop === 'kind') return 'pglite';
    throw new Error('this command opens no database');
  },
});

export async function buildOpenApiDocument(opts: AppOptions = {}): Promise<Record<string, unknown>> {
  const services: Services = {
    config: parseConfig({}),
    database: noDatabase,
    keys: deriveKeys(Buffer.alloc(32).toString('base64')),
    logger: createLogger('silent'),
    clock: systemClock,
    events: new TypedEmitter<EngineEventMap>(),
    selfUrl: 'http://127.0.0.1:8080',
    lock: undefined,
    close: async () => {},
  };
  const app = await buildApp(services, opts);
  await app.ready();
  const doc = app.swagger() as unknown as Record<string, unknown>;
  await app.close();
  return doc;
}

export async function printOpenApi(opts: AppOptions = {}): Promise<void> {
  process.stdout.write(`${JSON.stringify(await buildOpenApiDocument(opts), null, 2)}\n`);
}
