// The sandbox's own control API under /_sandbox (not part of Geotab's API: never rate limited,
// faulted, delayed or logged). POST /_sandbox/accounts creates a database with an admin login;
// PUT /_sandbox/defect-lists replaces its DVIR defect lists; every other endpoint authenticates with that
// login's database and password in two headers:
//   X-Sandbox-Database: <database>    X-Sandbox-Password: <password>
// (a session id would expire under the tests that expire sessions; the password never does).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendAnswer } from '../kit/answer.ts';
import { latencyMs, parseSettingsPatch, positiveInteger, registerControlRoutes as registerKitControlRoutes } from '../kit/control.ts';
import type { SettingRule } from '../kit/control.ts';
import type { GeotabDatabase, SandboxSettings } from './database.ts';
import { ControlError } from './errors.ts';
import { parseDefectListSpecs } from './defect-lists.ts';
import { parseFaults } from './faults.ts';
import type { GeotabSandboxState } from './state.ts';

const bad = (message: string) => new ControlError(400, message);

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

// A host name (Authenticate's `path` is "ThisServer" or a bare host, providers.md), or null for "ThisServer".
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const redirectTo: SettingRule = (key, value, fail) => {
  if (value === null) return null;
  if (typeof value !== 'string' || !HOST_NAME.test(value)) throw fail(`${key} must be a host name (such as my1001.geotab.com) or null`);
  return value.toLowerCase();
};

const SETTING_RULES: Readonly<Record<keyof SandboxSettings, SettingRule>> = {
  add_user_per_minute: positiveInteger,
  authenticate_per_minute: positiveInteger,
  call_per_minute: positiveInteger,
  add_device_per_minute: positiveInteger,
  set_device_per_minute: positiveInteger,
  get_device_per_minute: positiveInteger,
  add_trailer_per_minute: positiveInteger,
  set_trailer_per_minute: positiveInteger,
  get_trailer_per_minute: positiveInteger,
  add_fuel_transaction_per_minute: positiveInteger,
  get_fuel_transaction_per_minute: positiveInteger,
  add_dvir_log_per_minute: positiveInteger,
  set_dvir_log_per_minute: positiveInteger,
  get_dvir_log_per_minute: positiveInteger,
  get_defect_per_minute: positiveInteger,
  latency_ms: latencyMs,
  session_ttl_ms: positiveInteger,
  redirect_to: redirectTo,
};

export function registerControlRoutes(app: FastifyInstance, state: GeotabSandboxState): void {
  const db = (req: FastifyRequest) => controlDatabase(state, req);
  registerKitControlRoutes(app, {
    createAccount: () => state.createAccount(),
    account: db,
    parseBody: parseJson,
    parseSettings: (body) => parseSettingsPatch<SandboxSettings>(body, SETTING_RULES, bad),
    parseFaults,
  });
  app.post('/_sandbox/expire-sessions', async (req, reply: FastifyReply) =>
    sendAnswer(reply, { status: 200, body: { expired: db(req).expireSessions() } }),
  );
  // Replaces the database's defect lists (./defect-lists.ts): the lists a DVIRLog names, with fresh ids.
  app.put('/_sandbox/defect-lists', async (req, reply: FastifyReply) => {
    const database = db(req);
    const specs = parseDefectListSpecs(parseJson(req));
    return sendAnswer(reply, { status: 200, body: { lists: database.writes.replaceDefectLists(specs) } });
  });
}
