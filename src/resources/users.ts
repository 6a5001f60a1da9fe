// The normalized users fleetgate has written, as it last wrote them.
import { and, eq, isNull } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { UserAttributes } from '../contract/resources/users.ts';
import type { Db } from '../db/client.ts';
import { cursorText, keysetPage } from '../db/pagination.ts';
import type { Page } from '../db/pagination.ts';
import { resources } from '../db/schema.ts';
import { notFound } from '../platform/errors.ts';

export type UserView = UserAttributes & {
  id: string;
  connection_id: string;
  source_id: string | null;
  created_at: string;
  updated_at: string;
};

function viewUser(row: typeof resources.$inferSelect): UserView {
  return {
    ...(row.attributes as UserAttributes),
    id: row.id,
    connection_id: row.connectionId,
    source_id: row.sourceId,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const mine = (partnerId: string): SQL[] => [eq(resources.partnerId, partnerId), eq(resources.resource, 'user'), isNull(resources.deletedAt)];

export async function getUser(db: Db, partnerId: string, id: string): Promise<UserView> {
  const [row] = await db.select().from(resources).where(and(eq(resources.id, id), ...mine(partnerId)));
  if (!row) throw notFound('User');
  return viewUser(row);
}

export async function listUsers(
  db: Db,
  partnerId: string,
  q: { connection_id?: string; source_id?: string; cursor?: string; size: number },
): Promise<Page<UserView>> {
  const where = mine(partnerId);
  if (q.connection_id) where.push(eq(resources.connectionId, q.connection_id));
  if (q.source_id) where.push(eq(resources.sourceId, q.source_id));
  return keysetPage(
    {
      createdAt: resources.createdAt,
      id: resources.id,
      run: (w, orderBy, limit) =>
        db.select({ row: resources, cursor_t: cursorText(resources.createdAt), id: resources.id }).from(resources).where(w).orderBy(...orderBy).limit(limit),
    },
    and(...where),
    q.cursor,
    q.size,
    (r) => viewUser(r.row),
  );
}

/**
 * The user after an update: the stored attributes with the changes on top. The contract says some
 * things twice (status and is_active; hos_tracking_mode and the two top-level HOS fields); when a
 * partner changes one form, the stored other form follows it instead of contradicting it.
 */
export function mergeUser(current: UserAttributes | undefined, changes: UserAttributes): UserAttributes {
  const merged: UserAttributes = { ...(current ?? {}), ...changes };
  if ('status' in changes && !('is_active' in changes) && merged.is_active !== undefined) {
    merged.is_active = changes.status == null ? null : changes.status === 'ACTIVE';
  }
  if ('is_active' in changes && !('status' in changes) && merged.status !== undefined) {
    merged.status = changes.is_active == null ? null : changes.is_active ? 'ACTIVE' : 'INACTIVE';
  }
  const topLevelChanged = 'hos_compliance_type' in changes || 'hos_tracking_method' in changes;
  if (topLevelChanged && !('hos_tracking_mode' in changes) && merged.hos_tracking_mode) {
    merged.hos_tracking_mode = { hos_compliance_type: merged.hos_compliance_type, hos_tracking_method: merged.hos_tracking_method };
  }
  if (changes.hos_tracking_mode && !topLevelChanged) {
    if ('hos_compliance_type' in changes.hos_tracking_mode) merged.hos_compliance_type = changes.hos_tracking_mode.hos_compliance_type;
    if ('hos_tracking_method' in changes.hos_tracking_mode) merged.hos_tracking_method = changes.hos_tracking_mode.hos_tracking_method;
  }
  return merged;
}
