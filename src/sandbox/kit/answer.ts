// How every sandbox hands an answer to Fastify, and the plugin scaffolding each one installs in its
// encapsulated context (raw bodies, its own error and not-found answers), so whatever the host app
// installs, clients see the vendor's wire shapes.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface Answer {
  status: number;
  /** A string is sent as-is (text/plain unless a header says otherwise); anything else as JSON. */
  body: unknown;
  headers?: Record<string, string>;
}

export function sendAnswer(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.status);
  if (answer.headers) reply.headers(answer.headers);
  if (typeof answer.body === 'string') {
    if (!reply.hasHeader('content-type')) reply.type('text/plain; charset=utf-8');
    return reply.send(answer.body);
  }
  if (!reply.hasHeader('content-type')) reply.type('application/json; charset=utf-8');
  return reply.send(JSON.stringify(answer.body ?? null));
}

/** An error a sandbox route throws to answer with an HTTP status (vendor subclasses name the shape). */
export class SandboxHttpError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/** Fastify's own 4xx (body too large, bad content length ...) keep their status; anything else is a 500. */
export const frameworkStatus = (err: FastifyError): number =>
  typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;

export interface SandboxRendering {
  /** The answer for an error that escaped a route (a thrown vendor error or Fastify's own). */
  error(err: FastifyError, req: FastifyRequest): Answer;
  notFound: Answer;
}

/**
 * Keeps bodies raw (each sandbox parses them where the vendor would: after auth and rate limiting,
 * or in its JSON-RPC layer) and installs the vendor's error and not-found answers.
 */
export function installSandboxContext(app: FastifyInstance, rendering: SandboxRendering): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: FastifyError, req, reply) => sendAnswer(reply, rendering.error(err, req)));
  app.setNotFoundHandler((_req, reply) => sendAnswer(reply, rendering.notFound));
}
