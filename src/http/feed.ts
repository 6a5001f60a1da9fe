// The console's live feed: operation changes as server-sent events, read with fetch (the token stays
// in the Authorization header: EventSource cannot send one, and a token in a URL lands in logs).
// Changes are found by polling updated_at, which works whichever process made them (a separate
// worker on PostgreSQL); this process's own transition events only wake the poll early.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isRevoked } from '../accounts/revocations.ts';
import type { VerifiedToken } from '../accounts/tokens.ts';
import type { PartnerScope } from '../engine/console/activity.ts';
import { changedSince, databaseNow } from '../engine/console/activity.ts';
import type { Services } from '../platform/services.ts';

export const FEED_TIMING = { pollMs: 1_000, heartbeatMs: 15_000, revocationCheckMs: 5_000 };
/**
 * How far back each poll looks again: updated_at is the writing transaction's start (now()), so a
 * change may commit after a poll already read past its timestamp. Changes already sent are skipped.
 */
const LAG_MS = 5_000;
const PAGE = 500;

export interface FeedOptions {
  scope: PartnerScope;
  /** The token the stream was opened with (partner feeds): the stream ends when it expires or is revoked. */
  token?: VerifiedToken;
  /** The open streams' enders: the server ends them all before it closes (a stream never ends by itself). */
  open: Set<() => void>;
}

export async function streamOperationChanges(services: Services, request: FastifyRequest, reply: FastifyReply, opts: FeedOptions): Promise<void> {
  const db = services.database.db;
  const opened = await databaseNow(db);
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
  let horizon = opened.getTime();
  let since = opened;
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
    for (const c of changes) {
      const at = Date.parse(c.updated_at);
      const key = `${c.id}@${c.updated_at}`;
      horizon = Math.max(horizon, at);
      if (sent.has(key) || at <= opened.getTime() || closed) continue;
      sent.set(key, at);
      res.write(`event: operation\nid: ${key}\ndata: ${JSON.stringify(c)}\n\n`);
    }
    // A full page: read on from its last change at once; otherwise look LAG_MS back again next time.
    since = changes.length === PAGE ? new Date(changes.at(-1)!.updated_at) : new Date(horizon - LAG_MS);
    for (const [key, at] of sent) if (at < horizon - 2 * LAG_MS) sent.delete(key);
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
  opts.open.add(onServerClose);
  res.on('close', () => {
    closed = true;
    opts.open.delete(onServerClose);
    clearInterval(timer);
    clearInterval(heartbeat);
    unsubscribe();
  });
  tick();
}
