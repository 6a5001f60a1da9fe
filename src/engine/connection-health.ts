// Connection health: what the TSP answers to a write says whether the connection's credentials still
// work. An auth refusal fails the connection (its queue is held, not failed one write at a time: see
// `hold` in operations/machine.ts); credentials the TSP accepts again make it active and release the
// queue (`resume`). Each status change and its webhook event are one transaction.
import { and, eq, sql } from 'drizzle-orm';
import { createConnection, updateConnection } from '../accounts/connections.ts';
import type { ConnectionInput, ConnectionPatch, ConnectionRow, ConnectionView } from '../accounts/connections.ts';
import type { AccountsContext } from '../accounts/context.ts';
import type { Db } from '../db/client.ts';
import { connections } from '../db/schema.ts';
import type { TspRegistry } from '../tsps/kit/descriptor.ts';
import type { EngineContext } from './context.ts';
import { resumeConnection } from './operations/machine.ts';
import { enqueueConnectionEvent } from './outbox/enqueue.ts';

/** A status reason stays readable in a list of connections. */
const MAX_REASON = 500;

/** Why the connection failed, as GET shows it: who refused, how, and on which operation. */
export function authFailureReason(
  tspName: string,
  operationId: string,
  attempt: { statusCode: number | null; errorDetails?: string },
): string {
  const answered = attempt.statusCode ? `HTTP ${attempt.statusCode}` : 'no HTTP status';
  const details = attempt.errorDetails ? `: ${attempt.errorDetails}` : '';
  return `${tspName} refused the connection's credentials (${answered}) on operation ${operationId}${details}`.slice(0, MAX_REASON);
}

/**
 * active → failed, with the reason and `connection.staled`, inside the caller's transaction. A
 * compare-and-set on the credentials the refused attempt used: when the partner replaced them since,
 * the answer was about the old ones and the connection stays as it is. True when it moved.
 */
export async function failConnection(tx: Db, conn: Pick<ConnectionRow, 'id' | 'credentialsSealed'>, reason: string): Promise<boolean> {
  const [moved] = await tx
    .update(connections)
    .set({ status: 'failed', statusReason: reason, failedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(connections.id, conn.id), eq(connections.status, 'active'), eq(connections.credentialsSealed, conn.credentialsSealed)))
    .returning();
  if (!moved) return false;
  await enqueueConnectionEvent(tx, moved, 'connection.staled');
  return true;
}

/**
 * A partner's update of a connection, with its events; when it made a paused or failed connection
 * active, the operations that waited on it are due at once (resume).
 */
export async function updateConnectionAndRelease(
  ctx: EngineContext,
  partnerId: string,
  id: string,
  patch: ConnectionPatch,
): Promise<ConnectionView> {
  const { connection, resumed } = await updateConnection(ctx, partnerId, id, patch);
  if (resumed) await resumeConnection(ctx, connection.id);
  return connection;
}

/** A partner's new connection, with `connection.created` in the transaction that stores it (`tsps`: the catalog's TSPs). */
export const createConnectionWithEvents = (
  services: AccountsContext,
  partnerId: string,
  input: ConnectionInput,
  opts: { tsps?: TspRegistry } = {},
): Promise<ConnectionView> =>
  createConnection(services, partnerId, input, { ...opts, within: (tx, row) => enqueueConnectionEvent(tx, row, 'connection.created') });
