// Geotab (MyGeotab JSON-RPC), declared as data. Facts: shared/reference/providers.md (Geotab section).
import type { TspDescriptor } from '../kit/descriptor.ts';

// "Rate limits" tables of Geotab's API reference: Device Get 650, Set 250, Add 250 per 1m; Trailer
// Get, Set, Add 300 per 1m.
const DEVICE_PAGE = 'developers.geotab.com/myGeotab/apiReference/objects/Device (Rate limits)';
const TRAILER_PAGE = 'developers.geotab.com/myGeotab/apiReference/objects/Trailer (Rate limits)';

export const GEOTAB: TspDescriptor = {
  tsp: 'geotab',
  displayName: 'Geotab',
  defaultBaseUrl: 'https://my.geotab.com',
  sandboxPath: '/sandbox/geotab',
  // Authenticate(database, userName, password) opens a session; every later call carries it [doc].
  auth: { kind: 'session', login: 'Authenticate' },
  credentials: {
    fields: [
      // Database and user name identify the connection (not secrets); the password is.
      { name: 'database', description: 'MyGeotab database name', secret: false, display: 'shown', trim: false },
      { name: 'username', description: 'MyGeotab user name (the login, usually an e-mail)', secret: false, display: 'shown', trim: false },
      // Not trimmed: a password's spaces are part of it.
      { name: 'password', description: 'Password of that MyGeotab user', secret: true, display: 'hidden', trim: false },
    ],
  },
  // Authenticate is the cheapest proof a login works.
  verify: { kind: 'session-login' },
  // Add:User is limited to 250/min per user [doc]; an update costs two calls (Get + Set), and the
  // one Authenticate per session is shared. 200 operations/min stays under the Add limit.
  // Geotab limits "each unique combination of method, entity, username, and database"
  // (developers.geotab.com/myGeotab/guides/rateLimits); rpc() classes every call `<method>:<typeName>`.
  // The Device and Trailer classes below are the limits their reference pages publish.
  rateLimit: {
    defaultPerMinute: 200,
    classes: {
      'Add:Device': { perMinute: 250, source: DEVICE_PAGE },
      'Set:Device': { perMinute: 250, source: DEVICE_PAGE },
      'Get:Device': { perMinute: 650, source: DEVICE_PAGE },
      'Add:Trailer': { perMinute: 300, source: TRAILER_PAGE },
      'Set:Trailer': { perMinute: 300, source: TRAILER_PAGE },
      'Get:Trailer': { perMinute: 300, source: TRAILER_PAGE },
    },
    retryAfterHeaders: ['retry-after'],
  },
};
