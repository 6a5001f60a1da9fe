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
