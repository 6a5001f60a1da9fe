// ISO 3166-1 alpha-3 (the normalized `country_code`) → alpha-2 (Geotab's `countryCode`, providers.md).
// Covers every country of the seed's time zones (contract/enums.ts TIME_ZONES) and their neighbours;
// test/geotab-mapping.test.ts checks each pair against ICU's region names. An alpha-3 code outside the
// table is refused, never guessed.
export const ALPHA2_FOR_ALPHA3: Readonly<Record<string, string>> = {
  // North, Central and South America, Caribbean
  USA: 'US', CAN: 'CA', MEX: 'MX', PRI: 'PR', GTM: 'GT', BLZ: 'BZ', HND: 'HN', SLV: 'SV', NIC: 'NI',
  CRI: 'CR', PAN: 'PA', COL: 'CO', VEN: 'VE', ECU: 'EC', PER: 'PE', BOL: 'BO', CHL: 'CL', ARG: 'AR',
  URY: 'UY', PRY: 'PY', BRA: 'BR', GUY: 'GY', SUR: 'SR', CUB: 'CU', DOM: 'DO', HTI: 'HT', JAM: 'JM',
  TTO: 'TT', BHS: 'BS', BRB: 'BB', VIR: 'VI', GRL: 'GL', BMU: 'BM',
  // Europe
  GBR: 'GB', IRL: 'IE', PRT: 'PT', ESP: 'ES', FRA: 'FR', BEL: 'BE', NLD: 'NL', LUX: 'LU', DEU: 'DE',
  CHE: 'CH', LIE: 'LI', AUT: 'AT', ITA: 'IT', MLT: 'MT', DNK: 'DK', SWE: 'SE', NOR: 'NO', ISL: 'IS',
  FIN: 'FI', EST: 'EE', LVA: 'LV', LTU: 'LT', POL: 'PL', CZE: 'CZ', SVK: 'SK', HUN: 'HU', SVN: 'SI',
  HRV: 'HR', BIH: 'BA', SRB: 'RS', MNE: 'ME', MKD: 'MK', ALB: 'AL', BGR: 'BG', ROU: 'RO', GRC: 'GR',
  CYP: 'CY', UKR: 'UA', MDA: 'MD', BLR: 'BY', RUS: 'RU', TUR: 'TR', MCO: 'MC', AND: 'AD', SMR: 'SM',
  // Africa
  MAR: 'MA', DZA: 'DZ', TUN: 'TN', LBY: 'LY', EGY: 'EG', NGA: 'NG', GHA: 'GH', SEN: 'SN', CIV: 'CI',
  KEN: 'KE', TZA: 'TZ', UGA: 'UG', RWA: 'RW', ETH: 'ET', ZAF: 'ZA', MOZ: 'MZ', NAM: 'NA', BWA: 'BW',
  ZWE: 'ZW', ZMB: 'ZM', AGO: 'AO', CMR: 'CM',
  // Middle East, Caucasus and Asia
  ARE: 'AE', SAU: 'SA', QAT: 'QA', KWT: 'KW', BHR: 'BH', OMN: 'OM', IRQ: 'IQ', JOR: 'JO', LBN: 'LB',
  ISR: 'IL', PSE: 'PS', SYR: 'SY', IRN: 'IR', AZE: 'AZ', GEO: 'GE', ARM: 'AM', KAZ: 'KZ', UZB: 'UZ',
  KGZ: 'KG', TJK: 'TJ', TKM: 'TM', AFG: 'AF', PAK: 'PK', IND: 'IN', BGD: 'BD', LKA: 'LK', NPL: 'NP',
  BTN: 'BT', MMR: 'MM', THA: 'TH', LAO: 'LA', KHM: 'KH', VNM: 'VN', SGP: 'SG', MYS: 'MY', IDN: 'ID',
  PHL: 'PH', BRN: 'BN', CHN: 'CN', HKG: 'HK', MAC: 'MO', TWN: 'TW', KOR: 'KR', JPN: 'JP', MNG: 'MN',
  // Oceania
  AUS: 'AU', NZL: 'NZ', PNG: 'PG', FJI: 'FJ', GUM: 'GU',
};

export function alpha2For(alpha3: string): string | null {
  const key = alpha3.toUpperCase();
  return Object.hasOwn(ALPHA2_FOR_ALPHA3, key) ? ALPHA2_FOR_ALPHA3[key] : null;
}
