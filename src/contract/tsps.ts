// The TSP catalogue on the wire: Catena's TspIntegrationsRead (one support status per resource of its
// ResourceEnum, and their counts), with fleetgate's finer matrix (per resource and operation, per field,
// rate-limit classes) as added optional fields.
import { z } from 'zod';
import { INTEGRATION_STATUSES, OPERATION_TYPES, RESOURCES } from './enums.ts';
import { SourceNameEnum } from './common/source-names.ts';

const status = z.enum(INTEGRATION_STATUSES);

/** How a TSP's per-operation support becomes Catena's one status per resource (the catalogue route applies it). */
export const INTEGRATION_RULE =
  "implemented: fleetgate writes the resource to this TSP (creates, updates or both); not_supported: the TSP's API can do none of fleetgate's writes of it; not_implemented: otherwise. A resource fleetgate writes to no TSP (hos_event, say: fleetgate is a write API and has no adapter for it) is not_implemented, which does not claim the TSP could take it.";

export const TspIntegrationsRead = z
  .object({
    tsp_id: z.uuid().describe('Unique identifier for the Telematics Service Provider (TSP); stable.'),
    slug: z.string().nullable().optional().describe('Human-friendly slug for the TSP (its wire name).'),
    source_name: SourceNameEnum.nullable().optional().describe('The name of the TSP integration (a connection\'s source_name).'),
    integrations: z
      .record(z.enum(RESOURCES), status)
      .describe(`Map of every resource of Catena's ResourceEnum (${RESOURCES.length}) to its status through fleetgate. ${INTEGRATION_RULE}`),
    implemented_count: z.number().int().describe('How many resources are implemented.'),
    not_implemented_count: z.number().int().describe('How many resources are not_implemented.'),
    not_supported_count: z.number().int().describe('How many resources are not_supported by the TSP.'),
    tsp: z.string().optional().describe('fleetgate extension: the wire name a connection body may give as tsp.'),
    name: z.string().optional().describe('fleetgate extension: the TSP\'s display name.'),
    sandbox_path: z.string().optional().describe('fleetgate extension: where this fleetgate serves the TSP\'s sandbox (when it serves sandboxes).'),
    default_base_url: z.string().optional().describe("fleetgate extension: the TSP's own API, which a connection made without base_url or sandbox calls."),
    default_rate_limit_per_minute: z.number().int().optional(),
    rate_limit_classes: z
      .record(z.string(), z.object({ per_minute: z.number().int(), source: z.string() }))
      .optional()
      .describe("fleetgate extension: endpoint classes of the TSP's API with a documented limit of their own; each keeps its own schedule per connection, and a 429 pauses only its class."),
    resources: z
      .record(z.string(), z.record(z.string(), status))
      .optional()
      .describe(`fleetgate extension: per resource (${RESOURCES.length} of them) and operation (${OPERATION_TYPES.join(', ')}), whether this TSP can do it through fleetgate.`),
    fields: z
      .record(z.string(), z.record(z.string(), z.boolean()))
      .optional()
      .describe('fleetgate extension: per resource the TSP has an adapter for, whether it stores each normalized field.'),
    user_fields: z.record(z.string(), z.boolean()).optional().describe('fleetgate extension: whether the TSP stores each normalized user field (fields.user).'),
    unsupported_reasons: z
      .record(z.string(), z.record(z.string(), z.string()))
      .optional()
      .describe('fleetgate extension: per resource and operation the TSP does not support, why (what its API lacks).'),
    creates_not_retried: z
      .record(z.string(), z.string())
      .optional()
      .describe(
        'fleetgate extension: per resource whose records the TSP gives no way to look up again, why. A create of it whose outcome is unknown (timeout, 5xx, lost answer) is failed with that reason instead of being retried, since a retry might record it twice; retry it by hand after checking the fleet.',
      ),
  })
  .meta({ id: 'TspIntegrationsRead', description: 'Which resources fleetgate writes to a TSP: Catena\'s TspIntegrationsRead, with fleetgate\'s finer matrix added.' });

export const TspIdParams = z.object({ tsp_id: z.uuid().describe('The TSP\'s tsp_id.') });
