// Samsara trailers: POST /fleet/trailers and PATCH /fleet/trailers/{id} (SDK samsarahq/samsara-python
// src/samsara/trailers/raw_client.py), the mapping in mapping.ts. The PATCH is a JSON merge patch, so
// the external ids sent merge into the trailer's own (a null removes one key) and no read is needed.
// An earlier attempt's trailer is found by GET /fleet/trailers/fleetgate:<id>, Samsara's `key:value`
// id form. Calls: POST/PATCH in class trailers (100/min), GET in class trailers_read (5/s).
import { lookupAttempt } from '../../kit/adapter-kit.ts';
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../kit/types.ts';
import { createTrailer, getTrailer, samsaraTrailerAttempt, updateTrailer } from '../assets-client.ts';
import { samsaraErrorDetails } from '../client.ts';
import { SAMSARA_RATE_CLASSES } from '../descriptor.ts';
import { conflictIfRecorded } from '../duplicate-create.ts';
import { SAMSARA_EXTERNAL_ID_KEY } from '../native.ts';
import { mapTrailerToSamsara, SAMSARA_TRAILER_FIELD_SUPPORT } from './mapping.ts';

// 404 is Samsara's "no trailer with that id".
const findTrailer = async (target: TspTarget, write: Write, opts: CallOptions): Promise<Attempt & { found: boolean }> =>
  lookupAttempt(await getTrailer(target, `${SAMSARA_EXTERNAL_ID_KEY}:${write.externalId}`, opts), samsaraErrorDetails, samsaraTrailerAttempt);

async function sendTrailer(target: TspTarget, write: Write, mapped: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
  if (write.operation === 'create') {
    return conflictIfRecorded(samsaraTrailerAttempt(await createTrailer(target, mapped, opts)), () => findTrailer(target, write, opts));
  }
  if (write.sourceId === undefined || write.sourceId === '') {
    // A caller bug, not a TSP answer: an update always follows a successful create.
    throw new Error('Samsara trailer update needs write.sourceId (the Samsara trailer id)');
  }
  return samsaraTrailerAttempt(await updateTrailer(target, write.sourceId, mapped, opts));
}

export const samsaraTrailers: ResourceAdapter = {
  operations: { create: 'implemented', update: 'implemented' },
  rateClass: () => SAMSARA_RATE_CLASSES.trailers,
  fields: SAMSARA_TRAILER_FIELD_SUPPORT,
  map: mapTrailerToSamsara,
  send: sendTrailer,
  findExisting: (target, write, _body, opts) => findTrailer(target, write, opts),
};
