// The `fleetgate` command. Entry points in src/main/ are the only readers of process.env.
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, parseConfig } from '../platform/config.ts';
import { DataDirLockedError } from '../db/lock.ts';
import { SCOPES } from '../accounts/scopes.ts';
import type { Scope } from '../accounts/scopes.ts';
import type { MotiveSandboxState } from '../sandbox/motive/index.ts';
import { SANDBOXES, SANDBOX_TSPS, closeSandboxStates, createSandboxStates } from '../sandbox/registry.ts';
import type { SandboxTsp } from '../sandbox/registry.ts';
import { createServices } from '../platform/services.ts';
import { startWorker } from '../worker/worker.ts';
import { createMetrics, serveMetrics } from '../http/metrics.ts';
import { motiveDemoConnection } from './demo.ts';
import { demoWrites } from './demo-writes.ts';
import { OperatorError, runOperatorAction } from './operator.ts';
import { operationCommands } from './operations-cli.ts';
import type { OperatorAction } from './operator.ts';
import { printOpenApi } from './openapi.ts';
import { sandboxesNotice, startServer } from './server.ts';

const config = () => parseConfig(process.env);

function fail(err: unknown): never {
  if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof OperatorError) {
    process.stderr.write(`fleetgate: ${err.message}\n`);
  } else {
    process.stderr.write(`fleetgate: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
}

function onSignals(stop: () => Promise<void>) {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`fleetgate: ${signal} received, shutting down\n`);
    stop().then(
      () => process.exit(0),
      (err) => fail(err),
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

const program = new Command('fleetgate')
  .description('One normalized write API for telematics service providers.')
  .showHelpAfterError();

program
  .command('serve')
  .description('Start the API and the background worker (embedded PGlite under ./data unless DATABASE_URL is set)')
  .option('--no-worker', 'run the API only (PostgreSQL deployments with separate worker processes)')
  .action(async (opts: { worker: boolean }) => {
    try {
      const cfg = config();
      const sandboxes = cfg.sandboxes ? await createSandboxStates(cfg.dataDir) : undefined;
      const server = await startServer(cfg, {
        demo: true,
        demoExtensions: sandboxes ? [motiveDemoConnection(sandboxes.motive as MotiveSandboxState), demoWrites] : [],
        sandboxes,
        onClosed: async () => {
          if (sandboxes) await closeSandboxStates(sandboxes);
        },
        startBackground: opts.worker ? (services) => startWorker(services).stop : undefined,
      });
      server.services.logger.info({ url: server.url, metrics: server.metricsUrl, database: server.services.database.kind }, 'fleetgate listening');
      server.services.logger.info({ sandboxes: cfg.sandboxes }, sandboxesNotice(cfg));
      onSignals(server.close);
    } catch (err) {
      fail(err);
    }
  });

program
  .command('worker')
  .description('Run only the background worker (PostgreSQL: any number of processes may share the database)')
  .option('--concurrency <n>', 'operations executed at once (1-256)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('a whole number from 1 to 256');
    return n;
  }, 4)
  .option('--poll-ms <ms>', 'longest sleep between looks for due work (new work wakes the worker at once: LISTEN/NOTIFY on PostgreSQL)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 10 || n > 600_000) throw new InvalidArgumentError('a whole number of milliseconds from 10 to 600000');
    return n;
  }, 250)
  .action(async (opts: { concurrency: number; pollMs: number }) => {
    try {
      const cfg = config();
      const services = await createServices(cfg);
      // This process's attempts and deliveries are counted here, not in the API's: it serves its own
      // series (Prometheus scrapes each process; `instance` tells them apart).
      const metrics = cfg.metricsPort === undefined ? undefined : createMetrics(services.events, () => services.database.db, { processMetrics: true });
      const metricsServer = metrics && (await serveMetrics(metrics, cfg.metricsHost, cfg.metricsPort!, (err) => services.logger.error({ err }, 'metrics scrape failed')));
      const worker = startWorker(services, { concurrency: opts.concurrency, pollMs: opts.pollMs });
      services.logger.info(
        { worker: worker.id, concurrency: opts.concurrency, database: services.database.kind, metrics: metricsServer?.url ?? 'off (FLEETGATE_METRICS_PORT unset)' },
        'fleetgate worker started',
      );
      // SIGTERM: stop claiming, finish the attempts in flight, then exit.
      onSignals(async () => {
        await worker.stop();
        await metricsServer?.close();
        metrics?.close();
        await services.close();
      });
    } catch (err) {
      fail(err);
    }
  });

program
  .command('migrate')
  .description('Apply pending database migrations and exit')
  .action(async () => {
    try {
      const services = await createServices(config());
      await services.close();
      process.stdout.write('migrations are up to date\n');
    } catch (err) {
      fail(err);
    }
  });

const target = (cmd: Command) =>
  cmd
    .option('--url <url>', 'a running fleetgate to manage through its operator API')
    .option('--admin-token <token>', 'the operator API token (default: FLEETGATE_ADMIN_TOKEN)');

async function operate(action: OperatorAction, opts: { url?: string; adminToken?: string }) {
  try {
    const result = await runOperatorAction(action, config(), {
      url: opts.url,
      adminToken: opts.adminToken ?? process.env.FLEETGATE_ADMIN_TOKEN,
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } catch (err) {
    fail(err);
  }
}

const partners = program.command('partners').description('Manage partners');
target(partners.command('create').description('Create a partner').requiredOption('--name <name>', 'partner name')).action(
  (opts: { name: string; url?: string; adminToken?: string }) => operate({ kind: 'partners.create', name: opts.name }, opts),
);
target(partners.command('list').description('List partners')).action((opts: { url?: string; adminToken?: string }) =>
  operate({ kind: 'partners.list' }, opts),
);

const clients = program.command('clients').description('Manage OAuth clients');
target(
  clients
    .command('create')
    .description('Create an OAuth client; prints client_id and client_secret once, as JSON')
    .requiredOption('--partner <id>', 'partner id')
    .addOption(new Option('--scope <scope...>', 'scopes to grant (default: all)').choices([...SCOPES])),
).action((opts: { partner: string; scope?: Scope[]; url?: string; adminToken?: string }) =>
  operate({ kind: 'clients.create', partnerId: opts.partner, scopes: opts.scope }, opts),
);

operationCommands(program, { env: process.env, stdout: process.stdout, stderr: process.stderr, now: Date.now }, (run) => {
  run().then(
    (code) => process.exit(code),
    (err) => fail(err),
  );
});

program
  .command('openapi')
  .description('Print the OpenAPI 3.1 document')
  .action(async () => {
    try {
      await printOpenApi();
    } catch (err) {
      fail(err);
    }
  });

program
  .command('simulate')
  .description('Run a TSP sandbox on its own (a faithful fake of the TSP API, with fault injection)')
  .argument('<tsp>', `which TSP: ${SANDBOX_TSPS.join(', ')}`, (v) => {
    if (!(SANDBOX_TSPS as string[]).includes(v)) throw new InvalidArgumentError(`supported: ${SANDBOX_TSPS.join(', ')}`);
    return v as SandboxTsp;
  })
  .option('--port <port>', 'port to listen on (0: any free port)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number from 0 to 65535');
    return n;
  }, 8090)
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--state-file <file>', 'keep accounts and users in this JSON file across restarts')
  .action(async (tsp: SandboxTsp, opts: { port: number; host: string; stateFile?: string }) => {
    try {
      const kind = SANDBOXES[tsp];
      const sandbox = await kind.start({ port: opts.port, host: opts.host, stateFile: opts.stateFile });
      process.stdout.write(`${tsp} sandbox listening at ${sandbox.url}
  ${kind.hint(sandbox.url)}
`);
      onSignals(sandbox.close);
    } catch (err) {
      fail(err);
    }
  });

await program.parseAsync(process.argv);
