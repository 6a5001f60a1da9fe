// Add, Set and Get of the User and UserHosRuleSet entities inside an authenticated JSON-RPC call
// (./rpc.ts authenticates the session first). Add:User takes a slot at Geotab's documented 250/min;
// every other call its own `<method>:<typeName>` class at `call_per_minute`, before the entity is read.
import { admit } from './admission.ts';
import type { GeotabDatabase } from './database.ts';
import { argumentError } from './errors.ts';
import { entityOf, resultsLimit } from './params.ts';
import type { Params } from './params.ts';

const USER_TYPES = new Set(['User', 'UserHosRuleSet']);

export const isUserCall = (params: Params): boolean => typeof params.typeName === 'string' && USER_TYPES.has(params.typeName);

export function userCall(db: GeotabDatabase, userName: string, method: string, params: Params, now: number): { result: unknown; headers: Record<string, string> } {
  const typeName = params.typeName as 'User' | 'UserHosRuleSet';
  const rateClass = `${method}:${typeName}`;
  if (!['Add', 'Set', 'Get'].includes(method) || (typeName === 'UserHosRuleSet' && method === 'Set')) {
    throw argumentError(`${method} of ${typeName} is not supported by the fleetgate sandbox`);
  }
  const limit = rateClass === 'Add:User' ? db.settings.add_user_per_minute : db.settings.call_per_minute;
  const headers = admit(db, userName, rateClass, limit, now);
  if (typeName === 'UserHosRuleSet') {
    if (method === 'Add') return { result: db.addUserHosRuleSet(entityOf(params), now), headers };
    return { result: db.hosRuleSets.get(params.search, resultsLimit(params)), headers };
  }
  switch (method) {
    case 'Add':
      return { result: db.addUser(entityOf(params), now), headers };
    case 'Set':
      db.setUser(entityOf(params), now);
      return { result: null, headers };
    default:
      return { result: db.getUsers(params.search, resultsLimit(params)), headers };
  }
}
