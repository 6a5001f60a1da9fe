// The sandbox's own control API under /_sandbox (kit/control.ts): per-account endpoints authenticate
// with the account's key exactly like /v1, so a partner needs nothing else; mistakes are Motive 422s.
import type { FastifyInstance } from 'fastify';
import { sendAnswer } from '../kit/answer.ts';
import { latencyMs, parseSettingsPatch, positiveInteger, registerControlRoutes as registerKitControlRoutes } from '../kit/control.ts';
import type { SandboxSettings } from './account.ts';
import { registerOAuthRoutes } from '../kit/oauth-routes.ts';
import type { OAuthErrorCode } from '../kit/oauth.ts';
import { MotiveApiError } from './errors.ts';
import { parseMotiveFaults } from './faults.ts';
import { authenticate, parseJsonBody } from './pipeline.ts';
import type { MotiveSandboxState } from './state.ts';

const bad = (message: string) => new MotiveApiError(422, message);

export function registerControlRoutes(app: FastifyInstance, state: MotiveSandboxState): void {
  registerKitControlRoutes(app, {
    createAccount: () => state.createAccount(),
    account: (req) => authenticate(state, req),
    parseBody: parseJsonBody,
    parseSettings: (body) =>
      parseSettingsPatch<SandboxSettings>(body, { rate_limit_per_minute: positiveInteger, latency_ms: latencyMs }, bad),
    parseFaults: parseMotiveFaults,
  });
  // Motive's own: the account's key revoked and a new one issued (the old key answers 401 from now on).
  app.post('/_sandbox/rotate_key', async (req, reply) => sendAnswer(reply, { status: 201, body: state.rotateKey(authenticate(state, req)) }));
  // Motive's OAuth token endpoint (POST /oauth/token, the form fields grant_type, code, redirect_uri,
  // client_id, client_secret: developer.gomotive.com/docs/generate-an-oauth-token) and the sandbox's
  // code minting (kit/oauth-routes.ts). Motive publishes no error wording of its own for it: the
  // descriptions are RFC 6749 §5.2's.
  registerOAuthRoutes(app, {
    tokenPath: '/oauth/token',
    clientAuth: 'form-or-basic',
    redirectUriRequired: true,
    describe: describeOAuthError,
    defaultRedirectUri: 'https://example.com/oauth/motive/callback',
    now: state.now,
    accountOfClient: (clientId) => state.accountOfClient(clientId),
    account: (req) => authenticate(state, req),
    parseBody: parseJsonBody,
    bad,
  });
}

function describeOAuthError(error: OAuthErrorCode, missing?: string): string {
  switch (error) {
    case 'invalid_request':
      return missing ? `The request is missing a required parameter: ${missing}.` : 'The request is missing a required parameter or is otherwise malformed.';
    case 'invalid_client':
      return 'Client authentication failed (unknown client, no client authentication included, or unsupported authentication method).';
    case 'invalid_grant':
      return 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';
    case 'unsupported_grant_type':
      return 'The authorization grant type is not supported by the authorization server.';
  }
}
