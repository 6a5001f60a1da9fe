// Geotab fuel transactions: the mapping (mapping.ts) and MyGeotab's `Add FuelTransaction`
// (../assets-client.ts), wired to the resource adapter interface. Create only.
// Duplicate-safe: the create writes fleetgate's record id as `externalReference`, and a create whose answer
// was lost is found again by it — FuelTransactionSearch.externalReference [ff:Fuel/FuelTransactionSearch]. A
// second Add of the same transaction is refused anyway: "Fuel transactions must be unique when comparing all
// fields (excluding sourceData)" [notes 5.7.2103] — a DuplicateException, which the engine reads as a
// conflict and resolves by this lookup.
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../kit/types.ts';
import { addEntity, getEntities } from '../assets-client.ts';
import { Budget } from '../session.ts';
import { WRITE_CLASSES } from '../writes-native.ts';
import { GEOTAB_FUEL_FIELD_SUPPORT, mapFuelTransactionToGeotab } from './mapping.ts';

async function sendFuelTransaction(target: TspTarget, _write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
  return addEntity(target, 'FuelTransaction', body, new Budget(opts));
}

/**
 * The transaction whose externalReference is fleetgate's record id. The search is exact: a fleetgate id
 * (a UUID) holds no '%', the only wildcard FuelTransactionSearch.externalReference knows [ff].
 */
async function findExistingFuelTransaction(target: TspTarget, write: Write, _body: Record<string, unknown>, opts: CallOptions): Promise<Attempt & { found: boolean }> {
  const { attempt, entities } = await getEntities(target, 'FuelTransaction', { externalReference: write.externalId }, new Budget(opts));
  if (!entities) return { ...attempt, found: false };
  const ours = entities.find((e) => e.externalReference === write.externalId && typeof e.id === 'string');
  return ours ? { ...attempt, found: true, sourceId: ours.id as string } : { ...attempt, found: false };
}

export const geotabFuelTransactions: ResourceAdapter = {
  operations: { create: 'implemented' },
  rateClass: () => WRITE_CLASSES.addFuel,
  fields: GEOTAB_FUEL_FIELD_SUPPORT,
  map: mapFuelTransactionToGeotab,
  send: sendFuelTransaction,
  findExisting: findExistingFuelTransaction,
};
