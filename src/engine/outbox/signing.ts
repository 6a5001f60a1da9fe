// How a delivery proves it came from fleetgate. Two schemes, chosen per subscription:
// - catena (default), as Catena's webhook docs describe it: X-Catena-Signature = base64(HMAC-SHA256(secret,
//   timestamp + "." + uncompressed payload)), the key being the secret's UTF-8 bytes as the partner gave
//   or received it, X-Catena-Timestamp = that timestamp (RFC 3339, UTC); the body goes gzip-compressed.
// - standard_webhooks (https://www.standardwebhooks.com), fleetgate's earlier scheme: webhook-id,
//   webhook-timestamp and webhook-signature = "v1," + base64(HMAC-SHA256(key, id.ts.body)), key = the
//   base64 part of the "whsec_" secret. Partners verify with an off-the-shelf library.
//
// The secret must be read back to sign every delivery, so it is stored sealed (AES-GCM under the
// deployment's sealing key) rather than hashed. Sealing and unsealing live here, side by side, so the
// associated data binding a sealed secret to its webhook is spelled in one place only.
import { createHmac, randomBytes } from 'node:crypto';
import type { SigningScheme } from '../../contract/webhooks.ts';
import { seal, unseal } from '../../platform/keys.ts';
import type { ValidationProblem } from '../../platform/errors.ts';

const SECRET_PREFIX = 'whsec_';

/** A fresh Standard Webhooks secret: "whsec_" + 24 random bytes in base64 (the scheme allows 24 to 64). */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

/** A fresh Catena-style secret: 32 characters of [A-Za-z0-9_-] (192 random bits). */
export function newCatenaSecret(): string {
  return randomBytes(24).toString('base64url');
}

export const newSecretFor = (scheme: SigningScheme) => (scheme === 'catena' ? newCatenaSecret() : newWebhookSecret());

/** Why `secret` cannot sign `scheme` deliveries, or null when it can. */
export function secretProblem(scheme: SigningScheme, secret: string): string | null {
  if (scheme === 'catena') return secret.length >= 1 ? null : 'must not be empty';
  const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  const bytes = m ? Buffer.from(m[1]!, 'base64').length : 0;
  return m && bytes >= 24 && bytes <= 64 ? null : 'a standard_webhooks secret is whsec_ followed by the base64 of 24 to 64 bytes';
}

export function secretProblems(scheme: SigningScheme, secret: string): ValidationProblem[] {
  const problem = secretProblem(scheme, secret);
  return problem ? [{ path: ['body', 'secret'], input: undefined, message: problem, error_type: 'value_error' }] : [];
}

// Bound to the webhook id: a sealed secret copied onto another webhook row does not open.
const associatedData = (webhookId: string) => `webhook:${webhookId}`;

export function sealWebhookSecret(sealingKey: Buffer, webhookId: string, secret: string): string {
  return seal(sealingKey, secret, associatedData(webhookId));
}

/** Throws when the value was sealed under another key (the encryption key changed) or was tampered with. */
export function unsealWebhookSecret(sealingKey: Buffer, webhookId: string, sealed: string): string {
  return unseal(sealingKey, sealed, associatedData(webhookId));
}

export function signPayload(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The three Standard Webhooks headers of one delivery attempt. */
export function signatureHeaders(secret: string, messageId: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signPayload(secret, messageId, timestampSeconds, body),
  };
}

/** RFC 3339 in UTC to the second, written as Catena's docs show it: 2024-11-28T10:30:00+00:00. */
export const catenaTimestamp = (at: Date) => `${at.toISOString().slice(0, 19)}+00:00`;

/** X-Catena-Signature of one attempt: over the timestamp header's exact text and the uncompressed body. */
export function catenaSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.${body}`).digest('base64');
}
