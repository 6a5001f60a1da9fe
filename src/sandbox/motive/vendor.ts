// Motive (formerly KeepTruckin) API v1 vocabulary for POST/PUT /v1/users, as Motive defines it.
// The sandbox is an independent witness of Motive's API: every list here is taken from Motive's own
// material (developer docs, the vendor's example body, the framework its API is built on), never from
// the adapter under src/tsps, so the fake can disagree with the adapter when the adapter is wrong.
// Sources:
//   [users-overview] https://developer.gomotive.com/reference/users-overview (cycle table)
//   [create-user]    https://developer.gomotive.com/reference/create-a-new-user (roles, eld/time-tracking rule;
//                    same rule on https://developer-docs.gomotive.com/reference/update-an-existing-user)
//   [seed]           shared/seeds/motive-create-user.txt, Motive's own example body for POST /v1/users
//   [providers]      shared/reference/providers.md, Motive section (vendor facts tagged [doc])

/**
 * `time_zone` takes Rails ActiveSupport::TimeZone names, not IANA ids [providers]. These are the keys
 * of ActiveSupport::TimeZone::MAPPING, in Rails' order: rails/rails
 * activesupport/lib/active_support/values/time_zone.rb. Only the names matter to the API (the tzinfo id
 * each resolves to is Rails' business), so only the names are kept.
 */
export const TIME_ZONE_NAMES: ReadonlySet<string> = new Set([
  'International Date Line West', 'Midway Island', 'American Samoa', 'Hawaii', 'Alaska',
  'Pacific Time (US & Canada)', 'Tijuana', 'Mountain Time (US & Canada)', 'Arizona', 'Chihuahua', 'Mazatlan',
  'Central Time (US & Canada)', 'Saskatchewan', 'Guadalajara', 'Mexico City', 'Monterrey', 'Central America',
  'Eastern Time (US & Canada)', 'Indiana (East)', 'Bogota', 'Lima', 'Quito', 'Atlantic Time (Canada)',
  'Caracas', 'La Paz', 'Santiago', 'Newfoundland', 'Brasilia', 'Buenos Aires', 'Montevideo', 'Georgetown',
  'Puerto Rico', 'Greenland', 'Mid-Atlantic', 'Azores', 'Cape Verde Is.', 'Dublin', 'Edinburgh', 'Lisbon',
  'London', 'Casablanca', 'Monrovia', 'UTC', 'Belgrade', 'Bratislava', 'Budapest', 'Ljubljana', 'Prague',
  'Sarajevo', 'Skopje', 'Warsaw', 'Zagreb', 'Brussels', 'Copenhagen', 'Madrid', 'Paris', 'Amsterdam', 'Berlin',
  'Bern', 'Zurich', 'Rome', 'Stockholm', 'Vienna', 'West Central Africa', 'Bucharest', 'Cairo', 'Helsinki',
  'Kyiv', 'Riga', 'Sofia', 'Tallinn', 'Vilnius', 'Athens', 'Istanbul', 'Minsk', 'Jerusalem', 'Harare',
  'Pretoria', 'Kaliningrad', 'Moscow', 'St. Petersburg', 'Volgograd', 'Samara', 'Kuwait', 'Riyadh', 'Nairobi',
  'Baghdad', 'Tehran', 'Abu Dhabi', 'Muscat', 'Baku', 'Tbilisi', 'Yerevan', 'Kabul', 'Ekaterinburg',
  'Islamabad', 'Karachi', 'Tashkent', 'Chennai', 'Kolkata', 'Mumbai', 'New Delhi', 'Kathmandu', 'Astana',
  'Dhaka', 'Sri Jayawardenepura', 'Almaty', 'Novosibirsk', 'Rangoon', 'Bangkok', 'Hanoi', 'Jakarta',
  'Krasnoyarsk', 'Beijing', 'Chongqing', 'Hong Kong', 'Urumqi', 'Kuala Lumpur', 'Singapore', 'Taipei', 'Perth',
  'Irkutsk', 'Ulaanbaatar', 'Seoul', 'Osaka', 'Sapporo', 'Tokyo', 'Yakutsk', 'Darwin', 'Adelaide', 'Canberra',
  'Melbourne', 'Sydney', 'Brisbane', 'Hobart', 'Vladivostok', 'Guam', 'Port Moresby', 'Magadan',
  'Srednekolymsk', 'Solomon Is.', 'New Caledonia', 'Fiji', 'Kamchatka', 'Marshall Is.', 'Auckland',
  'Wellington', "Nuku'alofa", 'Tokelau Is.', 'Chatham Is.', 'Samoa',
]);

/**
 * `cycle` API values. The US, California, Texas and Alaska rows are the "Cycle API Value" column of
 * [users-overview], in its order. Motive's table is cut short in the copies available here after
 * `ak_70_7_p`; `ak_80_8_p` and the Canadian values (`70_7` cycle 1, `120_14` cycle 2, `80_7` /
 * `120_14_north` north of 60, `canada_oil`) come from [providers], which cites a third-party mirror of
 * the same table. A value outside this list is unknown, never guessed.
 */
export const CYCLES = [
  '70_8', // USA Property 70 hour / 8 day
  '60_7', // USA Property 60 hour / 7 day
  '70_8_o', // USA Oil and Gas 70 hour / 8 day
  '60_7_o', // USA Oil and Gas 60 hour / 7 day
  '70_8_p', // USA Passenger 70 hour / 8 day
  '60_7_p', // USA Passenger 60 hour / 7 day
  '80_8', // California Property 80 hour / 8 day
  '80_8_o', // California Oil and Gas 80 hour / 8 day
  '80_8_p', // California Passenger 80 hour / 8 day
  'tx_70_7', // Texas 70 hour / 7 day
  'ak_70_7', // Alaska Property 70 hour / 7 day
  'ak_80_8', // Alaska Property 80 hour / 8 day
  'ak_70_7_o', // Alaska Oil and Gas 70 hour / 7 day
  'ak_80_8_o', // Alaska Oil and Gas 80 hour / 8 day
  'ak_70_7_p', // Alaska Passenger 70 hour / 7 day
  'ak_80_8_p', // Alaska Passenger 80 hour / 8 day
  '70_7', // Canada cycle 1
  '120_14', // Canada cycle 2
  '80_7', // Canada north of 60, cycle 1
  '120_14_north', // Canada north of 60, cycle 2
  'canada_oil',
] as const;

/**
 * `violation_alerts` [providers]; the seed sends "1_hour" [seed].
 * DISAGREES WITH VENDOR (weak evidence): Motive's "Search for a specific user" response documents
 * violation_alerts as "Frequency of violation alerts (e.g., 1_hour, 2_hours)"
 * (https://developer.gomotive.com/reference/search-for-a-specific-user); `2_hours` is not in this list.
 */
export const VIOLATION_ALERTS = ['never', '15_minutes', '30_minutes', '45_minutes', '1_hour'] as const;

/** `duty_status` [providers]; the seed sends "off_duty" [seed]. */
export const DUTY_STATUSES = ['off_duty', 'on_duty', 'sleeper', 'driving', 'waiting'] as const;

/** `eld_mode`: the ELD Mode column of the time_tracking_mode table in [create-user] (None, Logs, Exempt). */
export const ELD_MODES = ['none', 'logs', 'exempt'] as const;
type EldMode = (typeof ELD_MODES)[number];

/** `time_tracking_mode`: the Time Tracking Mode column of the same table (Logs, Timecards, Not_required). */
export const TIME_TRACKING_MODES = ['logs', 'timecards', 'not_required'] as const;
type TimeTrackingMode = (typeof TIME_TRACKING_MODES)[number];

/**
 * `role`: "The user can be any one of the following roles: driver, fleet_user, admin" [create-user].
 * DISAGREES WITH VENDOR (Motive's own pages differ): [users-overview] says "User can have one the
 * following three roles: driver, fleet_admin, or fleet_user". The create endpoint's page is followed here.
 */
export const ROLES = ['driver', 'fleet_user', 'admin'] as const;

/** `status` [providers]; the seed sends "active" [seed]. */
export const USER_STATUSES = ['active', 'deactivated'] as const;

/**
 * The six boolean HOS exception fields of the create/update body, in the seed's order [seed]; the
 * "Allowed Exceptions" column of [users-overview] names the same fields.
 */
export const EXCEPTION_FLAGS = [
  'exception_24_hour_restart',
  'exception_8_hour_break',
  'exception_wait_time',
  'exception_short_haul',
  'exception_ca_farm_school_bus',
  'exception_adverse_driving',
] as const;

/**
 * [create-user], "Validation for time_tracking_mode": Logs must match eld_mode None or Logs; Timecards
 * must match Exempt; Not_required must match Exempt. "Only the above-mentioned combinations are valid
 * and rest all are considered invalid. The API will also validate the combinations".
 */
const ELD_MODES_FOR_TIME_TRACKING: Readonly<Record<TimeTrackingMode, readonly EldMode[]>> = {
  logs: ['none', 'logs'],
  timecards: ['exempt'],
  not_required: ['exempt'],
};

export function timeTrackingAllowsEldMode(timeTrackingMode: string, eldMode: string): boolean {
  if (!Object.hasOwn(ELD_MODES_FOR_TIME_TRACKING, timeTrackingMode)) return false;
  const allowed: readonly string[] = ELD_MODES_FOR_TIME_TRACKING[timeTrackingMode as TimeTrackingMode];
  return allowed.includes(eldMode);
}
