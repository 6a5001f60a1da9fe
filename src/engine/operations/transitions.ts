// The table of an operation's phases and every transition between them (machine.ts performs each one;
// a test checks that the code and this table agree). See machine.ts for the glossary of phases.

export const PHASES = ['queued', 'running', 'success', 'failed'] as const;
export type Phase = (typeof PHASES)[number];

/** Every transition there is: where it may start (null: the operation is new) and where it ends. */
export const TRANSITIONS = {
  /** An accepted write, queued for the worker. */
  submit: { from: [null], to: 'queued' },
  /** An accepted is_sync write, leased to the request that runs it now. */
  submit_sync: { from: [null], to: 'running' },
  /** A worker takes a due operation: lease taken, attempt counted. */
  claim: { from: ['queued'], to: 'running' },
  /** A worker takes an operation whose holder's lease expired (the holder died mid-attempt). */
  takeover: { from: ['running'], to: 'running' },
  /** Given back without spending the attempt: no rate-limit slot, or the connection is paused. */
  defer: { from: ['running'], to: 'queued' },
  /**
   * The TSP refused the connection's credentials (auth): the attempt is logged but not spent, and the
   * operation waits in the queue with the rest of the failed connection's, until new credentials work.
   */
  hold: { from: ['running'], to: 'queued' },
  /** The attempt failed and may be tried again later (back-off). */
  retry_later: { from: ['running'], to: 'queued' },
  /** The TSP accepted the write. */
  succeed: { from: ['running'], to: 'success' },
  /** The attempt failed for good (refused, or the attempt or age budget is spent). */
  fail: { from: ['running'], to: 'failed' },
  /** The partner retries a failed operation with a fresh budget. */
  manual_retry: { from: ['failed'], to: 'queued' },
  /** The partner cancels an operation that is not in flight. */
  cancel: { from: ['queued'], to: 'failed' },
  /** The connection was resumed, or working credentials revived a failed one: what waited on it is due now. */
  resume: { from: ['queued'], to: 'queued' },
} as const satisfies Record<string, { from: ReadonlyArray<Phase | null>; to: Phase }>;
export type TransitionName = keyof typeof TRANSITIONS;
