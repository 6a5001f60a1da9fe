// Plain HTTP to a standalone sandbox, as the vendor's own clients would call it: what the Geotab and
// Motive sandbox tests share (each file keeps its own server, clock and vendor-specific helpers).
import assert from 'node:assert/strict';

// any: these tests read arbitrary native answers and assert on them field by field.
export type Json = Record<string, any>;

export interface JsonRes {
  status: number;
  headers: Headers;
  body: Json;
}

/** A JSON request; the answer must be JSON (a non-JSON answer throws). */
export async function jsonHttp(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonRes> {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}

/** A Geotab sandbox database's sign-in, as `_sandbox/accounts` answers it. */
export interface GeotabAccount {
  database: string;
  userName: string;
  password: string;
}

/** One MyGeotab JSON-RPC call (POST /apiv1). */
export const geotabRpc = (base: string, method: string, params: Json) => jsonHttp(`${base}/apiv1`, 'POST', { method, params });

/** A call to the Geotab sandbox's control surface as the database's owner; must succeed. */
export async function geotabControl(base: string, a: GeotabAccount, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await jsonHttp(base + path, method, body, { 'x-sandbox-database': a.database, 'x-sandbox-password': a.password });
  assert.ok(res.status < 300, `${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A fresh Geotab sandbox database and a session on it: `call(method, typeName, params)`. */
export async function geotabDatabase(base: string) {
  const a = (await jsonHttp(`${base}/_sandbox/accounts`, 'POST')).body as GeotabAccount;
  const auth = await geotabRpc(base, 'Authenticate', { database: a.database, userName: a.userName, password: a.password });
  const credentials = auth.body.result.credentials as Json;
  const call = (method: string, typeName: string, params: Json = {}) => geotabRpc(base, method, { typeName, credentials, ...params });
  return { a, call };
}

/** A JSON-RPC error's Geotab type and message. */
export const geotabErrorOf = (r: JsonRes): [string, string] => [r.body.error?.data?.type, r.body.error?.message];

/** A call to the Motive sandbox with a company API key (X-Api-Key); a fault's plain-text body reads as {text}. */
export async function motiveCall(base: string, method: string, path: string, key: string | undefined, body?: unknown): Promise<JsonRes> {
  const headers: Record<string, string> = key ? { 'x-api-key': key } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: Json = {};
  try {
    parsed = text ? (JSON.parse(text) as Json) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
