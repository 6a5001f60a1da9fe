// The state scaffolding every sandbox shares: accounts by key, loaded from the optional state file at
// start, written back (debounced) on every change, flushed on close. What an account is, how its key
// is made and what createAccount returns stay with each sandbox.
import { DebouncedStateWriter, loadStateFile } from './persistence.ts';
import type { StateFileFormat } from './persistence.ts';

export interface Snapshottable<T> {
  snapshot(): T;
}

export interface AccountStore<A> {
  /** Accounts by lookup key (API key, token, lower-cased database name). */
  readonly accounts: Map<string, A>;
  /** Call after every persistent change; schedules a write when there is a state file. */
  readonly onChange: () => void;
  /** Writes pending changes to the state file (if any) and stops the debounce timer. */
  close(): Promise<void>;
}

export interface AccountStoreOptions<T, A> extends StateFileFormat {
  stateFile?: string;
  /** Rebuilds one account from its snapshot; returns its lookup key and the account. */
  restore(snapshot: T, onChange: () => void): [string, A];
}

export async function openAccountStore<T, A extends Snapshottable<T>>(opts: AccountStoreOptions<T, A>): Promise<AccountStore<A>> {
  const accounts = new Map<string, A>();
  const snapshot = () => ({ version: 1, [opts.listKey]: [...accounts.values()].map((a) => a.snapshot()) });
  const writer = opts.stateFile ? new DebouncedStateWriter(opts.stateFile, snapshot) : undefined;
  const onChange = (): void => writer?.schedule();
  if (opts.stateFile) {
    for (const s of await loadStateFile<T>(opts.stateFile, opts)) {
      const [key, account] = opts.restore(s, onChange);
      accounts.set(key, account);
    }
  }
  return {
    accounts,
    onChange,
    async close() {
      await writer?.flush();
    },
  };
}
