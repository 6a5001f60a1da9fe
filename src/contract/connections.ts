// Connections and the TSP catalogue on the wire.
import { z } from 'zod';
import { OPERATION_TYPES, RESOURCES } from './enums.ts';
import { baseUrlSchema } from './common/urls.ts';

// Pages moved to common/pages.ts; re-exported for the routes that import them from here.
export { PageQuery, pageOf } from './common/pages.ts';

// A base URL is a scheme, host, port and path: no credentials, query or fragment (a fragment would let
// the caller cut off the paths the adapter appends). One grammar, published as the schema's pattern.
const baseUrl = baseUrlSchema();

const rateLimit = z
  .number()
  .int()
  .min(1)
  .max(100_000)
  .describe(
    "Requests per minute fleetgate sends this connection in each endpoint class of the TSP's API that has no documented limit of its own (for Motive: every call), overriding the TSP default; a class with a documented limit keeps it as a ceiling. Each class has its own schedule: this is not a total across classes.",
  );
/** Class names as descriptors and Geotab's `<method>:<typeName>` spell them. */
const rateClassName = z.string().regex(/^[A-Za-z][\w:.-]{0,63}$/, 'must be an endpoint class name such as trailers or Add:Device');
const rateLimitsByClass = z
  .record(rateClassName, z.number().int().min(1).max(100_000))
  .refine((r) => Object.keys(r).length <= 50, 'at most 50 classes')
  .describe(
    "Requests per minute per endpoint class of the TSP's API (see the TSP catalogue's rate_limit_classes), overriding the TSP's limit for that class, above or below it: for a fleet whose TSP granted it more, or that shares its quota with other apps.",
  );

/** What the connection schemas need to know of each TSP (read off its descriptor). */
export interface TspContract {
  tsp: string;
  displayName: string;
  credentialsSchema: z.ZodType<Record<string, string>>;
}

type TspSet = Readonly<Record<string, TspContract>>;
const contracts = new WeakMap<TspSet, ReturnType<typeof buildConnectionContract>>();

/** The connection request bodies for this set of TSPs: the `tsp` enum and each TSP's credential schema. */
export function connectionContract(set: TspSet) {
  let built = contracts.get(set);
  if (!built) contracts.set(set, (built = buildConnectionContract(Object.values(set))));
  return built;
}

function buildConnectionContract(tsps: readonly TspContract[]) {
  const names = tsps.map((t) => t.tsp) as [string, ...string[]];
  /** The `tsp` enum, in bodies and in list filters alike. */
  const TspName = z.enum(names);
  const credentials = z
    .union(tsps.map((t) => t.credentialsSchema) as [z.ZodType<Record<string, string>>, ...Array<z.ZodType<Record<string, string>>>])
    .describe(
      `The TSP's credentials, as its schema says (${tsps.map((t) => t.displayName).join(', ')}); they must be the connection's TSP's. Checked against the TSP, stored sealed, never returned.`,
    );
  const CreateConnectionBody = z
    .strictObject({
      tsp: TspName.describe(`Which TSP (GET /v2/integrations/tsps lists them).`),
      credentials,
      fleet_ref: z.string().max(200).nullable().optional().describe("The partner's own reference for the fleet."),
      description: z.string().max(1000).nullable().optional(),
      sandbox: z.boolean().optional().describe("true: the built-in sandbox of the TSP (served by this fleetgate under /sandbox/<tsp>)."),
      base_url: baseUrl.optional().describe('A TSP-compatible endpoint (e.g. https://api.gomotive.com).'),
      rate_limit_per_minute: rateLimit.nullable().optional(),
      rate_limits_per_minute: rateLimitsByClass.nullable().optional(),
    })
    .meta({ id: 'ConnectionCreate' });

  const UpdateConnectionBody = z
    .strictObject({
      fleet_ref: z.string().max(200).nullable().optional(),
      description: z.string().max(1000).nullable().optional(),
      status: z.enum(['active', 'paused']).optional().describe(
        'Pause or resume writes through this connection. active on a failed connection checks its stored credentials at the TSP again (422 invalid_credentials if still refused); new credentials that the TSP accepts make a failed connection active without it.',
      ),
      credentials: credentials.optional(),
      base_url: baseUrl.optional(),
      rate_limit_per_minute: rateLimit.nullable().optional(),
      rate_limits_per_minute: rateLimitsByClass.nullable().optional(),
    })
    .meta({ id: 'ConnectionUpdate' });
  return { CreateConnectionBody, UpdateConnectionBody, TspName };
}

export const Connection = z
  .object({
    id: z.uuid(),
    tsp: z.string(),
    fleet_ref: z.string().nullable(),
    description: z.string().nullable(),
    status: z
      .enum(['active', 'failed', 'paused', 'deleted'])
      .describe(
        'failed: the TSP refused the credentials; writes are kept (queued, not attempted) until a credential update that the TSP accepts makes it active again.',
      ),
    status_reason: z
      .string()
      .nullable()
      .optional()
      .describe('Why the connection is failed (what the TSP answered, and to which operation); null when it is not.'),
    failed_at: z.string().nullable().optional().describe('When the connection failed; null when it is not failed.'),
    sandbox: z.boolean(),
    base_url: z.string().nullable(),
    credentials: z.record(z.string(), z.string()).describe('Masked.'),
    rate_limit_per_minute: z.number().int().nullable(),
    rate_limits_per_minute: z.record(z.string(), z.number().int()).nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Connection' });

const capability = z.enum(['implemented', 'not_implemented', 'not_supported']);

export const TspInfo = z
  .object({
    tsp: z.string(),
    name: z.string(),
    sandbox_path: z.string(),
    default_rate_limit_per_minute: z.number().int(),
    rate_limit_classes: z
      .record(z.string(), z.object({ per_minute: z.number().int(), source: z.string() }))
      .describe("Endpoint classes of the TSP's API with a documented limit of their own; each keeps its own schedule per connection, and a 429 pauses only its class."),
    resources: z
      .record(z.string(), z.record(z.string(), capability))
      .describe(`Per resource (${RESOURCES.length} of them) and operation (${OPERATION_TYPES.join(', ')}): whether this TSP can do it through fleetgate.`),
    fields: z
      .record(z.string(), z.record(z.string(), z.boolean()))
      .describe('Per resource the TSP has an adapter for: whether it stores each normalized field.'),
    user_fields: z.record(z.string(), z.boolean()).describe('Whether the TSP stores each normalized user field (fields.user).'),
    unsupported_reasons: z
      .record(z.string(), z.record(z.string(), z.string()))
      .describe("Per resource and operation the TSP does not support: why (what its API lacks)."),
    creates_not_retried: z
      .record(z.string(), z.string())
      .describe(
        'Per resource whose records the TSP gives no way to look up again: why. A create of it whose outcome is unknown (timeout, 5xx, lost answer) is failed with that reason instead of being retried, since a retry might record it twice; retry it by hand after checking the fleet.',
      ),
  })
  .meta({ id: 'Tsp' });
