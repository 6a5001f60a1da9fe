// Events for webhooks, written as webhook deliveries (an outbox) inside the transaction that makes the
// change (an operation's transition, a connection's status, a subscription's lifecycle), so a delivery
// exists exactly when the change does. Names and data are Catena's: `data` is an array of one record of
// the event's type (BaseResourceOperationEvent, BaseConnectionEvent, BaseWebhookEvent).
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { EVENT_SCHEMA_VERSION } from '../../contract/webhooks.ts';
import type { EmittedEventName } from '../../contract/webhooks.ts';
import type { Db } from '../../db/client.ts';
import { connections, operationLogs, webhookDeliveries, webhooks } from '../../db/schema.ts';
import { adapterFor } from '../../tsps/registry.ts';
import type { OperationRow } from '../operations/reads.ts';
import { viewOperation } from '../operations/reads.ts';
import { redactUrl } from './redact.ts';

type ConnectionRow = typeof connections.$inferSelect;
type WebhookRow = typeof webhooks.$inferSelect;

export type EventType = EmittedEventName;
export type OperationEventType = Extract<EventType, `resource_operation.${string}`>;
/**
 * Connection events fleetgate has the fact of: `connection.created`, and `connection.staled` (Catena's
 * word for a connection that stopped working) when the TSP refuses its credentials. Catena has no event
 * for a connection that works again, so none is sent for it.
 */
export type ConnectionEventType = Extract<EventType, `connection.${string}`>;
export type WebhookEventType = Extract<EventType, `webhook.${string}`>;

/** The fleet an event is about (a connection's), matched against a subscription's filters. */
interface Fleet {
  fleetId: string | null;
  fleetRef: string | null;
}

interface StoredFilters {
  fleet_ids?: string[] | null;
  fleet_refs?: string[] | null;
}

/**
 * Catena's WebhookFilters: no list naming anything lets every event through; otherwise an event of a fleet
 * passes when its fleet is named in either list. Events about no fleet (webhook.*) are never filtered.
 */
export function passesFilters(filters: unknown, fleet: Fleet | null): boolean {
  const f = (filters ?? {}) as StoredFilters;
  const ids = f.fleet_ids ?? [];
  const refs = f.fleet_refs ?? [];
  if (!fleet || (!ids.length && !refs.length)) return true;
  return (fleet.fleetId !== null && ids.includes(fleet.fleetId)) || (fleet.fleetRef !== null && refs.includes(fleet.fleetRef));
}

/**
 * The live subscriptions of a partner that hear `name` (its own name or its group's catch-all). Paused
 * and stale ones too: their deliveries wait (the delivery loop claims only active webhooks) and go out
 * when the partner activates the webhook.
 */
async function subscribers(tx: Db, partnerId: string, name: EventType, fleet: Fleet | null): Promise<string[]> {
  const group = `${name.slice(0, name.indexOf('.'))}.*`;
  const rows = await tx
    .select({ id: webhooks.id, filters: webhooks.filters })
    .from(webhooks)
    .where(and(eq(webhooks.partnerId, partnerId), isNull(webhooks.deletedAt), inArray(webhooks.eventName, [name, group])));
  return rows.filter((w) => passesFilters(w.filters, fleet)).map((w) => w.id);
}

/** A UUID v7 (time-ordered, as Catena's event ids are): 48 bits of Unix milliseconds, then random bits. */
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function insertDeliveries(tx: Db, targets: string[], name: EventType, item: unknown): Promise<void> {
  if (!targets.length) return;
  // The event's time is the database's, the time of the transaction that made the change.
  const payload = sql`jsonb_build_object('version', ${EVENT_SCHEMA_VERSION}::text, 'event_name', ${name}::text,
    'data', jsonb_build_array(${JSON.stringify(item)}::jsonb),
    'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))`;
  await tx.insert(webhookDeliveries).values(targets.map((webhookId) => ({ webhookId, messageId: uuidv7(), eventType: name, payload })));
}

export async function enqueueOperationEvent(tx: Db, op: OperationRow, type: OperationEventType): Promise<void> {
  const [conn] = await tx
    .select({ tsp: connections.tsp, fleetId: connections.fleetId, fleetRef: connections.fleetRef })
    .from(connections)
    .where(eq(connections.id, op.connectionId));
  const fleet = conn ? { fleetId: conn.fleetId, fleetRef: conn.fleetRef } : null;
  const targets = await subscribers(tx, op.partnerId, type, fleet);
  if (!targets.length) return;
  const logs = await tx.select().from(operationLogs).where(eq(operationLogs.resourceOperationId, op.id)).orderBy(asc(operationLogs.attempt));
  // BaseResourceOperationEvent: the operation as the API reads it (it carries source_name and fleet_ref).
  await insertDeliveries(tx, targets, type, viewOperation(op, logs));
}

/** BaseConnectionEvent {id, source_name, fleet_id, tsp_id, status}, and the connection's other fields (never its credentials). */
export function connectionEventItem(row: ConnectionRow): Record<string, unknown> {
  return {
    id: row.id,
    source_name: row.tsp,
    fleet_id: row.fleetId,
    tsp_id: adapterFor(row.tsp)?.tspId ?? null,
    status: row.status,
    fleet_ref: row.fleetRef,
    description: row.description,
    status_reason: row.statusReason,
    failed_at: row.failedAt ? row.failedAt.toISOString() : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** A connection's event, inside the transaction that created it or changed its status. */
export async function enqueueConnectionEvent(tx: Db, row: ConnectionRow, type: ConnectionEventType): Promise<void> {
  const targets = await subscribers(tx, row.partnerId, type, { fleetId: row.fleetId, fleetRef: row.fleetRef });
  await insertDeliveries(tx, targets, type, connectionEventItem(row));
}

/** BaseWebhookEvent {id, url, event_name, filters, status}: the URL redacted as every read shows it. */
export const webhookEventItem = (w: WebhookRow) => ({
  id: w.id,
  url: redactUrl(w.url),
  event_name: w.eventName,
  filters: w.filters ?? null,
  status: w.status,
});

/** A subscription's lifecycle event, inside the transaction that made the change. */
export async function enqueueWebhookEvent(tx: Db, w: WebhookRow, type: WebhookEventType): Promise<void> {
  const targets = await subscribers(tx, w.partnerId, type, null);
  await insertDeliveries(tx, targets, type, webhookEventItem(w));
}
