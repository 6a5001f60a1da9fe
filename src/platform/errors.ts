// The closed set of errors a request can end in. The HTTP error handler renders each in Catena's
// error shapes ({code, message, detail}); anything else thrown is a bug and becomes a bare 500.

/**
 * One problem with a request, as the code finds it: where (the part, then the keys: ['body',
 * 'country_code'], ['query', 'size']), the value found there (absent when there was none), what is
 * wrong and its class. The HTTP layer renders it as Catena's ValidationErrorDetail (a dotted path and
 * the value as text).
 */
export interface ValidationProblem {
  path: Array<string | number>;
  input?: unknown;
  message: string;
  error_type: string;
}

/** Catena's RetryAfterDetail: the detail of a 429. */
export interface RetryAfterDetail {
  retry_after_seconds: number;
  message: string;
}

/**
 * What `detail` holds: a sentence (or null) for most statuses as Catena has it, the problems of a 422,
 * Catena's RetryAfterDetail for a 429. Structured facts beyond that go in `fields`.
 */
export type ErrorDetail = null | string | ValidationProblem[] | RetryAfterDetail;

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 422 | 429 | 500 | 501 | 503;

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: ErrorStatus,
    message: string,
    readonly detail: ErrorDetail = null,
    readonly headers: Record<string, string> = {},
    /** fleetgate's added fields beside Catena's three (each documented on the status's schema). */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, detail: string | null = null) => new AppError(400, message, detail);
export const unauthorized = (message = 'Missing or invalid access token') =>
  new AppError(401, message, null, { 'www-authenticate': 'Bearer' });
export const forbidden = (scope: string) =>
  new AppError(403, `The access token lacks the scope this endpoint needs: ${scope}`, `required scope: ${scope}`, {}, { required_scope: scope });
export const notFound = (what: string, detail: string | null = null) => new AppError(404, `${what} not found`, detail);
export const conflict = (message: string, fields: Record<string, string> = {}) =>
  new AppError(409, message, Object.keys(fields).length ? Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ') : null, {}, fields);
export const validationFailed = (problems: ValidationProblem[]) =>
  new AppError(422, 'Validation failed', problems);
/** The connection's TSP has no fleetgate adapter for this write (it may get one): Catena's 501. */
export const notImplemented = (message: string) => new AppError(501, message, message);
export const serviceUnavailable = (message = 'The database is unavailable; try again shortly') =>
  new AppError(503, message, null, { 'retry-after': '5' });

export { isDatabaseUnavailable } from '../db/errors.ts';
