// The composition root: builds what every entry point and test needs (database, migrated; keys;
// logger; clock; the event bus). The engine and accounts see only the narrow contexts they declare.
import path from 'node:path';
import pino from 'pino';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from '../db/client.ts';
import { openDatabase } from '../db/client.ts';
import type { DataDirLock } from '../db/lock.ts';
import { acquireLock } from '../db/lock.ts';
import { migrate } from '../db/migrate.ts';
import type { EngineContext } from '../engine/context.ts';
import type { EngineEventMap } from '../engine/events.ts';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import { TypedEmitter } from './events.ts';
import { deriveKeys, loadOrCreateKeyFile } from './keys.ts';

export type { Clock } from './clock.ts';
export { systemClock } from './clock.ts';

export interface Services extends EngineContext {
  /** Held while this process owns the embedded data directory. */
  lock: DataDirLock | undefined;
  close(): Promise<void>;
}

// Credentials and tokens never reach a log line, whatever object carries them.
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  '*.client_secret',
  '*.access_token',
  '*.api_key',
  '*.password',
  '*.credentials',
  'headers.authorization',
];

export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } }, destination);
}

export interface ServiceOptions {
  logger?: Logger;
  clock?: Clock;
  /** An already opened database (tests); otherwise opened from the config. */
  database?: Database;
  /** Skip taking the data-directory lock (only for an in-memory database). */
  noLock?: boolean;
}

export async function createServices(config: Config, opts: ServiceOptions = {}): Promise<Services> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const embedded = !config.databaseUrl;
  // The lock comes first: opening PGlite on a directory another process writes is already harmful.
  const lock = embedded && !opts.database && !opts.noLock ? acquireLock(config.dataDir) : undefined;
  try {
    const keyB64 = config.encryptionKey ?? loadOrCreateKeyFile(config.dataDir);
    const database =
      opts.database ??
      (await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') }));
    const applied = await migrate(database);
    if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
    return {
      config,
      database,
      keys: deriveKeys(keyB64),
      logger,
      clock: opts.clock ?? systemClock,
      events: new TypedEmitter<EngineEventMap>(),
      selfUrl: config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`,
      lock,
      async close() {
        await database.close();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
