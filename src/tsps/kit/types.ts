// The adapter interface: what fleetgate needs from each TSP. Adapters depend on contract/ and this
// file only; the domain never sees a TSP's native shapes.
import type { z } from 'zod';
import type { OperationType, ResourceType } from '../../contract/enums.ts';
import type { UserAttributeName, UserAttributes } from '../../contract/resources/users.ts';

/** How an attempt failed, as the retry classifier and the operation log name it. */
export const ERROR_TYPES = ['auth', 'rate_limited', 'validation', 'transient', 'conflict', 'not_found', 'timeout', 'unknown'] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export type Capability = 'implemented' | 'not_implemented' | 'not_supported';

/** Where and as whom a connection reaches its TSP (credentials already unsealed). */
export interface TspTarget {
  baseUrl: string;
  credentials: Record<string, string>;
}

/** One call to the TSP, as the operation log records it. */
export interface Attempt {
  ok: boolean;
  /** The TSP's id of the resource written (success), e.g. Motive's numeric user id as a string. */
  sourceId?: string;
  statusCode: number | null;
  /** Response headers with credentials and cookies removed. */
  headers: Record<string, string>;
  errorType?: ErrorType;
  /** The TSP's own reason, kept for the partner (never credentials). */
  errorDetails?: string;
  /** From the TSP's Retry-After, when it sent one. */
  retryAfterMs?: number;
  durationMs: number;
}

export interface Refusal {
  field: UserAttributeName;
  input: unknown;
  message: string;
}

export interface UserWrite {
  operation: OperationType;
  /** The fields the partner sent in this request. */
  changes: UserAttributes;
  /** The user as it will be after the write. */
  merged: UserAttributes;
  /** fleetgate's resource id, stored at the TSP as an external id (duplicate-safe retries). */
  externalId: string;
  /** The TSP's id of the user (updates). */
  sourceId?: string;
}

export interface CallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface UserAdapter {
  /** Values this TSP cannot represent: refused at submit with 422 unsupported_by_tsp. */
  refusals(write: UserWrite): Refusal[];
  /** Fields sent that this TSP cannot store (reported on the operation, never silently lost). */
  dropped(write: UserWrite): UserAttributeName[];
  write(target: TspTarget, write: UserWrite, opts: CallOptions): Promise<Attempt>;
  /**
   * The user an earlier attempt of this create may have made (adopt it instead of creating twice).
   * Called before a create is tried again after an outcome that leaves it unknown whether the TSP
   * applied it (timeout, transient, unknown, conflict, a crash). Found by fleetgate's external id
   * (`write.externalId`) where the TSP stores one, or by what the TSP keeps unique otherwise.
   * `ok: true, found: false`: looked, nothing there. `ok: false`: the lookup itself failed.
   */
  findExisting(target: TspTarget, write: UserWrite, opts: CallOptions): Promise<Attempt & { found: boolean }>;
}

export interface TspAdapter {
  tsp: string;
  displayName: string;
  /** Public base URL of the real API. */
  defaultBaseUrl: string;
  /** Path under the fleetgate server where the built-in sandbox is mounted, e.g. /sandbox/motive. */
  sandboxPath: string;
  credentialsSchema: z.ZodType<Record<string, string>>;
  maskCredentials(credentials: Record<string, string>): Record<string, string>;
  /** One cheap authenticated call; ok=false with errorType 'auth' means the credentials are bad. */
  checkCredentials(target: TspTarget, opts: CallOptions): Promise<Attempt>;
  capabilities: {
    resources: Partial<Record<ResourceType, Partial<Record<OperationType, Capability>>>>;
    userFields: Record<UserAttributeName, boolean>;
  };
  users: UserAdapter;
  /** Requests per minute the TSP tolerates by default (the worker's token bucket). */
  defaultRateLimitPerMinute: number;
}
