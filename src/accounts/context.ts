// What accounts (partners, clients, connections) need from the composition root, and nothing more.
import type { Database } from '../db/client.ts';
import type { Config } from '../platform/config.ts';
import type { Keys } from '../platform/keys.ts';

export interface AccountsContext {
  config: Config;
  database: Database;
  keys: Keys;
  /**
   * Where this deployment's own HTTP server answers; sandbox connections reach the built-in sandboxes
   * through it. Set from the config, then to the bound address once the server listens.
   */
  selfUrl: string;
}
