// MyGeotab's TextMessage, FuelTransaction, DVIRLog and Defect vocabulary as the message, fuel and DVIR
// adapters write it. Sources (read with the search tool; commits as stored):
//   [dev:X]  developers.geotab.com/myGeotab/apiReference/objects/X (Geotab's API reference; the pages for
//            FuelTransaction, DVIRLog and Defect, with their "Rate limits" tables, read through the search
//            index's copy of the reference)
//   [ff:X]   github.com/fairfleet/geotab @8ee9e1c src/types/Checkmate/ObjectModel/X.ts (Geotab's .NET object
//            model generated as TypeScript; doc comments are Geotab's own)
//   [sdkxml] github.com/Geotab/sdk @1c6c15ae software/api/SDK.xml (object-model documentation)
//   [notes]  github.com/Geotab/sdk @8e1d28ac src/new.md (release notes)
//   [drive]  developers.geotab.com/drive/examples ("DVIR APIs")
//   [adapter] github.com/Geotab/mygeotab-api-adapter @f425611 MyGeotabAPIAdapter/Services/DVIRLogProcessor2.cs

/** The rate-limit classes these adapters' calls take (client.ts classes every call `<method>:<typeName>`). */
export const WRITE_CLASSES = {
  addMessage: 'Add:TextMessage',
  getMessage: 'Get:TextMessage',
  addFuel: 'Add:FuelTransaction',
  getFuel: 'Get:FuelTransaction',
  addDvir: 'Add:DVIRLog',
  getDvir: 'Get:DVIRLog',
  getDefect: 'Get:Defect',
} as const;

/**
 * "Rate limits" tables [dev:X]: FuelTransaction Get 250, Add 1000 per 1m; DVIRLog Get 1000, Add 350 per 1m;
 * Defect Get 300 per 1m. No TextMessage table was found in any stored copy of Geotab's reference: its
 * calls keep classes of their own (Geotab limits each method and entity apart) at the default.
 */
export const WRITE_RATE_LIMITS = {
  'Add:FuelTransaction': 1000,
  'Get:FuelTransaction': 250,
  'Add:DVIRLog': 350,
  'Get:DVIRLog': 1000,
  'Get:Defect': 300,
} as const;

/** TextContent: `contentType` "Normal" is a basic text message [ff:MessageContentType; sdkxml TextContent]. */
export const TEXT_CONTENT_TYPE = 'Normal';

/** FuelTransactionProductType [ff:Fuel/FuelTransactionProductType]. */
export const GEOTAB_FUEL_PRODUCT_TYPES = [
  'Unknown', 'NonFuel', 'Regular', 'Midgrade', 'Premium', 'Super', 'Diesel', 'E85', 'CNG', 'LPG', 'Hydrogen',
  'DieselExhaustFluid', 'Electric',
] as const;
export type GeotabFuelProductType = (typeof GEOTAB_FUEL_PRODUCT_TYPES)[number];

/** FuelTransaction.externalReference "Maximum length [255]" [dev:FuelTransaction]. */
export const GEOTAB_FUEL_EXTERNAL_REFERENCE_MAX = 255;

/** DVIRLogType [ff:DVIRLogType]; `Unknown` is the default. */
export const GEOTAB_DVIR_LOG_TYPES = ['Unknown', 'PreTrip', 'PostTrip', 'InTrip'] as const;
export type GeotabDvirLogType = (typeof GEOTAB_DVIR_LOG_TYPES)[number];

/** DefectAssetType of a defect list: which assets it applies to [ff:DefectAssetType]. */
export type GeotabDefectAssetType = 'All' | 'Device' | 'Trailer';

/** RepairStatusType of a DVIRDefect [ff:RepairStatusType]: only NotRepaired leaves a defect outstanding. */
export const GEOTAB_OUTSTANDING_REPAIR_STATUS = 'NotRepaired';
