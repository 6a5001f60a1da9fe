/** The scopes a client can hold, as the API contract names them. */
export const SCOPES = [
  'telematics:write',
  'telematics:read',
  'connection:read',
  'connection:create',
  'connection:update',
  'connection:delete',
  'webhook:manage',
] as const;
export type Scope = (typeof SCOPES)[number];

export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);
