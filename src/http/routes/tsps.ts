// The TSP catalogue: GET /v2/integrations/tsps (paged, as Catena's) and /v2/integrations/tsps/{tsp_id}.
// Catena declares no security on them: they answer without a token. Each item is read off the TSP's
// descriptor and resource adapters, so it cannot disagree with what a write does.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PageQuery } from '../../contract/common/query.ts';
import { OPERATION_TYPES, RESOURCES } from '../../contract/enums.ts';
import type { IntegrationStatus } from '../../contract/enums.ts';
import { TspIdParams, TspIntegrationsRead } from '../../contract/tsps.ts';
import { InvalidCursorError } from '../../db/pagination.ts';
import type { Catalog } from '../../engine/resource.ts';
import { notFound } from '../../platform/errors.ts';
import type { TspAdapter } from '../../tsps/kit/descriptor.ts';
import { errorResponses } from '../errors.ts';

type TspView = z.infer<typeof TspIntegrationsRead>;

const cursorPage = (id: string) =>
  z
    .object({
      items: z.array(TspIntegrationsRead),
      current_page: z.string().nullable().describe('Cursor to refetch the current page'),
      current_page_backwards: z.string().nullable().describe('Cursor to refetch the current page starting from the last item'),
      previous_page: z.string().nullable().describe('Cursor for the previous page'),
      next_page: z.string().nullable().describe('Cursor for the next page'),
    })
    .meta({ id });

/** Catena's one status per resource, from fleetgate's per-operation support (INTEGRATION_RULE says how). */
export function integrationStatus(operations: Partial<Record<string, IntegrationStatus>> | undefined): IntegrationStatus {
  const declared = Object.values(operations ?? {}).filter((c): c is IntegrationStatus => c !== undefined);
  if (declared.includes('implemented')) return 'implemented';
  if (declared.length > 0 && declared.every((c) => c === 'not_supported')) return 'not_supported';
  return 'not_implemented';
}

export function viewTsp(a: TspAdapter): TspView {
  const integrations = Object.fromEntries(RESOURCES.map((res) => [res, integrationStatus(a.capabilities.resources[res])])) as TspView['integrations'];
  const count = (s: IntegrationStatus) => Object.values(integrations).filter((v) => v === s).length;
  return {
    tsp_id: a.tspId,
    slug: a.tsp,
    source_name: a.tsp as TspView['source_name'],
    integrations,
    implemented_count: count('implemented'),
    not_implemented_count: count('not_implemented'),
    not_supported_count: count('not_supported'),
    tsp: a.tsp,
    name: a.displayName,
    sandbox_path: a.sandboxPath,
    default_base_url: a.defaultBaseUrl,
    default_rate_limit_per_minute: a.defaultRateLimitPerMinute,
    rate_limit_classes: Object.fromEntries(
      Object.entries(a.descriptor.rateLimit.classes ?? {}).map(([name, c]) => [name, { per_minute: c.perMinute, source: c.source }]),
    ),
    // Every resource of the contract is listed: what an adapter does not declare, it has not implemented.
    resources: Object.fromEntries(
      RESOURCES.map((res) => [res, Object.fromEntries(OPERATION_TYPES.map((op) => [op, a.capabilities.resources[res]?.[op] ?? 'not_implemented']))]),
    ),
    // Per resource with an adapter: whether the TSP stores each normalized field.
    fields: a.capabilities.fields,
    user_fields: a.capabilities.fields.user ?? {},
    unsupported_reasons: a.capabilities.reasons as Record<string, Record<string, string>>,
    creates_not_retried: a.capabilities.notRefindable,
  };
}

interface ListCursor {
  /** The tsp_id read from. */
  k: string;
  d: 'next' | 'prev';
  /** Whether the key itself is on the page (a current_page_backwards cursor). */
  i?: true;
}

const encode = (c: ListCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decode(raw: string): ListCursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as ListCursor;
    if (typeof c.k === 'string' && UUID.test(c.k) && (c.d === 'next' || c.d === 'prev') && (c.i === undefined || c.i === true)) return c;
  } catch {
    // fall through
  }
  throw new InvalidCursorError(raw);
}

/** Keyset paging over a list held in memory, ordered by tsp_id, with the cursors a database page has. */
export function pageOfTsps(all: readonly TspView[], rawCursor: string | undefined, size: number) {
  const sorted = [...all].sort((x, y) => (x.tsp_id < y.tsp_id ? -1 : x.tsp_id > y.tsp_id ? 1 : 0));
  const cursor = rawCursor ? decode(rawCursor) : undefined;
  const backwards = cursor?.d === 'prev';
  let items: TspView[];
  let more: boolean;
  if (!cursor) {
    items = sorted.slice(0, size);
    more = sorted.length > size;
  } else if (!backwards) {
    const after = sorted.filter((t) => t.tsp_id > cursor.k);
    items = after.slice(0, size);
    more = after.length > size;
  } else {
    const before = sorted.filter((t) => (cursor.i ? t.tsp_id <= cursor.k : t.tsp_id < cursor.k));
    items = before.slice(Math.max(0, before.length - size));
    more = before.length > size;
  }
  const first = items[0];
  const last = items.at(-1);
  return {
    items,
    current_page: rawCursor ?? null,
    current_page_backwards: last ? encode({ k: last.tsp_id, d: 'prev', i: true }) : null,
    next_page: last && (backwards || more) ? encode({ k: last.tsp_id, d: 'next' }) : null,
    previous_page: first && (cursor ? !backwards || more : false) ? encode({ k: first.tsp_id, d: 'prev' }) : null,
  };
}

export function tspRoutes(app: FastifyInstance, catalog: Catalog) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['connections'];
  const views = () => Object.values(catalog.tsps).map(viewTsp);

  r.get(
    '/v2/integrations/tsps',
    {
      schema: {
        tags,
        operationId: 'list_integrations_per_tsp',
        summary: 'List the TSPs and which resources fleetgate writes to each (no token needed)',
        description:
          "Catena's TspIntegrationsRead per TSP, ordered by tsp_id, with fleetgate's finer matrix added: per resource and operation, the fields each TSP stores, its rate-limit classes.",
        querystring: z.object({ ...PageQuery }),
        response: { 200: cursorPage('TspIntegrationsPage'), ...errorResponses() },
      },
    },
    async (request) => pageOfTsps(views(), request.query.cursor, request.query.size),
  );

  r.get(
    '/v2/integrations/tsps/:tsp_id',
    {
      schema: {
        tags,
        operationId: 'get_integrations_per_tsp',
        summary: 'Get one TSP by its tsp_id, with the resources fleetgate writes to it (no token needed)',
        params: TspIdParams,
        response: { 200: TspIntegrationsRead, ...errorResponses(404, 422) },
      },
    },
    async (request) => {
      const found = views().find((v) => v.tsp_id === request.params.tsp_id.toLowerCase());
      if (!found) throw notFound('TSP');
      return found;
    },
  );
}
