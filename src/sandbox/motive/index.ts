// The Motive sandbox: a faithful fake of Motive's users, vehicles, assets, messages and fuel purchases APIs
// with fault injection, mountable inside the main app (`/sandbox/motive`) or run standalone at the root
// (`fleetgate simulate motive`).
import type { FastifyInstance } from 'fastify';
import { frameworkStatus, installSandboxContext } from '../kit/answer.ts';
import { startStandalone } from '../kit/standalone.ts';
import type { Standalone } from '../kit/standalone.ts';
import { registerControlRoutes } from './control.ts';
import { errorBody, MotiveApiError } from './errors.ts';
import { registerFleetRoutes } from './fleet-routes.ts';
import { errorAnswer } from './pipeline.ts';
import { registerUserRoutes } from './routes.ts';
import { registerWritesRoutes } from './writes-routes.ts';
import { createMotiveSandboxState } from './state.ts';
import type { MotiveSandboxState } from './state.ts';

export { createMotiveSandboxState } from './state.ts';
export type { MotiveSandboxState, MotiveSandboxStateOptions } from './state.ts';
export type { MotiveAccount, SandboxSettings, RequestLogEntry } from './account.ts';
export type { Fault } from '../kit/faults.ts';

export interface MotiveSandboxPluginOptions {
  state: MotiveSandboxState;
}

/**
 * Self-contained in its encapsulated context: its own body parser, error and not-found handlers, so
 * whatever the host app installs, clients see Motive's `{"error_message"}` shape. The caller owns
 * `state` and closes it.
 */
export async function motiveSandboxPlugin(app: FastifyInstance, opts: MotiveSandboxPluginOptions): Promise<void> {
  const { state } = opts;
  // Keep bodies raw: the pipeline parses JSON after auth and rate limiting (as Rails' middleware
  // order would), so a malformed body from an unknown key is a 401, not a 400.
  installSandboxContext(app, {
    error(err) {
      if (err instanceof MotiveApiError) return errorAnswer(err);
      const status = frameworkStatus(err);
      return { status, body: errorBody(status === 500 ? 'Internal Server Error' : err.message) };
    },
    notFound: { status: 404, body: errorBody('Not Found') },
  });

  registerControlRoutes(app, state);
  registerUserRoutes(app, state);
  registerFleetRoutes(app, state);
  registerWritesRoutes(app, state);
}

export interface StartMotiveSandboxOptions {
  port: number;
  host?: string;
  stateFile?: string;
  /** Clock for the state (tests slide the rate-limit window with it). */
  now?: () => number;
}

/** A standalone sandbox server at the root prefix; close() stops it and flushes the state file. */
export async function startMotiveSandbox(opts: StartMotiveSandboxOptions): Promise<Standalone<MotiveSandboxState>> {
  const state = await createMotiveSandboxState({ stateFile: opts.stateFile, now: opts.now });
  return startStandalone(motiveSandboxPlugin, state, opts);
}
