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

/** The token's principal, or undefined for anything expired, tampered, malformed or foreign. */
export async function verifyToken(key: Uint8Array, token: string, now: Date): Promise<Principal | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: now,
    });
    if (typeof payload.pid !== 'string' || typeof payload.sub !== 'string' || typeof payload.scope !== 'string')
      return undefined;
    return { partnerId: payload.pid, clientId: payload.sub, scopes: payload.scope.split(' ').filter(isScope) };
  } catch {
    return undefined;
  }
}
