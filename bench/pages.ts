// pages: what a page's `total` costs. Seeds `rows` users (across two connections of two fleets) and as
// many resource operations for one partner on a fresh database, then times the list reads in-process
// (engine/records.ts listRecords, engine/operations/reads.ts listOperations): the whole page (rows and
// total, run side by side), the page's rows alone, and the count alone, for the default order, a filter
// that joins the connection, a sort by a field of the record, and the operations' default window.
// Reports medians and p95 over `reps` reads. A figure, never pass/fail.
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { resources, resourceOperations } from '../src/db/schema.ts';
import { listOperations } from '../src/engine/operations/reads.ts';
import { listRecords } from '../src/engine/records.ts';
import { userResource } from '../src/resources/users.ts';
import { ADAPTERS } from '../src/tsps/registry.ts';
import type { Flags } from './lib.ts';
import { freshDb, log, machine, num, percentile, postgresVersion, printTable, round, str, writeResult } from './lib.ts';

type Rows<T> = { rows: T[] };

async function seed(database: Database, rows: number): Promise<{ partnerId: string; fleetRef: string }> {
  const q = (s: ReturnType<typeof sql>) => database.db.execute(s);
  const [partner] = ((await q(sql`INSERT INTO partners (name) VALUES ('bench') RETURNING id`)) as unknown as Rows<{ id: string }>).rows;
  const connections: string[] = [];
  for (const ref of ['fleet-a', 'fleet-b']) {
    const [fleet] = ((await q(sql`INSERT INTO fleets (partner_id, fleet_ref) VALUES (${partner!.id}, ${ref}) RETURNING id`)) as unknown as Rows<{ id: string }>).rows;
    const [conn] = ((await q(sql`
      INSERT INTO connections (partner_id, tsp, fleet_id, fleet_ref, sandbox, credentials_sealed, credentials_masked)
      VALUES (${partner!.id}, 'motive', ${fleet!.id}, ${ref}, true, 'sealed', '{}'::jsonb) RETURNING id`)) as unknown as Rows<{ id: string }>).rows;
    connections.push(conn!.id);
  }
  // Half the users on each connection; a 10-field user with a Motive record of about 1 KB.
  await q(sql`
    INSERT INTO resources (partner_id, connection_id, resource, attributes, source_id, source_data, created_at)
    SELECT ${partner!.id}, CASE WHEN g % 2 = 0 THEN ${connections[0]!}::uuid ELSE ${connections[1]!}::uuid END, 'user',
           jsonb_build_object('first_name', 'First ' || (g * 7919 % ${rows}), 'last_name', 'User ' || g, 'is_driver', g % 3 <> 0,
                              'user_email', 'user' || g || '@example.com', 'phone_number', '555' || lpad(g::text, 7, '0'),
                              'license_number', 'D' || lpad(g::text, 7, '0'), 'license_region', 'TX', 'employee_number', 'E' || g,
                              'username', 'user' || g, 'default_time_zone', 'America/Chicago'),
           g::text, jsonb_build_object('id', g, 'first_name', 'First ' || g, 'notes', repeat('x', 900)),
           now() - (${rows} - g) * interval '1 second'
      FROM generate_series(1, ${rows}) g`);
  await q(sql`
    INSERT INTO resource_operations (partner_id, connection_id, source_name, fleet_ref, resource, operation_type, payload, status,
                                     resource_id, source_id, attempts, created_at, updated_at)
    SELECT ${partner!.id}, CASE WHEN g % 2 = 0 THEN ${connections[0]!}::uuid ELSE ${connections[1]!}::uuid END, 'motive',
           CASE WHEN g % 2 = 0 THEN 'fleet-a' ELSE 'fleet-b' END, 'user', 'create',
           jsonb_build_object('first_name', 'First', 'last_name', 'User ' || g), 'success', gen_random_uuid(), g::text, 1,
           now() - (${rows} - g) * interval '1 second', now() - (${rows} - g) * interval '1 second'
      FROM generate_series(1, ${rows}) g`);
  await database.exec('ANALYZE');
  return { partnerId: partner!.id, fleetRef: 'fleet-b' };
}

async function time(reps: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

export async function run(flags: Flags): Promise<void> {
  const quick = flags.quick === true;
  const o = {
    db: str(flags, 'db', 'pglite,postgres').split(','),
    rows: num(flags, 'rows', quick ? 2_000 : 10_000),
    size: num(flags, 'size', 300),
    reps: num(flags, 'reps', quick ? 10 : 30),
  };
  const results: Array<Record<string, unknown>> = [];
  for (const kind of o.db) {
    const bench = await freshDb(kind);
    const database = await openDatabase(kind === 'postgres' ? { databaseUrl: bench.url } : { pgliteDir: `${bench.dataDir}/pglite` });
    try {
      await migrate(database);
      log(`${kind}: seeding ${o.rows} users and ${o.rows} operations`);
      const { partnerId, fleetRef } = await seed(database, o.rows);
      const db = database.db;
      const lists: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
        [
          'users, default order',
          () => listRecords(db, userResource, ADAPTERS, partnerId, { size: o.size }),
          () => db.execute(sql`SELECT count(*) FROM ${resources} r JOIN connections c ON c.id = r.connection_id WHERE r.partner_id = ${partnerId} AND r.resource = 'user' AND r.deleted_at IS NULL`),
        ],
        [
          'users, fleet_refs (half)',
          () => listRecords(db, userResource, ADAPTERS, partnerId, { size: o.size, fleet_refs: [fleetRef] }),
          () => db.execute(sql`SELECT count(*) FROM ${resources} r JOIN connections c ON c.id = r.connection_id WHERE r.partner_id = ${partnerId} AND r.resource = 'user' AND r.deleted_at IS NULL AND c.fleet_ref = ${fleetRef}`),
        ],
        [
          'users, sort_by=first_name',
          () => listRecords(db, userResource, ADAPTERS, partnerId, { size: o.size, sort_by: 'first_name' }),
          () => db.execute(sql`SELECT count(*) FROM ${resources} r JOIN connections c ON c.id = r.connection_id WHERE r.partner_id = ${partnerId} AND r.resource = 'user' AND r.deleted_at IS NULL`),
        ],
        [
          'operations, last day',
          () => listOperations(db, partnerId, { size: o.size }),
          () => db.execute(sql`SELECT count(*) FROM ${resourceOperations} WHERE partner_id = ${partnerId} AND created_at >= now() - interval '1 day'`),
        ],
      ];
      for (const [name, page, count] of lists) {
        const whole = await time(o.reps, page);
        const alone = await time(o.reps, count);
        results.push({
          db: kind,
          list: name,
          rows: o.rows,
          size: o.size,
          'page p50 ms': round(whole.p50, 1),
          'page p95 ms': round(whole.p95, 1),
          'count alone p50 ms': round(alone.p50, 2),
          'count alone p95 ms': round(alone.p95, 2),
          'count share of page': `${Math.round((100 * alone.p50) / whole.p50)} %`,
        });
      }
    } finally {
      await database.close();
      await bench.drop();
    }
  }
  printTable(`pages: a list's page (rows and total) and its total alone, ${o.rows} rows`, results);
  writeResult('pages', { machine: { ...machine(), postgres: o.db.includes('postgres') ? await postgresVersion() : undefined }, options: o, results });
}
