// ISO-3166-1 alpha-3 → ITU-T E.164 country calling code: TSP-neutral data for adapters that need a
// calling code the partner did not send (Motive's mandatory `phone_country_code`, required on create
// and update since Feb 2025, providers.md; Samsara's E.164 `phone`), derived from `country_code`.
// Covers at least every country of the seed's time zones (src/contract/enums.ts TIME_ZONES); unknown
// countries are refused, never guessed.
export const CALLING_CODE_FOR_ALPHA3: Readonly<Record<string, string>> = {
  // North America (NANP +1), Central and South America
  USA: '+1', CAN: '+1', PRI: '+1', MEX: '+52', GTM: '+502', BLZ: '+501', HND: '+504', NIC: '+505',
  CRI: '+506', PAN: '+507', SLV: '+503', COL: '+57', PER: '+51', ECU: '+593', VEN: '+58', BOL: '+591',
  CHL: '+56', ARG: '+54', BRA: '+55', URY: '+598', PRY: '+595', GUY: '+592',
  // Europe
  GBR: '+44', IRL: '+353', PRT: '+351', ESP: '+34', FRA: '+33', BEL: '+32', NLD: '+31', LUX: '+352',
  DEU: '+49', CHE: '+41', AUT: '+43', ITA: '+39', DNK: '+45', SWE: '+46', NOR: '+47', CZE: '+420',
  SVK: '+421', HUN: '+36', POL: '+48', FIN: '+358', EST: '+372', LVA: '+371', LTU: '+370', SRB: '+381',
  SVN: '+386', HRV: '+385', BIH: '+387', MKD: '+389', ALB: '+355', BGR: '+359', GRC: '+30', ROU: '+40',
  UKR: '+380', MDA: '+373', TUR: '+90', RUS: '+7', BLR: '+375',
  // Africa
  MAR: '+212', DZA: '+213', TUN: '+216', EGY: '+20', LBY: '+218', NGA: '+234', GHA: '+233', SEN: '+221',
  CIV: '+225', KEN: '+254', TZA: '+255', UGA: '+256', ZAF: '+27', MOZ: '+258', NAM: '+264', ZWE: '+263',
  // Middle East and Asia
  ARE: '+971', SAU: '+966', QAT: '+974', KWT: '+965', BHR: '+973', OMN: '+968', IRQ: '+964', JOR: '+962',
  LBN: '+961', ISR: '+972', AZE: '+994', GEO: '+995', ARM: '+374', KAZ: '+7', UZB: '+998', PAK: '+92',
  IND: '+91', BGD: '+880', LKA: '+94', NPL: '+977', THA: '+66', VNM: '+84', SGP: '+65', MYS: '+60',
  IDN: '+62', PHL: '+63', CHN: '+86', HKG: '+852', TWN: '+886', KOR: '+82', JPN: '+81',
  // Oceania
  AUS: '+61', NZL: '+64',
};

/** A normalized phone_country_code: "+" then 1–4 digits, no leading zero (E.164 country codes). */
export const PHONE_COUNTRY_CODE_PATTERN = /^\+[1-9]\d{0,3}$/;

export function callingCodeFor(alpha3: string | null | undefined): string | null {
  if (alpha3 == null) return null;
  const key = alpha3.toUpperCase();
  return Object.hasOwn(CALLING_CODE_FOR_ALPHA3, key) ? CALLING_CODE_FOR_ALPHA3[key] : null;
}
