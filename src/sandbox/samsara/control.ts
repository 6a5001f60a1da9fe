// The sandbox's own control API under /_sandbox (kit/control.ts): per-account endpoints authenticate
// with the account's token exactly like /fleet, so a partner needs nothing else; mistakes are 400s.
import type { FastifyInstance } from 'fastify';
import { latencyMs, parseSettingsPatch, positiveInteger, registerControlRoutes as registerKitControlRoutes } from '../kit/control.ts';
import type { SandboxSettings } from './account.ts';
import { badRequest } from './errors.ts';
import { parseSamsaraFaults } from './faults.ts';
import { authenticate, parseJsonBody } from './pipeline.ts';
import type { SamsaraSandboxState } from './state.ts';

export function registerControlRoutes(app: FastifyInstance, state: SamsaraSandboxState): void {
  registerKitControlRoutes(app, {
    createAccount: () => state.createAccount(),
    account: (req) => authenticate(state, req),
    parseBody: parseJsonBody,
    parseSettings: (body) =>
      parseSettingsPatch<SandboxSettings>(body, { rate_limit_per_second: positiveInteger, latency_ms: latencyMs }, badRequest),
    parseFaults: parseSamsaraFaults,
  });
}
