// What the TextMessage, FuelTransaction and DVIRLog entities of a sandbox database need to know about its
// other entities: whether a User, Device or Trailer id exists, and which device a fuel card's vehicle details
// name. ./database.ts provides them over its users and ./assets.ts.
export interface Lookups {
  user(id: string): boolean;
  device(id: string): boolean;
  trailer(id: string): boolean;
  /**
   * The device a transaction without one belongs to: "Fuel card information will be matched to a Device by
   * one of these fields: vehicleIdentificationNumber, serialNumber, licencePlate or comments" [dev:FuelTransaction].
   */
  deviceMatching(fields: { vehicleIdentificationNumber: string; serialNumber: string; licencePlate: string }): string | undefined;
}
