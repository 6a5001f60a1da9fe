// Value checks every Samsara sandbox model shares (drivers, assets, trailers): each throws Samsara's
// 400 `{"message", "requestId"}` naming the field, the way the API answers a bad body.
import { badRequest } from './errors.ts';

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string of at most `max` characters (Infinity where Samsara documents no limit). */
export function str(field: string, value: unknown, max: number, opts: { nonEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') throw badRequest(`Invalid value for ${field}: must be a string`);
  if (opts.nonEmpty && value.trim() === '') throw badRequest(`Invalid value for ${field}: must not be empty`);
  if (value.length > max) throw badRequest(`Invalid value for ${field}: must be at most ${max} characters`);
  return value;
}

export function oneOf(field: string, value: unknown, allowed: Iterable<string>): string {
  const set = new Set(allowed);
  if (typeof value !== 'string' || !set.has(value)) {
    throw badRequest(`Invalid value for ${field}: ${JSON.stringify(value)} is not one of the allowed values`);
  }
  return value;
}

export function bool(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw badRequest(`Invalid value for ${field}: must be a boolean`);
  return value;
}

export function int(field: string, value: unknown, opts: { min?: number } = {}): number {
  if (!Number.isSafeInteger(value) || (opts.min !== undefined && (value as number) < opts.min)) {
    throw badRequest(`Invalid value for ${field}: must be an integer${opts.min !== undefined ? ` of at least ${opts.min}` : ''}`);
  }
  return value as number;
}

/** A repeated query parameter reads as its first value; empty means absent. */
export function queryString(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/** A comma-separated list parameter; a repeated parameter contributes all its values. */
export function listParam(query: Record<string, unknown>, name: string): string[] | undefined {
  const raw = query[name];
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && v !== '');
  const items = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return items.length > 0 ? items : undefined;
}
