// The adapter interface: what fleetgate needs from each TSP, per resource. Adapters depend on
// contract/ and tsps/kit only; the engine never sees a TSP's native shapes.
import type { Dispatcher } from 'undici';
import type { OperationType } from '../../contract/enums.ts';

/** How an attempt failed, as the retry classifier and the operation log name it. */
export const ERROR_TYPES = ['auth', 'rate_limited', 'validation', 'transient', 'conflict', 'not_found', 'timeout', 'unknown'] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export type Capability = 'implemented' | 'not_implemented' | 'not_supported';
export type FieldSupport = 'stored' | 'not_stored';

/** Where and as whom a connection reaches its TSP (credentials already unsealed). */
export interface TspTarget {
  baseUrl: string;
  credentials: Record<string, string>;
  /**
   * How to connect (undici's default when absent). A partner-chosen base URL gets the deployment's
   * address guard, which refuses internal addresses at connect time; the built-in sandbox does not.
   */
  dispatcher?: Dispatcher;
  /**
   * Where an OAuth token pair (Catena's authorization-code models, kit/oauth.ts) is renewed: REST calls
   * ask it for a fresh pair before a call when the stored one expires soon, and once after a 401, then
   * call with what it gives (and keep it in `credentials` for the attempt's later calls). The engine's
   * keeps one refresh per connection at a time and persists the result. Absent: the credentials are
   * used as they are.
   */
  tokens?: TokenKeeper;
}

/** What a renewal gives: a token pair to call with, or why there is none (a refused refresh token is `auth`). */
export type TokenRenewal = { ok: true; credentials: Record<string, string> } | { ok: false; attempt: Attempt };

export interface TokenKeeper {
  /**
   * A pair good for the next call. `held` is the pair the caller has; `why` says whether it expires
   * soon or the TSP just refused it (401). A pair another caller refreshed meanwhile is reused as is.
   */
  renew(held: Readonly<Record<string, string>>, why: 'expiring' | 'refused'): Promise<TokenRenewal>;
}

/** One call to the TSP, as the operation log records it. */
export interface Attempt {
  ok: boolean;
  /** The TSP's id of the resource written (success), e.g. Motive's numeric user id as a string. */
  sourceId?: string;
  /**
   * The TSP's own record of the resource, as this attempt saw it (success): its answer to the write, or
   * the record a lookup found. Absent where the TSP answers with none (the engine then keeps what it sent).
   */
  sourceData?: Record<string, unknown>;
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

/** A value the TSP cannot represent, refused at submit (422 unsupported_by_tsp). */
export interface Refusal {
  field: string;
  input: unknown;
  message: string;
}

/** The normalized attributes of a record (a resource's fields, minus connection_id). */
export type Attributes = Readonly<Record<string, unknown>>;

/** One write of one record, as the engine hands it to an adapter. */
export interface Write {
  operation: OperationType;
  /** The fields the partner sent in this request. */
  changes: Attributes;
  /** The record as it will be after the write (the resource's merge of changes onto what was last written). */
  merged: Attributes;
  /** fleetgate's resource id, stored at the TSP as an external id where it keeps one (duplicate-safe retries). */
  externalId: string;
  /** The TSP's id of the record (updates). */
  sourceId?: string;
  /**
   * The TSP's ids of the records the write names by fleetgate id (its resource's `references`: a
   * message's sender_id and recipient_id, a fuel transaction's driver_id ...), by field; a list for a
   * many-valued field. Only the fields the write carries.
   */
  refs?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * When the operation was submitted (ISO 8601, the database's clock): a lookup for an earlier attempt's
   * record need look no further back (less a little clock skew), and must not: an identical record from
   * before is another operation's.
   */
  submittedAt?: string;
}

/** The adapter's translation of a write: the native body and the fields it could not store, or refusals. */
export type MappingResult = { ok: true; body: Record<string, unknown>; dropped: string[] } | { ok: false; refusals: Refusal[] };

/** The class of a TSP's API a call belongs to, for rate limits: the descriptor's, or this default. */
export const DEFAULT_RATE_CLASS = 'default';

/**
 * Every call to a TSP takes a slot of its endpoint class first (the engine's rate limiter, shared in the
 * database by every process). `take` resolves when the call may go; it throws SlotUnavailable when the
 * slot is further off than the attempt may wait (the engine then puts the operation back in the queue).
 */
export interface CallGate {
  take(rateClass: string): Promise<void>;
}

/** No slot of this class within the wait the attempt allows: nothing was sent by this call. */
export class SlotUnavailable extends Error {
  constructor(
    readonly rateClass: string,
    readonly waitMs: number,
  ) {
    super(`no ${rateClass} rate-limit slot for ${waitMs} ms`);
    this.name = 'SlotUnavailable';
  }
}

export interface CallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** The rate limiter the engine hands an attempt; absent for calls outside one (credential checks). */
  gate?: CallGate;
}

/** One resource at one TSP. The engine maps a write once (`map`) and hands the result to `send`. */
export interface ResourceAdapter {
  /** Which operations this TSP does for the resource; absent ones are not implemented. */
  operations: Partial<Record<OperationType, Capability>>;
  /** Why an operation is not_supported (the TSP's API has no way to do it), for submit's 422 and the catalogue. */
  reasons?: Partial<Record<OperationType, string>>;
  /**
   * The endpoint class of the first call `send` makes for this operation (default: DEFAULT_RATE_CLASS).
   * The queue skips an operation whose class has no slot, and a sync write takes this slot before it is
   * stored. A wrong answer costs only time: every call still takes a slot of its own class.
   */
  rateClass?(operation: OperationType): string;
  /** What the TSP keeps of each normalized field (capability matrix, read off the mapping table). */
  fields: Readonly<Record<string, FieldSupport>>;
  /** The native body for a write, the fields dropped, or the values the TSP cannot take. */
  map(write: Write): MappingResult;
  /** Performs the write with the body `map` made. */
  send(target: TspTarget, write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt>;
  /**
   * The record an earlier attempt of this create may have made (adopt it instead of creating twice).
   * Called before a create is tried again after an outcome that leaves it unknown whether the TSP
   * applied it (timeout, transient, unknown, conflict, a crash). Found by fleetgate's external id
   * where the TSP stores one, or by what the TSP keeps unique otherwise.
   * `ok: true, found: false`: looked, nothing there. `ok: false`: the lookup itself failed.
   */
  findExisting(target: TspTarget, write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt & { found: boolean }>;
  /**
   * Set when the TSP offers no way to find an earlier attempt's record (Samsara's fuel purchases have no
   * read API): a create whose outcome is unknown is then never tried again automatically, since it might
   * be recorded twice. The engine fails it with that reason instead; a partner's manual retry (who has
   * checked the fleet) sends it again. `findExisting` is not called for such an adapter.
   */
  refindable?: false;
  /** Why `refindable` is false, for the operation's log. */
  refindReason?: string;
}
