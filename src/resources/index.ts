// Every resource fleetgate serves, declared once each (see engine/resource.ts for what a declaration holds).
import type { ResourceDefinition } from '../engine/resource.ts';
import { trailerResource } from './trailers.ts';
import { userResource } from './users.ts';
import { vehicleResource } from './vehicles.ts';
import { dvirLogResource, fuelTransactionResource, groupMessageResource, messageResource } from './writes-once.ts';

export const RESOURCE_DEFINITIONS: readonly ResourceDefinition[] = [
  userResource,
  vehicleResource,
  trailerResource,
  messageResource,
  groupMessageResource,
  fuelTransactionResource,
  dvirLogResource,
];
