// Samsara users (drivers): the mapping (mapping.ts) and the /fleet/drivers calls, wired to the resource
// adapter interface, with Samsara's quirks: a generated driver password, read-merge-write of the maps a
// PATCH replaces whole, and the external-id lookup. Facts: shared/reference/providers.md (Samsara).
import { randomBytes } from 'node:crypto';
import type { UserAttributes } from '../../../contract/resources/users.ts';
import { conflictWhen, isJsonObject, lookupAttempt } from '../../kit/adapter-kit.ts';
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../kit/types.ts';
import {
  createDriver,
  fleetgateDriverId,
  getDriver,
  samsaraDriver,
  samsaraDriverAttempt,
  samsaraErrorDetails,
  updateDriver,
} from '../client.ts';
import { SAMSARA_EXTERNAL_ID_TAKEN } from '../native.ts';
import { mapUserToSamsara, SAMSARA_FIELD_SUPPORT } from './mapping.ts';

/**
 * Samsara requires a password on create [doc]; the partner's user has none. 24 random bytes
 * (192 bits) that exist only in this request body: never logged, returned or stored by fleetgate.
 * The driver signs in after an admin resets it in Samsara (or through SSO).
 */
const newDriverPassword = (): string => randomBytes(24).toString('base64url');

// A duplicate employeeId stays a validation error (the partner's data); only fleetgate's external id is a conflict.

type Json = Record<string, unknown>;

/** `current` overlaid with `patch`, where a null in `patch` removes the key. */
function mergeMap(current: unknown, patch: Json): Json {
  const out: Json = isJsonObject(current) ? { ...current } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

async function sendUser(target: TspTarget, write: Write, mapped: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
  if (write.operation === 'create') {
    return conflictWhen(samsaraDriverAttempt(await createDriver(target, { ...mapped, password: newDriverPassword() }, opts)), SAMSARA_EXTERNAL_ID_TAKEN);
  }
  if (write.sourceId === undefined || write.sourceId === '') {
    // A caller bug, not a TSP answer: an update always follows a successful create.
    throw new Error('Samsara update needs write.sourceId (the Samsara driver id)');
  }
  const body = { ...mapped };
  // externalIds and carrierSettings are replaced whole by a PATCH; read the driver first so keys set by
  // other integrations or in Samsara's dashboard survive the write.
  const mergeKeys = (['externalIds', 'carrierSettings'] as const).filter((k) => isJsonObject(body[k]));
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

export const samsaraUsers: ResourceAdapter = {
  operations: { create: 'implemented', update: 'implemented' },
  fields: SAMSARA_FIELD_SUPPORT,
  map: (write) =>
    mapUserToSamsara({
      operation: write.operation,
      changes: write.changes as UserAttributes,
      merged: write.merged as UserAttributes,
      externalId: write.externalId,
    }),
  send: sendUser,
  // 404 is Samsara's "no driver with that id".
  findExisting: async (target, write, _body, opts) =>
    lookupAttempt(await getDriver(target, fleetgateDriverId(write.externalId), opts), samsaraErrorDetails, samsaraDriverAttempt),
};
