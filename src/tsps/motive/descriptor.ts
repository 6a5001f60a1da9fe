// Motive, declared as data. Facts: shared/reference/providers.md (Motive section).
import type { TspDescriptor } from '../kit/descriptor.ts';

export const MOTIVE: TspDescriptor = {
  tsp: 'motive',
  // The catalogue's stable tsp_id (Catena's TspIntegrationsRead / ConnectionRead name one per TSP).
  tspId: 'd6357d97-1ab5-593d-a107-bf0892cf221e',
  displayName: 'Motive',
  defaultBaseUrl: 'https://api.gomotive.com',
  sandboxPath: '/sandbox/motive',
  // A company API key goes in X-Api-Key; a partner app's OAuth token as Bearer [doc].
  auth: {
    kind: 'header',
    options: [
      { credential: 'api_key', header: 'X-Api-Key' },
      { credential: 'access_token', header: 'Authorization', prefix: 'Bearer ' },
    ],
  },
  credentials: {
    fields: [
      { name: 'api_key', description: 'Motive company API key, sent as X-Api-Key', secret: true, display: 'tail', trim: true },
      { name: 'access_token', description: 'OAuth access token of a Motive partner app, sent as Bearer', secret: true, display: 'tail', trim: true },
    ],
    exactlyOneOf: ['api_key', 'access_token'],
    models: [
      {
        // Catena's MotiveCreds-Input (integrations.openapi.json): a partner app's authorization code.
        id: 'MotiveCreds',
        description:
          "Catena's Motive model: the partner app's client_id and client_secret, the authorization code a fleet admin granted it at Motive's /oauth/authorize, and the redirect_uri it was granted for. fleetgate exchanges the code at Motive's token endpoint, keeps the token pair sealed and refreshes it; a read shows this model with the secret masked and the code as ****.",
        grant: 'authorization_code',
        fields: [
          { name: 'client_id', description: "The Motive app's client ID (developer portal, Configuration)", secret: false, display: 'shown', trim: true },
          { name: 'client_secret', description: "The Motive app's client secret", secret: true, display: 'tail', trim: true },
          { name: 'auth_code', description: 'The authorization code Motive appended to the redirect URI (valid ten minutes, used once)', secret: true, display: 'hidden', trim: true },
          { name: 'redirect_uri', description: 'The redirect URI the code was granted for (the app\'s registered one)', secret: false, display: 'shown', trim: true },
        ],
      },
    ],
  },
  // Motive's OAuth 2.0: "POST https://api.gomotive.com/oauth/token" with the form fields grant_type=
  // authorization_code, code, redirect_uri, client_id, client_secret (developer.gomotive.com/docs/
  // generate-an-oauth-token, Step 2; developer-docs.gomotive.com/reference/authentication-oauth-20);
  // refresh with grant_type=refresh_token and refresh_token, same client fields. Access tokens go as
  // Bearer (the auth options above).
  oauth: {
    path: '/oauth/token',
    clientAuth: 'form',
    sendsRedirectUri: true,
    source: 'developer.gomotive.com/docs/generate-an-oauth-token (Step 2: POST /oauth/token, form body grant_type=authorization_code&code&redirect_uri&client_id&client_secret)',
  },
  // The cheapest authenticated call Motive has: one user of the first page.
  verify: { kind: 'rest', method: 'GET', path: '/v1/users', query: { per_page: '1' } },
  // Motive publishes no limit; 60/min with 2 in flight was found safe [seen].
  rateLimit: { defaultPerMinute: 60, retryAfterHeaders: ['retry-after'] },
};
