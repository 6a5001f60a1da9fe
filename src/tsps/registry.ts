// The TSPs fleetgate writes to, by their wire name: one descriptor-built adapter each. The `tsp` enum
// of the API, the per-TSP credential schemas and the TSP catalogue are read off this list.
import { geotabAdapter } from './geotab/index.ts';
import type { TspAdapter, TspRegistry } from './kit/descriptor.ts';
import { motiveAdapter } from './motive/index.ts';
import { samsaraAdapter } from './samsara/index.ts';

export type { TspRegistry } from './kit/descriptor.ts';

export const ADAPTERS: TspRegistry = { motive: motiveAdapter, samsara: samsaraAdapter, geotab: geotabAdapter };
export const TSP_NAMES = Object.keys(ADAPTERS) as [string, ...string[]];

export function adapterFor(tsp: string, registry: TspRegistry = ADAPTERS): TspAdapter | undefined {
  return Object.hasOwn(registry, tsp) ? registry[tsp] : undefined;
}
