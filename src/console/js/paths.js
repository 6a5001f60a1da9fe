// Where each read lives for a partner (its own rows, Catena's paths) and for the operator (every
// partner, under /admin/v1): the views ask for "operations", never for a path.
const partner = {
  operations: () => '/v2/integrations/connections/resource-operations',
  operation: (op) => `/v2/integrations/connections/${op.connection_id}/resource-operations/${op.id}`,
  nativeRequest: (op) => `/v2/integrations/connections/${op.connection_id}/resource-operations/${op.id}/native-request`,
  connections: () => '/v2/integrations/connections',
  rateLimits: (connectionId) => `/v2/integrations/connections/${connectionId}/rate-limits`,
  webhooks: () => '/v2/notifications/webhooks',
  webhook: (id) => `/v2/notifications/webhooks/${id}`,
  stats: () => '/v2/integrations/connections/resource-operations/stats',
  events: () => '/v2/integrations/connections/resource-operations/events',
};

const operator = {
  operations: () => '/admin/v1/resource-operations',
  operation: (op) => `/admin/v1/resource-operations/${op.id}`,
  nativeRequest: (op) => `/admin/v1/resource-operations/${op.id}/native-request`,
  connections: () => '/admin/v1/connections',
  rateLimits: (connectionId) => `/admin/v1/connections/${connectionId}/rate-limits`,
  webhooks: () => '/admin/v1/webhooks',
  webhook: (id) => `/admin/v1/webhooks/${id}`,
  stats: () => '/admin/v1/resource-operations/stats',
  // The server narrows the operator's feed to the list's partners (a partner's is its own already).
  events: (params = {}) => {
    const q = new URLSearchParams();
    for (const id of params.partner_ids ?? []) q.append('partner_ids', id);
    return `/admin/v1/resource-operations/events${q.size ? `?${q}` : ''}`;
  },
};

export const pathsFor = (mode) => (mode === 'operator' ? operator : partner);
