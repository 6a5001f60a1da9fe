// The Motive adapter: fleetgate's TspAdapter over Motive's v1 users API. Mapping lives in mapping.ts,
// the HTTP calls in client.ts; this file wires them to the interface and adds Motive's quirks in
// classifying answers. Facts cited: shared/reference/providers.md (Motive section).
import { z } from 'zod';
import { conflictWhen, lookupAttempt, mappingChecks, refusedAttempt } from '../kit/adapter-kit.ts';
import { maskCredentialFields } from '../kit/credentials.ts';
import { toAttempt } from '../kit/http.ts';
import { userFieldsFrom } from '../kit/mapping-kit.ts';
import type { Attempt, CallOptions, TspAdapter, TspTarget, UserWrite } from '../kit/types.ts';
import {
  createUser,
  listOneUser,
  lookupByExternalId,
  motiveErrorDetails,
  motiveUserAttempt,
  updateUser,
} from './client.ts';
import { mapUserToMotive, MOTIVE_FIELD_SUPPORT } from './users/mapping.ts';
import type { MotiveMappingResult } from './users/mapping.ts';

const secret = z.string().trim().min(1, 'must not be empty');

/** A company API key (`X-Api-Key`) or a partner-app OAuth token (`Authorization: Bearer`) [doc]. */
export const motiveCredentialsSchema = z
  .strictObject({
    api_key: secret.optional().describe('Motive company API key, sent as X-Api-Key'),
    access_token: secret.optional().describe('OAuth access token of a Motive partner app, sent as Bearer'),
  })
  .refine((c) => (c.api_key === undefined) !== (c.access_token === undefined), {
    message: 'send exactly one of api_key or access_token',
  });

/** Shows only the last 4 characters, and none of a key too short for that to be safe. */
export const maskMotiveCredentials = (credentials: Record<string, string>): Record<string, string> =>
  maskCredentialFields(credentials, { api_key: 'tail', access_token: 'tail' });

const toMotive = (write: UserWrite): MotiveMappingResult =>
  mapUserToMotive({
    operation: write.operation,
    changes: write.changes,
    merged: write.merged,
    externalId: write.externalId,
  });

// The sandbox (modelled on Rails' uniqueness validation) answers a create that repeats an external
// id pair with 422 "External ids external id has already been taken". The user exists: that is a
// conflict to resolve by findByExternalId, not a content error to show the partner.
const EXTERNAL_ID_TAKEN = /external id has already been taken/i;

async function writeUser(target: TspTarget, write: UserWrite, opts: CallOptions): Promise<Attempt> {
  const mapped = toMotive(write);
  if (!mapped.ok) return refusedAttempt(mapped.refusals);
  if (write.operation === 'create') {
    return conflictWhen(motiveUserAttempt(await createUser(target, mapped.body, opts)), EXTERNAL_ID_TAKEN);
  }
  if (write.sourceId === undefined || write.sourceId === '') {
    // A caller bug, not a TSP answer: an update always follows a successful create.
    throw new Error('Motive update needs write.sourceId (the Motive user id)');
  }
  return motiveUserAttempt(await updateUser(target, write.sourceId, mapped.body, opts));
}

async function findUserByExternalId(
  target: TspTarget,
  write: UserWrite,
  opts: CallOptions,
): Promise<Attempt & { found: boolean }> {
  // 404 is the documented "no such user". Caveat: a deployment without this endpoint also answers
  // 404 (see the adapter report).
  return lookupAttempt(await lookupByExternalId(target, write.externalId, opts), motiveErrorDetails, motiveUserAttempt);
}

async function checkMotiveCredentials(target: TspTarget, opts: CallOptions): Promise<Attempt> {
  return toAttempt(await listOneUser(target, opts), motiveErrorDetails);
}

export const motiveAdapter: TspAdapter = {
  tsp: 'motive',
  displayName: 'Motive',
  defaultBaseUrl: 'https://api.gomotive.com',
  sandboxPath: '/sandbox/motive',
  credentialsSchema: motiveCredentialsSchema,
  maskCredentials: maskMotiveCredentials,
  checkCredentials: checkMotiveCredentials,
  capabilities: {
    // Only resources with an adapter plan are listed; absent means not offered for Motive.
    resources: {
      user: { create: 'implemented', update: 'implemented' },
      vehicle: { create: 'not_implemented', update: 'not_implemented' },
    },
    userFields: userFieldsFrom(MOTIVE_FIELD_SUPPORT),
  },
  users: {
    ...mappingChecks(toMotive),
    write: writeUser,
    findExisting: findUserByExternalId,
  },
  // Motive publishes no limit; 60/min with 2 in flight was found safe [seen].
  defaultRateLimitPerMinute: 60,
};
