// The defect-list lookup the DVIR adapter builds and keeps: which defect list a Geotab asset inspects
// against, and which Part of it records each Catena defect (./defects.ts).
// Get Defect with a DefectSearch: `deviceSearch` / `trailerSearch` "search for defect lists available to
// this Device/Trailer Id" [ff:DefectSearch]. The answer is the defect lists, each with its Parts as
// `children` and each Part's Defects as its `children` — the shape Geotab's own adapter reads ([adapter]
// UpdateDefectListPartDefect2sDictionaryAsync: "Enumerate the defect lists, getting the parts associated with
// each defect list"). A list's `assetType` is All, Device or Trailer [ff:DefectAssetType].
// Kept: the lists of an asset are cached for CACHE_MS per database and asset, as Geotab's adapter keeps its
// own flattened copy between refreshes ([adapter] defectListPartDefect2CacheExpiryTime). A DVIR Add that
// Geotab refuses drops the entry (the list may have changed), so the next attempt reads it afresh.
import type { Attempt, TspTarget } from '../../kit/types.ts';
import { getEntities } from '../assets-client.ts';
import type { GeotabEntity } from '../assets-client.ts';
import type { Budget } from '../session.ts';
import type { GeotabDefectAssetType } from '../writes-native.ts';
import { nameKey, PART_NAMES } from './defects.ts';
import type { DvirDefect } from '../../../contract/enums.ts';

export const CACHE_MS = 10 * 60 * 1000;

export interface DefectPart {
  id: string;
  name: string;
  reference: string;
  /** "whether this defect is hidden in the UI. Used for parts to determine if 'other' should be shown" [dev:Defect]. */
  isHidden: boolean;
}

export interface DefectList {
  id: string;
  name: string;
  assetType: GeotabDefectAssetType;
  parts: DefectPart[];
}

export type Asset = { kind: 'device' | 'trailer'; id: string };

const cache = new Map<string, { at: number; lists: DefectList[] }>();

const cacheKey = (target: TspTarget, asset: Asset): string =>
  [target.baseUrl.replace(/\/+$/, ''), (target.credentials.database ?? '').toLowerCase(), asset.kind, asset.id].join('\u0000');

/** Forgets every kept list (tests; a list changed in MyGeotab is re-read after CACHE_MS or a refused Add). */
export function clearGeotabDefectLists(): void {
  cache.clear();
}

export function forgetDefectLists(target: TspTarget, asset: Asset): void {
  cache.delete(cacheKey(target, asset));
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function readList(entity: GeotabEntity): DefectList | undefined {
  if (typeof entity.id !== 'string') return undefined;
  const assetType = (['All', 'Device', 'Trailer'] as const).find((t) => t === entity.assetType) ?? 'All';
  const children = Array.isArray(entity.children) ? (entity.children as GeotabEntity[]) : [];
  const parts = children
    .filter((p) => typeof p?.id === 'string')
    .map((p) => ({ id: p.id as string, name: text(p.name), reference: text(p.reference), isHidden: p.isHidden === true }));
  return { id: entity.id, name: text(entity.name), assetType, parts };
}

/** The defect lists available to the asset: kept, or read with one Get Defect. */
export async function defectListsFor(
  target: TspTarget,
  asset: Asset,
  budget: Budget,
  now = Date.now(),
): Promise<{ attempt?: Attempt; lists?: DefectList[] }> {
  const key = cacheKey(target, asset);
  const kept = cache.get(key);
  if (kept && now - kept.at < CACHE_MS) return { lists: kept.lists };
  const search = asset.kind === 'device' ? { deviceSearch: { id: asset.id } } : { trailerSearch: { id: asset.id } };
  const { attempt, entities } = await getEntities(target, 'Defect', search, budget);
  if (!entities) return { attempt };
  const lists = entities.map(readList).filter((l): l is DefectList => l !== undefined);
  cache.set(key, { at: now, lists });
  return { attempt, lists };
}

/** The list an asset inspects against: one made for its kind of asset before one for all assets. */
export function chooseList(lists: readonly DefectList[], asset: Asset): DefectList | undefined {
  const own = asset.kind === 'device' ? 'Device' : 'Trailer';
  return lists.find((l) => l.assetType === own) ?? lists.find((l) => l.assetType === 'All');
}

export type PartChoice = { part: DefectPart } | { problem: string };

/** The Part of `list` that records a Catena defect (by reference, then by name), or why there is none. */
export function partFor(list: DefectList, defect: Exclude<DvirDefect, 'unset'>): PartChoice {
  const byReference = list.parts.find((p) => p.reference.trim().toLowerCase() === defect);
  const names = PART_NAMES[defect].map(nameKey);
  const byName = names.map((n) => list.parts.find((p) => nameKey(p.name) === n)).find((p) => p !== undefined);
  const part = byReference ?? byName;
  if (!part) {
    return {
      problem: `defect list "${list.name}" (${list.id}) has no part for ${defect} (a part with reference "${defect}", or named ${PART_NAMES[defect].map((n) => `"${n}"`).join(' / ')}); its parts are ${list.parts.map((p) => `"${p.name}"`).join(', ') || 'none'}`,
    };
  }
  if (part.isHidden) {
    return { problem: `${defect} is part "${part.name}" (${part.id}) of defect list "${list.name}", whose "Other" is hidden: fleetgate records a Catena defect as its part's "Other"` };
  }
  return { part };
}
