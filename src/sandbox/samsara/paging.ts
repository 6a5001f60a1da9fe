// Samsara's cursor pagination, as every sandbox list answers it: `after` takes the `endCursor` of the
// previous page, and `pagination: {endCursor, hasNextPage}` ends each answer (endCursor "" on the last).
import { badRequest } from './errors.ts';

// Opaque to clients: the numeric id of the last entity of the page.
export const encodeCursor = (id: string): string => Buffer.from(`after:${id}`).toString('base64url');

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^after:(\d+)$/.exec(text);
  if (!m) throw badRequest('Invalid value for after: not a cursor returned by this endpoint');
  return Number(m[1]);
}

/** One page of entities (sorted by numeric id) after the cursor, with Samsara's pagination object. */
export function page<T extends { id: string }>(
  all: readonly T[],
  after: string | undefined,
  limit: number,
): { items: T[]; pagination: { endCursor: string; hasNextPage: boolean } } {
  const afterId = after === undefined ? -1 : decodeCursor(after);
  const rest = [...all].sort((a, b) => Number(a.id) - Number(b.id)).filter((e) => Number(e.id) > afterId);
  const items = rest.slice(0, limit);
  const hasNextPage = rest.length > limit;
  return { items, pagination: { endCursor: hasNextPage ? encodeCursor(items[items.length - 1].id) : '', hasNextPage } };
}

/** The `limit` query parameter: 1..max, `max` when absent ("Default and max for this value is 512 objects"). */
export function pageLimit(raw: string | undefined, max: number): number {
  const limit = raw === undefined ? max : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw badRequest(`Invalid value for limit: must be an integer between 1 and ${max}`);
  return limit;
}
