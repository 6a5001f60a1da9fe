// MyGeotab JSON-RPC native vocabulary for the User entity (Add / Set / Get).
// Sources: shared/reference/providers.md (Geotab section) and Geotab's published SDK material
// (the HosRuleSet enum of Geotab's object model and the SDK release notes that added each group of it).
// The sandbox keeps its own copy taken from the same sources (src/sandbox/geotab/vendor.ts), so the two
// can disagree; test/geotab-contract.test.ts compares what this adapter sends with what the sandbox takes.

/**
 * `hosRuleSet` values. providers.md lists the common ones [doc]; the full enum has more. This is the
 * North American part of Geotab's HosRuleSet enum as its SDK publishes it (KnownId
 * `HosRuleSet<value>` entries, release notes 5.7.1903–5.7.2004), spelled exactly as Geotab spells
 * them (note the lower-case `day` in `California8day`, `Nebraska7day`, `Oregon7day`).
 */
export const GEOTAB_HOS_RULESETS = [
  'None', 'None8Day', 'NoneCanada',
  'America7Day', 'America7DayBig', 'America7DaySleeper', 'America7DayBigSleeper',
  'America8Day', 'America8DayBig', 'America8DaySleeper', 'America8DayBigSleeper',
  'America7DayNo34h', 'America7DayNo34hSleeper', 'America8DayNo34h', 'America8DayNo34hSleeper',
  'AmericaNoRestRequirement7Day', 'AmericaNoRestRequirement7DayBig', 'AmericaNoRestRequirement7DaySleeper',
  'AmericaNoRestRequirement7DayBigSleeper', 'AmericaNoRestRequirement8Day', 'AmericaNoRestRequirement8DayBig',
  'AmericaNoRestRequirement8DaySleeper', 'AmericaNoRestRequirement8DayBigSleeper',
  'AmericaShortHaul', 'AmericaShortHaul8Day', 'AmericaShortHaulNo34h', 'AmericaShortHaul8DayNo34h',
  'AmericaShortHaul14hrWorkday', 'AmericaShortHaul8Day14hrWorkday',
  'America7DayPassenger', 'America8DayPassenger', 'AmericaShortHaulPassenger', 'AmericaShortHaulPassenger8Day',
  'AmericaNonCdlShortHaul7Day', 'AmericaNonCdlShortHaul8Day',
  'AmericaSalesperson', 'AmericaSalespersonNonCdlShortHaul', 'CarrierExemption',
  'OilTransport7Day', 'OilTransport7DayBig', 'OilTransport7DaySleeper', 'OilTransport7DayBigSleeper',
  'OilTransport8Day', 'OilTransport8DayBig', 'OilTransport8DaySleeper', 'OilTransport8DayBigSleeper',
  'OilTransportNoRestRequirement7Day', 'OilTransportNoRestRequirement7DayBig',
  'OilTransportNoRestRequirement7DaySleeper', 'OilTransportNoRestRequirement7DayBigSleeper',
  'OilTransportNoRestRequirement8Day', 'OilTransportNoRestRequirement8DayBig',
  'OilTransportNoRestRequirement8DaySleeper', 'OilTransportNoRestRequirement8DayBigSleeper',
  'OilTransportShortHaul', 'OilTransportShortHaul8Day', 'OilTransportShortHaul14hrWorkday',
  'OilTransportShortHaul8Day14hrWorkday',
  'OilWell7Day', 'OilWell7DayBig', 'OilWell7DaySleeper', 'OilWell7DayBigSleeper',
  'OilWell8Day', 'OilWell8DayBig', 'OilWell8DaySleeper', 'OilWell8DayBigSleeper',
  'OilWellNoRestRequirement7Day', 'OilWellNoRestRequirement7DayBig', 'OilWellNoRestRequirement7DaySleeper',
  'OilWellNoRestRequirement7DayBigSleeper', 'OilWellNoRestRequirement8Day', 'OilWellNoRestRequirement8DayBig',
  'OilWellNoRestRequirement8DaySleeper', 'OilWellNoRestRequirement8DayBigSleeper',
  'AmericaTexas', 'AmericaTexasShortHaul', 'AmericaTexasShortHaul8Day', 'OilTransportTexas', 'OilWellTexas',
  'CaliforniaProperty', 'California8day', 'CaliforniaPassenger', 'CaliforniaFarmProduct',
  'CaliforniaFarmProductWithRestRequirement', 'CaliforniaFlammableLiquid', 'CaliforniaFlammableLiquidWithRestRequirement',
  'CaliforniaSchoolPupil', 'CaliforniaSchoolPupilWithRestRequirement',
  'OilTransportCalifornia8day', 'OilTransportCaliforniaProperty', 'OilWellCalifornia8day', 'OilWellCaliforniaProperty',
  'AlaskaProperty7Day', 'AlaskaProperty8Day', 'AlaskaProperty7DaySleeper', 'AlaskaProperty8DaySleeper',
  'AlaskaPassenger7Day', 'AlaskaPassenger8Day',
  'Florida7Day', 'Florida8Day', 'FloridaShortHaul7Day', 'FloridaShortHaul8Day',
  'MarylandShortHaul7Day', 'MarylandShortHaul8Day', 'Nebraska7day', 'Nebraska8day',
  'NorthDakota7Day', 'NorthDakotaShortHaul7Day', 'Oregon7day', 'Oregon8day',
  'SouthCarolina7Day', 'SouthCarolina8Day', 'WashingtonIntrastate7Day', 'WashingtonIntrastate8Day',
  'CanadaCycleOne', 'CanadaCycleTwo', 'CanadaCycleOneTeam', 'CanadaCycleTwoTeam',
  'CanadaNorthOf60CycleOne', 'CanadaNorthOf60CycleTwo',
  'BrazilShortHaul',
  // Added in Geotab SDK 6.0–11.0 (providers.md corrections; Geotab's HosRuleSet enum).
  'CanadaNorthOf60CycleOneTeam', 'CanadaNorthOf60CycleTwoTeam', 'NoneCanadaNorthOf60',
  'CaliforniaPropertyShortHaul', 'CaliforniaPropertyShortHaulWithRest',
  'CanadaOil', 'CanadaNorthOf60Oil', 'CanadaOilTeam', 'CanadaNorthOf60OilTeam',
  'America7DayRailroad', 'America8DayRailroad', 'CanadaBCLoggingTruck',
] as const;
export type GeotabHosRuleSet = (typeof GEOTAB_HOS_RULESETS)[number];
export const GEOTAB_HOS_RULESET_SET: ReadonlySet<string> = new Set(GEOTAB_HOS_RULESETS);

/** Built-in security clearances (KnownId) a User's `securityGroups` may name [doc]. */
export const GEOTAB_SECURITY_GROUPS = [
  'GroupEverythingSecurityId',
  'GroupSupervisorSecurityId',
  'GroupUserSecurityId',
  'GroupDriveUserSecurityId',
  'GroupViewOnlySecurityId',
  'GroupNothingSecurityId',
] as const;
export type GeotabSecurityGroup = (typeof GEOTAB_SECURITY_GROUPS)[number];

/** The root organisation group every database has; a user's data access (`companyGroups`). */
export const GEOTAB_COMPANY_GROUP = 'GroupCompanyId';
export const GEOTAB_ORGANISATION_GROUPS = [GEOTAB_COMPANY_GROUP, 'GroupPrivateUserId'] as const;

/** `activeTo` of an active user: Geotab's "max date" (SDK 5.7.2004: ActiveTo is set to 2050-01-01). */
export const GEOTAB_ACTIVE_FOREVER = '2050-01-01T00:00:00.000Z';
/** Geotab lets activeTo lie at most 24 h in the future unless it is the max date (same release note). */
export const GEOTAB_ACTIVE_TO_MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** String lengths Geotab enforces on User (providers.md). */
export const GEOTAB_MAX_LENGTH = {
  name: 255,
  employeeNo: 50,
  designation: 50,
  phoneNumber: 20,
} as const;

export const GEOTAB_AUTHENTICATION_TYPES = ['BasicAuthentication', 'SAML', 'MyAdmin'] as const;

/**
 * JSON-RPC error types (`error.data.type`) the adapter reads (client.ts classifies them). Since 5.7.2103 a
 * malformed request is `JsonSerializerException`; `JsonSerializationException` is its name on older servers.
 */
export const GEOTAB_ERROR_TYPES = [
  'InvalidUserException',
  'OverLimitException',
  'DuplicateException',
  'ArgumentException',
  'DbUnavailableException',
  'MissingMethodException',
  'JsonSerializerException',
  'JsonSerializationException',
] as const;
export type GeotabErrorType = (typeof GEOTAB_ERROR_TYPES)[number];

/** An IANA zone id as Geotab's `timeZoneId` takes it (validated by the platform's tz database). */
export function isIanaZone(value: string): boolean {
  if (value.trim() === '' || value !== value.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const REGIONS = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
// Codes ICU names that are not ISO 3166-1 countries (EU, UN, the Eurozone, "Outlying Oceania").
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB']);

/** ISO 3166-1 alpha-2, upper case (Geotab's `countryCode`). */
export function isAlpha2(value: string): boolean {
  if (!/^[A-Z]{2}$/.test(value) || NOT_COUNTRIES.has(value)) return false;
  const name = REGIONS.of(value);
  return name !== undefined && name !== 'Unknown Region';
}
