// OAuth token pairs of connections made with Catena's authorization-code models (MotiveCreds,
// SamsaraCreds; tsps/kit/oauth.ts does the HTTP). Two moments:
//
// - Create / update (`redeemCredentials`, called by connections.ts before the credential check): the
//   code is exchanged for a token pair, which is what gets checked and sealed in its place. A code the TSP
//   refuses is 422 invalid_credentials, as refused credentials are.
// - Calls (`tokenKeeperFor`, put on an attempt's target by engine/execute.ts): a pair about to expire, or
//   refused with a 401, is refreshed and the new pair sealed into the connection row.
//
// Refresh tokens may rotate (the old one dies with the refresh), and several worker processes share one
// PostgreSQL database, so a connection is refreshed by one caller at a time and the others reuse what it
// got: in a process, concurrent callers share one refresh; across processes, a transaction-scoped advisory
// lock per connection serializes them, and each first re-reads the row: a pair that differs from the one
// it held was refreshed by another (or replaced by the partner) and is used as it is. The write is a
// compare-and-swap on the sealed credentials read under the lock, so a partner's update made meanwhile
// wins over a refresh of the old grant. PGlite is one process (its data directory is locked): the
// in-process sharing is the whole story there, and no transaction is held across the HTTP call.
//
// No secret is logged or put in an error: refusals name the TSP, the HTTP status and the OAuth error code.
import { and, eq, sql } from 'drizzle-orm';
import type { AccountsContext } from './context.ts';
import type { Database, Db } from '../db/client.ts';
import { connections } from '../db/schema.ts';
import { validationFailed } from '../platform/errors.ts';
import { seal, unseal } from '../platform/keys.ts';
import type { TspAdapter } from '../tsps/kit/descriptor.ts';
import { exchangeAuthorizationCode, isAuthorizationCode, isTokenPair, refreshTokenPair, tokenPairExpiring } from '../tsps/kit/oauth.ts';
import type { Attempt, TokenKeeper, TokenRenewal, TspTarget } from '../tsps/kit/types.ts';

type ConnectionRow = typeof connections.$inferSelect;

const refused = (adapter: TspAdapter, attempt: Attempt) => {
  if (attempt.errorType === 'auth') {
    return validationFailed([{ path: ['body', 'credentials'], input: undefined, message: attempt.errorDetails ?? `${adapter.displayName} refused the credentials`, error_type: 'invalid_credentials' }]);
  }
  return validationFailed([
    {
      path: ['body', 'credentials'],
      input: undefined,
      message: `could not exchange the credentials with ${adapter.displayName}: ${attempt.errorDetails ?? 'no answer'}`,
      error_type: 'tsp_unreachable',
    },
  ]);
};

/**
 * The credentials a connection is checked with and stores. An authorization code (Catena's model) is
 * exchanged for its token pair; a stored pair about to expire (a failed connection checked again) is
 * refreshed; anything else is returned as it is. Throws the 422 for a refused code or refresh token.
 */
export async function redeemCredentials(services: AccountsContext, adapter: TspAdapter, target: TspTarget): Promise<Record<string, string>> {
  const d = adapter.descriptor;
  if (!d.oauth) return target.credentials;
  const opts = { timeoutMs: services.config.syncTimeoutMs };
  let outcome: TokenRenewal;
  if (isAuthorizationCode(target.credentials)) outcome = await exchangeAuthorizationCode(d, target, opts);
  else if (isTokenPair(target.credentials) && tokenPairExpiring(target.credentials, Date.now())) outcome = await refreshTokenPair(d, target, opts);
  else return target.credentials;
  if (!outcome.ok) throw refused(adapter, outcome.attempt);
  return outcome.credentials;
}

/** Refreshes under way in this process, per database and connection: concurrent callers share one. */
const inFlight = new WeakMap<Database, Map<string, Promise<TokenRenewal>>>();

/**
 * The keeper of a connection's token pair for one attempt (undefined for a TSP without OAuth). `conn`
 * is the row the attempt runs with: its credentials_sealed follows every renewal, so what the attempt
 * records later (a refusal fails the connection only if its credentials are still those) names the pair
 * it really used.
 */
export function tokenKeeperFor(ctx: AccountsContext, conn: ConnectionRow, adapter: TspAdapter, target: TspTarget): TokenKeeper | undefined {
  if (!adapter.descriptor.oauth) return undefined;
  return {
    renew: async (held, why) => {
      let running = inFlight.get(ctx.database);
      if (!running) inFlight.set(ctx.database, (running = new Map()));
      let shared = running.get(conn.id);
      if (!shared) {
        shared = renewUnderLock(ctx, conn, adapter, target, held, why).finally(() => running.delete(conn.id));
        running.set(conn.id, shared);
      }
      return shared;
    },
  };
}

/** One renewal: under the connection's advisory lock on PostgreSQL; re-read, reuse or refresh, compare-and-swap. */
async function renewUnderLock(
  ctx: AccountsContext,
  conn: ConnectionRow,
  adapter: TspAdapter,
  target: TspTarget,
  held: Readonly<Record<string, string>>,
  why: 'expiring' | 'refused',
): Promise<TokenRenewal> {
  const run = (db: Db) => renew(ctx, db, conn, adapter, target, held, why);
  if (ctx.database.kind !== 'postgres') return run(ctx.database.db);
  return ctx.database.db.transaction(async (tx) => {
    // Held until this transaction ends: another process's refresh of this connection waits here.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`fleetgate:credential-refresh:${conn.id}`}, 0))`);
    return run(tx);
  });
}

const lost = (why: string): TokenRenewal => ({
  ok: false,
  attempt: { ok: false, statusCode: null, headers: {}, errorType: 'not_found', errorDetails: why, durationMs: 0 },
});

async function renew(
  ctx: AccountsContext,
  db: Db,
  conn: ConnectionRow,
  adapter: TspAdapter,
  target: TspTarget,
  held: Readonly<Record<string, string>>,
  why: 'expiring' | 'refused',
): Promise<TokenRenewal> {
  const [row] = await db.select().from(connections).where(eq(connections.id, conn.id));
  if (!row || row.deletedAt) return lost('the connection was deleted');
  let stored: Record<string, string>;
  try {
    stored = JSON.parse(unseal(ctx.keys.sealing, row.credentialsSealed, row.id)) as Record<string, string>;
  } catch {
    return lost('the connection credentials cannot be opened (an operator problem: the sealing key)');
  }
  // Refreshed by another caller since this one read them, or replaced by the partner: use those.
  const reuse = stored.access_token !== held.access_token || !isTokenPair(stored);
  if (reuse || (why === 'expiring' && !tokenPairExpiring(stored, Date.now()))) {
    conn.credentialsSealed = row.credentialsSealed;
    return { ok: true, credentials: stored };
  }
  const outcome = await refreshTokenPair(adapter.descriptor, { baseUrl: target.baseUrl, dispatcher: target.dispatcher, credentials: stored }, { timeoutMs: ctx.config.syncTimeoutMs });
  if (!outcome.ok) return outcome;
  const sealed = seal(ctx.keys.sealing, JSON.stringify(outcome.credentials), row.id);
  const [swapped] = await db
    .update(connections)
    .set({ credentialsSealed: sealed })
    .where(and(eq(connections.id, row.id), eq(connections.credentialsSealed, row.credentialsSealed)))
    .returning({ id: connections.id });
  if (!swapped) {
    // The partner put new credentials in meanwhile (a PATCH takes no advisory lock): theirs win.
    const [now] = await db.select().from(connections).where(eq(connections.id, row.id));
    if (!now || now.deletedAt) return lost('the connection was deleted');
    conn.credentialsSealed = now.credentialsSealed;
    return { ok: true, credentials: JSON.parse(unseal(ctx.keys.sealing, now.credentialsSealed, now.id)) as Record<string, string> };
  }
  conn.credentialsSealed = sealed;
  return outcome;
}
