// Revoked access tokens (RFC 7009). A token is a stateless JWT, so a revocation is a row naming its jti
// (revoked_tokens) that every process must see before it lets the token through again. The check runs on
// every authenticated request (http/auth.ts), so it is built to cost next to nothing:
//
//   PGlite      one process only (the data directory's lock file keeps any other off), so the live rows
//               are read once into memory and every revocation goes through this process: a check is a
//               Map lookup, no query, and exact.
//   PostgreSQL  any number of processes. A check must read the database after the request arrived (a row
//               another process committed a moment ago has to count), but checks are coalesced: at most
//               one query is in flight per process, and every request that arrived while it ran waits for
//               the next one, which asks for all of their jtis at once (`jti = ANY($1)`, one statement
//               on the primary key). Under load one query serves a whole batch of requests;
//               a request never relies on a query sent before it arrived. Tokens this process revoked,
//               or saw revoked, are refused from memory.
//
// docs/benchmarks.md ("Token revocation") has the measured cost of both.
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../db/client.ts';
import { revokedTokens } from '../db/schema.ts';

/** A revocation row outlives its token's expiry by this much (an application clock behind the database's). */
export const REVOKED_TOKEN_RETENTION_HOURS = 24;
const RETENTION_MS = REVOKED_TOKEN_RETENTION_HOURS * 3600_000;
/** Revocations remembered per process beyond those that must be (PostgreSQL's positive cache). */
const MAX_REMEMBERED = 10_000;

export interface RevocationTarget {
  tokenId: string;
  clientId: string;
  expiresAtMs: number;
}

interface Waiter {
  resolve: (revoked: boolean) => void;
  reject: (err: unknown) => void;
}

interface State {
  /** jti -> the token's expiry (ms). PGlite: every live revocation; PostgreSQL: those this process knows of. */
  revoked: Map<string, number>;
  /** PGlite: the live rows, read once (again after a failure). */
  loaded?: Promise<void>;
  /** PostgreSQL: checks waiting for the next query, and whether one is in flight. */
  waiting: Map<string, Waiter[]>;
  inFlight: boolean;
}

const states = new WeakMap<Database, State>();

function stateOf(database: Database): State {
  let state = states.get(database);
  if (!state) states.set(database, (state = { revoked: new Map(), waiting: new Map(), inFlight: false }));
  return state;
}

function remember(state: State, jti: string, expiresAtMs: number, bounded: boolean) {
  const now = Date.now();
  if (state.revoked.size >= MAX_REMEMBERED) {
    for (const [id, exp] of state.revoked) if (exp + RETENTION_MS < now) state.revoked.delete(id);
    // Only the positive cache may forget a live one: the database still has it.
    if (bounded && state.revoked.size >= MAX_REMEMBERED) state.revoked.delete(state.revoked.keys().next().value!);
  }
  state.revoked.set(jti, expiresAtMs);
}

function loadEmbedded(database: Database, state: State): Promise<void> {
  state.loaded ??= (async () => {
    const rows = await database.db
      .select({ jti: revokedTokens.jti, expiresAt: revokedTokens.expiresAt })
      .from(revokedTokens)
      .where(sql`${revokedTokens.expiresAt} > now() - ${REVOKED_TOKEN_RETENTION_HOURS} * interval '1 hour'`);
    // Merged, not replaced: a revocation made while this ran is already in the map.
    for (const r of rows) remember(state, r.jti, r.expiresAt.getTime(), false);
  })().catch((err: unknown) => {
    state.loaded = undefined;
    throw err;
  });
  return state.loaded;
}

/** Which of `jtis` are revoked: one statement on the primary key, the jtis as one array parameter. */
async function lookup(database: Database, jtis: string[]): Promise<Set<string>> {
  // Raw and prepared: it runs for nearly every request (Database.query).
  const rows = await database.query<{ jti: string }>('SELECT jti FROM revoked_tokens WHERE jti = ANY($1::text[])', [jtis], 'fg_revoked');
  return new Set(rows.map((r) => r.jti));
}

function flush(database: Database, state: State) {
  if (state.inFlight || state.waiting.size === 0) return;
  const batch = state.waiting;
  state.waiting = new Map();
  state.inFlight = true;
  // Through a then, so that even a synchronous throw settles the batch and frees the next one.
  Promise.resolve([...batch.keys()])
    .then((jtis) => lookup(database, jtis))
    .then(
      (found) => {
        for (const [jti, waiters] of batch) for (const w of waiters) w.resolve(found.has(jti));
      },
      (err: unknown) => {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
      },
    )
    .finally(() => {
      state.inFlight = false;
      flush(database, state);
    });
}

/** True when the token was revoked (by any process on this database). */
export async function isRevoked(database: Database, token: { tokenId: string; expiresAtMs: number }): Promise<boolean> {
  const state = stateOf(database);
  if (state.revoked.has(token.tokenId)) return true;
  if (database.kind === 'pglite') {
    await loadEmbedded(database, state);
    return state.revoked.has(token.tokenId);
  }
  const revoked = await new Promise<boolean>((resolve, reject) => {
    const waiters = state.waiting.get(token.tokenId);
    if (waiters) waiters.push({ resolve, reject });
    else state.waiting.set(token.tokenId, [{ resolve, reject }]);
    flush(database, state);
  });
  if (revoked) remember(state, token.tokenId, token.expiresAtMs, true);
  return revoked;
}

/** Revokes the token for every process on this database; revoking it again changes nothing. */
export async function revokeToken(database: Database, target: RevocationTarget): Promise<void> {
  await database.db
    .insert(revokedTokens)
    .values({ jti: target.tokenId, clientId: target.clientId, expiresAt: new Date(target.expiresAtMs) })
    .onConflictDoNothing();
  // After the commit: from here on this process refuses it without asking (on PGlite, the only process).
  remember(stateOf(database), target.tokenId, target.expiresAtMs, database.kind !== 'pglite');
}

/** Retention: deletes up to `limit` revocations whose token expired over a day ago; answers how many. */
export async function deleteExpiredRevocations(db: Db, limit: number): Promise<number> {
  const res = (await db.execute(sql`
    DELETE FROM revoked_tokens r
     USING (SELECT jti FROM revoked_tokens
             WHERE expires_at < now() - ${REVOKED_TOKEN_RETENTION_HOURS} * interval '1 hour'
             LIMIT ${limit}
             FOR UPDATE SKIP LOCKED) doomed
     WHERE r.jti = doomed.jti
    RETURNING 1`)) as unknown as { rows: unknown[] };
  return res.rows.length;
}
