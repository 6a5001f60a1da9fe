// The Motive sandbox: a faithful fake of Motive's v1 users API with fault injection, mountable inside
// the main app (`/sandbox/motive`) or run standalone at the root (`fleetgate simulate motive`).
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import { registerControlRoutes } from './control.ts';
import { MotiveApiError } from './errors.ts';
import { sendAnswer } from './pipeline.ts';
import { registerUserRoutes } from './routes.ts';
import { createMotiveSandboxState } from './state.ts';
import type { MotiveSandboxState } from './state.ts';

export { createMotiveSandboxState } from './state.ts';
export type { MotiveSandboxState, MotiveSandboxStateOptions } from './state.ts';
export type { MotiveAccount, SandboxSettings, RequestLogEntry } from './account.ts';
export type { Fault } from './faults.ts';

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
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError | MotiveApiError, _req, reply) => {
    if (err instanceof MotiveApiError) {
      return sendAnswer(reply, { status: err.status, body: { error_message: err.message }, headers: { ...err.headers } });
    }
    // Fastify's own 4xx (body too large, bad content length ...) keep their status and message.
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const message = status === 500 ? 'Internal Server Error' : err.message;
    return sendAnswer(reply, { status, body: { error_message: message } });
  });
  app.setNotFoundHandler((_req, reply) => sendAnswer(reply, { status: 404, body: { error_message: 'Not Found' } }));

  registerControlRoutes(app, state);
  registerUserRoutes(app, state);
}

export interface StartMotiveSandboxOptions {
  port: number;
  host?: string;
  stateFile?: string;
  /** Clock for the state (tests slide the rate-limit window with it). */
  now?: () => number;
}

/** A standalone sandbox server at the root prefix; close() stops it and flushes the state file. */
export async function startMotiveSandbox(
  opts: StartMotiveSandboxOptions,
): Promise<{ url: string; state: MotiveSandboxState; close(): Promise<void> }> {
  const host = opts.host ?? '127.0.0.1';
  const state = await createMotiveSandboxState({ stateFile: opts.stateFile, now: opts.now });
  const app = Fastify({ logger: false });
  await app.register(motiveSandboxPlugin, { state });
  await app.listen({ port: opts.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : opts.port;
  // A wildcard bind is reachable on loopback; brackets make an IPv6 literal a valid URL host.
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const urlHost = reachable.includes(':') ? `[${reachable}]` : reachable;
  return {
    url: `http://${urlHost}:${port}`,
    state,
    async close() {
      await app.close();
      await state.close();
    },
  };
}
