// A TSP declared as data: who it is, where it lives, how its credentials look and authenticate a call,
// how to check them, and its rate limits. The credentials schema (validation and the OpenAPI document),
// the masking of stored credentials, REST auth headers and the TSP catalogue are all read off it.
import { z } from 'zod';
import type { CredentialDisplay } from './credentials.ts';
import { isAuthorizationCode, isTokenPair, maskCredentialFields } from './credentials.ts';
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
  /** May be left out (Geotab's session_id); every other field is required unless in exactlyOneOf. */
  optional?: boolean;
}

/**
 * Another accepted shape of a TSP's credentials beside its own fields: one of Catena's typed models
 * (integrations.openapi.json, ConnectionCreate.credentials), each its own schema in the document.
 */
export interface CredentialModel {
  /** Its name in the OpenAPI document: Catena's model title (MotiveCreds, SamsaraCreds). */
  id: string;
  description: string;
  /** Every field is required unless marked optional; no other field is accepted. */
  fields: readonly CredentialField[];
  /**
   * authorization_code: `auth_code` is an OAuth 2.0 authorization code the fleet's admin granted the
   * partner's app. It is exchanged once at the descriptor's `oauth` token endpoint (kit/oauth.ts); the
   * connection keeps the token pair instead, and a read shows the model with its secrets masked (the
   * spent code as ****).
   */
  grant: 'authorization_code';
}

/** A TSP's OAuth 2.0 token endpoint, as its documentation describes it (kit/oauth.ts uses it). */
export interface OAuthTokenEndpoint {
  /** Path under the connection's base URL (a sandbox mounted at /sandbox/<tsp> keeps its prefix: joinUrl). */
  path: string;
  /**
   * How the app authenticates at the token endpoint: client_id and client_secret as form fields
   * (RFC 6749 §2.3.1, client_secret_post) or HTTP Basic (client_secret_basic).
   */
  clientAuth: 'form' | 'basic';
  /** Whether the code exchange sends redirect_uri (required when the authorization request named one, RFC 6749 §4.1.3). */
  sendsRedirectUri: boolean;
  /** Where this is documented. */
  source: string;
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
    /** Further accepted shapes (Catena's typed models), each a schema of its own. */
    models?: readonly CredentialModel[];
  };
  /** The OAuth 2.0 token endpoint an authorization-code model's code is exchanged and refreshed at. */
  oauth?: OAuthTokenEndpoint;
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

const fieldSchema = (f: CredentialField) => nonEmpty(f.trim).describe(f.description);

/**
 * In a union of shapes, a shape given a field it does not have stands aside (its issues are aborted), so
 * the union reports the issues of the one shape the credentials are of (zod reports a lone non-aborted
 * branch as is), or, when they fit none, its own message naming the shapes (noShapeMessage).
 */
const standAsideOnForeignFields = (ctx: z.core.ParsePayload<unknown>): void => {
  if (ctx.issues.some((i) => i.code === 'unrecognized_keys')) {
    ctx.issues.push({ code: 'custom', message: 'fields of another shape', input: ctx.value, continue: false });
  }
};

/** The TSP's own fields (the first shape): validation, the static type and the OpenAPI component. */
function ownCredentialsSchema(d: TspDescriptor, inUnion: boolean): z.ZodType<Record<string, string>> {
  const oneOf = new Set(d.credentials.exactlyOneOf ?? []);
  const shape = Object.fromEntries(
    d.credentials.fields.map((f) => {
      const field = fieldSchema(f);
      // An optional field may be null too, as Catena's models have it (anyOf string | null): left out.
      if (f.optional) return [f.name, field.nullable().optional()];
      return [f.name, oneOf.has(f.name) ? field.optional() : field];
    }),
  );
  const object = z.strictObject(shape);
  const strict = inUnion ? object.check(standAsideOnForeignFields) : object;
  const base = d.credentials.fields.some((f) => f.optional)
    ? strict.transform((c: Record<string, unknown>) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null && v !== undefined)) as Record<string, string>)
    : strict;
  const schema = oneOf.size
    ? (base as typeof strict).refine((c) => [...oneOf].filter((name) => (c as Record<string, unknown>)[name] !== undefined).length === 1, {
        message: `send exactly one of ${[...oneOf].join(' or ')}`,
      })
    : base;
  // The exactly-one rule in the document too (a refine has no JSON Schema of its own).
  const exactlyOne = oneOf.size ? { oneOf: [...oneOf].map((name) => ({ required: [name] })) } : {};
  return schema.meta({ id: `${d.displayName}Credentials`, description: `${d.displayName} credentials`, ...exactlyOne }) as unknown as z.ZodType<
    Record<string, string>
  >;
}

const modelSchema = (m: CredentialModel) =>
  z
    .strictObject(Object.fromEntries(m.fields.map((f) => [f.name, f.optional ? fieldSchema(f).optional() : fieldSchema(f)])))
    .check(standAsideOnForeignFields)
    .meta({ id: m.id, title: m.id, description: m.description });

/** The fields of each accepted shape, as a refusal names them: "{api_key}", "MotiveCreds {client_id, ...}". */
function shapesOf(d: TspDescriptor): Array<{ label: string; names: string[]; required: string[] }> {
  const own = d.credentials.fields;
  const oneOf = d.credentials.exactlyOneOf ?? [];
  const common = own.filter((f) => !oneOf.includes(f.name)).map((f) => f.name);
  const ownShapes = (oneOf.length ? oneOf.map((name) => [...common, name]) : [common]).map((names) => ({
    label: `{${names.join(', ')}}`,
    names: [...names, ...own.filter((f) => f.optional).map((f) => f.name)],
    required: names.filter((n) => !own.find((f) => f.name === n)?.optional),
  }));
  const models = (d.credentials.models ?? []).map((m) => ({
    label: `${m.id} {${m.fields.map((f) => f.name).join(', ')}}`,
    names: m.fields.map((f) => f.name),
    required: m.fields.filter((f) => !f.optional).map((f) => f.name),
  }));
  return [...ownShapes, ...models];
}

/** What a refusal of credentials matching no shape says: the shapes, and what the closest one lacks or does not take. */
function noShapeMessage(d: TspDescriptor, input: unknown): string {
  const shapes = shapesOf(d);
  const given = typeof input === 'object' && input !== null && !Array.isArray(input) ? Object.keys(input) : [];
  const all = `${d.displayName} credentials are one of ${shapes.map((s) => s.label).join(' or ')}`;
  if (!given.length) return all;
  const closest = shapes
    .map((s) => ({ s, overlap: given.filter((k) => s.names.includes(k)).length }))
    .sort((a, b) => b.overlap - a.overlap)[0]!.s;
  const missing = closest.required.filter((n) => !given.includes(n));
  const unknown = given.filter((k) => !closest.names.includes(k));
  const parts = [missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `not a field of it: ${unknown.join(', ')}` : ''].filter(Boolean);
  return `${all}; closest is ${closest.label}${parts.length ? `: ${parts.join('; ')}` : ''}`;
}

/**
 * The zod schema of a TSP's credentials: its own fields, or one of its further models (Catena's). Each
 * shape is strict; credentials that match none are refused naming the shapes and what the closest lacks.
 */
export function credentialsSchemaOf(d: TspDescriptor): z.ZodType<Record<string, string>> {
  const models = d.credentials.models ?? [];
  const own = ownCredentialsSchema(d, models.length > 0);
  if (!models.length) return own;
  return z
    .union([own, ...models.map(modelSchema)], { error: (issue) => (issue.code === 'invalid_union' ? noShapeMessage(d, issue.input) : undefined) })
    .describe(`${d.displayName} credentials: its own fields, or ${models.map((m) => `Catena's ${m.id}`).join(' or ')}`) as unknown as z.ZodType<
    Record<string, string>
  >;
}

/** Which further model credentials are of (a grant model's code, or the token pair it became); undefined: the TSP's own fields. */
export function credentialModelOf(d: TspDescriptor, credentials: Readonly<Record<string, string>>): CredentialModel | undefined {
  const models = d.credentials.models ?? [];
  if (isAuthorizationCode(credentials) || isTokenPair(credentials)) return models.find((m) => m.grant === 'authorization_code');
  return undefined;
}

const displayOf = (fields: readonly CredentialField[]) =>
  Object.fromEntries(fields.map((f) => [f.name, f.secret ? f.display : 'shown'])) as Record<string, CredentialDisplay>;

/**
 * The credentials as a read shows them, field by field as the descriptor says. Credentials of a grant
 * model show that model (Catena's Output: every field, secrets masked), the spent code as ****; the
 * token pair kept in its place never shows.
 */
export const maskCredentialsOf = (d: TspDescriptor) => {
  const own = displayOf(d.credentials.fields);
  return (credentials: Record<string, string>): Record<string, string> => {
    const model = credentialModelOf(d, credentials);
    if (!model) return maskCredentialFields(credentials, own);
    const shown = maskCredentialFields(credentials, displayOf(model.fields));
    for (const f of model.fields) if (shown[f.name] === undefined && f.secret && !f.optional) shown[f.name] = '****';
    return Object.fromEntries(model.fields.filter((f) => shown[f.name] !== undefined).map((f) => [f.name, shown[f.name]!]));
  };
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
