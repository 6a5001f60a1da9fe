// Samsara fixtures for the message, fuel and DVIR tests: the records those writes name (users, which
// Samsara keeps as drivers; vehicles, kept as assets of type vehicle; trailers), created through
// fleetgate's write API with sync writes, so each has a fleetgate id and its Samsara id.
import assert from 'node:assert/strict';
import type { Partner, TestApp } from './app.ts';
import { call } from './app.ts';
import type { SamsaraConnection } from './samsara-assets.ts';

type Json = Record<string, any>; // `any`: API bodies are read field by field

export interface Written {
  /** fleetgate's id (what a partner's body names). */
  id: string;
  /** The record's Samsara id. */
  sourceId: string;
}

let seq = 0;

/** One sync create through the write API; it must succeed at Samsara. */
export async function written(t: TestApp, p: Partner, c: SamsaraConnection, plural: string, json: Json): Promise<Written> {
  const res = await call(t, 'POST', `/v2/telematics/${plural}?is_sync=true`, { token: p.token, json: { connection_id: c.connectionId, ...json } });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
  return { id: res.body.resource_id, sourceId: res.body.source_id };
}

/** A user (a Samsara driver). */
export const driverUser = (t: TestApp, p: Partner, c: SamsaraConnection): Promise<Written> =>
  written(t, p, c, 'users', { username: `driver${++seq}${Date.now() % 100_000}`, first_name: 'Dana', last_name: `Driver ${seq}` });

/** A vehicle (a Samsara asset of type vehicle). */
export const vehicle = (t: TestApp, p: Partner, c: SamsaraConnection): Promise<Written> => written(t, p, c, 'vehicles', { vehicle_name: `Truck ${++seq}` });

/** A trailer. */
export const trailer = (t: TestApp, p: Partner, c: SamsaraConnection): Promise<Written> => written(t, p, c, 'trailers', { trailer_name: `Trailer ${++seq}` });
