// MyGeotab answers every JSON-RPC failure inside HTTP 200 (providers.md):
// {"error": {"code": -32000, "message", "data": {"type", "id", "requestIndex"}, "name": "JSONRPCError",
// "errors": [{"name", "message"}]}, "jsonrpc": "2.0", "requestIndex": 0}. Actions throw GeotabRpcError;
// the pipeline renders it. Control endpoints (not Geotab's API) use ControlError with an HTTP status.
import { randomUUID } from 'node:crypto';
import { SandboxHttpError } from '../kit/answer.ts';
import type { GeotabErrorType } from './vendor.ts';

export class GeotabRpcError extends Error {
  readonly type: GeotabErrorType;
  /** Extra HTTP headers for the answer (Retry-After on OverLimitException). */
  readonly headers: Readonly<Record<string, string>>;
  readonly code: number;
  /** Which call of an ExecuteMultiCall failed (0 for a single call). */
  requestIndex = 0;

  constructor(type: GeotabErrorType, message: string, headers: Record<string, string> = {}, code = -32000) {
    super(message);
    this.name = 'GeotabRpcError';
    this.type = type;
    this.headers = headers;
    this.code = code;
  }

  /** The same error, as the failure of call `index` of an ExecuteMultiCall. */
  at(index: number): GeotabRpcError {
    this.requestIndex = index;
    return this;
  }
}

export const invalidUser = (message = 'Incorrect login credentials'): GeotabRpcError =>
  new GeotabRpcError('InvalidUserException', message);
export const argumentError = (message: string): GeotabRpcError => new GeotabRpcError('ArgumentException', message);

/** The JSON-RPC error envelope Geotab sends for a failure. */
export function rpcErrorBody(type: string, message: string, code = -32000, id?: unknown, requestIndex = 0): Record<string, unknown> {
  return {
    error: {
      code,
      message,
      data: { id: randomUUID(), type, requestIndex },
      name: 'JSONRPCError',
      errors: [{ name: type, message }],
    },
    jsonrpc: '2.0',
    requestIndex,
    ...(id !== undefined ? { id } : {}),
  };
}

export class ControlError extends SandboxHttpError {
  constructor(status: number, message: string) {
    super(status, message);
    this.name = 'ControlError';
  }
}
