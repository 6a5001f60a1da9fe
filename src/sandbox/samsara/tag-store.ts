// An organization's tags (POST /tags, GET /tags/{id}; SDK TagsClient create/get), kept so drivers can
// carry real ones: `tagIds`, `vehicleGroupTagId`, `trailerGroupTagId` and `peerGroupTagId` must name a
// tag, a driver reads its tags back as `tags: [{id, name, parentTagId}]` (SDK Driver.tags), and the
// `parentTagIds` list filter follows the hierarchy ("Specifying a parent tag will implicitly include all
// descendent tags of the parent tag", SDK ListDriversRequest.parentTagIds). Tagging assets, addresses,
// machines, sensors or vehicles from the tag's side is not modelled: those members are refused.
import { badRequest, notFound } from './errors.ts';
import type { StoreEnv } from './entity-store.ts';
import { findByRef } from './entity-store.ts';
import type { ExternalIdHolder, ExternalIds } from './external-ids.ts';
import { assertExternalIdsFree, parseExternalIds } from './external-ids.ts';
import { isObject, str } from './field-checks.ts';
import type { Json } from './field-checks.ts';
import { checkSdkObject } from './sdk-check.ts';

export interface StoredTag {
  id: string;
  name: string;
  parentTagId?: string;
  externalIds?: ExternalIds;
}

const NOT_MODELLED = ['addresses', 'assets', 'drivers', 'machines', 'sensors', 'vehicles'];

/** A tag as a driver's read shows it [SDK TagTinyResponse]: parentTagId only inside a hierarchy. */
export const tinyTag = (t: StoredTag): Json => ({ id: t.id, name: t.name, ...(t.parentTagId !== undefined && { parentTagId: t.parentTagId }) });

export class TagStore {
  private readonly byId = new Map<string, StoredTag>();

  constructor(
    saved: readonly StoredTag[],
    private readonly env: StoreEnv,
  ) {
    for (const t of saved) this.byId.set(t.id, t);
  }

  all(): StoredTag[] {
    return [...this.byId.values()];
  }

  *holders(): Iterable<ExternalIdHolder> {
    for (const t of this.byId.values()) yield { kind: 'tag', id: t.id, externalIds: t.externalIds };
  }

  create(body: unknown): StoredTag {
    if (!isObject(body)) throw badRequest('Request body must be a JSON object');
    checkSdkObject('CreateTagRequest', body, 'body');
    for (const key of NOT_MODELLED) if (body[key] !== undefined) throw badRequest(`${key} is not supported by the Samsara sandbox`);
    const tag: StoredTag = { id: this.env.newId(), name: str('name', body.name, 191, { nonEmpty: true }) };
    if (body.parentTagId !== undefined) tag.parentTagId = this.get(body.parentTagId as string, 'parentTagId').id;
    if (body.externalIds !== undefined) {
      tag.externalIds = parseExternalIds(body.externalIds);
      assertExternalIdsFree(tag.externalIds, { kind: 'tag', id: undefined }, this.env.holders());
    }
    this.byId.set(tag.id, tag);
    this.env.changed();
    return tag;
  }

  /** By Samsara id or `key:value`; `field` names the body member that referred to it (a 400 then, not a 404). */
  get(ref: string, field?: string): StoredTag {
    const found = findByRef(this.byId.values(), this.byId, ref, (t) => t.externalIds);
    if (found) return found;
    if (field !== undefined) throw badRequest(`Invalid value for ${field}: no tag ${ref} in this organization`);
    throw notFound(`Tag ${ref} not found`);
  }

  /** The tags given and every tag below them in the hierarchy. */
  withDescendants(ids: readonly string[]): Set<string> {
    const out = new Set(ids);
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of this.byId.values()) {
        if (t.parentTagId !== undefined && out.has(t.parentTagId) && !out.has(t.id)) {
          out.add(t.id);
          grew = true;
        }
      }
    }
    return out;
  }
}
