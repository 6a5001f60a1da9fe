// The Geotab Device entity as the sandbox validates, stores and renders it (sources in ./asset-vendor.ts).
// A Device is the vehicle: Geotab keeps the vehicle's VIN, plate and plate state on the device that
// tracks it (the GoDevice / CustomVehicleDevice members).
// DISAGREES WITH VENDOR: Geotab derives deviceType and productId from the serial number
// (Device.FromSerialNumber, [sdkxml]) and checks the serial against its hardware registry; the sandbox
// keeps what the client sends. Untracked assets (a device without a serial number, [notes] "Added support
// for Untracked Assets") are not implemented: the sandbox requires a serial number.
import { argumentError } from './errors.ts';
import { readMembers, refuseUnmodelled } from './asset-fields.ts';
import type { AssetFields, GroupRef, MemberSpec } from './asset-fields.ts';
import {
  DEVICE_MAX_DATE,
  DEVICE_MAX_LENGTH,
  DEVICE_TYPES,
  TRAILER_ASSET_GROUP,
  UNMODELLED_DEVICE_MEMBERS,
  VEHICLE_ASSET_GROUP,
} from './asset-vendor.ts';
import { isIanaZone } from './vendor.ts';

const text = (max?: number, check?: (v: string) => string | null): MemberSpec => ({ kind: 'text', max, check });

/** Every Device member the sandbox stores, besides `id` and `version` [ff:Device; dev:Device, GoAnywhereLite]. */
export const DEVICE_MEMBERS: Readonly<Record<string, MemberSpec>> = {
  name: text(DEVICE_MAX_LENGTH.name),
  serialNumber: text(DEVICE_MAX_LENGTH.serialNumber),
  comment: text(),
  vehicleIdentificationNumber: text(DEVICE_MAX_LENGTH.vehicleIdentificationNumber),
  licensePlate: text(DEVICE_MAX_LENGTH.licensePlate),
  licenseState: text(DEVICE_MAX_LENGTH.licenseState),
  deviceType: { kind: 'enum', values: new Set(DEVICE_TYPES) },
  productId: { kind: 'int' },
  // "The IANA Timezone Id of the device … Default ["UTC"]" [dev:Device].
  timeZoneId: text(64, (v) => (isIanaZone(v) ? null : `'${v}' is not a known time zone id`)),
  activeFrom: { kind: 'date' },
  activeTo: { kind: 'date' },
  groups: { kind: 'groups' },
};

export interface StoredDevice {
  id: string;
  /** EntityWithVersion.version [ff:EntityWithVersion]: bumped by every Set. */
  version: number;
  fields: AssetFields;
}

// Geotab documents ActiveFrom "Default [MinDate]" without its value; the sandbox uses the time of the Add.
const defaults = (now: number): AssetFields => ({
  name: '',
  serialNumber: '',
  comment: '',
  vehicleIdentificationNumber: '',
  licensePlate: '',
  licenseState: '',
  deviceType: 'None',
  productId: 0,
  timeZoneId: 'UTC',
  activeFrom: new Date(now).toISOString(),
  activeTo: DEVICE_MAX_DATE,
  groups: [],
});

const groupIds = (fields: AssetFields): string[] => (fields.groups as GroupRef[]).map((g) => g.id);

function checkRequired(fields: AssetFields): void {
  // Name, serial number and a group: what Geotab's own import sample requires of every device
  // (GSDK importDevices.js: "Serial Number is required.", "Device Name is required.", "Group Name is required.").
  if ((fields.name as string).trim() === '') throw argumentError("'name' is required");
  if ((fields.serialNumber as string).trim() === '') throw argumentError("'serialNumber' is required");
  if ((fields.groups as GroupRef[]).length === 0) throw argumentError("'groups' must name at least one group");
}

/** Add: the whole entity, defaults for the members left out. */
export function parseDeviceAdd(entity: Record<string, unknown>, now: number): AssetFields {
  refuseUnmodelled('Device', entity, UNMODELLED_DEVICE_MEMBERS);
  const fields = readMembers(entity, DEVICE_MEMBERS, defaults(now));
  checkRequired(fields);
  // "Adding a device will now force the ActiveTo property to max date" [notes 5.7.1902].
  fields.activeTo = DEVICE_MAX_DATE;
  // "we have prevented ActiveFrom from being greater than ActiveTo when adding a device" [notes 5.7.2002].
  if (Date.parse(fields.activeFrom as string) > Date.parse(fields.activeTo)) {
    throw argumentError("'activeFrom' must not be after 'activeTo'");
  }
  return fields;
}

/** Set: the stored device with the members sent (a member left out or null keeps its value). */
export function parseDeviceSet(entity: Record<string, unknown>, stored: StoredDevice, now: number): AssetFields {
  refuseUnmodelled('Device', entity, UNMODELLED_DEVICE_MEMBERS);
  const fields = readMembers(entity, DEVICE_MEMBERS, stored.fields);
  checkRequired(fields);
  // "Setting a device's ActiveTo property to a future date, but not max date, will force the value to
  // max date" [notes 5.7.1902]: an archive date is now or in the past.
  const activeTo = Date.parse(fields.activeTo as string);
  if (activeTo > now && fields.activeTo !== DEVICE_MAX_DATE) fields.activeTo = DEVICE_MAX_DATE;
  // "Calling Set Device and switching the group from GroupTrailerId built-in group to GroupVehicleId
  // built-in group or vice versa will not be allowed" [notes 8.0].
  const before = groupIds(stored.fields);
  const after = groupIds(fields);
  const switched = (from: string, to: string) => before.includes(from) && !before.includes(to) && after.includes(to);
  if (switched(TRAILER_ASSET_GROUP, VEHICLE_ASSET_GROUP) || switched(VEHICLE_ASSET_GROUP, TRAILER_ASSET_GROUP)) {
    throw argumentError(`A device cannot be switched between the ${VEHICLE_ASSET_GROUP} and ${TRAILER_ASSET_GROUP} groups`);
  }
  return fields;
}

/** The device as Get renders it: id and version first, every member. */
export const renderDevice = (d: StoredDevice): Record<string, unknown> => ({ id: d.id, version: d.version, ...structuredClone(d.fields) });
