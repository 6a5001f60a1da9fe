// Verifying a delivery before trusting it, for both schemes a fleetgate subscription may sign with
// (its `signing` field):
// - catena: X-Catena-Signature = base64(HMAC-SHA256(secret as UTF-8, X-Catena-Timestamp + "." + body)),
//   the timestamp RFC 3339; the body is sent gzip-compressed and signed uncompressed.
// - standard_webhooks (https://www.standardwebhooks.com): webhook-signature = space-separated "v1,<base64
//   HMAC-SHA256(key, webhook-id + "." + webhook-timestamp + "." + body)>", key the base64 after "whsec_",
//   webhook-timestamp in Unix seconds.
// Signatures are compared in constant time, and a timestamp outside the tolerance is refused so that a
// captured delivery cannot be replayed later. The scheme is the caller's to say, never read off the
// request: a forger must not get to pick how its request is checked.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

export type SigningScheme = 'catena' | 'standard_webhooks';

/** What every delivery carries (Catena's envelope); `data` holds the event's record. */
export interface WebhookEnvelope {
  version: string;
  event_name: string;
  data: unknown[];
  webhook_id: string;
  id: string;
  timestamp: string;
  delivery_attempt: number;
}

export interface VerifyOptions {
  scheme: SigningScheme;
  /** The subscription's secret, as given at create or shown once in its answer. */
  secret: string;
  /** The request's headers (any case; a Fetch Headers or Node's IncomingHttpHeaders). */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The raw body: as received (gzip is undone here when still compressed), never re-serialized JSON. */
  body: string | Uint8Array;
  /** How far the signed timestamp may be from now, either way (default 300 s). */
  toleranceSeconds?: number;
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
}

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

/** The envelope of a delivery whose signature and timestamp check out; throws WebhookVerificationError otherwise. */
export function verifyWebhook(opts: VerifyOptions): WebhookEnvelope {
  const body = bodyText(opts.body);
  const header = headerReader(opts.headers);
  const tolerance = opts.toleranceSeconds ?? 300;
  const nowSeconds = (opts.now ?? Date.now)() / 1000;
  if (opts.scheme === 'catena') {
    const signature = header('x-catena-signature');
    const timestamp = header('x-catena-timestamp');
    if (!signature || !timestamp) throw new WebhookVerificationError('missing X-Catena-Signature or X-Catena-Timestamp');
    // Catena's timestamps are RFC 3339 with a zone; a bare or unparsable one is refused, not guessed at.
    const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(timestamp) ? Date.parse(timestamp) / 1000 : Number.NaN;
    checkTimestamp(at, nowSeconds, tolerance);
    const expected = createHmac('sha256', Buffer.from(opts.secret, 'utf8')).update(`${timestamp}.${body}`).digest();
    if (!sameSignature(signature.trim(), expected)) throw new WebhookVerificationError('signature does not match');
  } else {
    const id = header('webhook-id');
    const timestamp = header('webhook-timestamp');
    const signatures = header('webhook-signature');
    if (!id || !timestamp || !signatures) throw new WebhookVerificationError('missing webhook-id, webhook-timestamp or webhook-signature');
    checkTimestamp(/^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN, nowSeconds, tolerance);
    const key = Buffer.from(opts.secret.replace(/^whsec_/, ''), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
    // Several signatures when the secret is being rotated; any v1 one that matches will do.
    const candidates = signatures.split(' ').flatMap((s) => (s.startsWith('v1,') ? [s.slice(3)] : []));
    if (!candidates.some((c) => sameSignature(c, expected))) throw new WebhookVerificationError('no signature matches');
  }
  return parseEnvelope(body);
}

function checkTimestamp(atSeconds: number, nowSeconds: number, tolerance: number): void {
  if (!Number.isFinite(atSeconds)) throw new WebhookVerificationError('unreadable timestamp');
  if (Math.abs(nowSeconds - atSeconds) > tolerance) throw new WebhookVerificationError(`timestamp outside the tolerance of ${tolerance} s`);
}

/** Constant time in the signature's content; a length mismatch only says the length was wrong. */
function sameSignature(base64: string, expected: Buffer): boolean {
  const given = Buffer.from(base64, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The most a gzip body may unpack to (fleetgate's deliveries are far smaller). */
export const MAX_UNPACKED_BYTES = 16 * 1024 * 1024;

function bodyText(body: string | Uint8Array): string {
  if (typeof body === 'string') return body;
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // gzip's magic number: a framework that did not honour Content-Encoding hands over the compressed bytes.
  if (!(bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes.toString('utf8');
  // Unpacked before the signature can be checked, so bounded: a few KiB of gzip can expand to gigabytes.
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED_BYTES }).toString('utf8');
  } catch (err) {
    throw new WebhookVerificationError(`gzip body unreadable or over ${MAX_UNPACKED_BYTES} bytes unpacked: ${(err as Error).message}`);
  }
}

function headerReader(headers: VerifyOptions['headers']): (name: string) => string | undefined {
  if (headers instanceof Headers) return (name) => headers.get(name) ?? undefined;
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => {
    const v = lower.get(name);
    return Array.isArray(v) ? v[0] : v;
  };
}

function parseEnvelope(body: string): WebhookEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new WebhookVerificationError('signed body is not JSON');
  }
  const e = parsed as WebhookEnvelope;
  if (!e || typeof e.event_name !== 'string' || !Array.isArray(e.data)) throw new WebhookVerificationError('signed body is not a fleetgate envelope');
  return e;
}
