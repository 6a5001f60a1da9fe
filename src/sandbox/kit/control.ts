// The sandbox's own control API under /_sandbox: accounts, settings, fault queue, request log. Not
// part of the vendor's API, so never rate limited, faulted, delayed or logged. Each sandbox says how a
// control call authenticates, parses bodies and fails (its own status and error shape); the endpoints
// and their answers are the same for all.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendAnswer } from './answer.ts';
import type { BaseSettings } from './account.ts';
import type { Bad, Fault } from './faults.ts';

export interface ControlledAccount<S, F extends Fault> {
  settings: S;
  updateSettings(patch: Partial<S>): S;
  readonly faults: F[];
  readonly requests: unknown[];
}

export interface ControlApi<S, F extends Fault, A extends ControlledAccount<S, F>> {
  /** POST /_sandbox/accounts: what a new account's credentials look like. */
  createAccount(): unknown;
  /** The account a control call is for; throws the vendor's 401. */
  account(req: FastifyRequest): A;
  parseBody(req: FastifyRequest): unknown;
  parseSettings(body: unknown): Partial<S>;
  parseFaults(body: unknown): F[];
}

export function registerControlRoutes<S, F extends Fault, A extends ControlledAccount<S, F>>(
  app: FastifyInstance,
  api: ControlApi<S, F, A>,
): void {
  const json = (reply: FastifyReply, status: number, body: unknown) => sendAnswer(reply, { status, body });

  app.post('/_sandbox/accounts', async (_req, reply) => json(reply, 201, api.createAccount()));

  app.get('/_sandbox/settings', async (req, reply) => json(reply, 200, { ...api.account(req).settings }));
  app.put('/_sandbox/settings', async (req, reply) => {
    const acct = api.account(req);
    return json(reply, 200, acct.updateSettings(api.parseSettings(api.parseBody(req))));
  });

  app.get('/_sandbox/faults', async (req, reply) => json(reply, 200, { faults: api.account(req).faults }));
  app.post('/_sandbox/faults', async (req, reply) => {
    const acct = api.account(req);
    const faults = api.parseFaults(api.parseBody(req));
    acct.faults.push(...faults);
    return json(reply, 201, { queued: faults.length, pending: acct.faults.length });
  });
  app.delete('/_sandbox/faults', async (req, reply) => {
    const acct = api.account(req);
    const cleared = acct.faults.splice(0, acct.faults.length).length;
    return json(reply, 200, { cleared, pending: 0 });
  });

  app.get('/_sandbox/requests', async (req, reply) => json(reply, 200, { requests: api.account(req).requests }));
  app.delete('/_sandbox/requests', async (req, reply) => {
    const acct = api.account(req);
    acct.requests.splice(0, acct.requests.length);
    return json(reply, 200, { requests: [] });
  });
}

/** Reads one setting's value or throws `bad(...)`. */
export type SettingRule = (key: string, value: unknown, bad: Bad) => unknown;

export const MAX_LATENCY_MS = 600_000;

export const positiveInteger: SettingRule = (key, value, bad) => {
  if (!Number.isInteger(value) || (value as number) < 1) throw bad(`${key} must be a positive integer`);
  return value;
};

export const latencyMs: SettingRule = (key, value, bad) => {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_LATENCY_MS) {
    throw bad(`${key} must be an integer between 0 and ${MAX_LATENCY_MS}`);
  }
  return value;
};

/** A settings patch: every key must have a rule. */
export function parseSettingsPatch<S extends BaseSettings>(
  body: unknown,
  rules: Readonly<Record<keyof S & string, SettingRule>>,
  bad: Bad,
): Partial<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('Body must be a JSON object');
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    // A typo in a control call would otherwise silently test the wrong thing.
    if (!Object.hasOwn(rules, key)) throw bad(`Unknown setting: ${key}`);
    patch[key] = rules[key as keyof S & string](key, value, bad);
  }
  return patch as Partial<S>;
}
