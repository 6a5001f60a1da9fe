// The client: openapi-fetch over the generated paths, with what every partner would otherwise write
// around it: a token from the client credentials on every request, renewed before it expires and once
// more if the API refuses it (revoked); an Idempotency-Key on every write, so retrying a call after a lost
// answer replays the first operation instead of writing twice; errors as classes; waiting for operations.
import { randomUUID } from 'node:crypto';
import createClient from 'openapi-fetch';
import type { Client, Middleware } from 'openapi-fetch';
import { apiError } from './errors.ts';
import type { FleetgateError, ResourceOperation } from './errors.ts';
import type { paths } from './openapi.gen.ts';
import { OperationWaiters, waitForOperation } from './operations.ts';
import type { WaitOptions } from './operations.ts';
import { TokenSource } from './tokens.ts';
import { verifyWebhook } from './webhooks.ts';
import type { VerifyOptions, WebhookEnvelope } from './webhooks.ts';

export interface FleetgateClientOptions {
  /** Where fleetgate answers, e.g. http://127.0.0.1:8080 (its API and token endpoint share it). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scope names; absent: every scope the client holds. */
  scope?: string;
  /**
   * The Idempotency-Key of a write that names none (default: a random UUID per call). `false` sends none.
   * A caller that retries a write itself passes the same key each time (`params.header['idempotency-key']`).
   */
  idempotencyKey?: false | (() => string);
  /** Renew the token this long before it expires (default 60 s). */
  renewBeforeMs?: number;
  fetch?: (request: Request) => Promise<Response>;
  /** Milliseconds since the epoch, for the token's expiry (tests move it). */
  now?: () => number;
}

export interface FleetgateClient {
  /** Every partner-facing path, typed from fleetgate's OpenAPI document (openapi-fetch's client). */
  api: Client<paths>;
  tokens: TokenSource;
  /**
   * Resolves with the operation once it succeeded (throws OperationFailedError when it failed,
   * OperationTimeoutError past the deadline): polls with back-off, and ends at once when handleWebhook
   * is given the operation's succeeded or failed event.
   */
  waitForOperation(op: Pick<ResourceOperation, 'id' | 'connection_id'>, opts?: WaitOptions): Promise<ResourceOperation>;
  /** verifyWebhook, then ends the waits the event answers. Throws WebhookVerificationError. */
  handleWebhook(opts: VerifyOptions): WebhookEnvelope;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// The request of each answer, to name the call in an error (a Response does not know its method).
const requestOf = new WeakMap<Response, Request>();

export function createFleetgateClient(opts: FleetgateClientOptions): FleetgateClient {
  const fetchImpl = opts.fetch ?? ((request: Request) => fetch(request));
  const tokens = new TokenSource({ ...opts, fetch: fetchImpl });
  const newKey = opts.idempotencyKey === undefined ? randomUUID : opts.idempotencyKey;
  const api = createClient<paths>({ baseUrl: opts.baseUrl, fetch: fetchImpl });
  // A copy of each request as sent, so a refused token can be renewed and the call sent again.
  const unsent = new Map<string, { copy: Request; token: string }>();

  const middleware: Middleware = {
    async onRequest({ request, id }) {
      if (newKey && !SAFE_METHODS.has(request.method) && !request.headers.has('idempotency-key')) request.headers.set('idempotency-key', newKey());
      if (request.headers.has('authorization')) return request;
      const token = await tokens.get();
      request.headers.set('authorization', `Bearer ${token}`);
      unsent.set(id, { copy: request.clone(), token });
      return request;
    },
    async onResponse({ response, request, id }) {
      const sent = unsent.get(id);
      unsent.delete(id);
      let answer = response;
      // A 401 on a token that had not expired by our clock: revoked, or the server's keys changed. One
      // renewal and one more try; the Idempotency-Key (unchanged on the copy) keeps a write from doubling.
      if (response.status === 401 && sent) {
        tokens.invalidate(sent.token);
        await response.body?.cancel();
        const retry = sent.copy;
        retry.headers.set('authorization', `Bearer ${await tokens.get()}`);
        answer = await fetchImpl(retry);
      }
      requestOf.set(answer, request);
      return answer;
    },
    onError({ id }) {
      unsent.delete(id);
    },
  };
  api.use(middleware);

  const waiters = new OperationWaiters();
  const fetchOperation = (connectionId: string, operationId: string, signal?: AbortSignal) =>
    ok(
      api.GET('/v2/integrations/connections/{connection_id}/resource-operations/{resource_operation_id}', {
        params: { path: { connection_id: connectionId, resource_operation_id: operationId } },
        signal,
      }),
    );

  return {
    api,
    tokens,
    waitForOperation: (op, waitOpts) => waitForOperation(fetchOperation, waiters, op, waitOpts),
    handleWebhook(verifyOpts) {
      const envelope = verifyWebhook(verifyOpts);
      waiters.deliver(envelope);
      return envelope;
    },
  };
}

// The success branch of openapi-fetch's answer union (the error branch has `data?: never`).
type DataOf<R> = R extends { data: infer D; error?: never } ? D : never;

/**
 * The data of a successful call, or a FleetgateError (FleetgateValidationError on a 422,
 * FleetgateConflictError on a 409) carrying fleetgate's envelope: `await ok(fg.api.POST(...))`.
 */
export async function ok<R extends { data?: unknown; error?: unknown; response: Response }>(call: Promise<R>): Promise<DataOf<R>> {
  const answer = await call;
  if (answer.response.ok) return answer.data as DataOf<R>;
  throw errorOf(answer.response, answer.error);
}

function errorOf(response: Response, body: unknown): FleetgateError {
  const request = requestOf.get(response);
  return apiError(response.status, body, response.headers.get('x-request-id') ?? undefined, request?.method ?? 'call', request?.url ?? response.url);
}
