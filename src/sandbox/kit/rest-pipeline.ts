// What every request to a REST sandbox's API goes through once authenticated (401s come before
// everything: without an account there is no rate window, fault queue or log): rate limit → fault and
// latency → the action → log → answer. The vendor supplies its limit, its 429, its action (with its
// own body parsing and error shape) and what a faulted answer looks like.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendAnswer } from './answer.ts';
import type { Answer } from './answer.ts';
import { runWithFault } from './faults.ts';
import type { Fault } from './faults.ts';
import type { SlidingWindow } from './ratelimit.ts';
import { restLogEntry } from './request-log.ts';
import type { RequestLogEntry } from './request-log.ts';

export interface RestAccount {
  readonly limiter: SlidingWindow;
  readonly faults: Fault[];
  readonly settings: { latency_ms: number };
  logRequest(entry: RequestLogEntry): void;
}

export interface ActionInput {
  /** The JSON body as the vendor parses it ({} when absent). */
  body: unknown;
  query: Record<string, unknown>;
  params: Record<string, string>;
  /** The state clock at the moment the action runs (created / updated timestamps). */
  nowIso: string;
}

export type RestAction<A> = (account: A, input: ActionInput) => Answer;

export interface RestRequestRun<A> {
  /** The sandbox's clock. */
  now(): number;
  /** Requests admitted per rate window. */
  limit: number;
  /** The vendor's 429 for a request refused by the window. */
  rateLimited(waitMs: number): Answer;
  action: RestAction<A>;
  /** The vendor's body parsing, run after auth and rate limiting; throws the vendor's 400. */
  parseBody(req: FastifyRequest): unknown;
  /** The vendor's answer for an error the action (or parsing) threw. */
  errorAnswer(err: unknown): Answer;
  /** The answer a fault with a status gives (a status is what replaces a REST answer). */
  faultAnswer(fault: Fault): Answer;
}

export async function runRestRequest<A extends RestAccount>(
  account: A,
  req: FastifyRequest,
  reply: FastifyReply,
  pathPrefix: string,
  run: RestRequestRun<A>,
): Promise<FastifyReply> {
  const receivedAt = run.now();
  const query = { ...(req.query as Record<string, unknown>) };
  const perform = (): Answer => {
    try {
      return run.action(account, {
        body: run.parseBody(req),
        query,
        params: req.params as Record<string, string>,
        nowIso: new Date(run.now()).toISOString(),
      });
    } catch (err) {
      return run.errorAnswer(err);
    }
  };
  const admission = account.limiter.admit(receivedAt, run.limit);
  // Faults are taken at arrival so concurrent requests consume them in arrival order.
  const fault = admission.admitted ? account.faults.shift() : undefined;
  const answer = await runWithFault({
    fault,
    perform: () => (admission.admitted ? perform() : run.rateLimited(admission.waitMs)),
    // Only a status replaces the answer; a body or headers alone ride on the real one.
    replaces: (f) => f.status !== undefined,
    faultAnswer: run.faultAnswer,
    latencyMs: account.settings.latency_ms,
  });
  account.logRequest(restLogEntry(req, pathPrefix, receivedAt, answer));
  return sendAnswer(reply, answer);
}
