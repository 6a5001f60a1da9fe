// Connections: one fleet's account at one TSP. Credentials are checked against the TSP before the
// row is stored, sealed with AES-256-GCM (the connection id as associated data, so a sealed value
// cannot be moved to another row), and only ever shown masked.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { Connection } from '../contract/connections.ts';
import type { Db } from '../db/client.ts';
import { countOf, cursorText, keysetPage } from '../db/pagination.ts';
import type { Page } from '../db/pagination.ts';
import { connections } from '../db/schema.ts';
import { adapterFor } from '../tsps/registry.ts';
import type { TspAdapter, TspRegistry } from '../tsps/kit/descriptor.ts';
import type { TspTarget } from '../tsps/kit/types.ts';
import type { AccountsContext } from './context.ts';
import { AppError, notFound, validationFailed } from '../platform/errors.ts';
import type { ValidationProblem } from '../platform/errors.ts';
import { seal, unseal } from '../platform/keys.ts';
import { checkOutboundUrl, outboundDispatcher } from '../platform/urls.ts';

export type ConnectionRow = typeof connections.$inferSelect;

export type ConnectionView = z.infer<typeof Connection>;

/** What a connection keeps of its rate limits (engine/policy/ratelimit.ts reads them). */
export type ConnectionSettings = { rate_limit_per_minute?: number; rate_limits_per_minute?: Record<string, number> };

export function viewConnection(row: ConnectionRow): ConnectionView {
  const settings = row.settings as ConnectionSettings;
  return {
    id: row.id,
    tsp: row.tsp,
    fleet_ref: row.fleetRef,
    description: row.description,
    status: row.status as ConnectionView['status'],
    status_reason: row.statusReason,
    failed_at: row.failedAt ? row.failedAt.toISOString() : null,
    sandbox: row.sandbox,
    base_url: row.baseUrl,
    credentials: row.credentialsMasked as Record<string, string>,
    rate_limit_per_minute: settings.rate_limit_per_minute ?? null,
    rate_limits_per_minute: settings.rate_limits_per_minute ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export interface ConnectionInput {
  tsp: string;
  credentials: Record<string, unknown>;
  fleet_ref?: string | null;
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

function adapterOrFail(tsp: string): TspAdapter {
  const adapter = adapterFor(tsp);
  if (!adapter) throw validationFailed([problem(['tsp'], tsp, 'unknown TSP', 'enum')]);
  return adapter;
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

/** Asks the TSP whether the credentials work; refuses with 422 invalid_credentials when they don't. */
async function checkAtTsp(services: AccountsContext, adapter: TspAdapter, target: TspTarget): Promise<void> {
  const attempt = await adapter.checkCredentials(target, { timeoutMs: services.config.syncTimeoutMs });
  if (attempt.ok) return;
  // Only the status is reported, never the body: the endpoint is not verified yet, and echoing what
  // it answered would let a base_url read pages it was never meant to.
  const answered = attempt.statusCode ? `answered HTTP ${attempt.statusCode}` : `did not answer (${attempt.errorType})`;
  if (attempt.errorType === 'auth') {
    throw validationFailed([problem(['credentials'], undefined, `${adapter.displayName} refused the credentials (${answered})`, 'invalid_credentials')]);
  }
  throw validationFailed([problem(['credentials'], undefined, `could not verify the credentials with ${adapter.displayName}: it ${answered}`, 'tsp_unreachable')]);
}

export async function createConnection(services: AccountsContext, partnerId: string, input: ConnectionInput): Promise<ConnectionView> {
  const adapter = adapterOrFail(input.tsp);
  const credentials = parseCredentials(adapter, input.credentials);
  const sandbox = input.sandbox === true;
  if (sandbox === Boolean(input.base_url)) {
    throw validationFailed([problem(['base_url'], input.base_url, 'give either sandbox: true or a base_url, not both', 'target')]);
  }
  if (sandbox) requireSandboxes(services);
  const baseUrl = sandbox ? null : input.base_url!.replace(/\/+$/, '');
  if (baseUrl) await checkOutboundUrl(services.config, baseUrl, ['base_url']);
  await checkAtTsp(services, adapter, { baseUrl: baseUrlFor(services, adapter, { sandbox, baseUrl }), credentials, dispatcher: dispatcherFor(services, sandbox) });
  const id = randomUUID();
  const [row] = await services.database.db
    .insert(connections)
    .values({
      id,
      partnerId,
      tsp: adapter.tsp,
      fleetRef: input.fleet_ref ?? null,
      description: input.description ?? null,
      sandbox,
      baseUrl,
      credentialsSealed: seal(services.keys.sealing, JSON.stringify(credentials), id),
      credentialsMasked: adapter.maskCredentials(credentials),
      settings: {
        ...(input.rate_limit_per_minute && { rate_limit_per_minute: input.rate_limit_per_minute }),
        ...(input.rate_limits_per_minute && { rate_limits_per_minute: input.rate_limits_per_minute }),
      },
    })
    .returning();
  return viewConnection(row!);
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

export async function listConnections(
  db: Db,
  partnerId: string,
  query: { cursor?: string; size: number; tsp?: string; status?: string },
): Promise<Page<ConnectionView>> {
  const filters: SQL[] = [eq(connections.partnerId, partnerId), isNull(connections.deletedAt)];
  if (query.tsp) filters.push(eq(connections.tsp, query.tsp));
  if (query.status) filters.push(eq(connections.status, query.status));
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
    (r) => viewConnection(r.row),
  );
}

export interface ConnectionPatch {
  fleet_ref?: string | null;
  description?: string | null;
  status?: 'active' | 'paused';
  credentials?: Record<string, unknown>;
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
  const set: PgUpdateSetSource<typeof connections> = { updatedAt: sql`now()` };
  if (patch.fleet_ref !== undefined) set.fleetRef = patch.fleet_ref;
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.status !== undefined) set.status = patch.status;
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
  const recheck = patch.status === 'active' && row.status === 'failed';
  const verified = patch.credentials !== undefined || patch.base_url !== undefined || recheck;
  if (verified) {
    // New credentials or a new endpoint are checked the same way as at creation.
    const credentials = patch.credentials !== undefined ? parseCredentials(adapter, patch.credentials) : unsealCredentials(services, row);
    if (row.sandbox) requireSandboxes(services);
    await checkAtTsp(services, adapter, {
      baseUrl: baseUrlFor(services, adapter, { sandbox: row.sandbox, baseUrl: (set.baseUrl as string | undefined) ?? row.baseUrl }),
      credentials,
      dispatcher: dispatcherFor(services, row.sandbox),
    });
    set.credentialsSealed = seal(services.keys.sealing, JSON.stringify(credentials), row.id);
    set.credentialsMasked = adapter.maskCredentials(credentials);
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
    if (current.status === 'failed') {
      // Working credentials revive a connection that failed on bad ones; nothing else does.
      if (verified && patch.status === undefined) change.status = 'active';
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
