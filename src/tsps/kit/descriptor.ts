// A TSP declared as data: who it is, where it lives, how its credentials look and authenticate a call,
// how to check them, and its rate limits. The credentials schema (validation and the OpenAPI document),
// the masking of stored credentials, REST auth headers and the TSP catalogue are all read off it.
import { z } from 'zod';
import type { CredentialDisplay } from './credentials.ts';
import { maskCredentialFields } from './credentials.ts';
import type { OperationType } from '../../contract/enums.ts';
import type { Attempt, CallOptions, Capability, ResourceAdapter, TspTarget } from './types.ts';

export interface CredentialField {
  name: string;
  description: string;
  /** Secret fields are never shown back; `display` says how much of a stored value a read shows. */
  secret: boolean;
  display: CredentialDisplay;
  /** Whether surrounding spaces are cut (a password's spaces are part of it: not trimmed). */
  trim: boolean;
}

/** How a call carries the credentials. */
export type AuthScheme =
  /** REST: the first listed credential present goes in its header (with an optional prefix such as "Bearer "). */
  | { kind: 'header'; options: ReadonlyArray<{ credential: string; header: string; prefix?: string }> }
  /** A login call opens a session that later calls carry in their body (MyGeotab's Authenticate). */
  | { kind: 'session'; login: string };

/** The cheapest authenticated call, made when a connection is created or its credentials change. */
export type VerifyCall =
  | { kind: 'rest'; method: 'GET'; path: string; query?: Readonly<Record<string, string>> }
  | { kind: 'session-login' };

export interface TspDescriptor {
  /** Wire name: Catena's `source_name` (TspEnum) and fleetgate's `tsp`. */
  tsp: string;
  /** Stable UUID of this TSP: Catena's `tsp_id` in the catalogue, connections and reads. Never changes. */
  tspId: string;
  displayName: string;
  defaultBaseUrl: string;
  /** Where this fleetgate serves the TSP's sandbox. */
  sandboxPath: string;
  auth: AuthScheme;
  credentials: {
    fields: readonly CredentialField[];
    /** Exactly one of these must be given (alternative ways in); every other field is required. */
    exactlyOneOf?: readonly string[];
  };
  verify: VerifyCall;
  rateLimit: {
    /** Requests per minute fleetgate sends a connection unless it says otherwise (the default class). */
    defaultPerMinute: number;
    /**
     * Endpoint classes with a limit of their own, kept apart from the default class: a 429 of one pauses
     * only it. Each names its source. A class not listed here gets defaultPerMinute.
     */
    classes?: Readonly<Record<string, { perMinute: number; source: string }>>;
    /** Response headers that say how long to wait after a 429/503, in the order they are read. */
    retryAfterHeaders: readonly string[];
  };
}

// Not blank, as the document's pattern says; the check runs on the value as sent, before any trimming.
const nonEmpty = (trim: boolean) => {
  const notBlank = z.string().regex(/\S/, 'must not be empty');
  return trim ? notBlank.trim() : notBlank;
};

/** The zod schema of a TSP's credentials: validation, the static type and the OpenAPI component. */
export function credentialsSchemaOf(d: TspDescriptor): z.ZodType<Record<string, string>> {
  const oneOf = new Set(d.credentials.exactlyOneOf ?? []);
  const shape = Object.fromEntries(
    d.credentials.fields.map((f) => {
      const field = nonEmpty(f.trim).describe(f.description);
      return [f.name, oneOf.has(f.name) ? field.optional() : field];
    }),
  );
  const base = z.strictObject(shape);
  const schema = oneOf.size
    ? base.refine((c) => [...oneOf].filter((name) => (c as Record<string, unknown>)[name] !== undefined).length === 1, {
        message: `send exactly one of ${[...oneOf].join(' or ')}`,
      })
    : base;
  // The exactly-one rule in the document too (a refine has no JSON Schema of its own).
  const exactlyOne = oneOf.size ? { oneOf: [...oneOf].map((name) => ({ required: [name] })) } : {};
  return schema.meta({ id: `${d.displayName}Credentials`, description: `${d.displayName} credentials`, ...exactlyOne }) as unknown as z.ZodType<
    Record<string, string>
  >;
}

/** The credentials as a read shows them, field by field as the descriptor says. */
export const maskCredentialsOf = (d: TspDescriptor) => {
  const display = Object.fromEntries(d.credentials.fields.map((f) => [f.name, f.secret ? f.display : 'shown'])) as Record<string, CredentialDisplay>;
  return (credentials: Record<string, string>): Record<string, string> => maskCredentialFields(credentials, display);
};

/** REST auth headers for a call, from the descriptor's header scheme. */
export function authHeadersOf(d: TspDescriptor): (credentials: Record<string, string>) => Record<string, string> {
  const auth = d.auth;
  if (auth.kind !== 'header') throw new Error(`${d.displayName} authenticates with a session, not headers`);
  return (credentials) => {
    for (const option of auth.options) {
      const value = credentials[option.credential];
      if (value) return { [option.header.toLowerCase()]: `${option.prefix ?? ''}${value}` };
    }
    throw new Error(`${d.displayName} credentials need ${auth.options.map((o) => o.credential).join(' or ')}`);
  };
}

/** A TSP as fleetgate uses it: its descriptor (data), what follows from it, and its resource adapters. */
export interface TspAdapter {
  descriptor: TspDescriptor;
  tsp: string;
  tspId: string;
  displayName: string;
  /** Public base URL of the real API. */
  defaultBaseUrl: string;
  /** Path under the fleetgate server where the built-in sandbox is mounted, e.g. /sandbox/motive. */
  sandboxPath: string;
  /** Requests per minute the TSP tolerates by default (the connection's slot schedule, default class). */
  defaultRateLimitPerMinute: number;
  /** The limit of an endpoint class: the connection's own or the default, capped by the class's documented one. */
  rateLimitOf(rateClass: string, connectionPerMinute?: number): number;
  credentialsSchema: z.ZodType<Record<string, string>>;
  maskCredentials(credentials: Record<string, string>): Record<string, string>;
  /** The descriptor's verification call; ok=false with errorType 'auth' means the credentials are bad. */
  checkCredentials(target: TspTarget, opts: CallOptions): Promise<Attempt>;
  /** Adapters by resource name (the seed's `resource` value). */
  resources: Readonly<Partial<Record<string, ResourceAdapter>>>;
  /** Read off the resource adapters: per resource, operation support and the fields stored. */
  capabilities: {
    resources: Readonly<Record<string, Partial<Record<OperationType, Capability>>>>;
    fields: Readonly<Record<string, Record<string, boolean>>>;
    /** Per resource and operation: why it is not_supported. */
    reasons: Readonly<Record<string, Partial<Record<OperationType, string>>>>;
    /** Per resource whose retried creates cannot be looked up: why (such creates are not retried automatically). */
    notRefindable: Readonly<Record<string, string>>;
  };
}

/** A set of TSPs by wire name (the product's, or a test's). */
export type TspRegistry = Readonly<Record<string, TspAdapter>>;

/** A TSP adapter assembled from its descriptor, its credential check and its resource adapters. */
export function defineTsp(
  descriptor: TspDescriptor,
  parts: {
    checkCredentials(target: TspTarget, opts: CallOptions): Promise<Attempt>;
    resources: Readonly<Partial<Record<string, ResourceAdapter>>>;
  },
): TspAdapter {
  const entries = Object.entries(parts.resources).filter((e): e is [string, ResourceAdapter] => e[1] !== undefined);
  return {
    descriptor,
    tsp: descriptor.tsp,
    tspId: descriptor.tspId,
    displayName: descriptor.displayName,
    defaultBaseUrl: descriptor.defaultBaseUrl,
    sandboxPath: descriptor.sandboxPath,
    defaultRateLimitPerMinute: descriptor.rateLimit.defaultPerMinute,
    // A connection's own limit replaces the default (a fleet that shares its token with other apps, or
    // one with a raised quota); a class with a documented limit of its own keeps it as a ceiling.
    rateLimitOf: (rateClass, connectionPerMinute) => {
      const declared = descriptor.rateLimit.classes?.[rateClass]?.perMinute;
      const general = connectionPerMinute ?? descriptor.rateLimit.defaultPerMinute;
      return declared === undefined ? general : Math.min(declared, general);
    },
    credentialsSchema: credentialsSchemaOf(descriptor),
    maskCredentials: maskCredentialsOf(descriptor),
    checkCredentials: parts.checkCredentials,
    resources: parts.resources,
    capabilities: {
      resources: Object.fromEntries(entries.map(([name, a]) => [name, { ...a.operations }])),
      fields: Object.fromEntries(entries.map(([name, a]) => [name, Object.fromEntries(Object.entries(a.fields).map(([f, s]) => [f, s === 'stored']))])),
      reasons: Object.fromEntries(entries.filter(([, a]) => a.reasons).map(([name, a]) => [name, { ...a.reasons }])),
      notRefindable: Object.fromEntries(
        entries.filter(([, a]) => a.refindable === false && a.operations.create === 'implemented').map(([name, a]) => [name, a.refindReason ?? 'no way to look an earlier attempt up']),
      ),
    },
  };
}
