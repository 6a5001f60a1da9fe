// Samsara Fleet API native vocabulary for POST /fleet/drivers and PATCH /fleet/drivers/{id}.
// Sources: shared/reference/providers.md (Samsara section) and Samsara's official SDKs
// (samsara-dotnet: CreateDriverRequest, CreateDriverRequestLocale, UsDriverRulesetOverride*), which
// carry the value lists providers.md abbreviates ("and Florida, Nebraska ... variants").
// Both the adapter's mapping and the Samsara sandbox read these lists, so they cannot disagree.

/** `usDriverRulesetOverride.cycle` [doc]: the US cycles only; Canadian cycles are read-only. */
export const SAMSARA_CYCLES = [
  'USA Property (8/70)',
  'USA Property (7/60)',
  'USA Passenger (8/70)',
  'USA Passenger (7/60)',
  'Alaska Property (8/80)',
  'Alaska Property (7/70)',
  'Alaska Passenger (8/80)',
  'Alaska Passenger (7/70)',
  'California School/FLV (8/80)',
  'California Farm (8/112)',
  'California Property (8/80)',
  'California Flammable Liquid (8/80)',
  'California Passenger (8/80)',
  'California Motion Picture (8/80)',
  'Florida (8/80)',
  'Florida (7/70)',
  'Nebraska (8/80)',
  'Nebraska (7/70)',
  'North Carolina (8/80)',
  'North Carolina (7/70)',
  'Oklahoma (8/70)',
  'Oklahoma (7/60)',
  'Oregon (8/80)',
  'Oregon (7/70)',
  'South Carolina (8/80)',
  'South Carolina (7/70)',
  'Texas (7/70)',
  'Wisconsin (8/80)',
  'Wisconsin (7/70)',
] as const;
export type SamsaraCycle = (typeof SAMSARA_CYCLES)[number];

/** `usDriverRulesetOverride.restart` [doc]. */
export const SAMSARA_RESTARTS = ['34-hour Restart', '24-hour Restart', '36-hour Restart', '72-hour Restart', 'None'] as const;
export type SamsaraRestart = (typeof SAMSARA_RESTARTS)[number];

/** `usDriverRulesetOverride.restbreak` [doc]. */
export const SAMSARA_RESTBREAKS = ['Property (off-duty/sleeper)', 'California Mealbreak (off-duty/sleeper)', 'None'] as const;
export type SamsaraRestbreak = (typeof SAMSARA_RESTBREAKS)[number];

/** US states and DC (two-letter USPS codes). */
export const US_STATE_CODES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH',
  'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
] as const;
export const US_TERRITORY_CODES = ['PR', 'GU', 'VI', 'AS', 'MP'] as const;
export const CA_PROVINCE_CODES = ['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT'] as const;

/** `usStateToOverride` [doc]: "" (federal) or a state code. */
export const SAMSARA_OVERRIDE_STATES: ReadonlySet<string> = new Set(['', ...US_STATE_CODES]);

/** `licenseState` [doc]: "US state, Canadian province, or US territory that issued driver's license". */
export const SAMSARA_LICENSE_STATES: ReadonlySet<string> = new Set([
  ...US_STATE_CODES,
  ...US_TERRITORY_CODES,
  ...CA_PROVINCE_CODES,
]);

/** `locale` [doc]: "ISO 3166-2 country codes for supported locales". */
export const SAMSARA_LOCALES = ['us', 'at', 'be', 'ca', 'gb', 'fr', 'de', 'ie', 'it', 'lu', 'mx', 'nl', 'es', 'ch', 'pr'] as const;
export type SamsaraLocale = (typeof SAMSARA_LOCALES)[number];

/** ISO-3166-1 alpha-3 → the Samsara locale of that country (only countries Samsara has a locale for). */
export const SAMSARA_LOCALE_FOR_ALPHA3: Readonly<Record<string, SamsaraLocale>> = {
  USA: 'us', AUT: 'at', BEL: 'be', CAN: 'ca', GBR: 'gb', FRA: 'fr', DEU: 'de', IRL: 'ie', ITA: 'it',
  LUX: 'lu', MEX: 'mx', NLD: 'nl', ESP: 'es', CHE: 'ch', PRI: 'pr',
};

export const SAMSARA_ACTIVATION_STATUSES = ['active', 'deactivated'] as const;
export type SamsaraActivationStatus = (typeof SAMSARA_ACTIVATION_STATUSES)[number];

/** Boolean driver fields of the create/update body [doc]. */
export const SAMSARA_BOOLEAN_FIELDS = [
  'eldExempt',
  'eldAdverseWeatherExemptionEnabled',
  'eldBigDayExemptionEnabled',
  'eldPcEnabled',
  'eldYmEnabled',
  'waitingTimeDutyStatusEnabled',
] as const;
export type SamsaraBooleanField = (typeof SAMSARA_BOOLEAN_FIELDS)[number];

/** The externalIds key fleetgate writes its own resource id under (the (key, value) pair is unique). */
export const SAMSARA_EXTERNAL_ID_KEY = 'fleetgate';

/**
 * How a create repeating fleetgate's (key, value) external id is refused: 400 "externalId fleetgate:<id>
 * is already in use". The record exists (an earlier attempt made it): a conflict for findExisting to
 * resolve, not a content error for the partner. Every Samsara adapter that writes the key reads it.
 */
export const SAMSARA_EXTERNAL_ID_TAKEN = new RegExp(`externalId ${SAMSARA_EXTERNAL_ID_KEY}:.*already in use`, 'i');
/** The externalIds key employee_number is written under (Samsara drivers have no employee-number field). */
export const SAMSARA_EMPLOYEE_ID_KEY = 'employeeId';

/** Username rule [doc]: "may not contain spaces or the '@' symbol". */
export const SAMSARA_USERNAME_FORBIDDEN = /[\s@]/;

const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+$/;
let canonicalZones: ReadonlySet<string> | undefined;

/**
 * `timezone` takes IANA tz database keys [doc]. Intl.supportedValuesOf('timeZone') lists only ICU's
 * canonical ids, which on Node 20 are the *old* names for renamed zones (Asia/Calcutta, Europe/Kiev)
 * and omit UTC and links such as Asia/Kolkata, America/Nipigon. So: a listed id, UTC, or any
 * Area/Location id the platform's tz database resolves (links included).
 */
export function isIanaTimeZone(value: string): boolean {
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (value === 'UTC' || canonicalZones.has(value)) return true;
  if (!IANA_SHAPE.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
