// One renderer for every error: the {code, message, detail} envelope, never a stack, SQL or secret.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InvalidCursorError } from '../db/pagination.ts';
import { AppError, isDatabaseUnavailable, serviceUnavailable } from '../platform/errors.ts';
import { RequestValidationError } from './validation.ts';

const Problem = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  input: z.unknown().optional(),
  message: z.string(),
  error_type: z.string(),
});

export const ErrorEnvelope = z
  .object({
    code: z.number().int().describe('The HTTP status.'),
    message: z.string().describe('One sentence for a person.'),
    detail: z
      .union([z.null(), z.string(), z.array(Problem), z.record(z.string(), z.unknown())])
      .describe('null, a string, the list of validation problems (422), or a structured object (429).'),
  })
  .meta({ id: 'Error' });

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request (bad JSON, bad query parameter: every problem is listed in detail, at query.<name>).',
  401: 'Missing, expired, malformed or tampered access token.',
  403: 'The access token lacks the required scope.',
  404: 'Not found (also for rows belonging to another partner).',
  409: 'Conflict (idempotency key reused with another body, or a state conflict).',
  413: 'Request body larger than 1 MiB.',
  422:
    'Validation failed: every problem is listed in detail. Besides what each schema says, no string or field name may hold U+0000 or an unpaired surrogate (error_type character; PostgreSQL stores neither).',
  429: 'Rate limited: see Retry-After.',
  500: 'Unexpected failure (a bug); no internals are exposed.',
  503: 'The database is unavailable.',
  504: 'The TSP did not answer within the synchronous budget.',
};

// Headers an error status carries, for the document (@fastify/swagger reads a response schema's
// `headers` keyword into the response's headers).
const HEADERS: Record<number, Record<string, { type: string; minimum?: number; description: string }>> = {
  429: { 'retry-after': { type: 'integer', minimum: 0, description: 'Seconds to wait before sending the request again.' } },
  503: { 'retry-after': { type: 'integer', minimum: 0, description: 'Seconds to wait before sending the request again.' } },
};

/** Response schemas for the error statuses a route can answer, for the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorEnvelope> {
  const all = [...new Set([400, 500, 503, ...statuses])].sort((a, b) => a - b);
  return Object.fromEntries(
    all.map((s) => {
      const schema = ErrorEnvelope.describe(DESCRIPTIONS[s] ?? 'Error');
      return [s, HEADERS[s] ? schema.meta({ headers: HEADERS[s] }) : schema];
    }),
  );
}

/** Every error is JSON, whatever path rendered it (a pre-serialized body gets no type from Fastify). */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

type Envelope = z.infer<typeof ErrorEnvelope>;

/** The envelope (and headers) an error is answered with. */
export function envelopeFor(err: FastifyError | Error, part: string | undefined): { env: Envelope; headers: Record<string, string> } {
  if (err instanceof AppError) {
    return { env: { code: err.status, message: err.message, detail: err.detail }, headers: err.headers };
  }
  if (err instanceof InvalidCursorError) {
    // Raised by the database layer (which knows no HTTP): a malformed query parameter, so a 400.
    return { env: { code: 400, message: err.message, detail: err.detail }, headers: {} };
  }
  if (err instanceof RequestValidationError) {
    // A bad query string is a malformed request (400); a bad body, path or header is a 422.
    const status = part === 'querystring' ? 400 : 422;
    return {
      env: { code: status, message: status === 400 ? 'Invalid query parameters' : 'Validation failed', detail: err.problems },
      headers: {},
    };
  }
  if (isDatabaseUnavailable(err)) {
    const e = serviceUnavailable();
    return { env: { code: 503, message: e.message, detail: null }, headers: e.headers };
  }
  const fe = err as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { env: { code: 413, message: 'Request body is larger than 1 MiB', detail: null }, headers: {} };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { env: { code: 415, message: 'Unsupported content type', detail: null }, headers: {} };
    case 'FST_ERR_BAD_URL':
      return { env: { code: 400, message: 'Malformed URL (a bad percent-encoding in the path)', detail: null }, headers: {} };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // Not reached while the router's maxParamLength is above what the HTTP parser lets through.
      return { env: { code: 414, message: 'A path parameter is too long', detail: null }, headers: {} };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { env: { code: 400, message: 'Request body is empty but Content-Type is application/json', detail: null }, headers: {} };
  }
  if (fe.statusCode === 400 && (err instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(fe.message))) {
    return { env: { code: 400, message: 'Malformed JSON body', detail: null }, headers: {} };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { env: { code: fe.statusCode, message: 'Bad request', detail: null }, headers: {} };
  }
  return { env: { code: 500, message: 'Internal server error', detail: null }, headers: {} };
}

export function handleError(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const part = (err as { validationContext?: string }).validationContext;
  const { env, headers } = envelopeFor(err, part);
  if (env.code >= 500 && env.code !== 503) request.log.error({ err }, 'request failed');
  else if (env.code === 503) request.log.warn({ err: { message: err.message } }, 'database unavailable');
  // The envelope is rendered as-is, whatever response schema the failing route declared for success.
  return reply.code(env.code).headers(headers).header('content-type', JSON_CONTENT_TYPE).serializer(JSON.stringify).send(env);
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).header('content-type', JSON_CONTENT_TYPE).serializer(JSON.stringify).send({ code: 404, message: `Route ${request.method} ${request.url.split('?')[0]} not found`, detail: null });
}
