// A REST sandbox's OAuth 2.0 routes (kit/oauth.ts holds the grants): the vendor's token endpoint, in the
// vendor's words, and the sandbox's own admin surface for it:
//   POST /_sandbox/authorization_codes   mints an authorization code for the account, standing in for
//                                        the fleet admin's consent at the vendor's /oauth/authorize (the
//                                        first call registers an app and shows its client_secret once)
//   GET  /_sandbox/oauth                 the account's apps and how many exchanges the token endpoint answered
//   PUT  /_sandbox/oauth                 {access_token_lifetime_seconds}: how long tokens issued from now on live
// The token endpoint is not part of the API pipeline: no API rate window, fault queue or request log
// (its bodies are secrets). Its answers are RFC 6749 §5.1 / §5.2 JSON with Cache-Control: no-store.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendAnswer } from './answer.ts';
import type { Answer } from './answer.ts';
import { basicClient, tokenRequestParams } from './oauth.ts';
import type { IssuedTokens, OAuthErrorCode, SandboxOAuth } from './oauth.ts';

export interface OAuthAccount {
  readonly oauth: SandboxOAuth;
}

/** The longest access token lifetime PUT /_sandbox/oauth takes: 30 days. */
const MAX_LIFETIME_SECONDS = 30 * 86_400;

export interface OAuthRoutes<A extends OAuthAccount> {
  /** The vendor's token path: /oauth/token (Motive), /oauth2/token (Samsara). */
  tokenPath: string;
  /** How the app authenticates: its id and secret as form fields or HTTP Basic (Motive takes both), or HTTP Basic only (Samsara). */
  clientAuth: 'form-or-basic' | 'basic';
  /** Whether a code exchange must name the redirect URI it was granted for (Motive) or may leave it out (Samsara). */
  redirectUriRequired: boolean;
  /** The vendor's error_description for an error. */
  describe(error: OAuthErrorCode, missing?: string): string;
  /** What the vendor adds to a token answer beside access_token, token_type, expires_in, refresh_token. */
  extra?(tokens: IssuedTokens, now: number): Record<string, unknown>;
  /** The redirect URI an app registered without one gets. */
  defaultRedirectUri: string;
  now(): number;
  /** The account that registered an app. */
  accountOfClient(clientId: string): A | undefined;
  /** The account a control call is for (throws the vendor's 401). */
  account(req: FastifyRequest): A;
  parseBody(req: FastifyRequest): unknown;
  /** The vendor's error for a control call's mistake. */
  bad(message: string): Error;
}

const oauthError = (status: number, error: OAuthErrorCode, description: string): Answer => ({
  status,
  body: { error, error_description: description },
  headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
});

export function registerOAuthRoutes<A extends OAuthAccount>(app: FastifyInstance, spec: OAuthRoutes<A>): void {
  const fail = (reply: FastifyReply, status: number, error: OAuthErrorCode, missing?: string) => sendAnswer(reply, oauthError(status, error, spec.describe(error, missing)));

  app.post(spec.tokenPath, async (req, reply) => {
    const params = tokenRequestParams(req.body as string | undefined, req.headers['content-type']);
    if (!params) return fail(reply, 400, 'invalid_request');
    const basic = basicClient(req.headers.authorization);
    if (basic === null) return fail(reply, 401, 'invalid_client');
    const client = basic ?? (spec.clientAuth === 'form-or-basic' && params.client_id !== undefined ? { clientId: params.client_id, secret: params.client_secret ?? '' } : undefined);
    if (!client) return fail(reply, 401, 'invalid_client');
    const account = spec.accountOfClient(client.clientId);
    if (!account || !account.oauth.clientAuthenticates(client.clientId, client.secret)) return fail(reply, 401, 'invalid_client');
    const now = spec.now();
    let outcome;
    switch (params.grant_type) {
      case 'authorization_code': {
        if (!params.code) return fail(reply, 400, 'invalid_request', 'code');
        if (spec.redirectUriRequired && !params.redirect_uri) return fail(reply, 400, 'invalid_request', 'redirect_uri');
        outcome = account.oauth.redeemCode(client.clientId, params.code, params.redirect_uri, now);
        break;
      }
      case 'refresh_token': {
        if (!params.refresh_token) return fail(reply, 400, 'invalid_request', 'refresh_token');
        outcome = account.oauth.refresh(client.clientId, params.refresh_token, now);
        break;
      }
      case undefined:
      case '':
        return fail(reply, 400, 'invalid_request', 'grant_type');
      default:
        return fail(reply, 400, 'unsupported_grant_type');
    }
    if (!outcome.ok) return fail(reply, outcome.status, outcome.error);
    const t = outcome.tokens;
    return sendAnswer(reply, {
      status: 200,
      body: { access_token: t.access_token, token_type: 'Bearer', expires_in: t.expires_in, refresh_token: t.refresh_token, ...spec.extra?.(t, now) },
      headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
    });
  });

  // Sandbox only: the consent a fleet admin gives at the vendor's /oauth/authorize, as one call.
  app.post('/_sandbox/authorization_codes', async (req, reply) => {
    const account = spec.account(req);
    const body = spec.parseBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw spec.bad('Body must be a JSON object');
    const { client_id: clientId, redirect_uri: redirectUri, ...rest } = body as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length) throw spec.bad(`Unknown field: ${unknown.join(', ')}`);
    if (clientId !== undefined && typeof clientId !== 'string') throw spec.bad('client_id must be a string');
    if (redirectUri !== undefined && (typeof redirectUri !== 'string' || redirectUri.trim() === '')) throw spec.bad('redirect_uri must be a non-empty string');
    const now = spec.now();
    if (clientId === undefined) {
      const registered = account.oauth.registerApp((redirectUri as string | undefined) ?? spec.defaultRedirectUri);
      const redirect = account.oauth.redirectUriOf(registered.client_id)!;
      const code = account.oauth.mintCode(registered.client_id, redirect, now);
      return sendAnswer(reply, { status: 201, body: { ...registered, redirect_uri: redirect, code, expires_in: 600 } });
    }
    if (!account.oauth.hasApp(clientId)) throw spec.bad(`No app with client_id ${clientId} in this account`);
    const registeredUri = account.oauth.redirectUriOf(clientId)!;
    if (redirectUri !== undefined && redirectUri !== registeredUri) throw spec.bad('redirect_uri must be the app\'s registered one');
    const code = account.oauth.mintCode(clientId, registeredUri, now);
    return sendAnswer(reply, { status: 201, body: { client_id: clientId, redirect_uri: registeredUri, code, expires_in: 600 } });
  });

  app.get('/_sandbox/oauth', async (req, reply) => sendAnswer(reply, { status: 200, body: spec.account(req).oauth.summary(spec.now()) }));
  app.put('/_sandbox/oauth', async (req, reply) => {
    const account = spec.account(req);
    const body = spec.parseBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw spec.bad('Body must be a JSON object');
    const { access_token_lifetime_seconds: seconds, ...rest } = body as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length) throw spec.bad(`Unknown setting: ${unknown.join(', ')}`);
    if (!Number.isInteger(seconds) || (seconds as number) < 1 || (seconds as number) > MAX_LIFETIME_SECONDS) {
      throw spec.bad(`access_token_lifetime_seconds must be an integer between 1 and ${MAX_LIFETIME_SECONDS}`);
    }
    account.oauth.setLifetime(seconds as number);
    return sendAnswer(reply, { status: 200, body: account.oauth.summary(spec.now()) });
  });
}
