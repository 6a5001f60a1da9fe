// The Geotab sandbox: a faithful fake of MyGeotab's JSON-RPC API (Authenticate, GetVersion, GetCountOf,
// ExecuteMultiCall; Add/Set/Get of User, UserHosRuleSet, Device, Trailer and the ./writes.ts entities) with
// fault injection, mountable inside the main app (`/sandbox/geotab`) or run standalone at the root.
// One server fakes a federation: with `redirect_to` set to a host name, Authenticate answers that host as
// `path` (as MyGeotab does when a database moved) and only calls sent to that host (its Host header)
// accept the session. Clients then post to `https://<host>/apiv1`: only a sandbox served at the root (the
// standalone one) is reachable there, since a host name carries no mount path.
import type { FastifyInstance } from 'fastify';
import { frameworkStatus, installSandboxContext } from '../kit/answer.ts';
import { startStandalone } from '../kit/standalone.ts';
import type { Standalone } from '../kit/standalone.ts';
import { registerControlRoutes } from './control.ts';
import { ControlError, rpcErrorBody } from './errors.ts';
import { handleApiCall } from './rpc.ts';
import { createGeotabSandboxState } from './state.ts';
import type { GeotabSandboxState } from './state.ts';

export { createGeotabSandboxState } from './state.ts';
export type { GeotabSandboxAccount, GeotabSandboxState, GeotabSandboxStateOptions } from './state.ts';
export type { GeotabDatabase, RequestLogEntry, SandboxSettings } from './database.ts';
export { DEFAULT_SETTINGS } from './database.ts';
export type { Fault } from './faults.ts';

export interface GeotabSandboxPluginOptions {
  state: GeotabSandboxState;
}

/**
 * Self-contained in its encapsulated context: its own body parser, error and not-found handlers, so
 * whatever the host app installs, /apiv1 clients see JSON-RPC answers. The caller owns `state`.
 */
export async function geotabSandboxPlugin(app: FastifyInstance, opts: GeotabSandboxPluginOptions): Promise<void> {
  const { state } = opts;
  // Raw bodies: the JSON-RPC layer parses them and answers a malformed one the Geotab way.
  installSandboxContext(app, {
    error(err, req) {
      if (err instanceof ControlError) return { status: err.status, body: { error: { message: err.message } } };
      const status = frameworkStatus(err);
      if (req.url.includes('/apiv1') && status === 500) {
        return { status: 200, body: rpcErrorBody('Exception', 'An unexpected error occurred') };
      }
      return { status, body: { error: { message: status === 500 ? 'Internal Server Error' : err.message } } };
    },
    notFound: { status: 404, body: { error: { message: 'Not Found' } } },
  });

  const prefix = app.prefix;
  app.post('/apiv1', (req, reply) => handleApiCall(state, req, reply, prefix));
  registerControlRoutes(app, state);
}

export interface StartGeotabSandboxOptions {
  port: number;
  host?: string;
  stateFile?: string;
  /** Clock for the state (tests slide rate windows and session expiry with it). */
  now?: () => number;
}

/** A standalone sandbox server at the root prefix; close() stops it and flushes the state file. */
export async function startGeotabSandbox(opts: StartGeotabSandboxOptions): Promise<Standalone<GeotabSandboxState>> {
  const state = await createGeotabSandboxState({ stateFile: opts.stateFile, now: opts.now });
  return startStandalone(geotabSandboxPlugin, state, opts);
}
