// Samsara's driver vocabulary (POST /fleet/drivers, PATCH /fleet/drivers/{id}, GET /fleet/drivers) as
// the sandbox enforces it. The members, their types and every value list (cycles, restarts, rest breaks,
// usStateToOverride, locales, activation statuses) are checked against ./sdk-vocabulary.ts, generated from the
// official SDK (@samsarahq/samsara); nothing here is read from src/tsps, so the sandbox stays an
// independent witness of Samsara's API. What remains by hand are the rules the SDK states only in its
// docstrings, each quoted with the member it documents.
import { sdkEnum } from './sdk-check.ts';

/** PATCH `driverActivationStatus` [sdk: UpdateDriverRequest.DriverActivationStatus]. */
export const ACTIVATION_STATUSES = sdkEnum('UpdateDriverRequest', 'driverActivationStatus');

/** US states and DC, two-letter USPS codes. */
const US_STATE_CODES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH',
  'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
] as const;
/** US territories, USPS codes. */
const US_TERRITORY_CODES = ['PR', 'GU', 'VI', 'AS', 'MP'] as const;
/** Canadian provinces and territories, Canada Post codes. */
const CA_PROVINCE_CODES = ['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT'] as const;

/**
 * `licenseState`: "Abbreviation of US state, Canadian province, or US territory that issued driver's
 * license" [sdk: CreateDriverRequest.licenseState docstring]. The SDK types it a plain string; the codes
 * are the postal abbreviations of those three kinds of place.
 */
export const LICENSE_STATES: ReadonlySet<string> = new Set([...US_STATE_CODES, ...US_TERRITORY_CODES, ...CA_PROVINCE_CODES]);

/**
 * `username`: "The username may not contain spaces or the '@' symbol. The username must be unique"
 * [sdk: CreateDriverRequest.username docstring].
 */
export const USERNAME_FORBIDDEN = /[\s@]/;

/**
 * `eldDayStartHour`: "`0` indicating midnight-to-midnight ELD driving hours, `12` to indicate
 * noon-to-noon driving hours" [sdk: CreateDriverRequest.eldDayStartHour docstring]; the type is a number.
 */
export const ELD_DAY_START_HOURS: readonly number[] = [0, 12];

/**
 * `deactivatedAtTime`: "cannot be more than 6 months in the past ... It will be considered an error if
 * deactivatedAtTime is provided with a driverActivationStatus of active" [sdk: DriversClient.update
 * docstring]. Six months read as 183 days.
 */
export const DEACTIVATED_AT_MAX_AGE_MS = 183 * 24 * 3600_000;

/**
 * GET /fleet/drivers `limit`: "Default and max for this value is 512 objects" [sdk: ListDriversRequest.limit].
 */
export const DRIVER_LIST_MAX_LIMIT = 512;

/**
 * Documented GET /fleet/drivers filters the sandbox does not implement: it keeps no attribute values
 * with ids, so `attributeValueIds` is answered 400, never ignored [sdk: ListDriversRequest].
 */
export const DRIVER_LIST_UNSUPPORTED = ['attributeValueIds'] as const;

const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+$/;
let canonicalZones: ReadonlySet<string> | undefined;

/**
 * `timezone`: "Driver timezones use IANA timezone database keys (e.g. America/Los_Angeles,
 * America/New_York, Europe/London, etc.)" [sdk: CreateDriverRequest.timezone docstring].
 * Intl.supportedValuesOf('timeZone') lists only ICU's canonical ids, which on Node 20 are the *old*
 * names for renamed zones (Asia/Calcutta, Europe/Kiev) and omit UTC and links such as Asia/Kolkata,
 * America/Nipigon. So: a listed id, UTC, or any Area/Location id the platform's tz database resolves
 * (links included).
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
