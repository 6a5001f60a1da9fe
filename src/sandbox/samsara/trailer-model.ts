// The Samsara trailer (POST /fleet/trailers, PATCH /fleet/trailers/{id}) as the sandbox validates,
// stores and renders it. Fields are the SDK's (./asset-vendor.ts). The PATCH "uses the JSON merge patch
// proposed standard" (SDK update_trailer docstring): a member sent replaces the stored one, null removes
// it, and an object (externalIds) is merged key by key (RFC 7396). installedGateway, tags and id are
// read-only: sending them is an unknown field.
import { badRequest } from './errors.ts';
import { TRAILER_CREATE_FIELDS, TRAILER_LICENSE_PLATE_MAX, TRAILER_NOTES_MAX, TRAILER_UPDATE_FIELDS } from './asset-vendor.ts';
import type { ExternalIds } from './external-ids.ts';
import { parseExternalIds } from './external-ids.ts';
import { bool, isObject, str } from './field-checks.ts';
import type { Json } from './field-checks.ts';

/** A stored trailer: the fields written, with its Samsara id. */
export interface StoredTrailer {
  id: string;
  fields: Json;
}

export const trailerExternalIds = (t: StoredTrailer): ExternalIds | undefined => t.fields.externalIds as ExternalIds | undefined;

type Parser = (value: unknown) => unknown;
const FIELD_PARSERS: Readonly<Record<string, Parser>> = {
  name: (v) => str('name', v, Infinity, { nonEmpty: true }),
  licensePlate: (v) => str('licensePlate', v, TRAILER_LICENSE_PLATE_MAX),
  notes: (v) => str('notes', v, TRAILER_NOTES_MAX),
  trailerSerialNumber: (v) => str('trailerSerialNumber', v, Infinity),
  enabledForMobile: (v) => bool('enabledForMobile', v),
  externalIds: parseExternalIds,
};

/** Documented fields the sandbox does not model: tags and attributes exist nowhere in it; the odometer needs a gateway. */
const NOT_MODELLED = new Set(['attributes', 'tagIds', 'odometerMeters']);

function checkKey(key: string, allowed: readonly string[]): Parser {
  if (!allowed.includes(key)) throw badRequest(`Unknown field: ${key}`);
  if (NOT_MODELLED.has(key)) throw badRequest(`${key} is not supported by the Samsara sandbox`);
  return FIELD_PARSERS[key] as Parser;
}

/** POST body → the trailer's fields; `name` is required (the SDK's only required argument). */
export function parseTrailerCreate(body: unknown): Json {
  if (!isObject(body)) throw badRequest('Request body must be a JSON object');
  const fields: Json = {};
  for (const [key, value] of Object.entries(body)) {
    const parse = checkKey(key, TRAILER_CREATE_FIELDS);
    if (value !== null) fields[key] = parse(value);
  }
  if (fields.name === undefined) throw badRequest('name is required');
  return fields;
}

/** The trailer's fields after a JSON merge patch; validated whole before anything is stored. */
export function applyTrailerPatch(current: Json, body: unknown): Json {
  if (!isObject(body)) throw badRequest('Request body must be a JSON object');
  const next: Json = structuredClone(current);
  for (const [key, value] of Object.entries(body)) {
    const parse = checkKey(key, TRAILER_UPDATE_FIELDS);
    if (value === null) {
      if (key === 'name') throw badRequest('name cannot be removed');
      delete next[key];
    } else if (key === 'externalIds') {
      if (!isObject(value)) throw badRequest('Invalid value for externalIds: must be an object of strings');
      const merged: Json = { ...((next.externalIds as Json | undefined) ?? {}) };
      for (const [k, v] of Object.entries(value)) {
        if (v === null) delete merged[k];
        else merged[k] = v;
      }
      next.externalIds = parseExternalIds(merged);
    } else {
      next[key] = parse(value);
    }
  }
  return next;
}

/** The trailer as the API renders it: id first, then every stored field. */
export const renderTrailer = (t: StoredTrailer): Json => ({ id: t.id, ...structuredClone(t.fields) });
