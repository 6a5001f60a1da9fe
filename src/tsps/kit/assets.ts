// Rules every TSP's vehicle and trailer mapping shares. Catena says a vehicle's activation twice:
// `is_active` and the `status` label. Only OUT_OF_SERVICE of the eight VehicleStatusEnum values says
// the vehicle is out of use; the others (IN_REPAIR, IN_STORAGE, SPARE, ...) are operational labels of a
// vehicle still in the fleet. A trailer's status is free text and says nothing fleetgate can read.
import type { Refusal } from './types.ts';
import type { Attrs } from './mapping-kit.ts';

export type Activation = { active: boolean | undefined } | { refusal: Refusal };

/**
 * Whether the record is to be active: is_active when set; else false for a vehicle whose status is
 * OUT_OF_SERVICE, true for any other status; undefined when neither says. Read from `record`: the merged
 * record, or better `activationView(changes, merged)`, so that a request sending one of the two is not
 * refused for what the other said before. A request whose is_active and status contradict each other is.
 */
export function assetActivation(record: Attrs, opts: { statusSaysActive: boolean }): Activation {
  const isActive = record.is_active;
  const status = record.status;
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

/**
 * What decides activation for this write: when the request sends is_active or (a vehicle's) status, only
 * what it sends (an update sending is_active: true after status OUT_OF_SERVICE reactivates, and the stored
 * label does not contradict it); otherwise what was stored.
 */
export function activationView(changes: Attrs, merged: Attrs, opts: { statusSaysActive: boolean }): Attrs {
  if (!activationSent(changes, opts)) return merged;
  return { is_active: changes.is_active, status: opts.statusSaysActive ? changes.status : undefined };
}

/**
 * The vehicle status labels a TSP that keeps only active/inactive represents all the same: IN_SERVICE
 * (active) and OUT_OF_SERVICE (inactive). Any other label sent is reported in dropped_fields there.
 */
export const ACTIVATION_LABELS: ReadonlySet<string> = new Set(['IN_SERVICE', 'OUT_OF_SERVICE']);

/** A vehicle status label that such a TSP keeps nowhere (dropped), or false. */
export const labelDropped = (changes: Attrs): boolean => typeof changes.status === 'string' && !ACTIVATION_LABELS.has(changes.status);
