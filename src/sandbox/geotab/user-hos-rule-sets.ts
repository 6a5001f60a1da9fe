// The UserHosRuleSet entity (./vendor.ts): a user's ruleset history, one record per ruleset and the time
// it applies from. Adding or setting a User with a new `hosRuleSet` records it at that moment; a record
// Added directly that applies now or earlier (and is the latest such) becomes the user's `hosRuleSet`
// [guess: Geotab documents the entity, not how it and User.hosRuleSet interact].
import { readDate, serializerError } from './asset-fields.ts';
import { criteria } from './asset-search.ts';
import { argumentError } from './errors.ts';
import { isObject } from './params.ts';
import { HOS_RULESET_SET, USER_HOS_SEARCH_IMPLEMENTED, USER_HOS_SEARCH_NOT_IMPLEMENTED } from './vendor.ts';

export interface StoredUserHosRuleSet {
  id: string;
  userId: string;
  hosRuleSet: string;
  dateTime: string;
}


/** `{"id": ...}` of an entity reference, or the serializer's refusal. */
function refId(value: unknown): string {
  if (!isObject(value) || typeof value.id !== 'string') throw serializerError();
  return value.id;
}

function ruleSet(value: unknown): string {
  const name = isObject(value) ? value.id : value;
  if (typeof name !== 'string' || !HOS_RULESET_SET.has(name)) throw serializerError();
  return name;
}

export function renderUserHosRuleSet(r: StoredUserHosRuleSet): Record<string, unknown> {
  return { id: r.id, user: { id: r.userId }, hosRuleSet: r.hosRuleSet, dateTime: r.dateTime };
}

export class UserHosRuleSets {
  constructor(
    private readonly records: StoredUserHosRuleSet[],
    private readonly newId: () => string,
  ) {}

  snapshot(): StoredUserHosRuleSet[] {
    return this.records.map((r) => ({ ...r }));
  }

  get count(): number {
    return this.records.length;
  }

  record(userId: string, hosRuleSet: string, dateTime: string): string {
    const id = this.newId();
    this.records.push({ id, userId, hosRuleSet, dateTime });
    return id;
  }

  /** Reads an Add's entity: the user must exist; dateTime defaults to now. */
  parse(entity: Record<string, unknown>, userExists: (id: string) => boolean, now: number): Omit<StoredUserHosRuleSet, 'id'> {
    if (entity.id !== undefined && entity.id !== null) throw argumentError("A new UserHosRuleSet must not have an 'id'");
    if (entity.user === undefined || entity.user === null) throw argumentError("'user' is required");
    const userId = refId(entity.user);
    if (!userExists(userId)) throw argumentError(`User '${userId}' does not exist`);
    if (entity.hosRuleSet === undefined || entity.hosRuleSet === null) throw argumentError("'hosRuleSet' is required");
    const dateTime = entity.dateTime === undefined || entity.dateTime === null ? new Date(now).toISOString() : readDate(entity.dateTime);
    return { userId, hosRuleSet: ruleSet(entity.hosRuleSet), dateTime };
  }

  /** The ruleset in force for the user at `now`: the latest record that applies by then. */
  current(userId: string, now: number): StoredUserHosRuleSet | undefined {
    return this.records
      .filter((r) => r.userId === userId && Date.parse(r.dateTime) <= now)
      .reduce<StoredUserHosRuleSet | undefined>((best, r) => (!best || Date.parse(r.dateTime) >= Date.parse(best.dateTime) ? r : best), undefined);
  }

  get(search: unknown, resultsLimit?: number): Record<string, unknown>[] {
    const c = criteria('UserHosRuleSet', search, USER_HOS_SEARCH_IMPLEMENTED, USER_HOS_SEARCH_NOT_IMPLEMENTED);
    const tests: Array<(r: StoredUserHosRuleSet) => boolean> = [];
    if (c.id !== undefined) {
      if (typeof c.id !== 'string') throw serializerError();
      const id = c.id;
      tests.push((r) => r.id === id);
    }
    if (c.userSearch !== undefined) {
      if (!isObject(c.userSearch)) throw serializerError();
      const { id, ...rest } = c.userSearch;
      // "Available UserSearch options are: Id, GroupSearch"; the sandbox implements Id.
      const other = Object.keys(rest).find((k) => rest[k] !== undefined && rest[k] !== null);
      if (other) throw argumentError(`UserHosRuleSetSearch.userSearch.${other} is not supported by the fleetgate sandbox`);
      if (typeof id !== 'string') throw serializerError();
      tests.push((r) => r.userId === id);
    }
    if (c.fromDate !== undefined) {
      const from = Date.parse(readDate(c.fromDate));
      tests.push((r) => Date.parse(r.dateTime) >= from);
    }
    if (c.toDate !== undefined) {
      const to = Date.parse(readDate(c.toDate));
      tests.push((r) => Date.parse(r.dateTime) <= to);
    }
    const found = this.records.filter((r) => tests.every((t) => t(r)));
    return found.slice(0, resultsLimit ?? found.length).map(renderUserHosRuleSet);
  }
}
