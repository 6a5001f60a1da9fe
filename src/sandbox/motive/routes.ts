// Motive's v1 users endpoints (providers.md): create, partial update, show, list with page_no/per_page,
// lookup by a natural key, lookup by external id. Every route runs through runV1 for auth, rate limit,
// faults, latency and the request log. Sources:
//   [KT16-users] armdev/public_api_docs @177c9ec4 pages/02-users.markdown, "List company users":
//                `GET /users?role=&name=&duty_status=&status=&per_page=&page_no=` (default 25), and
//                `summary` (TRUE or FALSE, its effect undocumented: refused here rather than guessed).
//   [lookup]     https://developer.gomotive.com/reference/search-for-a-specific-user (one of username,
//                driver's company id, phone; email as providers.md records it).
import type { FastifyInstance } from 'fastify';
import { MotiveApiError, notFound } from './errors.ts';
import { externalIdQuery, objectBody, positiveInt, queryString, recordId, refuseUnreadParams } from './params.ts';
import { runV1 } from './pipeline.ts';
import type { Action, ActionInput, Answer } from './pipeline.ts';
import type { MotiveSandboxState } from './state.ts';
import { renderUser } from './user-model.ts';
import type { StoredUser } from './user-model.ts';

const DEFAULT_PER_PAGE = 25;
const MAX_PER_PAGE = 100;

const ok = (status: number, body: unknown): Answer => ({ status, body });
const userEnvelope = (user: StoredUser): { user: Record<string, unknown> } => ({ user: renderUser(user) });

const userId = (input: ActionInput): number => recordId(input, 'User');

const createUser: Action = (account, input) =>
  ok(201, userEnvelope(account.createUser(objectBody(input), input.nowIso)));

const updateUser: Action = (account, input) =>
  ok(200, userEnvelope(account.updateUser(userId(input), objectBody(input), input.nowIso)));

const showUser: Action = (account, input) => ok(200, userEnvelope(account.getUser(userId(input))));

/** The list's filters [KT16-users]; `name` matches the user's full name, case-insensitively [inference]. */
const LIST_PARAMS = ['role', 'status', 'duty_status', 'name', 'per_page', 'page_no'] as const;

const listUsers: Action = (account, { query }) => {
  refuseUnreadParams(query, LIST_PARAMS, ['summary']);
  const perPage = Math.min(positiveInt(queryString(query, 'per_page'), DEFAULT_PER_PAGE), MAX_PER_PAGE);
  const pageNo = positiveInt(queryString(query, 'page_no'), 1);
  const all = account.listUsers({
    role: queryString(query, 'role'),
    status: queryString(query, 'status'),
    duty_status: queryString(query, 'duty_status'),
    name: queryString(query, 'name'),
  });
  const page = all.slice((pageNo - 1) * perPage, pageNo * perPage);
  return ok(200, {
    users: page.map(userEnvelope),
    pagination: { per_page: perPage, page_no: pageNo, total: all.length },
  });
};

const LOOKUP_KEYS = ['email', 'username', 'driver_company_id', 'phone'] as const;

const lookupUser: Action = (account, { query }) => {
  refuseUnreadParams(query, LOOKUP_KEYS);
  const criteria: Partial<Record<(typeof LOOKUP_KEYS)[number], string>> = {};
  for (const key of LOOKUP_KEYS) {
    const v = queryString(query, key);
    if (v !== undefined) criteria[key] = v;
  }
  if (Object.keys(criteria).length === 0) {
    throw new MotiveApiError(400, `param is missing: one of ${LOOKUP_KEYS.join(', ')}`);
  }
  const user = account.lookup(criteria);
  if (!user) throw notFound('User not found');
  return ok(200, userEnvelope(user));
};

const lookupByExternalId: Action = (account, { query }) => {
  refuseUnreadParams(query, ['external_id', 'integration_name']);
  const user = account.lookupByExternalId(externalIdQuery(query));
  if (!user) throw notFound('User not found');
  return ok(200, userEnvelope(user));
};

export function registerUserRoutes(app: FastifyInstance, state: MotiveSandboxState): void {
  const prefix = app.prefix;
  const route = (action: Action) => (req: Parameters<typeof runV1>[1], reply: Parameters<typeof runV1>[2]) =>
    runV1(state, req, reply, prefix, action);
  app.post('/v1/users', route(createUser));
  app.get('/v1/users', route(listUsers));
  app.get('/v1/users/lookup', route(lookupUser));
  app.get('/v1/users/lookup_by_external_id', route(lookupByExternalId));
  app.get('/v1/users/:id', route(showUser));
  app.put('/v1/users/:id', route(updateUser));
}
