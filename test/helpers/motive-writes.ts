// Fixtures for the Motive message, fuel and DVIR suites, on top of the vehicle and trailer ones
// (motive-assets.ts): the users and vehicles those writes name, written through fleetgate first (their
// fleetgate id and their Motive id), a write to any of the create-only resources, and the native calls
// the sandbox logged.
import assert from 'node:assert/strict';
import type { CallResult } from './app.ts';
import { call } from './app.ts';
import type { FleetApp, FleetConnection, Json } from './motive-assets.ts';
import { fleetConnection, succeeded } from './motive-assets.ts';

export type { FleetApp, Json } from './motive-assets.ts';
export { fleetApp, refusedAt, succeeded } from './motive-assets.ts';

/** A record written through fleetgate: its fleetgate id and its Motive id (a number, as Motive's API takes it). */
export interface Written {
  id: string;
  motiveId: number;
}

export type WritesResource = 'messages' | 'group-messages' | 'fuel-transactions' | 'dvir-logs';

export interface WritesConnection extends FleetConnection {
  user(firstName: string): Promise<Written>;
  vehicle(name: string): Promise<Written>;
  /** POST /v2/telematics/<resource> (sync unless told otherwise). */
  write(resource: WritesResource, attrs: Json, opts?: { sync?: boolean }): Promise<CallResult<Json>>;
  /** The account's native calls of one method to one path, oldest first (body, query, status, response_body). */
  requests(method: 'GET' | 'POST', path: string): Promise<Json[]>;
  /** POST .../resource-operations/<id>/retry, then the finished operation. */
  retry(operationId: string): Promise<Json>;
}

export async function writesConnection(app: FleetApp): Promise<WritesConnection> {
  const t = app.t;
  const c = await fleetConnection(t);
  const written = (op: Json): Written => ({ id: op.resource_id, motiveId: Number(op.source_id) });
  return {
    ...c,
    async user(firstName) {
      const res = await call(t, 'POST', '/v2/telematics/users?is_sync=true', {
        token: c.p.token,
        json: { connection_id: c.motive.connectionId, first_name: firstName, last_name: 'Driver', phone_country_code: '+1' },
      });
      return written(succeeded(res));
    },
    vehicle: async (name) => written(succeeded(await c.create('vehicles', { vehicle_name: name }))),
    write: (resource, attrs, opts = { sync: true }) =>
      call(t, 'POST', `/v2/telematics/${resource}${opts.sync ? '?is_sync=true' : ''}`, { token: c.p.token, json: { connection_id: c.motive.connectionId, ...attrs } }),
    async requests(method, path) {
      const requests = (await c.motive.sandbox('GET', '/_sandbox/requests')).body.requests as Json[];
      return requests.filter((r) => r.method === method && r.path === path);
    },
    async retry(operationId) {
      const res = await call(t, 'POST', `/v2/integrations/connections/${c.motive.connectionId}/resource-operations/${operationId}/retry`, { token: c.p.token });
      assert.equal(res.status, 200, res.text);
      return c.wait(operationId);
    },
  };
}
