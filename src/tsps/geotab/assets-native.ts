// MyGeotab's Device and Trailer vocabulary as the vehicle and trailer adapters write it.
// Sources (read with the search tool; commits as stored):
//   [dev:X]  developers.geotab.com/myGeotab/apiReference/objects/X (Geotab's API reference)
//   [ff:X]   github.com/fairfleet/geotab @8ee9e1c src/types/Checkmate/ObjectModel/X.ts (Geotab's .NET object
//            model generated as TypeScript)
//   [sdkxml] github.com/Geotab/sdk @1c6c15ae software/api/SDK.xml
//   [notes]  github.com/Geotab/sdk @8e1d28ac src/new.md (release notes)
//   [import] github.com/Geotab/sdk @1377d7ee src/software/js-samples/js/importDevices.js

/**
 * Device: Name "Maximum length [50]", SerialNumber "Maximum length [12]" [dev:Device; ff:Device];
 * VehicleIdentificationNumber, LicensePlate, LicenseState "Maximum length [50]" (the GO / custom vehicle
 * device members, [dev:GoAnywhereLite; sdkxml P:…GoDevice.*]).
 */
export const GEOTAB_DEVICE_MAX_LENGTH = {
  name: 50,
  serialNumber: 12,
  vehicleIdentificationNumber: 50,
  licensePlate: 50,
  licenseState: 50,
} as const;
export type GeotabDeviceTextField = keyof typeof GEOTAB_DEVICE_MAX_LENGTH;

/** Trailer: Name "Maximum length [255]" [dev:Trailer; ff:Trailer]. */
export const GEOTAB_TRAILER_MAX_NAME = 255;

/**
 * `deviceType` values a write may name: Geotab's DeviceType enumeration [ff:DeviceType] without `None`
 * ("Unknown device type") and `OldGeotab` ("GEOTAB unit (unsupported)"), neither of which names hardware.
 */
export const GEOTAB_DEVICE_TYPES = [
  'GO2', 'GO3', 'GO4', 'GO4v3', 'GO5', 'GO6', 'GO7', 'GO8', 'GO9', 'GO9B',
  'CustomDevice', 'GoDriveDevice', 'CustomVehicleDevice', 'A1', 'U1',
] as const;

/**
 * The groups a new vehicle joins: the organisation root `GroupCompanyId` (every entity's data scope) and
 * the asset type `GroupVehicleId` — Geotab's import sample gives every device one organisation group
 * and one asset type, "Defaulting to "Vehicle" Asset Type" ([import]; KnownId GroupVehicleId "the default
 * Vehicle group identifier", [ff:KnownId]).
 */
export const GEOTAB_VEHICLE_GROUPS = [{ id: 'GroupCompanyId' }, { id: 'GroupVehicleId' }] as const;

/**
 * The groups a new trailer joins: `GroupCompanyId` only. "Calling Add Trailer with the GroupTrailerId or
 * GroupVehicleId built-in groups will throw an error" [notes 8.0].
 */
export const GEOTAB_TRAILER_GROUPS = [{ id: 'GroupCompanyId' }] as const;

/** The rate-limit classes of the calls these adapters make (client.ts: `<method>:<typeName>`). */
export const DEVICE_CLASSES = { add: 'Add:Device', get: 'Get:Device', set: 'Set:Device' } as const;
export const TRAILER_CLASSES = { add: 'Add:Trailer', get: 'Get:Trailer', set: 'Set:Trailer' } as const;
