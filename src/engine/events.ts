// The engine's event map: one event per operation transition (engine/operations/machine.ts names
// them), and the facts no transition carries: each attempt's answer, each rate-limit wait or 429 pause,
// each webhook delivery attempt. The worker wakes on them; metrics and the operations console attach to
// the same bus. Every event is emitted after what it reports is committed.
import type { TypedEmitter } from '../platform/events.ts';
import type { Phase, TransitionName } from './operations/transitions.ts';

export interface OperationTransitionEvent {
  transition: TransitionName;
  operationId: string;
  connectionId: string;
  resource: string;
  /** The connection's TSP (the operation's source_name). */
  tsp: string;
  from: Phase | null;
  to: Phase;
}

/** One attempt of an operation as its log entry records it (succeed, fail, retry_later, hold). */
export interface OperationAttemptEvent {
  operationId: string;
  connectionId: string;
  resource: string;
  tsp: string;
  ok: boolean;
  /** The TSP's answer; null when none came (a timeout, a refusal before any call). */
  statusCode: number | null;
  errorType: string | null;
  durationMs: number;
}

/**
 * A call found no rate-limit slot of its class: it slept for one (`slept`), its operation went back to
 * the queue (`deferred`), or its attempt or sync request was refused (`refused`).
 */
export interface RateLimitWaitEvent {
  connectionId: string;
  tsp: string;
  rateClass: string;
  outcome: 'slept' | 'deferred' | 'refused';
  waitMs: number;
}

/** The TSP answered 429: that class of the connection is paused for `pauseMs`. */
export interface RateLimitPauseEvent {
  connectionId: string;
  tsp: string;
  rateClass: string;
  pauseMs: number;
}

/** One webhook delivery attempt, as recorded. */
export interface WebhookDeliveryEvent {
  webhookId: string;
  eventName: string;
  /** delivered: a 2xx; retry: failed, tried again later; failed: the last attempt failed (dead-lettered). */
  outcome: 'delivered' | 'retry' | 'failed';
  statusCode: number | null;
  durationMs: number;
}

export type EngineEventMap = { [K in TransitionName as `operation:${K}`]: OperationTransitionEvent } & {
  /** Any transition (one listener for all of them). */
  'operation:transition': OperationTransitionEvent;
  'operation:attempt': OperationAttemptEvent;
  'ratelimit:wait': RateLimitWaitEvent;
  'ratelimit:pause': RateLimitPauseEvent;
  'webhook:delivery': WebhookDeliveryEvent;
};

export type EngineEvents = TypedEmitter<EngineEventMap>;
