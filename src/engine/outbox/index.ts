// The webhook outbox, one entry point for the layers above (http routes, the worker, tests): events are
// enqueued inside the caller's transaction (enqueue), partners manage subscriptions and read logs
// (subscriptions), the worker claims and delivers (delivery), signed the Standard Webhooks way (signing).
// The engine's operation modules import ./enqueue.ts directly, not this index: through here they would
// also load the delivery client and the subscription code, and their import cycle with enqueue.ts
// (it builds the payload with operations/reads.ts) would take in the whole outbox.
export { CONNECTION_EVENT_TYPES, EVENT_TYPES, enqueueConnectionEvent, enqueueOperationEvent } from './enqueue.ts';
export type { ConnectionEventType, EventType } from './enqueue.ts';
export { createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook, webhookLogs } from './subscriptions.ts';
export type { WebhookView } from './subscriptions.ts';
export { newWebhookSecret, signPayload, signatureHeaders } from './signing.ts';
export { DELIVERY_TIMEOUT_MS, MAX_DELIVERY_ATTEMPTS, MAX_WEBHOOK_RESPONSE_BYTES, PAUSE_AFTER_FAILURES, claimDeliveries, deliver, retryDelayMs } from './delivery.ts';
export type { ClaimedDelivery, DeliveryOutcome } from './delivery.ts';
