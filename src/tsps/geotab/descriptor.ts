// Geotab (MyGeotab JSON-RPC), declared as data. Facts: shared/reference/providers.md (Geotab section).
import type { TspDescriptor } from '../kit/descriptor.ts';
import { WRITE_RATE_LIMITS } from './writes-native.ts';

// "Rate limits" tables of Geotab's API reference: Device Get 650, Set 250, Add 250 per 1m; Trailer
// Get, Set, Add 300 per 1m.
const DEVICE_PAGE = 'developers.geotab.com/myGeotab/apiReference/objects/Device (Rate limits)';
const TRAILER_PAGE = 'developers.geotab.com/myGeotab/apiReference/objects/Trailer (Rate limits)';
// FuelTransaction Get 250, Add 1000; DVIRLog Get 1000, Add 350; Defect Get 300 per 1m (./writes-native.ts).
// TextMessage publishes no table in any stored copy of the reference: its classes get the default.
const page = (entity: string) => `developers.geotab.com/myGeotab/apiReference/objects/${entity} (Rate limits)`;

export const GEOTAB: TspDescriptor = {
  tsp: 'geotab',
  // The catalogue's stable tsp_id (Catena's TspIntegrationsRead / ConnectionRead name one per TSP).
  tspId: '6f840509-08b8-5cce-a013-32ce4c545ad3',
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
      // Catena's GeotabCreds adds it: a session Authenticate opened already. Used instead of a first
      // Authenticate; when Geotab refuses it (InvalidUserException) the password authenticates (session.ts).
      {
        name: 'session_id',
        description: 'A MyGeotab session id (from Authenticate) to use before authenticating with the password; optional (Catena\'s GeotabCreds)',
        secret: true,
        display: 'hidden',
        trim: true,
        optional: true,
      },
    ],
  },
  // Authenticate is the cheapest proof a login works.
  verify: { kind: 'session-login' },
  // Geotab limits "each unique combination of method, entity, username, and database"
  // (developers.geotab.com/myGeotab/guides/rateLimits); rpc() classes every call `<method>:<typeName>`,
  // each with a schedule of its own. A pair without a documented limit below gets the default, 200/min
  // (under Add:User's 250/min per user [doc]). The Device and Trailer classes are the limits their
  // reference pages publish; Authenticate is 10/min per user (providers.md), and sessions are cached, so
  // it is called once per session.
  rateLimit: {
    defaultPerMinute: 200,
    classes: {
      Authenticate: { perMinute: 10, source: 'geotab.com blog "api-call-limits" (via shared/reference/providers.md): Authenticate 10/min per user' },
      'Add:Device': { perMinute: 250, source: DEVICE_PAGE },
      'Set:Device': { perMinute: 250, source: DEVICE_PAGE },
      'Get:Device': { perMinute: 650, source: DEVICE_PAGE },
      'Add:Trailer': { perMinute: 300, source: TRAILER_PAGE },
      'Set:Trailer': { perMinute: 300, source: TRAILER_PAGE },
      'Get:Trailer': { perMinute: 300, source: TRAILER_PAGE },
      'Add:FuelTransaction': { perMinute: WRITE_RATE_LIMITS['Add:FuelTransaction'], source: page('FuelTransaction') },
      'Get:FuelTransaction': { perMinute: WRITE_RATE_LIMITS['Get:FuelTransaction'], source: page('FuelTransaction') },
      'Add:DVIRLog': { perMinute: WRITE_RATE_LIMITS['Add:DVIRLog'], source: page('DVIRLog') },
      'Get:DVIRLog': { perMinute: WRITE_RATE_LIMITS['Get:DVIRLog'], source: page('DVIRLog') },
      'Get:Defect': { perMinute: WRITE_RATE_LIMITS['Get:Defect'], source: page('Defect') },
    },
    retryAfterHeaders: ['retry-after'],
  },
};
