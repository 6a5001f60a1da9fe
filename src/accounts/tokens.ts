// Access tokens: HS256 JWTs signed with a key derived from the deployment's encryption key, so any
// fleetgate process on the same database verifies tokens any other issued.
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
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ttlSeconds)
    .sign(key);
}

// Verifying an HS256 signature goes through WebCrypto and was a tenth of the CPU of a write request;
// a token's verdict cannot change before it expires, so verified tokens are remembered (per signing
// key, bounded, oldest forgotten first) and only their expiry is checked again.
const MAX_REMEMBERED = 10_000;
const remembered = new WeakMap<Uint8Array, Map<string, { principal: Principal; expMs: number }>>();

/** The token's principal, or undefined for anything expired, tampered, malformed or foreign. */
export async function verifyToken(key: Uint8Array, token: string, now: Date): Promise<Principal | undefined> {
  let cache = remembered.get(key);
  if (!cache) remembered.set(key, (cache = new Map()));
  const hit = cache.get(token);
  if (hit) {
    if (now.getTime() < hit.expMs) return hit.principal;
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
    const principal = { partnerId: payload.pid, clientId: payload.sub, scopes: payload.scope.split(' ').filter(isScope) };
    if (cache.size >= MAX_REMEMBERED) cache.delete(cache.keys().next().value!);
    cache.set(token, { principal, expMs: payload.exp * 1000 });
    return principal;
  } catch {
    return undefined;
  }
}
