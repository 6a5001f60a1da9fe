// What every POST /apiv1 call goes through: parse the JSON-RPC request → find the database it names →
// (sandbox) fault and latency → authenticate the session → rate limit → the method (or each call of an
// ExecuteMultiCall) → log → answer.
// Every Geotab outcome, failures included, is HTTP 200 with a JSON-RPC body (providers.md); only
// injected faults produce other statuses.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendAnswer } from '../kit/answer.ts';
import type { Answer } from '../kit/answer.ts';
import { runWithFault, takeFault } from '../kit/faults.ts';
import { admit } from './admission.ts';
import { assetCall, isAssetCall } from './asset-rpc.ts';
import { JSON_SERIALIZER_CODE, JSON_SERIALIZER_MESSAGE } from './asset-vendor.ts';
import { isUserCall, userCall } from './user-rpc.ts';
import { COUNTABLE_TYPES, SANDBOX_SERVER_VERSION } from './vendor.ts';
import { isWritesCall, writesCall } from './writes-rpc.ts';
import type { GeotabDatabase } from './database.ts';
import { argumentError, GeotabRpcError, invalidUser, rpcErrorBody } from './errors.ts';
import type { Fault } from './faults.ts';
import { replacesAnswer } from './faults.ts';
import { isObject } from './params.ts';
import type { Params } from './params.ts';
import type { GeotabSandboxState } from './state.ts';

export type { Answer } from '../kit/answer.ts';

/** Whether this request reached the host `redirect_to` names (Geotab's "server moved" target). */
const servedHere = (req: FastifyRequest, redirectTo: string): boolean => req.hostname.toLowerCase() === redirectTo.toLowerCase();

interface Call {
  db: GeotabDatabase;
  method: string;
  params: Params;
  now: number;
  req: FastifyRequest;
}

function authenticate({ db, params, now, req }: Call): Answer {
  const { userName, password } = params;
  if (typeof userName !== 'string' || typeof password !== 'string') throw invalidUser();
  const headers = admit(db, userName, 'Authenticate', db.settings.authenticate_per_minute, now);
  const user = db.checkLogin(userName, password);
  if (!user || Date.parse(user.fields.activeTo as string) < now) throw invalidUser();
  const sessionId = db.openSession(user.fields.name as string, now);
  // A database that moved answers the host that now holds it (providers.md: `path` is "ThisServer" or a host name).
  const moved = db.settings.redirect_to;
  return {
    status: 200,
    headers,
    body: {
      result: {
        credentials: { database: db.name, userName: user.fields.name, sessionId },
        path: moved === null || servedHere(req, moved) ? 'ThisServer' : moved,
      },
      jsonrpc: '2.0',
    },
  };
}

type Outcome = { result: unknown; headers: Record<string, string> };

/** One method of an authenticated call (also each call of an ExecuteMultiCall). */
function runMethod(db: GeotabDatabase, user: string, name: string, params: Params, now: number): Outcome {
  if (name === 'GetCountOf') return getCountOf(db, user, params, now);
  if (name === 'GetVersion') return { result: SANDBOX_SERVER_VERSION, headers: {} };
  if (isAssetCall(name, params)) return assetCall(db, user, name, params, now);
  if (isWritesCall(params)) return writesCall(db, user, name, params, now);
  if (isUserCall(params)) return userCall(db, user, name, params, now);
  if (['Add', 'Set', 'Get'].includes(name)) {
    throw argumentError(
      `typeName '${String(params.typeName)}' is not supported by the sandbox (User, UserHosRuleSet, Device, Trailer, TextMessage, FuelTransaction, DVIRLog and Defect only)`,
    );
  }
  throw new GeotabRpcError('MissingMethodException', `The method '${name}' could not be found`);
}

/** GetCountOf(typeName): how many entities of the type the database holds. */
function getCountOf(db: GeotabDatabase, user: string, params: Params, now: number): Outcome {
  const typeName = params.typeName;
  if (typeof typeName !== 'string' || !(COUNTABLE_TYPES as readonly string[]).includes(typeName)) {
    throw argumentError(`GetCountOf of '${String(typeName)}' is not supported by the fleetgate sandbox (${COUNTABLE_TYPES.join(', ')} only)`);
  }
  const headers = admit(db, user, `GetCountOf:${typeName}`, db.settings.call_per_minute, now);
  const counts: Record<string, () => number> = {
    User: () => db.userCount,
    Device: () => db.assets.getDevices({}, undefined).length,
    Trailer: () => db.assets.getTrailers({}, undefined).length,
    UserHosRuleSet: () => db.hosRuleSets.count,
  };
  return { result: counts[typeName](), headers };
}

/**
 * ExecuteMultiCall: the calls run in order under the outer credentials and answer their results in
 * order. The first failure answers for the whole call, its `requestIndex` naming the failed call; the
 * calls before it stay applied [guess: Geotab does not document a rollback].
 */
function multiCall(db: GeotabDatabase, user: string, params: Params, now: number): Outcome {
  const calls = params.calls;
  if (!Array.isArray(calls)) throw argumentError("'calls' must be an array of {method, params}");
  const results: unknown[] = [];
  let headers: Record<string, string> = {};
  calls.forEach((c: unknown, index) => {
    try {
      if (!isObject(c) || typeof c.method !== 'string') throw argumentError("Each call needs a 'method'");
      if (c.method === 'Authenticate' || c.method === 'ExecuteMultiCall') {
        throw argumentError(`${c.method} cannot be called inside ExecuteMultiCall`);
      }
      const inner = runMethod(db, user, c.method, isObject(c.params) ? c.params : {}, now);
      results.push(inner.result);
      headers = inner.headers;
    } catch (err) {
      if (err instanceof GeotabRpcError) throw err.at(index);
      throw err;
    }
  });
  return { result: results, headers };
}

function sessionCall(call: Call): Answer {
  const { db, params, now, req } = call;
  const c = params.credentials;
  if (!isObject(c) || typeof c.userName !== 'string' || typeof c.sessionId !== 'string') throw invalidUser();
  // After a redirect the session lives on the other server; the old one doesn't know it.
  if (db.settings.redirect_to !== null && !servedHere(req, db.settings.redirect_to)) throw invalidUser();
  if (!db.sessionValid(c.sessionId, c.userName, now)) throw invalidUser();
  const { result, headers } =
    call.method === 'ExecuteMultiCall' ? multiCall(db, c.userName, params, now) : runMethod(db, c.userName, call.method, params, now);
  return { status: 200, headers, body: { result, jsonrpc: '2.0' } };
}

function perform(call: Call, id: unknown): Answer {
  try {
    const answer = call.method === 'Authenticate' ? authenticate(call) : sessionCall(call);
    if (id !== undefined) (answer.body as Params).id = id;
    return answer;
  } catch (err) {
    if (err instanceof GeotabRpcError) {
      return { status: 200, body: rpcErrorBody(err.type, err.message, err.code, id, err.requestIndex), headers: { ...err.headers } };
    }
    // A bug in the sandbox: still answer the JSON-RPC way rather than crash the request.
    return { status: 200, body: rpcErrorBody('Exception', 'An unexpected error occurred', -32000, id) };
  }
}

function faultAnswer(fault: Fault): Answer {
  const status = fault.status ?? 200;
  let body = fault.body;
  if (body === undefined) {
    const type = fault.error?.type ?? 'Exception';
    body = rpcErrorBody(type, fault.error?.message ?? `Sandbox fault (${type})`);
  }
  return { status, body, headers: fault.headers };
}

/** Masks passwords and session ids anywhere in a logged value. */
export function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = /^(password|sessionid)$/i.test(k) ? '[REDACTED]' : mask(v);
  return out;
}

export async function handleApiCall(
  state: GeotabSandboxState,
  req: FastifyRequest,
  reply: FastifyReply,
  prefix: string,
): Promise<FastifyReply> {
  const raw = typeof req.body === 'string' ? req.body : '';
  let request: unknown;
  try {
    request = JSON.parse(raw);
  } catch {
    return sendAnswer(reply, { status: 200, body: rpcErrorBody('JsonSerializerException', JSON_SERIALIZER_MESSAGE, JSON_SERIALIZER_CODE) });
  }
  if (!isObject(request) || typeof request.method !== 'string') {
    return sendAnswer(reply, { status: 200, body: rpcErrorBody('JsonSerializerException', JSON_SERIALIZER_MESSAGE, JSON_SERIALIZER_CODE) });
  }
  const method = request.method;
  const params: Params = isObject(request.params) ? request.params : {};
  const dbName = method === 'Authenticate' ? params.database : isObject(params.credentials) ? params.credentials.database : undefined;
  const db = typeof dbName === 'string' ? state.findDatabase(dbName) : undefined;
  if (!db && method === 'GetVersion') {
    // Answered without a session too [guess: no source read here says whether MyGeotab requires one].
    return sendAnswer(reply, { status: 200, body: { result: SANDBOX_SERVER_VERSION, jsonrpc: '2.0', ...(request.id !== undefined && { id: request.id }) } });
  }
  if (!db) {
    // No database, no fault queue or log: answered like any bad login.
    return sendAnswer(reply, { status: 200, body: rpcErrorBody('InvalidUserException', 'Incorrect login credentials', -32000, request.id) });
  }

  const receivedAt = state.now();
  // Faults are taken at arrival so concurrent calls consume them in arrival order.
  const fault = takeFault(db.faults, (f) => f.method === undefined || f.method === method);
  const call: Call = { db, method, params, now: receivedAt, req };

  const answer = await runWithFault({
    fault,
    // Sessions expire and windows slide by the clock: a delayed call runs at the time it really runs.
    perform: (when) => perform(when === 'arrival' ? call : { ...call, now: state.now() }, request.id),
    replaces: replacesAnswer,
    faultAnswer,
    latencyMs: db.settings.latency_ms,
  });

  db.logRequest({
    at: new Date(receivedAt).toISOString(),
    server: prefix,
    host: req.hostname,
    method,
    params: mask(params),
    status: answer.status,
    response: mask(answer.body),
  });
  return sendAnswer(reply, answer);
}
