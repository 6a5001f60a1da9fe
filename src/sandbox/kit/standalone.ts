// A sandbox as its own server at the root prefix (`fleetgate simulate <tsp>`, tests on port 0).
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';

export interface StandaloneOptions {
  port: number;
  host?: string;
}

export interface Standalone<S> {
  url: string;
  state: S;
  /** Stops the server, then flushes the state file. */
  close(): Promise<void>;
}

export async function startStandalone<S extends { close(): Promise<void> }>(
  plugin: (app: FastifyInstance, opts: { state: S }) => Promise<void>,
  state: S,
  opts: StandaloneOptions,
): Promise<Standalone<S>> {
  const host = opts.host ?? '127.0.0.1';
  // The vendors' own clients post to paths with a trailing slash (mg-api-js: `/apiv1/`); the main app,
  // which mounts the same plugins, ignores it too (src/http/app.ts).
  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  await app.register(plugin, { state });
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
