// Motive answers every error with `{"error_message": "..."}` (providers.md, seen on 400/401; the 422
// shape is the documented guess). One error class carries the status and that message through the
// sandbox so routes can simply throw, the way a Rails controller raises and rescues.
export class MotiveApiError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'MotiveApiError';
    this.status = status;
    this.headers = headers;
  }
}

/** ActiveRecord::RecordInvalid renders as "Validation failed: <full message>". */
export function validationFailed(fullMessage: string): MotiveApiError {
  return new MotiveApiError(422, `Validation failed: ${fullMessage}`);
}

export function notFound(message = 'Not found'): MotiveApiError {
  return new MotiveApiError(404, message);
}
