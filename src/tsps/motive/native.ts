// Motive (KeepTruckin) API v1 native vocabulary for POST/PUT /v1/users.
// Sources: shared/seeds/motive-create-user.txt (the vendor's example body) and
// shared/reference/providers.md (Motive section). The adapter's own: the Motive sandbox keeps its
// vocabulary apart (src/sandbox/motive/vendor.ts), so it can disagree with these lists when they are
// wrong; test/motive-contract.test.ts compares the two.

/**
 * Motive's `time_zone` takes Rails ActiveSupport::TimeZone names, not IANA ids (providers.md).
 * This is ActiveSupport::TimeZone::MAPPING (Rails 7.x), name → the tzinfo id Rails resolves it to,
 * in Rails' own order. Several names share one IANA id ("Edinburgh"/"London"), that is Rails' doing.
 */
export const MOTIVE_TIME_ZONES: ReadonlyArray<{ readonly name: string; readonly iana: string }> = [
  { name: 'International Date Line West', iana: 'Etc/GMT+12' },
  { name: 'Midway Island', iana: 'Pacific/Midway' },
  { name: 'American Samoa', iana: 'Pacific/Pago_Pago' },
  { name: 'Hawaii', iana: 'Pacific/Honolulu' },
  { name: 'Alaska', iana: 'America/Juneau' },
  { name: 'Pacific Time (US & Canada)', iana: 'America/Los_Angeles' },
  { name: 'Tijuana', iana: 'America/Tijuana' },
  { name: 'Mountain Time (US & Canada)', iana: 'America/Denver' },
  { name: 'Arizona', iana: 'America/Phoenix' },
  { name: 'Chihuahua', iana: 'America/Chihuahua' },
  { name: 'Mazatlan', iana: 'America/Mazatlan' },
  { name: 'Central Time (US & Canada)', iana: 'America/Chicago' },
  { name: 'Saskatchewan', iana: 'America/Regina' },
  { name: 'Guadalajara', iana: 'America/Mexico_City' },
  { name: 'Mexico City', iana: 'America/Mexico_City' },
  { name: 'Monterrey', iana: 'America/Monterrey' },
  { name: 'Central America', iana: 'America/Guatemala' },
  { name: 'Eastern Time (US & Canada)', iana: 'America/New_York' },
  { name: 'Indiana (East)', iana: 'America/Indiana/Indianapolis' },
  { name: 'Bogota', iana: 'America/Bogota' },
  { name: 'Lima', iana: 'America/Lima' },
  { name: 'Quito', iana: 'America/Lima' },
  { name: 'Atlantic Time (Canada)', iana: 'America/Halifax' },
  { name: 'Caracas', iana: 'America/Caracas' },
  { name: 'La Paz', iana: 'America/La_Paz' },
  { name: 'Santiago', iana: 'America/Santiago' },
  { name: 'Newfoundland', iana: 'America/St_Johns' },
  { name: 'Brasilia', iana: 'America/Sao_Paulo' },
  { name: 'Buenos Aires', iana: 'America/Argentina/Buenos_Aires' },
  { name: 'Montevideo', iana: 'America/Montevideo' },
  { name: 'Georgetown', iana: 'America/Guyana' },
  { name: 'Puerto Rico', iana: 'America/Puerto_Rico' },
  { name: 'Greenland', iana: 'America/Godthab' },
  { name: 'Mid-Atlantic', iana: 'Atlantic/South_Georgia' },
  { name: 'Azores', iana: 'Atlantic/Azores' },
  { name: 'Cape Verde Is.', iana: 'Atlantic/Cape_Verde' },
  { name: 'Dublin', iana: 'Europe/Dublin' },
  { name: 'Edinburgh', iana: 'Europe/London' },
  { name: 'Lisbon', iana: 'Europe/Lisbon' },
  { name: 'London', iana: 'Europe/London' },
  { name: 'Casablanca', iana: 'Africa/Casablanca' },
  { name: 'Monrovia', iana: 'Africa/Monrovia' },
  { name: 'UTC', iana: 'Etc/UTC' },
  { name: 'Belgrade', iana: 'Europe/Belgrade' },
  { name: 'Bratislava', iana: 'Europe/Bratislava' },
  { name: 'Budapest', iana: 'Europe/Budapest' },
  { name: 'Ljubljana', iana: 'Europe/Ljubljana' },
  { name: 'Prague', iana: 'Europe/Prague' },
  { name: 'Sarajevo', iana: 'Europe/Sarajevo' },
  { name: 'Skopje', iana: 'Europe/Skopje' },
  { name: 'Warsaw', iana: 'Europe/Warsaw' },
  { name: 'Zagreb', iana: 'Europe/Zagreb' },
  { name: 'Brussels', iana: 'Europe/Brussels' },
  { name: 'Copenhagen', iana: 'Europe/Copenhagen' },
  { name: 'Madrid', iana: 'Europe/Madrid' },
  { name: 'Paris', iana: 'Europe/Paris' },
  { name: 'Amsterdam', iana: 'Europe/Amsterdam' },
  { name: 'Berlin', iana: 'Europe/Berlin' },
  { name: 'Bern', iana: 'Europe/Zurich' },
  { name: 'Zurich', iana: 'Europe/Zurich' },
  { name: 'Rome', iana: 'Europe/Rome' },
  { name: 'Stockholm', iana: 'Europe/Stockholm' },
  { name: 'Vienna', iana: 'Europe/Vienna' },
  { name: 'West Central Africa', iana: 'Africa/Algiers' },
  { name: 'Bucharest', iana: 'Europe/Bucharest' },
  { name: 'Cairo', iana: 'Africa/Cairo' },
  { name: 'Helsinki', iana: 'Europe/Helsinki' },
  { name: 'Kyiv', iana: 'Europe/Kiev' },
  { name: 'Riga', iana: 'Europe/Riga' },
  { name: 'Sofia', iana: 'Europe/Sofia' },
  { name: 'Tallinn', iana: 'Europe/Tallinn' },
  { name: 'Vilnius', iana: 'Europe/Vilnius' },
  { name: 'Athens', iana: 'Europe/Athens' },
  { name: 'Istanbul', iana: 'Europe/Istanbul' },
  { name: 'Minsk', iana: 'Europe/Minsk' },
  { name: 'Jerusalem', iana: 'Asia/Jerusalem' },
  { name: 'Harare', iana: 'Africa/Harare' },
  { name: 'Pretoria', iana: 'Africa/Johannesburg' },
  { name: 'Kaliningrad', iana: 'Europe/Kaliningrad' },
  { name: 'Moscow', iana: 'Europe/Moscow' },
  { name: 'St. Petersburg', iana: 'Europe/Moscow' },
  { name: 'Volgograd', iana: 'Europe/Volgograd' },
  { name: 'Samara', iana: 'Europe/Samara' },
  { name: 'Kuwait', iana: 'Asia/Kuwait' },
  { name: 'Riyadh', iana: 'Asia/Riyadh' },
  { name: 'Nairobi', iana: 'Africa/Nairobi' },
  { name: 'Baghdad', iana: 'Asia/Baghdad' },
  { name: 'Tehran', iana: 'Asia/Tehran' },
  { name: 'Abu Dhabi', iana: 'Asia/Muscat' },
  { name: 'Muscat', iana: 'Asia/Muscat' },
  { name: 'Baku', iana: 'Asia/Baku' },
  { name: 'Tbilisi', iana: 'Asia/Tbilisi' },
  { name: 'Yerevan', iana: 'Asia/Yerevan' },
  { name: 'Kabul', iana: 'Asia/Kabul' },
  { name: 'Ekaterinburg', iana: 'Asia/Yekaterinburg' },
  { name: 'Islamabad', iana: 'Asia/Karachi' },
  { name: 'Karachi', iana: 'Asia/Karachi' },
  { name: 'Tashkent', iana: 'Asia/Tashkent' },
  { name: 'Chennai', iana: 'Asia/Kolkata' },
  { name: 'Kolkata', iana: 'Asia/Kolkata' },
  { name: 'Mumbai', iana: 'Asia/Kolkata' },
  { name: 'New Delhi', iana: 'Asia/Kolkata' },
  { name: 'Kathmandu', iana: 'Asia/Kathmandu' },
  { name: 'Astana', iana: 'Asia/Dhaka' },
  { name: 'Dhaka', iana: 'Asia/Dhaka' },
  { name: 'Sri Jayawardenepura', iana: 'Asia/Colombo' },
  { name: 'Almaty', iana: 'Asia/Almaty' },
  { name: 'Novosibirsk', iana: 'Asia/Novosibirsk' },
  { name: 'Rangoon', iana: 'Asia/Rangoon' },
  { name: 'Bangkok', iana: 'Asia/Bangkok' },
  { name: 'Hanoi', iana: 'Asia/Bangkok' },
  { name: 'Jakarta', iana: 'Asia/Jakarta' },
  { name: 'Krasnoyarsk', iana: 'Asia/Krasnoyarsk' },
  { name: 'Beijing', iana: 'Asia/Shanghai' },
  { name: 'Chongqing', iana: 'Asia/Chongqing' },
  { name: 'Hong Kong', iana: 'Asia/Hong_Kong' },
  { name: 'Urumqi', iana: 'Asia/Urumqi' },
  { name: 'Kuala Lumpur', iana: 'Asia/Kuala_Lumpur' },
  { name: 'Singapore', iana: 'Asia/Singapore' },
  { name: 'Taipei', iana: 'Asia/Taipei' },
  { name: 'Perth', iana: 'Australia/Perth' },
  { name: 'Irkutsk', iana: 'Asia/Irkutsk' },
  { name: 'Ulaanbaatar', iana: 'Asia/Ulaanbaatar' },
  { name: 'Seoul', iana: 'Asia/Seoul' },
  { name: 'Osaka', iana: 'Asia/Tokyo' },
  { name: 'Sapporo', iana: 'Asia/Tokyo' },
  { name: 'Tokyo', iana: 'Asia/Tokyo' },
  { name: 'Yakutsk', iana: 'Asia/Yakutsk' },
  { name: 'Darwin', iana: 'Australia/Darwin' },
  { name: 'Adelaide', iana: 'Australia/Adelaide' },
  { name: 'Canberra', iana: 'Australia/Melbourne' },
  { name: 'Melbourne', iana: 'Australia/Melbourne' },
  { name: 'Sydney', iana: 'Australia/Sydney' },
  { name: 'Brisbane', iana: 'Australia/Brisbane' },
  { name: 'Hobart', iana: 'Australia/Hobart' },
  { name: 'Vladivostok', iana: 'Asia/Vladivostok' },
  { name: 'Guam', iana: 'Pacific/Guam' },
  { name: 'Port Moresby', iana: 'Pacific/Port_Moresby' },
  { name: 'Magadan', iana: 'Asia/Magadan' },
  { name: 'Srednekolymsk', iana: 'Asia/Srednekolymsk' },
  { name: 'Solomon Is.', iana: 'Pacific/Guadalcanal' },
  { name: 'New Caledonia', iana: 'Pacific/Noumea' },
  { name: 'Fiji', iana: 'Pacific/Fiji' },
  { name: 'Kamchatka', iana: 'Asia/Kamchatka' },
  { name: 'Marshall Is.', iana: 'Pacific/Majuro' },
  { name: 'Auckland', iana: 'Pacific/Auckland' },
  { name: 'Wellington', iana: 'Pacific/Auckland' },
  { name: "Nuku'alofa", iana: 'Pacific/Tongatapu' },
  { name: 'Tokelau Is.', iana: 'Pacific/Fakaofo' },
  { name: 'Chatham Is.', iana: 'Pacific/Chatham' },
  { name: 'Samoa', iana: 'Pacific/Apia' },
];

export const MOTIVE_TIME_ZONE_NAMES: ReadonlySet<string> = new Set(MOTIVE_TIME_ZONES.map((z) => z.name));

/**
 * `cycle` values (providers.md; the vendor list is partly truncated in the source, so this is the
 * documented subset — a value outside it is treated as unknown, never guessed).
 */
export const MOTIVE_CYCLES = [
  '70_8',
  '60_7',
  '70_8_o', // oil and gas
  '60_7_o',
  '70_8_p', // passenger
  '60_7_p',
  '80_8', // California
  '80_8_o',
  '80_8_p',
  'tx_70_7',
  'ak_70_7',
  'ak_80_8',
  'ak_70_7_o',
  'ak_80_8_o',
  'ak_70_7_p',
  'ak_80_8_p',
  '70_7', // Canada cycle 1
  '120_14', // Canada cycle 2
  '80_7', // Canada north of 60, cycle 1
  '120_14_north', // Canada north of 60, cycle 2
  'canada_oil',
] as const;
export type MotiveCycle = (typeof MOTIVE_CYCLES)[number];

export const MOTIVE_VIOLATION_ALERTS = ['never', '15_minutes', '30_minutes', '45_minutes', '1_hour'] as const;
export type MotiveViolationAlert = (typeof MOTIVE_VIOLATION_ALERTS)[number];

export const MOTIVE_DUTY_STATUSES = ['off_duty', 'on_duty', 'sleeper', 'driving', 'waiting'] as const;
export type MotiveDutyStatus = (typeof MOTIVE_DUTY_STATUSES)[number];

export const MOTIVE_ELD_MODES = ['none', 'logs', 'exempt'] as const;
export type MotiveEldMode = (typeof MOTIVE_ELD_MODES)[number];

export const MOTIVE_TIME_TRACKING_MODES = ['logs', 'timecards', 'not_required'] as const;
export type MotiveTimeTrackingMode = (typeof MOTIVE_TIME_TRACKING_MODES)[number];

export const MOTIVE_ROLES = ['driver', 'fleet_user', 'admin'] as const;
export type MotiveRole = (typeof MOTIVE_ROLES)[number];

export const MOTIVE_USER_STATUSES = ['active', 'deactivated'] as const;
export type MotiveUserStatus = (typeof MOTIVE_USER_STATUSES)[number];

/** The six boolean HOS exception fields of the create/update body (seed order). */
export const MOTIVE_EXCEPTION_FLAGS = [
  'exception_24_hour_restart',
  'exception_8_hour_break',
  'exception_wait_time',
  'exception_short_haul',
  'exception_ca_farm_school_bus',
  'exception_adverse_driving',
] as const;
export type MotiveExceptionFlag = (typeof MOTIVE_EXCEPTION_FLAGS)[number];

/**
 * Motive's documented pairing rule: time_tracking_mode `logs` goes with eld_mode `none` or `logs`;
 * `timecards` and `not_required` go with `exempt`; any other pair is rejected by the API.
 */
const ALLOWED_ELD_MODES: Readonly<Record<MotiveTimeTrackingMode, readonly MotiveEldMode[]>> = {
  logs: ['none', 'logs'],
  timecards: ['exempt'],
  not_required: ['exempt'],
};

export function timeTrackingAllowsEldMode(timeTrackingMode: string, eldMode: string): boolean {
  if (!Object.hasOwn(ALLOWED_ELD_MODES, timeTrackingMode)) return false;
  const allowed: readonly string[] = ALLOWED_ELD_MODES[timeTrackingMode as MotiveTimeTrackingMode];
  return allowed.includes(eldMode);
}

/** `integration_name` fleetgate writes in `external_ids_attributes` (the pair is unique per account). */
export const MOTIVE_INTEGRATION_NAME = 'fleetgate';
