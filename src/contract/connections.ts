// Connections on the wire, in Catena's shapes (shared/reference/catena/integrations.openapi.json:
// ConnectionCreate, ConnectionUpdate, ConnectionRead), with fleetgate's own fields added as optional ones.
// Bodies accept fields they do not know and ignore them, as Catena (pydantic) does; the fields they do
// know are validated strictly.
import { z } from 'zod';
import { CONNECTION_STATUSES } from './enums.ts';
import { SourceNameEnum } from './common/source-names.ts';
import { baseUrlSchema } from './common/urls.ts';
import { ConnectionCredentialsRead } from './credentials-read.ts';

// Pages moved to common/pages.ts; re-exported for the routes that import them from here.
export { PageQuery, pageOf } from './common/pages.ts';

// A base URL is a scheme, host, port and path: no credentials, query or fragment (a fragment would let
// the caller cut off the paths the adapter appends). One grammar, published as the schema's pattern.
const baseUrl = baseUrlSchema();

/**
 * A whole number in min..max. Not `.int()`: zod stops at a fraction there (an aborting issue), and then
 * skips the body's own checks (exactly one of tsp_id or tsp), so a 422 would not list every problem.
 */
const wholeNumber = (min: number, max: number) =>
  z.number().min(min).max(max).refine(Number.isInteger, 'must be a whole number').meta({ type: 'integer' });

const rateLimit = wholeNumber(1, 100_000)
  .describe(
    "Requests per minute fleetgate sends this connection in each endpoint class of the TSP's API that has no documented limit of its own (for Motive: every call), overriding the TSP default; a class with a documented limit keeps it as a ceiling. Each class has its own schedule: this is not a total across classes.",
  );
/** Class names as descriptors and Geotab's `<method>:<typeName>` spell them. */
const rateClassName = z.string().regex(/^[A-Za-z][\w:.-]{0,63}$/, 'must be an endpoint class name such as trailers or Add:Device');
const rateLimitsByClass = z
  .record(rateClassName, wholeNumber(1, 100_000))
  .refine((r) => Object.keys(r).length <= 50, 'at most 50 classes')
  .describe(
    "Requests per minute per endpoint class of the TSP's API (see the TSP catalogue's rate_limit_classes), overriding the TSP's limit for that class, above or below it: for a fleet whose TSP granted it more, or that shares its quota with other apps.",
  );

const fleetRef = z.string().max(200);
const description = z
  .string()
  .max(1000)
  .nullable()
  .optional()
  .describe('A description of the connection. Useful when the fleet has multiple accounts with the same TSP.');

/** The statuses a partner may set with PATCH; the others are fleetgate's to set, or Catena's alone. */
export const SETTABLE_CONNECTION_STATUSES = ['active', 'paused'] as const;
const STATUS_RULE =
  'A PATCH may set active or paused. fleetgate sets failed itself (the TSP refused the credentials) and deleted on DELETE; cancelled and stale are statuses of Catena that fleetgate never sets.';

/** What the connection schemas need to know of each TSP (read off its descriptor). */
export interface TspContract {
  tsp: string;
  tspId: string;
  displayName: string;
  credentialsSchema: z.ZodType<Record<string, string>>;
}

type TspSet = Readonly<Record<string, TspContract>>;
const contracts = new WeakMap<TspSet, ReturnType<typeof buildConnectionContract>>();

/** The connection request bodies for this set of TSPs: the `tsp` and `tsp_id` enums and each TSP's credential schema. */
export function connectionContract(set: TspSet) {
  let built = contracts.get(set);
  if (!built) contracts.set(set, (built = buildConnectionContract(Object.values(set))));
  return built;
}

const given = (v: unknown) => v !== undefined;

function buildConnectionContract(tsps: readonly TspContract[]) {
  const names = tsps.map((t) => t.tsp) as [string, ...string[]];
  const ids = tsps.map((t) => t.tspId) as [string, ...string[]];
  /** The `tsp` enum, in bodies and in list filters alike. */
  const TspName = z.enum(names);
  const TspId = z
    .enum(ids, {
      error: (iss) =>
        typeof iss.input === 'string'
          ? `unknown tsp_id ${iss.input}: GET /v2/integrations/tsps lists the TSPs and their ids`
          : 'must be a tsp_id (a UUID from GET /v2/integrations/tsps)',
    })
    .meta({ format: 'uuid' })
    .describe(
      `The ID of the Telematics Service Provider (TSP) that the fleet uses, as GET /v2/integrations/tsps lists them (${tsps.map((t) => `${t.displayName}: ${t.tspId}`).join(', ')}).`,
    );
  const credentials = z
    .union(tsps.map((t) => t.credentialsSchema) as [z.ZodType<Record<string, string>>, ...Array<z.ZodType<Record<string, string>>>])
    .describe(
      `The TSP's credentials, as its schema says (${tsps.map((t) => t.displayName).join(', ')}); they must be the connection's TSP's (the one tsp_id or tsp names). Checked against the TSP, stored sealed, only ever returned masked.`,
    );
  const fleetId = z.uuid().describe('fleetgate extension: the fleet (POST /v2/integrations/fleets) this connection is an account of.');

  const CreateConnectionBody = z
    .object({
      tsp_id: TspId.optional(),
      tsp: TspName.optional().describe('fleetgate extension: the TSP by its wire name (its source_name), instead of tsp_id.'),
      credentials,
      description,
      fleet_ref: fleetRef
        .nullable()
        .optional()
        .describe("fleetgate extension: the partner's own reference for the fleet. The partner's fleet with this reference is used, created on first use."),
      fleet_id: fleetId.nullable().optional(),
      sandbox: z.boolean().optional().describe('fleetgate extension. true: the built-in sandbox of the TSP (served by this fleetgate under /sandbox/<tsp>).'),
      base_url: baseUrl
        .optional()
        .describe("fleetgate extension: a TSP-compatible endpoint (e.g. https://api.gomotive.com). Without it or sandbox, the TSP's own API (the catalogue's default)."),
      rate_limit_per_minute: rateLimit.nullable().optional(),
      rate_limits_per_minute: rateLimitsByClass.nullable().optional(),
    })
    // Catena names the TSP by tsp_id; fleetgate's older bodies by tsp. One of them, never both (they could disagree).
    .refine((b) => given(b.tsp_id) || given(b.tsp), {
      path: ['tsp_id'],
      message: 'required: the TSP by its tsp_id (GET /v2/integrations/tsps), or by its wire name in tsp',
      when: (p) => typeof p.value === 'object' && p.value !== null,
    })
    .refine((b) => !(given(b.tsp_id) && given(b.tsp)), {
      path: ['tsp'],
      message: 'give the TSP once: tsp_id or tsp, not both',
      when: (p) => typeof p.value === 'object' && p.value !== null,
    })
    .meta({
      id: 'ConnectionCreate',
      description:
        "A connection: Catena's body (tsp_id, credentials, description), with fleetgate's optional fields. Exactly one of tsp_id or tsp: without either, the problem is at tsp_id; with both, at tsp. Fields the body does not declare are ignored.",
      oneOf: [{ required: ['tsp_id'] }, { required: ['tsp'] }],
    });

  const UpdateConnectionBody = z
    .object({
      credentials: credentials
        .nullable()
        .optional()
        .describe("New credentials of the connection's TSP, checked against the TSP before they replace the stored ones; null or absent: unchanged."),
      description,
      status: z
        .enum(SETTABLE_CONNECTION_STATUSES, { error: () => `must be active or paused. ${STATUS_RULE}` })
        .nullable()
        .optional()
        .describe(
          `Pause or resume writes through this connection (null or absent: unchanged). ${STATUS_RULE} active on a failed connection checks its stored credentials at the TSP again (422 invalid_credentials if still refused); new credentials that the TSP accepts make a failed connection active without it.`,
        ),
      fleet_ref: fleetRef
        .nullable()
        .optional()
        .describe("fleetgate extension: moves the connection to the partner's fleet with this reference (created on first use); null: to no fleet."),
      fleet_id: fleetId.nullable().optional().describe('fleetgate extension: moves the connection to this fleet of the partner; null: to no fleet.'),
      base_url: baseUrl.optional().describe('fleetgate extension.'),
      rate_limit_per_minute: rateLimit.nullable().optional(),
      rate_limits_per_minute: rateLimitsByClass.nullable().optional(),
    })
    .meta({ id: 'ConnectionUpdate', description: 'Fields the body does not declare are ignored.' });
  return { CreateConnectionBody, UpdateConnectionBody, TspName, TspId };
}

export const ConnectionRead = z
  .object({
    id: z.uuid().describe('Unique identifier for the connection.'),
    created_at: z.iso.datetime().describe('Timestamp when the connection was created.'),
    updated_at: z.iso.datetime().describe('Timestamp when the connection was last updated.'),
    fleet_id: z.uuid().nullable().describe("The fleet this connection is an account of (GET /v2/integrations/fleets/{fleet_id}); null when it was made with neither fleet_ref nor fleet_id."),
    fleet_ref: z.string().nullable().optional().describe("The reference of the fleet in the partner's system."),
    tsp_id: z.uuid().describe('The ID of the TSP (GET /v2/integrations/tsps/{tsp_id}).'),
    source_name: SourceNameEnum.describe('The name of the TSP integration used for this connection (the same as tsp).'),
    credentials: ConnectionCredentialsRead,
    status: z
      .enum(CONNECTION_STATUSES)
      .describe(
        `The current status of the connection. fleetgate sets active, paused (by PATCH), failed and deleted, never cancelled or stale. failed: the TSP refused the credentials; writes are kept (queued, not attempted) until a credential update that the TSP accepts makes it active again. ${STATUS_RULE}`,
      ),
    description: z.string().nullable().describe('A description of the connection.'),
    tsp: z.string().optional().describe('fleetgate extension: the TSP by its wire name (the same as source_name).'),
    status_reason: z
      .string()
      .nullable()
      .optional()
      .describe('fleetgate extension: why the connection is failed (what the TSP answered, and to which operation); null when it is not.'),
    failed_at: z.string().nullable().optional().describe('fleetgate extension: when the connection failed; null when it is not failed.'),
    sandbox: z.boolean().optional().describe('fleetgate extension: whether the connection is to the built-in sandbox.'),
    base_url: z.string().nullable().optional().describe('fleetgate extension: where the TSP is called (null for the built-in sandbox).'),
    rate_limit_per_minute: z.number().int().nullable().optional().describe('fleetgate extension.'),
    rate_limits_per_minute: z.record(z.string(), z.number().int()).nullable().optional().describe('fleetgate extension.'),
  })
  .meta({ id: 'ConnectionRead', description: 'A connection: Catena\'s ConnectionRead, with fleetgate\'s optional fields.' });

/** The name the engine's events and older imports know the read by. */
export const Connection = ConnectionRead;

