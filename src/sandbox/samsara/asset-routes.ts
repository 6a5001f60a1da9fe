// Samsara's asset and trailer endpoints (SDK: src/samsara/assets/raw_client.py, trailers/raw_client.py):
// POST /assets, PATCH /assets?id=, GET /assets (filters, cursor pages of 300); POST /fleet/trailers,
// GET and PATCH /fleet/trailers/{id} (Samsara id or `key:value`), GET /fleet/trailers. Every answer is
// `{"data": ...}` with 200, as the SDK reads it. Each route runs through runApi with its endpoint name,
// so the endpoint's own rate limit applies beside the token's. DELETE is not offered (fleetgate never
// deletes); it answers Samsara's 404 like any route the sandbox does not serve.
import type { FastifyInstance } from 'fastify';
import { ASSET_LIST_PARAMS, ASSET_LIST_UNSUPPORTED, ASSET_PAGE_SIZE, ASSET_TYPES, TRAILER_LIST_MAX_LIMIT } from './asset-vendor.ts';
import { renderAsset } from './asset-model.ts';
import type { AssetFilter } from './asset-store.ts';
import { badRequest } from './errors.ts';
import { listParam, oneOf, queryString } from './field-checks.ts';
import { page, pageLimit } from './paging.ts';
import { runApi } from './pipeline.ts';
import type { Action, Answer } from './pipeline.ts';
import type { SamsaraSandboxState } from './state.ts';
import { renderTrailer } from './trailer-model.ts';

const ok = (data: unknown, extra: Record<string, unknown> = {}): Answer => ({ status: 200, body: { data, ...extra } });

function booleanParam(query: Record<string, unknown>, name: string): boolean {
  const v = queryString(query, name);
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw badRequest(`Invalid value for ${name}: must be true or false`);
}

function assetFilter(query: Record<string, unknown>): AssetFilter {
  for (const name of Object.keys(query)) {
    if ((ASSET_LIST_UNSUPPORTED as readonly string[]).includes(name)) throw badRequest(`${name} is not supported by the Samsara sandbox`);
    if (!(ASSET_LIST_PARAMS as readonly string[]).includes(name)) throw badRequest(`Unknown query parameter: ${name}`);
  }
  const type = queryString(query, 'type');
  const ids = listParam(query, 'ids');
  const externalIds = listParam(query, 'externalIds');
  if (externalIds?.some((ref) => !/^[^:]+:.+$/.test(ref))) throw badRequest('Invalid value for externalIds: each must be key:value');
  const updatedAfter = queryString(query, 'updatedAfterTime');
  const updatedAfterMs = updatedAfter === undefined ? undefined : Date.parse(updatedAfter);
  if (updatedAfterMs !== undefined && Number.isNaN(updatedAfterMs)) throw badRequest('Invalid value for updatedAfterTime: must be RFC 3339');
  return {
    ...(type !== undefined && { type: oneOf('type', type, ASSET_TYPES) }),
    ...(ids && { ids }),
    ...(externalIds && { externalIds }),
    ...(updatedAfterMs !== undefined && { updatedAfterMs }),
  };
}

const createAsset: Action = (account, input) => ok(renderAsset(account.assets.create(input.body, input.nowIso), { externalIds: true }));

const updateAsset: Action = (account, input) => {
  const id = queryString(input.query, 'id');
  if (id === undefined) throw badRequest('id is required');
  return ok(renderAsset(account.assets.update(id, input.body, input.nowIso), { externalIds: true }));
};

const listAssets: Action = (account, { query }) => {
  const filter = assetFilter(query);
  const externalIds = booleanParam(query, 'includeExternalIds');
  const { items, pagination } = page(account.assets.list(filter), queryString(query, 'after'), ASSET_PAGE_SIZE);
  return ok(
    items.map((a) => renderAsset(a, { externalIds })),
    { pagination },
  );
};

const createTrailer: Action = (account, input) => ok(renderTrailer(account.trailers.create(input.body)));
const updateTrailer: Action = (account, input) => ok(renderTrailer(account.trailers.update(input.params.id ?? '', input.body)));
const showTrailer: Action = (account, input) => ok(renderTrailer(account.trailers.get(input.params.id ?? '')));

const listTrailers: Action = (account, { query }) => {
  for (const name of ['tagIds', 'parentTagIds']) if (query[name] !== undefined) throw badRequest(`${name} is not supported by the Samsara sandbox`);
  const limit = pageLimit(queryString(query, 'limit'), TRAILER_LIST_MAX_LIMIT);
  const { items, pagination } = page(account.trailers.all(), queryString(query, 'after'), limit);
  return ok(items.map(renderTrailer), { pagination });
};

export function registerAssetRoutes(app: FastifyInstance, state: SamsaraSandboxState): void {
  const prefix = app.prefix;
  const route = (endpoint: string, action: Action) => (req: Parameters<typeof runApi>[1], reply: Parameters<typeof runApi>[2]) =>
    runApi(state, req, reply, prefix, action, endpoint);
  app.post('/assets', route('POST /assets', createAsset));
  app.patch('/assets', route('PATCH /assets', updateAsset));
  app.get('/assets', route('GET /assets', listAssets));
  app.post('/fleet/trailers', route('POST /fleet/trailers', createTrailer));
  app.get('/fleet/trailers', route('GET /fleet/trailers', listTrailers));
  app.get('/fleet/trailers/:id', route('GET /fleet/trailers/{id}', showTrailer));
  app.patch('/fleet/trailers/:id', route('PATCH /fleet/trailers/{id}', updateTrailer));
}
