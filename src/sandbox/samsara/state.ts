// The whole Samsara sandbox's state: accounts by API token, an injectable clock (so tests can slide the
// rate-limit window without waiting), and the optional state file.
import { randomBytes } from 'node:crypto';
import { DEFAULT_SETTINGS, SamsaraAccount } from './account.ts';
import { DebouncedStateWriter, loadStateFile } from './persistence.ts';
import type { StateSnapshot } from './persistence.ts';

export interface SamsaraSandboxState {
  /** Milliseconds since the epoch; Date.now unless injected. */
  readonly now: () => number;
  /** Creates an account (an organization with one API token); the token is random and unguessable. */
  createAccount(): { api_key: string; access_token: string };
  /** The account for a token, or undefined (→ 401). */
  findAccount(token: string): SamsaraAccount | undefined;
  /** Writes pending changes to the state file (if any) and stops the debounce timer. */
  close(): Promise<void>;
}

export interface SamsaraSandboxStateOptions {
  stateFile?: string;
  now?: () => number;
}

// 24 random bytes: 192 bits; the prefix makes a leaked token recognizable as a sandbox one
// (real Samsara tokens start with "samsara_api_").
const newToken = (): string => `samsara_sbx_${randomBytes(24).toString('base64url')}`;

export async function createSamsaraSandboxState(opts: SamsaraSandboxStateOptions = {}): Promise<SamsaraSandboxState> {
  const now = opts.now ?? Date.now;
  const accounts = new Map<string, SamsaraAccount>();
  const snapshot = (): StateSnapshot => ({ version: 1, accounts: [...accounts.values()].map((a) => a.snapshot()) });
  const writer = opts.stateFile ? new DebouncedStateWriter(opts.stateFile, snapshot) : undefined;
  const onChange = (): void => writer?.schedule();

  if (opts.stateFile) {
    const loaded = await loadStateFile(opts.stateFile);
    for (const a of loaded.accounts) accounts.set(a.api_key, new SamsaraAccount(a, onChange));
  }

  return {
    now,
    createAccount() {
      let token = newToken();
      while (accounts.has(token)) token = newToken();
      // Ids start high, as real Samsara ids are long digit strings.
      accounts.set(token, new SamsaraAccount({ api_key: token, settings: { ...DEFAULT_SETTINGS }, next_id: 52_000_001, drivers: [] }, onChange));
      onChange();
      return { api_key: token, access_token: token };
    },
    findAccount(token) {
      return accounts.get(token);
    },
    async close() {
      await writer?.flush();
    },
  };
}
