// What a partner may do to its own operations: retry a failed one, cancel one not in flight.
import type { Db } from '../../db/client.ts';
import { conflict } from '../../platform/errors.ts';
import type { EngineContext } from '../context.ts';
import { cancelQueued, newerSuccessfulWrites, retryFailed } from './machine.ts';
import { partnerOperationRow } from './reads.ts';

/** The latest later write to the same record that succeeded, if any. */
async function newerSuccess(db: Db, operationId: string): Promise<string | undefined> {
  const res = (await db.execute(newerSuccessfulWrites(operationId))) as unknown as { rows: Array<{ id: string }> };
  return res.rows[0]?.id;
}

/**
 * failed → queued with a fresh attempt budget; 409 for any other state. A failed update is not retried
 * over a later write to the same record that succeeded (its values would undo that write): 409 naming
 * it, unless `force`.
 */
export async function retryOperation(ctx: EngineContext, partnerId: string, connectionId: string, id: string, opts: { force?: boolean } = {}): Promise<void> {
  const op = await partnerOperationRow(ctx.database.db, partnerId, connectionId, id);
  const guarded = op.operationType === 'update' && op.resourceId !== null && !opts.force;
  if (await retryFailed(ctx, op, { unlessSuperseded: guarded })) return;
  const newer = guarded && op.status === 'failed' ? await newerSuccess(ctx.database.db, op.id) : undefined;
  if (newer) {
    throw conflict('A later write to the same record succeeded; retrying this update would undo it (retry with force=true to apply it anyway)', {
      newer_operation_id: newer,
    });
  }
  throw conflict('Only a failed operation can be retried');
}

/** queued → failed ('cancelled'); 409 when it is in flight or already ended. */
export async function cancelOperation(ctx: EngineContext, partnerId: string, connectionId: string, id: string): Promise<void> {
  const op = await partnerOperationRow(ctx.database.db, partnerId, connectionId, id);
  if (!(await cancelQueued(ctx, op))) throw conflict('Only a pending operation with no attempt in flight can be cancelled');
}
