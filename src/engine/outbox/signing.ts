// Standard Webhooks signing (https://www.standardwebhooks.com): headers webhook-id, webhook-timestamp
// and webhook-signature = "v1," + base64(HMAC-SHA256(key, id.ts.body)), key = the base64 part of the
// "whsec_" secret. Partners verify with an off-the-shelf library, so this format is a contract.
//
// The secret must be read back to sign every delivery, so it is stored sealed (AES-GCM under the
// deployment's sealing key) rather than hashed. Sealing and unsealing live here, side by side, so the
// associated data binding a sealed secret to its webhook is spelled in one place only.
import { createHmac, randomBytes } from 'node:crypto';
import { seal, unseal } from '../../platform/keys.ts';

const SECRET_PREFIX = 'whsec_';

/** A fresh signing secret: "whsec_" + 24 random bytes in base64 (Standard Webhooks allows 24 to 64). */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
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
