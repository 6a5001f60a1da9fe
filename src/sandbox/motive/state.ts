// The whole Motive sandbox's state: accounts by API key, an injectable clock (so tests can slide the
// rate-limit window without waiting a minute), and the optional state file.
import { randomBytes } from 'node:crypto';
import { DEFAULT_SETTINGS, MotiveAccount } from './account.ts';
import { DebouncedStateWriter, loadStateFile } from './persistence.ts';
import type { StateSnapshot } from './persistence.ts';

export interface MotiveSandboxState {
  /** Milliseconds since the epoch; Date.now unless injected. */
  readonly now: () => number;
  /** Creates an account with its own users; the key is random and unguessable. */
  createAccount(): { api_key: string };
  /** The account for an API key, or undefined (→ 401). */
  findAccount(apiKey: string): MotiveAccount | undefined;
  /** Writes pending changes to the state file (if any) and stops the debounce timer. */
  close(): Promise<void>;
}

export interface MotiveSandboxStateOptions {
  stateFile?: string;
  now?: () => number;
}

// 24 random bytes: 192 bits, far beyond guessing; the prefix makes a leaked key recognizable as a sandbox one.
const newApiKey = (): string => `motive_sbx_${randomBytes(24).toString('base64url')}`;

export async function createMotiveSandboxState(opts: MotiveSandboxStateOptions = {}): Promise<MotiveSandboxState> {
  const now = opts.now ?? Date.now;
  const accounts = new Map<string, MotiveAccount>();
  const snapshot = (): StateSnapshot => ({
    version: 1,
    accounts: [...accounts.values()].map((a) => a.snapshot()),
  });
  const writer = opts.stateFile ? new DebouncedStateWriter(opts.stateFile, snapshot) : undefined;
  const onChange = (): void => writer?.schedule();

  if (opts.stateFile) {
    const loaded = await loadStateFile(opts.stateFile);
    for (const a of loaded.accounts) accounts.set(a.api_key, new MotiveAccount(a, onChange));
  }

  return {
    now,
    createAccount() {
      let apiKey = newApiKey();
      while (accounts.has(apiKey)) apiKey = newApiKey();
      accounts.set(
        apiKey,
        new MotiveAccount({ api_key: apiKey, settings: { ...DEFAULT_SETTINGS }, next_id: 1, users: [] }, onChange),
      );
      onChange();
      return { api_key: apiKey };
    },
    findAccount(apiKey) {
      return accounts.get(apiKey);
    },
    async close() {
      await writer?.flush();
    },
  };
}
