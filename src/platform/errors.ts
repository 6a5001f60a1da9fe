// The closed set of errors a request can end in. The HTTP error handler renders each as the
// {code, message, detail} envelope; anything else thrown is a bug and becomes a bare 500.

export interface ValidationProblem {
  path: Array<string | number>;
  input?: unknown;
  message: string;
  error_type: string;
}

export type ErrorDetail = null | string | ValidationProblem[] | Record<string, unknown>;

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503 | 504,
    message: string,
    readonly detail: ErrorDetail = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, detail: ErrorDetail = null) => new AppError(400, message, detail);
export const unauthorized = (message = 'Missing or invalid access token') =>
  new AppError(401, message, null, { 'www-authenticate': 'Bearer' });
export const forbidden = (scope: string) =>
  new AppError(403, `The access token lacks the scope this endpoint needs: ${scope}`, { required_scope: scope });
export const notFound = (what: string) => new AppError(404, `${what} not found`);
export const conflict = (message: string, detail: ErrorDetail = null) => new AppError(409, message, detail);
export const validationFailed = (problems: ValidationProblem[]) =>
  new AppError(422, 'Validation failed', problems);
export const serviceUnavailable = (message = 'The database is unavailable; try again shortly') =>
  new AppError(503, message, null, { 'retry-after': '5' });

export { isDatabaseUnavailable } from '../db/errors.ts';
