// The token endpoints' answers, transcribed from Catena's authentication document
// (shared/reference/catena/authentication.openapi.json: Keycloak's OpenID Connect endpoints of the
// "catena" realm) and RFC 6749 §5.1-5.2 / RFC 7009. Both token paths (/oauth/token and Catena's
// /realms/catena/protocol/openid-connect/token) and the revoke path answer these shapes.
import { z } from 'zod';

/**
 * Catena's `TokenResponse`: access_token, expires_in and token_type required. Its optional refresh_token,
 * refresh_expires_in, session_state and not-before-policy are not sent: a client-credentials token is
 * renewed by asking for a new one (RFC 6749 §4.4.3), and fleetgate issues no refresh tokens.
 */
export const TokenResponse = z
  .object({
    access_token: z.string().describe('A signed JWT, sent as `Authorization: Bearer <access_token>`.'),
    expires_in: z.number().int().describe('Seconds until the token expires.'),
    token_type: z.literal('Bearer'),
    scope: z.string().describe('The scopes granted, space-separated.'),
  })
  .meta({ id: 'TokenResponse' });

/** The error codes the token and revoke endpoints answer (RFC 6749 §5.2, RFC 7009 §2.2.1). */
export const OAUTH_ERRORS = [
  'invalid_request',
  'invalid_client',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
] as const;
export type OAuthErrorCode = (typeof OAUTH_ERRORS)[number];

/** Catena's `ErrorResponse` (Keycloak's, RFC 6749 §5.2): `error` always, and fleetgate always says why. */
export const ErrorResponse = z
  .object({
    error: z.enum(OAUTH_ERRORS).describe('Error code (RFC 6749 §5.2).'),
    error_description: z.string().describe('Human-readable error description.'),
  })
  .meta({ id: 'ErrorResponse' });
