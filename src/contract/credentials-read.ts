// A connection's credentials as a read shows them: masked, in the shape of Catena's output model of the
// credentials the connection was made with (integrations.openapi.json, `<Model>-Output`). Catena leaves
// its secret fields untyped; fleetgate's are always masked text ("****" or "****" and the last 4
// characters). Each model keeps fields it does not list (a TSP may show more than Catena's model has).
import { z } from 'zod';

const optionalText = z.string().nullable().optional();
const masked = (what: string) => z.string().describe(`${what}, masked.`);

/** `ApiKeyCreds-Output`: an API key (Motive's company key). */
export const ApiKeyCredsRead = z
  .looseObject({ api_key: masked('The API key'), url: optionalText, user_id: optionalText })
  .meta({ id: 'ApiKeyCreds-Output', title: 'ApiKeyCreds', description: 'API Key Connection model' });

/** `AccessTokenCreds-Output`: an OAuth or API access token (Samsara's API token, a Motive partner app's token). */
export const AccessTokenCredsRead = z
  .looseObject({
    access_token: masked('The access token'),
    token_type: optionalText,
    expires_in: z.number().int().nullable().optional(),
    refresh_token: z.string().nullable().optional().describe('Masked.'),
    scope: optionalText,
    user_id: optionalText,
    account_id: optionalText,
    host: optionalText,
  })
  .meta({ id: 'AccessTokenCreds-Output', title: 'AccessTokenCreds', description: 'Access Token Credentials' });

/** `MotiveCreds-Output`: Motive's OAuth app and the authorization code it was granted. */
export const MotiveCredsRead = z
  .looseObject({ client_id: z.string(), client_secret: masked('The client secret'), auth_code: masked('The authorization code'), redirect_uri: z.string() })
  .meta({ id: 'MotiveCreds-Output', title: 'MotiveCreds', description: 'Motive Connection model' });

/** `SamsaraCreds-Output`: Samsara's OAuth app and the authorization code it was granted. */
export const SamsaraCredsRead = z
  .looseObject({ client_id: z.string(), client_secret: masked('The client secret'), auth_code: masked('The authorization code') })
  .meta({ id: 'SamsaraCreds-Output', title: 'SamsaraCreds', description: 'Samsara Connection model' });

/** `GeotabCreds-Output`: a MyGeotab login. */
export const GeotabCredsRead = z
  .looseObject({ username: z.string(), password: masked('The password'), database: z.string(), session_id: z.string().nullable().optional() })
  .meta({ id: 'GeotabCreds-Output', title: 'GeotabCreds', description: 'Geotab Connection model' });

/** The Catena output models fleetgate's TSPs show credentials in, by component name. */
export const CREDENTIAL_READ_MODELS = {
  'ApiKeyCreds-Output': ApiKeyCredsRead,
  'AccessTokenCreds-Output': AccessTokenCredsRead,
  'MotiveCreds-Output': MotiveCredsRead,
  'SamsaraCreds-Output': SamsaraCredsRead,
  'GeotabCreds-Output': GeotabCredsRead,
} as const;

// The OAuth models first: a masked Motive or Samsara OAuth login also carries no api_key or
// access_token, so the order only decides which name a value is read under, never what it keeps.
export const ConnectionCredentialsRead = z
  .union([MotiveCredsRead, SamsaraCredsRead, GeotabCredsRead, ApiKeyCredsRead, AccessTokenCredsRead])
  .describe('The connection credentials used to authenticate with the TSP, masked: never enough to use them.');
