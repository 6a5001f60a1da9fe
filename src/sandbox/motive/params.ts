// Reading a /v1 request the way a Rails controller does: query parameters, integer ids, paging, and the
// JSON object body every write takes. Shared by the users, vehicles and assets routes.
import { MotiveApiError, notFound } from './errors.ts';
import type { ActionInput } from './pipeline.ts';

/** A repeated query parameter (`?role=a&role=b`) reads as its first value; empty means absent. */
export function queryString(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/** Every value of an array parameter, Rails style (`?ids[]=1&ids[]=2`) or repeated (`?ids=1&ids=2`). */
export function queryList(query: Record<string, unknown>, name: string): string[] | undefined {
  const v = query[`${name}[]`] ?? query[name];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
}

/** Rails' `params[:x].to_i` semantics, clamped: junk or < 1 falls back to the default. */
export function positiveInt(raw: string | undefined, fallback: number): number {
  const n = raw === undefined ? NaN : Number.parseInt(raw, 10);
  return Number.isFinite(n) && n >= 1 ? n : fallback;
}

/** The `:id` of the path; ActiveRecord finds by integer id, anything else can't match a record. */
export function recordId(input: ActionInput, model: string): number {
  const raw = input.params.id ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw notFound(`Couldn't find ${model} with 'id'=${raw}`);
  return Number(raw);
}

export function objectBody(input: ActionInput): Record<string, unknown> {
  const body = input.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MotiveApiError(400, 'Request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** `external_id` and `integration_name`, both required by the lookup_by_external_id endpoints. */
export function externalIdQuery(query: Record<string, unknown>): { external_id: string; integration_name: string } {
  const externalId = queryString(query, 'external_id');
  const integrationName = queryString(query, 'integration_name');
  if (externalId === undefined) throw new MotiveApiError(400, 'param is missing or the value is empty: external_id');
  if (integrationName === undefined) throw new MotiveApiError(400, 'param is missing or the value is empty: integration_name');
  return { external_id: externalId, integration_name: integrationName };
}

/**
 * Refuses a query parameter the route does not read. Rails itself would ignore it, but a filter quietly
 * ignored answers with records the caller asked to exclude, so the sandbox says it does not implement it
 * (400 with Motive's `error_message`, the answer Motive gives a request it cannot take) rather than
 * pretend. `read` lists what the route honours; a documented filter it lacks is named as such.
 */
export function refuseUnreadParams(
  query: Record<string, unknown>,
  read: readonly string[],
  documentedButNotImplemented: readonly string[] = [],
): void {
  for (const raw of Object.keys(query)) {
    const name = raw.endsWith('[]') ? raw.slice(0, -2) : raw;
    if (read.includes(name)) continue;
    const why = documentedButNotImplemented.includes(name) ? 'is documented by Motive but not implemented by this sandbox' : 'is not a parameter of this endpoint';
    throw new MotiveApiError(400, `Unsupported parameter: ${name} ${why} (supported: ${read.join(', ')})`);
  }
}
