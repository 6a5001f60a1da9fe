// Connections: one fleet's account at one TSP. Credentials are checked against the TSP before the
// row is stored, sealed with AES-256-GCM (the connection id as associated data, so a sealed value
// cannot be moved to another row), and only ever shown masked. A connection belongs to the partner's
// fleet named by its fleet_ref (found or created) or fleet_id; fleet_ref is kept as the fleet's, so
// a read or a filter needs no join.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { ConnectionRead } from '../contract/connections.ts';
import type { Database, Db } from '../db/client.ts';
import { rowFrom, selectColumns } from '../db/rows.ts';
import { countOf, cursorText, keysetPage } from '../db/pagination.ts';
import type { Page } from '../db/pagination.ts';
import { connections } from '../db/schema.ts';
import { ADAPTERS, adapterFor } from '../tsps/registry.ts';
import type { TspAdapter, TspRegistry } from '../tsps/kit/descriptor.ts';
import type { TspTarget } from '../tsps/kit/types.ts';
import type { AccountsContext } from './context.ts';
import { fleetForId, fleetForRef } from './fleets.ts';
import { redeemCredentials } from './credential-refresh.ts';
import { AppError, notFound, validationFailed } from '../platform/errors.ts';
import type { ValidationProblem } from '../platform/errors.ts';
import { seal, unseal } from '../platform/keys.ts';
import { checkOutboundUrl, outboundDispatcher } from '../platform/urls.ts';

export type ConnectionRow = typeof connections.$inferSelect;

export type ConnectionView = z.infer<typeof ConnectionRead>;

/** What a connection keeps of its rate limits (engine/policy/ratelimit.ts reads them). */
export type ConnectionSettings = { rate_limit_per_minute?: number; rate_limits_per_minute?: Record<string, number> };

/** The read of a connection: Catena's ConnectionRead (tsp_id and source_name from its TSP) and fleetgate's fields. */
export function viewConnection(row: ConnectionRow, registry: TspRegistry = ADAPTERS): ConnectionView {
  const settings = row.settings as ConnectionSettings;
  const adapter = adapterFor(row.tsp, registry);
  if (!adapter) throw new AppError(500, `No adapter for TSP ${row.tsp}`);
  return {
    id: row.id,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    fleet_id: row.fleetId,
    fleet_ref: row.fleetRef,
    tsp_id: adapter.tspId,
    source_name: adapter.tsp as ConnectionView['source_name'],
    credentials: row.credentialsMasked as ConnectionView['credentials'],
    status: row.status as ConnectionView['status'],
    description: row.description,
    tsp: row.tsp,
    status_reason: row.statusReason,
    failed_at: row.failedAt ? row.failedAt.toISOString() : null,
    sandbox: row.sandbox,
    base_url: row.baseUrl,
    rate_limit_per_minute: settings.rate_limit_per_minute ?? null,
    rate_limits_per_minute: settings.rate_limits_per_minute ?? null,
  };
}

export interface ConnectionInput {
  /** The TSP: Catena's tsp_id or fleetgate's wire name, exactly one of them. */
  tsp_id?: string;
  tsp?: string;
  credentials: Record<string, unknown>;
  fleet_ref?: string | null;
  fleet_id?: string | null;
  description?: string | null;
  sandbox?: boolean;
  base_url?: string | null;
  rate_limit_per_minute?: number | null;
  rate_limits_per_minute?: Record<string, number> | null;
}

const problem = (path: string[], input: unknown, message: string, error_type: string): ValidationProblem => ({
  path: ['body', ...path],
  input,
  message,
  error_type,
});

function adapterOrFail(tsp: string, registry: TspRegistry = ADAPTERS): TspAdapter {
  const adapter = adapterFor(tsp, registry);
  if (!adapter) throw validationFailed([problem(['tsp'], tsp, 'unknown TSP', 'enum')]);
  return adapter;
}

/** The TSP a create body names, by tsp_id (Catena) or tsp (fleetgate): exactly one of them. */
function adapterNamed(input: Pick<ConnectionInput, 'tsp' | 'tsp_id'>, registry: TspRegistry): TspAdapter {
  if (input.tsp !== undefined && input.tsp_id !== undefined) throw validationFailed([problem(['tsp'], input.tsp, 'give the TSP once: tsp_id or tsp, not both', 'tsp')]);
  if (input.tsp !== undefined) return adapterOrFail(input.tsp, registry);
  const adapter = Object.values(registry).find((a) => a.tspId === input.tsp_id);
  if (!adapter) {
    const message = input.tsp_id === undefined ? 'required: the TSP by its tsp_id, or by its wire name in tsp' : `unknown tsp_id ${input.tsp_id}: GET /v2/integrations/tsps lists the TSPs and their ids`;
    throw validationFailed([problem(['tsp_id'], input.tsp_id, message, input.tsp_id === undefined ? 'missing' : 'enum')]);
  }
  return adapter;
}

/** The tsp wire name of a catalogue id, if any TSP has it. */
export const tspNamed = (tspId: string, registry: TspRegistry = ADAPTERS): string | undefined =>
  Object.values(registry).find((a) => a.tspId === tspId.toLowerCase())?.tsp;

/** A connection's fleet as a body names it; undefined: not named (unchanged); null: none. */
type FleetChoice = { fleetId: string | null; fleetRef: string | null } | undefined;

/**
 * The fleet a body's fleet_ref and fleet_id name: the partner's fleet with that fleet_ref (made on first
 * use) or that fleet_id (422 if the partner has none); both given, they must name the same fleet.
 */
async function fleetOf(db: Db, partnerId: string, body: { fleet_ref?: string | null; fleet_id?: string | null }): Promise<FleetChoice> {
  const { fleet_ref: ref, fleet_id: id } = body;
  if (ref === undefined && id === undefined) return undefined;
  const mismatch = (message: string) => validationFailed([problem(['fleet_ref'], ref, message, 'fleet_mismatch')]);
  if (typeof id === 'string') {
    const fleet = await fleetForId(db, partnerId, id);
    if (ref !== undefined && ref !== fleet.fleetRef) {
      throw mismatch(`fleet ${id} has fleet_ref ${JSON.stringify(fleet.fleetRef)}: give fleet_id or fleet_ref, or the two of the same fleet`);
    }
    return { fleetId: fleet.id, fleetRef: fleet.fleetRef };
  }
  if (typeof ref !== 'string') return { fleetId: null, fleetRef: null };
  if (id === null) throw mismatch('fleet_id null (no fleet) contradicts fleet_ref');
  const fleet = await fleetForRef(db, partnerId, ref);
  return { fleetId: fleet.id, fleetRef: fleet.fleetRef };
}

/**
 * The fleet checks that write nothing (a fleet_id that must exist, a contradiction), run before the TSP
 * is called: an OAuth authorization code is spent by that call, so a body refused afterwards would cost
 * the fleet a new authorization.
 */
async function precheckFleet(db: Db, partnerId: string, body: { fleet_ref?: string | null; fleet_id?: string | null }): Promise<void> {
  if (typeof body.fleet_id === 'string' || (typeof body.fleet_ref === 'string' && body.fleet_id === null)) await fleetOf(db, partnerId, body);
}

function parseCredentials(adapter: TspAdapter, credentials: unknown): Record<string, string> {
  const parsed = adapter.credentialsSchema.safeParse(credentials);
  if (parsed.success) return parsed.data;
  throw validationFailed(
    parsed.error.issues.map((i) =>
      // Never echo what was sent as a credential.
      problem(['credentials', ...i.path.map(String)], undefined, i.message, 'credentials'),
    ),
  );
}

export function baseUrlFor(services: AccountsContext, adapter: TspAdapter, row: Pick<ConnectionRow, 'sandbox' | 'baseUrl'>): string {
  return row.sandbox ? `${services.selfUrl}${adapter.sandboxPath}` : row.baseUrl!;
}

/**
 * A partner-chosen base URL is called through the address guard, checked at every connect (DNS can
 * re-point it after it was saved); the built-in sandbox is this fleetgate's own address, not the partner's.
 */
const dispatcherFor = (services: AccountsContext, sandbox: boolean) => (sandbox ? undefined : outboundDispatcher(services.config));

/** 422 for a sandbox connection when this deployment serves no sandbox (a call would find nothing). */
function requireSandboxes(services: AccountsContext): void {
  if (services.config.sandboxes) return;
  throw validationFailed([
    problem(['sandbox'], true, 'this deployment does not serve the built-in sandboxes; an operator can serve them with FLEETGATE_SANDBOXES=true', 'sandboxes_disabled'),
  ]);
}

/**
 * Asks the TSP whether the credentials work; refuses with 422 invalid_credentials when they don't. Returns
 * what to store: the credentials, or the token pair an authorization code was exchanged for (credential-refresh.ts).
 */
async function checkAtTsp(services: AccountsContext, adapter: TspAdapter, sent: TspTarget): Promise<Record<string, string>> {
  const target = { ...sent, credentials: await redeemCredentials(services, adapter, sent) };
  const attempt = await adapter.checkCredentials(target, { timeoutMs: services.config.syncTimeoutMs });
  if (attempt.ok) return target.credentials;
  // Only the status is reported, never the body: the endpoint is not verified yet, and echoing what
  // it answered would let a base_url read pages it was never meant to.
  const answered = attempt.statusCode ? `answered HTTP ${attempt.statusCode}` : `did not answer (${attempt.errorType})`;
  if (attempt.errorType === 'auth') {
    throw validationFailed([problem(['credentials'], undefined, `${adapter.displayName} refused the credentials (${answered})`, 'invalid_credentials')]);
  }
  throw validationFailed([problem(['credentials'], undefined, `could not verify the credentials with ${adapter.displayName}: it ${answered}`, 'tsp_unreachable')]);
}

/** Runs inside the transaction that stores a new connection (its webhook event, engine/connection-health.ts). */
export type ConnectionCreateHook = (tx: Db, row: ConnectionRow) => Promise<void>;

/**
 * Where a new connection calls its TSP: the built-in sandbox (sandbox: true), the base_url given, or
 * else the TSP's own API (a Catena body names neither).
 */
function targetOfInput(input: ConnectionInput, adapter: TspAdapter): { sandbox: boolean; baseUrl: string | null } {
  const sandbox = input.sandbox === true;
  if (sandbox && input.base_url) {
    throw validationFailed([problem(['base_url'], input.base_url, 'give either sandbox: true or a base_url, not both', 'target')]);
  }
  if (sandbox) return { sandbox, baseUrl: null };
  return { sandbox, baseUrl: (input.base_url ?? adapter.defaultBaseUrl).replace(/\/+$/, '') };
}

export async function createConnection(
  services: AccountsContext,
  partnerId: string,
  input: ConnectionInput,
  opts: { tsps?: TspRegistry; within?: ConnectionCreateHook } = {},
): Promise<ConnectionView> {
  const registry = opts.tsps ?? ADAPTERS;
  const adapter = adapterNamed(input, registry);
  const credentials = parseCredentials(adapter, input.credentials);
  const { sandbox, baseUrl } = targetOfInput(input, adapter);
  if (sandbox) requireSandboxes(services);
  if (baseUrl) await checkOutboundUrl(services.config, baseUrl, ['base_url']);
  await precheckFleet(services.database.db, partnerId, input);
  const stored = await checkAtTsp(services, adapter, { baseUrl: baseUrlFor(services, adapter, { sandbox, baseUrl }), credentials, dispatcher: dispatcherFor(services, sandbox) });
  const id = randomUUID();
  const row = await services.database.db.transaction(async (tx) => {
    // After the TSP accepted the credentials: a refused connection makes no fleet.
    const fleet = await fleetOf(tx, partnerId, input);
    const [inserted] = await tx
      .insert(connections)
      .values({
        id,
        partnerId,
        tsp: adapter.tsp,
        fleetId: fleet?.fleetId ?? null,
        fleetRef: fleet?.fleetRef ?? null,
        description: input.description ?? null,
        sandbox,
        baseUrl,
        credentialsSealed: seal(services.keys.sealing, JSON.stringify(stored), id),
        // The TSP's mask shows the credentials model the connection was made with (a code's model for the
        // token pair it was exchanged for).
        credentialsMasked: adapter.maskCredentials(stored),
        settings: {
          ...(input.rate_limit_per_minute && { rate_limit_per_minute: input.rate_limit_per_minute }),
          ...(input.rate_limits_per_minute && { rate_limits_per_minute: input.rate_limits_per_minute }),
        },
      })
      .returning();
    await opts.within?.(tx, inserted!);
    return inserted!;
  });
  return viewConnection(row, registry);
}

/** The partner's live connection, or 404 (also for another partner's id: existence is not leaked). */
export async function getConnectionRow(db: Db, partnerId: string, id: string): Promise<ConnectionRow> {
  const [row] = await db
    .select()
    .from(connections)
    .where(and(eq(connections.id, id), eq(connections.partnerId, partnerId), isNull(connections.deletedAt)));
  if (!row) throw notFound('Connection');
  return row;
}

const CONNECTION_ROW = `SELECT ${selectColumns(connections, 'c', 'c')} FROM connections c WHERE c.id = $1 AND c.partner_id = $2 AND c.deleted_at IS NULL`;

/** getConnectionRow as a prepared raw statement: every sync write (and a connection's first async one) reads it. */
export async function readConnectionRow(database: Database, partnerId: string, id: string): Promise<ConnectionRow> {
  const [raw] = await database.query(CONNECTION_ROW, [id, partnerId], 'fg_connection_row');
  const row = raw && rowFrom(connections, raw, 'c');
  if (!row) throw notFound('Connection');
  return row;
}

export interface ConnectionQuery {
  cursor?: string;
  size: number;
  tsp?: string;
  tsp_id?: string;
  status?: string;
  fleet_ids?: string[];
  fleet_refs?: string[];
  /** The operator's filter (a partner's own list is already its own). */
  partner_id?: string;
}

/** A partner's connections, or (partnerId null: the operator API) every partner's, each naming its partner. */
export async function listConnections(
  db: Db,
  partnerId: string | null,
  query: ConnectionQuery,
  registry: TspRegistry = ADAPTERS,
): Promise<Page<ConnectionView & { partner_id: string }>> {
  const filters: SQL[] = [isNull(connections.deletedAt)];
  if (partnerId !== null) filters.push(eq(connections.partnerId, partnerId));
  if (query.partner_id) filters.push(eq(connections.partnerId, query.partner_id));
  if (query.tsp) filters.push(eq(connections.tsp, query.tsp));
  if (query.tsp_id) {
    // A tsp_id no TSP has matches no connection (it is a filter, not a reference to check).
    const tsp = tspNamed(query.tsp_id, registry);
    filters.push(tsp ? eq(connections.tsp, tsp) : sql`false`);
  }
  if (query.status) filters.push(eq(connections.status, query.status));
  if (query.fleet_ids) filters.push(inArray(connections.fleetId, query.fleet_ids));
  if (query.fleet_refs) filters.push(inArray(connections.fleetRef, query.fleet_refs));
  return keysetPage(
    {
      createdAt: connections.createdAt,
      id: connections.id,
      run: (where, orderBy, limit) =>
        db
          .select({ row: connections, cursor_t: cursorText(connections.createdAt), id: connections.id })
          .from(connections)
          .where(where)
          .orderBy(...orderBy)
          .limit(limit),
      count: async (where) => (await db.select({ n: countOf() }).from(connections).where(where))[0]!.n,
    },
    and(...filters),
    query.cursor,
    query.size,
    (r) => ({ ...viewConnection(r.row, registry), partner_id: r.row.partnerId }),
  );
}

export interface ConnectionPatch {
  fleet_ref?: string | null;
  fleet_id?: string | null;
  description?: string | null;
  /** null: unchanged (Catena's ConnectionUpdate is all nullable). */
  status?: 'active' | 'paused' | null;
  credentials?: Record<string, unknown> | null;
  base_url?: string;
  rate_limit_per_minute?: number | null;
  rate_limits_per_minute?: Record<string, number> | null;
}

/** Runs inside the transaction that changes the connection (events of its status change go there). */
export type ConnectionChangeHook = (tx: Db, before: ConnectionRow, after: ConnectionRow) => Promise<void>;

/**
 * The connection as updated; `resumed` when it went from paused or failed to active (its queue is due
 * again). A failed connection becomes active only on credentials the TSP accepted just now: new ones, or
 * (`status: active`) the stored ones checked again.
 */
export async function updateConnection(
  services: AccountsContext,
  partnerId: string,
  id: string,
  patch: ConnectionPatch,
  opts: { within?: ConnectionChangeHook } = {},
): Promise<{ connection: ConnectionView; resumed: boolean }> {
  const db = services.database.db;
  const row = await getConnectionRow(db, partnerId, id);
  const adapter = adapterOrFail(row.tsp);
  // Catena's update fields are nullable: a null status or credentials leaves them as they are.
  const status = patch.status ?? undefined;
  const newCredentials = patch.credentials ?? undefined;
  const set: PgUpdateSetSource<typeof connections> = { updatedAt: sql`now()` };
  if (patch.description !== undefined) set.description = patch.description;
  if (status !== undefined) set.status = status;
  if (patch.base_url !== undefined) {
    if (row.sandbox) throw validationFailed([problem(['base_url'], patch.base_url, 'a sandbox connection has no base_url', 'target')]);
    set.baseUrl = patch.base_url.replace(/\/+$/, '');
    await checkOutboundUrl(services.config, set.baseUrl as string, ['base_url']);
  }
  if (patch.rate_limit_per_minute !== undefined || patch.rate_limits_per_minute !== undefined) {
    const settings = { ...(row.settings as object) } as ConnectionSettings;
    if (patch.rate_limit_per_minute === null) delete settings.rate_limit_per_minute;
    else if (patch.rate_limit_per_minute !== undefined) settings.rate_limit_per_minute = patch.rate_limit_per_minute;
    if (patch.rate_limits_per_minute === null) delete settings.rate_limits_per_minute;
    else if (patch.rate_limits_per_minute !== undefined) settings.rate_limits_per_minute = patch.rate_limits_per_minute;
    set.settings = settings;
  }
  // Asked to make a failed connection active, the stored credentials are tried again (the TSP may have
  // re-enabled them): a connection the TSP refused is never made active on faith.
  const recheck = status === 'active' && row.status === 'failed';
  const verified = newCredentials !== undefined || patch.base_url !== undefined || recheck;
  if (verified) {
    // New credentials or a new endpoint are checked the same way as at creation.
    const credentials = newCredentials !== undefined ? parseCredentials(adapter, newCredentials) : unsealCredentials(services, row);
    if (row.sandbox) requireSandboxes(services);
    await precheckFleet(services.database.db, partnerId, patch);
    const stored = await checkAtTsp(services, adapter, {
      baseUrl: baseUrlFor(services, adapter, { sandbox: row.sandbox, baseUrl: (set.baseUrl as string | undefined) ?? row.baseUrl }),
      credentials,
      dispatcher: dispatcherFor(services, row.sandbox),
    });
    set.credentialsSealed = seal(services.keys.sealing, JSON.stringify(stored), row.id);
    set.credentialsMasked = adapter.maskCredentials(stored);
  }
  const changed = await db.transaction(async (tx) => {
    // Locked, and decided on the row as it is now: a write may have failed the connection (the TSP
    // refused the old credentials) since it was read above.
    const [current] = await tx
      .select()
      .from(connections)
      .where(and(eq(connections.id, row.id), ne(connections.status, 'deleted')))
      .for('update');
    if (!current) return undefined;
    const change: PgUpdateSetSource<typeof connections> = { ...set };
    // A new fleet_ref moves the connection to that fleet (made on first use); its old fleet stays.
    const fleet = await fleetOf(tx, partnerId, patch);
    if (fleet) Object.assign(change, { fleetId: fleet.fleetId, fleetRef: fleet.fleetRef });
    if (current.status === 'failed') {
      // Working credentials revive a connection that failed on bad ones; nothing else does.
      if (verified && status === undefined) change.status = 'active';
      if (!verified && change.status === 'active') delete change.status;
    }
    if ((change.status ?? current.status) !== 'failed') Object.assign(change, { statusReason: null, failedAt: null });
    const [updated] = await tx.update(connections).set(change).where(eq(connections.id, current.id)).returning();
    await opts.within?.(tx, current, updated!);
    return { before: current, updated: updated! };
  });
  if (!changed) throw notFound('Connection');
  const { before, updated } = changed;
  return { connection: viewConnection(updated), resumed: (before.status === 'paused' || before.status === 'failed') && updated.status === 'active' };
}

/** The connection leaves the partner's lists and reads; its fleet stays, with the fleet's other connections. */
export async function deleteConnection(db: Db, partnerId: string, id: string): Promise<void> {
  const row = await getConnectionRow(db, partnerId, id);
  await db
    .update(connections)
    .set({ status: 'deleted', deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(connections.id, row.id));
}

export function unsealCredentials(services: AccountsContext, row: ConnectionRow): Record<string, string> {
  try {
    return JSON.parse(unseal(services.keys.sealing, row.credentialsSealed, row.id)) as Record<string, string>;
  } catch {
    // A key rotated without re-sealing, or a tampered row: an operator problem, not the partner's.
    throw new AppError(500, 'Connection credentials cannot be opened');
  }
}

/** Everything needed to call the connection's TSP. */
export function targetOf(services: AccountsContext, row: ConnectionRow, registry?: TspRegistry): { adapter: TspAdapter; target: TspTarget } {
  const adapter = adapterFor(row.tsp, registry);
  if (!adapter) throw new AppError(500, `No adapter for TSP ${row.tsp}`);
  return {
    adapter,
    target: { baseUrl: baseUrlFor(services, adapter, row), credentials: unsealCredentials(services, row), dispatcher: dispatcherFor(services, row.sandbox) },
  };
}
