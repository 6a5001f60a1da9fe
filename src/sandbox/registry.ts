// The built-in sandboxes, one per TSP: mounted by `fleetgate serve` under /sandbox/<tsp> and runnable
// alone with `fleetgate simulate <tsp>`.
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createGeotabSandboxState, geotabSandboxPlugin, startGeotabSandbox } from './geotab/index.ts';
import { createMotiveSandboxState, motiveSandboxPlugin, startMotiveSandbox } from './motive/index.ts';
import { createSamsaraSandboxState, samsaraSandboxPlugin, startSamsaraSandbox } from './samsara/index.ts';

export interface SandboxState {
  /** Flushes the state file, if any. */
  close(): Promise<void>;
}

interface SandboxKind<S extends SandboxState> {
  createState(opts: { stateFile?: string }): Promise<S>;
  plugin(app: FastifyInstance, opts: { state: S }): Promise<void>;
  start(opts: { port: number; host?: string; stateFile?: string }): Promise<{ url: string; close(): Promise<void> }>;
  /** How a person gets going with the standalone server. */
  hint(url: string): string;
}

const kind = <S extends SandboxState>(k: SandboxKind<S>) => k as unknown as SandboxKind<SandboxState>;

export const SANDBOXES = {
  motive: kind({
    createState: createMotiveSandboxState,
    plugin: motiveSandboxPlugin,
    start: startMotiveSandbox,
    hint: (url) => `curl -s -X POST ${url}/_sandbox/accounts   # then: curl -s ${url}/v1/users -H "X-Api-Key: <api_key>"`,
  }),
  samsara: kind({
    createState: createSamsaraSandboxState,
    plugin: samsaraSandboxPlugin,
    start: startSamsaraSandbox,
    hint: (url) => `curl -s -X POST ${url}/_sandbox/accounts   # then: curl -s ${url}/fleet/drivers -H "Authorization: Bearer <access_token>"`,
  }),
  geotab: kind({
    createState: createGeotabSandboxState,
    plugin: geotabSandboxPlugin,
    start: startGeotabSandbox,
    hint: (url) => `curl -s -X POST ${url}/_sandbox/accounts   # then JSON-RPC: curl -s ${url}/apiv1 -d '{"method":"Authenticate","params":{...}}'`,
  }),
} as const;

export type SandboxTsp = keyof typeof SANDBOXES;
export const SANDBOX_TSPS = Object.keys(SANDBOXES) as SandboxTsp[];
export type SandboxStates = Partial<Record<SandboxTsp, SandboxState>>;

/** One state per sandbox; with a data directory, each keeps its accounts in sandbox-<tsp>.json there. */
export async function createSandboxStates(dataDir?: string): Promise<Required<SandboxStates>> {
  const entries = await Promise.all(
    SANDBOX_TSPS.map(async (tsp) => [tsp, await SANDBOXES[tsp].createState({ stateFile: dataDir && path.join(dataDir, `sandbox-${tsp}.json`) })] as const),
  );
  return Object.fromEntries(entries) as Required<SandboxStates>;
}

export async function closeSandboxStates(states: SandboxStates): Promise<void> {
  await Promise.all(Object.values(states).map((s) => s.close()));
}

export async function mountSandboxes(app: FastifyInstance, states: SandboxStates): Promise<void> {
  for (const tsp of SANDBOX_TSPS) {
    const state = states[tsp];
    if (state) await app.register(SANDBOXES[tsp].plugin, { prefix: `/sandbox/${tsp}`, state });
  }
}
