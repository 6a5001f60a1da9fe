// The Samsara sandbox: a faithful fake of Samsara's /fleet/drivers API with fault injection, mountable
// inside the main app (`/sandbox/samsara`) or run standalone at the root.
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import { registerControlRoutes } from './control.ts';
import { errorBody, SamsaraApiError } from './errors.ts';
import { sendAnswer } from './pipeline.ts';
import { registerDriverRoutes } from './routes.ts';
import { createSamsaraSandboxState } from './state.ts';
import type { SamsaraSandboxState } from './state.ts';

export { createSamsaraSandboxState } from './state.ts';
export type { SamsaraSandboxState, SamsaraSandboxStateOptions } from './state.ts';
export type { SamsaraAccount, SandboxSettings, RequestLogEntry } from './account.ts';
export type { Fault } from './faults.ts';

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
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError | SamsaraApiError, _req, reply) => {
    if (err instanceof SamsaraApiError) {
      return sendAnswer(reply, { status: err.status, body: errorBody(err.message), headers: { ...err.headers } });
    }
    // Fastify's own 4xx (body too large, bad content length ...) keep their status and message.
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return sendAnswer(reply, { status, body: errorBody(status === 500 ? 'Internal Server Error' : err.message) });
  });
  app.setNotFoundHandler((_req, reply) => sendAnswer(reply, { status: 404, body: errorBody('Not Found') }));

  registerControlRoutes(app, state);
  registerDriverRoutes(app, state);
}

export interface StartSamsaraSandboxOptions {
  port: number;
  host?: string;
  stateFile?: string;
  /** Clock for the state (tests slide the rate-limit window with it). */
  now?: () => number;
}

/** A standalone sandbox server at the root prefix; close() stops it and flushes the state file. */
export async function startSamsaraSandbox(
  opts: StartSamsaraSandboxOptions,
): Promise<{ url: string; state: SamsaraSandboxState; close(): Promise<void> }> {
  const host = opts.host ?? '127.0.0.1';
  const state = await createSamsaraSandboxState({ stateFile: opts.stateFile, now: opts.now });
  const app = Fastify({ logger: false });
  await app.register(samsaraSandboxPlugin, { state });
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
