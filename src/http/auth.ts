// Bearer authentication and per-route scopes. Runs at onRequest, before the body is parsed or
// validated, so an unauthenticated caller learns nothing about the body's problems. A token is checked
// for its signature and expiry (cached, accounts/tokens.ts), then for revocation (accounts/revocations.ts).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { forbidden, notFound, unauthorized } from '../platform/errors.ts';
import type { Scope } from '../accounts/scopes.ts';
import { isRevoked } from '../accounts/revocations.ts';
import type { Principal } from '../accounts/tokens.ts';
import { verifyToken } from '../accounts/tokens.ts';
import type { Services } from '../platform/services.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The token's principal: signature and expiry (cached), then revocation; 401 for any failure. */
async function authenticate(services: Services, request: FastifyRequest): Promise<Principal> {
  const token = bearer(request);
  if (!token) throw unauthorized();
  const principal = await verifyToken(services.keys.signing, token, services.clock.now());
  if (!principal) throw unauthorized('Invalid or expired access token');
  // Before any scope: a revoked token is refused as such, whatever it was for.
  if (await isRevoked(services.database, principal)) throw unauthorized('The access token has been revoked');
  return principal;
}

export function requireScope(services: Services, scope: Scope): onRequestHookHandler {
  return async (request) => {
    const principal = await authenticate(services, request);
    if (!principal.scopes.includes(scope)) throw forbidden(scope);
    request.principal = principal;
  };
}

/** Any valid access token, whatever its scopes: Catena's `Bearer: []` (the webhook event schemas). */
export function requireToken(services: Services): onRequestHookHandler {
  return async (request) => {
    request.principal = await authenticate(services, request);
  };
}

/** The authenticated principal of a route guarded by requireScope. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The operator API: off (404, as if absent) without FLEETGATE_ADMIN_TOKEN, else that bearer token. */
export function requireAdmin(services: Services): onRequestHookHandler {
  return async (request) => {
    const expected = services.config.adminToken;
    if (!expected) throw notFound(`Route ${request.method} ${request.url.split('?')[0]}`);
    const token = bearer(request);
    if (!token || !sameSecret(token, expected)) throw unauthorized('Missing or invalid admin token');
  };
}

/**
 * The OpenAPI security requirement of a route: Catena's `Bearer` scheme (OAuth 2.0 client credentials)
 * with the scope the route requires, as Catena's documents list each endpoint's; none: any valid token.
 */
export const bearerSecurity = (scope?: Scope) => [{ Bearer: scope ? [scope] : [] }];
