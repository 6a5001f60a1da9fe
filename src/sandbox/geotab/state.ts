// The whole Geotab sandbox's state: databases by name, an injectable clock (tests slide the rate
// windows and session expiry without waiting), and the optional state file.
import { randomBytes } from 'node:crypto';
import { openAccountStore } from '../kit/store.ts';
import { GeotabDatabase } from './database.ts';
import type { DatabaseSnapshot } from './database.ts';

export interface GeotabSandboxAccount {
  database: string;
  userName: string;
  password: string;
}

export interface GeotabSandboxState {
  /** Milliseconds since the epoch; Date.now unless injected. */
  readonly now: () => number;
  /** A new database with an administrator login; the password is shown once and stored as a digest. */
  createAccount(): GeotabSandboxAccount;
  /** The database by name (case-insensitive, as MyGeotab treats database names). */
  findDatabase(name: string): GeotabDatabase | undefined;
  /** Writes pending changes to the state file (if any) and stops the debounce timer. */
  close(): Promise<void>;
}

export interface GeotabSandboxStateOptions {
  stateFile?: string;
  now?: () => number;
}

const token = (bytes: number): string => randomBytes(bytes).toString('base64url');

export async function createGeotabSandboxState(opts: GeotabSandboxStateOptions = {}): Promise<GeotabSandboxState> {
  const now = opts.now ?? Date.now;
  const { accounts: databases, onChange, close } = await openAccountStore<DatabaseSnapshot, GeotabDatabase>({
    stateFile: opts.stateFile,
    listKey: 'databases',
    label: 'Geotab',
    restore: (d, changed) => [d.database.toLowerCase(), new GeotabDatabase(d, changed)],
  });

  return {
    now,
    createAccount() {
      let database = `sbx_${token(9).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
      while (databases.has(database)) database = `sbx_${token(9).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
      const userName = `admin@${database}.sandbox.example`;
      // 24 random bytes: far beyond guessing; the password is also what authenticates /_sandbox calls.
      const password = token(24);
      databases.set(database, GeotabDatabase.create(database, userName, password, now(), onChange));
      onChange();
      return { database, userName, password };
    },
    findDatabase(name) {
      return databases.get(name.toLowerCase());
    },
    close,
  };
}
