// The Samsara asset (POST /assets, PATCH /assets?id=, GET /assets) as the sandbox validates, stores
// and renders it. Fields, types and enums are the SDK's (./asset-vendor.ts). Samsara's SDK types the
// body's fields as optional but not nullable, so a null is refused like any other wrong type; "" is
// how a text field is emptied. Every key must be a documented field (an unknown one is a 400).
import { badRequest } from './errors.ts';
import { ASSET_STRING_FIELDS, ASSET_TYPES, DEFAULT_ASSET_TYPE, REGULATION_MODES, VIN_LENGTH } from './asset-vendor.ts';
import type { ExternalIds } from './external-ids.ts';
import { parseExternalIds } from './external-ids.ts';
import { bool, int, isObject, oneOf, str } from './field-checks.ts';
import type { Json } from './field-checks.ts';

export type WriteMode = 'create' | 'update';

/** A stored asset: the fields written (read-only ones aside) plus identity and timestamps. */
export interface StoredAsset {
  id: string;
  fields: Json;
  createdAtTime: string;
  updatedAtTime: string;
}

export const assetExternalIds = (a: StoredAsset): ExternalIds | undefined => a.fields.externalIds as ExternalIds | undefined;

function vin(value: unknown): string {
  const s = str('vin', value, Infinity);
  if (s !== '' && s.length !== VIN_LENGTH) {
    throw badRequest(`Invalid value for vin: must be a ${VIN_LENGTH}-character VIN or PIN (shorter legacy numbers go in serialNumber)`);
  }
  return s;
}

type Parser = (value: unknown) => unknown;
const FIELD_PARSERS: Readonly<Record<string, Parser>> = {
  ...Object.fromEntries(ASSET_STRING_FIELDS.map((f) => [f, (v: unknown) => str(f, v, Infinity)])),
  vin,
  year: (v) => int('year', v, { min: 0 }),
  type: (v) => oneOf('type', v, ASSET_TYPES),
  regulationMode: (v) => oneOf('regulationMode', v, REGULATION_MODES),
  readingsIngestionEnabled: (v) => bool('readingsIngestionEnabled', v),
  externalIds: parseExternalIds,
};

/** Documented fields the sandbox does not model (tags and custom attributes exist nowhere in it). */
const NOT_MODELLED = new Set(['attributes', 'tagIds']);

/** The fields a create or update body sets, after type checks. */
export function parseAssetWrite(body: unknown, mode: WriteMode): Json {
  if (!isObject(body)) throw badRequest('Request body must be a JSON object');
  const set: Json = {};
  for (const [key, value] of Object.entries(body)) {
    if (NOT_MODELLED.has(key)) throw badRequest(`${key} is not supported by the Samsara sandbox`);
    const parse = Object.hasOwn(FIELD_PARSERS, key) ? FIELD_PARSERS[key] : undefined;
    if (parse === undefined) throw badRequest(`Unknown field: ${key}`);
    set[key] = parse(value);
  }
  if (mode === 'create') set.type ??= DEFAULT_ASSET_TYPE;
  return set;
}

/**
 * The asset as the API renders it. `externalIds` ride on create and update answers; the list shows them
 * only with includeExternalIds=true ("whether to return external IDs on supported entities").
 */
export function renderAsset(a: StoredAsset, opts: { externalIds: boolean }): Json {
  const { externalIds, ...rest } = structuredClone(a.fields);
  return {
    id: a.id,
    ...rest,
    ...(opts.externalIds && { externalIds: externalIds ?? {} }),
    createdAtTime: a.createdAtTime,
    updatedAtTime: a.updatedAtTime,
  };
}
