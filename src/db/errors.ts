// Errors that mean the database cannot be reached right now (a 503 for requests, a retry for workers).

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
