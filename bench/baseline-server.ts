// The `submit` baseline: a bare Fastify app, spawned as its own process like fleetgate, with one route
// that does what fleetgate's accepted async write minimally has to do: one INSERT of the same row into
// the same resource_operations table of the same database (already migrated by fleetgate).
//
// No auth, no schema validation (Fastify's JSON parser only), no TSP checks, no idempotency, no
// webhook outbox, no response schema, no request log line (logger off). One parameterized statement
// per request on the raw driver (pg.Pool of 10 like fleetgate's, or PGlite on the same data dir).
//
// Env: PORT, DATABASE_URL or BASELINE_PGLITE_DIR, BASELINE_PARTNER_ID.
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';
import pg from 'pg';

const partnerId = process.env.BASELINE_PARTNER_ID!;
// The connection's TSP and fleet_ref are copied into the row in the same statement, as fleetgate does.
const INSERT = `INSERT INTO resource_operations
  (id, partner_id, connection_id, source_name, fleet_ref, resource, operation_type, payload, resource_id, is_sync, attempts, next_attempt_at)
  VALUES ($1, $2, $3, (SELECT tsp FROM connections WHERE id = $3), (SELECT fleet_ref FROM connections WHERE id = $3),
          'user', 'create', $4, $5, false, 0, now())`;

let query: (params: unknown[]) => Promise<unknown>;
let close: () => Promise<void>;
if (process.env.DATABASE_URL) {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  query = (params) => pool.query(INSERT, params);
  close = () => pool.end();
} else {
  const client = await PGlite.create({ dataDir: process.env.BASELINE_PGLITE_DIR! });
  query = (params) => client.query(INSERT, params);
  close = () => client.close();
}

const app = Fastify({ logger: false });
app.post('/v2/telematics/users', async (request, reply) => {
  const body = request.body as { connection_id: string };
  const id = randomUUID();
  await query([id, partnerId, body.connection_id, JSON.stringify(body), randomUUID()]);
  return reply.code(202).send({ id, status: 'pending' });
});

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const addr = app.server.address();
const port = typeof addr === 'object' && addr ? addr.port : 0;
process.stdout.write(`${JSON.stringify({ msg: 'baseline listening', url: `http://127.0.0.1:${port}` })}\n`);

const stop = () => {
  app
    .close()
    .then(close)
    .then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
