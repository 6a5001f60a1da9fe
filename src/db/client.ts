// Opens the database: embedded PGlite under the data directory, or PostgreSQL through a pg pool.
// Both are driven through Drizzle's pg-core API, so the rest of the code has one Db type.
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import type { DataRowMessage, ParameterDescriptionMessage, RowDescriptionMessage } from 'pg-protocol/dist/messages.js';
import { isDatabaseUnavailable } from './errors.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = 'pglite' | 'postgres';

export type SessionQuery = (text: string) => Promise<Array<Record<string, unknown>>>;

export interface Database {
  kind: DbKind;
  db: Db;
  /** Runs raw SQL text (several statements, no parameters): used by the migration runner. */
  exec(sqlText: string): Promise<void>;
  /**
   * One parameterised statement as text, bypassing the query builder: the hot path's few statements
   * (submit, claim, completion), where building the query cost more than running it. `name` prepares it
   * once per PostgreSQL connection, and once on PGlite (parse and plan are skipped from then on).
   */
  query<T = Record<string, unknown>>(text: string, params: unknown[], name?: string): Promise<T[]>;
  /**
   * Runs `fn` on one dedicated connection (advisory locks are per session in PostgreSQL). `query` takes
   * SQL text without parameters, possibly several statements, and returns the rows of the last one.
   */
  withSession<T>(fn: (query: SessionQuery) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for every NOTIFY on `channel` from any process, until the returned stop is called.
   * PostgreSQL: one dedicated connection (not from the pool), re-opened after a failure. PGlite: in-process.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** NOTIFY `channel` (outside any transaction: listeners hear it at once). */
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a tarball (tests keep a migrated template). */
  dumpDataDir?(): Promise<Blob>;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite directory; undefined means in memory (tests). */
  pgliteDir?: string;
  /** A PGlite data-dir tarball to start from (tests load a migrated template instead of migrating). */
  pgliteLoadDataDir?: Blob | File;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts.pgliteDir, opts.pgliteLoadDataDir);
}

async function openPglite(dir: string | undefined, loadDataDir?: Blob | File): Promise<Database> {
  if (dir) fs.mkdirSync(path.dirname(dir), { recursive: true });
  // Loaded only when used: importing PGlite costs a server on PostgreSQL ~40 MiB of memory for nothing.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite')]);
  const client = await PGlite.create({ dataDir: dir, loadDataDir });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  const prepared = new Map<string, PreparedStatement>();
  return {
    kind: 'pglite',
    db,
    exec: async (text) => {
      await client.exec(text);
    },
    // PGlite's own mutex orders this after any transaction in flight, as for Drizzle's queries.
    query: async <T>(text: string, params: unknown[], name?: string) =>
      name ? preparedPgliteQuery<T>(client, prepared, text, params, name) : (await client.query<T>(text, params)).rows,
    // PGlite is one connection already; its own queue serializes callers.
    withSession: (fn) =>
      fn(async (text) => {
        const results = await client.exec(text);
        return (results.at(-1)?.rows ?? []) as Array<Record<string, unknown>>;
      }),
    listen: async (channel, onNotify) => client.listen(channel, onNotify),
    notify: async (channel, payload) => {
      await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    close: () => client.close(),
    dumpDataDir: async () => client.dumpDataDir('none'),
  };
}

interface PreparedStatement {
  text: string;
  paramTypes: number[];
  fields: Array<{ name: string; dataTypeID: number }>;
}

/**
 * A named statement on PGlite: parsed and planned once (Parse + Describe), then each call is Bind +
 * Execute + Sync in one call into PGlite. PGlite's query() parses, plans and describes the statement on
 * every call, in six calls into it: for the submit statement that was 0.94 ms of the server's thread per
 * call, against 0.07 ms prepared (docs/benchmarks.md). Parameters and columns go through PGlite's own
 * serializers and parsers, as query() has them, under the same locks (after any transaction in flight).
 */
async function preparedPgliteQuery<T>(client: PGlite, prepared: Map<string, PreparedStatement>, text: string, params: unknown[], name: string): Promise<T[]> {
  await client._checkReady();
  return client._runExclusiveTransaction(() =>
    client._runExclusiveQuery(async () => {
      let statement = prepared.get(name);
      if (statement && statement.text !== text) throw new Error(`prepared statement ${name} is already another statement`);
      if (!statement) {
        const described = await client.execProtocol(frame(serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()));
        const parameters = described.messages.find((m): m is ParameterDescriptionMessage => m.name === 'parameterDescription');
        const row = described.messages.find((m): m is RowDescriptionMessage => m.name === 'rowDescription');
        statement = { text, paramTypes: parameters?.dataTypeIDs ?? [], fields: row?.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) ?? [] };
        prepared.set(name, statement);
      }
      const types = statement.paramTypes;
      const values = params.map((v, i) => (v === null || v === undefined ? null : (client.serializers[types[i]!]?.(v) ?? String(v))));
      const result = await client.execProtocol(frame(serialize.bind({ statement: name, values }), serialize.execute({}), serialize.sync()));
      const fields = statement.fields;
      const rows: T[] = [];
      for (const m of result.messages) {
        if (m.name !== 'dataRow') continue;
        const cells = (m as DataRowMessage).fields;
        const row: Record<string, unknown> = {};
        for (let i = 0; i < fields.length; i++) {
          const cell = cells[i];
          const parse = client.parsers[fields[i]!.dataTypeID];
          row[fields[i]!.name] = cell === null || cell === undefined ? null : parse ? parse(cell, fields[i]!.dataTypeID) : cell;
        }
        rows.push(row as T);
      }
      return rows;
    }),
  );
}

const frame = (...messages: Buffer[]) => new Uint8Array(Buffer.concat(messages));

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    // A statement stuck behind a lock should not hold a request forever.
    statement_timeout: 30_000,
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  // Nor one checked out between two statements (inside a transaction or a session): pg emits the
  // server's "terminating connection" on the client itself, with no listener while it is checked out.
  // The client is then unqueryable: its next query rejects (a 503) and the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  // Drizzle's pool transaction sends BEGIN before its try/finally, so a BEGIN that fails (the server
  // just terminated that connection) never releases the client: a handful of those exhaust the pool
  // and every later request waits for a connection that never comes. Transactions therefore run on a
  // client checked out here and always released here (with the error, so a broken one is discarded).
  const perClient = new WeakMap<pg.PoolClient, Db>();
  db.transaction = (async (fn: Parameters<Db['transaction']>[0], config?: Parameters<Db['transaction']>[1]) => {
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      let onClient = perClient.get(client);
      if (!onClient) {
        onClient = drizzlePg({ client, schema }) as unknown as Db;
        perClient.set(client, onClient);
      }
      return await onClient.transaction(fn, config);
    } catch (err) {
      failure = err as Error;
      throw err;
    } finally {
      client.release(failure && isDatabaseUnavailable(failure) ? failure : undefined);
    }
  }) as Db['transaction'];
  return {
    kind: 'postgres',
    db,
    exec: async (text) => {
      await pool.query(text);
    },
    query: async <T>(text: string, params: unknown[], name?: string) =>
      (await pool.query({ text, values: params, ...(name && { name }) })).rows as T[],
    withSession: async (fn) => {
      const client = await pool.connect();
      try {
        return await fn(async (text) => {
          // Several statements in one text answer an array of results, one statement a single result.
          const res = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
          const last = Array.isArray(res) ? res.at(-1) : res;
          return (last?.rows ?? []) as Array<Record<string, unknown>>;
        });
      } finally {
        client.release();
      }
    },
    listen: (channel, onNotify) => listenPostgres(url, channel, onNotify),
    notify: async (channel, payload) => {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    close: () => pool.end(),
  };
}

const LISTEN_RETRY_MS = 1_000;

/**
 * LISTEN on a connection of its own. A lost connection (a server restart) is re-opened after a second;
 * notifications sent meanwhile are missed, which costs a poll interval, never work: NOTIFY only wakes.
 */
async function listenPostgres(url: string, channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    const reconnect = () => {
      if (client !== c) return;
      client = undefined;
      c.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void connect(), LISTEN_RETRY_MS);
    };
    c.on('error', reconnect);
    c.on('end', reconnect);
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify(n.payload ?? '');
    });
    client = c;
    try {
      await c.connect();
      await c.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch {
      reconnect();
    }
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const c = client;
    client = undefined;
    await c?.end().catch(() => {});
  };
}
