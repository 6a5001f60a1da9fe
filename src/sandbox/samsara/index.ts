// The Samsara sandbox: a faithful fake of Samsara's /fleet/drivers, /tags, /assets, /fleet/trailers,
// /v1/fleet/messages and /fuel-purchase APIs with fault injection, mountable inside the main app
// (`/sandbox/samsara`) or run standalone at the root.
import type { FastifyInstance } from 'fastify';
import { frameworkStatus, installSandboxContext } from '../kit/answer.ts';
import { startStandalone } from '../kit/standalone.ts';
import type { Standalone } from '../kit/standalone.ts';
import { registerAssetRoutes } from './asset-routes.ts';
import { registerControlRoutes } from './control.ts';
import { errorBody, SamsaraApiError } from './errors.ts';
import { errorAnswer } from './pipeline.ts';
import { registerDriverRoutes } from './routes.ts';
import { createSamsaraSandboxState } from './state.ts';
import type { SamsaraSandboxState } from './state.ts';
import { registerWritesOnceRoutes } from './writes-once-routes.ts';

export { createSamsaraSandboxState } from './state.ts';
export type { SamsaraSandboxState, SamsaraSandboxStateOptions } from './state.ts';
export type { SamsaraAccount, SandboxSettings, RequestLogEntry } from './account.ts';
export type { Fault } from '../kit/faults.ts';

export interface SamsaraSandboxPluginOptions {
  state: SamsaraSandboxState;
}

/**
 * Self-contained in its encapsulated context: its own body parser, error and not-found handlers, so
 * whatever the host app installs, clients see Samsara's `{"message", "requestId"}` shape. The caller
 * owns `state` and closes it.
 */
export async function samsaraSandboxPlugin(app: FastifyInstance, opts: SamsaraSandboxPluginOptions): Promise<void> {
  const { state } = opts;
  // Keep bodies raw: the pipeline parses JSON after auth and rate limiting, so a malformed body from
  // an unknown token is a 401, not a 400.
  installSandboxContext(app, {
    error(err) {
      if (err instanceof SamsaraApiError) return errorAnswer(err);
      const status = frameworkStatus(err);
      return { status, body: errorBody(status === 500 ? 'Internal Server Error' : err.message) };
    },
    notFound: { status: 404, body: errorBody('Not Found') },
  });

  registerControlRoutes(app, state);
  registerDriverRoutes(app, state);
  registerAssetRoutes(app, state);
  registerWritesOnceRoutes(app, state);
}

export interface StartSamsaraSandboxOptions {
  port: number;
  host?: string;
  stateFile?: string;
  /** Clock for the state (tests slide the rate-limit window with it). */
  now?: () => number;
}

/** A standalone sandbox server at the root prefix; close() stops it and flushes the state file. */
export async function startSamsaraSandbox(opts: StartSamsaraSandboxOptions): Promise<Standalone<SamsaraSandboxState>> {
  const state = await createSamsaraSandboxState({ stateFile: opts.stateFile, now: opts.now });
  return startStandalone(samsaraSandboxPlugin, state, opts);
}
