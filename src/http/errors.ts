// One renderer for every error, in Catena's error shapes (its OpenAPI documents' BadRequest,
// Unauthorized, Forbidden, NotFound, MethodNotAllowed, Conflict, UnprocessableEntity, TooManyRequests,
// InternalServerError, NotImplementedResponse): `{code, message, detail}`, never a stack, SQL or secret.
// A 422's detail items are Catena's ValidationErrorDetail, `{path: "body.country_code", input: "US",
// message, error_type}`, all four always present.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InvalidCursorError } from '../db/pagination.ts';
import { AppError, isDatabaseUnavailable, serviceUnavailable } from '../platform/errors.ts';
import type { ErrorDetail, ValidationProblem } from '../platform/errors.ts';
import { RequestValidationError } from './validation.ts';

// ---------- the wire shapes (Catena's models, transcribed) ----------

/** Catena's `integer` without zod's safe-integer bounds, which Catena's models do not state. */
const integer = () => z.number().int().meta({ minimum: undefined, maximum: undefined });

export const ValidationErrorDetail = z
  .looseObject({
    path: z.string().describe('Where the problem is: the part (body, query, path, header) and the keys, dot-separated: body.country_code, query.size, body.recipient_ids.1.'),
    input: z
      .string()
      .describe('The offending value as text: a string as sent, any other JSON value as its JSON text (123, true, null, {"a":1}); "" when the value is absent (a missing field) or a credential.'),
    message: z.string(),
    error_type: z.string().describe('The class of the problem: missing, type, pattern, enum, range, uuid, date, unknown_parameter, character, unsupported_by_tsp, not_found, ...'),
  })
  .meta({ id: 'ValidationErrorDetail', title: 'ValidationErrorDetail' });
export type ValidationErrorDetail = z.infer<typeof ValidationErrorDetail>;

export const RetryAfterDetail = z
  .looseObject({ retry_after_seconds: integer(), message: z.string() })
  .meta({ id: 'RetryAfterDetail', title: 'RetryAfterDetail' });

const sentence = z.string().nullable();

/**
 * One of Catena's error models: code and message with Catena's defaults, and a detail; nothing
 * required, further fields allowed (as Catena's pydantic models publish them). `extra`: fleetgate's
 * added fields, optional, which a Catena client ignores.
 */
function catenaError(id: string, status: number, defaultMessage: string, detail: z.ZodType, extra: Record<string, z.ZodType> = {}) {
  return z
    .looseObject({
      code: integer().optional().meta({ default: status }).describe('The HTTP status.'),
      message: z.string().optional().meta({ default: defaultMessage }).describe('One sentence for a person.'),
      detail: detail.optional(),
      ...extra,
    })
    .meta({ id, title: id });
}

const added = (description: string) => z.string().optional().describe(`fleetgate's addition: ${description}`);

/** The schema of each error status fleetgate answers (Catena's where Catena has one). */
export const ERROR_SCHEMAS = {
  400: catenaError('BadRequest', 400, 'Bad Request', sentence),
  401: catenaError('Unauthorized', 401, 'Unauthorized', sentence),
  403: catenaError('Forbidden', 403, 'Forbidden', sentence, { required_scope: added('the scope the endpoint needs (also named in detail).') }),
  404: catenaError('NotFound', 404, 'Not Found', sentence),
  405: catenaError('MethodNotAllowed', 405, 'Method Not Allowed', sentence),
  409: catenaError('Conflict', 409, 'Conflict', sentence, {
    pending_operation_id: added('the earlier operation on the same record that is still pending (also named in detail).'),
    newer_operation_id: added('the later write to the same record that succeeded (also named in detail).'),
  }),
  // Not in Catena's documents (which declare neither): fleetgate's, in the same shape.
  413: catenaError('ContentTooLarge', 413, 'Content Too Large', sentence),
  415: catenaError('UnsupportedMediaType', 415, 'Unsupported Media Type', sentence),
  422: catenaError('UnprocessableEntity', 422, 'Invalid Request Body', z.array(ValidationErrorDetail).nullable()),
  429: catenaError('TooManyRequests', 429, 'Too Many Requests', RetryAfterDetail.nullable()),
  // Catena's InternalServerError has only `message`; fleetgate's body keeps the one envelope.
  500: z
    .looseObject({
      message: z.string().optional().meta({ default: 'Internal Server Error' }),
      code: integer().optional().describe("fleetgate's addition: the HTTP status (500)."),
      detail: z.null().optional().describe("fleetgate's addition: always null."),
    })
    .meta({ id: 'InternalServerError', title: 'InternalServerError' }),
  501: catenaError('NotImplementedResponse', 501, 'Not Implemented', sentence),
  503: catenaError('ServiceUnavailable', 503, 'Service Unavailable', sentence),
} as const;
export type ErrorStatusCode = keyof typeof ERROR_SCHEMAS;

const DESCRIPTIONS: Record<ErrorStatusCode, string> = {
  400: 'Malformed request: a body that is not JSON, an empty JSON body, a bad percent-encoding in the path.',
  401: 'Missing, expired, malformed or tampered access token.',
  403: 'The access token lacks the required scope (named in detail and required_scope).',
  404: 'Not found (also for rows belonging to another partner).',
  405: 'The path exists, but not with this method: the Allow header lists the methods it has.',
  409: 'Conflict (idempotency key reused with another body, or a state conflict).',
  413: 'Request body larger than 1 MiB.',
  415: 'The body is neither JSON nor (where the operation takes one) a form.',
  422:
    'Validation failed: every problem is listed in detail, with its path (body.<field>, query.<name>, path.<name>, header.<name>). ' +
    'A query parameter the operation does not declare is refused (error_type unknown_parameter). ' +
    'Besides what each schema says, no field name anywhere in a body, and no string that is kept, may hold U+0000 or an unpaired surrogate (error_type character; PostgreSQL stores neither).',
  429: 'Rate limited: see Retry-After and detail.retry_after_seconds.',
  500: 'Unexpected failure (a bug); no internals are exposed.',
  501: "The connection's TSP has no fleetgate adapter for this operation (see the TSP catalogue's capabilities).",
  503: 'The database is unavailable.',
};

// Headers an error status carries, for the document (@fastify/swagger reads a response schema's
// `headers` keyword into the response's headers).
const RETRY_AFTER = { 'retry-after': { type: 'integer', minimum: 0, description: 'Seconds to wait before sending the request again.' } };
const HEADERS: Partial<Record<ErrorStatusCode, Record<string, { type: string; minimum?: number; description: string }>>> = {
  405: { allow: { type: 'string', description: 'The methods the path has, comma-separated.' } },
  429: RETRY_AFTER,
  503: RETRY_AFTER,
};

/**
 * What every route of the API can answer whatever it is: a malformed URL (400), another method on its
 * path (405), an unknown query parameter (422), a bug (500), the database down (503).
 */
const EVERY_ROUTE: ErrorStatusCode[] = [400, 405, 422, 500, 503];

/** Response schemas for the error statuses a route can answer (besides EVERY_ROUTE's), for the OpenAPI document. */
export function errorResponses(...statuses: ErrorStatusCode[]): Record<number, z.ZodType> {
  return exactErrorResponses(...EVERY_ROUTE, ...statuses);
}

/** Response schemas for exactly these error statuses (a route that cannot answer all of EVERY_ROUTE's: one without a database). */
export function exactErrorResponses(...statuses: ErrorStatusCode[]): Record<number, z.ZodType> {
  const all = [...new Set(statuses)].sort((a, b) => a - b);
  return Object.fromEntries(
    all.map((s) => {
      const schema = ERROR_SCHEMAS[s].describe(DESCRIPTIONS[s]);
      const headers = HEADERS[s];
      return [s, headers ? schema.meta({ headers }) : schema];
    }),
  );
}

/** Every error is JSON, whatever path rendered it (a pre-serialized body gets no type from Fastify). */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

// ---------- rendering ----------

export interface Envelope {
  code: number;
  message: string;
  detail: null | string | ValidationErrorDetail[] | { retry_after_seconds: number; message: string };
  [added: string]: unknown;
}

// A problem echoes the input as sent, unless it nests deeper than this: a 100,000-deep array fits well
// under the body limit and parses, but would overflow the stack of JSON.stringify (a 500).
const MAX_ECHO_DEPTH = 32;

function tooDeep(input: object): boolean {
  const stack: Array<[unknown, number]> = [[input, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_ECHO_DEPTH) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Catena's `input`: the value as text ("" when absent; JSON text for anything but a string). */
export function inputText(input: unknown): string {
  if (input === undefined) return '';
  if (typeof input === 'string') return input;
  if (input !== null && typeof input === 'object' && tooDeep(input)) {
    return `(${Array.isArray(input) ? 'an array' : 'an object'} nested deeper than ${MAX_ECHO_DEPTH} levels)`;
  }
  return JSON.stringify(input) ?? String(input);
}

/** A problem as Catena's ValidationErrorDetail. */
export function wireProblem(p: ValidationProblem): ValidationErrorDetail {
  return { path: p.path.map(String).join('.'), input: inputText(p.input), message: p.message, error_type: p.error_type };
}

/** A detail in the status's Catena shape: a list only on a 422, a sentence (or null) elsewhere, RetryAfterDetail on a 429. */
function wireDetail(status: number, detail: ErrorDetail): Envelope['detail'] {
  if (Array.isArray(detail)) {
    if (status === 422) return detail.map(wireProblem);
    return detail.map((p) => `${wireProblem(p).path}: ${p.message}`).join('; ');
  }
  if (detail !== null && typeof detail === 'object') return status === 429 ? detail : detail.message;
  return detail;
}

/** Catena's three fields first, then fleetgate's added ones (which never replace them). */
const envelope = (code: number, message: string, detail: Envelope['detail'] = null, fields: Record<string, string> = {}): Envelope => ({
  code,
  message,
  detail,
  ...Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'code' && k !== 'message' && k !== 'detail')),
});

/** The envelope (and headers) an error is answered with. */
export function envelopeFor(err: FastifyError | Error, _part?: string): { env: Envelope; headers: Record<string, string> } {
  if (err instanceof AppError) {
    return { env: envelope(err.status, err.message, wireDetail(err.status, err.detail), { ...err.fields }), headers: err.headers };
  }
  if (err instanceof InvalidCursorError) {
    // Raised by the database layer (which knows no HTTP): a query parameter that fails validation.
    return { env: envelope(422, err.message, err.detail.map(wireProblem)), headers: {} };
  }
  if (err instanceof RequestValidationError) {
    // Body, query, path and headers alike: Catena answers every validation failure 422.
    return { env: envelope(422, 'Validation failed', err.problems.map(wireProblem)), headers: {} };
  }
  if (isDatabaseUnavailable(err)) {
    const e = serviceUnavailable();
    return { env: envelope(503, e.message), headers: e.headers };
  }
  const fe = err as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { env: envelope(413, 'Request body is larger than 1 MiB'), headers: {} };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { env: envelope(415, 'Unsupported content type'), headers: {} };
    case 'FST_ERR_BAD_URL':
      return { env: envelope(400, 'Malformed URL (a bad percent-encoding in the path)'), headers: {} };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // Not reached while the router's maxParamLength is above what the HTTP parser lets through.
      return { env: envelope(414, 'A path parameter is too long'), headers: {} };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { env: envelope(400, 'Request body is empty but Content-Type is application/json'), headers: {} };
  }
  if (fe.statusCode === 400 && (err instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(fe.message))) {
    return { env: envelope(400, 'Malformed JSON body'), headers: {} };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { env: envelope(fe.statusCode, 'Bad request'), headers: {} };
  }
  return { env: envelope(500, 'Internal server error'), headers: {} };
}

function send(reply: FastifyReply, env: Envelope, headers: Record<string, string> = {}) {
  // The envelope is rendered as-is, whatever response schema the failing route declared for success.
  return reply.code(env.code).headers(headers).header('content-type', JSON_CONTENT_TYPE).serializer(JSON.stringify).send(env);
}

export function handleError(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const { env, headers } = envelopeFor(err);
  if (env.code >= 500 && env.code !== 503 && env.code !== 501) request.log.error({ err }, 'request failed');
  else if (env.code === 503) request.log.warn({ err: { message: err.message } }, 'database unavailable');
  return send(reply, env, headers);
}

/** Methods a path may be routed for, in the order an Allow header lists them. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * No route for this method and path: a 405 with Allow when the path has routes for other methods
 * (Catena's MethodNotAllowed), else a 404.
 */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0]!;
  const allowed = METHODS.filter((method) => method !== request.method && request.server.findRoute({ method, url: path }) !== null);
  if (allowed.length) {
    return send(reply, envelope(405, `Method ${request.method} is not allowed on ${path}; it has ${allowed.join(', ')}`), { allow: allowed.join(', ') });
  }
  return send(reply, envelope(404, `Route ${request.method} ${path} not found`));
}
