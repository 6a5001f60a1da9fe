// MyGeotab JSON-RPC vocabulary for the TextMessage, FuelTransaction, DVIRLog and Defect entities, as Geotab
// defines it. Like ./vendor.ts and ./asset-vendor.ts this is the sandbox's own reading of Geotab, never the
// adapter's (src/tsps), so the fake can disagree with the adapter when the adapter is wrong.
// Sources:
//   [dev:X]  developers.geotab.com/myGeotab/apiReference/objects/X (Geotab's API reference; FuelTransaction,
//            DVIRLog and Defect with their "Rate limits" tables, read through the search index's copy)
//   [ff:X]   github.com/fairfleet/geotab @8ee9e1c src/types/Checkmate/ObjectModel/X.ts (Geotab's .NET object
//            model generated as TypeScript; doc comments are Geotab's own)
//   [sdkxml] github.com/Geotab/sdk @1c6c15ae software/api/SDK.xml
//   [notes]  github.com/Geotab/sdk @8e1d28ac src/new.md (release notes)
//   [drive]  developers.geotab.com/drive/examples ("DVIR APIs")
//   [adapter] github.com/Geotab/mygeotab-api-adapter @f425611 MyGeotabAPIAdapter/Services/DVIRLogProcessor2.cs

/** MessageContentType [ff:MessageContentType]; the sandbox implements "Normal" (TextContent) only. */
export const MESSAGE_CONTENT_TYPES = [
  'Normal', 'CannedResponse', 'Location', 'DataToComponent', 'StatusDataRequest', 'Immobilization', 'GoTalk',
  'IoxOutput', 'Beep', 'SerialIox', 'DriverAuthList', 'MimeContent', 'CAN', 'PassthroughEnabledMessage',
  'VehicleCommand', 'OtauContent', 'WorkshopMode', 'FlashMemory', 'MimeReferenceContent',
] as const;
export const IMPLEMENTED_CONTENT_TYPE = 'Normal';

/** TextMessage members the object model has [ff:TextMessage] that the sandbox does not store: refused. */
export const UNMODELLED_TEXT_MESSAGE_MEMBERS = ['replyMessage', 'markedReadBy', 'read', 'messageSize'] as const;

/** TextMessageSearch members [ff:TextMessageSearch, ff:Search]. */
export const TEXT_MESSAGE_SEARCH_IMPLEMENTED = [
  'id', 'userSearch', 'recipientSearch', 'deviceSearch', 'fromDate', 'toDate', 'contentTypes', 'isDirectionToVehicle', 'parentMessageId',
] as const;
export const TEXT_MESSAGE_SEARCH_NOT_IMPLEMENTED = [
  'version', 'channelNumbers', 'groups', 'isDelivered', 'isRead', 'latestMessageOnly', 'mimeTypes', 'modifiedSinceDate', 'parentTextMessageId',
] as const;

/** FuelTransactionProductType [ff:Fuel/FuelTransactionProductType]. */
export const FUEL_PRODUCT_TYPES = [
  'Unknown', 'NonFuel', 'Regular', 'Midgrade', 'Premium', 'Super', 'Diesel', 'E85', 'CNG', 'LPG', 'Hydrogen',
  'DieselExhaustFluid', 'Electric',
] as const;

/** FuelTransactionProvider [ff:Fuel/FuelTransactionProvider]. */
export const FUEL_PROVIDERS = [
  'Unknown', 'WexLegacy', 'WexCustomer', 'Drive', 'FuelTracker', 'Comdata', 'Fuelman', 'Wex', 'Voyager', 'UltramarCST',
  'GFN', 'WexCanada', 'Allstar', 'Keyfuels', 'TFC',
] as const;

/**
 * FuelTransaction text lengths [dev:FuelTransaction]: comments "Maximum length [1024]"; description, driverName,
 * externalReference, licencePlate, serialNumber, vehicleIdentificationNumber "Maximum length [255]". siteName,
 * cardNumber, providerProductDescription and sourceData have no documented limit.
 */
export const FUEL_MAX_LENGTH = {
  comments: 1024,
  description: 255,
  driverName: 255,
  externalReference: 255,
  licencePlate: 255,
  serialNumber: 255,
  vehicleIdentificationNumber: 255,
} as const;

/** FuelEvent members [ff:Fuel/FuelEvent] the sandbox does not store. */
export const UNMODELLED_FUEL_MEMBERS = ['confidence'] as const;

/** FuelTransactionSearch members [ff:Fuel/FuelTransactionSearch, ff:Search]. */
export const FUEL_SEARCH_IMPLEMENTED = [
  'id', 'externalReference', 'deviceSearch', 'userSearch', 'fromDate', 'toDate', 'vehicleIdentificationNumber', 'driverName',
  'provider', 'includeSourceData',
] as const;
export const FUEL_SEARCH_NOT_IMPLEMENTED = ['version', 'maxVersion'] as const;

/** KnownIds of "no device" and "unknown driver": a transaction Geotab cannot match [notes 5.7.2003]. */
export const NO_DEVICE_ID = 'NoDeviceId';
export const UNKNOWN_DRIVER_ID = 'UnknownDriverId';

/** DVIRLogType [ff:DVIRLogType]; RepairStatusType [ff:RepairStatusType]. */
export const DVIR_LOG_TYPES = ['Unknown', 'PreTrip', 'PostTrip', 'InTrip'] as const;
export const REPAIR_STATUSES = ['NotRepaired', 'Repaired', 'NotNecessary'] as const;

/**
 * DVIRLog members [ff:DVIRLog] the sandbox does not store: refused. `authorityName` and `authorityAddress` are
 * "automatically populated based on what the user's corresponding fields are" [notes 5.7.2003].
 */
export const UNMODELLED_DVIR_MEMBERS = [
  'defects', 'engineHours', 'loadHeight', 'loadWidth', 'location', 'duration', 'authorityName', 'authorityAddress', 'isRejected',
] as const;

/** DVIRLogSearch members [ff:DVIRLogSearch, ff:Search]. */
export const DVIR_SEARCH_IMPLEMENTED = [
  'id', 'deviceSearch', 'trailerSearch', 'userSearch', 'fromDate', 'toDate', 'logTypes', 'includeBoundaryLogs',
  'isCertified', 'isDefective', 'isRepaired', 'isSafeToOperate',
] as const;
export const DVIR_SEARCH_NOT_IMPLEMENTED = [
  'version', 'certifiedBySearch', 'defectSearch', 'includeRejected', 'maxVersion', 'minVersion', 'populateLogType',
  'repairedBySearch', 'searchByRemark',
] as const;

/** DefectAssetType [ff:DefectAssetType]; DefectSeverity [ff:DefectSeverity]. */
export const DEFECT_ASSET_TYPES = ['All', 'Device', 'Trailer'] as const;
export const DEFECT_SEVERITIES = ['Normal', 'Critical', 'Unregulated'] as const;

/** DefectSearch members [ff:DefectSearch, ff:GroupSearch, ff:Search]. */
export const DEFECT_SEARCH_IMPLEMENTED = ['id', 'name', 'deviceSearch', 'trailerSearch', 'includeAllTrees'] as const;
export const DEFECT_SEARCH_NOT_IMPLEMENTED = ['version', 'reference', 'groups', 'groupFilterCondition', 'maxId'] as const;

/**
 * Per-(method, entity) limits per user and database, "Limit of N … requests per 1m" [dev:FuelTransaction:
 * Get 250, Add 1000; dev:DVIRLog: Get 1000, Set 350, Add 350; dev:Defect: Get 300]. TextMessage publishes
 * none in any stored copy: its calls take the sandbox's `call_per_minute`, per (method, entity) as well.
 */
export const WRITE_RATE_LIMITS = {
  'Add:FuelTransaction': 1000,
  'Get:FuelTransaction': 250,
  'Add:DVIRLog': 350,
  'Set:DVIRLog': 350,
  'Get:DVIRLog': 1000,
  'Get:Defect': 300,
} as const;
export type WriteRateClass = keyof typeof WRITE_RATE_LIMITS;

/**
 * Every new database's defect lists: one for vehicles, one for trailers.
 * DISAGREES WITH VENDOR: a real database starts with Geotab's own default lists, whose part names Geotab
 * does not publish. The sandbox's lists name the parts of 49 CFR 396.11(a)(1) (the inspection items of the
 * regulation Geotab's regulated defects follow: "Unregulated" defects "are not included in the Electronic
 * Code of Federal Regulations §396.11" [drive]); the control API replaces them (PUT /_sandbox/defect-lists).
 */
export interface DefectListSpec {
  name: string;
  assetType: (typeof DEFECT_ASSET_TYPES)[number];
  parts: Array<{ name: string; reference?: string; isHidden?: boolean; isRequired?: boolean; severity?: (typeof DEFECT_SEVERITIES)[number]; defects: Array<{ name: string; severity?: (typeof DEFECT_SEVERITIES)[number] }> }>;
}

const part = (name: string, ...defects: string[]) => ({ name, defects: defects.map((d) => ({ name: d })) });

export const DEFAULT_DEFECT_LISTS: readonly DefectListSpec[] = [
  {
    name: 'Vehicle Defects',
    assetType: 'Device',
    parts: [
      part('Service Brakes Including Trailer Brake Connections', 'Air leak', 'Slow to release'),
      part('Parking Brake', 'Does not hold'),
      part('Steering Mechanism', 'Excessive play'),
      part('Lighting Devices and Reflectors', 'Light out', 'Reflector missing'),
      part('Tires', 'Low tread', 'Flat'),
      part('Horn', 'Inoperative'),
      part('Windshield Wipers', 'Inoperative'),
      part('Rear Vision Mirrors', 'Cracked'),
      part('Coupling Devices', 'Worn'),
      part('Wheels and Rims', 'Cracked rim', 'Loose lug nuts'),
      part('Emergency Equipment', 'Missing'),
    ],
  },
  {
    name: 'Trailer Defects',
    assetType: 'Trailer',
    parts: [
      part('Service Brakes Including Trailer Brake Connections', 'Air leak'),
      part('Lighting Devices and Reflectors', 'Light out'),
      part('Tires', 'Low tread'),
      part('Wheels and Rims', 'Cracked rim'),
      part('Coupling Devices', 'Worn kingpin'),
    ],
  },
];
