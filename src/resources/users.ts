// The user resource (the seed's Catena "Create User" contract): how an update composes on what was
// last written, and the declaration every layer reads (routes, engine, reads, OpenAPI).
import type { UserAttributes } from '../contract/resources/users.ts';
import { CreateUserBody, UpdateUserBody, UserRecord } from '../contract/resources/users.ts';
import type { ResourceDefinition } from '../engine/resource.ts';

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

export const userResource: ResourceDefinition = {
  name: 'user',
  plural: 'users',
  idParam: 'user_id',
  title: 'User',
  operations: {
    create: {
      body: CreateUserBody,
      operationId: 'create_user',
      summary: 'Create User',
      description: "Creates a user (driver or back-office user) at the connection's TSP, as a resource operation.",
    },
    update: {
      body: UpdateUserBody,
      operationId: 'update_user',
      summary: 'Update User',
      description: 'Updates a user fleetgate created: only the fields sent change.',
    },
  },
  merge: (current, changes) => mergeUser(current as UserAttributes | undefined, changes as UserAttributes),
  view: UserRecord,
  reads: { listOperationId: 'list_users', getOperationId: 'get_user', listSummary: 'List Users', getSummary: 'Get User', idsParam: 'user_ids', isDriverFilter: true },
  orderedWrites: true,
};
