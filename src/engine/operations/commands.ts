// What a partner may do to its own operations: retry a failed one, cancel one not in flight.
import { conflict } from '../../platform/errors.ts';
import type { EngineContext } from '../context.ts';
import { cancelQueued, retryFailed } from './machine.ts';
import { partnerOperationRow } from './reads.ts';

/** failed → queued with a fresh attempt budget; 409 for any other state. */
export async function retryOperation(ctx: EngineContext, partnerId: string, connectionId: string, id: string): Promise<void> {
  const op = await partnerOperationRow(ctx.database.db, partnerId, connectionId, id);
  if (!(await retryFailed(ctx, op))) throw conflict('Only a failed operation can be retried');
}

/** queued → failed ('cancelled'); 409 when it is in flight or already ended. */
export async function cancelOperation(ctx: EngineContext, partnerId: string, connectionId: string, id: string): Promise<void> {
  const op = await partnerOperationRow(ctx.database.db, partnerId, connectionId, id);
  if (!(await cancelQueued(ctx, op))) throw conflict('Only a pending operation with no attempt in flight can be cancelled');
}
