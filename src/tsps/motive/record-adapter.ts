// A Motive vehicle or asset as a resource adapter: create is a POST carrying fleetgate's external id,
// update a PUT by Motive's id, and a retried create first looks its external id up (the same pattern as
// users/adapter.ts). What differs per resource is only the collection and the mapping.
import { lookupAttempt } from '../kit/adapter-kit.ts';
import type { Attempt, CallOptions, FieldSupport, MappingResult, ResourceAdapter, TspTarget, Write } from '../kit/types.ts';
import { motiveErrorDetails } from './client.ts';
import { createRecord, lookupRecordByExternalId, motiveRecordAttempt, updateRecord } from './assets-client.ts';
import type { MotiveCollection } from './assets-client.ts';
import { adoptIfFound } from './refind.ts';

export function motiveRecordAdapter(spec: {
  collection: MotiveCollection;
  fields: Readonly<Record<string, FieldSupport>>;
  map(write: Write): MappingResult;
}): ResourceAdapter {
  const { collection } = spec;
  const attempt = (result: Parameters<typeof motiveRecordAttempt>[1]): Attempt => motiveRecordAttempt(collection, result);

  const find = async (target: TspTarget, write: Write, opts: CallOptions) =>
    lookupAttempt(await lookupRecordByExternalId(collection, target, write.externalId, opts), motiveErrorDetails, attempt);

  async function send(target: TspTarget, write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
    if (write.operation === 'create') return adoptIfFound(attempt(await createRecord(collection, target, body, opts)), () => find(target, write, opts));
    if (write.sourceId === undefined || write.sourceId === '') {
      // A caller bug, not a TSP answer: an update always follows a successful create.
      throw new Error(`Motive ${collection.key} update needs write.sourceId (the Motive ${collection.key} id)`);
    }
    return attempt(await updateRecord(collection, target, write.sourceId, body, opts));
  }

  return {
    operations: { create: 'implemented', update: 'implemented' },
    fields: spec.fields,
    map: spec.map,
    send,
    // 404 is the documented "no such record" of the lookup.
    findExisting: (target, write, _body, opts) => find(target, write, opts),
  };
}
