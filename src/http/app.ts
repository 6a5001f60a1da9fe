// The Fastify application: validation and OpenAPI from the zod schemas, bearer auth, one error
// envelope, one log line per request. Routes live in routes/, one resource per file.
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler } from 'fastify-type-provider-zod';
import { SCOPES, SCOPE_DESCRIPTIONS } from '../accounts/scopes.ts';
import { PRODUCT_CATALOG } from '../catalog.ts';
import type { Catalog } from '../engine/resource.ts';
import type { SandboxStates } from '../sandbox/registry.ts';
import { mountSandboxes } from '../sandbox/registry.ts';
import type { Services } from '../platform/services.ts';
import { handleError, handleNotFound } from './errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { consoleRoutes } from './routes/console.ts';
import { insightRoutes } from './routes/insights.ts';
import { adminOperationRoutes } from './routes/admin-operations.ts';
import { metricsRoute } from './routes/admin-metrics.ts';
import { createMetrics } from './metrics.ts';
import type { Metrics } from './metrics.ts';
import { connectionRoutes } from './routes/connections.ts';
import { operationRoutes } from './routes/operations.ts';
import { resourceRoutes } from './routes/resources.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { healthRoutes } from './routes/health.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { RequestValidationError, declaredQueryNames, unknownQueryParameters, validatePart, zodValidatorCompiler } from './validation.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The query parameters the route declares (set by the onRoute hook for the API's routes). */
    declaredQuery?: ReadonlySet<string>;
  }
}

export const BODY_LIMIT_BYTES = 1024 * 1024;
export const API_VERSION = '0.1.0';
/** Node's default --max-http-header-size (request line and headers together). */
const MAX_URL_BYTES = 16 * 1024;

export interface AppOptions {
  /** Built-in TSP sandboxes to serve under /sandbox/<tsp> (state owned and closed by the caller). */
  sandboxes?: SandboxStates;
  /** Extra plugins registered inside the app (the sandboxes, in `serve`). */
  plugins?: Array<(app: FastifyInstance, services: Services) => Promise<void> | void>;
  /** The resources and TSPs served (default: the product's; tests declare toy ones). */
  catalog?: Catalog;
  /**
   * The process's metrics (main/server.ts passes them when it also serves them on their own port);
   * default: the app's own, closed with it.
   */
  metrics?: Metrics;
}

export async function buildApp(services: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    // One line per request is written by the onResponse hook below instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    // A path parameter of any length reaches its route, so it is authenticated first and then refused
    // by validation (a 422 at its path), not answered 414 by the router in Fastify's own shape. Node's
    // HTTP parser bounds a request line to 16 KiB (431) before this is ever reached.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_URL_BYTES },
    // What the router refuses itself (a bad percent-encoding in the path) is rendered in the envelope too.
    frameworkErrors: (err, request, reply) => handleError(err, request, reply),
  });
  app.decorateRequest('principal', null);
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  // JSON and forms only: a JSON body mislabelled text/plain is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  // OAuth clients send form bodies (RFC 6749); parse them with the platform's URLSearchParams. A
  // repeated parameter becomes a list, which a string field refuses (RFC 6749 §3.2: at most once).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const fields: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(body as string)) {
      const seen = Object.hasOwn(fields, key) ? fields[key] : undefined;
      const entry = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
      Object.defineProperty(fields, key, { value: entry, enumerable: true, writable: true, configurable: true });
    }
    done(null, fields);
  });

  // Hooks on every request are callback-style: an async hook costs promises per request.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  const metrics = opts.metrics ?? createMetrics(services.events, () => services.database.db);
  if (!opts.metrics) app.addHook('onClose', async () => metrics.close());
  metrics.timeRequests(app);
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        partner_id: request.principal?.partnerId,
      },
      'request',
    );
    done();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'fleetgate',
        version: API_VERSION,
        description:
          'One normalized write API for telematics service providers. Wire-compatible with the Catena Telematics v2 write API.',
      },
      components: {
        securitySchemes: {
          // Catena's scheme, by its name: OAuth 2.0 client credentials at Catena's token path (relative: this
          // server's); each route's security lists the scope it needs, as Catena's documents do.
          Bearer: {
            type: 'oauth2',
            description: 'An access token (a JWT) from the token endpoint, sent as Authorization: Bearer <token>.',
            flows: {
              clientCredentials: {
                tokenUrl: '/realms/catena/protocol/openid-connect/token',
                scopes: Object.fromEntries(SCOPES.map((s) => [s, SCOPE_DESCRIPTIONS[s]])),
              },
            },
          },
          adminToken: { type: 'http', scheme: 'bearer', description: 'FLEETGATE_ADMIN_TOKEN (operator API)' },
          clientBasic: {
            type: 'http',
            scheme: 'basic',
            description:
              'OAuth client authentication (client_id:client_secret, each form-urlencoded) at POST /oauth/token and at Catena\'s POST /realms/catena/protocol/openid-connect/token and /revoke',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // The sandboxes are fakes of other vendors' APIs, not part of fleetgate's own API document. Every
  // route of fleetgate's own API is named (generated clients take their method names from it).
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/sandbox/')) route.schema = { ...route.schema, hide: true };
    else if (route.schema && !route.schema.hide && !(route.schema as { operationId?: string }).operationId) {
      throw new Error(`route ${String(route.method)} ${route.url} has no operationId`);
    }
    // The query parameters each route of the API declares (read off its querystring schema, whatever
    // it holds), for the check below. Not the sandboxes (other vendors' APIs), nor the hidden routes (the
    // document itself), nor the OAuth endpoints (form bodies): RFC 6749 §3.2 has those ignore
    // parameters they do not recognize.
    const schema = route.schema as { hide?: boolean; operationId?: string; querystring?: unknown; consumes?: string[] } | undefined;
    if (!schema || schema.hide || !schema.operationId || schema.consumes?.includes('application/x-www-form-urlencoded')) return;
    const declared = schema.querystring === undefined ? new Set<string>() : declaredQueryNames(schema.querystring);
    if (declared) route.config = { ...route.config, declaredQuery: declared };
  });
  // A query parameter a route does not declare is refused (422 at query.<name>), never silently
  // ignored (Catena's filters are query parameters: an ignored one returns the wrong data). The
  // declared ones' own problems are listed beside it.
  app.addHook('preValidation', (request, _reply, done) => {
    const declared = request.routeOptions.config.declaredQuery;
    if (!declared) return done();
    const unknown = unknownQueryParameters(request.query, declared);
    if (!unknown.length) return done();
    const schema = (request.routeOptions.schema as { querystring?: z.ZodType } | undefined)?.querystring;
    const rest = Object.fromEntries(Object.entries(request.query as Record<string, unknown>).filter(([name]) => declared.has(name)));
    const checked = schema ? validatePart(schema, rest, 'querystring') : { value: rest };
    done(new RequestValidationError([...unknown, ...('problems' in checked ? checked.problems : [])]));
  });
  // Mounted only where the configuration serves them (a caller's states alone are not enough): on a real
  // deployment anyone could create sandbox accounts and state.
  if (opts.sandboxes && services.config.sandboxes) await mountSandboxes(app, opts.sandboxes);

  healthRoutes(app, services);
  oauthRoutes(app, services);
  adminRoutes(app, services);
  const catalog = opts.catalog ?? PRODUCT_CATALOG;
  adminOperationRoutes(app, services, catalog);
  if (services.config.metricsPort === undefined) metricsRoute(app, services, metrics);
  connectionRoutes(app, services, catalog);
  resourceRoutes(app, services, catalog);
  operationRoutes(app, services);
  webhookRoutes(app, services);
  insightRoutes(app, services, catalog);
  consoleRoutes(app);
  for (const plugin of opts.plugins ?? []) await plugin(app, services);
  return app;
}
