// CLI partner/client management: straight into the database, or, when the embedded data directory is
// held by a running server, through that server's operator API (the database belongs to it).
import { request } from 'undici';
import type { Config } from '../platform/config.ts';
import { readLock } from '../db/lock.ts';
import { createClient, createPartner, listPartners } from '../accounts/partners.ts';
import type { Scope } from '../accounts/scopes.ts';
import { createServices } from '../platform/services.ts';

export interface OperatorTarget {
  url?: string;
  adminToken?: string;
}

export type OperatorAction =
  | { kind: 'partners.create'; name: string }
  | { kind: 'partners.list' }
  | { kind: 'clients.create'; partnerId: string; scopes?: Scope[] };

export class OperatorError extends Error {
  override name = 'OperatorError';
}

async function viaHttp(action: OperatorAction, url: string, token: string): Promise<unknown> {
  const base = url.replace(/\/$/, '');
  const [method, path, body] =
    action.kind === 'partners.create'
      ? ['POST', '/admin/v1/partners', { name: action.name }]
      : action.kind === 'partners.list'
        ? ['GET', '/admin/v1/partners', undefined]
        : ['POST', `/admin/v1/partners/${encodeURIComponent(action.partnerId)}/clients`, action.scopes ? { scopes: action.scopes } : {}];
  const res = await request(`${base}${path}`, {
    method: method as 'GET' | 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.body.text();
  const json = text ? (JSON.parse(text) as { message?: string }) : {};
  if (res.statusCode >= 400) {
    const hint = res.statusCode === 404 && path.startsWith('/admin') && !json.message?.includes('Partner')
      ? ' (is FLEETGATE_ADMIN_TOKEN set on the server?)'
      : '';
    throw new OperatorError(`${base} answered ${res.statusCode}: ${json.message ?? text}${hint}`);
  }
  return json;
}

async function direct(action: OperatorAction, config: Config): Promise<unknown> {
  const services = await createServices(config);
  try {
    const db = services.database.db;
    if (action.kind === 'partners.create') return await createPartner(db, action.name);
    if (action.kind === 'partners.list') return { items: await listPartners(db) };
    return await createClient(db, action.partnerId, action.scopes);
  } finally {
    await services.close();
  }
}

export async function runOperatorAction(action: OperatorAction, config: Config, target: OperatorTarget): Promise<unknown> {
  if (target.url) {
    if (!target.adminToken) throw new OperatorError('--url needs --admin-token (or FLEETGATE_ADMIN_TOKEN)');
    return viaHttp(action, target.url, target.adminToken);
  }
  const holder = config.databaseUrl ? undefined : readLock(config.dataDir);
  if (holder) {
    const url = holder.url;
    const token = target.adminToken ?? config.adminToken;
    if (!url || !token) {
      throw new OperatorError(
        `the data directory ${config.dataDir} is held by a running fleetgate (pid ${holder.pid}). ` +
          'Manage it through its operator API: start the server with FLEETGATE_ADMIN_TOKEN set and pass ' +
          '--admin-token (and --url if it is not the one the server recorded).',
      );
    }
    return viaHttp(action, url, token);
  }
  return direct(action, config);
}
