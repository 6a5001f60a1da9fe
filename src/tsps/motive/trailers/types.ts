// Catena's `trailer_type` (free text: "Dry Van, Reefer, Flatbed, Tanker, Chassis" in its description) →
// Motive's asset `type`. Only values Motive documents are written (fleet-native.ts MOTIVE_ASSET_TYPES:
// "flatbed" on https://developer.gomotive.com/reference/create-a-new-asset, "low_boy" on
// https://developer-docs.gomotive.com/reference/lookup-an-asset-using-an-external-id); any other type is
// refused at submit rather than sent under a guessed spelling.
import { MOTIVE_ASSET_TYPES } from '../fleet-native.ts';
import type { MotiveAssetType } from '../fleet-native.ts';

/** Spellings compared lower-cased, with runs of spaces, hyphens and underscores read as one "_". */
export const MOTIVE_ASSET_TYPE_FOR: Readonly<Record<string, MotiveAssetType>> = {
  flatbed: 'flatbed',
  flat_bed: 'flatbed',
  low_boy: 'low_boy',
  lowboy: 'low_boy',
};

const key = (value: unknown): string => String(value).trim().toLowerCase().replace(/[\s_-]+/g, '_');

export const assetTypeFor = (value: unknown): MotiveAssetType => MOTIVE_ASSET_TYPE_FOR[key(value)];

export function assetTypeRefusal(value: unknown): string | null {
  if (value == null) return null;
  if (Object.hasOwn(MOTIVE_ASSET_TYPE_FOR, key(value))) return null;
  return `Motive documents the asset types ${MOTIVE_ASSET_TYPES.join(', ')} only; trailer_type ${JSON.stringify(value)} has no documented Motive type`;
}
