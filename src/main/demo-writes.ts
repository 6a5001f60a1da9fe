// The demo's first operations, so the console has something to show on first start: written through
// the public API, as the walk-through does (a token, then writes to the demo's sandbox connection).
// One succeeds at once (is_sync), two are queued for the worker, and one of those is refused by Motive
// (a username already taken), so the console shows a failed operation with its attempt and a retry.
import type { DemoExtension } from './demo.ts';

const DEMO_USER = { first_name: 'Jordan', last_name: 'Rivera', username: 'jordan.demo', phone_country_code: '+1', is_driver: true };
const DEMO_TRUCK = { vehicle_name: 'Truck 7', oem: 'Volvo', model_type: 'VNL', model_year: 2021, vin: '4V4NC9EH5MN261437', license_plate_region: 'OK', license_plate_number: 'FG-0007' };

export const demoWrites: DemoExtension = async (services, demo) => {
  if (!demo.connection_id) return {};
  const base = demo.base_url;
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: demo.client_id, client_secret: demo.client_secret });
  const token = await fetch(`${base}/oauth/token`, { method: 'POST', body: form });
  if (!token.ok) throw new Error(`demo writes: token refused (${token.status})`);
  const { access_token } = (await token.json()) as { access_token: string };
  const write = async (path: string, body: Record<string, unknown>) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ connection_id: demo.connection_id, ...body }),
    });
    if (res.status >= 400) throw new Error(`demo writes: ${path} answered ${res.status}`);
  };
  await write('/v2/telematics/users?is_sync=true', DEMO_USER);
  await write('/v2/telematics/vehicles', DEMO_TRUCK);
  await write('/v2/telematics/users', { ...DEMO_USER, first_name: 'Jordan (again)' });
  services.logger.info('demo operations written: open /console to see them');
  return {};
};
