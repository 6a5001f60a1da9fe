// Samsara, declared as data. Facts: shared/reference/providers.md (Samsara section); endpoint-level
// limits: the "Rate limit:" line of each endpoint's docstring in Samsara's official SDK
// (samsarahq/samsara-python @ e2e567ef, src/samsara/assets/raw_client.py, trailers/raw_client.py and
// fuel_and_energy/raw_client.py) and developers.samsara.com/docs/rate-limits (categories "Level One"
// 100/min, "Level Two" 5/s, per organization). POST /v1/fleet/messages documents no limit of its own
// (messages/raw_client.py v_1_create_messages has no "Rate limit:" line): it shares the default class.
import type { TspDescriptor } from '../kit/descriptor.ts';

/** fleetgate's endpoint classes for Samsara (each call names its class; drivers use the default one). */
export const SAMSARA_RATE_CLASSES = {
  /** POST /assets and PATCH /assets?id=. */
  assets: 'assets',
  /** GET /assets. */
  assetsRead: 'assets_read',
  /** POST /fleet/trailers and PATCH /fleet/trailers/{id}. */
  trailers: 'trailers',
  /** GET /fleet/trailers/{id}. */
  trailersRead: 'trailers_read',
  /** POST /fuel-purchase. */
  fuelPurchases: 'fuel_purchases',
} as const;

// Samsara counts a "5 requests/sec" limit over one second, fleetgate's slots per minute: evenly spaced
// slots of 240/min (one per 251 ms) keep any second at 5 even when a call leaves up to the slot grace
// late, where 300/min (one per 201 ms) could put 6 in one second.
const FIVE_PER_SECOND_AS_PER_MINUTE = 240;

export const SAMSARA: TspDescriptor = {
  tsp: 'samsara',
  // The catalogue's stable tsp_id (Catena's TspIntegrationsRead / ConnectionRead name one per TSP).
  tspId: 'b026d9da-0be9-574e-a108-1fefb1d3bd14',
  displayName: 'Samsara',
  defaultBaseUrl: 'https://api.samsara.com',
  sandboxPath: '/sandbox/samsara',
  // Every API token (Settings → API Tokens, or an OAuth access token) goes as Bearer [doc].
  auth: { kind: 'header', options: [{ credential: 'access_token', header: 'Authorization', prefix: 'Bearer ' }] },
  credentials: {
    fields: [{ name: 'access_token', description: 'Samsara API token, sent as Authorization: Bearer', secret: true, display: 'tail', trim: true }],
    models: [
      {
        // Catena's SamsaraCreds-Input (integrations.openapi.json): a Marketplace app's authorization code.
        id: 'SamsaraCreds',
        description:
          "Catena's Samsara model: the OAuth 2.0 app's client_id (App ID) and client_secret (App Secret) and the authorization code Samsara sent to its redirect URL. fleetgate exchanges the code at Samsara's token endpoint, keeps the token pair sealed and refreshes it; a read shows this model with the secret masked and the code as ****.",
        grant: 'authorization_code',
        fields: [
          { name: 'client_id', description: 'The OAuth 2.0 app\'s App ID (Settings → OAuth 2.0 Apps)', secret: false, display: 'shown', trim: true },
          { name: 'client_secret', description: 'The OAuth 2.0 app\'s App Secret', secret: true, display: 'tail', trim: true },
          { name: 'auth_code', description: 'The authorization code Samsara sent to the app\'s redirect URL (used once)', secret: true, display: 'hidden', trim: true },
        ],
      },
    ],
  },
  // Samsara's OAuth 2.0: "POST https://api.samsara.com/oauth2/token" with HTTP Basic (App ID : App
  // Secret) and a form body grant_type=authorization_code&code=…; refresh with grant_type=refresh_token
  // &refresh_token=…, which answers a new access and refresh token (developers.samsara.com/docs/oauth-20;
  // samsarahq/oauth-samples node/server.js, refreshTokens and the /auth/samsara/callback exchange).
  // No redirect_uri is sent with the code there.
  oauth: {
    path: '/oauth2/token',
    clientAuth: 'basic',
    sendsRedirectUri: false,
    source: 'developers.samsara.com/docs/oauth-20; samsarahq/oauth-samples node/server.js (POST /oauth2/token, Basic auth, grant_type=authorization_code|refresh_token)',
  },
  // The cheapest authenticated call: one active driver.
  verify: { kind: 'rest', method: 'GET', path: '/fleet/drivers', query: { limit: '1' } },
  // 150 requests/s per token [doc], 200/s per organization shared with the fleet's other apps: 100/s
  // stays well under both; 429s with their (fractional) Retry-After still slow the worker down.
  rateLimit: {
    defaultPerMinute: 6000,
    classes: {
      [SAMSARA_RATE_CLASSES.assets]: {
        perMinute: 100,
        source: 'POST /assets and PATCH /assets: "Rate limit: 100 requests/min" (samsarahq/samsara-python src/samsara/assets/raw_client.py create_asset, update_asset; developers.samsara.com/docs/rate-limits, Level One, per organization). One class for both: never over either.',
      },
      [SAMSARA_RATE_CLASSES.assetsRead]: {
        perMinute: FIVE_PER_SECOND_AS_PER_MINUTE,
        source: 'GET /assets: "Rate limit: 5 requests/sec" (samsarahq/samsara-python src/samsara/assets/raw_client.py list; Level Two), paced at 4/s so no second holds more than 5.',
      },
      [SAMSARA_RATE_CLASSES.trailers]: {
        perMinute: 100,
        source: 'POST /fleet/trailers and PATCH /fleet/trailers/{id}: "Rate limit: 100 requests/min" (samsarahq/samsara-python src/samsara/trailers/raw_client.py create_trailer, update_trailer; Level One, per organization). One class for both: never over either.',
      },
      [SAMSARA_RATE_CLASSES.trailersRead]: {
        perMinute: FIVE_PER_SECOND_AS_PER_MINUTE,
        source: 'GET /fleet/trailers/{id}: "Rate limit: 5 requests/sec" (samsarahq/samsara-python src/samsara/trailers/raw_client.py get_trailer; Level Two), paced at 4/s so no second holds more than 5.',
      },
      [SAMSARA_RATE_CLASSES.fuelPurchases]: {
        perMinute: 100,
        source: 'POST /fuel-purchase: "Rate limit: 100 requests/min" (samsarahq/samsara-python src/samsara/fuel_and_energy/raw_client.py post_fuel_purchase; developers.samsara.com/reference/postfuelpurchase; Level One, per organization).',
      },
    },
    retryAfterHeaders: ['retry-after'],
  },
};
