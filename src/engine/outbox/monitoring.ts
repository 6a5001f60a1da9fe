// What a partner reads about a subscription's deliveries, computed from the attempts and deliveries
// tables on the database's clock: Catena's delivery logs (one entry per HTTP attempt), metrics over
// 6 h / 24 h / 7 d / 14 d, and the replay of the dead-letter queue.
import { and, eq, gte, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { METRIC_WINDOWS } from '../../contract/webhooks.ts';
import type { WebhookEventName, WebhookLogRead, WebhookMetrics } from '../../contract/webhooks.ts';
import type { Db } from '../../db/client.ts';
import { countOf, cursorText, keysetPage } from '../../db/pagination.ts';
import type { Page } from '../../db/pagination.ts';
import { webhookAttempts, webhookDeliveries } from '../../db/schema.ts';
import { webhookRow } from './subscriptions.ts';

type LogView = z.infer<typeof WebhookLogRead>;
type MetricsView = z.infer<typeof WebhookMetrics>;

/** Catena: "Messages are stored for 14 days and must be replayed manually." */
export const DLQ_DAYS = 14;
/** Catena: the success rate is "only available if there are at least 200 messages". */
export const SUCCESS_RATE_MIN_MESSAGES = 200;

export interface LogQuery {
  start_date?: string;
  end_date?: string;
  status?: 'success' | 'failed';
  cursor?: string;
  size: number;
}

/** Every attempt of the webhook's deliveries, oldest first, filtered by its time and outcome. */
export async function webhookLogs(db: Db, partnerId: string, id: string, q: LogQuery): Promise<Page<LogView>> {
  await webhookRow(db, partnerId, id);
  const a = webhookAttempts;
  const d = webhookDeliveries;
  const where: SQL[] = [eq(a.webhookId, id)];
  if (q.start_date) where.push(gte(a.createdAt, sql`${q.start_date}::timestamptz`));
  if (q.end_date) where.push(lte(a.createdAt, sql`${q.end_date}::timestamptz`));
  if (q.status === 'success') where.push(isNull(a.error));
  if (q.status === 'failed') where.push(isNotNull(a.error));
  return keysetPage(
    {
      createdAt: a.createdAt,
      id: a.id,
      count: async (w) => (await db.select({ n: countOf() }).from(a).where(w))[0]!.n,
      run: (w, orderBy, limit) =>
        db
          .select({ attempt: a, messageId: d.messageId, eventType: d.eventType, deliveryStatus: d.status, cursor_t: cursorText(a.createdAt), id: a.id })
          .from(a)
          .innerJoin(d, eq(d.id, a.deliveryId))
          .where(w)
          .orderBy(...orderBy)
          .limit(limit),
    },
    and(...where),
    q.cursor,
    q.size,
    (r) => ({
      created_at: r.attempt.createdAt.toISOString(),
      webhook_id: r.attempt.webhookId,
      message_id: r.messageId,
      event_name: r.eventType as WebhookEventName,
      status: r.attempt.error === null ? 'success' : 'failed',
      status_code: r.attempt.statusCode ?? 0,
      error_message: r.attempt.error,
      response_time_ms: r.attempt.durationMs,
      attempt: r.attempt.attempt,
      request_id: r.attempt.requestId,
      delivery_status: r.deliveryStatus as 'pending' | 'delivered' | 'failed',
    }),
  );
}

const SPANS: Record<(typeof METRIC_WINDOWS)[number], string> = { '6h': '6 hours', '24h': '24 hours', '7d': '7 days', '14d': '14 days' };

interface WindowRow {
  name: (typeof METRIC_WINDOWS)[number];
  attempts: number | string;
  ok: number | string;
  messages: number | string;
  delivered: number | string;
  avg_ms: number | string | null;
}

/** WebhookMetrics: counts of the attempts (and their messages) in each window, the breaker's EWMA, the DLQ. */
export async function webhookMetrics(db: Db, partnerId: string, id: string): Promise<MetricsView> {
  const w = await webhookRow(db, partnerId, id);
  const windows = sql.join(
    METRIC_WINDOWS.map((name) => sql`(${name}::text, ${SPANS[name]}::interval)`),
    sql`, `,
  );
  const res = (await db.execute(sql`
    WITH w(name, span) AS (VALUES ${windows})
    SELECT w.name,
           count(a.id) AS attempts,
           count(a.id) FILTER (WHERE a.error IS NULL) AS ok,
           count(DISTINCT a.delivery_id) AS messages,
           count(DISTINCT a.delivery_id) FILTER (WHERE a.error IS NULL) AS delivered,
           round(avg(a.duration_ms)) AS avg_ms
      FROM w LEFT JOIN webhook_attempts a ON a.webhook_id = ${id} AND a.created_at > now() - w.span
     GROUP BY w.name`)) as unknown as { rows: WindowRow[] };
  const byName = new Map(res.rows.map((r) => [r.name, r]));
  const metric = (f: (r: WindowRow) => number | null) =>
    Object.fromEntries(METRIC_WINDOWS.map((n) => [n, f(byName.get(n)!)])) as Record<(typeof METRIC_WINDOWS)[number], number | null>;
  const dlq = (await db.execute(sql`
    SELECT count(*) AS n FROM webhook_deliveries
     WHERE webhook_id = ${id} AND status = 'failed' AND dead_lettered_at > now() - ${DLQ_DAYS} * interval '1 day'`)) as unknown as {
    rows: Array<{ n: number | string }>;
  };
  return {
    webhook_id: id,
    http_attempts: metric((r) => Number(r.attempts)),
    http_success_attempts: metric((r) => Number(r.ok)),
    http_failure_attempts: metric((r) => Number(r.attempts) - Number(r.ok)),
    message_count: metric((r) => Number(r.messages)),
    message_success_count: metric((r) => Number(r.delivered)),
    success_rate: metric((r) =>
      Number(r.messages) >= SUCCESS_RATE_MIN_MESSAGES ? Math.floor((100 * Number(r.delivered)) / Number(r.messages)) : null,
    ),
    avg_response_time_ms: metric((r) => (r.avg_ms === null ? null : Number(r.avg_ms))),
    ewma_success_rate: w.ewmaSuccessRate,
    dlq_count: Number(dlq.rows[0]?.n ?? 0),
  };
}

/**
 * The dead-letter queue (deliveries whose every attempt failed, in the last 14 days) back in the queue,
 * with a fresh attempt budget, due now. They go out when the webhook is active; a paused or stale one
 * keeps them waiting. Returns how many were re-queued.
 */
export async function replayDeadLetters(db: Db, partnerId: string, id: string): Promise<number> {
  await webhookRow(db, partnerId, id);
  const res = (await db.execute(sql`
    UPDATE webhook_deliveries
       SET status = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL,
           dead_lettered_at = NULL, updated_at = now()
     WHERE webhook_id = ${id} AND status = 'failed' AND dead_lettered_at > now() - ${DLQ_DAYS} * interval '1 day'
    RETURNING id`)) as unknown as { rows: unknown[] };
  return res.rows.length;
}
