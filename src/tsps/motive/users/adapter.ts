// Motive users: the mapping (mapping.ts) and Motive's v1 users calls, wired to the resource adapter
// interface, with Motive's quirks in classifying answers. Facts: shared/reference/providers.md (Motive).
import type { UserAttributes } from '../../../contract/resources/users.ts';
import { lookupAttempt } from '../../kit/adapter-kit.ts';
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../kit/types.ts';
import { createUser, lookupByExternalId, motiveErrorDetails, motiveUserAttempt, updateUser } from '../client.ts';
import { adoptIfFound } from '../refind.ts';
import { mapUserToMotive, MOTIVE_FIELD_SUPPORT } from './mapping.ts';

const findUser = async (target: TspTarget, write: Write, opts: CallOptions) =>
  lookupAttempt(await lookupByExternalId(target, write.externalId, opts), motiveErrorDetails, motiveUserAttempt);

async function sendUser(target: TspTarget, write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
  if (write.operation === 'create') {
    return adoptIfFound(motiveUserAttempt(await createUser(target, body, opts)), () => findUser(target, write, opts));
  }
  if (write.sourceId === undefined || write.sourceId === '') {
    // A caller bug, not a TSP answer: an update always follows a successful create.
    throw new Error('Motive update needs write.sourceId (the Motive user id)');
  }
  return motiveUserAttempt(await updateUser(target, write.sourceId, body, opts));
}

export const motiveUsers: ResourceAdapter = {
  operations: { create: 'implemented', update: 'implemented' },
  fields: MOTIVE_FIELD_SUPPORT,
  map: (write) =>
    mapUserToMotive({
      operation: write.operation,
      changes: write.changes as UserAttributes,
      merged: write.merged as UserAttributes,
      externalId: write.externalId,
    }),
  send: sendUser,
  // 404 is the documented "no such user". Caveat: a deployment without this endpoint also answers
  // 404 (see the adapter report).
  findExisting: (target, write, _body, opts) => findUser(target, write, opts),
};
