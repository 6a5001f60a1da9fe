// Fleets: a partner's customers, the owners of connections (Catena's reads name them by fleet_id). A fleet
// is created explicitly, or found-or-created from a connection's fleet_ref; a fleet outlives its connections.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { FleetRead } from '../contract/fleets.ts';
import type { Db } from '../db/client.ts';
import { countOf, cursorText, keysetPage } from '../db/pagination.ts';
import type { Page } from '../db/pagination.ts';
import { fleets } from '../db/schema.ts';
import { conflict, notFound, validationFailed } from '../platform/errors.ts';

export type FleetRow = typeof fleets.$inferSelect;
export type FleetView = z.infer<typeof FleetRead>;

export const viewFleet = (row: FleetRow): FleetView => ({
  id: row.id,
  fleet_ref: row.fleetRef,
  name: row.name,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

/** ON CONFLICT names the partial unique index by its columns and predicate (fleets_partner_ref_uq). */
const onFleetRef = { target: [fleets.partnerId, fleets.fleetRef], where: sql`fleet_ref IS NOT NULL` };

/**
 * The partner's fleet with this fleet_ref, created when there is none. Safe when several connections with
 * a new fleet_ref are made at once: the unique index decides, the losers of the insert read the winner's
 * row. Under READ COMMITTED a conflicting insert waits for the other transaction, so once it has
 * committed the SELECT (a new snapshot) sees its row; had it rolled back, our insert would have won.
 */
export async function fleetForRef(db: Db, partnerId: string, fleetRef: string): Promise<FleetRow> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [created] = await db.insert(fleets).values({ partnerId, fleetRef }).onConflictDoNothing(onFleetRef).returning();
    if (created) return created;
    const [existing] = await db
      .select()
      .from(fleets)
      .where(and(eq(fleets.partnerId, partnerId), eq(fleets.fleetRef, fleetRef)));
    if (existing) return existing;
  }
  // Fleets are never deleted, so a conflict without a row to read cannot repeat: this is not reached.
  throw new Error(`fleet ${fleetRef} neither inserted nor found`);
}

/** A fleet made explicitly; 409 when the partner has a fleet with this fleet_ref already. */
export async function createFleet(db: Db, partnerId: string, input: { fleet_ref?: string | null; name?: string | null }): Promise<FleetView> {
  const values = { partnerId, fleetRef: input.fleet_ref ?? null, name: input.name ?? null };
  const [row] = values.fleetRef === null
    ? await db.insert(fleets).values(values).returning()
    : await db.insert(fleets).values(values).onConflictDoNothing(onFleetRef).returning();
  if (!row) {
    const [other] = await db
      .select({ id: fleets.id })
      .from(fleets)
      .where(and(eq(fleets.partnerId, partnerId), eq(fleets.fleetRef, values.fleetRef!)));
    throw conflict(`The partner has a fleet with this fleet_ref already: ${other?.id ?? 'another fleet'}`, { fleet_id: other?.id ?? null });
  }
  return viewFleet(row);
}

async function findFleet(db: Db, partnerId: string, id: string): Promise<FleetRow | undefined> {
  const [row] = await db
    .select()
    .from(fleets)
    .where(and(eq(fleets.id, id), eq(fleets.partnerId, partnerId)));
  return row;
}

/** The partner's fleet, or 404 (also for another partner's: existence is not leaked). */
export async function getFleet(db: Db, partnerId: string, id: string): Promise<FleetView> {
  const row = await findFleet(db, partnerId, id);
  if (!row) throw notFound('Fleet');
  return viewFleet(row);
}

/** The partner's fleet named in a body's fleet_id, or 422 at that path. */
export async function fleetForId(db: Db, partnerId: string, id: string): Promise<FleetRow> {
  const row = await findFleet(db, partnerId, id);
  if (!row) throw validationFailed([{ path: ['body', 'fleet_id'], input: id, message: `unknown fleet_id ${id}: no fleet of this partner has it`, error_type: 'unknown_fleet' }]);
  return row;
}

export async function listFleets(
  db: Db,
  partnerId: string,
  query: { cursor?: string; size: number; fleet_ids?: string[]; fleet_refs?: string[] },
): Promise<Page<FleetView>> {
  const filters: SQL[] = [eq(fleets.partnerId, partnerId)];
  if (query.fleet_ids) filters.push(inArray(fleets.id, query.fleet_ids));
  if (query.fleet_refs) filters.push(inArray(fleets.fleetRef, query.fleet_refs));
  return keysetPage(
    {
      createdAt: fleets.createdAt,
      id: fleets.id,
      count: async (where) => (await db.select({ n: countOf() }).from(fleets).where(where))[0]!.n,
      run: (where, orderBy, limit) =>
        db
          .select({ row: fleets, cursor_t: cursorText(fleets.createdAt), id: fleets.id })
          .from(fleets)
          .where(where)
          .orderBy(...orderBy)
          .limit(limit),
    },
    and(...filters),
    query.cursor,
    query.size,
    (r) => viewFleet(r.row),
  );
}
