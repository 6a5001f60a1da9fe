// Operation events for webhooks, written as webhook deliveries (an outbox) inside the transaction
// that changes the operation, so a delivery exists exactly when the change does.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { operationLogs, webhookDeliveries, webhooks } from '../../db/schema.ts';
import type { OperationRow } from '../operations/reads.ts';
import { viewOperation } from '../operations/reads.ts';

export const EVENT_TYPES = ['resource_operation.created', 'resource_operation.succeeded', 'resource_operation.failed'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export async function enqueueOperationEvent(tx: Db, op: OperationRow, type: EventType): Promise<void> {
  const subscribed = await tx
    .select({ id: webhooks.id, events: webhooks.events })
    .from(webhooks)
    // Paused webhooks get their deliveries too: they wait (the delivery loop skips paused webhooks)
    // and go out when the partner re-enables the webhook.
    .where(and(eq(webhooks.partnerId, op.partnerId), isNull(webhooks.deletedAt)));
  const targets = subscribed.filter((w) => w.events.includes(type));
  if (!targets.length) return;
  const logs = await tx.select().from(operationLogs).where(eq(operationLogs.resourceOperationId, op.id)).orderBy(asc(operationLogs.attempt));
  const payload = { type, timestamp: new Date().toISOString(), data: viewOperation(op, logs) };
  await tx.insert(webhookDeliveries).values(
    targets.map((w) => ({ webhookId: w.id, messageId: `msg_${randomUUID().replace(/-/g, '')}`, eventType: type, payload })),
  );
}
