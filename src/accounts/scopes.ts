/**
 * The scopes a client can hold, spelled as Catena's published documents name them in each endpoint's
 * `security` (integrations, notifications and telematics specs). A client is granted a subset at creation;
 * Catena's token request `scope=organization` asks for all of a client's own.
 */
export const SCOPES = [
  'telematics:write',
  'telematics:read',
  'connection:read',
  'connection:create',
  'connection:update',
  'connection:delete',
  'resource_operation:read',
  'webhook:read',
  'webhook:create',
  'webhook:update',
  'webhook:delete',
] as const;
export type Scope = (typeof SCOPES)[number];

export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

/** What each scope lets a client do (the OpenAPI document's OAuth scopes). */
export const SCOPE_DESCRIPTIONS: Readonly<Record<Scope, string>> = {
  'telematics:write': 'Write users, vehicles, trailers, messages, group messages, fuel transactions and DVIR logs; retry and cancel operations',
  'telematics:read': 'Read the records written through fleetgate',
  'connection:read': 'Read connections and fleets',
  'connection:create': 'Create connections and fleets',
  'connection:update': 'Update connections',
  'connection:delete': 'Delete connections',
  'resource_operation:read': 'Read resource operations and their attempt logs',
  'webhook:read': 'Read webhook subscriptions, their logs and metrics',
  'webhook:create': 'Create webhook subscriptions and replay their dead-letter queue',
  'webhook:update': 'Update, activate and pause webhook subscriptions',
  'webhook:delete': 'Delete webhook subscriptions',
};
