// Database.query with a name (a prepared statement: on PostgreSQL per connection, on PGlite Parse and
// Describe once, then Bind/Execute per call) answers exactly what the unnamed statement answers, for
// every type the hot path's statements read and write, and fails the same way.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { openTestDatabase, testDbKinds } from './helpers/db.ts';

const ROW = `
  SELECT $1::uuid AS id, $2::text AS name, $3::text[] AS list, $4::jsonb AS doc, $5::timestamptz AS at,
         $6::int AS n, $7::float8 AS f, $8::boolean AS yes, $9::text AS nothing, $10::json AS j,
         now() - now() AS span, 42::bigint AS big, ARRAY[$1::uuid] AS ids,
         $11::uuid[] AS uuids, $12::float8[] AS floats, $13::int[] AS ints, 1.5::numeric AS num`;
const PARAMS = [
  '0190a7e4-0000-7000-8000-000000000001',
  "it's \u00e9 \ud83d\ude9a",
  ['a', 'b,c', 'd"e', ''],
  JSON.stringify({ nested: { list: [1, 'two', null] }, quote: '"' }),
  new Date('2026-12-02T01:02:03.456Z'),
  -7,
  0.125,
  true,
  null,
  JSON.stringify([1, { a: 'b' }]),
  ['0190a7e4-0000-7000-8000-000000000001', '0190a7e4-0000-7000-8000-000000000002'],
  [0.6, 1e-3, 250.125],
  [1, -2, 16],
];

for (const kind of testDbKinds()) {
  describe(`Database.query, named and prepared (${kind})`, () => {
    let db: Database;
    before(async () => {
      db = await openTestDatabase(kind);
    });
    after(async () => {
      await db?.close();
    });

    test('a named statement answers what the unnamed one does, call after call', async () => {
      const plain = await db.query(ROW, PARAMS);
      for (let i = 0; i < 3; i++) assert.deepEqual(await db.query(ROW, PARAMS, 'fg_test_row'), plain);
      const [row] = plain;
      assert.deepEqual(row!.list, ['a', 'b,c', 'd"e', '']);
      assert.deepEqual(row!.doc, { nested: { list: [1, 'two', null] }, quote: '"' });
      assert.equal((row!.at as Date).toISOString(), '2026-12-02T01:02:03.456Z');
      assert.equal(row!.nothing, null);
      assert.equal(row!.name, "it's \u00e9 \ud83d\ude9a");
      assert.deepEqual(row!.uuids, PARAMS[10]);
      assert.deepEqual(row!.floats, PARAMS[11]);
      assert.deepEqual(row!.ints, PARAMS[12]);
    });

    test('rows written through a named statement are there for the query builder; no rows is an empty list', async () => {
      await db.exec('CREATE TABLE IF NOT EXISTS fg_prepared_probe (id int PRIMARY KEY, v text)');
      try {
        const put = 'INSERT INTO fg_prepared_probe (id, v) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id';
        assert.deepEqual(await db.query(put, [1, 'one'], 'fg_test_put'), [{ id: 1 }]);
        assert.deepEqual(await db.query(put, [1, 'again'], 'fg_test_put'), []);
        const seen = (await db.db.execute(sql`SELECT v FROM fg_prepared_probe WHERE id = 1`)) as unknown as { rows: Array<{ v: string }> };
        assert.deepEqual(seen.rows, [{ v: 'one' }]);
        // Inside a transaction of the query builder's, then after it: ordered, never interleaved.
        await Promise.all([
          db.db.transaction(async (tx) => {
            await tx.execute(sql`INSERT INTO fg_prepared_probe (id, v) VALUES (2, 'tx')`);
            await new Promise((r) => setTimeout(r, 20));
          }),
          db.query('SELECT count(*)::int AS n FROM fg_prepared_probe', [], 'fg_test_count'),
        ]);
        assert.deepEqual(await db.query('SELECT count(*)::int AS n FROM fg_prepared_probe', [], 'fg_test_count'), [{ n: 2 }]);
      } finally {
        await db.exec('DROP TABLE fg_prepared_probe');
      }
    });

    test('an error is the database error (its code), and the statement still works after it', async () => {
      const divide = 'SELECT 1 / $1::int AS q';
      await assert.rejects(db.query(divide, [0], 'fg_test_divide'), (err: { code?: string }) => err.code === '22012');
      assert.deepEqual(await db.query(divide, [1], 'fg_test_divide'), [{ q: 1 }]);
      await assert.rejects(db.query('SELEC nonsense', [], 'fg_test_syntax'), (err: { code?: string }) => err.code === '42601');
    });

    if (kind === 'pglite') {
      test('a name is one statement: reusing it for another text is refused', async () => {
        await db.query('SELECT 1 AS one', [], 'fg_test_once');
        await assert.rejects(db.query('SELECT 2 AS two', [], 'fg_test_once'), /already another statement/);
      });
    }
  });
}
