// Unit conversions of the Motive fuel purchase mapping. Motive's pages show one volume unit, "gal"
// (fuel_unit "e.g., gal"), and one odometer unit, "mi" (odometer_unit "e.g., mi"), and an integer
// odometer ("Integer or Null"): https://developer.gomotive.com/reference/create-a-new-fuel-purchase-transaction.
// Every Catena unit is converted to those by the exact definitions (NIST SP 811 / the international yard
// and pound agreement of 1959; the UK Weights and Measures Act 1985 for the imperial gallon):
//   1 US gallon = 3.785411784 L, 1 imperial gallon = 4.54609 L, 1 m³ = 1000 L; 1 mile = 1609.344 m.
// "gal" is read as the US gallon [inference: Motive is a US fleet platform and its fuel purchases feed
// IFTA reports, which count US gallons].
import type { DistanceUnit, FuelVolumeUnit } from '../../../contract/enums.ts';

export const LITRES_PER: Readonly<Record<FuelVolumeUnit, number>> = {
  CUBIC_METER: 1000,
  LITER: 1,
  US_GALLON: 3.785411784,
  IMPERIAL_GALLON: 4.54609,
};

export const METRES_PER: Readonly<Record<DistanceUnit, number>> = {
  miles: 1609.344,
  meters: 1,
  kilo_meters: 1000,
};

/**
 * A volume in US gallons. Six decimals (a few microlitres) drop only the float noise of the division
 * (37.85411784 L is 10 gal, not 9.999999999999998); a volume already in US gallons is sent as given.
 */
export function toUsGallons(volume: number, unit: FuelVolumeUnit): number {
  if (unit === 'US_GALLON') return volume;
  return Math.round(((volume * LITRES_PER[unit]) / LITRES_PER.US_GALLON) * 1e6) / 1e6;
}

/** An odometer reading in whole miles (Motive's odometer is an integer): converted exactly, then rounded. */
export const toWholeMiles = (value: number, unit: DistanceUnit): number => Math.round((value * METRES_PER[unit]) / METRES_PER.miles);
