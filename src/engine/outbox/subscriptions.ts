// Webhook subscriptions: a partner's endpoints, the events each wants, and the delivery logs it reads.
// Deleting soft-deletes: the webhook's deliveries and attempts reference its row. The signing secret
// is returned once, at creation, and never read back through the API.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { countOf, cursorText, keysetPage } from '../../db/pagination.ts';
import type { Page } from '../../db/pagination.ts';
import { webhookAttempts, webhookDeliveries, webhooks } from '../../db/schema.ts';
import type { Services } from '../../platform/services.ts';
import { notFound } from '../../platform/errors.ts';
import { checkOutboundUrl } from '../../platform/urls.ts';
import type { EventType } from './enqueue.ts';
import { EVENT_TYPES } from './enqueue.ts';
import { newWebhookSecret, sealWebhookSecret } from './signing.ts';

type WebhookRow = typeof webhooks.$inferSelect;

export interface WebhookView {
  id: string;
  url: string;
  description: string | null;
  events: EventType[];
  status: 'active' | 'paused';
  consecutive_failures: number;
  created_at: string;
  updated_at: string;
}

const view = (w: WebhookRow): WebhookView => ({
  id: w.id,
  url: w.url,
  description: w.description,
  events: w.events as EventType[],
  status: w.status as WebhookView['status'],
  consecutive_failures: w.consecutiveFailures,
  created_at: w.createdAt.toISOString(),
  updated_at: w.updatedAt.toISOString(),
});

export async function createWebhook(
  services: Services,
  partnerId: string,
  input: { url: string; events?: EventType[]; description?: string | null },
): Promise<WebhookView & { secret: string }> {
  await checkOutboundUrl(services.config, input.url, ['url']);
  const secret = newWebhookSecret();
  const id = randomUUID();
  const [row] = await services.database.db
    .insert(webhooks)
    .values({
      id,
      partnerId,
      url: input.url,
      description: input.description ?? null,
      events: [...new Set(input.events ?? EVENT_TYPES)],
      secretSealed: sealWebhookSecret(services.keys.sealing, id, secret),
    })
    .returning();
  // The secret is shown once, here; later reads never include it.
  return { ...view(row!), secret };
}

async function row(db: Db, partnerId: string, id: string): Promise<WebhookRow> {
  const [w] = await db.select().from(webhooks).where(and(eq(webhooks.id, id), eq(webhooks.partnerId, partnerId), isNull(webhooks.deletedAt)));
  if (!w) throw notFound('Webhook');
  return w;
}

export const getWebhook = async (db: Db, partnerId: string, id: string) => view(await row(db, partnerId, id));

export async function listWebhooks(db: Db, partnerId: string, q: { cursor?: string; size: number }): Promise<Page<WebhookView>> {
  return keysetPage(
    {
      createdAt: webhooks.createdAt,
      id: webhooks.id,
      run: (w, orderBy, limit) =>
        db.select({ row: webhooks, cursor_t: cursorText(webhooks.createdAt), id: webhooks.id }).from(webhooks).where(w).orderBy(...orderBy).limit(limit),
      count: async (w) => (await db.select({ n: countOf() }).from(webhooks).where(w))[0]!.n,
    },
    and(eq(webhooks.partnerId, partnerId), isNull(webhooks.deletedAt)),
    q.cursor,
    q.size,
    (r) => view(r.row),
  );
}

export async function updateWebhook(
  services: Services,
  partnerId: string,
  id: string,
  patch: { url?: string; events?: EventType[]; description?: string | null; status?: 'active' | 'paused' },
): Promise<WebhookView> {
  const db = services.database.db;
  await row(db, partnerId, id);
  if (patch.url !== undefined) await checkOutboundUrl(services.config, patch.url, ['url']);
  const [updated] = await db
    .update(webhooks)
    .set({
      ...(patch.url !== undefined && { url: patch.url }),
      ...(patch.events !== undefined && { events: [...new Set(patch.events)] }),
      ...(patch.description !== undefined && { description: patch.description }),
      // Re-enabling forgives the failures that paused it; its queued deliveries resume.
      ...(patch.status !== undefined && { status: patch.status, ...(patch.status === 'active' && { consecutiveFailures: 0 }) }),
      updatedAt: sql`now()`,
    })
    .where(eq(webhooks.id, id))
    .returning();
  return view(updated!);
}

export async function deleteWebhook(db: Db, partnerId: string, id: string): Promise<void> {
  await row(db, partnerId, id);
  await db.update(webhooks).set({ deletedAt: sql`now()`, status: 'paused', updatedAt: sql`now()` }).where(eq(webhooks.id, id));
}

export async function webhookLogs(db: Db, partnerId: string, id: string, q: { cursor?: string; size: number }) {
  await row(db, partnerId, id);
  const t = webhookDeliveries;
  const page = await keysetPage(
    {
      createdAt: t.createdAt,
      id: t.id,
      run: (w, orderBy, limit) => db.select({ row: t, cursor_t: cursorText(t.createdAt), id: t.id }).from(t).where(w).orderBy(...orderBy).limit(limit),
      count: async (w) => (await db.select({ n: countOf() }).from(t).where(w))[0]!.n,
    },
    eq(t.webhookId, id),
    q.cursor,
    q.size,
    (r) => r.row,
  );
  const ids = page.items.map((d) => d.id);
  const attempts = ids.length
    ? await db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, ids)).orderBy(asc(webhookAttempts.attempt))
    : [];
  return {
    ...page,
    items: page.items.map((d) => ({
      id: d.id,
      message_id: d.messageId,
      event_type: d.eventType,
      status: d.status as 'pending' | 'delivered' | 'failed',
      attempts: d.attempts,
      next_attempt_at: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
      last_status_code: d.lastStatusCode,
      last_error: d.lastError,
      created_at: d.createdAt.toISOString(),
      attempt_log: attempts
        .filter((a) => a.deliveryId === d.id)
        .map((a) => ({ attempt: a.attempt, status_code: a.statusCode, error: a.error, duration_ms: a.durationMs, created_at: a.createdAt.toISOString() })),
    })),
  };
}
