// Webhook delivery: at least once, with back-off; an endpoint that keeps failing is paused (its
// deliveries wait) rather than hammered, and resumes when the partner re-enables it.
import { eq, sql } from 'drizzle-orm';
import { request } from 'undici';
import { webhookAttempts, webhookDeliveries, webhooks } from '../../db/schema.ts';
import { unseal } from '../../platform/keys.ts';
import { signPayload } from './subscriptions.ts';
import type { Services } from '../../platform/services.ts';

export const DELIVERY_TIMEOUT_MS = 5_000;
// Retry schedule of one delivery, in units of the retry base (1 s by default): 1 s, 5 s, 30 s, 2 min,
// 10 min, 30 min, 1 h, 2 h, 5 h, 10 h, 10 h: a delivery keeps trying for about 29 hours, so a
// partner's outage of a day loses nothing. Long before that, failures in a row pause the webhook,
// and its deliveries wait for it to be re-enabled.
const DELIVERY_SCHEDULE = [1, 5, 30, 120, 600, 1800, 3600, 7200, 18_000, 36_000, 36_000];
export const MAX_DELIVERY_ATTEMPTS = DELIVERY_SCHEDULE.length + 1;
/** Failed attempts in a row (across deliveries) after which a webhook is paused. */
export const PAUSE_AFTER_FAILURES = 10;

interface Claimed {
  id: string;
  webhook_id: string;
  message_id: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret_sealed: string;
}

export async function claimDeliveries(services: Services, limit: number): Promise<Claimed[]> {
  const res = (await services.database.db.execute(sql`
    UPDATE webhook_deliveries d
       SET lease_until = now() + ${DELIVERY_TIMEOUT_MS * 3} * interval '1 millisecond', attempts = d.attempts + 1
      FROM webhooks w
     WHERE w.id = d.webhook_id
       AND d.id IN (
         SELECT dd.id FROM webhook_deliveries dd JOIN webhooks ww ON ww.id = dd.webhook_id
          WHERE dd.status = 'pending' AND dd.next_attempt_at <= now()
            AND (dd.lease_until IS NULL OR dd.lease_until < now())
            AND ww.status = 'active' AND ww.deleted_at IS NULL
          ORDER BY dd.next_attempt_at
          LIMIT ${limit}
          FOR UPDATE OF dd SKIP LOCKED)
    RETURNING d.id, d.webhook_id, d.message_id, d.payload, d.attempts, w.url, w.secret_sealed`)) as unknown as { rows: Claimed[] };
  return res.rows;
}

export async function deliver(services: Services, d: Claimed): Promise<'delivered' | 'retry' | 'failed'> {
  const body = JSON.stringify(d.payload);
  const timestamp = Math.floor(services.clock.now().getTime() / 1000);
  const secret = unseal(services.keys.sealing, d.secret_sealed, `webhook:${d.webhook_id}`);
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const res = await request(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'fleetgate-webhooks/0.1',
        'webhook-id': d.message_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signPayload(secret, d.message_id, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    statusCode = res.statusCode;
    await res.body.dump();
    if (statusCode < 200 || statusCode >= 300) error = `endpoint answered ${statusCode}`;
  } catch (err) {
    error = (err as Error).name === 'TimeoutError' ? `no answer within ${DELIVERY_TIMEOUT_MS} ms` : `could not connect: ${(err as Error).message}`;
  }
  const ok = error === null;
  const retry = !ok && d.attempts < MAX_DELIVERY_ATTEMPTS;
  const delay = DELIVERY_SCHEDULE[Math.min(d.attempts, DELIVERY_SCHEDULE.length) - 1]! * services.config.retry.baseDelayMs;
  const outcome = ok ? 'delivered' : retry ? 'retry' : 'failed';
  await services.database.db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({
      deliveryId: d.id,
      attempt: d.attempts,
      statusCode,
      error,
      durationMs: Math.round(performance.now() - started),
    });
    await tx
      .update(webhookDeliveries)
      .set({
        status: outcome === 'retry' ? 'pending' : outcome,
        leaseUntil: null,
        nextAttemptAt: sql`now() + ${retry ? delay : 0} * interval '1 millisecond'`,
        lastStatusCode: statusCode,
        lastError: error,
        updatedAt: sql`now()`,
      })
      .where(eq(webhookDeliveries.id, d.id));
    await tx
      .update(webhooks)
      .set(
        ok
          ? { consecutiveFailures: 0 }
          : {
              consecutiveFailures: sql`${webhooks.consecutiveFailures} + 1`,
              status: sql`CASE WHEN ${webhooks.consecutiveFailures} + 1 >= ${PAUSE_AFTER_FAILURES} THEN 'paused' ELSE ${webhooks.status} END`,
            },
      )
      .where(eq(webhooks.id, d.webhook_id));
  });
  return outcome;
}
