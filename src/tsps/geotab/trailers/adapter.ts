// Geotab trailers: the mapping (mapping.ts) and MyGeotab's Add / Get / Set of `Trailer`
// (../assets-client.ts), wired to the resource adapter interface. Create is Add Trailer; update is Get
// Trailer then Set Trailer. Deactivation is refused at submit (mapping.ts): a Trailer has no activeTo.
// Geotab marked the Trailer API obsolete in 8.0 (trailers became Devices in GroupTrailerId, Geotab/sdk
// src/new.md 8.0) but still serves it; a Trailer needs no serial number, which a trailer rarely has.
import type { TrailerAttributes } from '../../../contract/resources/trailers.ts';
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../kit/types.ts';
import { addEntity, updateEntity } from '../assets-client.ts';
import { TRAILER_CLASSES } from '../assets-native.ts';
import { Budget } from '../session.ts';
import { GEOTAB_TRAILER_FIELD_SUPPORT, mapTrailerToGeotab } from './mapping.ts';

async function sendTrailer(target: TspTarget, write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
  const budget = new Budget(opts);
  if (write.operation === 'create') return addEntity(target, 'Trailer', body, budget);
  if (!write.sourceId) throw new Error('Geotab trailer update needs write.sourceId (the Geotab trailer id)');
  return updateEntity(target, 'Trailer', write.sourceId, body, budget);
}

/**
 * Geotab keeps no external id on a Trailer and nothing unique either: names repeat, and a trailer's only
 * other members are a comment and groups (fairfleet/geotab Trailer.ts, TrailerSearch.ts). A lookup by
 * name could adopt another trailer of the same name, even another fleetgate trailer, and a late Add
 * after a lookup would make a second one unnoticed. So a trailer create whose outcome is unknown is not
 * retried automatically (the engine fails it with this reason); the partner checks and retries by hand.
 */
const NO_REFIND =
  "Geotab's trailers have nothing unique to find an earlier attempt's trailer by (no external id; names repeat)";

export const geotabTrailers: ResourceAdapter = {
  operations: { create: 'implemented', update: 'implemented' },
  // The first call: Add:Trailer for a create, Get:Trailer (before Set:Trailer) for an update.
  rateClass: (operation) => (operation === 'create' ? TRAILER_CLASSES.add : TRAILER_CLASSES.get),
  fields: GEOTAB_TRAILER_FIELD_SUPPORT,
  map: (write) => mapTrailerToGeotab({ operation: write.operation, changes: write.changes as TrailerAttributes, merged: write.merged as TrailerAttributes }),
  send: sendTrailer,
  findExisting: async () => {
    throw new Error(`not called for a trailer (refindable: false): ${NO_REFIND}`);
  },
  refindable: false,
  refindReason: NO_REFIND,
};
