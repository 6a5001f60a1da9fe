// Every way a call can fail, as classes a caller can tell apart with `instanceof`, each carrying what
// fleetgate answered. The API's errors are one envelope, {code, message, detail}: `detail` is a sentence,
// or on a 422 the list of every problem (ValidationErrorDetail), plus added facts on some statuses
// (required_scope on a 403, pending_operation_id / newer_operation_id on a 409). The token endpoint
// answers the OAuth way instead ({error, error_description}, RFC 6749 §5.2).
import type { components } from './openapi.gen.ts';

export type ValidationProblem = components['schemas']['ValidationErrorDetail'];
export type ResourceOperation = components['schemas']['ResourceOperation'];
export type OperationLog = components['schemas']['ResourceOperationLog'];
export type OAuthErrorCode = components['schemas']['ErrorResponse']['error'];

/** The envelope's fields as fleetgate sent them (anything unparsable is kept as text in `body`). */
export interface ErrorEnvelope {
  code?: number;
  message?: string;
  detail?: string | ValidationProblem[] | { retry_after_seconds?: number; message?: string } | null;
  required_scope?: string;
  pending_operation_id?: string;
  newer_operation_id?: string;
  [extra: string]: unknown;
}

/** A non-2xx answer of the API. */
export class FleetgateError extends Error {
  override readonly name: string = 'FleetgateError';
  constructor(
    readonly status: number,
    readonly envelope: ErrorEnvelope,
    /** The request id fleetgate logged the call under (X-Request-ID), for a support ticket. */
    readonly requestId: string | undefined,
    readonly method: string,
    readonly url: string,
  ) {
    super(`${method} ${pathOf(url)}: ${status} ${describe(envelope)}`);
  }

  /** `detail` when it is a sentence. */
  get detail(): string | undefined {
    return typeof this.envelope.detail === 'string' ? this.envelope.detail : undefined;
  }
}

/** 422: `problems` lists every refused field, e.g. {path: "body.country_code", error_type: "pattern"}. */
export class FleetgateValidationError extends FleetgateError {
  override readonly name = 'FleetgateValidationError';
  get problems(): ValidationProblem[] {
    return Array.isArray(this.envelope.detail) ? this.envelope.detail : [];
  }
}

/** 409: an Idempotency-Key reused with another body, or a write racing another on the same record. */
export class FleetgateConflictError extends FleetgateError {
  override readonly name = 'FleetgateConflictError';
  get pendingOperationId(): string | undefined {
    return this.envelope.pending_operation_id;
  }
  get newerOperationId(): string | undefined {
    return this.envelope.newer_operation_id;
  }
}

/** The token endpoint refused the client (wrong secret, a scope it does not hold, ...). */
export class FleetgateAuthError extends Error {
  override readonly name = 'FleetgateAuthError';
  constructor(
    readonly status: number,
    readonly error: OAuthErrorCode | string,
    readonly errorDescription: string,
  ) {
    super(`token request refused: ${status} ${error}: ${errorDescription}`);
  }
}

/** The operation ended `failed`: `lastLog` says why (Catena's error_type, fleetgate's error_class). */
export class OperationFailedError extends Error {
  override readonly name = 'OperationFailedError';
  constructor(readonly operation: ResourceOperation) {
    super(`resource operation ${operation.id} failed: ${describeLog(lastLog(operation))}`);
  }
  get lastLog(): OperationLog | undefined {
    return lastLog(this.operation);
  }
  get errorType(): OperationLog['error_type'] | undefined {
    return this.lastLog?.error_type;
  }
  get errorClass(): OperationLog['error_class'] | undefined {
    return this.lastLog?.error_class;
  }
  get errorDetails(): string | null | undefined {
    return this.lastLog?.error_details;
  }
}

/**
 * waitForOperation's deadline passed with the operation still pending (it may yet end), or with the
 * API unreachable or answering 5xx / 429 to every poll (the last such failure is the `cause`).
 */
export class OperationTimeoutError extends Error {
  override readonly name = 'OperationTimeoutError';
  constructor(
    readonly operation: ResourceOperation | undefined,
    readonly timeoutMs: number,
    cause?: unknown,
  ) {
    super(`resource operation ${operation?.id ?? ''} still pending after ${timeoutMs} ms`, cause === undefined ? undefined : { cause });
  }
}

/** The error class for a status, so callers can catch the case they handle. */
export function apiError(status: number, body: unknown, requestId: string | undefined, method: string, url: string): FleetgateError {
  const envelope: ErrorEnvelope =
    body && typeof body === 'object' && !Array.isArray(body) ? (body as ErrorEnvelope) : { message: typeof body === 'string' ? body.slice(0, 500) : undefined };
  const Class = status === 422 ? FleetgateValidationError : status === 409 ? FleetgateConflictError : FleetgateError;
  return new Class(status, envelope, requestId, method, url);
}

// The path only: a query may carry a partner's identifiers, and the host is the caller's own setting.
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function describe(e: ErrorEnvelope): string {
  if (Array.isArray(e.detail)) return `${e.message ?? ''}: ${e.detail.map((p) => `${p.path} (${p.error_type}): ${p.message}`).join('; ')}`;
  const detail = typeof e.detail === 'string' ? e.detail : e.detail?.message;
  return [e.message, detail].filter(Boolean).join(': ');
}

// Logs are in attempt order; the last one is the attempt that ended the operation.
const lastLog = (op: ResourceOperation): OperationLog | undefined => op.logs.at(-1);

const describeLog = (log: OperationLog | undefined) =>
  log ? `${log.error_type ?? 'error'}/${log.error_class ?? 'unknown'} after attempt ${log.attempt}: ${log.error_details ?? ''}` : 'no attempt logged';
