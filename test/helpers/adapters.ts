// A TSP's user adapter as the adapter tests drive it: each call maps the write once (as the engine
// does per attempt) and hands the mapping to the adapter, so a test reads like one attempt.
import type { TspAdapter } from '../../src/tsps/kit/descriptor.ts';
import { refusedAttempt } from '../../src/tsps/kit/adapter-kit.ts';
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../src/tsps/kit/types.ts';

export type UserWrite = Write;

export function usersOf(tsp: TspAdapter) {
  const users: ResourceAdapter = tsp.resources.user!;
  return {
    refusals: (write: Write) => {
      const m = users.map(write);
      return m.ok ? [] : m.refusals;
    },
    dropped: (write: Write) => {
      const m = users.map(write);
      return m.ok ? m.dropped : [];
    },
    async write(target: TspTarget, write: Write, opts: CallOptions): Promise<Attempt> {
      const m = users.map(write);
      return m.ok ? users.send(target, write, m.body, opts) : refusedAttempt(m.refusals);
    },
    async findExisting(target: TspTarget, write: Write, opts: CallOptions): Promise<Attempt & { found: boolean }> {
      const m = users.map({ ...write, operation: 'create' });
      return m.ok ? users.findExisting(target, write, m.body, opts) : { ...refusedAttempt(m.refusals), found: false };
    },
  };
}
