// The sandbox's own control API under /_sandbox (not part of Geotab's API: never rate limited,
// faulted, delayed or logged). POST /_sandbox/accounts creates a database with an admin login; every
// other endpoint authenticates with that login's database and password in two headers:
//   X-Sandbox-Database: <database>    X-Sandbox-Password: <password>
// (a session id would expire under the tests that expire sessions; the password never does).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GeotabDatabase, SandboxSettings } from './database.ts';
import { ControlError } from './errors.ts';
import { parseFaults } from './faults.ts';
import { sendAnswer } from './rpc.ts';
import type { GeotabSandboxState } from './state.ts';

const MAX_LATENCY_MS = 600_000;

function controlDatabase(state: GeotabSandboxState, req: FastifyRequest): GeotabDatabase {
  const name = req.headers['x-sandbox-database'];
  const password = req.headers['x-sandbox-password'];
  if (typeof name !== 'string' || typeof password !== 'string' || name === '' || password === '') {
    throw new ControlError(401, 'Send X-Sandbox-Database and X-Sandbox-Password (the admin login of the database)');
  }
  const db = state.findDatabase(name);
  if (!db || !db.checkLogin(db.adminUserName, password)) throw new ControlError(401, 'Unknown database or wrong password');
  return db;
}

function parseJson(req: FastifyRequest): unknown {
  const raw = typeof req.body === 'string' ? req.body : '';
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ControlError(400, 'Malformed JSON in request body');
  }
}

const positiveInt = (key: string, v: unknown): number => {
  if (!Number.isInteger(v) || (v as number) < 1) throw new ControlError(400, `${key} must be a positive integer`);
  return v as number;
};

function parseSettings(body: unknown): Partial<SandboxSettings> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ControlError(400, 'Body must be a JSON object');
  const patch: Partial<SandboxSettings> = {};
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'add_user_per_minute':
      case 'authenticate_per_minute':
      case 'call_per_minute':
      case 'session_ttl_ms':
        patch[key] = positiveInt(key, value);
        break;
      case 'latency_ms':
        if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_LATENCY_MS) {
          throw new ControlError(400, `latency_ms must be an integer between 0 and ${MAX_LATENCY_MS}`);
        }
        patch.latency_ms = value as number;
        break;
      case 'redirect_to':
        if (value !== null && (typeof value !== 'string' || value.trim() === '')) {
          throw new ControlError(400, 'redirect_to must be a host, a base URL, or null');
        }
        patch.redirect_to = value === null ? null : (value as string).trim().replace(/\/+$/, '');
        break;
      default:
        // A typo in a control call would otherwise silently test the wrong thing.
        throw new ControlError(400, `Unknown setting: ${key}`);
    }
  }
  return patch;
}

export function registerControlRoutes(app: FastifyInstance, state: GeotabSandboxState): void {
  const json = (reply: FastifyReply, status: number, body: unknown) => sendAnswer(reply, { status, body });
  const db = (req: FastifyRequest) => controlDatabase(state, req);

  app.post('/_sandbox/accounts', async (_req, reply) => json(reply, 201, state.createAccount()));

  app.get('/_sandbox/settings', async (req, reply) => json(reply, 200, { ...db(req).settings }));
  app.put('/_sandbox/settings', async (req, reply) => {
    const d = db(req);
    return json(reply, 200, d.updateSettings(parseSettings(parseJson(req))));
  });

  app.get('/_sandbox/faults', async (req, reply) => json(reply, 200, { faults: db(req).faults }));
  app.post('/_sandbox/faults', async (req, reply) => {
    const d = db(req);
    const faults = parseFaults(parseJson(req));
    d.faults.push(...faults);
    return json(reply, 201, { queued: faults.length, pending: d.faults.length });
  });
  app.delete('/_sandbox/faults', async (req, reply) => {
    const d = db(req);
    const cleared = d.faults.splice(0, d.faults.length).length;
    return json(reply, 200, { cleared, pending: 0 });
  });

  app.get('/_sandbox/requests', async (req, reply) => json(reply, 200, { requests: db(req).requests }));
  app.delete('/_sandbox/requests', async (req, reply) => {
    const d = db(req);
    d.requests.splice(0, d.requests.length);
    return json(reply, 200, { requests: [] });
  });

  app.post('/_sandbox/expire-sessions', async (req, reply) => json(reply, 200, { expired: db(req).expireSessions() }));
}
