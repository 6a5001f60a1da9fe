// The engine's event map: one event per operation transition (engine/operations/machine.ts names
// them). The worker wakes on them; metrics and the operations console attach to the same bus.
import type { TypedEmitter } from '../platform/events.ts';
import type { Phase, TransitionName } from './operations/transitions.ts';

export interface OperationTransitionEvent {
  transition: TransitionName;
  operationId: string;
  connectionId: string;
  resource: string;
  from: Phase | null;
  to: Phase;
}

export type EngineEventMap = { [K in TransitionName as `operation:${K}`]: OperationTransitionEvent } & {
  /** Any transition (one listener for all of them). */
  'operation:transition': OperationTransitionEvent;
};

export type EngineEvents = TypedEmitter<EngineEventMap>;
