// The first-start demo: on an empty embedded database, a demo partner and OAuth client (and, through
// the registered demo hooks, a sandbox TSP connection), kept in <data>/demo.json and reprinted on later
// starts together with a copy-paste walk-through.
import fs from 'node:fs';
import path from 'node:path';
import { createConnection } from '../accounts/connections.ts';
import { createClient, createPartner, listPartners } from '../accounts/partners.ts';
import type { MotiveSandboxState } from '../sandbox/motive/index.ts';
import type { Services } from '../platform/services.ts';
import { motiveAdapter } from '../tsps/motive/index.ts';

export interface DemoInfo {
  base_url: string;
  partner_id: string;
  client_id: string;
  client_secret: string;
  connection_id?: string;
  [extra: string]: unknown;
}

export const demoPath = (dataDir: string) => path.join(dataDir, 'demo.json');

export function readDemo(dataDir: string): DemoInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(demoPath(dataDir), 'utf8')) as DemoInfo;
  } catch {
    return undefined;
  }
}

/** Extra demo setup (e.g. a sandbox connection); returns fields merged into demo.json. */
export type DemoExtension = (services: Services, demo: DemoInfo) => Promise<Partial<DemoInfo>>;

export async function ensureDemo(services: Services, baseUrl: string, extensions: DemoExtension[] = []): Promise<DemoInfo | undefined> {
  const existing = readDemo(services.config.dataDir);
  if (existing) return { ...existing, base_url: baseUrl };
  // Only an empty database gets a demo: a deployment that already has partners is not a playground.
  if ((await listPartners(services.database.db)).length > 0) return undefined;
  const partner = await createPartner(services.database.db, 'Demo partner');
  const client = await createClient(services.database.db, partner.id);
  let demo: DemoInfo = { base_url: baseUrl, partner_id: partner.id, client_id: client.client_id, client_secret: client.client_secret };
  for (const extend of extensions) demo = { ...demo, ...(await extend(services, demo)) };
  fs.writeFileSync(demoPath(services.config.dataDir), `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  return demo;
}

/** The vehicle the walk-through creates (Catena's VehicleCreate fields; Motive stores all of these). */
export const DEMO_VEHICLE = {
  vehicle_name: 'Truck 101',
  oem: 'Freightliner',
  model_type: 'Cascadia',
  model_year: 2022,
  vin: '1FUJGLDR5CLBP8834',
  license_plate_region: 'TX',
  license_plate_number: 'FG-1010',
  engine_type: 'DIESEL',
  status: 'IN_SERVICE',
} as const;

export function walkthrough(demo: DemoInfo, dataDir: string): string {
  const u = demo.base_url;
  const lines = [
    '',
    `fleetgate is running at ${u}  (API docs: ${u}/docs)`,
    `Operations console: ${u}/console  (sign in with the client below)`,
    `Demo credentials (kept in ${demoPath(dataDir)}):`,
    `  client_id:     ${demo.client_id}`,
    `  client_secret: ${demo.client_secret}`,
    '',
    'Try it:',
    `  TOKEN=$(curl -s ${u}/oauth/token -d grant_type=client_credentials \\`,
    `    -d client_id=${demo.client_id} -d client_secret=${demo.client_secret} \\`,
    `    | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
  ];
  if (demo.connection_id) {
    lines.push(
      `  curl -s "${u}/v2/telematics/users?is_sync=true" -H "Authorization: Bearer $TOKEN" \\`,
      `    -H 'Content-Type: application/json' \\`,
      `    -d '{"connection_id":"${demo.connection_id}","first_name":"Ada","last_name":"Lovelace","username":"ada.demo","phone_number":"5555550100","country_code":"USA","default_time_zone":"America/Chicago","hos_ruleset_code":"US_INT_PROP_70_8","is_driver":true}'`,
      `  curl -s "${u}/v2/telematics/vehicles?is_sync=true" -H "Authorization: Bearer $TOKEN" \\`,
      `    -H 'Content-Type: application/json' \\`,
      `    -d '${JSON.stringify({ connection_id: demo.connection_id, ...DEMO_VEHICLE })}'`,
      `  curl -s ${u}/v2/telematics/vehicles -H "Authorization: Bearer $TOKEN"`,
      `  curl -s ${u}/v2/integrations/connections -H "Authorization: Bearer $TOKEN"`,
      `  curl -s ${u}/v2/integrations/tsps`,
    );
  } else {
    lines.push(`  curl -s ${u}/openapi.json -H "Authorization: Bearer $TOKEN" | head -c 300`);
  }
  lines.push('');
  return lines.join('\n');
}

/** The demo's TSP: an account in the built-in Motive sandbox and a connection to it. */
export function motiveDemoConnection(sandbox: MotiveSandboxState): DemoExtension {
  return async (services, demo) => {
    const { api_key } = sandbox.createAccount();
    // Catena's body (tsp_id, credentials, description), with fleetgate's sandbox and fleet_ref.
    const connection = await createConnection(services, demo.partner_id, {
      tsp_id: motiveAdapter.tspId,
      sandbox: true,
      credentials: { api_key },
      fleet_ref: 'demo-fleet',
      description: 'Demo fleet on the built-in Motive sandbox',
    });
    return { connection_id: connection.id, motive_sandbox_api_key: api_key };
  };
}
