// Samsara's driver endpoints (providers.md): create (200), partial PATCH, GET by Samsara id or
// `key:value` external id, and the cursor-paginated list. Every route runs through runApi for auth,
// rate limit, faults, latency and the request log.
import type { FastifyInstance } from 'fastify';
import { badRequest } from './errors.ts';
import { queryString } from './field-checks.ts';
import { page, pageLimit } from './paging.ts';
import { runApi } from './pipeline.ts';
import type { Action, Answer } from './pipeline.ts';
import type { SamsaraSandboxState } from './state.ts';
import { renderDriver } from './driver-model.ts';
import type { StoredDriver } from './driver-model.ts';

const MAX_LIMIT = 512;

const ok = (body: unknown): Answer => ({ status: 200, body });
const envelope = (d: StoredDriver): { data: Record<string, unknown> } => ({ data: renderDriver(d) });

const createDriver: Action = (account, input) => ok(envelope(account.createDriver(input.body, input.nowIso)));
const updateDriver: Action = (account, input) => ok(envelope(account.updateDriver(input.params.id ?? '', input.body, input.nowIso)));
const showDriver: Action = (account, input) => ok(envelope(account.getDriver(input.params.id ?? '')));

const listDrivers: Action = (account, { query }) => {
  const status = queryString(query, 'driverActivationStatus') ?? 'active';
  if (status !== 'active' && status !== 'deactivated') {
    throw badRequest('Invalid value for driverActivationStatus: must be active or deactivated');
  }
  const limit = pageLimit(queryString(query, 'limit'), MAX_LIMIT);
  const { items, pagination } = page(account.listDrivers(status), queryString(query, 'after'), limit);
  return ok({ data: items.map(renderDriver), pagination });
};

export function registerDriverRoutes(app: FastifyInstance, state: SamsaraSandboxState): void {
  const prefix = app.prefix;
  const route = (action: Action) => (req: Parameters<typeof runApi>[1], reply: Parameters<typeof runApi>[2]) =>
    runApi(state, req, reply, prefix, action);
  app.post('/fleet/drivers', route(createDriver));
  app.get('/fleet/drivers', route(listDrivers));
  app.get('/fleet/drivers/:id', route(showDriver));
  app.patch('/fleet/drivers/:id', route(updateDriver));
}
