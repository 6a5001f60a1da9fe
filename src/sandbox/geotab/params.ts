// Reading the `params` every entity method shares (Add/Set `entity`, Get `resultsLimit`), the same way for
// each entity type the sandbox serves.
import { argumentError } from './errors.ts';

export type Params = Record<string, unknown>;
export const isObject = (v: unknown): v is Params => typeof v === 'object' && v !== null && !Array.isArray(v);

export function entityOf(params: Params): Params {
  if (!isObject(params.entity)) throw argumentError("'entity' must be an object");
  return params.entity;
}

export function resultsLimit(params: Params): number | undefined {
  const limit = params.resultsLimit;
  if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 0)) {
    throw argumentError("'resultsLimit' must be a non-negative integer");
  }
  return limit as number | undefined;
}
