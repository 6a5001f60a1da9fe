// Samsara's driver-message and fuel-purchase endpoints (SDK: src/samsara/messages/raw_client.py,
// fuel_and_energy/raw_client.py): POST /v1/fleet/messages (one message per listed driver, answered
// `{"data": [{driverId, text}]}` with no message id), GET /v1/fleet/messages (endMs/durationMs window,
// 100 requests/min) and POST /fuel-purchase (`{"data": {"uuid"}}`, 100 requests/min). Each route runs
// through runApi with its endpoint name, so an endpoint's own limit applies beside the token's. Samsara's
// DVIR endpoints (POST /fleet/dvirs, GET /dvirs/stream) are not served: fleetgate cannot write a Samsara
// DVIR (src/tsps/samsara/dvir-logs/adapter.ts says why), and they answer Samsara's 404 like any route
// the sandbox does not serve.
import type { FastifyInstance } from 'fastify';
import { sendAnswer } from '../kit/answer.ts';
import { renderFuelPurchase } from './fuel-store.ts';
import { messageWindow, parseMessagePost, renderListed, renderSent } from './message-store.ts';
import { authenticate, runApi } from './pipeline.ts';
import type { Action, Answer } from './pipeline.ts';
import type { SamsaraSandboxState } from './state.ts';

const ok = (data: unknown): Answer => ({ status: 200, body: { data } });

const sendMessages: Action = (account, input) => {
  const post = parseMessagePost(input.body, (id) => account.isDriver(id));
  return ok(account.messages.send(post, Date.parse(input.nowIso)).map(renderSent));
};

const listMessages: Action = (account, input) => ok(account.messages.list(messageWindow(input.query, Date.parse(input.nowIso))).map(renderListed));

const createFuelPurchase: Action = (account, input) => ok({ uuid: account.fuelPurchases.create(input.body, account.fuelReferences, input.nowIso).uuid });

export function registerWritesOnceRoutes(app: FastifyInstance, state: SamsaraSandboxState): void {
  const prefix = app.prefix;
  const route = (endpoint: string, action: Action) => (req: Parameters<typeof runApi>[1], reply: Parameters<typeof runApi>[2]) =>
    runApi(state, req, reply, prefix, action, endpoint);
  app.post('/v1/fleet/messages', route('POST /v1/fleet/messages', sendMessages));
  app.get('/v1/fleet/messages', route('GET /v1/fleet/messages', listMessages));
  app.post('/fuel-purchase', route('POST /fuel-purchase', createFuelPurchase));
  // The sandbox's own view of what Samsara keeps but does not let the API read (its Fuel Purchases
  // report): control API, authenticated like the account's API calls, never limited, faulted or logged.
  app.get('/_sandbox/fuel-purchases', async (req, reply) =>
    sendAnswer(reply, { status: 200, body: { fuel_purchases: authenticate(state, req).fuelPurchases.all().map(renderFuelPurchase) } }),
  );
}
