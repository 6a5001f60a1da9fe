// Webhook subscriptions as Catena's notifications API has them: one event name each (a `<group>.*`
// create makes one per event of the group), fleet filters, a secret the partner gives or fleetgate
// generates (shown once, at creation; `*****` in every read), statuses active | paused | stale | deleted.
// Every change raises its webhook.* event in its own transaction. Deleting soft-deletes: the webhook's
// deliveries and attempts reference its row.
import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { expandEventName } from '../../contract/webhooks.ts';
import type { SigningScheme, WebhookCatchAll, WebhookEventName, WebhookFilters, WebhookRead, WebhookStatus, Webhook as WebhookShape } from '../../contract/webhooks.ts';
import type { Db } from '../../db/client.ts';
import { countOf, cursorText, keysetPage } from '../../db/pagination.ts';
import type { Page } from '../../db/pagination.ts';
import { webhookDeliveries, webhooks } from '../../db/schema.ts';
import type { Services } from '../../platform/services.ts';
import { notFound, validationFailed } from '../../platform/errors.ts';
import { checkOutboundUrl } from '../../platform/urls.ts';
import { BREAKER_GRACE_MS } from './breaker.ts';
import { enqueueWebhookEvent } from './enqueue.ts';
import { REDACTED, redactUrl } from './redact.ts';
import { newSecretFor, sealWebhookSecret, secretProblem, secretProblems, unsealWebhookSecret } from './signing.ts';

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookReadView = z.infer<typeof WebhookRead>;
export type WebhookCreatedView = z.infer<typeof WebhookShape>;
type Filters = z.infer<typeof WebhookFilters>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const extensions = (w: WebhookRow) => ({
  description: w.description,
  signing: w.signing as SigningScheme,
  consecutive_failures: w.consecutiveFailures,
  stale_reason: w.staleReason,
});

export const viewWebhook = (w: WebhookRow): WebhookReadView => ({
  id: w.id,
  url: redactUrl(w.url),
  event_name: w.eventName as WebhookEventName,
  filters: (w.filters as Filters | null) ?? null,
  secret: REDACTED,
  status: w.status as WebhookStatus,
  created_at: w.createdAt.toISOString(),
  updated_at: w.updatedAt.toISOString(),
  ...extensions(w),
});

const viewCreated = (w: WebhookRow, secret: string): WebhookCreatedView => ({
  url: redactUrl(w.url),
  filters: (w.filters as Filters | null) ?? null,
  secret,
  created_at: w.createdAt.toISOString(),
  updated_at: w.updatedAt.toISOString(),
  deleted_at: iso(w.deletedAt),
  id: w.id,
  partner_id: w.partnerId,
  status: w.status as WebhookStatus,
  event_name: w.eventName as WebhookEventName,
  ...extensions(w),
});

/** Stored as given, each list without repeats; null for no filters at all. */
function normalizeFilters(f: Filters | null | undefined): Filters | null {
  if (!f) return null;
  const dedupe = (xs: string[] | null | undefined) => (xs ? [...new Set(xs)] : null);
  return { fleet_ids: dedupe(f.fleet_ids), fleet_refs: dedupe(f.fleet_refs) };
}

/** The breaker starts afresh, and does not judge for 15 minutes: after a create, an update, an activate. */
const freshBreaker = () => ({
  graceUntil: sql`now() + ${BREAKER_GRACE_MS} * interval '1 millisecond'`,
  breakerAttempts: 0,
  breakerSuccesses: 0,
  ewmaSuccessRate: null,
  consecutiveFailures: 0,
});

export interface CreateInput {
  url: string;
  event_name: WebhookEventName | WebhookCatchAll;
  filters?: Filters | null;
  secret?: string | null;
  description?: string | null;
  signing?: SigningScheme;
}

/** One subscription, or (for a catch-all) one per event of the group, all sharing the secret. */
export async function createWebhooks(services: Services, partnerId: string, input: CreateInput): Promise<WebhookCreatedView | WebhookCreatedView[]> {
  await checkOutboundUrl(services.config, input.url, ['url']);
  const signing = input.signing ?? 'catena';
  const secret = input.secret ? input.secret : newSecretFor(signing);
  const problems = secretProblems(signing, secret);
  if (problems.length) throw validationFailed(problems);
  const { catchAll, names } = expandEventName(input.event_name);
  const rows = await services.database.db.transaction(async (tx) => {
    const made: WebhookRow[] = [];
    for (const eventName of names) {
      const id = randomUUID();
      const [row] = await tx
        .insert(webhooks)
        .values({
          id,
          partnerId,
          url: input.url,
          description: input.description ?? null,
          eventName,
          filters: normalizeFilters(input.filters),
          signing,
          secretSealed: sealWebhookSecret(services.keys.sealing, id, secret),
          ...freshBreaker(),
        })
        .returning();
      made.push(row!);
    }
    for (const row of made) await enqueueWebhookEvent(tx, row, 'webhook.created');
    return made;
  });
  const views = rows.map((r) => viewCreated(r, secret));
  return catchAll ? views : views[0]!;
}

async function row(db: Db, partnerId: string, id: string): Promise<WebhookRow> {
  const [w] = await db.select().from(webhooks).where(and(eq(webhooks.id, id), eq(webhooks.partnerId, partnerId), isNull(webhooks.deletedAt)));
  if (!w) throw notFound('Webhook');
  return w;
}

export const getWebhook = async (db: Db, partnerId: string, id: string) => viewWebhook(await row(db, partnerId, id));

/** The partner a live webhook belongs to (the operator's routes act on it as that partner): 404 if none. */
export async function webhookOwner(db: Db, id: string): Promise<string> {
  const [w] = await db.select({ partnerId: webhooks.partnerId }).from(webhooks).where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt)));
  if (!w) throw notFound('Webhook');
  return w.partnerId;
}

export interface ListQuery {
  event_name?: WebhookEventName;
  status?: WebhookStatus;
  /** The operator's filter (a partner's own list is already its own). */
  partner_id?: string;
  cursor?: string;
  size: number;
}

/**
 * A partner's subscriptions, or (partnerId null: the operator API) every partner's, each naming its
 * partner (the partner's read leaves that out); `status=deleted`
 * lists the deleted ones, which are otherwise left out.
 */
export async function listWebhooks(db: Db, partnerId: string | null, q: ListQuery): Promise<Page<WebhookReadView & { partner_id: string }>> {
  const where: SQL[] = [];
  if (partnerId !== null) where.push(eq(webhooks.partnerId, partnerId));
  if (q.partner_id) where.push(eq(webhooks.partnerId, q.partner_id));
  if (q.status === 'deleted') where.push(isNotNull(webhooks.deletedAt));
  else {
    where.push(isNull(webhooks.deletedAt));
    if (q.status) where.push(eq(webhooks.status, q.status));
  }
  if (q.event_name) where.push(eq(webhooks.eventName, q.event_name));
  return keysetPage(
    {
      createdAt: webhooks.createdAt,
      id: webhooks.id,
      run: (w, orderBy, limit) =>
        db.select({ row: webhooks, cursor_t: cursorText(webhooks.createdAt), id: webhooks.id }).from(webhooks).where(w).orderBy(...orderBy).limit(limit),
      count: async (w) => (await db.select({ n: countOf() }).from(webhooks).where(w))[0]!.n,
    },
    and(...where),
    q.cursor,
    q.size,
    (r) => ({ ...viewWebhook(r.row), partner_id: r.row.partnerId }),
  );
}

export interface UpdateInput {
  url?: string | null;
  filters?: Filters | null;
  secret?: string | null;
  description?: string | null;
  signing?: SigningScheme;
}

/**
 * WebhookUpdate: null or absent `url` and `secret` keep what is there; `filters: null` removes the
 * filters. A change of signing scheme needs a secret valid for it (given here, or the current one).
 * The status stays (an update does not reactivate a stale webhook); the breaker starts afresh.
 */
export async function updateWebhook(services: Services, partnerId: string, id: string, patch: UpdateInput): Promise<WebhookReadView> {
  const db = services.database.db;
  const current = await row(db, partnerId, id);
  if (patch.url) await checkOutboundUrl(services.config, patch.url, ['url']);
  const signing = patch.signing ?? (current.signing as SigningScheme);
  if (patch.secret) {
    const problems = secretProblems(signing, patch.secret);
    if (problems.length) throw validationFailed(problems);
  } else if (signing !== current.signing) {
    let kept: string | null = null;
    try {
      kept = unsealWebhookSecret(services.keys.sealing, current.secretSealId ?? current.id, current.secretSealed);
    } catch {
      // Sealed under another encryption key: it cannot sign anything any more; a new secret is needed.
    }
    if (kept === null || secretProblem(signing, kept)) {
      throw validationFailed([
        { path: ['body', 'secret'], input: undefined, message: `the current secret cannot sign ${signing} deliveries: give a new secret with the signing change`, error_type: 'missing' },
      ]);
    }
  }
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(webhooks)
      .set({
        ...(patch.url && { url: patch.url }),
        ...(patch.filters !== undefined && { filters: normalizeFilters(patch.filters) }),
        ...(patch.secret && { secretSealed: sealWebhookSecret(services.keys.sealing, id, patch.secret), secretSealId: null }),
        ...(patch.description !== undefined && { description: patch.description }),
        signing,
        ...freshBreaker(),
        updatedAt: sql`now()`,
      })
      .where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt)))
      .returning();
    if (!updated) throw notFound('Webhook');
    await enqueueWebhookEvent(tx, updated, 'webhook.updated');
    return viewWebhook(updated);
  });
}

export async function deleteWebhook(db: Db, partnerId: string, id: string): Promise<void> {
  await row(db, partnerId, id);
  await db.transaction(async (tx) => {
    const [deleted] = await tx
      .update(webhooks)
      .set({ deletedAt: sql`now()`, status: 'deleted', updatedAt: sql`now()` })
      .where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt)))
      .returning();
    if (deleted) await enqueueWebhookEvent(tx, deleted, 'webhook.deleted');
  });
}

/**
 * paused or stale → active: the breaker starts afresh with its 15-minute grace, and the events that
 * queued meanwhile are due at once (the partner says the endpoint works). Activating an active webhook
 * changes nothing.
 */
export async function activateWebhook(db: Db, partnerId: string, id: string): Promise<WebhookReadView> {
  await row(db, partnerId, id);
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(webhooks)
      .set({ status: 'active', staleReason: null, ...freshBreaker(), updatedAt: sql`now()` })
      .where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt), ne(webhooks.status, 'active')))
      .returning();
    if (!moved) return viewWebhook(await row(tx, partnerId, id));
    await tx
      .update(webhookDeliveries)
      .set({ nextAttemptAt: sql`now()` })
      .where(and(eq(webhookDeliveries.webhookId, id), eq(webhookDeliveries.status, 'pending'), gt(webhookDeliveries.nextAttemptAt, sql`now()`)));
    await enqueueWebhookEvent(tx, moved, 'webhook.activated');
    return viewWebhook(moved);
  });
}

/** active or stale → paused: nothing is sent, events queue until it is activated. */
export async function pauseWebhook(db: Db, partnerId: string, id: string): Promise<WebhookReadView> {
  await row(db, partnerId, id);
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(webhooks)
      .set({ status: 'paused', staleReason: null, updatedAt: sql`now()` })
      .where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt), ne(webhooks.status, 'paused')))
      .returning();
    if (!moved) return viewWebhook(await row(tx, partnerId, id));
    await enqueueWebhookEvent(tx, moved, 'webhook.paused');
    return viewWebhook(moved);
  });
}

export { row as webhookRow };
