// An organization's trailers (POST /fleet/trailers, GET/PATCH /fleet/trailers/{id}, GET /fleet/trailers):
// create, merge-patch update, read by Samsara id or `key:value` external id, and the uniqueness of
// external id values across every entity of the organization (developers.samsara.com/docs/external-ids).
// Samsara documents no other unique trailer field.
import { notFound } from './errors.ts';
import { findByRef } from './entity-store.ts';
import type { StoreEnv } from './entity-store.ts';
import type { ExternalIdHolder, ExternalIds } from './external-ids.ts';
import { assertExternalIdsFree } from './external-ids.ts';
import { applyTrailerPatch, parseTrailerCreate, trailerExternalIds } from './trailer-model.ts';
import type { StoredTrailer } from './trailer-model.ts';

export class TrailerStore {
  private readonly byId = new Map<string, StoredTrailer>();

  constructor(
    saved: readonly StoredTrailer[],
    private readonly env: StoreEnv,
  ) {
    for (const t of saved) this.byId.set(t.id, t);
  }

  all(): StoredTrailer[] {
    return [...this.byId.values()];
  }

  *holders(): Iterable<ExternalIdHolder> {
    for (const t of this.byId.values()) yield { kind: 'trailer', id: t.id, externalIds: trailerExternalIds(t) };
  }

  create(body: unknown): StoredTrailer {
    const fields = parseTrailerCreate(body);
    assertExternalIdsFree((fields.externalIds ?? {}) as ExternalIds, { kind: 'trailer', id: undefined }, this.env.holders());
    const trailer: StoredTrailer = { id: this.env.newId(), fields };
    this.byId.set(trailer.id, trailer);
    this.env.changed();
    return trailer;
  }

  update(ref: string, body: unknown): StoredTrailer {
    const trailer = this.get(ref);
    const fields = applyTrailerPatch(trailer.fields, body);
    assertExternalIdsFree((fields.externalIds ?? {}) as ExternalIds, { kind: 'trailer', id: trailer.id }, this.env.holders());
    trailer.fields = fields;
    this.env.changed();
    return trailer;
  }

  get(ref: string): StoredTrailer {
    const found = findByRef(this.byId.values(), this.byId, ref, trailerExternalIds);
    if (!found) throw notFound(`Trailer ${ref} not found`);
    return found;
  }
}
