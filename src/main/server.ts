// `fleetgate serve`: the API (and, unless told otherwise, the background worker) in one process.
import type { Config } from '../platform/config.ts';
import { ensureBootstrapClient } from '../accounts/partners.ts';
import { buildApp } from '../http/app.ts';
import { createMetrics, serveMetrics } from '../http/metrics.ts';
import type { MetricsServer } from '../http/metrics.ts';
import type { AppOptions } from '../http/app.ts';
import type { Services } from '../platform/services.ts';
import { createServices } from '../platform/services.ts';
import type { DemoExtension, DemoInfo } from './demo.ts';
import { ensureDemo, walkthrough } from './demo.ts';

export interface RunningServer {
  url: string;
  /** FLEETGATE_METRICS_PORT's listener (GET /metrics), when set. */
  metricsUrl: string | undefined;
  services: Services;
  demo: DemoInfo | undefined;
  close(): Promise<void>;
}

export interface ServeOptions extends AppOptions {
  /** Create the first-start demo (embedded mode only). */
  demo?: boolean;
  demoExtensions?: DemoExtension[];
  /** Starts background work once the server listens; returns its stop function. */
  startBackground?: (services: Services) => () => Promise<void>;
  print?: (text: string) => void;
  /** Runs after the server and database are closed (e.g. flush sandbox state). */
  onClosed?: () => Promise<void>;
}

/**
 * The start-up line on the built-in sandboxes: whether /sandbox/<tsp> is served, and why. A real
 * deployment must not serve them unawares (anyone may create sandbox accounts there).
 */
export function sandboxesNotice(config: Pick<Config, 'sandboxes' | 'sandboxesSetBy'>): string {
  if (config.sandboxesSetBy === 'setting') {
    return config.sandboxes ? 'sandboxes served under /sandbox/<tsp>: FLEETGATE_SANDBOXES=true' : 'sandboxes not served: FLEETGATE_SANDBOXES=false';
  }
  return config.sandboxes
    ? 'sandboxes served under /sandbox/<tsp>: the embedded database is the zero-setup demo (FLEETGATE_SANDBOXES=false turns them off)'
    : 'sandboxes not served: DATABASE_URL is set, so this is not the embedded demo (FLEETGATE_SANDBOXES=true serves them)';
}

export async function startServer(config: Config, opts: ServeOptions = {}): Promise<RunningServer> {
  const services = await createServices(config);
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let metricsServer: MetricsServer | undefined;
  // One set of metrics for the process: the API's requests and the in-process worker's work alike.
  const metrics = createMetrics(services.events, () => services.database.db, { processMetrics: true });
  try {
    if (config.bootstrapClient) {
      const { created } = await ensureBootstrapClient(services.database.db, config.bootstrapClient);
      if (created) services.logger.info({ client_id: config.bootstrapClient.clientId }, 'bootstrap client created');
    }
    app = await buildApp(services, { ...opts, metrics });
    await app.listen({ port: config.port, host: config.host });
    if (config.metricsPort !== undefined) metricsServer = await serveMetrics(metrics, config.metricsHost, config.metricsPort, (err) =>
        services.logger.error({ err }, 'metrics scrape failed'),
      );
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    services.selfUrl = config.publicUrl ?? url;
    services.lock?.setUrl(url);

    let demo: DemoInfo | undefined;
    if (opts.demo && !config.databaseUrl) {
      demo = await ensureDemo(services, url, opts.demoExtensions);
      if (demo) (opts.print ?? ((t) => process.stdout.write(`${t}\n`)))(walkthrough(demo, config.dataDir));
    }
    const stopBackground = opts.startBackground?.(services);
    let closing: Promise<void> | undefined;
    return {
      url,
      metricsUrl: metricsServer?.url,
      services,
      demo,
      close: () =>
        (closing ??= (async () => {
          // Order matters: stop taking work, let in-flight requests finish, then close the database.
          await stopBackground?.();
          await app!.close();
          await metricsServer?.close();
          metrics.close();
          await services.close();
          await opts.onClosed?.();
        })()),
    };
  } catch (err) {
    await app?.close().catch(() => {});
    await metricsServer?.close().catch(() => {});
    metrics.close();
    await services.close().catch(() => {});
    throw err;
  }
}
