// POST /oauth/token: OAuth 2.0 client credentials (RFC 6749 §4.4). Errors here follow RFC 6749 §5.2
// ({"error": "..."}), not the API envelope, because OAuth client libraries parse that shape.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticateClient } from '../../accounts/partners.ts';
import { isScope } from '../../accounts/scopes.ts';
import { TOKEN_TTL_SECONDS, issueToken } from '../../accounts/tokens.ts';
import type { Services } from '../../platform/services.ts';

const TokenRequest = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  scope: z.string().optional(),
});

const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    scope: z.string(),
  })
  .meta({ id: 'AccessToken' });

const OAuthError = z
  .object({ error: z.string(), error_description: z.string().optional() })
  .meta({ id: 'OAuthError' });

function oauthError(reply: FastifyReply, status: 400 | 401, error: string, description: string) {
  reply.header('cache-control', 'no-store');
  if (status === 401) reply.header('www-authenticate', 'Basic realm="fleetgate"');
  return reply.code(status).send({ error, error_description: description });
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = header && /^Basic\s+(\S+)$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded inside the Basic header.
  const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: dec(decoded.slice(0, colon)), secret: dec(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

export function oauthRoutes(app: FastifyInstance, services: Services) {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/oauth/token',
    {
      schema: {
        tags: ['auth'],
        operationId: 'token', summary: 'Issue an access token (OAuth 2.0 client credentials)',
        description:
          'Form-encoded (or JSON) body with grant_type=client_credentials; the client authenticates with ' +
          'client_id/client_secret in the body or with HTTP Basic. Optional space-separated scope narrows the token.',
        body: TokenRequest,
        response: { 200: TokenResponse, 400: OAuthError, 401: OAuthError },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const basic = basicCredentials(request.headers.authorization);
      if (body.grant_type === undefined) return oauthError(reply, 400, 'invalid_request', 'grant_type is required');
      if (body.grant_type !== 'client_credentials')
        return oauthError(reply, 400, 'unsupported_grant_type', 'only client_credentials is supported');
      const clientId = basic?.id ?? body.client_id;
      const clientSecret = basic?.secret ?? body.client_secret;
      if (!clientId || !clientSecret) return oauthError(reply, 401, 'invalid_client', 'client authentication failed');
      const client = await authenticateClient(services.database.db, clientId, clientSecret);
      if (!client) return oauthError(reply, 401, 'invalid_client', 'client authentication failed');

      let scopes = client.scopes;
      if (body.scope !== undefined && body.scope.trim() !== '') {
        const asked = body.scope.trim().split(/\s+/);
        const unknown = asked.filter((s) => !isScope(s) || !client.scopes.includes(s));
        if (unknown.length) return oauthError(reply, 400, 'invalid_scope', `not granted to this client: ${unknown.join(' ')}`);
        scopes = client.scopes.filter((s) => asked.includes(s));
      }
      const now = Math.floor(services.clock.now().getTime() / 1000);
      const token = await issueToken(services.keys.signing, { partnerId: client.partnerId, clientId, scopes }, now);
      reply.header('cache-control', 'no-store');
      return { access_token: token, token_type: 'Bearer' as const, expires_in: TOKEN_TTL_SECONDS, scope: scopes.join(' ') };
    },
  );
}
