// The whole Samsara sandbox's state: accounts by API token, an injectable clock (so tests can slide the
// rate-limit window without waiting), and the optional state file.
import { randomBytes } from 'node:crypto';
import { openAccountStore } from '../kit/store.ts';
import { DEFAULT_SETTINGS, SamsaraAccount } from './account.ts';
import type { AccountSnapshot } from './account.ts';

export interface SamsaraSandboxState {
  /** Milliseconds since the epoch; Date.now unless injected. */
  readonly now: () => number;
  /** Creates an account (an organization with one API token); the token is random and unguessable. */
  createAccount(): { api_key: string; access_token: string };
  /** The account for an API token or a live OAuth access token, or undefined (→ 401). */
  findAccount(token: string): SamsaraAccount | undefined;
  /** The account that registered an OAuth 2.0 app (its token endpoint's client). */
  accountOfClient(clientId: string): SamsaraAccount | undefined;
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
  const { accounts, onChange, close } = await openAccountStore<AccountSnapshot, SamsaraAccount>({
    stateFile: opts.stateFile,
    listKey: 'accounts',
    label: 'Samsara',
    restore: (a, changed) => [a.api_key, new SamsaraAccount(a, changed)],
  });

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
      const byToken = accounts.get(token);
      if (byToken) return byToken;
      const at = now();
      for (const account of accounts.values()) if (account.oauth.acceptsAccessToken(token, at)) return account;
      return undefined;
    },
    accountOfClient(clientId) {
      for (const account of accounts.values()) if (account.oauth.hasApp(clientId)) return account;
      return undefined;
    },
    close,
  };
}
