// What every sandbox account carries beside the vendor's own data: its settings (persisted), its fault
// queue and request log (per process on purpose, so a restart never replays stale faults).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Fault } from './faults.ts';
import { appendCapped } from './request-log.ts';

/** Settings every sandbox has; each adds its own rate limits. */
export interface BaseSettings {
  latency_ms: number;
}

export abstract class SandboxAccount<S extends BaseSettings, F extends Fault, E> {
  settings: S;
  readonly faults: F[] = [];
  readonly requests: E[] = [];
  protected readonly onChange: () => void;

  constructor(defaults: Readonly<S>, saved: S, onChange: () => void) {
    // Defaults first: a state file from before a setting existed still loads.
    this.settings = { ...defaults, ...saved };
    this.onChange = onChange;
  }

  updateSettings(patch: Partial<S>): S {
    this.settings = { ...this.settings, ...patch };
    this.onChange();
    return { ...this.settings };
  }

  logRequest(entry: E): void {
    appendCapped(this.requests, entry);
  }
}

/** salt:sha256 hex. The sandboxes keep a digest, as the real services do, never the password. */
export function digestPassword(password: string): string {
  const salt = randomBytes(16).toString('hex');
  return `${salt}:${createHash('sha256').update(`${salt}:${password}`).digest('hex')}`;
}

export function passwordMatches(digest: string | null, password: string): boolean {
  if (digest === null) return false;
  const [salt, hex] = digest.split(':');
  const given = createHash('sha256').update(`${salt}:${password}`).digest();
  return timingSafeEqual(given, Buffer.from(hex, 'hex'));
}
