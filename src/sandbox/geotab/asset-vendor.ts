// MyGeotab JSON-RPC vocabulary for the Device and Trailer entities (Add / Set / Get), as Geotab defines
// it. Like ./vendor.ts this is the sandbox's own reading of Geotab, never the adapter's (src/tsps), so
// the fake can disagree with the adapter when the adapter is wrong.
// Sources:
//   [dev:X]  developers.geotab.com/myGeotab/apiReference/objects/X (Geotab's current API reference; the
//            pages for Device, Trailer and GoAnywhereLite were read through the search index's mirror)
//   [ff:X]   github.com/fairfleet/geotab @8ee9e1c src/types/Checkmate/ObjectModel/X.ts (Geotab's .NET
//            object model generated as TypeScript; doc comments are Geotab's own)
//   [sdkxml] github.com/Geotab/sdk @1c6c15ae software/api/SDK.xml (the 2017 object-model documentation)
//   [notes]  github.com/Geotab/sdk @8e1d28ac src/new.md (Geotab's "What's New" release notes)

/** Device string lengths: Name "Maximum length [50]", SerialNumber "Maximum length [12]" [dev:Device];
 * VehicleIdentificationNumber, LicensePlate, LicenseState "Maximum length [50] Default [""]"
 * [dev:GoAnywhereLite; sdkxml: P:…GoDevice.*]. Comment has no documented limit. */
export const DEVICE_MAX_LENGTH = {
  name: 50,
  serialNumber: 12,
  vehicleIdentificationNumber: 50,
  licensePlate: 50,
  licenseState: 50,
} as const;

/** Trailer Name "Maximum length [255]" [dev:Trailer; ff:Trailer]. */
export const TRAILER_MAX_NAME = 255;

/** `deviceType`: Geotab's DeviceType enumeration, spelled as Geotab spells it [ff:DeviceType]. */
export const DEVICE_TYPES = [
  'None', 'OldGeotab', 'GO2', 'GO3', 'GO4', 'GO4v3', 'GO5', 'GO6', 'GO7', 'GO8', 'GO9', 'GO9B',
  'CustomDevice', 'GoDriveDevice', 'CustomVehicleDevice', 'A1', 'U1',
] as const;

/**
 * Geotab's "max date": "The device property ActiveTo will automatically be set to max date (2050-01-01)
 * to denote that it is active" [notes 5.7.1901, Device]; Device.ActiveTo "Default [MaxDate]" [dev:Device].
 */
export const DEVICE_MAX_DATE = '2050-01-01T00:00:00.000Z';

/**
 * Built-in groups a Device or Trailer may name, as a tree (child → parent). `GroupCompanyId` is the
 * organisation root [ff:KnownId]; "GroupAssetTypeId, GroupTrailerId, and GroupVehicleId built-in groups
 * are added under CompanyGroup" [notes 8.0, "Special note about Trailer and Device"]; GroupVehicleId and
 * GroupTrailerId are the asset types under GroupAssetTypeId (GSDK src/software/js-samples/js/importDevices.js
 * reads asset types as the descendants of GroupAssetTypeId).
 * DISAGREES WITH VENDOR: a real database has its own company groups too, and the powertrain groups of 8.0;
 * the sandbox has only these.
 */
export const GROUP_PARENTS: Readonly<Record<string, string | null>> = {
  GroupCompanyId: null,
  GroupAssetTypeId: 'GroupCompanyId',
  GroupVehicleId: 'GroupAssetTypeId',
  GroupTrailerId: 'GroupAssetTypeId',
};
export const VEHICLE_ASSET_GROUP = 'GroupVehicleId';
export const TRAILER_ASSET_GROUP = 'GroupTrailerId';

/**
 * Per-(method, entity) limits per user and database, "Limit of N … requests per 1m" [dev:Device: Get 650,
 * Set 250, Add 250; dev:Trailer: Get 300, Set 300, Add 300]. Geotab applies its limits "to each unique
 * combination of method, entity, username, and database" (developers.geotab.com/myGeotab/guides/rateLimits).
 */
export const ASSET_RATE_LIMITS = {
  'Add:Device': 250,
  'Set:Device': 250,
  'Get:Device': 650,
  'Add:Trailer': 300,
  'Set:Trailer': 300,
  'Get:Trailer': 300,
} as const;
export type AssetRateClass = keyof typeof ASSET_RATE_LIMITS;

/**
 * Members of Geotab's Device [ff:Device] the sandbox does not model. Geotab's serializer ignores members
 * it does not know (./validation.ts), but these it knows: a value for one would be stored by MyGeotab,
 * so the sandbox refuses it rather than drop it silently.
 */
export const UNMODELLED_DEVICE_MEMBERS = [
  'customFeatures', 'customProperties', 'deviceFlags', 'devicePlanBillingInfo', 'devicePlans',
  'deviceReplacementInfo', 'hardwareId', 'ignoreDownloadsUntil', 'maxSecondsBetweenLogs', 'mediaFiles',
  'minSecondsBetweenLogs', 'registerDeviceResultLite', 'timeToDownload', 'tmpTrailerId', 'workTime',
  // GoDevice / XDevice members [sdkxml: P:…GoDevice.*; dev:GoAnywhereLite]
  'autoGroups', 'customParameters', 'engineVehicleIdentificationNumber', 'odometer', 'engineHours',
  'parameterVersion', 'major', 'minor',
] as const;

/** DeviceSearch members [ff:DeviceSearch, ff:Search]: those the sandbox implements and those it refuses. */
export const DEVICE_SEARCH_IMPLEMENTED = [
  'id', 'name', 'serialNumber', 'vehicleIdentificationNumber', 'licensePlate', 'comment', 'deviceType',
  'groups', 'fromDate', 'toDate',
] as const;
export const DEVICE_SEARCH_NOT_IMPLEMENTED = [
  'version', 'customPropertySearch', 'deviceIds', 'devicePlan', 'devicePlanBillingInfo', 'deviceReplacementInfoSearch',
  'engineVehicleIdentificationNumber', 'excludeUntrackedAssets', 'groupFilterCondition', 'hardwareId',
  'includeDeviceReplacementInfo', 'keywords',
] as const;

/** TrailerSearch members [ff:TrailerSearch, ff:Search]. */
export const TRAILER_SEARCH_IMPLEMENTED = ['id', 'name', 'groups'] as const;
export const TRAILER_SEARCH_NOT_IMPLEMENTED = ['version', 'groupFilterCondition'] as const;

/**
 * The answer to a member of the wrong JSON type since the 5.7.2103 serializer: type
 * `JsonSerializerException`, code -32700, this message [notes 5.7.2104 "JSON Serializer Change in 5.7.2103"].
 */
export const JSON_SERIALIZER_MESSAGE = "Exception of type 'Geotab.Serialization.JsonSerializerException' was thrown.";
export const JSON_SERIALIZER_CODE = -32700;

/** "Generic exception changed to "Invalid group id used. {ID} is not a valid group id."" [notes Patch 11.6]. */
export const invalidGroupMessage = (id: string): string => `Invalid group id used. ${id} is not a valid group id.`;
