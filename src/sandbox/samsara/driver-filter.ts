// GET /fleet/drivers query parameters, as the SDK's ListDriversRequest declares them: every one of them
// is honoured except `attributeValueIds` (the sandbox keeps no attribute values with ids), which is
// refused with Samsara's 400 rather than ignored; a parameter the SDK does not have is a 400 too.
// Semantics quoted from the SDK's docstrings: tagIds and parentTagIds match a driver carrying any of the
// tags (parentTagIds "will implicitly include all descendent tags"); attributes "name:value" or
// "name:range(a,b)", several "separated by semicolon" or repeated, must ALL match; updatedAfterTime and
// createdAfterTime are "after or equal to" an RFC 3339 time.
import { badRequest } from './errors.ts';
import { listParam, oneOf, queryString } from './field-checks.ts';
import type { Json } from './field-checks.ts';
import type { StoredDriver } from './driver-model.ts';
import { sdkObject } from './sdk-check.ts';
import { ACTIVATION_STATUSES, DRIVER_LIST_UNSUPPORTED } from './vendor.ts';

type AttributeTest = { name: string; value: string } | { name: string; min: number; max: number };

export interface DriverFilter {
  status: 'active' | 'deactivated';
  tagIds?: string[];
  parentTagIds?: string[];
  attributes?: AttributeTest[];
  createdAfterMs?: number;
  updatedAfterMs?: number;
}

function timeParam(query: Record<string, unknown>, name: string): number | undefined {
  const raw = queryString(query, name);
  if (raw === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) throw badRequest(`Invalid value for ${name}: must be an RFC 3339 date-time`);
  return ms;
}

function attributeTests(query: Record<string, unknown>): AttributeTest[] | undefined {
  const raw = query.attributes;
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && v !== '');
  const tests = values.flatMap((v) => v.split(';')).filter((v) => v.trim() !== '').map((item): AttributeTest => {
    const colon = item.indexOf(':');
    if (colon <= 0) throw badRequest(`Invalid value for attributes: ${JSON.stringify(item)} is not name:value`);
    const name = item.slice(0, colon);
    const value = item.slice(colon + 1);
    const range = /^range\((-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)\)$/.exec(value);
    return range ? { name, min: Number(range[1]), max: Number(range[2]) } : { name, value };
  });
  return tests.length > 0 ? tests : undefined;
}

export function parseDriverFilter(query: Record<string, unknown>): DriverFilter {
  const known = sdkObject('ListDriversRequest').fields;
  for (const name of Object.keys(query)) {
    if ((DRIVER_LIST_UNSUPPORTED as readonly string[]).includes(name)) throw badRequest(`${name} is not supported by the Samsara sandbox`);
    if (!Object.hasOwn(known, name)) throw badRequest(`Unknown query parameter: ${name}`);
  }
  const status = oneOf('driverActivationStatus', queryString(query, 'driverActivationStatus') ?? 'active', ACTIVATION_STATUSES) as DriverFilter['status'];
  const tagIds = listParam(query, 'tagIds');
  const parentTagIds = listParam(query, 'parentTagIds');
  const attributes = attributeTests(query);
  const createdAfterMs = timeParam(query, 'createdAfterTime');
  const updatedAfterMs = timeParam(query, 'updatedAfterTime');
  return {
    status,
    ...(tagIds && { tagIds }),
    ...(parentTagIds && { parentTagIds }),
    ...(attributes && { attributes }),
    ...(createdAfterMs !== undefined && { createdAfterMs }),
    ...(updatedAfterMs !== undefined && { updatedAfterMs }),
  };
}

function attributeMatches(attributes: unknown, test: AttributeTest): boolean {
  if (!Array.isArray(attributes)) return false;
  return attributes.some((a: Json) => {
    if (a.name !== test.name) return false;
    if ('value' in test) return Array.isArray(a.stringValues) && a.stringValues.includes(test.value);
    return Array.isArray(a.numberValues) && a.numberValues.some((n) => typeof n === 'number' && n >= test.min && n <= test.max);
  });
}

/** `tagScope`: the parentTagIds with their descendants, when that filter is given. */
export function driverMatches(d: StoredDriver, f: DriverFilter, tagScope: ReadonlySet<string> | undefined): boolean {
  if (d.driverActivationStatus !== f.status) return false;
  const tags = Array.isArray(d.fields.tagIds) ? (d.fields.tagIds as string[]) : [];
  if (f.tagIds && !tags.some((t) => f.tagIds?.includes(t))) return false;
  if (tagScope && !tags.some((t) => tagScope.has(t))) return false;
  if (f.attributes && !f.attributes.every((t) => attributeMatches(d.fields.attributes, t))) return false;
  if (f.createdAfterMs !== undefined && Date.parse(d.createdAtTime) < f.createdAfterMs) return false;
  if (f.updatedAfterMs !== undefined && Date.parse(d.updatedAtTime) < f.updatedAfterMs) return false;
  return true;
}
