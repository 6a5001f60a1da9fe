// Samsara's driver endpoints (providers.md): create (200), partial PATCH, GET by Samsara id or
// `key:value` external id, and the cursor-paginated list. Every route runs through runApi for auth,
// rate limit, faults, latency and the request log.
import type { FastifyInstance } from 'fastify';
import { badRequest } from './errors.ts';
import { runApi } from './pipeline.ts';
import type { Action, Answer } from './pipeline.ts';
import type { SamsaraSandboxState } from './state.ts';
import { renderDriver } from './driver-model.ts';
import type { StoredDriver } from './driver-model.ts';

const MAX_LIMIT = 512;

const ok = (body: unknown): Answer => ({ status: 200, body });
const envelope = (d: StoredDriver): { data: Record<string, unknown> } => ({ data: renderDriver(d) });

/** A repeated query parameter reads as its first value; empty means absent. */
function queryString(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

// Opaque to clients: the id of the last driver of the page.
const encodeCursor = (id: string): string => Buffer.from(`after:${id}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^after:(\d+)$/.exec(text);
  if (!m) throw badRequest('Invalid value for after: not a cursor returned by this endpoint');
  return Number(m[1]);
}

const createDriver: Action = (account, input) => ok(envelope(account.createDriver(input.body, input.nowIso)));
const updateDriver: Action = (account, input) => ok(envelope(account.updateDriver(input.params.id ?? '', input.body, input.nowIso)));
const showDriver: Action = (account, input) => ok(envelope(account.getDriver(input.params.id ?? '')));

const listDrivers: Action = (account, { query }) => {
  const status = queryString(query, 'driverActivationStatus') ?? 'active';
  if (status !== 'active' && status !== 'deactivated') {
    throw badRequest('Invalid value for driverActivationStatus: must be active or deactivated');
  }
  const rawLimit = queryString(query, 'limit');
  const limit = rawLimit === undefined ? MAX_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw badRequest(`Invalid value for limit: must be an integer between 1 and ${MAX_LIMIT}`);
  }
  const after = queryString(query, 'after');
  const afterId = after === undefined ? -1 : decodeCursor(after);
  const rest = account.listDrivers(status).filter((d) => Number(d.id) > afterId);
  const page = rest.slice(0, limit);
  const hasNextPage = rest.length > limit;
  return ok({
    data: page.map(renderDriver),
    pagination: { endCursor: hasNextPage ? encodeCursor(page[page.length - 1].id) : '', hasNextPage },
  });
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
