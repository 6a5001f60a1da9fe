// The console's live feed: operation changes as server-sent events, read with fetch (the token stays
// in the Authorization header: EventSource cannot send one, and a token in a URL lands in logs).
// Changes are found by polling updated_at, which works whichever process made them (a separate
// worker on PostgreSQL); this process's own transition events only wake the poll early.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isRevoked } from '../accounts/revocations.ts';
import type { VerifiedToken } from '../accounts/tokens.ts';
import { FEED_STREAMS_PER_PRINCIPAL } from '../contract/console.ts';
import type { PartnerScope } from '../engine/console/activity.ts';
import type { FeedCursor } from '../engine/console/activity.ts';
import { changedSince, databaseNow } from '../engine/console/activity.ts';
import { AppError } from '../platform/errors.ts';
import type { Services } from '../platform/services.ts';

export const FEED_TIMING = { pollMs: 1_000, heartbeatMs: 15_000, revocationCheckMs: 5_000 };
/**
 * Open streams a principal (a partner, or the operator) may hold at once: each polls the database every
 * second, so without a cap one client opening tabs (or a reconnect loop) multiplies the load.
 */
export const FEED_LIMITS = { streamsPerPrincipal: FEED_STREAMS_PER_PRINCIPAL, retryAfterSeconds: 30 };
/**
 * How far back each poll looks again: updated_at is the writing transaction's start (now()), so a
 * change may commit after a poll already read past its timestamp. Changes already sent are skipped.
 */
const LAG_MS = 5_000;
const PAGE = 500;

/** The streams open on one server: their enders (closed before the server closes) and their count per principal. */
export class OpenFeeds {
  /** The open streams' enders: the server ends them all before it closes (a stream never ends by itself). */
  readonly enders = new Set<() => void>();
  private readonly perPrincipal = new Map<string, number>();

  /** Counts a stream of the principal in, or refuses it (429) at the cap; the release is idempotent. */
  take(principal: string): () => void {
    const held = this.perPrincipal.get(principal) ?? 0;
    if (held >= FEED_LIMITS.streamsPerPrincipal) {
      const seconds = FEED_LIMITS.retryAfterSeconds;
      throw new AppError(
        429,
        `At most ${FEED_LIMITS.streamsPerPrincipal} live feeds may be open at once`,
        { retry_after_seconds: seconds, message: `Close another feed, or retry in ${seconds} s.` },
        { 'retry-after': String(seconds) },
      );
    }
    this.perPrincipal.set(principal, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.perPrincipal.get(principal) ?? 1) - 1;
      if (left > 0) this.perPrincipal.set(principal, left);
      else this.perPrincipal.delete(principal);
    };
  }
}

export interface FeedOptions {
  scope: PartnerScope;
  /** Whose stream it is, for the cap: the partner's id, or "operator". */
  principal: string;
  /** The token the stream was opened with (partner feeds): the stream ends when it expires or is revoked. */
  token?: VerifiedToken;
  open: OpenFeeds;
}

export async function streamOperationChanges(services: Services, request: FastifyRequest, reply: FastifyReply, opts: FeedOptions): Promise<void> {
  const db = services.database.db;
  // Taken before any await, so streams opened at the same moment cannot all slip under the cap.
  const release = opts.open.take(opts.principal);
  let opened: string;
  try {
    opened = await databaseNow(db);
  } catch (err) {
    release();
    throw err;
  }
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-request-id': request.id,
    // Proxies that buffer responses (nginx) would hold events back.
    'x-accel-buffering': 'no',
  });
  res.write(': feed opened\n\n');

  const sent = new Map<string, number>();
  // The latest updated_at read, at the database's precision (fixed-width UTC text: it sorts as it reads).
  let horizon = opened;
  let since: FeedCursor = { at: opened };
  let closed = false;
  let polling: Promise<void> | undefined;
  let again = false;
  let lastRevocationCheck = 0;

  const end = (reason?: string) => {
    if (closed) return;
    closed = true;
    if (reason) res.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
    res.end();
  };
  const poll = async () => {
    if (opts.token) {
      if (services.clock.now().getTime() >= opts.token.expiresAtMs) return end('token_expired');
      if (Date.now() - lastRevocationCheck >= FEED_TIMING.revocationCheckMs) {
        lastRevocationCheck = Date.now();
        if (await isRevoked(services.database, opts.token)) return end('token_revoked');
      }
    }
    const changes = await changedSince(db, opts.scope, since, PAGE);
    for (const { view, at } of changes) {
      const key = `${view.id}@${at}`;
      if (at > horizon) horizon = at;
      if (sent.has(key) || at <= opened || closed) continue;
      sent.set(key, Date.parse(at));
      res.write(`event: operation\nid: ${key}\ndata: ${JSON.stringify(view)}\n\n`);
    }
    // A full page: read on from its last change at once (past its id, as the page may end inside a run
    // of equal timestamps); otherwise look LAG_MS back again next time.
    const last = changes.at(-1);
    const horizonMs = Date.parse(horizon);
    since = changes.length === PAGE ? { at: last!.at, id: last!.view.id } : { at: new Date(horizonMs - LAG_MS).toISOString() };
    for (const [key, at] of sent) if (at < horizonMs - 2 * LAG_MS) sent.delete(key);
    if (changes.length === PAGE) again = true;
  };
  // One poll at a time; a wake-up during a poll runs one more after it.
  const tick = () => {
    if (closed) return;
    if (polling) {
      again = true;
      return;
    }
    polling = poll()
      .catch((err: unknown) => {
        request.log.warn({ err }, 'operation feed poll failed');
      })
      .finally(() => {
        polling = undefined;
        if (again && !closed) {
          again = false;
          tick();
        }
      });
  };
  const timer = setInterval(tick, FEED_TIMING.pollMs);
  const heartbeat = setInterval(() => !closed && res.write(': keep-alive\n\n'), FEED_TIMING.heartbeatMs);
  const unsubscribe = services.events.on('operation:transition', tick);
  const onServerClose = () => end('server_closing');
  opts.open.enders.add(onServerClose);
  res.on('close', () => {
    closed = true;
    release();
    opts.open.enders.delete(onServerClose);
    clearInterval(timer);
    clearInterval(heartbeat);
    unsubscribe();
  });
  tick();
}
