// Value checks and the activation derivation of the Geotab vehicle mapping (mapping.ts owns the table).
// Facts: ../assets-native.ts (Geotab's object model and release notes, cited there).
import type { VehicleAttributeName } from '../../../contract/resources/vehicles.ts';
import { activationSent, activationView, assetActivation, labelDropped } from '../../kit/assets.ts';
import type { Attrs } from '../../kit/mapping-kit.ts';
import type { Refusal } from '../../kit/types.ts';
import { GEOTAB_ACTIVE_FOREVER } from '../native.ts';
import { GEOTAB_DEVICE_MAX_LENGTH, GEOTAB_DEVICE_TYPES } from '../assets-native.ts';
import type { GeotabDeviceTextField } from '../assets-native.ts';

/** A Device text member: at most its documented length; `required` members must not be blank. */
export const deviceText = (member: GeotabDeviceTextField, required = false) => (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  if (required && value.trim() === '') return `Geotab requires a non-empty ${member}`;
  const max = GEOTAB_DEVICE_MAX_LENGTH[member];
  return value.length > max ? `Geotab limits ${member} to ${max} characters (got ${value.length})` : null;
};

const DEVICE_TYPE_BY_KEY: ReadonlyMap<string, string> = new Map(GEOTAB_DEVICE_TYPES.map((t) => [t.toLowerCase(), t]));

/** eld_device_type names Geotab's DeviceType as Geotab spells it (any letter case): "GO9", "CustomVehicleDevice". */
export const toDeviceType = (value: unknown): unknown => DEVICE_TYPE_BY_KEY.get(String(value).trim().toLowerCase());

export function deviceTypeRefusal(value: unknown): string | null {
  if (value == null || toDeviceType(value) !== undefined) return null;
  return `Geotab has no device type ${JSON.stringify(value)}; its DeviceType values are ${GEOTAB_DEVICE_TYPES.join(', ')}`;
}

const INT32_MAX = 2 ** 31 - 1;

/** eld_product_id is Geotab's numeric productId ("Each device is assigned a unique hardware product id"). */
export const toProductId = (value: unknown): unknown => Number(String(value).trim());

export function productIdRefusal(value: unknown): string | null {
  if (value == null) return null;
  const text = String(value).trim();
  return /^\d{1,10}$/.test(text) && Number(text) <= INT32_MAX
    ? null
    : `Geotab's productId is a whole number; ${JSON.stringify(value)} is not one`;
}

export type ActivationResult =
  | { fields: Record<string, unknown>; dropped: VehicleAttributeName[] }
  | { refusal: Refusal };

// The two VehicleStatusEnum values Geotab's activeTo says in full; any other label (IN_REPAIR, SPARE …)
// is kept by Geotab only as "active", so the label itself is reported as not stored.

/**
 * activeTo from is_active and status (tsps/kit/assets.ts reads them for every TSP): archived = now,
 * active = Geotab's max date. A create cannot be inactive: "Adding a device will now force the ActiveTo
 * property to max date" (Geotab/sdk src/new.md 5.7.1902), so Geotab would add it active whatever was sent.
 */
export function deriveActivation(merged: Attrs, changes: Attrs, isCreate: boolean, now: Date): ActivationResult {
  const touched = activationSent(changes, { statusSaysActive: true });
  const dropped: VehicleAttributeName[] =
    labelDropped(changes) ? ['status'] : [];
  if (!isCreate && !touched) return { fields: {}, dropped };
  const activation = assetActivation(activationView(changes, merged, { statusSaysActive: true }), { statusSaysActive: true });
  if ('refusal' in activation) return activation;
  if (isCreate) {
    if (activation.active === false) {
      const field = merged.is_active === false ? 'is_active' : 'status';
      return {
        refusal: {
          field,
          input: merged[field],
          message: 'Geotab adds every device active (Add forces activeTo to its max date): create the vehicle active, then deactivate it with an update',
        },
      };
    }
    return { fields: {}, dropped };
  }
  if (activation.active === undefined) return { fields: {}, dropped };
  return { fields: { activeTo: activation.active ? GEOTAB_ACTIVE_FOREVER : now.toISOString() }, dropped };
}
