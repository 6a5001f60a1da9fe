export { createFleetgateClient, ok } from './client.ts';
export type { FleetgateClient, FleetgateClientOptions } from './client.ts';
export {
  FleetgateAuthError,
  FleetgateConflictError,
  FleetgateError,
  FleetgateValidationError,
  OperationFailedError,
  OperationTimeoutError,
} from './errors.ts';
export type { ErrorEnvelope, OperationLog, ResourceOperation, ValidationProblem } from './errors.ts';
export { OperationWaiters } from './operations.ts';
export type { WaitOptions } from './operations.ts';
export { TokenSource } from './tokens.ts';
export type { TokenSourceOptions } from './tokens.ts';
export { MAX_UNPACKED_BYTES, WebhookVerificationError, verifyWebhook } from './webhooks.ts';
export type { SigningScheme, VerifyOptions, WebhookEnvelope } from './webhooks.ts';
export type { components, operations, paths } from './openapi.gen.ts';
