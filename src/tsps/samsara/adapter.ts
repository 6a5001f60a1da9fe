// The Samsara adapter: fleetgate's TspAdapter over Samsara's /fleet/drivers API. Mapping lives in
// mapping.ts, the HTTP calls in client.ts; this file wires them to the interface and adds Samsara's
// quirks: a generated driver password, read-merge-write of the maps a PATCH replaces whole, and the
// external-id lookup. Facts cited: shared/reference/providers.md (Samsara section).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { conflictWhen, lookupAttempt, mappingChecks, refusedAttempt } from '../kit/adapter-kit.ts';
import { maskCredentialFields } from '../kit/credentials.ts';
import { toAttempt } from '../kit/http.ts';
import { userFieldsFrom } from '../kit/mapping-kit.ts';
import type { Attempt, CallOptions, TspAdapter, TspTarget, UserWrite } from '../kit/types.ts';
import {
  createDriver,
  fleetgateDriverId,
  getDriver,
  listOneDriver,
  samsaraDriver,
  samsaraDriverAttempt,
  samsaraErrorDetails,
  updateDriver,
} from './client.ts';
import { mapUserToSamsara, SAMSARA_FIELD_SUPPORT } from './users/mapping.ts';
import type { SamsaraMappingResult } from './users/mapping.ts';
import { SAMSARA_EXTERNAL_ID_KEY } from './native.ts';

/** A Samsara API token (Settings → API Tokens, or an OAuth access token), sent as Bearer [doc]. */
export const samsaraCredentialsSchema = z.strictObject({
  access_token: z.string().trim().min(1, 'must not be empty').describe('Samsara API token, sent as Authorization: Bearer'),
});

/** Shows only the last 4 characters, and none of a token too short for that to be safe. */
export const maskSamsaraCredentials = (credentials: Record<string, string>): Record<string, string> =>
  maskCredentialFields(credentials, { access_token: 'tail' });

const toSamsara = (write: UserWrite): SamsaraMappingResult =>
  mapUserToSamsara({ operation: write.operation, changes: write.changes, merged: write.merged, externalId: write.externalId });

/**
 * Samsara requires a password on create [doc]; the partner's user has none. 24 random bytes
 * (192 bits) that exist only in this request body: never logged, returned or stored by fleetgate.
 * The driver signs in after an admin resets it in Samsara (or through SSO).
 */
const newDriverPassword = (): string => randomBytes(24).toString('base64url');

// The sandbox answers a create repeating fleetgate's (key, value) external id with 400 "externalId
// fleetgate:<id> is already in use": the driver exists, a conflict to resolve by findExisting, not a
// content error for the partner. A duplicate employeeId stays a validation error (the partner's data).
const EXTERNAL_ID_TAKEN = new RegExp(`externalId ${SAMSARA_EXTERNAL_ID_KEY}:.*already in use`, 'i');

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `current` overlaid with `patch`, where a null in `patch` removes the key. */
function mergeMap(current: unknown, patch: Json): Json {
  const out: Json = isObject(current) ? { ...current } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

async function writeUser(target: TspTarget, write: UserWrite, opts: CallOptions): Promise<Attempt> {
  const mapped = toSamsara(write);
  // Submit checks refusals first; reaching here means the merged user changed underneath it.
  if (!mapped.ok) return refusedAttempt(mapped.refusals);
  if (write.operation === 'create') {
    return conflictWhen(samsaraDriverAttempt(await createDriver(target, { ...mapped.body, password: newDriverPassword() }, opts)), EXTERNAL_ID_TAKEN);
  }
  if (write.sourceId === undefined || write.sourceId === '') {
    // A caller bug, not a TSP answer: an update always follows a successful create.
    throw new Error('Samsara update needs write.sourceId (the Samsara driver id)');
  }
  const body = { ...mapped.body };
  // externalIds and carrierSettings are replaced whole by a PATCH; read the driver first so keys set by
  // other integrations or in Samsara's dashboard survive the write.
  const mergeKeys = (['externalIds', 'carrierSettings'] as const).filter((k) => isObject(body[k]));
  if (mergeKeys.length > 0) {
    const read = await getDriver(target, write.sourceId, opts);
    const readAttempt = samsaraDriverAttempt(read);
    if (!readAttempt.ok || read.kind !== 'response') return readAttempt;
    const current = samsaraDriver(read) ?? {};
    for (const key of mergeKeys) {
      const merged = mergeMap(current[key], body[key] as Json);
      body[key] = key === 'carrierSettings' && Object.keys(merged).length === 0 ? null : merged;
    }
  }
  return samsaraDriverAttempt(await updateDriver(target, write.sourceId, body, opts));
}

async function findDriverByExternalId(target: TspTarget, write: UserWrite, opts: CallOptions): Promise<Attempt & { found: boolean }> {
  // 404 is Samsara's "no driver with that id".
  return lookupAttempt(await getDriver(target, fleetgateDriverId(write.externalId), opts), samsaraErrorDetails, samsaraDriverAttempt);
}

async function checkSamsaraCredentials(target: TspTarget, opts: CallOptions): Promise<Attempt> {
  return toAttempt(await listOneDriver(target, opts), samsaraErrorDetails);
}

export const samsaraAdapter: TspAdapter = {
  tsp: 'samsara',
  displayName: 'Samsara',
  defaultBaseUrl: 'https://api.samsara.com',
  sandboxPath: '/sandbox/samsara',
  credentialsSchema: samsaraCredentialsSchema,
  maskCredentials: maskSamsaraCredentials,
  checkCredentials: checkSamsaraCredentials,
  capabilities: {
    // Only resources with an adapter plan are listed; absent means not offered for Samsara.
    resources: {
      user: { create: 'implemented', update: 'implemented' },
      vehicle: { create: 'not_implemented', update: 'not_implemented' },
    },
    userFields: userFieldsFrom(SAMSARA_FIELD_SUPPORT),
  },
  users: {
    ...mappingChecks(toSamsara),
    write: writeUser,
    findExisting: findDriverByExternalId,
  },
  // 150 requests/s per token [doc], 200/s per organization shared with the fleet's other apps: 100/s
  // stays well under both; 429s with their (fractional) Retry-After still slow the worker down.
  defaultRateLimitPerMinute: 6000,
};
