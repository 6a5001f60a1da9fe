// Samsara's driver endpoints (SDK DriversClient): create (200), partial PATCH, GET by Samsara id or
// `key:value` external id, and the cursor-paginated list with its filters (./driver-filter.ts); and the
// tags drivers carry (SDK TagsClient create/get). Every route runs through runApi for auth, rate limit,
// faults, latency and the request log.
import type { FastifyInstance } from 'fastify';
import { parseDriverFilter } from './driver-filter.ts';
import { queryString } from './field-checks.ts';
import { page, pageLimit } from './paging.ts';
import { runApi } from './pipeline.ts';
import type { Action, Answer } from './pipeline.ts';
import type { SamsaraSandboxState } from './state.ts';
import type { SamsaraAccount } from './account.ts';
import type { StoredDriver } from './driver-model.ts';
import type { StoredTag } from './tag-store.ts';
import { DRIVER_LIST_MAX_LIMIT } from './vendor.ts';

const ok = (body: unknown): Answer => ({ status: 200, body });
const envelope = (account: SamsaraAccount, d: StoredDriver): { data: Record<string, unknown> } => ({ data: account.render(d) });

const createDriver: Action = (account, input) => ok(envelope(account, account.createDriver(input.body, input.nowIso)));
const updateDriver: Action = (account, input) => ok(envelope(account, account.updateDriver(input.params.id ?? '', input.body, input.nowIso)));
const showDriver: Action = (account, input) => ok(envelope(account, account.getDriver(input.params.id ?? '')));

const listDrivers: Action = (account, { query }) => {
  const filter = parseDriverFilter(query);
  const limit = pageLimit(queryString(query, 'limit'), DRIVER_LIST_MAX_LIMIT);
  const { items, pagination } = page(account.listDrivers(filter), queryString(query, 'after'), limit);
  return ok({ data: items.map((d) => account.render(d)), pagination });
};

const renderTag = (t: StoredTag): { data: Record<string, unknown> } => ({
  data: { id: t.id, name: t.name, ...(t.parentTagId !== undefined && { parentTagId: t.parentTagId }), ...(t.externalIds && { externalIds: t.externalIds }) },
});
const createTag: Action = (account, input) => ok(renderTag(account.tags.create(input.body)));
const showTag: Action = (account, input) => ok(renderTag(account.tags.get(input.params.id ?? '')));

export function registerDriverRoutes(app: FastifyInstance, state: SamsaraSandboxState): void {
  const prefix = app.prefix;
  const route = (action: Action) => (req: Parameters<typeof runApi>[1], reply: Parameters<typeof runApi>[2]) =>
    runApi(state, req, reply, prefix, action);
  app.post('/fleet/drivers', route(createDriver));
  app.get('/fleet/drivers', route(listDrivers));
  app.get('/fleet/drivers/:id', route(showDriver));
  app.patch('/fleet/drivers/:id', route(updateDriver));
  app.post('/tags', route(createTag));
  app.get('/tags/:id', route(showTag));
}
