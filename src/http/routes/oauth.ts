// POST /oauth/token: OAuth 2.0 client credentials (RFC 6749 §4.4). Every error here, a malformed or
// oversized body included, follows RFC 6749 §5.2 ({"error": "...", "error_description": "..."}), not
// the API envelope, because OAuth client libraries parse that shape.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticateClient } from '../../accounts/partners.ts';
import { SCOPES, isScope } from '../../accounts/scopes.ts';
import { TOKEN_TTL_SECONDS, issueToken } from '../../accounts/tokens.ts';
import type { ValidationProblem } from '../../platform/errors.ts';
import type { Services } from '../../platform/services.ts';
import { JSON_CONTENT_TYPE, envelopeFor } from '../errors.ts';
import { RequestValidationError } from '../validation.ts';

// Not strict: RFC 6749 §3.2 has the server ignore parameters it does not know. An empty value counts
// as absent (§3.1), which the handler applies to client_id, client_secret and scope.
const TokenRequest = z.object({
  grant_type: z.enum(['client_credentials']).describe('Only client_credentials.'),
  client_id: z.string().optional().describe('The client id, unless the client authenticates with HTTP Basic.'),
  client_secret: z.string().optional().describe('The client secret, unless the client authenticates with HTTP Basic (never both).'),
  scope: z
    .string()
    .optional()
    .describe(`Space-separated scopes to narrow the token to (${SCOPES.join(', ')}); absent or empty: every scope the client holds.`),
});

const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    scope: z.string(),
  })
  .meta({ id: 'AccessToken' });

const OAUTH_ERRORS = ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope', 'server_error', 'temporarily_unavailable'] as const;
type OAuthErrorCode = (typeof OAUTH_ERRORS)[number];

const OAuthError = z
  .object({ error: z.enum(OAUTH_ERRORS), error_description: z.string().optional() })
  .meta({ id: 'OAuthError' });

interface OAuthFailure {
  status: number;
  error: OAuthErrorCode;
  description: string;
  headers?: Record<string, string>;
}

function sendOAuthError(reply: FastifyReply, f: OAuthFailure) {
  reply.header('cache-control', 'no-store').header('content-type', JSON_CONTENT_TYPE);
  if (f.status === 401) reply.header('www-authenticate', 'Basic realm="fleetgate"');
  return reply.code(f.status).headers(f.headers ?? {}).serializer(JSON.stringify).send({ error: f.error, error_description: f.description });
}

/** RFC 6749 §5.2 for a body the schema refused: the grant type's own error, else invalid_request. */
function validationFailure(problems: ValidationProblem[]): OAuthFailure {
  const invalid = (description: string): OAuthFailure => ({ status: 400, error: 'invalid_request', description });
  const describe = (p: ValidationProblem): OAuthFailure | undefined => {
    const field = p.path[1];
    if (field === undefined) return invalid('the body must be a form (application/x-www-form-urlencoded) or a JSON object');
    if (Array.isArray(p.input)) return invalid(`${field} must be sent at most once`);
    if (field === 'grant_type') {
      if (p.input === undefined || p.input === '') return invalid('grant_type is required');
      if (typeof p.input === 'string') return undefined; // a grant type, just not one this server supports
    }
    return invalid(`${String(field)}: ${p.message}`);
  };
  for (const p of problems) {
    const failure = describe(p);
    if (failure) return failure;
  }
  return { status: 400, error: 'unsupported_grant_type', description: 'only client_credentials is supported' };
}

function failureFor(err: FastifyError | Error, request: FastifyRequest): OAuthFailure {
  if (err instanceof RequestValidationError) return validationFailure(err.problems);
  // Everything else as the API would classify it (malformed JSON, 413, 415, database down, a bug),
  // in OAuth's words.
  const { env, headers } = envelopeFor(err, (err as { validationContext?: string }).validationContext);
  if (env.code === 503) return { status: 503, error: 'temporarily_unavailable', description: env.message, headers };
  if (env.code >= 500) {
    request.log.error({ err }, 'request failed');
    return { status: 500, error: 'server_error', description: 'Internal server error' };
  }
  return { status: env.code === 413 || env.code === 415 ? env.code : 400, error: 'invalid_request', description: env.message };
}

/** The client's HTTP Basic credentials; null for a Basic header that does not decode; undefined without one. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null | undefined {
  if (!header || !/^Basic\s/i.test(header)) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  // RFC 6749 §2.3.1: both parts are form-urlencoded inside the Basic header.
  const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: dec(decoded.slice(0, colon)), secret: dec(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

const oauthErrorResponse = (description: string) => OAuthError.describe(description);

export function oauthRoutes(app: FastifyInstance, services: Services) {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/oauth/token',
    {
      errorHandler: (err, request, reply) => sendOAuthError(reply, failureFor(err, request)),
      schema: {
        tags: ['auth'],
        operationId: 'token', summary: 'Issue an access token (OAuth 2.0 client credentials)',
        description:
          'A form-encoded (application/x-www-form-urlencoded) or JSON body with grant_type=client_credentials. ' +
          'The client authenticates either with client_id and client_secret in the body or with HTTP Basic ' +
          '(client_id:client_secret, each form-urlencoded), not both. An optional space-separated scope narrows the token. ' +
          'Errors follow RFC 6749 §5.2: {"error", "error_description"}.',
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        security: [{}, { clientBasic: [] }],
        body: TokenRequest,
        response: {
          200: TokenResponse,
          400: oauthErrorResponse('invalid_request (missing, repeated or malformed parameter, malformed body), unsupported_grant_type or invalid_scope.'),
          401: oauthErrorResponse('invalid_client: unknown client, wrong secret, or no client authentication.'),
          413: oauthErrorResponse('invalid_request: the body is larger than 1 MiB.'),
          415: oauthErrorResponse('invalid_request: the body is neither a form nor JSON.'),
          500: oauthErrorResponse('server_error: an unexpected failure (a bug).'),
          503: oauthErrorResponse('temporarily_unavailable: the database is unavailable.').meta({
            headers: { 'retry-after': { type: 'integer', minimum: 0, description: 'Seconds to wait before asking again.' } },
          }),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const basic = basicCredentials(request.headers.authorization);
      if (basic === null) return sendOAuthError(reply, { status: 401, error: 'invalid_client', description: 'malformed HTTP Basic credentials' });
      if (basic && body.client_secret)
        return sendOAuthError(reply, { status: 400, error: 'invalid_request', description: 'authenticate with HTTP Basic or with client_secret in the body, not both' });
      const clientId = basic?.id ?? body.client_id;
      const clientSecret = basic?.secret ?? body.client_secret;
      const invalidClient: OAuthFailure = { status: 401, error: 'invalid_client', description: 'client authentication failed' };
      if (!clientId || !clientSecret) return sendOAuthError(reply, invalidClient);
      const client = await authenticateClient(services.database.db, clientId, clientSecret);
      if (!client) return sendOAuthError(reply, invalidClient);

      let scopes = client.scopes;
      if (body.scope !== undefined && body.scope.trim() !== '') {
        const asked = body.scope.trim().split(/\s+/);
        const unknown = asked.filter((s) => !isScope(s) || !client.scopes.includes(s));
        if (unknown.length) return sendOAuthError(reply, { status: 400, error: 'invalid_scope', description: `not granted to this client: ${unknown.join(' ')}` });
        scopes = client.scopes.filter((s) => asked.includes(s));
      }
      const now = Math.floor(services.clock.now().getTime() / 1000);
      const token = await issueToken(services.keys.signing, { partnerId: client.partnerId, clientId, scopes }, now);
      reply.header('cache-control', 'no-store');
      return { access_token: token, token_type: 'Bearer' as const, expires_in: TOKEN_TTL_SECONDS, scope: scopes.join(' ') };
    },
  );
}
