// Exact unit conversion for Samsara's litre field (fuelQuantityLiters is a decimal *string*, SDK
// post_fuel_purchase). A partner's number is read as the decimal it was written as (JavaScript's
// shortest round-trip form of the double, e.g. 12.5) and multiplied by the factor in decimal, with
// BigInt, so 12.5 US gal is "47.3176473" L, not 47.317647300000004. Factors are exact by definition:
// 1 US gallon = 231 in³ = 3.785411784 L; 1 imperial gallon = 4.54609 L (UK Weights and Measures Act
// 1985); 1 m³ = 1000 L.
import type { FuelVolumeUnit } from '../../../contract/enums.ts';

export const LITRES_PER_UNIT: Readonly<Record<FuelVolumeUnit, string>> = {
  LITER: '1',
  US_GALLON: '3.785411784',
  IMPERIAL_GALLON: '4.54609',
  CUBIC_METER: '1000',
};

interface Decimal {
  negative: boolean;
  digits: bigint;
  /** Digits after the point. */
  scale: number;
}

const NUMBER_FORM = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

/** A decimal from a finite number's shortest form or a plain decimal string ("3.785411784"). */
function parse(value: number | string): Decimal {
  const m = NUMBER_FORM.exec(String(value));
  if (!m) throw new Error(`not a finite decimal: ${String(value)}`);
  const [, sign, whole, fraction = '', exponent = '0'] = m;
  const scale = fraction.length - Number(exponent);
  const digits = BigInt(whole + fraction);
  return scale >= 0 ? { negative: sign === '-', digits, scale } : { negative: sign === '-', digits: digits * 10n ** BigInt(-scale), scale: 0 };
}

/** Plain decimal notation, no exponent, no trailing zeros after the point ("47.3176473", "5", "0.0001"). */
function format(d: Decimal): string {
  let text = d.digits.toString().padStart(d.scale + 1, '0');
  let scale = d.scale;
  while (scale > 0 && text.endsWith('0')) {
    text = text.slice(0, -1);
    scale--;
  }
  const whole = text.slice(0, text.length - scale);
  const fraction = text.slice(text.length - scale);
  const sign = d.negative && d.digits !== 0n ? '-' : '';
  return `${sign}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

/** A finite number in plain decimal notation (1e-7 → "0.0000001"), as Samsara's decimal strings take it. */
export const plainDecimal = (value: number): string => format(parse(value));

/** `value` × `factor`, exactly, in plain decimal notation. */
export function times(value: number, factor: string): string {
  const a = parse(value);
  const b = parse(factor);
  return format({ negative: a.negative !== b.negative, digits: a.digits * b.digits, scale: a.scale + b.scale });
}

/** The volume in litres, exactly, as the decimal string fuelQuantityLiters carries. */
export const litres = (volume: number, unit: FuelVolumeUnit): string => times(volume, LITRES_PER_UNIT[unit]);
