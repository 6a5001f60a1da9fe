// Keyset pagination: stable while rows are inserted, never OFFSET. A list is ordered by one sort key and
// the row id (the tiebreak), both ascending or both descending. Cursors are opaque to partners (base64url
// JSON) and carry the sort, the key at full database precision (a timestamp's microseconds, which a
// JavaScript Date would round away), the direction they read in and whether the key's own row is in.
//
// A page's cursors mean what Catena's do. Catena serves fastapi-pagination's CursorPage over sqlakeyset
// (fastapi_pagination/ext/sqlalchemy.py: current = paging.bookmark_current, current_backwards =
// paging.bookmark_current_backwards; sqlakeyset/results.py, Paging):
//   current_page            refetches this page in the direction it was read: the request's cursor, or on
//                           a first page a cursor "from the start" (never null, as fastapi-pagination's);
//   current_page_backwards  refetches this page reading backwards from its last item (sqlakeyset: backwards
//                           from the row after it, or from the end); for a page read backwards it is the
//                           request's cursor;
//   next_page, previous_page  the page after and before this one, null where there is none that way.
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
 * A cursor this API did not issue (or one forged or corrupted, or one of another sort or list). The
 * database layer raises its own error, not a platform one: the HTTP error handler renders it as a 422
 * `Invalid cursor` naming `query.cursor`.
 */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
  readonly detail: CursorProblem[];
  constructor(
    readonly input: string,
    why = 'not a cursor this API issued',
  ) {
    super('Invalid cursor');
    this.detail = [{ path: ['query', 'cursor'], input, message: why, error_type: 'cursor' }];
  }
}

export type SortOrder = 'asc' | 'desc';

/**
 * How a sort key's value travels in a cursor and is read back: a timestamp column as PostgreSQL's text of
 * it (microseconds kept), anything else as the text of a jsonb value (jsonb orders null < strings <
 * numbers < booleans, each type in its own order, so one kind sorts any scalar field).
 */
export type SortKind = 'timestamptz' | 'jsonb';

/** A key a list may be sorted by. */
export interface SortKey {
  /** The expression ordered on. Never NULL: a nullable one is coalesced (jsonb: to 'null'). */
  expr: SQL | AnyColumn;
  kind: SortKind;
}

export interface Cursor {
  /** The sort key's name (a list's sort_by). */
  s: string;
  o: SortOrder;
  /** Which way this cursor reads from its key. */
  d: 'next' | 'prev';
  /** The key's value as PostgreSQL text, with its row's id; both absent: from the start (next) or the end (prev). */
  v?: string;
  id?: string;
  /** The key's own row is in the page (current_page_backwards anchors on the page's last item). */
  i?: true;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SORT_NAME = /^[a-z][a-z0-9_]{0,63}$/;
// Years 0001-9999 and offsets up to ±15:59, as PostgreSQL prints and reads them: year 0000 and wider
// offsets ("+99", "+1600") pass a looser pattern and fail the cast (a 500).
const TIMESTAMP = /^(?!0000)\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-](0\d|1[0-5])(:?[0-5]\d)?|Z)?$/;

/** A timestamp as the database printed it, and a real one: the pattern alone lets "2024-13-45 99:99:99" through to the cast (a 500). */
function isTimestamp(t: string): boolean {
  if (!TIMESTAMP.test(t)) return false;
  const iso = t.slice(0, 19).replace(' ', 'T');
  const parsed = new Date(`${iso}Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === iso;
}

/**
 * The text of a jsonb scalar the database can read back: PostgreSQL refuses \u0000 and unpaired
 * surrogates in jsonb, and a number past a double's range would overflow its cast.
 */
function isJsonbScalar(v: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    return false;
  }
  if (parsed === null || typeof parsed === 'boolean') return true;
  if (typeof parsed === 'number') return Number.isFinite(parsed);
  return typeof parsed === 'string' && !/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(parsed);
}

/** The cursor's structure (its key's value is checked against the key's kind by the page that reads it). */
export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined;
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new InvalidCursorError(raw);
  }
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new InvalidCursorError(raw);
  const direction = c.d === 'next' || c.d === 'prev' ? c.d : undefined;
  // The form issued before sorts existed, {t, id, d}: created_at ascending, still read.
  if ('t' in c && !('s' in c)) {
    if (typeof c.t === 'string' && isTimestamp(c.t) && typeof c.id === 'string' && UUID.test(c.id) && direction) {
      return { s: 'created_at', o: 'asc', d: direction, v: c.t, id: c.id };
    }
    throw new InvalidCursorError(raw);
  }
  const keyed = typeof c.v === 'string' && c.v.length <= 4000 && typeof c.id === 'string' && UUID.test(c.id);
  const keyless = c.v === undefined && c.id === undefined && c.i === undefined;
  if (typeof c.s === 'string' && SORT_NAME.test(c.s) && (c.o === 'asc' || c.o === 'desc') && direction && (keyed || keyless) && (c.i === undefined || c.i === true)) {
    return {
      s: c.s,
      o: c.o,
      d: direction,
      ...(keyed && { v: c.v as string, id: c.id as string }),
      ...(c.i === true && { i: true as const }),
    };
  }
  throw new InvalidCursorError(raw);
}

export interface Page<T> {
  items: T[];
  /** Every row matching the list's filter, on every page alike. */
  total: number;
  current_page: string | null;
  current_page_backwards: string | null;
  previous_page: string | null;
  next_page: string | null;
}

/** The sort a request asked for, and the keys its list may be sorted by. */
export interface SortRequest {
  keys: Readonly<Record<string, SortKey>>;
  /** When no sort_by was given (and no cursor carries one). */
  default: string;
  by?: string;
  order?: SortOrder;
}

export interface KeysetQuery<Row> {
  /** The key of a list that sorts by nothing else: created_at ascending. */
  createdAt: AnyColumn;
  id: AnyColumn;
  /** Absent: created_at ascending only. */
  sort?: SortRequest;
  /**
   * Runs the query: filter, order and limit given; must select `cursor_t`, the text of `key` (the sort
   * key's expression: `cursorText(key)`), and `id`.
   */
  run(where: SQL | undefined, orderBy: SQL[], limit: number, key: SQL | AnyColumn): Promise<Array<Row & { cursor_t: string; id: string }>>;
  /** Counts the rows matching the filter: the page's `total`. */
  count(where: SQL | undefined): Promise<number>;
}

/** The column expression to select as `cursor_t`: the sort key as text. */
export const cursorText = (key: SQL | AnyColumn) => sql<string>`${key}::text`;

/** A `count(*)` as a number (PostgreSQL's bigint arrives as text from pg, as a number from PGlite). */
export const countOf = () => sql<number>`count(*)`.mapWith(Number);

const cast = (kind: SortKind, v: string) => (kind === 'timestamptz' ? sql`${v}::timestamptz` : sql`${v}::jsonb`);

/** The sort this page reads in: the cursor's (a request naming another is refused), else the request's. */
function resolveSort(q: KeysetQuery<unknown>, cursor: Cursor | undefined, raw: string | undefined) {
  const keys: Readonly<Record<string, SortKey>> = q.sort?.keys ?? { created_at: { expr: q.createdAt, kind: 'timestamptz' } };
  if (cursor) {
    if ((q.sort?.by !== undefined && q.sort.by !== cursor.s) || (q.sort?.order !== undefined && q.sort.order !== cursor.o)) {
      throw new InvalidCursorError(raw!, `issued for sort_by=${cursor.s}&sort_order=${cursor.o}; send those (or neither) with it`);
    }
    const key = Object.hasOwn(keys, cursor.s) ? keys[cursor.s] : undefined;
    if (!key) throw new InvalidCursorError(raw!, 'issued by another list');
    if (cursor.v !== undefined && !(key.kind === 'timestamptz' ? isTimestamp(cursor.v) : isJsonbScalar(cursor.v))) throw new InvalidCursorError(raw!);
    return { name: cursor.s, order: cursor.o, key };
  }
  const name = q.sort?.by ?? q.sort?.default ?? 'created_at';
  const key = Object.hasOwn(keys, name) ? keys[name] : undefined;
  // The route's enum of sort_by values comes from the same keys: reaching here is a bug, not a request.
  if (!key) throw new Error(`no sort key ${name}`);
  return { name, order: q.sort?.order ?? ('asc' as SortOrder), key };
}

export async function keysetPage<Row, Out>(
  q: KeysetQuery<Row>,
  filter: SQL | undefined,
  rawCursor: string | undefined,
  size: number,
  render: (row: Row) => Out,
): Promise<Page<Out>> {
  const cursor = decodeCursor(rawCursor);
  const { name, order, key } = resolveSort(q as KeysetQuery<unknown>, cursor, rawCursor);
  const backwards = cursor?.d === 'prev';
  // Reading towards larger keys: ascending forwards, or descending backwards.
  const up = (order === 'asc') !== backwards;
  let keyCond: SQL | undefined;
  if (cursor?.v !== undefined) {
    const op = sql.raw(up ? (cursor.i ? '>=' : '>') : cursor.i ? '<=' : '<');
    keyCond = sql`(${key.expr}, ${q.id}) ${op} (${cast(key.kind, cursor.v)}, ${cursor.id}::uuid)`;
  }
  const orderBy = up ? [asc(key.expr), asc(q.id)] : [desc(key.expr), desc(q.id)];
  // One extra row tells whether another page exists in the reading direction. The total counts the
  // filter alone (every page of the list), in a statement of its own.
  const [rows, total] = await Promise.all([q.run(and(filter, keyCond), orderBy, size + 1, key.expr), q.count(filter)]);
  const more = rows.length > size;
  const pageRows = rows.slice(0, size);
  if (backwards) pageRows.reverse();
  const first = pageRows[0];
  const last = pageRows.at(-1);
  const at = (d: Cursor['d'], v: string, id: string, inclusive = false) =>
    encodeCursor({ s: name, o: order, d, v, id, ...(inclusive && { i: true as const }) });
  const ends = (d: Cursor['d']) => encodeCursor({ s: name, o: order, d });
  const keyed = cursor?.v !== undefined;

  let next: string | null;
  let previous: string | null;
  if (!backwards) {
    next = more && last ? at('next', last.cursor_t, last.id) : null;
    // Rows before a keyed cursor's position exist (they were passed to get here); an empty page turns back at the cursor's own key.
    previous = !keyed ? null : first ? at('prev', first.cursor_t, first.id) : at('prev', cursor!.v!, cursor!.id!, !cursor!.i);
  } else {
    previous = more && first ? at('prev', first.cursor_t, first.id) : null;
    next = !keyed ? null : last ? at('next', last.cursor_t, last.id) : at('next', cursor!.v!, cursor!.id!, !cursor!.i);
  }
  const current = cursor ? encodeCursor(cursor) : ends('next');
  const currentBackwards = backwards ? current : last ? at('prev', last.cursor_t, last.id, true) : ends('prev');
  return {
    items: pageRows.map(render),
    total,
    current_page: current,
    current_page_backwards: currentBackwards,
    previous_page: previous,
    next_page: next,
  };
}
