// The TSPs fleetgate writes to, by their wire name.
import { geotabAdapter } from './geotab/adapter.ts';
import { motiveAdapter } from './motive/adapter.ts';
import { samsaraAdapter } from './samsara/adapter.ts';
import type { TspAdapter } from './kit/types.ts';

export const ADAPTERS: Readonly<Record<string, TspAdapter>> = { motive: motiveAdapter, samsara: samsaraAdapter, geotab: geotabAdapter };
export const TSP_NAMES = Object.keys(ADAPTERS) as [string, ...string[]];

export function adapterFor(tsp: string): TspAdapter | undefined {
  return Object.hasOwn(ADAPTERS, tsp) ? ADAPTERS[tsp] : undefined;
}
