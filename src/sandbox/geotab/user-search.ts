// UserSearch as the sandbox implements it (members in ./vendor.ts): text criteria with Geotab's '%'
// wildcards and its '!' negation ("If the first character of this search property is '!', then the API
// will know to negate the search logic" [ff: UserSearch]), the active period, rulesets, authentication
// types and groups. A criterion Geotab has but the sandbox does not implement is refused (criteria() in
// ./asset-search.ts), never ignored: ignoring it would answer more users than Geotab would.
import { matchesPattern, readDate, serializerError } from './asset-fields.ts';
import { criteria } from './asset-search.ts';
import { argumentError } from './errors.ts';
import type { GroupRef, StoredUser } from './user-model.ts';
import { AUTHENTICATION_TYPES, HOS_RULESET_SET, USER_SEARCH_IMPLEMENTED, USER_SEARCH_NOT_IMPLEMENTED } from './vendor.ts';

type Predicate = (user: StoredUser) => boolean;

const text = (value: unknown): string => {
  if (typeof value !== 'string') throw serializerError();
  return value;
};

/** A negatable wildcard pattern: "!John%" is WHERE NOT LIKE 'John%'. */
function textTest(pattern: string, read: (u: StoredUser) => string): Predicate {
  const negated = pattern.startsWith('!');
  const body = negated ? pattern.slice(1) : pattern;
  return (u) => matchesPattern(body, read(u)) !== negated;
}

function enumValues(value: unknown, allowed: ReadonlySet<string>, many: boolean): Set<string> {
  const list = many ? value : [value];
  if (!Array.isArray(list)) throw serializerError();
  const values = new Set<string>();
  for (const v of list) {
    // An enum value Geotab does not have fails deserialization, as in an entity.
    if (typeof v !== 'string' || !allowed.has(v)) throw serializerError();
    values.add(v);
  }
  return values;
}

/** GroupSearch[]: "Available GroupSearch options are: Id" [ff: UserSearch]. */
function groupIds(value: unknown): Set<string> {
  if (!Array.isArray(value)) throw serializerError();
  return new Set(
    value.map((g: unknown) => {
      if (typeof g !== 'object' || g === null) throw serializerError();
      const { id, ...rest } = g as Record<string, unknown>;
      if (Object.keys(rest).length > 0) throw argumentError('UserSearch groups are searched by id only');
      return text(id);
    }),
  );
}

const inGroups = (ids: Set<string>, member: string): Predicate => (u) =>
  (u.fields[member] as GroupRef[]).some((g) => ids.has(g.id));

const TEXT_CRITERIA: ReadonlyArray<[string, (u: StoredUser) => string]> = [
  ['name', (u) => u.fields.name as string],
  ['firstName', (u) => u.fields.firstName as string],
  ['lastName', (u) => u.fields.lastName as string],
  ['fullName', (u) => `${u.fields.firstName as string} ${u.fields.lastName as string}`.trim()],
  ['employeeNumber', (u) => u.fields.employeeNo as string],
  ['licenseNumber', (u) => u.fields.licenseNumber as string],
];

export function userFilter(search: unknown): Predicate {
  const c = criteria('User', search, USER_SEARCH_IMPLEMENTED, USER_SEARCH_NOT_IMPLEMENTED);
  const tests: Predicate[] = [];
  if (c.id !== undefined) {
    const id = text(c.id);
    tests.push((u) => u.id === id);
  }
  if (c.userIds !== undefined) {
    if (!Array.isArray(c.userIds)) throw serializerError();
    const ids = new Set(c.userIds.map(text));
    tests.push((u) => ids.has(u.id));
  }
  for (const [member, read] of TEXT_CRITERIA) {
    if (c[member] !== undefined) tests.push(textTest(text(c[member]), read));
  }
  // "Only search for Users who have a Driver Key assigned": true narrows to drivers, false does not narrow.
  if (c.isDriver !== undefined) {
    if (typeof c.isDriver !== 'boolean') throw serializerError();
    if (c.isDriver) tests.push((u) => u.fields.isDriver === true);
  }
  // "Users that were active at this date or after" / "at this date or before".
  if (c.fromDate !== undefined) {
    const from = Date.parse(readDate(c.fromDate));
    tests.push((u) => Date.parse(u.fields.activeTo as string) >= from);
  }
  if (c.toDate !== undefined) {
    const to = Date.parse(readDate(c.toDate));
    tests.push((u) => Date.parse(u.fields.activeFrom as string) <= to);
  }
  const authTypes = new Set<string>(AUTHENTICATION_TYPES);
  for (const [member, field, allowed, many] of [
    ['hosRuleSet', 'hosRuleSet', HOS_RULESET_SET, false],
    ['hosRuleSets', 'hosRuleSet', HOS_RULESET_SET, true],
    ['authenticationType', 'userAuthenticationType', authTypes, false],
    ['authenticationTypes', 'userAuthenticationType', authTypes, true],
  ] as const) {
    if (c[member] === undefined) continue;
    const values = enumValues(c[member], allowed, many);
    tests.push((u) => values.has(u.fields[field] as string));
  }
  // "Cannot be used with DriverGroups" (and the other way round) [ff: UserSearch].
  if (c.companyGroups !== undefined && c.driverGroups !== undefined) {
    throw argumentError('UserSearch.companyGroups cannot be used with UserSearch.driverGroups');
  }
  for (const member of ['securityGroups', 'companyGroups', 'driverGroups'] as const) {
    if (c[member] !== undefined) tests.push(inGroups(groupIds(c[member]), member));
  }
  return (u) => tests.every((t) => t(u));
}
