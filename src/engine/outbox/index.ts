// The webhook outbox, one entry point for the layers above (http routes, the worker, tests): events are
// enqueued inside the caller's transaction (enqueue), partners manage subscriptions (subscriptions) and
// read logs and metrics or replay the dead-letter queue (monitoring), the worker claims and delivers
// (delivery) under the circuit breaker (breaker), signed Catena's way or the Standard Webhooks way (signing).
// The engine's operation modules import ./enqueue.ts directly, not this index: through here they would
// also load the delivery client and the subscription code, and their import cycle with enqueue.ts
// (it builds the payload with operations/reads.ts) would take in the whole outbox.
export { connectionEventItem, enqueueConnectionEvent, enqueueOperationEvent, enqueueWebhookEvent, passesFilters, uuidv7 } from './enqueue.ts';
export type { ConnectionEventType, EventType, OperationEventType, WebhookEventType } from './enqueue.ts';
export { activateWebhook, createWebhooks, deleteWebhook, getWebhook, listWebhooks, pauseWebhook, updateWebhook, viewWebhook, webhookOwner } from './subscriptions.ts';
export type { CreateInput, ListQuery, UpdateInput, WebhookCreatedView, WebhookReadView } from './subscriptions.ts';
export { DLQ_DAYS, SUCCESS_RATE_MIN_MESSAGES, replayDeadLetters, webhookLogs, webhookMetrics } from './monitoring.ts';
export type { LogQuery } from './monitoring.ts';
export { catenaSignature, catenaTimestamp, newCatenaSecret, newWebhookSecret, signPayload, signatureHeaders } from './signing.ts';
export { BREAKER_GRACE_MS, EWMA_ALPHA, EWMA_THRESHOLD, FAILURES_IN_A_ROW, HIGH_VOLUME, MEDIUM_THRESHOLD, MEDIUM_VOLUME, afterAttempt, tripReason } from './breaker.ts';
export { DELIVERY_TIMEOUT_MS, MAX_DELIVERY_ATTEMPTS, MAX_WEBHOOK_RESPONSE_BYTES, claimDeliveries, deliver, envelopeOf, retryDelayMs } from './delivery.ts';
export type { ClaimedDelivery, DeliveryOutcome } from './delivery.ts';
export { REDACTED, redactUrl } from './redact.ts';
