// The whole Motive sandbox's state: accounts by API key, an injectable clock (so tests can slide the
// rate-limit window without waiting a minute), and the optional state file.
import { randomBytes } from 'node:crypto';
import { openAccountStore } from '../kit/store.ts';
import { DEFAULT_SETTINGS, MotiveAccount } from './account.ts';
import type { AccountSnapshot } from './account.ts';

export interface MotiveSandboxState {
  /** Milliseconds since the epoch; Date.now unless injected. */
  readonly now: () => number;
  /** Creates an account with its own users; the key is random and unguessable. */
  createAccount(): { api_key: string };
  /** The account for an API key or a live OAuth access token, or undefined (→ 401). */
  findAccount(apiKey: string): MotiveAccount | undefined;
  /** The account that registered an OAuth app (its token endpoint's client). */
  accountOfClient(clientId: string): MotiveAccount | undefined;
  /**
   * Revokes the account's API key and issues a new one, as an admin regenerating a company's key in
   * the Motive dashboard does: the old key is refused (401) from then on; users and settings stay.
   */
  rotateKey(account: MotiveAccount): { api_key: string };
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
  const { accounts, onChange, close } = await openAccountStore<AccountSnapshot, MotiveAccount>({
    stateFile: opts.stateFile,
    listKey: 'accounts',
    label: 'Motive',
    restore: (a, changed) => [a.api_key, new MotiveAccount(a, changed)],
  });

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
      const byKey = accounts.get(apiKey);
      if (byKey) return byKey;
      const at = now();
      for (const account of accounts.values()) if (account.oauth.acceptsAccessToken(apiKey, at)) return account;
      return undefined;
    },
    accountOfClient(clientId) {
      for (const account of accounts.values()) if (account.oauth.hasApp(clientId)) return account;
      return undefined;
    },
    rotateKey(account) {
      let apiKey = newApiKey();
      while (accounts.has(apiKey)) apiKey = newApiKey();
      accounts.delete(account.apiKey);
      account.apiKey = apiKey;
      accounts.set(apiKey, account);
      onChange();
      return { api_key: apiKey };
    },
    close,
  };
}
