// Geotab (MyGeotab JSON-RPC), declared as data. Facts: shared/reference/providers.md (Geotab section).
import type { TspDescriptor } from '../kit/descriptor.ts';

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
  rateLimit: { defaultPerMinute: 200, retryAfterHeaders: ['retry-after'] },
};
