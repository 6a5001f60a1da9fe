// Motive answers every error with `{"error_message": "..."}` (providers.md, seen on 400/401; the 422
// shape is the documented guess). One error class carries the status and that message through the
// sandbox so routes can simply throw, the way a Rails controller raises and rescues.
import { SandboxHttpError } from '../kit/answer.ts';

export class MotiveApiError extends SandboxHttpError {
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(status, message, headers);
    this.name = 'MotiveApiError';
  }
}

/** What Motive's `{"error_message": "..."}` answer carries. */
export const errorBody = (message: string): { error_message: string } => ({ error_message: message });

/** ActiveRecord::RecordInvalid renders as "Validation failed: <full message>". */
export function validationFailed(fullMessage: string): MotiveApiError {
  return new MotiveApiError(422, `Validation failed: ${fullMessage}`);
}

export function notFound(message = 'Not found'): MotiveApiError {
  return new MotiveApiError(404, message);
}
