// The application's clock. The queue never compares against it (database time only, see
// engine/operations/machine.ts); it stamps what partners read (webhook timestamps, key ages).
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
