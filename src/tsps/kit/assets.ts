// Rules every TSP's vehicle and trailer mapping shares. Catena says a vehicle's activation twice:
// `is_active` and the `status` label. Only OUT_OF_SERVICE of the eight VehicleStatusEnum values says
// the vehicle is out of use; the others (IN_REPAIR, IN_STORAGE, SPARE, ...) are operational labels of a
// vehicle still in the fleet. A trailer's status is free text and says nothing fleetgate can read.
import type { Refusal } from './types.ts';
import type { Attrs } from './mapping-kit.ts';

export type Activation = { active: boolean | undefined } | { refusal: Refusal };

/**
 * Whether the record (merged) is to be active: is_active when set; else false for a vehicle whose
 * status is OUT_OF_SERVICE, true for any other status; undefined when neither says. A request whose
 * is_active and status contradict each other is refused.
 */
export function assetActivation(merged: Attrs, opts: { statusSaysActive: boolean }): Activation {
  const isActive = merged.is_active;
  const status = merged.status;
  const fromStatus = opts.statusSaysActive && typeof status === 'string' ? status !== 'OUT_OF_SERVICE' : undefined;
  if (typeof isActive === 'boolean') {
    if (fromStatus !== undefined && fromStatus !== isActive) {
      return {
        refusal: {
          field: 'is_active',
          input: isActive,
          message: `is_active=${String(isActive)} contradicts status=${String(status)} (only OUT_OF_SERVICE means out of use)`,
        },
      };
    }
    return { active: isActive };
  }
  return { active: fromStatus };
}

/** Activation touched by this request: a sent is_active or status (a vehicle's). */
export const activationSent = (changes: Attrs, opts: { statusSaysActive: boolean }): boolean =>
  changes.is_active !== undefined || (opts.statusSaysActive && changes.status !== undefined);
