// What the operations console charts and streams: operations created per TSP over the last hour or day
// (with how many of them failed), and the operations that changed since a point in time. Reads only;
// every change of an operation is in operations/machine.ts. A scope of `undefined` is the operator's
// (every partner); a partner's reads pass its id.
import { and, asc, inArray, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { OperationChangeView, StatsWindow } from '../../contract/console.ts';
import type { Db } from '../../db/client.ts';
import { resourceOperations } from '../../db/schema.ts';

/** Whose operations: one partner's, some partners' (operator filter), or every partner's (undefined). */
export type PartnerScope = readonly string[] | undefined;

const WINDOWS: Record<StatsWindow, { unit: 'minute' | 'hour'; buckets: number; seconds: number }> = {
  hour: { unit: 'minute', buckets: 60, seconds: 60 },
  day: { unit: 'hour', buckets: 24, seconds: 3600 },
};

const scoped = (scope: PartnerScope): SQL | undefined => (scope ? inArray(resourceOperations.partnerId, [...scope]) : undefined);

// Both drivers answer a raw statement with { rows }.
const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

interface BucketRow {
  source_name: string;
  bucket: number;
  writes: number;
  succeeded: number;
  failed: number;
}

/** The first bucket's start: buckets end with the current minute (hour) on the database clock, so a chart's last bar is "now". */
async function windowStart(db: Db, window: StatsWindow): Promise<Date> {
  const w = WINDOWS[window];
  const [row] = rowsOf<{ from_t: string | Date }>(
    await db.execute(sql`SELECT (date_trunc(${w.unit}, now()) - ${w.buckets - 1} * ${`1 ${w.unit}`}::interval) AS from_t`),
  );
  return new Date(row!.from_t);
}

export async function operationStats(db: Db, scope: PartnerScope, window: StatsWindow) {
  const w = WINDOWS[window];
  const from = await windowStart(db, window);
  if (scope && scope.length === 0) return shape(window, from, []);
  const t = resourceOperations;
  const partnerFilter = scope ? sql`AND ${t.partnerId} IN (${sql.join(scope.map((id) => sql`${id}`), sql`, `)})` : sql``;
  const rows = rowsOf<BucketRow>(await db.execute(sql`
    SELECT ${t.sourceName} AS source_name,
           floor(EXTRACT(EPOCH FROM (${t.createdAt} - ${from.toISOString()}::timestamptz)) / ${w.seconds})::int AS bucket,
           count(*)::int AS writes,
           (count(*) FILTER (WHERE ${t.status} = 'success'))::int AS succeeded,
           (count(*) FILTER (WHERE ${t.status} = 'failed'))::int AS failed
      FROM ${t}
     WHERE ${t.createdAt} >= ${from.toISOString()}::timestamptz ${partnerFilter}
     GROUP BY 1, 2`));
  return shape(window, from, rows);
}

function shape(window: StatsWindow, from: Date, rows: BucketRow[]) {
  const w = WINDOWS[window];
  const bySource = new Map<string, BucketRow[]>();
  // A row created after the window's last bucket began belongs to it (the database clock moved on
  // between the two statements): clamp instead of dropping it.
  for (const r of rows) bySource.set(r.source_name, [...(bySource.get(r.source_name) ?? []), { ...r, bucket: Math.min(Number(r.bucket), w.buckets - 1) }]);
  const series = [...bySource.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([source_name, list]) => {
      const buckets = Array.from({ length: w.buckets }, (_, i) => ({
        start: new Date(from.getTime() + i * w.seconds * 1000).toISOString(),
        writes: 0,
        succeeded: 0,
        failed: 0,
      }));
      for (const r of list) {
        const b = buckets[r.bucket]!;
        b.writes += Number(r.writes);
        b.succeeded += Number(r.succeeded);
        b.failed += Number(r.failed);
      }
      const sum = (k: 'writes' | 'succeeded' | 'failed') => buckets.reduce((n, b) => n + b[k], 0);
      const [writes, succeeded, failed] = [sum('writes'), sum('succeeded'), sum('failed')];
      return {
        source_name,
        writes,
        writes_per_minute: writes / ((w.buckets * w.seconds) / 60),
        succeeded,
        failed,
        failure_rate: succeeded + failed ? failed / (succeeded + failed) : null,
        buckets,
      };
    });
  return {
    window,
    bucket_seconds: w.seconds,
    from: from.toISOString(),
    to: new Date(from.getTime() + w.buckets * w.seconds * 1000).toISOString(),
    series,
  };
}

// A timestamp as the database holds it (microseconds, UTC), as fixed-width text: a JS Date would cut it
// to milliseconds, and a cursor cut short reads the same rows again (or skips the rest of a second).
const exactText = (column: SQL | typeof resourceOperations.updatedAt) => sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The database's now, at its full precision: where a feed starts (its clock, not this process's, orders the changes). */
export async function databaseNow(db: Db): Promise<string> {
  const [row] = rowsOf<{ now: string }>(await db.execute(sql`SELECT ${exactText(sql`now()`)} AS now`));
  return row!.now;
}

/**
 * Where a feed reads on from: changes after the pair (at, id), in the order they are read. Without an
 * id, every change after `at`. Many operations can share one updated_at (one statement moves every
 * pending operation of a connection), so a page may end inside a run of equal timestamps: the id
 * breaks the tie, and `at` keeps the database's precision.
 */
export interface FeedCursor {
  at: string;
  id?: string;
}

/** A change, and its updated_at at the database's precision (the cursor to read on from). */
export interface Change {
  view: OperationChangeView;
  at: string;
}

/** Operations of the scope changed after the cursor, oldest change first (at most `limit`). */
export async function changedSince(db: Db, scope: PartnerScope, after: FeedCursor, limit = 200): Promise<Change[]> {
  if (scope && scope.length === 0) return [];
  const t = resourceOperations;
  const past = after.id
    ? sql`(${t.updatedAt}, ${t.id}) > (${after.at}::timestamptz, ${after.id}::uuid)`
    : sql`${t.updatedAt} > ${after.at}::timestamptz`;
  const rows = await db
    .select({ row: t, at: exactText(t.updatedAt) })
    .from(t)
    .where(and(past, scoped(scope)))
    .orderBy(asc(t.updatedAt), asc(t.id))
    .limit(limit);
  return rows.map(({ row: r, at }) => ({
    at,
    view: {
      id: r.id,
      partner_id: r.partnerId,
      connection_id: r.connectionId,
      source_name: r.sourceName,
      resource: r.resource as OperationChangeView['resource'],
      operation_type: r.operationType as OperationChangeView['operation_type'],
      status: r.status as OperationChangeView['status'],
      attempts: r.attempts,
      created_at: r.createdAt.toISOString(),
      updated_at: r.updatedAt.toISOString(),
    },
  }));
}
