// What every POST /apiv1 call goes through: parse the JSON-RPC request → find the database it names →
// (sandbox) fault and latency → authenticate the session → rate limit → the method → log → answer.
// Every Geotab outcome, failures included, is HTTP 200 with a JSON-RPC body (providers.md); only
// injected faults produce other statuses.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendAnswer } from '../kit/answer.ts';
import type { Answer } from '../kit/answer.ts';
import { runWithFault, takeFault } from '../kit/faults.ts';
import { admit } from './admission.ts';
import { assetCall, isAssetCall } from './asset-rpc.ts';
import { isWritesCall, writesCall } from './writes-rpc.ts';
import type { GeotabDatabase } from './database.ts';
import { argumentError, GeotabRpcError, invalidUser, rpcErrorBody } from './errors.ts';
import type { Fault } from './faults.ts';
import { replacesAnswer } from './faults.ts';
import type { GeotabSandboxState } from './state.ts';

export type { Answer } from '../kit/answer.ts';

type Params = Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The base URL this request reached, to tell whether it is the server `redirect_to` names. */
function servedHere(req: FastifyRequest, prefix: string, redirectTo: string): boolean {
  const target = redirectTo.replace(/\/+$/, '');
  if (target.includes('://')) return `${req.protocol}://${req.host}${prefix}`.toLowerCase() === target.toLowerCase();
  return req.hostname.toLowerCase() === target.toLowerCase();
}

interface Call {
  db: GeotabDatabase;
  method: string;
  params: Params;
  now: number;
  req: FastifyRequest;
  prefix: string;
}

function authenticate({ db, params, now }: Call): Answer {
  const { userName, password } = params;
  if (typeof userName !== 'string' || typeof password !== 'string') throw invalidUser();
  const headers = admit(db, userName, 'Authenticate', db.settings.authenticate_per_minute, now);
  const user = db.checkLogin(userName, password);
  if (!user || Date.parse(user.fields.activeTo as string) < now) throw invalidUser();
  const sessionId = db.openSession(user.fields.name as string, now);
  return {
    status: 200,
    headers,
    body: {
      result: {
        credentials: { database: db.name, userName: user.fields.name, sessionId },
        path: db.settings.redirect_to ?? 'ThisServer',
      },
      jsonrpc: '2.0',
    },
  };
}

function requireUserType(params: Params): void {
  if (params.typeName !== 'User') {
    throw argumentError(
      `typeName '${String(params.typeName)}' is not supported by the sandbox (User, Device, Trailer, TextMessage, FuelTransaction, DVIRLog and Defect only)`,
    );
  }
}

function sessionCall(call: Call): Answer {
  const { db, method, params, now, req, prefix } = call;
  const c = params.credentials;
  if (!isObject(c) || typeof c.userName !== 'string' || typeof c.sessionId !== 'string') throw invalidUser();
  // After a redirect the session lives on the other server; the old one doesn't know it.
  if (db.settings.redirect_to !== null && !servedHere(req, prefix, db.settings.redirect_to)) throw invalidUser();
  if (!db.sessionValid(c.sessionId, c.userName, now)) throw invalidUser();
  const user = c.userName;
  const ok = (result: unknown, headers: Record<string, string>): Answer => ({ status: 200, headers, body: { result, jsonrpc: '2.0' } });
  if (isAssetCall(method, params)) {
    const { result, headers } = assetCall(db, user, method, params, now);
    return ok(result, headers);
  }
  if (isWritesCall(params)) {
    const { result, headers } = writesCall(db, user, method, params, now);
    return ok(result, headers);
  }
  switch (method) {
    case 'Add': {
      requireUserType(params);
      const headers = admit(db, user, 'Add:User', db.settings.add_user_per_minute, now);
      if (!isObject(params.entity)) throw argumentError("'entity' must be an object");
      return ok(db.addUser(params.entity, now), headers);
    }
    case 'Set': {
      requireUserType(params);
      const headers = admit(db, user, 'Set:User', db.settings.call_per_minute, now);
      if (!isObject(params.entity)) throw argumentError("'entity' must be an object");
      db.setUser(params.entity, now);
      return ok(null, headers);
    }
    case 'Get': {
      requireUserType(params);
      const headers = admit(db, user, 'Get:User', db.settings.call_per_minute, now);
      const search = params.search ?? {};
      if (!isObject(search)) throw argumentError("'search' must be an object");
      const criteria: { id?: string; name?: string } = {};
      for (const key of ['id', 'name'] as const) {
        const v = search[key];
        if (v === undefined || v === null) continue;
        if (typeof v !== 'string') throw argumentError(`'search.${key}' must be a string`);
        criteria[key] = v;
      }
      const limit = params.resultsLimit;
      if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 0)) {
        throw argumentError("'resultsLimit' must be a non-negative integer");
      }
      return ok(db.getUsers(criteria, limit as number | undefined), headers);
    }
    default:
      throw new GeotabRpcError('MissingMethodException', `The method '${method}' could not be found`);
  }
}

function perform(call: Call, id: unknown): Answer {
  try {
    const answer = call.method === 'Authenticate' ? authenticate(call) : sessionCall(call);
    if (id !== undefined) (answer.body as Params).id = id;
    return answer;
  } catch (err) {
    if (err instanceof GeotabRpcError) {
      return { status: 200, body: rpcErrorBody(err.type, err.message, err.code, id), headers: { ...err.headers } };
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
    // Geotab names this type JsonSerializerException since 5.7.2103: see ERROR_TYPES in ./vendor.ts.
    return sendAnswer(reply, { status: 200, body: rpcErrorBody('JsonSerializationException', 'Invalid JSON-RPC request body', -32700) });
  }
  if (!isObject(request) || typeof request.method !== 'string') {
    return sendAnswer(reply, { status: 200, body: rpcErrorBody('JsonSerializationException', "The request needs a 'method'", -32600) });
  }
  const method = request.method;
  const params: Params = isObject(request.params) ? request.params : {};
  const dbName = method === 'Authenticate' ? params.database : isObject(params.credentials) ? params.credentials.database : undefined;
  const db = typeof dbName === 'string' ? state.findDatabase(dbName) : undefined;
  if (!db) {
    // No database, no fault queue or log: answered like any bad login.
    return sendAnswer(reply, { status: 200, body: rpcErrorBody('InvalidUserException', 'Incorrect login credentials', -32000, request.id) });
  }

  const receivedAt = state.now();
  // Faults are taken at arrival so concurrent calls consume them in arrival order.
  const fault = takeFault(db.faults, (f) => f.method === undefined || f.method === method);
  const call: Call = { db, method, params, now: receivedAt, req, prefix };

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
    method,
    params: mask(params),
    status: answer.status,
    response: mask(answer.body),
  });
  return sendAnswer(reply, answer);
}
