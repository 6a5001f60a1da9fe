// Motive's messages (POST/GET /v2/messages) and fuel purchases (POST/GET /v1/fuel_purchases, GET
// /v1/fuel_purchases/:id). Every route runs through runV1 for auth, rate limit, faults, latency and the
// request log (Motive publishes no per-endpoint limit, so the account's one window counts them all).
// Sources: ./writes-vendor.ts. Inspection reports have no create at Motive [inspections]: no POST route,
// so a create answers the sandbox's 404 as any unknown path does.
//   messages: [v2-send] names its parameters "Query Parameters" and sends them as a JSON body in its own
//             example, so both are read, the body winning, as Rails merges them into `params`. Missing or
//             blank parameters are Rails' ParameterMissing (400); a sender or receiver that is not a user
//             of the company is a 404 [KT16-msg: "recipient not found"]. The send answers 201, as the v1
//             send does [KT16-msg] (the v2 page names no status).
//   fuel:     answers `{"fuel_purchase": {…}}` (201 on create) and lists `{"fuel_purchases": [{"fuel_purchase":
//             {…}}], "pagination"}` with page_no/per_page, the shapes of Motive's other v1 resources [KT16]
//             (the fuel pages list the record's fields without naming an envelope).
import type { FastifyInstance } from 'fastify';
import type { MotiveAccount } from './account.ts';
import { MotiveApiError, notFound } from './errors.ts';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE } from './fleet-vendor.ts';
import { FuelPurchaseStore } from './fuel-purchase-store.ts';
import { MessageStore } from './message-store.ts';
import { objectBody, positiveInt, queryList, queryString, recordId } from './params.ts';
import { runV1 } from './pipeline.ts';
import type { Action, ActionInput, Answer } from './pipeline.ts';
import type { MotiveSandboxState } from './state.ts';
import { castString, isBlank } from './validation.ts';
import { startOfLastWeek } from './writes-vendor.ts';

const ok = (status: number, body: unknown): Answer => ({ status, body });
const missing = (name: string) => new MotiveApiError(400, `param is missing or the value is empty: ${name}`);

/** Rails' `params`: the query string with the JSON body merged over it. */
function railsParams(input: ActionInput): Record<string, unknown> {
  const body = input.body;
  const fromBody = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (Array.isArray(body)) objectBody(input); // a JSON array is no params hash: the 400 every write gives
  return { ...input.query, ...fromBody };
}

/** `User.find(id)`: an id that is no user of the company is a 404. */
function userId(account: MotiveAccount, raw: unknown): number {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : JSON.stringify(raw);
  if (!/^\d{1,15}$/.test(text) || !account.hasUser(Number(text))) throw notFound(`Couldn't find User with 'id'=${text}`);
  return Number(text);
}

/** `receiver_ids` (a JSON array, or `receiver_ids[]` / repeated in the query) or else `receiver_id`. */
function receiverParam(params: Record<string, unknown>): unknown[] | undefined {
  const listed = params.receiver_ids ?? params['receiver_ids[]'];
  if (listed !== undefined && listed !== null && listed !== '') return Array.isArray(listed) ? listed : [listed];
  const single = params.receiver_id;
  return single === undefined || single === null || single === '' ? undefined : [single];
}

const sendMessage: Action = (account, input) => {
  const params = railsParams(input);
  if (isBlank(params.sender_id)) throw missing('sender_id');
  const receivers = receiverParam(params);
  if (receivers === undefined || receivers.length === 0) throw missing('receiver_ids');
  if (isBlank(params.body)) throw missing('body');
  const sender = userId(account, params.sender_id);
  const ids = [...new Set(receivers.map((r) => userId(account, r)))];
  const body = castString('body', params.body) as string;
  return ok(201, { message: MessageStore.renderSent(account.messages.send(sender, ids, body, input.nowIso)) });
};

const listMessages: Action = (account, input) => {
  const params = railsParams(input);
  if (isBlank(params.sender_id)) throw missing('sender_id');
  const sender = userId(account, params.sender_id);
  const raw = queryList(input.query, 'receiver_ids') ?? (Array.isArray(params.receiver_ids) ? params.receiver_ids.map(String) : undefined);
  const receivers = raw?.map((r) => (/^\d{1,15}$/.test(r.trim()) ? Number(r) : NaN));
  const now = Date.parse(input.nowIso);
  const messages = account.messages.sentBy(sender, receivers, startOfLastWeek(now), now);
  return ok(200, { messages: messages.map((m) => ({ message: MessageStore.renderListed(m) })) });
};

const envelope = (r: Parameters<typeof FuelPurchaseStore.render>[0]) => ({ fuel_purchase: FuelPurchaseStore.render(r) });

const createFuelPurchase: Action = (account, input) => {
  const record = account.fuelPurchases.create(objectBody(input), input.nowIso, {
    vehicle: (id) => account.vehicles.has(id),
    driver: (id) => account.hasUser(id),
  });
  return ok(201, envelope(record));
};

const showFuelPurchase: Action = (account, input) => ok(200, envelope(account.fuelPurchases.get(recordId(input, 'FuelPurchase'))));

const listFuelPurchases: Action = (account, { query }) => {
  const perPage = Math.min(positiveInt(queryString(query, 'per_page'), DEFAULT_PER_PAGE), MAX_PER_PAGE);
  const pageNo = positiveInt(queryString(query, 'page_no'), 1);
  const all = account.fuelPurchases.list();
  const page = all.slice((pageNo - 1) * perPage, pageNo * perPage);
  return ok(200, { fuel_purchases: page.map(envelope), pagination: { per_page: perPage, page_no: pageNo, total: all.length } });
};

export function registerWritesRoutes(app: FastifyInstance, state: MotiveSandboxState): void {
  const prefix = app.prefix;
  const route = (action: Action) => (req: Parameters<typeof runV1>[1], reply: Parameters<typeof runV1>[2]) =>
    runV1(state, req, reply, prefix, action);
  app.post('/v2/messages', route(sendMessage));
  app.get('/v2/messages', route(listMessages));
  app.post('/v1/fuel_purchases', route(createFuelPurchase));
  app.get('/v1/fuel_purchases', route(listFuelPurchases));
  app.get('/v1/fuel_purchases/:id', route(showFuelPurchase));
}
