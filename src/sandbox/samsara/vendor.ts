// Samsara Fleet API vocabulary for POST /fleet/drivers and PATCH /fleet/drivers/{id}, as Samsara
// defines it. The sandbox is an independent witness of Samsara's API: every list here comes from
// Samsara's official SDK, never from the adapter under src/tsps, so the fake can disagree with the
// adapter when the adapter is wrong.
// Source [sdk]: Samsara's official .NET SDK, github.com/samsarahq/samsara-dotnet (Fern-generated from
// Samsara's OpenAPI document), files under src/Samsara.Net/. The Ruby gem samsara_api
// (rubydoc.info/gems/samsara_api, Samsara::Types::UsDriverRulesetOverride*) carries the same enums.

/** `usDriverRulesetOverride.cycle` [sdk: Types/UsDriverRulesetOverrideCycle.cs], in the SDK's order. */
export const CYCLES = [
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

/** `usDriverRulesetOverride.restart` [sdk: Types/UsDriverRulesetOverrideRestart.cs]. */
export const RESTARTS = ['34-hour Restart', '24-hour Restart', '36-hour Restart', '72-hour Restart', 'None'] as const;

/** `usDriverRulesetOverride.restbreak` [sdk: Types/UsDriverRulesetOverrideRestbreak.cs]. */
export const RESTBREAKS = ['Property (off-duty/sleeper)', 'California Mealbreak (off-duty/sleeper)', 'None'] as const;

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
 * `usDriverRulesetOverride.usStateToOverride`: "" (the US Federal jurisdiction) or a state code.
 * DISAGREES WITH VENDOR: [sdk: Types/UsDriverRulesetOverrideUsStateToOverride.cs] and the docstring
 * of `usStateToOverride` in Types/UsDriverRulesetOverride.cs allow only "", AK, CA, FL, NE, NC, OK, OR,
 * SC, TX, WI ("the ISO 3166-2 postal code for the supported US states, or empty string '' for US Federal
 * Ruleset jurisdiction"). This set accepts every state and DC, so the sandbox takes e.g. "NY" where
 * Samsara would not. Kept as it is until the fidelity issue decides.
 */
export const OVERRIDE_STATES: ReadonlySet<string> = new Set(['', ...US_STATE_CODES]);

/**
 * `licenseState`: "Abbreviation of US state, Canadian province, or US territory that issued driver's
 * license" [sdk: Drivers/Requests/CreateDriverRequest.cs]. The SDK has no enum; the codes are the postal
 * abbreviations of those three kinds of place.
 */
export const LICENSE_STATES: ReadonlySet<string> = new Set([
  ...US_STATE_CODES,
  ...US_TERRITORY_CODES,
  ...CA_PROVINCE_CODES,
]);

/**
 * `locale`: "ISO 3166-2 country codes for supported locales. Valid values: us, at, be, ca, gb, fr, de,
 * ie, it, lu, mx, nl, es, ch, pr" [sdk: Drivers/Types/CreateDriverRequestLocale.cs].
 */
export const LOCALES = [
  'us', 'at', 'be', 'ca', 'gb', 'fr', 'de', 'ie', 'it', 'lu', 'mx', 'nl', 'es', 'ch', 'pr',
] as const;

/** PATCH `driverActivationStatus` [sdk: Drivers/Types/UpdateDriverRequestDriverActivationStatus.cs]. */
export const ACTIVATION_STATUSES = ['active', 'deactivated'] as const;

/** The boolean driver fields of CreateDriverRequest / UpdateDriverRequest [sdk: Drivers/Requests/]. */
export const BOOLEAN_FIELDS = [
  'eldExempt',
  'eldAdverseWeatherExemptionEnabled',
  'eldBigDayExemptionEnabled',
  'eldPcEnabled',
  'eldYmEnabled',
  'waitingTimeDutyStatusEnabled',
] as const;

/**
 * `username`: "The username may not contain spaces or the '@' symbol. The username must be unique"
 * [sdk: Drivers/Requests/CreateDriverRequest.cs].
 */
export const USERNAME_FORBIDDEN = /[\s@]/;

const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+$/;
let canonicalZones: ReadonlySet<string> | undefined;

/**
 * `timezone`: "Driver timezones use IANA timezone database keys (e.g. America/Los_Angeles,
 * America/New_York, Europe/London, etc.)" [sdk: Drivers/Requests/CreateDriverRequest.cs].
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
