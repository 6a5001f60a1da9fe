// Samsara Fleet API native vocabulary for POST /fleet/drivers and PATCH /fleet/drivers/{id}.
// Sources: shared/reference/providers.md (Samsara section) and Samsara's official SDK
// (@samsarahq/samsara: CreateDriverRequest.Locale, UsDriverRulesetOverride.*), which carries the value
// lists providers.md abbreviates. Each list `satisfies` the SDK's own type (./sdk-types.ts), so a value
// Samsara lacks fails tsc; test/samsara-mapping.test.ts checks them against the SDK's runtime enums. The
// Samsara sandbox keeps its own vocabulary, generated from the SDK, and reads nothing here.
import type { SamsaraCycle, SamsaraLocale, SamsaraRestart, SamsaraRestbreak } from './sdk-types.ts';

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
] as const satisfies readonly SamsaraCycle[];
export type { SamsaraCycle, SamsaraRestart, SamsaraRestbreak, SamsaraLocale } from './sdk-types.ts';

/** `usDriverRulesetOverride.restart` [doc]. */
export const SAMSARA_RESTARTS = ['34-hour Restart', '24-hour Restart', '36-hour Restart', '72-hour Restart', 'None'] as const satisfies readonly SamsaraRestart[];

/** `usDriverRulesetOverride.restbreak` [doc]. */
export const SAMSARA_RESTBREAKS = ['Property (off-duty/sleeper)', 'California Mealbreak (off-duty/sleeper)', 'None'] as const satisfies readonly SamsaraRestbreak[];

/** US states and DC (two-letter USPS codes). */
export const US_STATE_CODES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH',
  'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
] as const;
export const US_TERRITORY_CODES = ['PR', 'GU', 'VI', 'AS', 'MP'] as const;
export const CA_PROVINCE_CODES = ['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT'] as const;

/** `licenseState` [doc]: "US state, Canadian province, or US territory that issued driver's license". */
export const SAMSARA_LICENSE_STATES: ReadonlySet<string> = new Set([
  ...US_STATE_CODES,
  ...US_TERRITORY_CODES,
  ...CA_PROVINCE_CODES,
]);

/** `locale` [doc]: "ISO 3166-2 country codes for supported locales". */
export const SAMSARA_LOCALES = ['us', 'at', 'be', 'ca', 'gb', 'fr', 'de', 'ie', 'it', 'lu', 'mx', 'nl', 'es', 'ch', 'pr'] as const satisfies readonly SamsaraLocale[];

/** ISO-3166-1 alpha-3 → the Samsara locale of that country (only countries Samsara has a locale for). */
export const SAMSARA_LOCALE_FOR_ALPHA3: Readonly<Record<string, SamsaraLocale>> = {
  USA: 'us', AUT: 'at', BEL: 'be', CAN: 'ca', GBR: 'gb', FRA: 'fr', DEU: 'de', IRL: 'ie', ITA: 'it',
  LUX: 'lu', MEX: 'mx', NLD: 'nl', ESP: 'es', CHE: 'ch', PRI: 'pr',
};

/** The externalIds key fleetgate writes its own resource id under (the (key, value) pair is unique). */
export const SAMSARA_EXTERNAL_ID_KEY = 'fleetgate';

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
