// The Geotab Trailer entity as the sandbox validates, stores and renders it: a name, a comment and groups,
// nothing else — no VIN, plate or active period [ff:Trailer; dev:Trailer]. Sources in ./asset-vendor.ts.
// DISAGREES WITH VENDOR: since 8.0 MyGeotab stores every trailer as a Device in GroupTrailerId ("Calling
// Add Trailer and Add Device with the GroupTrailerId built-in group now performs the same action" and
// "Calling Get Device now returns devices that are in the GroupTrailerId built-in group", [notes] 8.0);
// the sandbox keeps trailers apart, so Get Device does not return them.
import { argumentError } from './errors.ts';
import { readMembers } from './asset-fields.ts';
import type { AssetFields, GroupRef, MemberSpec } from './asset-fields.ts';
import { TRAILER_ASSET_GROUP, TRAILER_MAX_NAME, VEHICLE_ASSET_GROUP } from './asset-vendor.ts';

export const TRAILER_MEMBERS: Readonly<Record<string, MemberSpec>> = {
  name: { kind: 'text', max: TRAILER_MAX_NAME },
  // "Default [""]" [ff:Trailer].
  comment: { kind: 'text' },
  groups: { kind: 'groups' },
};

export interface StoredTrailer {
  id: string;
  version: number;
  fields: AssetFields;
}

const DEFAULTS: AssetFields = { name: '', comment: '', groups: [] };

function check(fields: AssetFields): void {
  // [inference] A trailer is picked by its name in MyGeotab and Geotab Drive; Geotab documents no unnamed one.
  if ((fields.name as string).trim() === '') throw argumentError("'name' is required");
  // "Calling Add Trailer with the GroupTrailerId or GroupVehicleId built-in groups will throw an error"
  // [notes 8.0]; the sandbox applies it to Set too, and answers it as an ArgumentException.
  const assetType = (fields.groups as GroupRef[]).find((g) => g.id === TRAILER_ASSET_GROUP || g.id === VEHICLE_ASSET_GROUP);
  if (assetType) throw argumentError(`A Trailer cannot be added to the built-in group ${assetType.id}`);
}

export function parseTrailerAdd(entity: Record<string, unknown>): AssetFields {
  const fields = readMembers(entity, TRAILER_MEMBERS, DEFAULTS);
  check(fields);
  return fields;
}

/** Set keeps the stored value of a member left out or null ([notes] 5.7.1707). */
export function parseTrailerSet(entity: Record<string, unknown>, stored: StoredTrailer): AssetFields {
  const fields = readMembers(entity, TRAILER_MEMBERS, stored.fields);
  check(fields);
  return fields;
}

export const renderTrailer = (t: StoredTrailer): Record<string, unknown> => ({ id: t.id, version: t.version, ...structuredClone(t.fields) });
