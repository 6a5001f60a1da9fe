// A connection's rate-limit state as the console shows it: per endpoint class of its TSP, the limit,
// the next free slot and any 429 pause (policy/ratelimit.ts keeps them), and how many attempts the
// connection made in the last minute. Reads only.
import { and, count, eq, gt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { ConnectionRow } from '../../accounts/connections.ts';
import type { ConnectionRateLimits } from '../../contract/console.ts';
import type { Db } from '../../db/client.ts';
import { operationLogs, rateLimits, resourceOperations } from '../../db/schema.ts';
import type { TspAdapter } from '../../tsps/kit/descriptor.ts';
import { DEFAULT_RATE_CLASS } from '../../tsps/kit/types.ts';
import { rateLimitOf } from '../policy/ratelimit.ts';

export async function connectionRateLimits(db: Db, conn: ConnectionRow, tsp: TspAdapter | undefined): Promise<z.infer<typeof ConnectionRateLimits>> {
  const rows = await db
    .select({
      rateClass: rateLimits.rateClass,
      nextAt: rateLimits.nextAt,
      pausedUntil: rateLimits.pausedUntil,
      paused: sql<boolean>`coalesce(${rateLimits.pausedUntil} > now(), false)`,
    })
    .from(rateLimits)
    .where(eq(rateLimits.connectionId, conn.id));
  const [attempts] = await db
    .select({ n: count() })
    .from(operationLogs)
    .innerJoin(resourceOperations, eq(resourceOperations.id, operationLogs.resourceOperationId))
    .where(and(eq(resourceOperations.connectionId, conn.id), gt(operationLogs.createdAt, sql`now() - interval '60 seconds'`)));
  // The TSP's declared classes and any the schedules hold (a class a connection once used), default first.
  const names = new Set([DEFAULT_RATE_CLASS, ...Object.keys(tsp?.descriptor.rateLimit.classes ?? {}), ...rows.map((r) => r.rateClass)]);
  return {
    connection_id: conn.id,
    attempts_last_minute: Number(attempts?.n ?? 0),
    classes: [...names].map((name) => {
      const row = rows.find((r) => r.rateClass === name);
      return {
        rate_class: name,
        limit_per_minute: tsp ? rateLimitOf(conn, tsp, name) : 0,
        next_slot_at: row?.nextAt.toISOString() ?? null,
        paused_until: row?.pausedUntil?.toISOString() ?? null,
        paused: Boolean(row?.paused),
      };
    }),
  };
}
