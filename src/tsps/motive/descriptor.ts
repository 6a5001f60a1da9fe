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
  },
  // The cheapest authenticated call Motive has: one user of the first page.
  verify: { kind: 'rest', method: 'GET', path: '/v1/users', query: { per_page: '1' } },
  // Motive publishes no limit; 60/min with 2 in flight was found safe [seen].
  rateLimit: { defaultPerMinute: 60, retryAfterHeaders: ['retry-after'] },
};
