// Geotab fixtures for the message, fuel-transaction and DVIR tests: a database in the app's built-in sandbox
// (./geotab-assets.ts) and, written through fleetgate first (sync writes), the records these writes name — a
// dispatcher, two drivers, a vehicle and a trailer — with their fleetgate and Geotab ids.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Partner, TestApp } from './app.ts';
import type { GeotabAssetsFixture, Json } from './geotab-assets.ts';
import { geotabAssets, submit } from './geotab-assets.ts';

export interface Ref {
  /** fleetgate's id (what a write names). */
  id: string;
  /** Geotab's id (what the sandbox holds). */
  geotab: string;
}

export interface GeotabWritesFixture extends GeotabAssetsFixture {
  dispatcher: Ref;
  driver: Ref;
  driver2: Ref;
  vehicle: Ref;
  trailer: Ref;
  /** A write through fleetgate (sync unless told); the operation. */
  write(path: string, body: Json, sync?: boolean): Promise<{ status: number; body: Json; text: string }>;
  user(extra?: Json): Promise<Ref>;
  vehicleRecord(): Promise<Ref>;
  trailerRecord(): Promise<Ref>;
}

const unique = () => randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase();

export async function geotabWrites(t: TestApp, p: Partner): Promise<GeotabWritesFixture> {
  const g = await geotabAssets(t, p);
  const create = async (path: string, body: Json): Promise<Ref> => {
    const res = await submit(t, p, 'POST', path, { connection_id: g.connectionId, ...body });
    assert.equal(res.body.status, 'success', `${path}: ${res.text}`);
    return { id: res.body.resource_id, geotab: res.body.source_id };
  };
  const user = (extra: Json = {}) => create('/v2/telematics/users', { username: `u-${unique()}`, first_name: 'Pat', last_name: unique(), ...extra });
  const vehicleRecord = () => create('/v2/telematics/vehicles', { vehicle_name: `Unit ${unique()}`, eld_serial_number: `G9${unique()}` });
  const trailerRecord = () => create('/v2/telematics/trailers', { trailer_name: `TR-${unique()}` });
  const [dispatcher, driver, driver2, vehicle, trailer] = [
    await user({ is_driver: false }),
    await user({ is_driver: true }),
    await user({ is_driver: true }),
    await vehicleRecord(),
    await trailerRecord(),
  ];
  return {
    ...g,
    dispatcher,
    driver,
    driver2,
    vehicle,
    trailer,
    write: (path, body, sync = true) => submit(t, p, 'POST', path, { connection_id: g.connectionId, ...body }, sync),
    user,
    vehicleRecord,
    trailerRecord,
  };
}
