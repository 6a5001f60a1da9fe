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

/** True for the errors a database driver raises when the server is unreachable or restarting. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
      // SQLSTATE 08xxx connection exceptions, 57P01-57P03 admin shutdown / crash / cannot connect now,
      // 57014 a statement cancelled by statement_timeout (an overloaded or blocked database).
      if (/^08...$/.test(code) || /^57P0[123]$/.test(code) || code === '57014') return true;
    }
    if (typeof message === 'string') {
      if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message))
        return true;
      if (/PGlite is closed/i.test(message)) return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
