// The sandbox's own control API under /_sandbox: accounts, settings, fault queue, request log.
// Not part of Samsara's API, so not rate limited, faulted, delayed or logged; per-account endpoints
// authenticate with the account's token exactly like /fleet, so a partner needs nothing else.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxSettings } from './account.ts';
import { badRequest } from './errors.ts';
import { parseFaults } from './faults.ts';
import { authenticate, parseJsonBody, sendAnswer } from './pipeline.ts';
import type { SamsaraSandboxState } from './state.ts';

const MAX_LATENCY_MS = 600_000;

function parseSettings(body: unknown): Partial<SandboxSettings> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('Body must be a JSON object');
  const patch: Partial<SandboxSettings> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'rate_limit_per_second') {
      if (!Number.isInteger(value) || (value as number) < 1) throw badRequest('rate_limit_per_second must be a positive integer');
      patch.rate_limit_per_second = value as number;
    } else if (key === 'latency_ms') {
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_LATENCY_MS) {
        throw badRequest(`latency_ms must be an integer between 0 and ${MAX_LATENCY_MS}`);
      }
      patch.latency_ms = value as number;
    } else {
      // A typo in a control call would otherwise silently test the wrong thing.
      throw badRequest(`Unknown setting: ${key}`);
    }
  }
  return patch;
}

export function registerControlRoutes(app: FastifyInstance, state: SamsaraSandboxState): void {
  const json = (reply: FastifyReply, status: number, body: unknown) => sendAnswer(reply, { status, body });
  const account = (req: FastifyRequest) => authenticate(state, req);

  app.post('/_sandbox/accounts', async (_req, reply) => json(reply, 201, state.createAccount()));

  app.get('/_sandbox/settings', async (req, reply) => json(reply, 200, { ...account(req).settings }));
  app.put('/_sandbox/settings', async (req, reply) => {
    const acct = account(req);
    return json(reply, 200, acct.updateSettings(parseSettings(parseJsonBody(req))));
  });

  app.get('/_sandbox/faults', async (req, reply) => json(reply, 200, { faults: account(req).faults }));
  app.post('/_sandbox/faults', async (req, reply) => {
    const acct = account(req);
    const faults = parseFaults(parseJsonBody(req));
    acct.faults.push(...faults);
    return json(reply, 201, { queued: faults.length, pending: acct.faults.length });
  });
  app.delete('/_sandbox/faults', async (req, reply) => {
    const acct = account(req);
    const cleared = acct.faults.splice(0, acct.faults.length).length;
    return json(reply, 200, { cleared, pending: 0 });
  });

  app.get('/_sandbox/requests', async (req, reply) => json(reply, 200, { requests: account(req).requests }));
  app.delete('/_sandbox/requests', async (req, reply) => {
    const acct = account(req);
    acct.requests.splice(0, acct.requests.length);
    return json(reply, 200, { requests: [] });
  });
}
