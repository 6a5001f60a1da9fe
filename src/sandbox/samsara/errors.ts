// Samsara answers errors with `{"message": "...", "requestId": "..."}` (providers.md). One error class
// carries the status and message through the sandbox so routes can simply throw; the requestId is added
// where the answer is rendered (every answer gets its own).
import { randomBytes } from 'node:crypto';
import { SandboxHttpError } from '../kit/answer.ts';

export class SamsaraApiError extends SandboxHttpError {
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(status, message, headers);
    this.name = 'SamsaraApiError';
  }
}

export const badRequest = (message: string): SamsaraApiError => new SamsaraApiError(400, message);
export const notFound = (message = 'Not Found'): SamsaraApiError => new SamsaraApiError(404, message);

/** A request id in the shape Samsara support asks for: 16 random hex characters. */
export const newRequestId = (): string => randomBytes(8).toString('hex');

export const errorBody = (message: string): { message: string; requestId: string } => ({ message, requestId: newRequestId() });
