// Catena's `TspEnum` as one OpenAPI component: every TSP name Catena's reads carry as `source_name` and its
// filters take (the list itself is in contract/enums.ts, TSP_SOURCE_NAMES). fleetgate writes to three of
// them (the TSP registry's wire names); a filter naming another is valid and matches nothing.
import { z } from 'zod';
import { TSP_SOURCE_NAMES } from '../enums.ts';

export const SourceNameEnum = z.enum(TSP_SOURCE_NAMES).meta({ id: 'TspEnum', description: 'Enum for TSPs' });
