// An organization's assets (POST/PATCH/GET /assets): create, update by id, the list's filters, and
// Samsara's uniqueness rules for them: external id values across every entity of the organization
// (developers.samsara.com/docs/external-ids) and the VIN, "the unique 17-digit VIN" (SDK create_asset).
import { badRequest, notFound } from './errors.ts';
import { assetExternalIds, parseAssetWrite } from './asset-model.ts';
import type { StoredAsset } from './asset-model.ts';
import { findByRef } from './entity-store.ts';
import type { StoreEnv } from './entity-store.ts';
import type { ExternalIdHolder, ExternalIds } from './external-ids.ts';
import { assertExternalIdsFree } from './external-ids.ts';
import type { Json } from './field-checks.ts';

/** GET /assets filters, parsed (each list is OR-ed; filters are AND-ed). */
export interface AssetFilter {
  type?: string;
  /** `ids`: Samsara ids or `key:value` external ids. */
  ids?: string[];
  /** `externalIds`: `key:value` pairs. */
  externalIds?: string[];
  updatedAfterMs?: number;
}

const vinKey = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v.toUpperCase() : null);

export class AssetStore {
  private readonly byId = new Map<string, StoredAsset>();

  constructor(
    saved: readonly StoredAsset[],
    private readonly env: StoreEnv,
  ) {
    for (const a of saved) this.byId.set(a.id, a);
  }

  all(): StoredAsset[] {
    return [...this.byId.values()];
  }

  *holders(): Iterable<ExternalIdHolder> {
    for (const a of this.byId.values()) yield { kind: 'asset', id: a.id, externalIds: assetExternalIds(a) };
  }

  create(body: unknown, nowIso: string): StoredAsset {
    const fields = parseAssetWrite(body, 'create');
    this.assertUnique(fields, undefined);
    const asset: StoredAsset = { id: this.env.newId(), fields, createdAtTime: nowIso, updatedAtTime: nowIso };
    this.byId.set(asset.id, asset);
    this.env.changed();
    return asset;
  }

  /**
   * PATCH /assets?id=: the fields sent replace the stored ones (externalIds as a whole map). The id is
   * "A filter selecting a single asset by id" (SDK update_asset): a Samsara id only; unlike the list's
   * `ids`, no external-id form is documented for it.
   */
  update(id: string, body: unknown, nowIso: string): StoredAsset {
    const asset = this.byId.get(id);
    if (!asset) throw notFound(`Asset ${id} not found`);
    const fields = { ...asset.fields, ...parseAssetWrite(body, 'update') };
    // Validate everything first, then mutate: a 400 must leave the asset untouched.
    this.assertUnique(fields, asset.id);
    asset.fields = fields;
    asset.updatedAtTime = nowIso;
    this.env.changed();
    return asset;
  }

  find(ref: string): StoredAsset | undefined {
    return findByRef(this.byId.values(), this.byId, ref, assetExternalIds);
  }

  list(filter: AssetFilter): StoredAsset[] {
    const matchesRef = (a: StoredAsset, refs: string[]) => refs.some((ref) => this.find(ref) === a);
    return this.all().filter(
      (a) =>
        (filter.type === undefined || a.fields.type === filter.type) &&
        (filter.ids === undefined || matchesRef(a, filter.ids)) &&
        (filter.externalIds === undefined || matchesRef(a, filter.externalIds)) &&
        (filter.updatedAfterMs === undefined || Date.parse(a.updatedAtTime) >= filter.updatedAfterMs),
    );
  }

  /** External ids first (a retried create is told which earlier record holds them), then the VIN. */
  private assertUnique(fields: Json, selfId: string | undefined): void {
    assertExternalIdsFree((fields.externalIds ?? {}) as ExternalIds, { kind: 'asset', id: selfId }, this.env.holders());
    const vin = vinKey(fields.vin);
    if (vin !== null && this.all().some((a) => a.id !== selfId && vinKey(a.fields.vin) === vin)) {
      throw badRequest(`vin ${String(fields.vin)} is already in use by another asset`);
    }
  }
}
