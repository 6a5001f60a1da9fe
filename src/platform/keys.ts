// Key material. One configured secret (FLEETGATE_ENCRYPTION_KEY, 32 bytes) yields, through HKDF, a key
// for sealing TSP credentials and a key for signing access tokens, so every process sharing the
// database shares both without a second secret to distribute.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Keys {
  sealing: Buffer;
  signing: Uint8Array;
}

export function deriveKeys(masterBase64: string): Keys {
  const master = Buffer.from(masterBase64, 'base64');
  if (master.length !== 32) throw new Error('the encryption key must be 32 bytes');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  return { sealing: derive('fleetgate credential sealing v1'), signing: new Uint8Array(derive('fleetgate token signing v1')) };
}

/** Embedded mode: the key lives in the data directory, created on first start (mode 0600). */
export function loadOrCreateKeyFile(dataDir: string): string {
  const file = path.join(dataDir, 'encryption.key');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

// Sealed format: "v1.<iv>.<tag>.<ciphertext>", base64url parts. AES-256-GCM authenticates, so a
// tampered or foreign-key value fails to open rather than decrypting to garbage.
export function seal(key: Buffer, plaintext: string, associatedData = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function unseal(key: Buffer, sealed: string, associatedData = ''): string {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(associatedData));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}
