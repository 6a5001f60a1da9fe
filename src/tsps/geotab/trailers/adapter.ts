// Geotab trailers: the mapping (mapping.ts) and MyGeotab's Add / Get / Set of `Trailer`
// (../assets-client.ts), wired to the resource adapter interface. Create is Add Trailer; update is Get
// Trailer then Set Trailer. Deactivation is refused at submit (mapping.ts): a Trailer has no activeTo.
// Geotab marked the Trailer API obsolete in 8.0 (trailers became Devices in GroupTrailerId, Geotab/sdk
// src/new.md 8.0) but still serves it; a Trailer needs no serial number, which a trailer rarely has.
import type { TrailerAttributes } from '../../../contract/resources/trailers.ts';
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../kit/types.ts';
import { addEntity, getEntities, updateEntity } from '../assets-client.ts';
import { TRAILER_CLASSES } from '../assets-native.ts';
import { Budget } from '../session.ts';
import { GEOTAB_TRAILER_FIELD_SUPPORT, mapTrailerToGeotab } from './mapping.ts';

async function sendTrailer(target: TspTarget, write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
  const budget = new Budget(opts);
  if (write.operation === 'create') return addEntity(target, 'Trailer', body, budget);
  if (!write.sourceId) throw new Error('Geotab trailer update needs write.sourceId (the Geotab trailer id)');
  return updateEntity(target, 'Trailer', write.sourceId, body, budget);
}

const fold = (v: unknown): string => String(v ?? '').trim().toLowerCase();

/**
 * Geotab keeps no external id on a Trailer and nothing unique either; the one search a trailer has is
 * by name (`TrailerSearch.name`, fairfleet/geotab TrailerSearch.ts). A trailer with the name the create
 * sends is adopted when it also has the create's comment (all else the create wrote); other trailers of
 * that name are someone else's, and Geotab lets names repeat, so the create goes ahead beside them.
 * Trade-off: a trailer someone else made with the same name and comment is adopted too — with the same
 * name and the same notes that is the same trailer, which beats making a duplicate of it.
 */
async function findExistingTrailer(target: TspTarget, _write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt & { found: boolean }> {
  const name = body.name as string;
  const { attempt, entities } = await getEntities(target, 'Trailer', { name }, new Budget(opts));
  if (!entities) return { ...attempt, found: false };
  const ours = entities.find((t) => fold(t.name) === fold(name) && String(t.comment ?? '') === String(body.comment ?? ''));
  return ours ? { ...attempt, found: true, sourceId: String(ours.id) } : { ...attempt, found: false };
}

export const geotabTrailers: ResourceAdapter = {
  operations: { create: 'implemented', update: 'implemented' },
  // The first call: Add:Trailer for a create, Get:Trailer (before Set:Trailer) for an update.
  rateClass: (operation) => (operation === 'create' ? TRAILER_CLASSES.add : TRAILER_CLASSES.get),
  fields: GEOTAB_TRAILER_FIELD_SUPPORT,
  map: (write) => mapTrailerToGeotab({ operation: write.operation, changes: write.changes as TrailerAttributes, merged: write.merged as TrailerAttributes }),
  send: sendTrailer,
  findExisting: findExistingTrailer,
};
