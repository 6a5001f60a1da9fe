// Operation and connection events for webhooks, written as webhook deliveries (an outbox) inside the
// transaction that changes the operation or the connection, so a delivery exists exactly when the change does.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { Connection } from '../../contract/connections.ts';
import type { Db } from '../../db/client.ts';
import { operationLogs, webhookDeliveries, webhooks } from '../../db/schema.ts';
import type { OperationRow } from '../operations/reads.ts';
import { viewOperation } from '../operations/reads.ts';

type ConnectionView = z.infer<typeof Connection>;

/**
 * Connection events carry Catena's names: `connection.staled` (Catena's word for a connection that stopped
 * working) when the TSP refuses a connection's credentials, and `connection.activated` when working
 * credentials bring it back (Catena has no connection event for that; `activated` is the verb it uses
 * for a staled webhook made active again, the same pair).
 */
export const CONNECTION_EVENT_TYPES = ['connection.staled', 'connection.activated'] as const;
export type ConnectionEventType = (typeof CONNECTION_EVENT_TYPES)[number];

export const EVENT_TYPES = ['resource_operation.created', 'resource_operation.succeeded', 'resource_operation.failed', ...CONNECTION_EVENT_TYPES] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export type OperationEventType = Exclude<EventType, ConnectionEventType>;

/** The webhooks of a partner subscribed to `type` (paused ones too: their deliveries wait). */
async function subscribers(tx: Db, partnerId: string, type: EventType): Promise<string[]> {
  const subscribed = await tx
    .select({ id: webhooks.id, events: webhooks.events })
    .from(webhooks)
    // Paused webhooks get their deliveries too: they wait (the delivery loop skips paused webhooks)
    // and go out when the partner re-enables the webhook.
    .where(and(eq(webhooks.partnerId, partnerId), isNull(webhooks.deletedAt)));
  return subscribed.filter((w) => w.events.includes(type)).map((w) => w.id);
}

async function insertDeliveries(tx: Db, targets: string[], type: EventType, data: unknown): Promise<void> {
  const payload = { type, timestamp: new Date().toISOString(), data };
  await tx.insert(webhookDeliveries).values(
    targets.map((webhookId) => ({ webhookId, messageId: `msg_${randomUUID().replace(/-/g, '')}`, eventType: type, payload })),
  );
}

export async function enqueueOperationEvent(tx: Db, op: OperationRow, type: EventType): Promise<void> {
  const targets = await subscribers(tx, op.partnerId, type);
  if (!targets.length) return;
  const logs = await tx.select().from(operationLogs).where(eq(operationLogs.resourceOperationId, op.id)).orderBy(asc(operationLogs.attempt));
  await insertDeliveries(tx, targets, type, viewOperation(op, logs));
}

/**
 * A connection's event, inside the transaction that changed its status. The data is the Connection
 * view without its credentials (masked or not, they have no business in a webhook).
 */
export async function enqueueConnectionEvent(
  tx: Db,
  partnerId: string,
  type: ConnectionEventType,
  connection: Omit<ConnectionView, 'credentials'> & { credentials?: unknown },
): Promise<void> {
  const targets = await subscribers(tx, partnerId, type);
  if (!targets.length) return;
  const { credentials: _never, ...data } = connection;
  await insertDeliveries(tx, targets, type, data);
}
