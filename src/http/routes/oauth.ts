// The token endpoints: OAuth 2.0 client credentials (RFC 6749 §4.4) at fleetgate's POST /oauth/token
// and at Catena's own path (its authentication document's server https://auth.catenatelematics.com/realms/catena
// + /protocol/openid-connect/token), and revocation (RFC 7009) at Catena's .../openid-connect/revoke.
// One implementation serves both token paths; they differ only where Catena's document says so (a form
// body only, `scope` required). Every error here, a malformed or oversized body included, is
// {"error", "error_description"} (RFC 6749 §5.2, Catena's ErrorResponse), never the API envelope: OAuth
// client libraries parse that shape.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaCompiler, onRequestHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticateClient } from '../../accounts/partners.ts';
import { revokeToken } from '../../accounts/revocations.ts';
import type { Scope } from '../../accounts/scopes.ts';
import { SCOPES } from '../../accounts/scopes.ts';
import { TOKEN_TTL_SECONDS, issueToken, verifyToken } from '../../accounts/tokens.ts';
import { ErrorResponse, TokenResponse } from '../../contract/auth.ts';
import type { OAuthErrorCode } from '../../contract/auth.ts';
import type { Services } from '../../platform/services.ts';
import { JSON_CONTENT_TYPE, envelopeFor } from '../errors.ts';

/** Catena's paths: its authentication server's base path (the realm) and the two endpoints under it. */
export const CATENA_TOKEN_PATH = '/realms/catena/protocol/openid-connect/token';
export const CATENA_REVOKE_PATH = '/realms/catena/protocol/openid-connect/revoke';
/** The scope Catena's token request sends: every scope the client holds. */
export const ORGANIZATION_SCOPE = 'organization';
const FORM = 'application/x-www-form-urlencoded';

// PostgreSQL stores neither U+0000 nor an unpaired surrogate: a client_id holding one would fail in the
// database (a 500) instead of being refused here.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const text = () => z.string().refine((s) => !UNSTORABLE.test(s), 'must not contain U+0000 or an unpaired surrogate');

const clientFields = {
  client_id: text().optional().describe('The client id. Required unless the client authenticates with HTTP Basic.'),
  client_secret: text()
    .optional()
    .meta({ format: 'password' })
    .describe('The client secret. Required unless the client authenticates with HTTP Basic (never both).'),
};

const scopeText =
  `\`${ORGANIZATION_SCOPE}\` (what Catena's clients send) grants every scope the client holds; a space-separated ` +
  `list of scope names (${SCOPES.join(', ')}) grants those, each of which the client must hold (invalid_scope otherwise).`;

// Not strict: RFC 6749 §3.2 has the server ignore parameters it does not know. An empty value counts as
// absent (§3.1): the handler applies that to client_id, client_secret and scope.
const TokenRequest = z.object({
  grant_type: z.literal('client_credentials').describe('Only client_credentials.'),
  ...clientFields,
  scope: text().optional().describe(`${scopeText} Absent or empty: every scope the client holds.`),
});

/** Catena's token request: the same fields, `scope` required as its document has it. */
const CatenaTokenRequest = TokenRequest.extend({
  scope: text().min(1).describe(`Required, as in Catena's document. ${scopeText}`),
});

const RevokeRequest = z.object({
  token: text().min(1).describe('The access token to revoke.'),
  token_type_hint: text().optional().describe('Ignored (RFC 7009 §2.1): fleetgate issues access tokens only.'),
  ...clientFields,
});

interface OAuthFailure {
  status: number;
  error: OAuthErrorCode;
  description: string;
  headers?: Record<string, string>;
}

/** A request these endpoints refuse, carried to the route's error handler. */
class OAuthRequestError extends Error {
  override name = 'OAuthRequestError';
  constructor(readonly failure: OAuthFailure) {
    super(failure.description);
  }
}

const invalid = (description: string): OAuthFailure => ({ status: 400, error: 'invalid_request', description });
const INVALID_CLIENT: OAuthFailure = { status: 401, error: 'invalid_client', description: 'Invalid client or Invalid client credentials' };

function sendOAuthError(reply: FastifyReply, f: OAuthFailure) {
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache').header('content-type', JSON_CONTENT_TYPE);
  if (f.status === 401) reply.header('www-authenticate', 'Basic realm="fleetgate"');
  return reply.code(f.status).headers(f.headers ?? {}).serializer(JSON.stringify).send({ error: f.error, error_description: f.description });
}

/**
 * RFC 6749 §5.2 for a body the schema refused: any invalid_request first (a missing, repeated or
 * malformed parameter), else the grant type's own error.
 */
function validationFailure(data: unknown, issues: readonly z.core.$ZodIssue[], bodyIs: string): OAuthFailure {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return invalid(`the body must be ${bodyIs}`);
  let unsupportedGrant = false;
  for (const issue of issues) {
    const field = String(issue.path[0]);
    const input = (data as Record<string, unknown>)[field];
    if (Array.isArray(input)) return invalid(`${field} must be sent at most once`);
    if (input === undefined || input === '') return invalid(`${field} is required`);
    // A grant type, just not one this server supports.
    if (field === 'grant_type' && typeof input === 'string') unsupportedGrant = true;
    else return invalid(`${field}: ${issue.message}`);
  }
  return unsupportedGrant
    ? { status: 400, error: 'unsupported_grant_type', description: 'only client_credentials is supported' }
    : invalid('the request is malformed');
}

/** Validation of these routes' bodies straight into OAuth errors (the API's 422 shape never applies). */
const oauthValidator =
  (bodyIs: string): FastifySchemaCompiler<unknown> =>
  ({ schema }) =>
  (data) => {
    const result = (schema as z.ZodType).safeParse(data);
    return result.success ? { value: result.data } : { error: new OAuthRequestError(validationFailure(data, result.error.issues, bodyIs)) };
  };

function failureFor(err: FastifyError | Error, request: FastifyRequest): OAuthFailure {
  if (err instanceof OAuthRequestError) return err.failure;
  // Everything else as the API would classify it (malformed JSON, 413, 415, database down, a bug), in
  // OAuth's words.
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
    const id = dec(decoded.slice(0, colon));
    const secret = dec(decoded.slice(colon + 1));
    return UNSTORABLE.test(id) || UNSTORABLE.test(secret) ? null : { id, secret };
  } catch {
    return null;
  }
}

interface ClientFields {
  client_id?: string;
  client_secret?: string;
}

/** RFC 6749 §2.3: the client authenticates with HTTP Basic or with client_id and client_secret in the body, one of them. */
async function authenticate(services: Services, request: FastifyRequest, body: ClientFields) {
  const basic = basicCredentials(request.headers.authorization);
  if (basic === null) return { failure: { ...INVALID_CLIENT, description: 'malformed HTTP Basic credentials' } };
  if (basic && body.client_secret) return { failure: invalid('authenticate with HTTP Basic or with client_secret in the body, not both') };
  if (basic && body.client_id && body.client_id !== basic.id) return { failure: invalid('client_id in the body is not the client of the HTTP Basic credentials') };
  const clientId = basic?.id ?? body.client_id;
  const clientSecret = basic?.secret ?? body.client_secret;
  if (!clientId || !clientSecret)
    return { failure: { ...INVALID_CLIENT, description: 'client authentication is required: client_id and client_secret in the body, or HTTP Basic' } };
  const client = await authenticateClient(services.database.db, clientId, clientSecret);
  return client ? { client: { ...client, clientId } } : { failure: INVALID_CLIENT };
}

/** The scopes a token request is granted, or invalid_scope. */
function grantedScopes(asked: string | undefined, held: Scope[]): Scope[] | OAuthFailure {
  const words = (asked ?? '').trim().split(/\s+/).filter(Boolean);
  if (!words.length) return held;
  const refused = words.filter((w) => w !== ORGANIZATION_SCOPE && !(held as string[]).includes(w));
  if (refused.length) return { status: 400, error: 'invalid_scope', description: `not granted to this client: ${[...new Set(refused)].join(' ')}` };
  return words.includes(ORGANIZATION_SCOPE) ? held : held.filter((s) => words.includes(s));
}

const errorResponse = (description: string) => ErrorResponse.describe(description);
const RETRY_AFTER = { 'retry-after': { type: 'integer', minimum: 0, description: 'Seconds to wait before asking again.' } };
const commonErrors = (bodyIs: string) => ({
  413: errorResponse('invalid_request: the body is larger than 1 MiB.'),
  415: errorResponse(`invalid_request: the body is not ${bodyIs}.`),
  500: errorResponse('server_error: an unexpected failure (a bug).'),
  503: errorResponse('temporarily_unavailable: the database is unavailable.').meta({ headers: RETRY_AFTER }),
});

/** Refuses, before the body is read, a body that is not a form (Catena's endpoints take nothing else). */
const formOnly: onRequestHookHandler = async (request) => {
  const type = request.headers['content-type'];
  if (type !== undefined && type.split(';')[0]!.trim().toLowerCase() !== FORM)
    throw new OAuthRequestError({ status: 415, error: 'invalid_request', description: `the body must be ${FORM}` });
};

interface TokenRouteOptions {
  path: string;
  operationId: string;
  catena: boolean;
}

function tokenRoute(app: FastifyInstance, services: Services, o: TokenRouteOptions) {
  const bodyIs = o.catena ? `a form (${FORM})` : `a form (${FORM}) or a JSON object`;
  app.withTypeProvider<ZodTypeProvider>().post(
    o.path,
    {
      onRequest: o.catena ? formOnly : [],
      validatorCompiler: oauthValidator(bodyIs),
      errorHandler: (err, request, reply) => sendOAuthError(reply, failureFor(err, request)),
      schema: {
        tags: ['auth'],
        operationId: o.operationId,
        summary: o.catena ? "Get Token (Catena's path)" : 'Issue an access token (OAuth 2.0 client credentials)',
        description:
          (o.catena
            ? `Catena's token endpoint (its authentication server's /protocol/openid-connect/token), served by fleetgate: a form body (${FORM}) with grant_type=client_credentials and scope; `
            : `fleetgate's token endpoint: a form (${FORM}) or JSON body with grant_type=client_credentials and an optional scope; `) +
          'the client authenticates either with client_id and client_secret in the body or with HTTP Basic ' +
          '(client_id:client_secret, each form-urlencoded), not both. ' +
          `scope: ${scopeText} ` +
          'The answer has no refresh_token: a new token is asked for the same way. ' +
          `Errors are {"error", "error_description"} (RFC 6749 §5.2), never the API's envelope.` +
          (o.catena ? '' : ` Catena's clients use ${CATENA_TOKEN_PATH}, which answers the same way.`),
        consumes: o.catena ? [FORM] : [FORM, 'application/json'],
        security: [{}, { clientBasic: [] }],
        body: o.catena ? CatenaTokenRequest : TokenRequest,
        response: {
          200: TokenResponse.describe('The access token (Catena\'s TokenResponse).'),
          400: errorResponse('invalid_request (missing, repeated or malformed parameter, malformed body), unsupported_grant_type or invalid_scope.'),
          401: errorResponse('invalid_client: unknown client, wrong secret, malformed HTTP Basic credentials, or no client authentication.'),
          ...commonErrors(bodyIs),
        },
      },
    },
    async (request, reply) => {
      const body = request.body as z.infer<typeof TokenRequest>;
      const auth = await authenticate(services, request, body);
      if (auth.failure) return sendOAuthError(reply, auth.failure);
      const scopes = grantedScopes(body.scope, auth.client.scopes);
      if (!Array.isArray(scopes)) return sendOAuthError(reply, scopes);
      const now = Math.floor(services.clock.now().getTime() / 1000);
      const token = await issueToken(services.keys.signing, { partnerId: auth.client.partnerId, clientId: auth.client.clientId, scopes }, now);
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      return { access_token: token, token_type: 'Bearer' as const, expires_in: TOKEN_TTL_SECONDS, scope: scopes.join(' ') };
    },
  );
}

function revokeRoute(app: FastifyInstance, services: Services) {
  const bodyIs = `a form (${FORM})`;
  app.withTypeProvider<ZodTypeProvider>().post(
    CATENA_REVOKE_PATH,
    {
      onRequest: formOnly,
      validatorCompiler: oauthValidator(bodyIs),
      errorHandler: (err, request, reply) => sendOAuthError(reply, failureFor(err, request)),
      schema: {
        tags: ['auth'],
        operationId: 'revokeToken',
        summary: "Revoke Token (Catena's path)",
        description:
          `Revokes an access token (RFC 7009): a form body (${FORM}) with token; the client authenticates as at the token ` +
          'endpoint (client_id and client_secret in the body, or HTTP Basic). From the 200 on, every fleetgate process on ' +
          'the database refuses the token (401). A token that is malformed, expired, not fleetgate\'s or already revoked ' +
          'answers 200 as well (RFC 7009 §2.2); a token issued to another client is refused (400 unauthorized_client). ' +
          'The 200 has an empty body.',
        consumes: [FORM],
        security: [{}, { clientBasic: [] }],
        body: RevokeRequest,
        response: {
          200: z.null().describe('Token revoked (or nothing to revoke); the body is empty.'),
          400: errorResponse('invalid_request (token missing, a repeated or malformed parameter, malformed body) or unauthorized_client (the token was issued to another client).'),
          401: errorResponse('invalid_client: unknown client, wrong secret, malformed HTTP Basic credentials, or no client authentication.'),
          ...commonErrors(bodyIs),
        },
      },
    },
    async (request, reply) => {
      const body = request.body as z.infer<typeof RevokeRequest>;
      const auth = await authenticate(services, request, body);
      if (auth.failure) return sendOAuthError(reply, auth.failure);
      const verified = await verifyToken(services.keys.signing, body.token, services.clock.now());
      if (verified) {
        if (verified.clientId !== auth.client.clientId)
          return sendOAuthError(reply, { status: 400, error: 'unauthorized_client', description: 'the token was issued to another client' });
        await revokeToken(services.database, verified);
      }
      // No body (RFC 7009 §2.2: the content is ignored by the client), and so no content-type.
      return reply.code(200).header('cache-control', 'no-store').send(undefined as never);
    },
  );
}

/** Another method on a token path: 405 in the same shape (never the API's 404 envelope), POST named. */
function otherMethods(app: FastifyInstance, path: string) {
  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE'],
    url: path,
    schema: { hide: true },
    handler: async (_request, reply) =>
      sendOAuthError(reply.header('allow', 'POST'), { status: 405, error: 'invalid_request', description: `${path} takes POST only` }),
  });
}

export function oauthRoutes(app: FastifyInstance, services: Services) {
  // Catena's path takes Catena's operationId (as every Catena path of the document does).
  tokenRoute(app, services, { path: '/oauth/token', operationId: 'oauth_token', catena: false });
  tokenRoute(app, services, { path: CATENA_TOKEN_PATH, operationId: 'token', catena: true });
  revokeRoute(app, services);
  for (const path of ['/oauth/token', CATENA_TOKEN_PATH, CATENA_REVOKE_PATH]) otherMethods(app, path);
}
