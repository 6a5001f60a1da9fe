// revocation: what the revocation check (accounts/revocations.ts) costs an authenticated request, on
// PGlite and PostgreSQL, in one process. Three ways of answering "is this token revoked?" are timed
// over the same tokens, at several concurrencies (that many callers, each asking again as soon as it has
// its answer):
//   check      isRevoked as the API runs it (PGlite: the in-memory set; PostgreSQL: coalesced look-ups)
//   per-check  one SELECT on the primary key for every check: the plain way, for comparison
//   none       no check at all (what a request cost before revocation existed): the floor
// For each: checks per second, wall µs per check (mean), this process's CPU µs per check, and database
// statements per check. The table holds `--revoked` live revocations; the tokens checked are not among
// them (the common case: a live token). Figures report; nothing fails on time.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import type { Database } from '../src/db/client.ts';
import { isRevoked, revokeToken } from '../src/accounts/revocations.ts';
import type { Flags } from './lib.ts';
import { freshDb, load, log, machine, num, postgresVersion, printTable, str, writeResult } from './lib.ts';

type Row = {
  db: string;
  way: string;
  concurrency: number;
  checks_per_s: number;
  wall_us_per_check: number;
  cpu_us_per_check: number;
  statements_per_check: number;
};

/** The database with every statement counted (the check's look-ups are prepared raw statements, Database.query). */
function counted(database: Database): { database: Database; statements: () => number } {
  let n = 0;
  const db = new Proxy(database.db, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if ((prop !== 'execute' && prop !== 'select') || typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        n++;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const query: Database['query'] = (text, params, name) => {
    n++;
    return database.query(text, params, name);
  };
  return { database: { ...database, db, query } as Database, statements: () => n };
}

async function measure(checks: number, concurrency: number, one: (i: number) => Promise<unknown>, statements: () => number) {
  let next = 0;
  const worker = async () => {
    while (next < checks) await one(next++);
  };
  const s0 = statements();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return {
    checks_per_s: Math.round((checks / ms) * 1000),
    wall_us_per_check: Math.round(((ms * 1000) / checks) * concurrency),
    cpu_us_per_check: Math.round((cpu.user + cpu.system) / checks),
    statements_per_check: Math.round(((statements() - s0) / checks) * 1000) / 1000,
  };
}

export async function run(flags: Flags): Promise<void> {
  const quick = flags.quick === true;
  const o = {
    db: str(flags, 'db', 'pglite,postgres').split(','),
    checks: num(flags, 'checks', quick ? 2_000 : 20_000),
    concurrency: str(flags, 'concurrency', '1,10,50').split(',').map(Number),
    revoked: num(flags, 'revoked', 1_000),
  };
  const startLoad = load();
  const rows: Row[] = [];
  for (const kind of o.db) {
    const bench = await freshDb(kind);
    const raw = await openDatabase(kind === 'postgres' ? { databaseUrl: bench.url } : { pgliteDir: `${bench.dataDir}/pglite` });
    try {
      await migrate(raw);
      const { database, statements } = counted(raw);
      const exp = Date.now() + 3600_000;
      log(`${kind}: ${o.revoked} live revocations`);
      for (let i = 0; i < o.revoked; i++) await revokeToken(raw, { tokenId: `revoked-${i}`, clientId: 'bench', expiresAtMs: exp });
      const tokens = Array.from({ length: 1_000 }, () => ({ tokenId: randomBytes(16).toString('base64url'), expiresAtMs: exp }));
      const ways: Record<string, (i: number) => Promise<unknown>> = {
        check: (i) => isRevoked(database, tokens[i % tokens.length]!),
        'per-check': (i) => database.db.execute(sql`SELECT 1 FROM revoked_tokens WHERE jti = ${tokens[i % tokens.length]!.tokenId}`),
        none: async () => false,
      };
      // Warm up (PGlite: the one load of the live rows; both: JIT, pool connections).
      for (const way of Object.values(ways)) for (let i = 0; i < 2_000; i++) await way(i);
      for (const concurrency of o.concurrency) {
        for (const [way, one] of Object.entries(ways)) {
          const r = await measure(o.checks, concurrency, one, statements);
          rows.push({ db: kind, way, concurrency, ...r });
          log(`${kind} ${way} x${concurrency}: ${JSON.stringify(r)}`);
        }
      }
    } finally {
      await raw.close();
      await bench.drop();
    }
  }
  printTable(`revocation check: ${o.checks} checks per cell, ${o.revoked} live revocations`, rows);
  writeResult('revocation', { options: o, machine: machine(), postgres: await postgresVersion(), load: { start: startLoad, end: load() }, rows });
}
