// Fields of a write that name other records by fleetgate id (Catena: "all IDs in your request payload
// should be Catena IDs"): a message's sender and recipients, a fuel transaction's driver and vehicle, a
// DVIR's driver, vehicle and trailer. Each is resolved to the TSP's own id of that record on the same
// connection, at submit (where a bad one is refused, naming the field) and again for every attempt.
//
// The rule for a referenced record whose own create has not succeeded yet: refused at submit (422
// reference_pending, naming the field and the pending operation). The partner sends the write once the
// record exists; nothing waits on another operation's outcome, so no write can be left blocked by a
// create that later fails or is cancelled.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { resourceOperations, resources } from '../db/schema.ts';
import type { ValidationProblem } from '../platform/errors.ts';
import type { Attributes } from '../tsps/kit/types.ts';
import type { ResourceDefinition } from './resource.ts';

/** The TSP's ids of the referenced records, by field (a list for a many-valued field). */
export type ResolvedReferences = Readonly<Record<string, string | readonly string[]>>;

export type ReferenceResolution = { ok: true; refs: ResolvedReferences } | { ok: false; problems: ValidationProblem[] };

const idsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

/**
 * Resolves every reference field the definition declares and the write carries. Unknown ids, ids of
 * another partner (not told apart: existence is not leaked), records of another resource, of another
 * connection, or not yet created at the TSP are problems at the field's path.
 */
export async function resolveReferences(
  db: Db,
  def: ResourceDefinition,
  partnerId: string,
  connectionId: string,
  changes: Attributes,
  /** Fields the TSP's adapter keeps nowhere (a reply-to link Samsara has no field for): their record need not have a TSP id. */
  unused: (field: string) => boolean = () => false,
): Promise<ReferenceResolution> {
  const fields = Object.entries(def.references ?? {}).filter(([field]) => changes[field] !== undefined && changes[field] !== null);
  if (fields.length === 0) return { ok: true, refs: {} };
  const wanted = [...new Set(fields.flatMap(([field]) => idsOf(changes[field])))];
  const rows = wanted.length
    ? await db
        .select({ id: resources.id, resource: resources.resource, connectionId: resources.connectionId, sourceId: resources.sourceId })
        .from(resources)
        .where(and(eq(resources.partnerId, partnerId), inArray(resources.id, wanted), isNull(resources.deletedAt)))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  // Ids with no record may be records whose create is still pending (a record is kept once it succeeds).
  const missing = wanted.filter((id) => !byId.has(id));
  const pending = missing.length
    ? await db
        .select({ resourceId: resourceOperations.resourceId, id: resourceOperations.id, resource: resourceOperations.resource })
        .from(resourceOperations)
        .where(
          and(
            eq(resourceOperations.partnerId, partnerId),
            inArray(resourceOperations.resourceId, missing),
            eq(resourceOperations.operationType, 'create'),
            eq(resourceOperations.status, 'pending'),
          ),
        )
    : [];
  const pendingById = new Map(pending.map((p) => [p.resourceId!, p]));

  const problems: ValidationProblem[] = [];
  const refs: Record<string, string | readonly string[]> = {};
  for (const [field, ref] of fields) {
    const value = changes[field];
    const resolved: string[] = [];
    idsOf(value).forEach((id, index) => {
      const path = Array.isArray(value) ? ['body', field, index] : ['body', field];
      const problem = (message: string, error_type: string) => problems.push({ path, input: id, message, error_type });
      const row = byId.get(id);
      const waiting = pendingById.get(id);
      if (!row) {
        if (waiting && waiting.resource === ref.resource) {
          return problem(`the ${ref.resource} ${id} is not created at the TSP yet (operation ${waiting.id} is pending); send this once it has succeeded`, 'reference_pending');
        }
        return problem(`no ${ref.resource} with this id was written through fleetgate (a fleetgate id of a ${ref.resource} is expected)`, 'not_found');
      }
      if (row.resource !== ref.resource) return problem(`${id} is a ${row.resource}, not a ${ref.resource}`, 'not_found');
      if (row.connectionId !== connectionId) return problem(`the ${ref.resource} belongs to another connection`, 'connection_mismatch');
      // A record written without a TSP id (a TSP that answers a message with no id): nothing to refer to,
      // unless the TSP does not use the reference anyway.
      if (row.sourceId === null) {
        if (unused(field)) return;
        return problem(`the ${ref.resource} was written, but its TSP gave it no id to refer to`, 'unsupported_by_tsp');
      }
      resolved.push(row.sourceId);
    });
    refs[field] = Array.isArray(value) ? resolved : resolved[0]!;
  }
  return problems.length ? { ok: false, problems } : { ok: true, refs };
}
