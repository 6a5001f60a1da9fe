// Settings, parsed and checked once at boot from an environment-like record. Only src/main/ passes
// process.env in; everything else receives a Config. A bad value stops start with a message naming it.
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const base64Key = z
  .string()
  .refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
    message: 'must be 32 bytes, base64-encoded (generate one with: openssl rand -base64 32)',
  });

/** Every setting the parser knows, with its limits (README's configuration table lists each; a test checks). */
export const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    FLEETGATE_DATA_DIR: z.string().min(1).default('./data'),
    FLEETGATE_ENCRYPTION_KEY: base64Key.optional(),
    FLEETGATE_BOOTSTRAP_CLIENT_ID: z.string().min(3).max(200).optional(),
    FLEETGATE_BOOTSTRAP_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters').max(500).optional(),
    FLEETGATE_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    // Unset: /metrics on the API's port, behind the admin token. Set: on this port of
    // FLEETGATE_METRICS_HOST, with no token: loopback unless chosen, as a public HOST must not expose it.
    FLEETGATE_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    FLEETGATE_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    FLEETGATE_SYNC_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    FLEETGATE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    FLEETGATE_MAX_AGE_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
    FLEETGATE_PUBLIC_URL: z
      .url({ protocol: /^https?$/ })
      .optional(),
    // Default: served on the embedded database only (the zero-setup demo), see parseConfig.
    FLEETGATE_SANDBOXES: z.stringbool().optional(),
    FLEETGATE_ALLOW_PRIVATE_URLS: z.stringbool().default(false),
    FLEETGATE_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).optional(),
    FLEETGATE_RETRY_BASE_MS: z.coerce.number().int().min(1).max(600_000).default(1_000),
    // Retention (engine/retention.ts). At least 2 days: an operation outlives its idempotency key
    // (24 h, removed after 48 h) and every webhook retry of its events (about 29 h).
    FLEETGATE_RETENTION_DAYS: z.coerce.number().int().min(2).max(3650).default(30),
    FLEETGATE_WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(2).max(3650).optional(),
    FLEETGATE_RETENTION_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(86_400_000)
      .refine((v) => v === 0 || v >= 1_000, { message: 'must be 0 (retention off) or at least 1000' })
      .default(60_000),
    FLEETGATE_RETENTION_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && !env.FLEETGATE_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['FLEETGATE_ENCRYPTION_KEY'],
        message: 'is required when DATABASE_URL is set (every process must share the same key)',
      });
    }
    if (env.FLEETGATE_LEASE_MS !== undefined && env.FLEETGATE_LEASE_MS < env.FLEETGATE_SYNC_TIMEOUT_MS * 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['FLEETGATE_LEASE_MS'],
        // A lease that can expire during a call lets a second worker start the same write.
        message: `must be at least twice FLEETGATE_SYNC_TIMEOUT_MS (${env.FLEETGATE_SYNC_TIMEOUT_MS * 2} ms)`,
      });
    }
    if (Boolean(env.FLEETGATE_BOOTSTRAP_CLIENT_ID) !== Boolean(env.FLEETGATE_BOOTSTRAP_CLIENT_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: ['FLEETGATE_BOOTSTRAP_CLIENT_SECRET'],
        message: 'FLEETGATE_BOOTSTRAP_CLIENT_ID and FLEETGATE_BOOTSTRAP_CLIENT_SECRET go together',
      });
    }
  });

export interface Config {
  port: number;
  host: string;
  /** Unset: the embedded PGlite database under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Base64 of 32 bytes; in embedded mode a missing key is generated and kept in the data dir. */
  encryptionKey: string | undefined;
  bootstrapClient: { clientId: string; clientSecret: string } | undefined;
  adminToken: string | undefined;
  /**
   * Prometheus: unset, GET /metrics is served on the API port behind the admin token; set, on its own
   * listener on this port of `host` (0: any free one), without a token, for a scraper on a private network.
   * A `worker` process serves its own counters there too (each process's series are its own).
   */
  metricsPort: number | undefined;
  /** Where FLEETGATE_METRICS_PORT's listener binds. */
  metricsHost: string;
  /**
   * Where this deployment's API answers, as other processes reach it (a `worker` process calls the
   * built-in sandboxes through it). Unset: the address `serve` binds.
   */
  publicUrl: string | undefined;
  /**
   * Serve the built-in TSP sandboxes under /sandbox/<tsp> (anyone may create accounts there). Default:
   * on the embedded database (the demo), off with DATABASE_URL; FLEETGATE_SANDBOXES decides when set.
   */
  sandboxes: boolean;
  /** Whether `sandboxes` was set (FLEETGATE_SANDBOXES) or is the default for the database kind. */
  sandboxesSetBy: 'setting' | 'default';
  /** Let partners point TSP base_urls and webhooks at loopback/private addresses (tests, local setups). */
  allowPrivateUrls: boolean;
  syncTimeoutMs: number;
  /**
   * How long a worker's claim on an operation lasts; a worker that dies holding one is replaced when it
   * expires. Must outlast one TSP call (default: twice the call budget plus 30 s).
   */
  leaseMs: number;
  /** Background retries: attempt budget, age budget, first back-off step (doubling, capped at 5 min). */
  retry: { maxAttempts: number; maxAgeMs: number; baseDelayMs: number; maxDelayMs: number };
  /**
   * What the worker deletes, and how often: terminal operations with their logs after `days`, ended
   * webhook deliveries with their attempts after `webhookDays`; every `intervalMs` (0: never), in
   * statements of at most `batchSize` rows.
   */
  retention: { days: number; webhookDays: number; intervalMs: number; batchSize: number };
  logLevel: (typeof LOG_LEVELS)[number];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset", as they do in most shells' `VAR= command`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'environment'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.FLEETGATE_DATA_DIR),
    encryptionKey: e.FLEETGATE_ENCRYPTION_KEY,
    bootstrapClient: e.FLEETGATE_BOOTSTRAP_CLIENT_ID
      ? { clientId: e.FLEETGATE_BOOTSTRAP_CLIENT_ID, clientSecret: e.FLEETGATE_BOOTSTRAP_CLIENT_SECRET! }
      : undefined,
    adminToken: e.FLEETGATE_ADMIN_TOKEN,
    metricsPort: e.FLEETGATE_METRICS_PORT,
    metricsHost: e.FLEETGATE_METRICS_HOST,
    allowPrivateUrls: e.FLEETGATE_ALLOW_PRIVATE_URLS,
    publicUrl: e.FLEETGATE_PUBLIC_URL?.replace(/\/+$/, ''),
    sandboxes: e.FLEETGATE_SANDBOXES ?? !e.DATABASE_URL,
    sandboxesSetBy: e.FLEETGATE_SANDBOXES === undefined ? 'default' : 'setting',
    syncTimeoutMs: e.FLEETGATE_SYNC_TIMEOUT_MS,
    leaseMs: e.FLEETGATE_LEASE_MS ?? e.FLEETGATE_SYNC_TIMEOUT_MS * 2 + 30_000,
    retry: {
      maxAttempts: e.FLEETGATE_MAX_ATTEMPTS,
      maxAgeMs: e.FLEETGATE_MAX_AGE_HOURS * 3600_000,
      baseDelayMs: e.FLEETGATE_RETRY_BASE_MS,
      maxDelayMs: 5 * 60_000,
    },
    retention: {
      days: e.FLEETGATE_RETENTION_DAYS,
      webhookDays: e.FLEETGATE_WEBHOOK_RETENTION_DAYS ?? e.FLEETGATE_RETENTION_DAYS,
      intervalMs: e.FLEETGATE_RETENTION_INTERVAL_MS,
      batchSize: e.FLEETGATE_RETENTION_BATCH,
    },
    logLevel: e.LOG_LEVEL,
  };
}
