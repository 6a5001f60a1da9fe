// The sandbox's own control API under /_sandbox (kit/control.ts): per-account endpoints authenticate
// with the account's key exactly like /v1, so a partner needs nothing else; mistakes are Motive 422s.
import type { FastifyInstance } from 'fastify';
import { sendAnswer } from '../kit/answer.ts';
import { latencyMs, parseSettingsPatch, positiveInteger, registerControlRoutes as registerKitControlRoutes } from '../kit/control.ts';
import type { SandboxSettings } from './account.ts';
import { MotiveApiError } from './errors.ts';
import { parseMotiveFaults } from './faults.ts';
import { authenticate, parseJsonBody } from './pipeline.ts';
import type { MotiveSandboxState } from './state.ts';

const bad = (message: string) => new MotiveApiError(422, message);

export function registerControlRoutes(app: FastifyInstance, state: MotiveSandboxState): void {
  registerKitControlRoutes(app, {
    createAccount: () => state.createAccount(),
    account: (req) => authenticate(state, req),
    parseBody: parseJsonBody,
    parseSettings: (body) =>
      parseSettingsPatch<SandboxSettings>(body, { rate_limit_per_minute: positiveInteger, latency_ms: latencyMs }, bad),
    parseFaults: parseMotiveFaults,
  });
  // Motive's own: the account's key revoked and a new one issued (the old key answers 401 from now on).
  app.post('/_sandbox/rotate_key', async (req, reply) => sendAnswer(reply, { status: 201, body: state.rotateKey(authenticate(state, req)) }));
}
