// Geotab users: the mapping (mapping.ts) and MyGeotab's Add/Get/Set over sessions (../session.ts),
// wired to the resource adapter interface. Facts: shared/reference/providers.md (Geotab section).
import { randomBytes } from 'node:crypto';
import type { UserAttributes } from '../../../contract/resources/users.ts';
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../kit/types.ts';
import { Budget, geotabCall } from '../session.ts';
import { GEOTAB_FIELD_SUPPORT, mapUserToGeotab } from './mapping.ts';

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
  // Geotab answers only the id: its record is the user sent (without the password), with that id.
  return { ...attempt, sourceId: result, sourceData: { ...body, id: result } };
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
  // Set answers nothing: the record is the user read back with the changes on top, as written.
  return attempt.ok ? { ...attempt, sourceId: id, sourceData: entity } : attempt;
}

async function sendUser(target: TspTarget, write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
  const budget = new Budget(opts);
  if (write.operation === 'create') return createUser(target, body, budget);
  if (write.sourceId === undefined || write.sourceId === '') {
    // A caller bug, not a TSP answer: an update always follows a successful create.
    throw new Error('Geotab update needs write.sourceId (the Geotab user id)');
  }
  return updateUser(target, write.sourceId, body, budget);
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
async function findExistingUser(target: TspTarget, _write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt & { found: boolean }> {
  // The body is the create's own mapping: the login and names it would have written.
  const name = body.name as string;
  const { attempt, result } = await geotabCall(target, 'Get', { typeName: 'User', search: { name } }, new Budget(opts));
  if (!attempt.ok) return { ...attempt, found: false };
  const users = Array.isArray(result) ? (result as Record<string, unknown>[]) : [];
  const user = users.find((u) => typeof u?.name === 'string' && u.name.toLowerCase() === name.toLowerCase());
  if (!user) return { ...attempt, found: false };
  const differing = IDENTITY_FIELDS.filter((f) => String(user[f] ?? '') !== String(body[f] ?? ''));
  if (differing.length > 0) {
    return {
      ...attempt,
      ok: false,
      found: false,
      errorType: 'validation',
      errorDetails: `Geotab already has a user named ${JSON.stringify(name)} (id ${String(user.id)}) that this create did not make: ${differing.join(', ')} differ`,
    };
  }
  return { ...attempt, found: true, sourceId: String(user.id), sourceData: user };
}

export const geotabUsers: ResourceAdapter = {
  operations: { create: 'implemented', update: 'implemented' },
  // The first call (rpc() classes it): Add:User for a create, Get:User (before Set:User) for an update.
  rateClass: (operation) => (operation === 'create' ? 'Add:User' : 'Get:User'),
  fields: GEOTAB_FIELD_SUPPORT,
  map: (write) => mapUserToGeotab({ operation: write.operation, changes: write.changes as UserAttributes, merged: write.merged as UserAttributes }),
  send: sendUser,
  findExisting: findExistingUser,
};
