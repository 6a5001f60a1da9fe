// A webhook receiver written the way Catena's docs tell a partner to write one ("Webhooks Security &
// Validation", "Webhook Quick Start"), not from fleetgate's code: decompress the gzip body, verify
// X-Catena-Signature = base64(HMAC-SHA256(webhook_secret, timestamp + "." + uncompressed_payload)) in
// constant time, reject an X-Catena-Timestamp (RFC 3339) more than 5 minutes old, then parse the envelope
// {version, event_name, data: [...], webhook_id, id, timestamp, delivery_attempt} and route it by
// X-Event-Type. It answers 202 Accepted, or 401 with the reason when a delivery does not verify.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface CatenaEnvelope {
  version: string;
  event_name: string;
  data: Array<Record<string, unknown>>;
  webhook_id: string;
  id: string;
  timestamp: string | null;
  delivery_attempt: number;
}

export interface CatenaDelivery {
  headers: http.IncomingHttpHeaders;
  envelope: CatenaEnvelope;
  /** The uncompressed payload, exactly as signed. */
  payload: string;
}

export interface Rejection {
  reason: string;
  headers: http.IncomingHttpHeaders;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const FIVE_MINUTES_MS = 5 * 60_000;

const header = (h: http.IncomingHttpHeaders, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Verifies one request as Catena's docs describe; returns the delivery or why it is refused. */
export function verifyCatenaDelivery(
  headers: http.IncomingHttpHeaders,
  raw: Buffer,
  secretFor: (webhookId: string) => string | undefined,
  now = Date.now(),
): CatenaDelivery | { reason: string } {
  if (!/^application\/json/.test(header(headers, 'content-type') ?? '')) return { reason: 'content-type is not application/json' };
  let payload: string;
  try {
    payload = header(headers, 'content-encoding') === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  } catch {
    return { reason: 'body does not gunzip' };
  }
  if (header(headers, 'content-encoding') !== 'gzip') return { reason: 'body not gzip-compressed' };
  const timestamp = header(headers, 'x-catena-timestamp');
  if (!timestamp || !RFC3339.test(timestamp)) return { reason: `X-Catena-Timestamp is not RFC 3339: ${timestamp}` };
  if (Math.abs(now - Date.parse(timestamp)) > FIVE_MINUTES_MS) return { reason: 'X-Catena-Timestamp older than 5 minutes' };
  const webhookId = header(headers, 'x-webhook-id') ?? '';
  const secret = secretFor(webhookId);
  if (!secret) return { reason: `no secret for webhook ${webhookId}` };
  const expected = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest();
  const given = Buffer.from(header(headers, 'x-catena-signature') ?? '', 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { reason: 'X-Catena-Signature does not verify' };

  let envelope: CatenaEnvelope;
  try {
    envelope = JSON.parse(payload) as CatenaEnvelope;
  } catch {
    return { reason: 'payload is not JSON' };
  }
  const problems: string[] = [];
  if (typeof envelope.version !== 'string' || !/^\d+\.\d+$/.test(envelope.version)) problems.push('version');
  if (header(headers, 'x-schema-version') !== envelope.version) problems.push('X-Schema-Version');
  if (typeof envelope.event_name !== 'string' || header(headers, 'x-event-type') !== envelope.event_name) problems.push('X-Event-Type');
  if (envelope.webhook_id !== webhookId || !UUID.test(webhookId)) problems.push('webhook_id');
  if (!UUID.test(String(envelope.id))) problems.push('id');
  if (!UUID.test(header(headers, 'x-request-id') ?? '')) problems.push('X-Request-ID');
  const attempt = Number(header(headers, 'x-delivery-attempt'));
  if (!Number.isInteger(attempt) || attempt < 1 || envelope.delivery_attempt !== attempt) problems.push('X-Delivery-Attempt');
  if (!Array.isArray(envelope.data) || envelope.data.length < 1) problems.push('data');
  if (envelope.timestamp !== null && Number.isNaN(Date.parse(String(envelope.timestamp)))) problems.push('timestamp');
  if (problems.length) return { reason: `envelope or headers wrong: ${problems.join(', ')}` };
  return { headers, envelope, payload };
}

/** A receiver on a loopback port; `answer` may fail an accepted delivery on purpose (a 5xx to retry). */
export async function startCatenaReceiver(secretFor: (webhookId: string) => string | undefined, answer: (d: CatenaDelivery) => number = () => 202) {
  const accepted: CatenaDelivery[] = [];
  const rejected: Rejection[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const verdict = verifyCatenaDelivery(req.headers, Buffer.concat(chunks), secretFor);
      if ('reason' in verdict) {
        rejected.push({ reason: verdict.reason, headers: req.headers });
        res.writeHead(401).end();
        return;
      }
      accepted.push(verdict);
      res.writeHead(answer(verdict)).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/webhooks/catena`,
    accepted,
    rejected,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
