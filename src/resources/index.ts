// Every resource fleetgate serves, declared once each (see engine/resource.ts for what a declaration holds).
import type { ResourceDefinition } from '../engine/resource.ts';
import { userResource } from './users.ts';

export const RESOURCE_DEFINITIONS: readonly ResourceDefinition[] = [userResource];
