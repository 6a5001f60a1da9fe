// MyGeotab sessions (providers.md): Authenticate once per connection, reuse the session for every
// later call, follow `path` to the server that holds the database, and when a call answers
// InvalidUserException (the session expired or was revoked) authenticate again ONCE and retry it.
// Sessions live in memory only, keyed by server + database + user (+ a digest of the password, so new
// credentials never ride on an old session). Neither the password nor a session id is ever put in an
// Attempt, a log or an error message.
// A connection may carry a session opened elsewhere (Catena's GeotabCreds `session_id`): it serves the
// first call instead of an Authenticate; once Geotab refuses it, the password authenticates as usual.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Attempt, CallOptions, TspTarget } from '../kit/types.ts';
import { geotabApiUrl, geotabAttempt, readRpc, resolveServer, rpc } from './client.ts';

export interface GeotabSession {
  /** `<server>/apiv1` the session belongs to. */
  apiUrl: string;
  credentials: { database: string; userName: string; sessionId: string };
}

type Login = { ok: true; session: GeotabSession; attempt: Attempt } | { ok: false; attempt: Attempt };

/** The outcome of one logical call: the last HTTP exchange's Attempt (durations summed) and its result. */
export interface CallOutcome {
  attempt: Attempt;
  result?: unknown;
  /** How many Authenticate calls this call needed (0 when a cached session served it). */
  authentications: number;
}

const sessions = new Map<string, Promise<Login>>();

function cacheKey(target: TspTarget): string {
  const { database = '', username = '', password = '' } = target.credentials;
  const digest = createHash('sha256').update(password).digest('base64url');
  return [target.baseUrl.replace(/\/+$/, ''), database.toLowerCase(), username.toLowerCase(), digest].join('\u0000');
}

/** Forgets every cached session (tests; a credentials rotation needs nothing: the key changes). */
export function clearGeotabSessions(): void {
  sessions.clear();
}

/** A deadline shared by every exchange of one logical call (Authenticate + Get + Set ...). */
export class Budget {
  private readonly started = performance.now();
  constructor(private readonly opts: CallOptions) {}
  elapsedMs(): number {
    return Math.round(performance.now() - this.started);
  }
  /**
   * Options for the next exchange; undefined when the deadline has passed. The gate goes along, so
   * every exchange (Authenticate, Get, Set …) takes a rate-limit slot of its own class.
   */
  next(): CallOptions | undefined {
    const left = this.opts.timeoutMs - (performance.now() - this.started);
    return left < 1 ? undefined : { timeoutMs: Math.ceil(left), signal: this.opts.signal, gate: this.opts.gate };
  }
}

const timedOut = (budget: Budget): Attempt => ({
  ok: false,
  statusCode: null,
  headers: {},
  errorType: 'timeout',
  errorDetails: 'no answer within the deadline',
  durationMs: budget.elapsedMs(),
});

/** Authenticate at `target.baseUrl` (never cached: checkCredentials uses it to test the password). */
export async function authenticate(target: TspTarget, opts: CallOptions): Promise<Login> {
  const { database, username, password } = target.credentials;
  const res = await rpc(geotabApiUrl(target.baseUrl), 'Authenticate', { database, userName: username, password }, opts, target.dispatcher);
  const attempt = geotabAttempt(res);
  if (!attempt.ok) return { ok: false, attempt };
  const reading = readRpc(res);
  const result = (reading.kind === 'result' ? reading.result : undefined) as Record<string, unknown> | undefined;
  const creds = result?.credentials as Record<string, unknown> | undefined;
  if (typeof creds?.sessionId !== 'string' || typeof creds.database !== 'string' || typeof creds.userName !== 'string') {
    return { ok: false, attempt: { ...attempt, ok: false, errorType: 'unknown', errorDetails: 'Geotab Authenticate answered without credentials' } };
  }
  const server = resolveServer(target.baseUrl, result?.path);
  if (server === undefined) {
    return { ok: false, attempt: { ...attempt, ok: false, errorType: 'unknown', errorDetails: 'Geotab Authenticate answered a path that is neither "ThisServer" nor a host name' } };
  }
  return {
    ok: true,
    attempt,
    session: {
      apiUrl: geotabApiUrl(server),
      credentials: { database: creds.database, userName: creds.userName, sessionId: creds.sessionId },
    },
  };
}

/** The session the credentials name (Catena's session_id), on the server they authenticate at; undefined without one. */
export function givenSession(target: TspTarget): Login | undefined {
  const { database, username, session_id: sessionId } = target.credentials;
  if (!sessionId || !database || !username) return undefined;
  return {
    ok: true,
    attempt: { ok: true, statusCode: null, headers: {}, durationMs: 0 },
    session: { apiUrl: geotabApiUrl(target.baseUrl), credentials: { database, userName: username, sessionId } },
  };
}

/**
 * The cached session, or one Authenticate shared by every concurrent caller (10/min per user). With
 * `useGiven`, a session the credentials name serves before any Authenticate.
 */
function sessionFor(target: TspTarget, opts: CallOptions, useGiven: boolean): { login: Promise<Login>; created: boolean } {
  const key = cacheKey(target);
  const cached = sessions.get(key);
  if (cached) return { login: cached, created: false };
  const given = useGiven ? givenSession(target) : undefined;
  if (given) {
    const seeded = Promise.resolve(given);
    sessions.set(key, seeded);
    return { login: seeded, created: false };
  }
  const forget = () => {
    if (sessions.get(key) === login) sessions.delete(key);
  };
  const login: Promise<Login> = authenticate(target, opts).then(
    (l) => {
      // A failed login is not cached: the next call tries again (after the retry policy's pause).
      if (!l.ok) forget();
      return l;
    },
    (err: unknown) => {
      // Nor one that never went out (no rate-limit slot for Authenticate, SlotUnavailable): a rejected
      // promise left in the cache would answer every later caller with the same error, forever.
      forget();
      throw err;
    },
  );
  sessions.set(key, login);
  return { login, created: true };
}

/**
 * Drops a session the server refused, unless a concurrent caller already replaced it (then the
 * retry uses that one instead of authenticating again).
 */
function invalidate(target: TspTarget, used: Promise<Login>): void {
  const key = cacheKey(target);
  if (sessions.get(key) === used) sessions.delete(key);
}

/** Stores a session obtained elsewhere (checkCredentials) so the next write reuses it. */
export function rememberSession(target: TspTarget, login: Login): void {
  if (login.ok) sessions.set(cacheKey(target), Promise.resolve(login));
}

/**
 * One authenticated call. On InvalidUserException from a session, authenticates again once and retries;
 * a second InvalidUserException (or a failed Authenticate) is returned as 'auth'.
 */
export async function geotabCall(
  target: TspTarget,
  method: string,
  params: Record<string, unknown>,
  budget: Budget,
): Promise<CallOutcome> {
  let authentications = 0;
  let reauthenticated = false;
  for (;;) {
    const first = budget.next();
    if (!first) return { attempt: timedOut(budget), authentications };
    // After a refusal the password authenticates: the given session is not tried twice.
    const { login: pending, created } = sessionFor(target, first, !reauthenticated);
    if (created) authentications += 1;
    const login = await pending;
    if (!login.ok) return { attempt: { ...login.attempt, durationMs: budget.elapsedMs() }, authentications };
    const opts = budget.next();
    if (!opts) return { attempt: timedOut(budget), authentications };
    const res = await rpc(login.session.apiUrl, method, { ...params, credentials: login.session.credentials }, opts, target.dispatcher);
    const attempt = { ...geotabAttempt(res), durationMs: budget.elapsedMs() };
    const reading = readRpc(res);
    if (reading.kind === 'error' && reading.type === 'InvalidUserException' && !reauthenticated) {
      reauthenticated = true;
      invalidate(target, pending);
      continue;
    }
    return { attempt, result: reading.kind === 'result' ? reading.result : undefined, authentications };
  }
}

/**
 * Whether the session the credentials name works: the cheapest call that needs one (Get User by the
 * login's name, one result). 'refused' on InvalidUserException; otherwise the call's Attempt.
 */
export async function checkGivenSession(target: TspTarget, opts: CallOptions): Promise<{ attempt: Attempt; refused: boolean; login?: Login }> {
  const given = givenSession(target)!;
  const session = (given as Extract<Login, { ok: true }>).session;
  const res = await rpc(
    session.apiUrl,
    'Get',
    { typeName: 'User', search: { name: target.credentials.username }, resultsLimit: 1, credentials: session.credentials },
    opts,
    target.dispatcher,
  );
  const attempt = geotabAttempt(res);
  const reading = readRpc(res);
  if (reading.kind === 'error' && reading.type === 'InvalidUserException') return { attempt, refused: true };
  return { attempt, refused: false, ...(attempt.ok && { login: { ...given, attempt } }) };
}
