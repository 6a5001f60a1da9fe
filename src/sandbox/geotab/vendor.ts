// MyGeotab JSON-RPC vocabulary for the User entity (Add / Set / Get), as Geotab defines it.
// The sandbox is an independent witness of Geotab's API: every list here comes from Geotab's own
// object model and release notes, never from the adapter under src/tsps, so the fake can disagree with
// the adapter when the adapter is wrong.
// Sources:
//   [notes] Geotab's SDK release notes ("What's New"), github.com/Geotab/sdk src/new.md (last version at
//           commit 8e1d28ac, 2024-06; the file was removed from the repository in 2025-08)
//   [sdkxml] Geotab's object-model documentation file, github.com/Geotab/sdk software/api/SDK.xml
//           (commit 1af47554; an older object model, KnownId and exception types)
//   [ff]    github.com/fairfleet/geotab src/types/Checkmate/ (an unofficial TypeScript client whose types
//           are generated with Reinforced.Typings from Geotab's .NET object model Geotab.Checkmate.ObjectModel;
//           doc comments are Geotab's own): Settings/HosRuleSet.ts, ObjectModel/KnownId.ts,
//           ObjectModel/User.ts, ObjectModel/UserAuthenticationType.ts

/**
 * `hosRuleSet`: the North American values of Geotab's HosRuleSet enum (plus `BrazilShortHaul`), spelled
 * exactly as Geotab spells them (note the lower-case `day` in `California8day`, `Nebraska7day`,
 * `Oregon7day`). Every value but the last group's `CanadaBCLoggingTruck` is in [ff: Settings/HosRuleSet.ts];
 * [notes] 5.7.1509–5.7.2004 record when most of them were added, and the last group was added by:
 * `CanadaNorthOf60CycleOneTeam`, `CanadaNorthOf60CycleTwoTeam` ([notes] 6.0 "HOS"), `NoneCanadaNorthOf60`
 * ([ff] only), `CaliforniaPropertyShortHaul`, `CaliforniaPropertyShortHaulWithRest` ([notes] 5.7.2103),
 * `CanadaOil`, `CanadaNorthOf60Oil`, `CanadaOilTeam`, `CanadaNorthOf60OilTeam` ([notes] 7.0 "General
 * updates"), `America7DayRailroad`, `America8DayRailroad` ([notes] 8.0 "HosRuleSet"), and
 * `CanadaBCLoggingTruck` ([notes] May 19, 2023, Patch 11.0.28xx).
 * (`AustraliaStandardHoursSoloExemptionHours` [ff] is left out with the other non-North-American rulesets.)
 */
export const HOS_RULESETS = [
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
  'CaliforniaFarmProductWithRestRequirement', 'CaliforniaFlammableLiquid',
  'CaliforniaFlammableLiquidWithRestRequirement',
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
  'CanadaNorthOf60CycleOneTeam', 'CanadaNorthOf60CycleTwoTeam', 'NoneCanadaNorthOf60',
  'CaliforniaPropertyShortHaul', 'CaliforniaPropertyShortHaulWithRest',
  'CanadaOil', 'CanadaNorthOf60Oil', 'CanadaOilTeam', 'CanadaNorthOf60OilTeam',
  'America7DayRailroad', 'America8DayRailroad', 'CanadaBCLoggingTruck',
] as const;
export const HOS_RULESET_SET: ReadonlySet<string> = new Set(HOS_RULESETS);

/**
 * Built-in security clearances a User's `securityGroups` may name: KnownId `Group…SecurityId` entries
 * [sdkxml: P:Geotab.Checkmate.ObjectModel.KnownId.*; ff: ObjectModel/KnownId.ts]. (`GroupSecurityId` is
 * the root of the security tree, not a clearance.) `GroupViewMapOnlySecurityId` ("the group view map only
 * identifier") is in [ff: ObjectModel/KnownId.ts] only.
 */
export const SECURITY_GROUPS = [
  'GroupEverythingSecurityId',
  'GroupSupervisorSecurityId',
  'GroupUserSecurityId',
  'GroupDriveUserSecurityId',
  'GroupViewOnlySecurityId',
  'GroupNothingSecurityId',
  'GroupViewMapOnlySecurityId',
] as const;

/**
 * Organisation groups a user's `companyGroups` / `driverGroups` may name: the KnownId company root
 * `GroupCompanyId` and `GroupPrivateUserId` [ff: ObjectModel/KnownId.ts].
 */
export const ORGANISATION_GROUPS = ['GroupCompanyId', 'GroupPrivateUserId'] as const;

/**
 * `activeTo` of an active user: "The user property ActiveTo will automatically be set to max date
 * (2050-01-01) to denote that it is active" [notes 5.7.1903, User]; User.activeTo "Default [MaxDate]"
 * [ff: ObjectModel/User.ts].
 */
export const ACTIVE_FOREVER = '2050-01-01T00:00:00.000Z';
/**
 * "we are allowing users to set the value of ActiveTo to a max window of 24 hours in the future
 * (i.e. Current Time + 24 hours)" [notes 5.7.1903, User].
 */
export const ACTIVE_TO_MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/**
 * User string lengths: name "Maximum length [255]", employeeNo and designation "Maximum length [50]",
 * phoneNumber "Maximum length [20]" [ff: ObjectModel/User.ts].
 */
export const MAX_LENGTH = {
  name: 255,
  employeeNo: 50,
  designation: 50,
  phoneNumber: 20,
} as const;

/**
 * `userAuthenticationType`: Geotab's UserAuthenticationType [ff: ObjectModel/UserAuthenticationType.ts].
 * Only BasicAuthentication logs in with a password (./database.ts).
 */
export const AUTHENTICATION_TYPES = [
  'None', 'BasicAuthentication', 'WindowsAuthentication', 'MyAdmin', 'SAML', 'ClientCertificate',
] as const;

/**
 * JSON-RPC error types (`error.data.type`) the sandbox answers with. Geotab documents the exception
 * types InvalidUserException, OverLimitException, DuplicateException, DbUnavailableException
 * [sdkxml: T:Geotab.Checkmate.ObjectModel.*Exception], ArgumentException and MissingMethodException
 * ([notes] 7.0 "Security updates": "The following common exceptions are still supported").
 * Since 5.7.2103 a malformed request, or a member of the wrong JSON type, answers `JsonSerializerException`
 * (message "Exception of type 'Geotab.Serialization.JsonSerializerException' was thrown.", code -32700)
 * ([notes] 5.7.2103 and 5.7.2104 "JSON Serializer Change", and the 7.0 list); the older name
 * `JsonSerializationException` is gone. An unknown group id answers `GenericException` ([notes] 7.0 list,
 * "GenericException *new*"; Patch 11.6 "Generic exception changed to "Invalid group id used. …"").
 */
export const ERROR_TYPES = [
  'InvalidUserException',
  'OverLimitException',
  'DuplicateException',
  'ArgumentException',
  'DbUnavailableException',
  'MissingMethodException',
  'JsonSerializerException',
  'GenericException',
] as const;
export type GeotabErrorType = (typeof ERROR_TYPES)[number];

/**
 * `timeZoneId`: "the IANA Timezone Id of the user ... Default ["America/New_York"]"
 * [ff: ObjectModel/User.ts]; validated by the platform's tz database.
 */
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

/**
 * `countryCode`: "the user two symbols country ISO code (https://www.iso.org/iso-3166-country-codes.html).
 * Maximum length [2]" [ff: ObjectModel/User.ts], i.e. ISO 3166-1 alpha-2, upper case.
 */
export function isAlpha2(value: string): boolean {
  if (!/^[A-Z]{2}$/.test(value) || NOT_COUNTRIES.has(value)) return false;
  const name = REGIONS.of(value);
  return name !== undefined && name !== 'Unknown Region';
}

/**
 * User (and Driver) members Geotab's object model has [ff: ObjectModel/User.ts, ObjectModel/Driver.ts]
 * that the sandbox does not interpret: given on Add or Set, each is kept as sent (after a JSON type check,
 * as Geotab's serializer does) and read back by Get, so a client's value is never dropped. Read-only
 * members (`lastAccessDate`, `groups`, `isEULAAccepted`, `isLabsEnabled`) and `version` are not here.
 */
export const USER_KEPT_MEMBERS = {
  acceptedEULA: 'number',
  accessGroupFilter: 'object',
  activeDashboardReports: 'array',
  authorityAddress: 'string',
  authorityName: 'string',
  availableDashboardReports: 'array',
  bookmarks: 'array',
  cannedResponseOptions: 'array',
  companyAddress: 'string',
  dateFormat: 'string',
  defaultGoogleMapStyle: 'string',
  defaultHereMapStyle: 'string',
  defaultMapEngine: 'string',
  defaultOpenStreetMapStyle: 'string',
  defaultPage: 'string',
  displayCurrency: 'object',
  displayMeasurementProfile: 'string',
  driveGuideVersion: 'number',
  electricEnergyEconomyUnit: 'string',
  featurePreview: 'string',
  firstDayOfWeek: 'string',
  fuelEconomyUnit: 'string',
  isMetric: 'boolean',
  isNewsEnabled: 'boolean',
  isServiceUpdatesEnabled: 'boolean',
  issuerCertificate: 'object',
  keys: 'array',
  language: 'string',
  mapViews: 'array',
  maxPCDistancePerDay: 'number',
  mediaFiles: 'array',
  nullifyAccessGroupFilter: 'boolean',
  phoneNumberExtension: 'string',
  privateUserGroups: 'array',
  reportGroups: 'array',
  showClickOnceWarning: 'boolean',
  viewDriversOwnDataOnly: 'boolean',
  wifiEULA: 'number',
  windowsAuthenticationUserId: 'string',
  zoneDisplayMode: 'string',
} as const satisfies Record<string, 'string' | 'number' | 'boolean' | 'array' | 'object'>;

/** User.phoneNumberExtension "Maximum length [5]" [ff: ObjectModel/User.ts]. */
export const PHONE_EXTENSION_MAX = 5;

/**
 * UserSearch members [ff: ObjectModel/UserSearch.ts, ObjectModel/Search.ts] that the sandbox implements
 * (./user-search.ts), and those it refuses with an ArgumentException rather than ignore.
 */
export const USER_SEARCH_IMPLEMENTED = [
  'id', 'userIds', 'name', 'firstName', 'lastName', 'fullName', 'employeeNumber', 'licenseNumber',
  'isDriver', 'fromDate', 'toDate', 'hosRuleSet', 'hosRuleSets', 'authenticationType', 'authenticationTypes',
  'securityGroups', 'companyGroups', 'driverGroups',
] as const;
export const USER_SEARCH_NOT_IMPLEMENTED = [
  'version', 'propertySelector', 'driverGroupFilterCondition', 'userGroupFilterCondition', 'keyId', 'keywords',
  'lastLogin', 'lastLoginComparator', 'serialNumber', 'userSearchType', 'verificationPending',
  'welcomeEmailNotSent', 'welcomeEmailStatus',
] as const;

/**
 * UserHosRuleSet: "A user's Hos Ruleset" with `user`, `hosRuleSet`, `dateTime` ("the active from"),
 * `startOfDay`, `deletedDateTime` [ff: ObjectModel/UserHosRuleSet.ts]; UserHosRuleSetSearch has `id`,
 * `userSearch` ("Available UserSearch options are: Id, GroupSearch"), `fromDate`, `toDate` ("recorded at
 * this date or after / before") and the deprecated `minVersion`/`maxVersion` [ff: UserHosRuleSetSearch].
 * The object model types `hosRuleSet` as HosRuleSet2, an entity; the sandbox reads `"America8Day"` or
 * `{"id": "America8Day"}` and renders the plain value [guess: the rendering is not documented].
 */
export const USER_HOS_SEARCH_IMPLEMENTED = ['id', 'userSearch', 'fromDate', 'toDate'] as const;
export const USER_HOS_SEARCH_NOT_IMPLEMENTED = ['version', 'propertySelector', 'minVersion', 'maxVersion'] as const;

/**
 * What GetVersion answers: the sandbox's own fixed version, in the four-part form MyGeotab uses
 * ("5.7.2104.1"); a client must not read features off it.
 */
export const SANDBOX_SERVER_VERSION = '11.0.0.0';

/** Entity types GetCountOf counts (the others are refused with ArgumentException, never answered 0). */
export const COUNTABLE_TYPES = ['User', 'Device', 'Trailer', 'UserHosRuleSet'] as const;
