// Samsara, declared as data. Facts: shared/reference/providers.md (Samsara section).
import type { TspDescriptor } from '../kit/descriptor.ts';

export const SAMSARA: TspDescriptor = {
  tsp: 'samsara',
  displayName: 'Samsara',
  defaultBaseUrl: 'https://api.samsara.com',
  sandboxPath: '/sandbox/samsara',
  // Every API token (Settings → API Tokens, or an OAuth access token) goes as Bearer [doc].
  auth: { kind: 'header', options: [{ credential: 'access_token', header: 'Authorization', prefix: 'Bearer ' }] },
  credentials: {
    fields: [{ name: 'access_token', description: 'Samsara API token, sent as Authorization: Bearer', secret: true, display: 'tail', trim: true }],
  },
  // The cheapest authenticated call: one active driver.
  verify: { kind: 'rest', method: 'GET', path: '/fleet/drivers', query: { limit: '1' } },
  // 150 requests/s per token [doc], 200/s per organization shared with the fleet's other apps: 100/s
  // stays well under both; 429s with their (fractional) Retry-After still slow the worker down.
  rateLimit: { defaultPerMinute: 6000, retryAfterHeaders: ['retry-after'] },
};
