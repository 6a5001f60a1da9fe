// Webhook delivery: at least once, with back-off, in Catena's envelope and headers; an endpoint that
// keeps failing is marked stale by the circuit breaker (breaker.ts: its deliveries wait) rather than
// hammered, and resumes when the partner activates it. A delivery whose every attempt failed is the
// dead-letter queue's: replay sends it again.
//
// Every claim ends in a recorded attempt. The claim counts the attempt before anything is tried, so a
// failure that is fleetgate's own (the secret no longer unseals after an encryption-key change, a
// signing or recording error) is recorded as a failed attempt and follows the same schedule as an
// endpoint failure. Left unrecorded, it would hold the lease until it expired and be claimed again,
// forever and silently.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { and, eq, sql } from 'drizzle-orm';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { EVENT_SCHEMA_VERSION } from '../../contract/webhooks.ts';
import type { SigningScheme } from '../../contract/webhooks.ts';
import type { Db } from '../../db/client.ts';
import { webhookAttempts, webhookDeliveries, webhooks } from '../../db/schema.ts';
import type { Services } from '../../platform/services.ts';
import { outboundDispatcher } from '../../platform/urls.ts';
import { readCapped } from '../../tsps/kit/http.ts';
import { afterAttempt, tripReason } from './breaker.ts';
import { enqueueWebhookEvent } from './enqueue.ts';
import { catenaSignature, catenaTimestamp, signatureHeaders, unsealWebhookSecret } from './signing.ts';

/** Catena's answer budget: "Your endpoint must respond within 3 seconds to avoid timeout failures." */
export const DELIVERY_TIMEOUT_MS = 3_000;
// A claim outlasts one attempt (the HTTP timeout plus signing and recording) several times over, so
// only a worker that died mid-attempt loses its claim.
const LEASE_MS = DELIVERY_TIMEOUT_MS * 3;
// Retry schedule of one delivery, in units of the retry base (1 s by default): 1 s, 5 s, 30 s, 2 min,
// 10 min, 30 min, 1 h, 2 h, 5 h, 10 h, 10 h: a delivery keeps trying for about 29 hours, so a
// partner's outage of a day loses nothing. Long before that, the circuit breaker marks the webhook
// stale, and its deliveries wait for it to be activated.
const DELIVERY_SCHEDULE = [1, 5, 30, 120, 600, 1800, 3600, 7200, 18_000, 36_000, 36_000] as const;
export const MAX_DELIVERY_ATTEMPTS = DELIVERY_SCHEDULE.length + 1;
// Error texts are read by partners in the delivery log: short, one line.
const MAX_ERROR_CHARS = 500;
/**
 * The most of an endpoint's answer read. Only its status counts; the body is read for an excerpt in the
 * log of a failed attempt, and past this the connection is closed rather than drained, so an endpoint
 * cannot hold a worker (or its memory) with an endless answer.
 */
export const MAX_WEBHOOK_RESPONSE_BYTES = 64 * 1024;
const EXCERPT_CHARS = 200;

/** The wait after failed attempt number `attempt` (1-based) before the next one. */
export function retryDelayMs(attempt: number, baseDelayMs: number): number {
  return DELIVERY_SCHEDULE[Math.min(Math.max(attempt, 1), DELIVERY_SCHEDULE.length) - 1]! * baseDelayMs;
}

export interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  message_id: string;
  event_type: string;
  payload: unknown;
  /** This attempt's number, counted by the claim (1-based, at most MAX_DELIVERY_ATTEMPTS). */
  attempts: number;
  /** The claim's lease_until, as UTC text: recording checks it to know the claim is still this one. */
  lease: string;
  url: string;
  signing: SigningScheme;
  secret_sealed: string;
  /** The id the secret was sealed under when not the webhook's own (see schema.ts). */
  secret_seal_id: string | null;
}

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

interface AttemptResult {
  statusCode: number | null;
  error: string | null;
  /** The X-Request-ID sent (a fresh one per attempt, as Catena's). */
  requestId: string;
}

export async function claimDeliveries(services: Services, limit: number): Promise<ClaimedDelivery[]> {
  // LEAST: the count never passes the last attempt. A worker that died during the last attempt left no
  // record; the re-claim is that last attempt again, so the count and the attempt log still agree and
  // recording it ends the delivery. (Rows counted past the end by older versions come back into range.)
  const res = (await services.database.db.execute(sql`
    UPDATE webhook_deliveries d
       SET lease_until = now() + ${LEASE_MS} * interval '1 millisecond',
           attempts = LEAST(d.attempts + 1, ${MAX_DELIVERY_ATTEMPTS}::int)
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
    RETURNING d.id, d.webhook_id, d.message_id, d.event_type, d.payload, d.attempts,
              to_char(d.lease_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS lease,
              w.url, w.signing, w.secret_sealed, w.secret_seal_id`)) as unknown as { rows: ClaimedDelivery[] };
  return res.rows;
}

/**
 * One attempt of a claimed delivery, always recorded: an endpoint failure, and fleetgate's own failure
 * to sign or send, are both failed attempts on the schedule. Rejects only when even a fleetgate failure
 * cannot be recorded (the database is unreachable); the lease then expires and the delivery is claimed
 * again, as a crashed worker's would be.
 */
export async function deliver(services: Services, d: ClaimedDelivery): Promise<DeliveryOutcome> {
  const started = performance.now();
  const result = await attempt(services, d);
  const durationMs = Math.round(performance.now() - started);
  let recorded: AttemptResult = result;
  let outcome: DeliveryOutcome;
  try {
    outcome = await record(services, d, result, durationMs);
  } catch (err) {
    // The transaction rolled back, so nothing of the attempt is stored: store it as fleetgate's failure
    // (a value the database refused, a serialization failure) so the delivery still moves on.
    services.logger.warn({ err: { message: messageOf(err) }, delivery_id: d.id }, 'webhook delivery: recording the attempt failed');
    recorded = { statusCode: null, error: fleetgateError('record', err), requestId: result.requestId };
    outcome = await record(services, d, recorded, durationMs);
  }
  services.events.emit('webhook:delivery', { webhookId: d.webhook_id, eventName: d.event_type, outcome, statusCode: recorded.statusCode, durationMs });
  return outcome;
}

interface StoredPayload {
  version?: string;
  event_name?: string;
  data?: unknown[];
  timestamp?: string;
}

/**
 * The body of one attempt, in Catena's key order: {version, event_name, data, webhook_id, id, timestamp,
 * delivery_attempt}. `id` is the message's (the same on every attempt), `delivery_attempt` this attempt's
 * number, as X-Delivery-Attempt says.
 */
export function envelopeOf(d: Pick<ClaimedDelivery, 'webhook_id' | 'message_id' | 'event_type' | 'payload' | 'attempts'>): string {
  const p = (d.payload ?? {}) as StoredPayload;
  return JSON.stringify({
    version: p.version ?? EVENT_SCHEMA_VERSION,
    event_name: p.event_name ?? d.event_type,
    data: p.data ?? [],
    webhook_id: d.webhook_id,
    id: d.message_id,
    timestamp: p.timestamp ?? null,
    delivery_attempt: d.attempts,
  });
}

async function attempt(services: Services, d: ClaimedDelivery): Promise<AttemptResult> {
  let step: Step = 'prepare';
  let secret: string | undefined;
  const requestId = randomUUID();
  try {
    const json = envelopeOf(d);
    const at = services.clock.now();
    step = 'unseal';
    secret = unsealWebhookSecret(services.keys.sealing, d.secret_seal_id ?? d.webhook_id, d.secret_sealed);
    step = 'sign';
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'fleetgate-webhooks/0.1',
      'x-source': 'fleetgate',
      'x-event-type': d.event_type,
      'x-schema-version': ((d.payload ?? {}) as StoredPayload).version ?? EVENT_SCHEMA_VERSION,
      'x-webhook-id': d.webhook_id,
      'x-request-id': requestId,
      'x-delivery-attempt': String(d.attempts),
    };
    let body: string | Buffer = json;
    if (d.signing === 'standard_webhooks') {
      // Plain JSON: a Standard Webhooks library verifies the body exactly as received.
      Object.assign(headers, signatureHeaders(secret, d.message_id, Math.floor(at.getTime() / 1000), json));
    } else {
      const timestamp = catenaTimestamp(at);
      headers['x-catena-timestamp'] = timestamp;
      headers['x-catena-signature'] = catenaSignature(secret, timestamp, json);
      headers['content-encoding'] = 'gzip';
      body = gzipSync(json);
    }
    step = 'send';
    return { ...(await post(d.url, headers, body, outboundDispatcher(services.config))), requestId };
  } catch (err) {
    return { statusCode: null, error: fleetgateError(step, err, [secret, d.secret_sealed]), requestId };
  }
}

// Failures of the endpoint or the network: the partner's to fix, reported as such. The endpoint is
// reached through the address guard (`dispatcher`), which checks the address actually connected to.
async function post(
  url: string,
  headers: Record<string, string>,
  body: string | Buffer,
  dispatcher: Dispatcher | undefined,
): Promise<Omit<AttemptResult, 'requestId'>> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      ...(dispatcher && { dispatcher }),
    });
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    if (ok) {
      // Nothing of a success is kept: read at most the cap, then close.
      await res.body.dump({ limit: MAX_WEBHOOK_RESPONSE_BYTES });
      return { statusCode: res.statusCode, error: null };
    }
    const answer = await readExcerpt(res.body);
    return { statusCode: res.statusCode, error: `endpoint answered ${res.statusCode}${answer ? `: ${answer}` : ''}` };
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    return { statusCode: null, error: timedOut ? `no answer within ${DELIVERY_TIMEOUT_MS} ms` : `could not connect: ${messageOf(err)}` };
  }
}

/** The start of a failed answer, one line, for the log; at most MAX_WEBHOOK_RESPONSE_BYTES are read. */
async function readExcerpt(body: Dispatcher.ResponseData['body']): Promise<string> {
  const { text, truncated } = await readCapped(body, MAX_WEBHOOK_RESPONSE_BYTES);
  const flat = text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  const excerpt = flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
  return truncated ? `${excerpt} (answer over ${MAX_WEBHOOK_RESPONSE_BYTES / 1024} KiB, not read further)` : excerpt;
}

async function record(services: Services, d: ClaimedDelivery, r: AttemptResult, durationMs: number): Promise<DeliveryOutcome> {
  const ok = r.error === null;
  // The claim's count decides, so the last claimed attempt is the last recorded one.
  const outcome: DeliveryOutcome = ok ? 'delivered' : d.attempts >= MAX_DELIVERY_ATTEMPTS ? 'failed' : 'retry';
  const delay = outcome === 'retry' ? retryDelayMs(d.attempts, services.config.retry.baseDelayMs) : 0;
  return services.database.db.transaction(async (tx) => {
    // The attempt happened, so it is logged even if the claim was lost meanwhile.
    await tx.insert(webhookAttempts).values({
      deliveryId: d.id,
      webhookId: d.webhook_id,
      attempt: d.attempts,
      requestId: r.requestId,
      statusCode: r.statusCode,
      error: r.error,
      durationMs,
    });
    const held = await tx
      .update(webhookDeliveries)
      .set({
        status: outcome === 'retry' ? 'pending' : outcome,
        leaseUntil: null,
        nextAttemptAt: sql`now() + ${delay} * interval '1 millisecond'`,
        lastStatusCode: r.statusCode,
        lastError: r.error,
        deadLetteredAt: outcome === 'failed' ? sql`now()` : null,
        updatedAt: sql`now()`,
      })
      // Compare-and-set on the claim: a worker whose lease expired mid-attempt (another has claimed the
      // delivery since) must not overwrite the newer attempt's state nor count against the webhook twice.
      .where(and(eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.status, 'pending'), sql`${webhookDeliveries.leaseUntil} = ${d.lease}::timestamptz`))
      .returning({ id: webhookDeliveries.id });
    if (!held.length) {
      services.logger.warn({ delivery_id: d.id, attempt: d.attempts }, 'webhook delivery: claim lost before the attempt was recorded');
      return outcome;
    }
    await countAttempt(tx, d.webhook_id, ok);
    return outcome;
  });
}

/**
 * The circuit breaker's part of an attempt, in the attempt's transaction: the webhook's row is locked so
 * concurrent attempts of one webhook count one after the other. FOR NO KEY UPDATE, not FOR UPDATE: the
 * attempt rows just inserted hold key-share locks on the webhook through their foreign key, and two
 * attempts each holding one while asking FOR UPDATE would deadlock. Only an active webhook past its grace
 * period is evaluated (database time); tripping makes it stale and raises webhook.staled.
 */
async function countAttempt(tx: Db, webhookId: string, ok: boolean): Promise<void> {
  const res = (await tx.execute(sql`
    SELECT status, breaker_attempts, breaker_successes, ewma_success_rate, consecutive_failures, grace_until <= now() AS evaluable
      FROM webhooks WHERE id = ${webhookId} FOR NO KEY UPDATE`)) as unknown as { rows: Array<Record<string, unknown>> };
  const w = res.rows[0];
  if (!w) return;
  const next = afterAttempt(
    {
      attempts: Number(w.breaker_attempts),
      successes: Number(w.breaker_successes),
      ewma: w.ewma_success_rate === null ? null : Number(w.ewma_success_rate),
      consecutiveFailures: Number(w.consecutive_failures),
    },
    ok,
  );
  const reason = w.status === 'active' && w.evaluable === true ? tripReason(next) : null;
  const [updated] = await tx
    .update(webhooks)
    .set({
      breakerAttempts: next.attempts,
      breakerSuccesses: next.successes,
      ewmaSuccessRate: next.ewma,
      consecutiveFailures: next.consecutiveFailures,
      ...(reason && { status: 'stale', staleReason: reason, updatedAt: sql`now()` }),
    })
    .where(eq(webhooks.id, webhookId))
    .returning();
  if (reason && updated) await enqueueWebhookEvent(tx, updated, 'webhook.staled');
}

type Step = 'prepare' | 'unseal' | 'sign' | 'send' | 'record';

// Worded for the partner reading the log: it says the failure is fleetgate's, not their endpoint's.
const FAILED_TO: Record<Step, string> = {
  prepare: 'prepare the delivery',
  unseal: 'sign the delivery: the webhook secret does not unseal with the current encryption key',
  sign: 'sign the delivery',
  send: 'send the delivery',
  record: 'record the attempt',
};

function fleetgateError(step: Step, err: unknown, secrets: (string | undefined)[] = []): string {
  let text = `fleetgate could not ${FAILED_TO[step]}: ${messageOf(err)}`;
  // Error messages are not written with secrets in mind: take out the secret, its key, its sealed form
  // and anything shaped like a signing secret before the text reaches a partner-visible log.
  for (const s of secrets) {
    if (!s) continue;
    for (const form of new Set([s, s.replace(/^whsec_/, '')])) if (form.length >= 8) text = text.split(form).join('[redacted]');
  }
  text = text.replace(/whsec_[A-Za-z0-9+/=]+/g, 'whsec_[redacted]');
  // One line, and no NUL (PostgreSQL text refuses it, which would fail the recording itself).
  text = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}

function messageOf(err: unknown): string {
  if (!(err instanceof Error)) {
    try {
      return String(err);
    } catch {
      return 'unknown error';
    }
  }
  // Drizzle wraps a driver error in "Failed query: <sql> params: <values>"; the cause says what went wrong.
  if (err.cause instanceof Error && err.message.startsWith('Failed query')) return err.cause.message;
  return err.message || err.name;
}
