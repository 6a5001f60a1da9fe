// The native request an operation maps to, for the console's "what was sent to the TSP": the adapter's
// own pure mapping (the one every attempt runs, execute.ts) of the operation's payload on the record as
// fleetgate holds it now. Not a stored copy of a past request: attempts keep only the TSP's answer.
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { NativeRequest } from '../../contract/console.ts';
import type { Db } from '../../db/client.ts';
import { connections, resources } from '../../db/schema.ts';
import type { Attributes, Write } from '../../tsps/kit/types.ts';
import type { OperationRow } from '../operations/reads.ts';
import { changesOf } from '../execute.ts';
import { resolveReferences } from '../references.ts';
import type { Catalog } from '../resource.ts';
import { resourceNamed } from '../resource.ts';

// Whatever a TSP's body names a secret (a password field of a user, a session of a JSON-RPC call) is
// masked before it leaves the server, as response headers are.
const SECRET_KEY = /password|secret|token|session|api_?key|pin$/i;
export const MASK = '*****';

export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v !== null && v !== undefined ? MASK : maskSecrets(v)]));
  }
  return value;
}

export async function nativeRequestOf(db: Db, catalog: Catalog, op: OperationRow): Promise<z.infer<typeof NativeRequest>> {
  const base = { resource_operation_id: op.id, source_name: op.sourceName };
  const refused = (message: string) => ({ ...base, ok: false, body: null, dropped_fields: [], refusals: [{ field: '', message }] });
  const [conn] = await db.select().from(connections).where(eq(connections.id, op.connectionId));
  const def = resourceNamed(catalog, op.resource);
  const adapter = conn ? catalog.tsps[conn.tsp]?.resources[op.resource] : undefined;
  if (!def || !conn || !adapter) return refused(`no ${op.sourceName} adapter for ${op.resource}`);
  const [current] = op.resourceId ? await db.select().from(resources).where(eq(resources.id, op.resourceId)) : [];
  const changes = changesOf(op);
  const references = await resolveReferences(db, def, op.partnerId, op.connectionId, changes, (f) => adapter.fields[f] === 'not_stored');
  if (!references.ok) return refused(references.problems.map((p) => `${p.path.slice(1).join('.')}: ${p.message}`).join('; '));
  const write: Write = {
    operation: op.operationType as Write['operation'],
    changes,
    merged: def.merge(current?.attributes as Attributes | undefined, changes),
    externalId: op.resourceId ?? op.id,
    sourceId: current?.sourceId ?? undefined,
    refs: references.refs,
    submittedAt: op.createdAt.toISOString(),
  };
  const mapped = adapter.map(write);
  if (!mapped.ok) return { ...base, ok: false, body: null, dropped_fields: [], refusals: mapped.refusals.map((r) => ({ field: r.field, message: r.message })) };
  return { ...base, ok: true, body: maskSecrets(mapped.body) as Record<string, unknown>, dropped_fields: mapped.dropped, refusals: [] };
}
