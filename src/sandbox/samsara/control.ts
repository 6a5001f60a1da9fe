// The sandbox's own control API under /_sandbox (kit/control.ts): per-account endpoints authenticate
// with the account's token exactly like /fleet, so a partner needs nothing else; mistakes are 400s.
import type { FastifyInstance } from 'fastify';
import { latencyMs, parseSettingsPatch, positiveInteger, registerControlRoutes as registerKitControlRoutes } from '../kit/control.ts';
import type { SandboxSettings } from './account.ts';
import { registerOAuthRoutes } from '../kit/oauth-routes.ts';
import type { OAuthErrorCode } from '../kit/oauth.ts';
import { badRequest } from './errors.ts';
import { parseSamsaraFaults } from './faults.ts';
import { authenticate, parseJsonBody } from './pipeline.ts';
import type { SamsaraSandboxState } from './state.ts';

export function registerControlRoutes(app: FastifyInstance, state: SamsaraSandboxState): void {
  registerKitControlRoutes(app, {
    createAccount: () => state.createAccount(),
    account: (req) => authenticate(state, req),
    parseBody: parseJsonBody,
    parseSettings: (body) =>
      parseSettingsPatch<SandboxSettings>(body, { rate_limit_per_second: positiveInteger, latency_ms: latencyMs }, badRequest),
    parseFaults: parseSamsaraFaults,
  });
  // Samsara's OAuth 2.0 token endpoint: POST /oauth2/token with HTTP Basic (App ID : App Secret) and a
  // form body, grant_type=authorization_code&code or grant_type=refresh_token&refresh_token
  // (developers.samsara.com/docs/oauth-20; samsarahq/oauth-samples). No redirect_uri is sent with the
  // code there, so none is required; one that is sent must be the app's. Samsara publishes no error
  // wording for it: the descriptions are RFC 6749 §5.2's.
  registerOAuthRoutes(app, {
    tokenPath: '/oauth2/token',
    clientAuth: 'basic',
    redirectUriRequired: false,
    describe: describeOAuthError,
    defaultRedirectUri: 'https://example.com/auth/samsara/callback',
    now: state.now,
    accountOfClient: (clientId) => state.accountOfClient(clientId),
    account: (req) => authenticate(state, req),
    parseBody: parseJsonBody,
    bad: badRequest,
  });
}

function describeOAuthError(error: OAuthErrorCode, missing?: string): string {
  switch (error) {
    case 'invalid_request':
      return missing ? `The request is missing a required parameter: ${missing}.` : 'The request is malformed.';
    case 'invalid_client':
      return 'Client authentication failed: send the App ID and App Secret as HTTP Basic.';
    case 'invalid_grant':
      return 'The authorization code or refresh token is invalid, expired, revoked or was issued to another client.';
    case 'unsupported_grant_type':
      return 'The authorization grant type is not supported.';
  }
}
