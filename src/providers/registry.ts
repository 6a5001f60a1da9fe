// The TSPs fleetgate writes to, by their wire name.
import { motiveAdapter } from './motive/adapter.ts';
import type { TspAdapter } from './types.ts';

export const ADAPTERS: Readonly<Record<string, TspAdapter>> = { motive: motiveAdapter };
export const TSP_NAMES = Object.keys(ADAPTERS) as [string, ...string[]];

export function adapterFor(tsp: string): TspAdapter | undefined {
  return Object.hasOwn(ADAPTERS, tsp) ? ADAPTERS[tsp] : undefined;
}
