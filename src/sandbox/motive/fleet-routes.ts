// Motive's v1 vehicles and assets endpoints: create, partial update (PUT), show, list with
// page_no/per_page, lookup by external id. Every route runs through runV1 for auth, rate limit, faults,
// latency and the request log (Motive publishes no per-endpoint limit, so the account's one window counts
// them all). Sources (see fleet-vendor.ts for the keys):
//   vehicles [KT16]: list filters fuel_type and driver_ids, `{"vehicles":[{"vehicle":{…}}],"pagination"}`,
//            show/create/update answer `{"vehicle":{…}}` (201 on create); lookup [lookup-vehicle] answers
//            the `vehicle` object.
//   assets   [create-asset], [update-asset]: the `asset` object; [lookup-asset] lists the asset's fields at
//            the top level, which is how its lookup answers here. The list's shape follows the vehicles'.
import type { FastifyInstance } from 'fastify';
import type { MotiveAccount } from './account.ts';
import { notFound } from './errors.ts';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE } from './fleet-vendor.ts';
import { externalIdQuery, objectBody, positiveInt, queryList, queryString, recordId, refuseUnreadParams } from './params.ts';
import { runV1 } from './pipeline.ts';
import type { Action, Answer } from './pipeline.ts';
import type { RecordStore, StoredRecord } from './record-store.ts';
import type { MotiveSandboxState } from './state.ts';

interface Collection {
  /** URL segment and list key: "vehicles". */
  plural: string;
  /** Key of one record in an answer: "vehicle". */
  singular: string;
  store(account: MotiveAccount): RecordStore;
  /** The list's filters, from the query: a predicate over the rendered record. */
  filter(query: Record<string, unknown>): (rendered: Record<string, unknown>) => boolean;
  /** The query parameters the list honours; any other is refused (params.ts). */
  listParams: readonly string[];
  /** Whether lookup_by_external_id wraps the record in `{"<singular>": …}`. */
  lookupWrapped: boolean;
}

const VEHICLES: Collection = {
  plural: 'vehicles',
  singular: 'vehicle',
  store: (a) => a.vehicles,
  filter(query) {
    const fuelType = queryString(query, 'fuel_type');
    const driverIds = queryList(query, 'driver_ids');
    return (v) =>
      (fuelType === undefined || v.fuel_type === fuelType) &&
      // A vehicle's driver is its current_driver, which the sandbox never has (no driver connects to it).
      (driverIds === undefined || driverIds.includes(String((v.current_driver as { id?: unknown } | null)?.id)));
  },
  listParams: ['fuel_type', 'driver_ids', 'per_page', 'page_no'],
  lookupWrapped: true,
};

// No asset list filter is documented in the pages above: paging only.
const ASSETS: Collection = {
  plural: 'assets',
  singular: 'asset',
  store: (a) => a.assets,
  filter: () => () => true,
  listParams: ['per_page', 'page_no'],
  lookupWrapped: false,
};

function actions(c: Collection): Record<'create' | 'update' | 'show' | 'list' | 'lookup', Action> {
  const envelope = (store: RecordStore, r: StoredRecord) => ({ [c.singular]: store.render(r) });
  const ok = (status: number, body: unknown): Answer => ({ status, body });
  const id = (input: Parameters<Action>[1], store: RecordStore) => recordId(input, store.model.name);
  return {
    create: (account, input) => {
      const store = c.store(account);
      return ok(201, envelope(store, store.create(objectBody(input), input.nowIso)));
    },
    update: (account, input) => {
      const store = c.store(account);
      return ok(200, envelope(store, store.update(id(input, store), objectBody(input), input.nowIso)));
    },
    show: (account, input) => {
      const store = c.store(account);
      return ok(200, envelope(store, store.get(id(input, store))));
    },
    list: (account, { query }) => {
      refuseUnreadParams(query, c.listParams);
      const store = c.store(account);
      const perPage = Math.min(positiveInt(queryString(query, 'per_page'), DEFAULT_PER_PAGE), MAX_PER_PAGE);
      const pageNo = positiveInt(queryString(query, 'page_no'), 1);
      const all = store.list(c.filter(query));
      const page = all.slice((pageNo - 1) * perPage, pageNo * perPage);
      return ok(200, { [c.plural]: page.map((r) => envelope(store, r)), pagination: { per_page: perPage, page_no: pageNo, total: all.length } });
    },
    lookup: (account, { query }) => {
      refuseUnreadParams(query, ['external_id', 'integration_name']);
      const store = c.store(account);
      const record = store.lookupByExternalId(externalIdQuery(query));
      if (!record) throw notFound(`${store.model.name} not found`);
      return ok(200, c.lookupWrapped ? envelope(store, record) : store.render(record));
    },
  };
}

export function registerFleetRoutes(app: FastifyInstance, state: MotiveSandboxState): void {
  const prefix = app.prefix;
  const route = (action: Action) => (req: Parameters<typeof runV1>[1], reply: Parameters<typeof runV1>[2]) =>
    runV1(state, req, reply, prefix, action);
  for (const c of [VEHICLES, ASSETS]) {
    const a = actions(c);
    app.post(`/v1/${c.plural}`, route(a.create));
    app.get(`/v1/${c.plural}`, route(a.list));
    app.get(`/v1/${c.plural}/lookup_by_external_id`, route(a.lookup));
    app.get(`/v1/${c.plural}/:id`, route(a.show));
    app.put(`/v1/${c.plural}/:id`, route(a.update));
  }
}
