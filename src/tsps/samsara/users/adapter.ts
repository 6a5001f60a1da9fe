// Samsara users (drivers): the mapping (mapping.ts) and the /fleet/drivers calls, wired to the resource
// adapter interface, with Samsara's quirks: a generated driver password, read-merge-write of the maps a
// PATCH may replace whole, and the external-id lookup (also how a repeated create is recognised:
// ../duplicate-create.ts). Facts: shared/reference/providers.md (Samsara).
import { randomBytes } from 'node:crypto';
import type { UserAttributes } from '../../../contract/resources/users.ts';
import { isJsonObject, lookupAttempt } from '../../kit/adapter-kit.ts';
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
import { conflictIfRecorded } from '../duplicate-create.ts';
import type { SamsaraDriverCreate, SamsaraDriverPatch } from '../sdk-types.ts';
import { mapUserToSamsara, SAMSARA_FIELD_SUPPORT } from './mapping.ts';

/**
 * Samsara requires a password on create [doc]; the partner's user has none. 24 random bytes
 * (192 bits) that exist only in this request body: never logged, returned or stored by fleetgate.
 * The driver signs in after an admin resets it in Samsara (or through SSO).
 */
const newDriverPassword = (): string => randomBytes(24).toString('base64url');

// A duplicate employeeId stays a validation error (the partner's data): only a driver found under
// fleetgate's own external id makes a refused create a conflict.

/** GET /fleet/drivers/fleetgate:<id>; 404 is Samsara's "no driver with that id". */
const findDriver = async (target: TspTarget, write: Write, opts: CallOptions): Promise<Attempt & { found: boolean }> =>
  lookupAttempt(await getDriver(target, fleetgateDriverId(write.externalId), opts), samsaraErrorDetails, samsaraDriverAttempt);

async function sendUser(target: TspTarget, write: Write, mapped: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
  if (write.operation === 'create') {
    // mapUserToSamsara made the body (typed by the SDK there) and always writes name and username on a create.
    const body = { ...mapped, password: newDriverPassword() } as SamsaraDriverCreate;
    return conflictIfRecorded(samsaraDriverAttempt(await createDriver(target, body, opts)), () => findDriver(target, write, opts));
  }
  if (write.sourceId === undefined || write.sourceId === '') {
    // A caller bug, not a TSP answer: an update always follows a successful create.
    throw new Error('Samsara update needs write.sourceId (the Samsara driver id)');
  }
  const body = { ...mapped } as SamsaraDriverPatch;
  // Samsara documents no merge for externalIds and carrierSettings on this PATCH: read the driver first
  // so keys set by other integrations or in Samsara's dashboard survive even if it replaces them whole.
  if (isJsonObject(body.externalIds) || isJsonObject(body.carrierSettings)) {
    const read = await getDriver(target, write.sourceId, opts);
    const readAttempt = samsaraDriverAttempt(read);
    if (!readAttempt.ok || read.kind !== 'response') return readAttempt;
    const current = samsaraDriver(read) ?? {};
    if (body.externalIds) body.externalIds = { ...(isJsonObject(current.externalIds) ? (current.externalIds as Record<string, string>) : {}), ...body.externalIds };
    if (body.carrierSettings) body.carrierSettings = { ...(isJsonObject(current.carrierSettings) ? current.carrierSettings : {}), ...body.carrierSettings };
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
  findExisting: (target, write, _body, opts) => findDriver(target, write, opts),
};
