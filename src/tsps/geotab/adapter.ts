// The Geotab adapter: fleetgate's TspAdapter over MyGeotab's JSON-RPC API. Mapping lives in mapping.ts,
// sessions in session.ts, the wire in client.ts; this file wires them to the interface.
// Facts cited: shared/reference/providers.md (Geotab section).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { mappingChecks, refusedAttempt } from '../kit/adapter-kit.ts';
import { maskCredentialFields } from '../kit/credentials.ts';
import { userFieldsFrom } from '../kit/mapping-kit.ts';
import type { Attempt, CallOptions, TspAdapter, TspTarget, UserWrite } from '../kit/types.ts';
import { GEOTAB_FIELD_SUPPORT, mapUserToGeotab } from './users/mapping.ts';
import type { GeotabMappingResult } from './users/mapping.ts';
import { authenticate, Budget, geotabCall, rememberSession } from './session.ts';

const nonEmpty = z.string().refine((s) => s.trim() !== '', 'must not be empty');

/** A MyGeotab login: database name, user name (usually an e-mail) and password [doc]. */
export const geotabCredentialsSchema = z.strictObject({
  database: nonEmpty.describe('MyGeotab database name'),
  username: nonEmpty.describe('MyGeotab user name (the login, usually an e-mail)'),
  // Not trimmed: a password's spaces are part of it.
  password: nonEmpty.describe('Password of that MyGeotab user'),
});

/** Database and user name are not secrets (they identify the connection); the password is. */
export const maskGeotabCredentials = (credentials: Record<string, string>): Record<string, string> =>
  maskCredentialFields(credentials, { database: 'shown', username: 'shown', password: 'hidden' });

const toGeotab = (write: UserWrite): GeotabMappingResult =>
  mapUserToGeotab({ operation: write.operation, changes: write.changes, merged: write.merged });

/**
 * Geotab requires a password for a BasicAuthentication user on Add [doc]. fleetgate generates one
 * (192 random bits, with the character classes password policies ask for), sends it once and keeps it
 * nowhere; the user is flagged changePassword and sets their own at first sign-in.
 */
export function generatePassword(): string {
  return `${randomBytes(24).toString('base64url')}aA1!`;
}

async function createUser(target: TspTarget, body: Record<string, unknown>, budget: Budget): Promise<Attempt> {
  const entity = { ...body, password: generatePassword() };
  const { attempt, result } = await geotabCall(target, 'Add', { typeName: 'User', entity }, budget);
  if (!attempt.ok) return attempt;
  if (typeof result !== 'string' || result === '') {
    return { ...attempt, ok: false, errorType: 'unknown', errorDetails: 'Geotab Add answered without a user id' };
  }
  return { ...attempt, sourceId: result };
}

/** The user with this id, or undefined; a failed lookup comes back as its Attempt. */
async function getUserById(target: TspTarget, id: string, budget: Budget): Promise<{ attempt: Attempt; user?: Record<string, unknown> }> {
  const { attempt, result } = await geotabCall(target, 'Get', { typeName: 'User', search: { id } }, budget);
  if (!attempt.ok) return { attempt };
  const user = Array.isArray(result) ? (result as Record<string, unknown>[]).find((u) => u?.id === id) : undefined;
  return { attempt, user };
}

/** Geotab's Set replaces the entity: read it, apply the changed fields, write the whole of it back. */
async function updateUser(target: TspTarget, id: string, patch: Record<string, unknown>, budget: Budget): Promise<Attempt> {
  const found = await getUserById(target, id, budget);
  if (!found.attempt.ok) return found.attempt;
  if (!found.user) {
    return { ...found.attempt, ok: false, errorType: 'not_found', errorDetails: `Geotab has no user with id ${id}` };
  }
  const entity = { ...found.user, ...patch, id };
  const { attempt } = await geotabCall(target, 'Set', { typeName: 'User', entity }, budget);
  return attempt.ok ? { ...attempt, sourceId: id } : attempt;
}

async function writeUser(target: TspTarget, write: UserWrite, opts: CallOptions): Promise<Attempt> {
  const mapped = toGeotab(write);
  // Submit checks refusals first; reaching here means the merged user changed underneath it.
  if (!mapped.ok) return refusedAttempt(mapped.refusals);
  const budget = new Budget(opts);
  if (write.operation === 'create') return createUser(target, mapped.body, budget);
  if (write.sourceId === undefined || write.sourceId === '') {
    // A caller bug, not a TSP answer: an update always follows a successful create.
    throw new Error('Geotab update needs write.sourceId (the Geotab user id)');
  }
  return updateUser(target, write.sourceId, mapped.body, budget);
}

// Identity fields a create writes that another person with the same login would not share.
const IDENTITY_FIELDS = ['firstName', 'lastName', 'employeeNo'] as const;

/**
 * Geotab keeps no external id on a user, so a create that may have landed is found by the login it
 * would have used (`name`, unique per database) and adopted only when it looks like ours: the same
 * firstName, lastName and employeeNo the create sends. Trade-off: a user someone else made with the
 * same login and the same names is adopted too — with a unique login and matching names that is the
 * same person, which is what we want rather than a duplicate. One with the same login but other
 * names is not adopted: the answer is a 'validation' failure naming the clash (retrying cannot fix
 * a login that belongs to someone else; the partner must choose another username).
 * fleetgate's id is not written into employeeNo or comment: both are fleet-visible fields with their
 * own normalized sources.
 */
async function findExistingUser(target: TspTarget, write: UserWrite, opts: CallOptions): Promise<Attempt & { found: boolean }> {
  const mapped = mapUserToGeotab({ operation: 'create', changes: write.merged, merged: write.merged });
  if (!mapped.ok) return { ...refusedAttempt(mapped.refusals), found: false };
  const name = mapped.body.name as string;
  const { attempt, result } = await geotabCall(target, 'Get', { typeName: 'User', search: { name } }, new Budget(opts));
  if (!attempt.ok) return { ...attempt, found: false };
  const users = Array.isArray(result) ? (result as Record<string, unknown>[]) : [];
  const user = users.find((u) => typeof u?.name === 'string' && u.name.toLowerCase() === name.toLowerCase());
  if (!user) return { ...attempt, found: false };
  const differing = IDENTITY_FIELDS.filter((f) => String(user[f] ?? '') !== String(mapped.body[f] ?? ''));
  if (differing.length > 0) {
    return {
      ...attempt,
      ok: false,
      found: false,
      errorType: 'validation',
      errorDetails: `Geotab already has a user named ${JSON.stringify(name)} (id ${String(user.id)}) that this create did not make: ${differing.join(', ')} differ`,
    };
  }
  return { ...attempt, found: true, sourceId: String(user.id) };
}

/** Authenticate is the cheapest proof a login works; the session it opens is kept for the next write. */
async function checkGeotabCredentials(target: TspTarget, opts: CallOptions): Promise<Attempt> {
  const login = await authenticate(target, opts);
  rememberSession(target, login);
  return login.attempt;
}

export const geotabAdapter: TspAdapter = {
  tsp: 'geotab',
  displayName: 'Geotab',
  defaultBaseUrl: 'https://my.geotab.com',
  sandboxPath: '/sandbox/geotab',
  credentialsSchema: geotabCredentialsSchema,
  maskCredentials: maskGeotabCredentials,
  checkCredentials: checkGeotabCredentials,
  capabilities: {
    resources: {
      user: { create: 'implemented', update: 'implemented' },
      vehicle: { create: 'not_implemented', update: 'not_implemented' },
    },
    userFields: userFieldsFrom(GEOTAB_FIELD_SUPPORT),
  },
  users: {
    ...mappingChecks(toGeotab),
    write: writeUser,
    findExisting: findExistingUser,
  },
  // Add:User is limited to 250/min per user [doc]; an update costs two calls (Get + Set), and the
  // one Authenticate per session is shared. 200 operations/min stays under the Add limit.
  defaultRateLimitPerMinute: 200,
};
