// Connections and the TSP catalogue on the wire.
import { z } from 'zod';
import { OPERATION_TYPES, RESOURCES } from './enums.ts';

// A base URL is a scheme, host, port and path: no credentials, query or fragment (a fragment would let
// the caller cut off the paths the adapter appends).
const baseUrl = z
  .url({ protocol: /^https?$/ })
  .refine((u) => {
    const url = new URL(u);
    return !url.username && !url.password && !url.search && !url.hash && !u.includes('#') && !u.includes('?');
  }, 'must be scheme://host[:port][/path], without credentials, query or fragment');

const rateLimit = z.number().int().min(1).max(100_000).describe('Requests per minute fleetgate sends this connection (overrides the TSP default).');

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
  const credentials = z
    .union(tsps.map((t) => t.credentialsSchema) as [z.ZodType<Record<string, string>>, ...Array<z.ZodType<Record<string, string>>>])
    .describe(
      `The TSP's credentials, as its schema says (${tsps.map((t) => t.displayName).join(', ')}); they must be the connection's TSP's. Checked against the TSP, stored sealed, never returned.`,
    );
  const CreateConnectionBody = z
    .strictObject({
      tsp: z.enum(names).describe(`Which TSP (GET /v2/integrations/tsps lists them).`),
      credentials,
      fleet_ref: z.string().max(200).nullable().optional().describe("The partner's own reference for the fleet."),
      description: z.string().max(1000).nullable().optional(),
      sandbox: z.boolean().optional().describe("true: the built-in sandbox of the TSP (served by this fleetgate under /sandbox/<tsp>)."),
      base_url: baseUrl.optional().describe('A TSP-compatible endpoint (e.g. https://api.gomotive.com).'),
      rate_limit_per_minute: rateLimit.nullable().optional(),
    })
    .meta({ id: 'ConnectionCreate' });

  const UpdateConnectionBody = z
    .strictObject({
      fleet_ref: z.string().max(200).nullable().optional(),
      description: z.string().max(1000).nullable().optional(),
      status: z.enum(['active', 'paused']).optional().describe('Pause or resume writes through this connection.'),
      credentials: credentials.optional(),
      base_url: baseUrl.optional(),
      rate_limit_per_minute: rateLimit.nullable().optional(),
    })
    .meta({ id: 'ConnectionUpdate' });
  return { CreateConnectionBody, UpdateConnectionBody };
}

export const Connection = z
  .object({
    id: z.uuid(),
    tsp: z.string(),
    fleet_ref: z.string().nullable(),
    description: z.string().nullable(),
    status: z.enum(['active', 'failed', 'paused', 'deleted']),
    sandbox: z.boolean(),
    base_url: z.string().nullable(),
    credentials: z.record(z.string(), z.string()).describe('Masked.'),
    rate_limit_per_minute: z.number().int().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Connection' });

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      current_page: z.string().nullable(),
      next_page: z.string().nullable(),
      previous_page: z.string().nullable(),
    })
    .meta({ id });

export const PageQuery = {
  cursor: z.string().max(500).optional().describe('Opaque cursor from next_page or previous_page.'),
  size: z.coerce.number().int().min(1).max(1000).default(300).describe('Items per page (1..1000).'),
};

const capability = z.enum(['implemented', 'not_implemented', 'not_supported']);

export const TspInfo = z
  .object({
    tsp: z.string(),
    name: z.string(),
    sandbox_path: z.string(),
    default_rate_limit_per_minute: z.number().int(),
    resources: z
      .record(z.string(), z.record(z.string(), capability))
      .describe(`Per resource (${RESOURCES.length} of them) and operation (${OPERATION_TYPES.join(', ')}): whether this TSP can do it through fleetgate.`),
    fields: z
      .record(z.string(), z.record(z.string(), z.boolean()))
      .describe('Per resource the TSP has an adapter for: whether it stores each normalized field.'),
    user_fields: z.record(z.string(), z.boolean()).describe('Whether the TSP stores each normalized user field (fields.user).'),
  })
  .meta({ id: 'Tsp' });
