// What the engine needs from the composition root (platform/services.ts builds it): narrow on purpose,
// so the engine depends on capabilities, not on the process that wires them.
import type { Logger } from 'pino';
import type { AccountsContext } from '../accounts/context.ts';
import type { Clock } from '../platform/clock.ts';
import type { EngineEvents } from './events.ts';

export interface EngineContext extends AccountsContext {
  logger: Logger;
  clock: Clock;
  /** Every operation transition, as it happens in this process (worker wake-ups, metrics, console). */
  events: EngineEvents;
}
