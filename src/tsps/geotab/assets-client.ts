// The MyGeotab entity calls the vehicle and trailer adapters share, over sessions (./session.ts): Add an
// entity, Get entities by a search, and update one the only way Geotab has — Get it, apply the changed
// members, Set the whole entity back (two calls, two rate-limit slots: Get:<type> then Set:<type>).
import type { Attempt } from '../kit/types.ts';
import type { TspTarget } from '../kit/types.ts';
import { geotabCall } from './session.ts';
import type { Budget } from './session.ts';

export type GeotabEntity = Record<string, unknown>;

/** Add: Geotab answers the new entity's id; an answer without one is not trusted as success. */
export async function addEntity(target: TspTarget, typeName: string, entity: GeotabEntity, budget: Budget): Promise<Attempt> {
  const { attempt, result } = await geotabCall(target, 'Add', { typeName, entity }, budget);
  if (!attempt.ok) return attempt;
  if (typeof result !== 'string' || result === '') {
    return { ...attempt, ok: false, errorType: 'unknown', errorDetails: `Geotab Add ${typeName} answered without an id` };
  }
  // Geotab answers only the id: its record is the entity sent, with that id.
  return { ...attempt, sourceId: result, sourceData: { ...entity, id: result } };
}

/** Get with a search; a failed call comes back as its Attempt only. */
export async function getEntities(
  target: TspTarget,
  typeName: string,
  search: GeotabEntity,
  budget: Budget,
): Promise<{ attempt: Attempt; entities?: GeotabEntity[] }> {
  const { attempt, result } = await geotabCall(target, 'Get', { typeName, search }, budget);
  if (!attempt.ok) return { attempt };
  if (!Array.isArray(result)) {
    return { attempt: { ...attempt, ok: false, errorType: 'unknown', errorDetails: `Geotab Get ${typeName} answered without a list` } };
  }
  return { attempt, entities: result.filter((e): e is GeotabEntity => typeof e === 'object' && e !== null) };
}

/** Geotab's Set replaces the entity: read it, apply `patch`, write the whole of it back. */
export async function updateEntity(target: TspTarget, typeName: string, id: string, patch: GeotabEntity, budget: Budget): Promise<Attempt> {
  const found = await getEntities(target, typeName, { id }, budget);
  if (!found.entities) return found.attempt;
  const current = found.entities.find((e) => e.id === id);
  if (!current) {
    return { ...found.attempt, ok: false, errorType: 'not_found', errorDetails: `Geotab has no ${typeName} with id ${id}` };
  }
  const entity = { ...current, ...patch, id };
  const { attempt } = await geotabCall(target, 'Set', { typeName, entity }, budget);
  // Set answers nothing: the record is the entity read back with the changes on top, as written.
  return attempt.ok ? { ...attempt, sourceId: id, sourceData: entity } : attempt;
}
