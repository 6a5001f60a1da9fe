// Keyset pagination on (created_at, id): stable while rows are inserted, never OFFSET. Cursors are
// opaque to partners (base64url JSON) and carry the key at full database precision (microseconds),
// which a JavaScript Date would round away.
import { and, asc, desc, sql } from 'drizzle-orm';
import type { AnyColumn, SQL } from 'drizzle-orm';

/** One problem with a request field, the shape of the 4xx envelope's `detail` list (http renders it). */
export interface CursorProblem {
  path: Array<string | number>;
  input?: unknown;
  message: string;
  error_type: string;
}

/**
 * A cursor this API did not issue (or one forged or corrupted). The database layer raises its own error,
 * not a platform one: the HTTP error handler renders it as a 400 `Invalid cursor` naming `query.cursor`.
 */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
  readonly detail: CursorProblem[];
  constructor(readonly input: string) {
    super('Invalid cursor');
    this.detail = [{ path: ['query', 'cursor'], input, message: 'not a cursor this API issued', error_type: 'cursor' }];
  }
}

export interface Cursor {
  /** created_at as PostgreSQL text (microsecond precision). */
  t: string;
  id: string;
  /** Which way this cursor reads from its key. */
  d: 'next' | 'prev';
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined;
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const timestamp = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
    // The pattern alone would let "2024-13-45 99:99:99" through to the database's cast (a 500).
    const iso = typeof c.t === 'string' ? `${c.t.slice(0, 19).replace(' ', 'T')}` : '';
    const parsed = new Date(`${iso}Z`);
    const real = !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === iso;
    if (typeof c.t === 'string' && timestamp.test(c.t) && real && uuid.test(c.id) && (c.d === 'next' || c.d === 'prev'))
      return c;
  } catch {
    // fall through
  }
  throw new InvalidCursorError(raw);
}

export interface Page<T> {
  items: T[];
  current_page: string | null;
  next_page: string | null;
  previous_page: string | null;
}

export interface KeysetQuery<Row> {
  createdAt: AnyColumn;
  id: AnyColumn;
  /** Runs the query: filter, order and limit given; must select `cursor_t` (createdAt::text) too. */
  run(where: SQL | undefined, orderBy: SQL[], limit: number): Promise<Array<Row & { cursor_t: string; id: string }>>;
}

/** The column expression to select as `cursor_t`. */
export const cursorText = (createdAt: AnyColumn) => sql<string>`${createdAt}::text`;

export async function keysetPage<Row, Out>(
  q: KeysetQuery<Row>,
  filter: SQL | undefined,
  rawCursor: string | undefined,
  size: number,
  render: (row: Row) => Out,
): Promise<Page<Out>> {
  const cursor = decodeCursor(rawCursor);
  const backwards = cursor?.d === 'prev';
  const keyCond = cursor
    ? backwards
      ? sql`(${q.createdAt}, ${q.id}) < (${cursor.t}::timestamptz, ${cursor.id}::uuid)`
      : sql`(${q.createdAt}, ${q.id}) > (${cursor.t}::timestamptz, ${cursor.id}::uuid)`
    : undefined;
  const order = backwards ? [desc(q.createdAt), desc(q.id)] : [asc(q.createdAt), asc(q.id)];
  // One extra row tells whether another page exists in the reading direction.
  const rows = await q.run(and(filter, keyCond), order, size + 1);
  const more = rows.length > size;
  const pageRows = rows.slice(0, size);
  if (backwards) pageRows.reverse();
  const first = pageRows[0];
  const last = pageRows.at(-1);
  const next = last && (backwards || more) ? encodeCursor({ t: last.cursor_t, id: last.id, d: 'next' }) : null;
  const prev = first && (cursor ? !backwards || more : false) ? encodeCursor({ t: first.cursor_t, id: first.id, d: 'prev' }) : null;
  return {
    items: pageRows.map(render),
    current_page: rawCursor ?? null,
    next_page: next,
    previous_page: prev,
  };
}
