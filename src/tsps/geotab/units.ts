// Exact unit conversion for the Geotab fuel and DVIR mappings: Geotab keeps a fuel transaction's volume in
// litres and its odometer in km (FuelEvent "volume of fuel purchased in Liters", "odometer reading in km",
// fairfleet/geotab Fuel/FuelEvent.ts), a DVIR log's odometer in metres (developers.geotab.com DVIRLog
// "Odometer … The unit is in meters (m)"). The factors are the exact definitions: 1 US gallon = 3.785411784 L,
// 1 imperial gallon = 4.54609 L, 1 m³ = 1000 L, 1 mile = 1.609344 km. The product is computed in decimal
// (BigInt digits and a scale), then read as the nearest double: 10 US gallons are 37.85411784 L, not the
// 37.854117840000004 a float multiplication gives.

interface Decimal {
  digits: bigint;
  scale: number;
}

/** A finite number as its exact shortest decimal (what String() prints, exponent form included). */
function decimalOf(value: number): Decimal {
  const [mantissa, exponentPart] = String(value).toLowerCase().split('e');
  const exponent = exponentPart === undefined ? 0 : Number(exponentPart);
  const negative = mantissa!.startsWith('-');
  const [whole, fraction = ''] = mantissa!.replace('-', '').split('.');
  const digits = BigInt(`${whole}${fraction}`) * (negative ? -1n : 1n);
  const scale = fraction.length - exponent;
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 };
}

function numberOf({ digits, scale }: Decimal): number {
  const negative = digits < 0n;
  const text = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
  const point = text.length - scale;
  return Number(`${negative ? '-' : ''}${text.slice(0, point)}${scale > 0 ? `.${text.slice(point)}` : ''}`);
}

/** value × factor, exactly, as the nearest double. `factor` is a decimal literal ("3.785411784"). */
export function times(value: number, factor: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const a = decimalOf(value);
  const [whole, fraction = ''] = factor.split('.');
  return numberOf({ digits: a.digits * BigInt(`${whole}${fraction}`), scale: a.scale + fraction.length });
}

/** Litres per unit of Catena's FuelVolumeUnitEnum. */
export const LITRES_PER = { LITER: '1', US_GALLON: '3.785411784', IMPERIAL_GALLON: '4.54609', CUBIC_METER: '1000' } as const;

/** Kilometres and metres per unit of Catena's DistanceUnitEnum. */
export const KM_PER = { kilo_meters: '1', miles: '1.609344', meters: '0.001' } as const;
export const METRES_PER = { meters: '1', kilo_meters: '1000', miles: '1609.344' } as const;
