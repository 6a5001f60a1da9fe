// Access tokens: HS256 JWTs signed with a key derived from the deployment's encryption key, so any
// fleetgate process on the same database verifies tokens any other issued. Each carries a jti, the id
// under which it can be revoked (revocations.ts).
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Scope } from './scopes.ts';
import { isScope } from './scopes.ts';

export const TOKEN_TTL_SECONDS = 3600;
const ISSUER = 'fleetgate';
const AUDIENCE = 'fleetgate-api';

export interface Principal {
  partnerId: string;
  clientId: string;
  scopes: Scope[];
}

/** A token that verified: who it speaks for, the id it is revoked by, and when it expires. */
export interface VerifiedToken extends Principal {
  /** The jti claim; for a token issued before tokens carried one, a hash of the token itself. */
  tokenId: string;
  expiresAtMs: number;
}

export async function issueToken(
  key: Uint8Array,
  principal: Principal,
  nowSeconds: number,
  ttlSeconds = TOKEN_TTL_SECONDS,
): Promise<string> {
  return new SignJWT({ pid: principal.partnerId, scope: principal.scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.clientId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(randomBytes(16).toString('base64url'))
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ttlSeconds)
    .sign(key);
}

// Verifying an HS256 signature goes through WebCrypto and was a tenth of the CPU of a write request;
// a token's signature and claims cannot change before it expires, so verified tokens are remembered
// (per signing key, bounded, oldest forgotten first) and only their expiry is checked again. Revocation
// is checked by the caller on every request, outside this cache (http/auth.ts).
const MAX_REMEMBERED = 10_000;
const remembered = new WeakMap<Uint8Array, Map<string, VerifiedToken>>();

/** The verified token, or undefined for anything expired, tampered, malformed or foreign. */
export async function verifyToken(key: Uint8Array, token: string, now: Date): Promise<VerifiedToken | undefined> {
  let cache = remembered.get(key);
  if (!cache) remembered.set(key, (cache = new Map()));
  const hit = cache.get(token);
  if (hit) {
    if (now.getTime() < hit.expiresAtMs) return hit;
    cache.delete(token);
    return undefined;
  }
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: now,
    });
    if (typeof payload.pid !== 'string' || typeof payload.sub !== 'string' || typeof payload.scope !== 'string' || typeof payload.exp !== 'number')
      return undefined;
    const verified: VerifiedToken = {
      partnerId: payload.pid,
      clientId: payload.sub,
      scopes: payload.scope.split(' ').filter(isScope),
      tokenId: typeof payload.jti === 'string' ? payload.jti : `sha256:${createHash('sha256').update(token).digest('base64url')}`,
      expiresAtMs: payload.exp * 1000,
    };
    if (cache.size >= MAX_REMEMBERED) cache.delete(cache.keys().next().value!);
    cache.set(token, verified);
    return verified;
  } catch {
    return undefined;
  }
}
