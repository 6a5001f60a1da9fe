// The defect lists of a sandbox database and `Get Defect` over them (sources in ./writes-vendor.ts). A
// defect list is "a Group tree": the list, its Parts as `children`, each Part's Defects as its `children`
// [drive; ff:Defect, ff:Group]. Get Defect answers the lists with their trees, as Geotab's own adapter reads
// them ([adapter]: "Enumerate the defect lists, getting the parts associated with each defect list"), or the
// node a search's id names. `deviceSearch` / `trailerSearch` find "defect lists available to this Device /
// Trailer Id" [ff:DefectSearch]: those of its asset type or of All.
// DISAGREES WITH VENDOR: a real database assigns lists to assets through groups; every sandbox list of the
// right asset type is available to every asset. The lists are replaced through the control API, not Add
// Defect (not implemented).
import { matchesPattern, serializerError } from './asset-fields.ts';
import { criteria } from './asset-search.ts';
import { argumentError, ControlError } from './errors.ts';
import type { Lookups } from './writes-lookups.ts';
import { idOnlySearch, isObject, readBool } from './writes-fields.ts';
import { DEFECT_ASSET_TYPES, DEFECT_SEARCH_IMPLEMENTED, DEFECT_SEARCH_NOT_IMPLEMENTED, DEFECT_SEVERITIES } from './writes-vendor.ts';
import type { DefectListSpec } from './writes-vendor.ts';

type Json = Record<string, unknown>;
type AssetType = (typeof DEFECT_ASSET_TYPES)[number];
type Severity = (typeof DEFECT_SEVERITIES)[number];

export interface StoredDefect {
  id: string;
  name: string;
  severity: Severity;
}
export interface StoredPart extends StoredDefect {
  reference: string;
  isHidden: boolean;
  isRequired: boolean;
  defects: StoredDefect[];
}
export interface StoredDefectList {
  id: string;
  name: string;
  assetType: AssetType;
  parts: StoredPart[];
}

/** New lists from their specs, every node with a fresh id of the database. */
export function buildDefectLists(specs: readonly DefectListSpec[], newId: () => string): StoredDefectList[] {
  return specs.map((l) => ({
    id: newId(),
    name: l.name,
    assetType: l.assetType,
    parts: l.parts.map((p) => ({
      id: newId(),
      name: p.name,
      reference: p.reference ?? '',
      isHidden: p.isHidden ?? false,
      isRequired: p.isRequired ?? false,
      severity: p.severity ?? 'Normal',
      defects: p.defects.map((d) => ({ id: newId(), name: d.name, severity: d.severity ?? 'Normal' })),
    })),
  }));
}

const renderDefect = (d: StoredDefect): Json => ({ id: d.id, name: d.name, severity: d.severity, children: [] });
const renderPart = (p: StoredPart): Json => ({
  id: p.id,
  name: p.name,
  reference: p.reference,
  isHidden: p.isHidden,
  isRequired: p.isRequired,
  severity: p.severity,
  children: p.defects.map(renderDefect),
});
export const renderDefectList = (l: StoredDefectList): Json => ({
  id: l.id,
  name: l.name,
  assetType: l.assetType,
  isDefectList: true,
  reference: '',
  children: l.parts.map(renderPart),
});

/** Every id of a list's tree that a DVIRDefect may name: its Parts ("Other") and their Defects [drive]. */
export const defectIdsOf = (l: StoredDefectList): Set<string> => new Set(l.parts.flatMap((p) => [p.id, ...p.defects.map((d) => d.id)]));

/** Get Defect: the lists a search matches, or the node its id names. */
export function searchDefects(lists: readonly StoredDefectList[], search: unknown, lookups: Lookups): Json[] {
  const c = criteria('Defect', search, DEFECT_SEARCH_IMPLEMENTED, DEFECT_SEARCH_NOT_IMPLEMENTED);
  if (c.includeAllTrees !== undefined) readBool(c.includeAllTrees);
  if (c.deviceSearch !== undefined && c.trailerSearch !== undefined) throw argumentError('DefectSearch takes a deviceSearch or a trailerSearch, not both');
  const str = (v: unknown): string => {
    if (typeof v !== 'string') throw serializerError();
    return v;
  };
  if (c.id !== undefined) {
    const id = str(c.id);
    for (const l of lists) {
      if (l.id === id) return [renderDefectList(l)];
      for (const p of l.parts) {
        if (p.id === id) return [renderPart(p)];
        const d = p.defects.find((x) => x.id === id);
        if (d) return [renderDefect(d)];
      }
    }
    return [];
  }
  let matches = [...lists];
  if (c.deviceSearch !== undefined) {
    const id = idOnlySearch('DefectSearch.deviceSearch', c.deviceSearch);
    matches = lookups.device(id) ? matches.filter((l) => l.assetType === 'Device' || l.assetType === 'All') : [];
  }
  if (c.trailerSearch !== undefined) {
    const id = idOnlySearch('DefectSearch.trailerSearch', c.trailerSearch);
    matches = lookups.trailer(id) ? matches.filter((l) => l.assetType === 'Trailer' || l.assetType === 'All') : [];
  }
  if (c.name !== undefined) {
    const pattern = str(c.name);
    matches = matches.filter((l) => matchesPattern(pattern, l.name));
  }
  return matches.map(renderDefectList);
}

const bad = (message: string) => new ControlError(400, message);

function specText(v: unknown, at: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw bad(`${at} must be a non-empty string`);
  return v;
}

function specSeverity(v: unknown, at: string): Severity | undefined {
  if (v === undefined) return undefined;
  if (!(DEFECT_SEVERITIES as readonly unknown[]).includes(v)) throw bad(`${at} must be one of ${DEFECT_SEVERITIES.join(', ')}`);
  return v as Severity;
}

/** The control API's body for PUT /_sandbox/defect-lists: `{lists: [{name, assetType, parts: [...]}]}`. */
export function parseDefectListSpecs(body: unknown): DefectListSpec[] {
  if (!isObject(body) || !Array.isArray(body.lists)) throw bad('Send {"lists": [{"name", "assetType", "parts": [{"name", "reference"?, "isHidden"?, "defects": [{"name"}]}]}]}');
  return body.lists.map((raw: unknown, i: number) => {
    const at = `lists[${i}]`;
    if (!isObject(raw) || !Array.isArray(raw.parts)) throw bad(`${at} must be an object with parts`);
    if (!(DEFECT_ASSET_TYPES as readonly unknown[]).includes(raw.assetType)) throw bad(`${at}.assetType must be one of ${DEFECT_ASSET_TYPES.join(', ')}`);
    return {
      name: specText(raw.name, `${at}.name`),
      assetType: raw.assetType as AssetType,
      parts: raw.parts.map((p: unknown, j: number) => {
        const pat = `${at}.parts[${j}]`;
        if (!isObject(p)) throw bad(`${pat} must be an object`);
        if (p.reference !== undefined && typeof p.reference !== 'string') throw bad(`${pat}.reference must be a string`);
        for (const flag of ['isHidden', 'isRequired'] as const) {
          if (p[flag] !== undefined && typeof p[flag] !== 'boolean') throw bad(`${pat}.${flag} must be true or false`);
        }
        const defects = p.defects ?? [];
        if (!Array.isArray(defects)) throw bad(`${pat}.defects must be a list`);
        return {
          name: specText(p.name, `${pat}.name`),
          reference: p.reference as string | undefined,
          isHidden: p.isHidden as boolean | undefined,
          isRequired: p.isRequired as boolean | undefined,
          severity: specSeverity(p.severity, `${pat}.severity`),
          defects: defects.map((d: unknown, k: number) => {
            if (!isObject(d)) throw bad(`${pat}.defects[${k}] must be an object`);
            return { name: specText(d.name, `${pat}.defects[${k}].name`), severity: specSeverity(d.severity, `${pat}.defects[${k}].severity`) };
          }),
        };
      }),
    };
  });
}
