// Catena's circuit breaker, as its webhook docs describe it: a webhook whose deliveries keep failing is
// marked `stale` (its events queue up, nothing is sent) until the partner activates it again; there is no
// automatic reactivation. The strategy depends on the volume since the breaker was last reset (create,
// update or activate):
//   50+ attempts    stale when the EWMA success rate is below 95 %
//   20-49 attempts  stale when the simple success rate is below 80 %
//   under 20        stale after 10 failures in a row
// and nothing is evaluated during the 15 minutes after a create, update or activate (the grace period),
// though the attempts of that time count. An attempt is one HTTP request (or one that fleetgate could not
// send): the breaker judges the endpoint, and every retry is a request to it.

export const BREAKER_GRACE_MS = 15 * 60_000;
export const HIGH_VOLUME = 50;
export const MEDIUM_VOLUME = 20;
export const EWMA_THRESHOLD = 0.95;
export const MEDIUM_THRESHOLD = 0.8;
export const FAILURES_IN_A_ROW = 10;
/**
 * Weight of the newest attempt in the EWMA. Catena does not publish its own. 0.02 gives the average a
 * memory of about 50 attempts, the volume from which it is used: after a long run of successes one failure
 * leaves it at 98 %, three in a row take it below 95 %, and a steady rate below 95 % ends there too.
 */
export const EWMA_ALPHA = 0.02;

export interface BreakerState {
  attempts: number;
  successes: number;
  ewma: number | null;
  consecutiveFailures: number;
}

/** The state after one more attempt; the first attempt since a reset starts the average at its outcome. */
export function afterAttempt(s: BreakerState, ok: boolean): BreakerState {
  const x = ok ? 1 : 0;
  return {
    attempts: s.attempts + 1,
    successes: s.successes + x,
    ewma: s.ewma === null ? x : EWMA_ALPHA * x + (1 - EWMA_ALPHA) * s.ewma,
    consecutiveFailures: ok ? 0 : s.consecutiveFailures + 1,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** Why the breaker trips in state `s`, or null when it holds. */
export function tripReason(s: BreakerState): string | null {
  if (s.attempts >= HIGH_VOLUME) {
    return s.ewma !== null && s.ewma < EWMA_THRESHOLD
      ? `EWMA success rate ${pct(s.ewma)} is below ${pct(EWMA_THRESHOLD)} after ${s.attempts} attempts`
      : null;
  }
  if (s.attempts >= MEDIUM_VOLUME) {
    const rate = s.successes / s.attempts;
    return rate < MEDIUM_THRESHOLD ? `success rate ${pct(rate)} is below ${pct(MEDIUM_THRESHOLD)} after ${s.attempts} attempts` : null;
  }
  return s.consecutiveFailures >= FAILURES_IN_A_ROW ? `${s.consecutiveFailures} failed attempts in a row` : null;
}
