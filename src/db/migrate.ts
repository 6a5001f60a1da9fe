// Forward-only migrations: every migrations/NNNN_*.sql file, in name order, applied once, recorded in
// fleetgate_migrations. The same runner and files serve PGlite and PostgreSQL. On PostgreSQL several
// processes may start at once: a session advisory lock makes them take turns, and the loser sees the
// winner's rows and applies nothing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
// Any constant unique to fleetgate: pg_advisory_lock takes a bigint key.
const MIGRATION_LOCK_KEY = 7_301_927_441;

export interface Migration {
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.sql$/, ''), sql: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/** Applies what is missing; returns the names applied now. */
export async function migrate(database: Database, migrations = readMigrations()): Promise<string[]> {
  return database.withSession(async (query) => {
    const locking = database.kind === 'postgres';
    if (locking) await query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await query(
        `CREATE TABLE IF NOT EXISTS fleetgate_migrations (
           name text PRIMARY KEY,
           applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const done = new Set((await query('SELECT name FROM fleetgate_migrations')).map((r) => String(r.name)));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        // drizzle-kit separates statements with this marker; each file runs as one transaction.
        const body = m.sql.split('--> statement-breakpoint').join('\n');
        await query(
          `BEGIN;\n${body}\nINSERT INTO fleetgate_migrations (name) VALUES ('${m.name.replace(/'/g, "''")}');\nCOMMIT;`,
        );
        applied.push(m.name);
      }
      return applied;
    } catch (err) {
      await query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      if (locking) await query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`).catch(() => {});
    }
  });
}
