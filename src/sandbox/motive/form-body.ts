// `application/x-www-form-urlencoded` bodies, read the way Rack (under Motive's Rails API) reads them.
// Motive's own examples send them: `curl -H "X-Api-Key: 12345" -d "password=12345678&email=foo@keeptruckin.com
// &first_name=Foo&last_name=Bar&role=driver" "https://api.keeptruckin.com/v1/users"` (create and update,
// armdev/public_api_docs @177c9ec4 pages/02-users.markdown); curl's -d sends exactly this content type.
// Rack's nested names: `a[b]=1` is {a: {b: "1"}}, `a[]=1&a[]=2` is {a: ["1", "2"]}, and
// `a[][x]=1&a[][y]=2&a[][x]=3` is {a: [{x: "1", y: "2"}, {x: "3"}]} (a repeated key starts a new hash),
// so `external_ids_attributes[][external_id]=…&external_ids_attributes[][integration_name]=…` is one pair.
// Every value is a string: typecasting is the model's job (validation.ts, record-fields.ts).
import { MotiveApiError } from './errors.ts';

const FORM_ENCODED = Symbol('motive.formEncoded');

type Params = Record<string, unknown>;

export const isFormContentType = (contentType: string | undefined): boolean =>
  /^\s*application\/x-www-form-urlencoded\b/i.test(contentType ?? '');

/** Whether a body came form-encoded (its values are all text, to be typecast the Rails way). */
export const isFormEncoded = (body: object): boolean => Object.hasOwn(body, FORM_ENCODED);

// Rack answers a name used both as a scalar and as a nested key with ParameterTypeError, a 400.
const typeConflict = (name: string): MotiveApiError =>
  new MotiveApiError(400, `Invalid request parameters: expected a different type for parameter ${name}`);

const isHash = (v: unknown): v is Params => typeof v === 'object' && v !== null && !Array.isArray(v);

// A name from the wire must never reach an object's prototype chain (`__proto__[x]=1` would write onto
// Object.prototype for the whole process): such keys are refused, and only own members are read.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const own = (params: Params, key: string): unknown => (Object.hasOwn(params, key) ? params[key] : undefined);

/** Rack::QueryParser#normalize_params for one `name=value` pair. */
function normalize(params: Params, name: string, value: string, full: string): void {
  const match = /^[[\]]*([^[\]]+)\]*/.exec(name);
  const key = match?.[1] ?? '';
  if (key === '') return;
  if (UNSAFE_KEYS.has(key)) throw new MotiveApiError(400, `Invalid request parameters: invalid parameter name ${full}`);
  const after = name.slice(match![0].length);
  if (after === '') {
    params[key] = value;
    return;
  }
  if (after === '[]') {
    const list = own(params, key) ?? [];
    if (!Array.isArray(list)) throw typeConflict(full);
    list.push(value);
    params[key] = list;
    return;
  }
  const child = /^\[\]\[([^[\]]+)\]$/.exec(after) ?? /^\[\](.+)$/.exec(after);
  if (child) {
    const childKey = child[1];
    const list = own(params, key) ?? [];
    if (!Array.isArray(list)) throw typeConflict(full);
    const last: unknown = list[list.length - 1];
    if (isHash(last) && !Object.hasOwn(last, childKey.replace(/^\[|\].*$/g, ''))) normalize(last, childKey, value, full);
    else {
      const fresh: Params = {};
      normalize(fresh, childKey, value, full);
      list.push(fresh);
    }
    params[key] = list;
    return;
  }
  const nested = own(params, key) ?? {};
  if (!isHash(nested)) throw typeConflict(full);
  normalize(nested, after, value, full);
  params[key] = nested;
}

/** The body's parameters (an empty body is none), marked as form-encoded. */
export function parseFormBody(raw: string): Params {
  const params: Params = {};
  for (const [name, value] of new URLSearchParams(raw)) normalize(params, name, value, name);
  Object.defineProperty(params, FORM_ENCODED, { value: true, enumerable: false });
  return params;
}

/**
 * ActiveModel::Type::Boolean on a form value: "" is nil, "0", "f", "false", "off" (either case) are false,
 * any other text is true.
 */
export function formBoolean(value: string): boolean | null {
  if (value === '') return null;
  return !['0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF'].includes(value);
}
