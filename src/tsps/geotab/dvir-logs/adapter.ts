// Geotab DVIR logs: the mapping (mapping.ts) and MyGeotab's `Add DVIRLog`, wired to the resource adapter
// interface. Create only. A create is up to three calls, each its own rate-limit slot:
//   1. Get Defect (Get:Defect) — the asset's defect list and its Parts (./defect-lists.ts; kept for a while).
//      "DefectList must be provided with DVIRLog" [notes 5.7.2004]; each Catena defect is recorded as its
//      Part's "Other" (./defects.ts).
//   2. Get DVIRLog (Get:DVIRLog) — the asset's previous log. "When creating a new DVIRLog for an existing
//      device, we must first look up its previous DVIRLog. If the previous DVIRLog on this device has not been
//      repaired, we may need to first repair the outstanding defects" and "DVIR can be certified with
//      outstanding defects … new DVIR can be created after the previous log has been certified" [drive]. So a
//      previous log with a defect still NotRepaired that is not certified blocks the new one: fleetgate does
//      not repair or certify another log on the partner's behalf, and fails the write saying which log.
//      DVIRLogSearch.includeBoundaryLogs "include boundary logs outside the from and to dates (for example,
//      the log immediately preceding the from date)" [ff:DVIRLogSearch] finds it in one call.
//   3. Add DVIRLog (Add:DVIRLog).
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../kit/types.ts';
import { addEntity, getEntities } from '../assets-client.ts';
import type { GeotabEntity } from '../assets-client.ts';
import { Budget } from '../session.ts';
import { GEOTAB_OUTSTANDING_REPAIR_STATUS, WRITE_CLASSES } from '../writes-native.ts';
import { chooseList, defectListsFor, forgetDefectLists, partFor } from './defect-lists.ts';
import type { Asset } from './defect-lists.ts';
import { GEOTAB_DVIR_FIELD_SUPPORT, mapDvirLogToGeotab } from './mapping.ts';
import type { DvirBody } from './mapping.ts';

const assetOf = (entity: Record<string, unknown>): Asset =>
  entity.device ? { kind: 'device', id: (entity.device as { id: string }).id } : { kind: 'trailer', id: (entity.trailer as { id: string }).id };

const assetSearch = (asset: Asset) => (asset.kind === 'device' ? { deviceSearch: { id: asset.id } } : { trailerSearch: { id: asset.id } });

const refused = (attempt: Attempt | undefined, details: string, budget: Budget): Attempt => ({
  ok: false,
  statusCode: attempt?.statusCode ?? null,
  headers: attempt?.headers ?? {},
  errorType: 'validation',
  errorDetails: details,
  durationMs: budget.elapsedMs(),
});

const outstanding = (log: GeotabEntity): number =>
  (Array.isArray(log.dvirDefects) ? (log.dvirDefects as GeotabEntity[]) : []).filter(
    (d) => (d.repairStatus ?? GEOTAB_OUTSTANDING_REPAIR_STATUS) === GEOTAB_OUTSTANDING_REPAIR_STATUS,
  ).length;

const certified = (log: GeotabEntity): boolean => typeof log.certifyDate === 'string' && log.certifyDate !== '';

/** The asset's log immediately before `dateTime`, if it blocks a new one (outstanding defects, not certified). */
async function blockingPreviousLog(target: TspTarget, asset: Asset, dateTime: string, budget: Budget): Promise<{ attempt: Attempt; blocking?: GeotabEntity }> {
  const search = { ...assetSearch(asset), fromDate: dateTime, toDate: dateTime, includeBoundaryLogs: true };
  const { attempt, entities } = await getEntities(target, 'DVIRLog', search, budget);
  if (!entities) return { attempt };
  const at = Date.parse(dateTime);
  const previous = entities
    .filter((l) => Date.parse(String(l.dateTime)) < at)
    .sort((a, b) => Date.parse(String(b.dateTime)) - Date.parse(String(a.dateTime)))[0];
  return { attempt, blocking: previous && outstanding(previous) > 0 && !certified(previous) ? previous : undefined };
}

async function sendDvirLog(target: TspTarget, _write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
  const { entity, defects } = body as DvirBody;
  const asset = assetOf(entity);
  const budget = new Budget(opts);
  const found = await defectListsFor(target, asset, budget);
  if (!found.lists) return found.attempt!;
  const list = chooseList(found.lists, asset);
  if (!list) return refused(found.attempt, `Geotab has no defect list for this ${asset.kind} (${asset.id}): a DVIR log must name one (DVIRLog.defectList)`, budget);
  const partIds: string[] = [];
  const problems: string[] = [];
  for (const defect of defects) {
    const choice = partFor(list, defect);
    if ('problem' in choice) problems.push(choice.problem);
    else if (!partIds.includes(choice.part.id)) partIds.push(choice.part.id);
  }
  if (problems.length > 0) return refused(found.attempt, `Geotab cannot record these defects: ${problems.join('; ')}`, budget);
  const previous = await blockingPreviousLog(target, asset, entity.dateTime as string, budget);
  if (!previous.blocking && !previous.attempt.ok) return previous.attempt;
  if (previous.blocking) {
    const log = previous.blocking;
    return refused(
      previous.attempt,
      `Geotab creates a new DVIR log for this ${asset.kind} only once its previous log is certified: log ${String(log.id)} of ${String(log.dateTime)} has ${outstanding(log)} defect(s) not repaired and is not certified — repair or certify it in MyGeotab, then retry`,
      budget,
    );
  }
  const added = await addEntity(target, 'DVIRLog', { ...entity, defectList: { id: list.id }, dvirDefects: partIds.map((id) => ({ defect: { id } })) }, budget);
  if (!added.ok && added.errorType === 'validation') forgetDefectLists(target, asset);
  return added;
}

/**
 * A DVIRLog carries no reference of the client's [ff:DVIRLog]; the log is its asset, its driver and its time
 * (the partner's occurred_at, the same on every attempt). A log with all three is this inspection:
 * Get DVIRLog {deviceSearch|trailerSearch, userSearch, fromDate = toDate = dateTime} [ff:DVIRLogSearch].
 */
async function findExistingDvirLog(target: TspTarget, _write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt & { found: boolean }> {
  const { entity } = body as DvirBody;
  const asset = assetOf(entity);
  const dateTime = entity.dateTime as string;
  const driver = (entity.driver as { id: string }).id;
  const search = { ...assetSearch(asset), userSearch: { id: driver }, fromDate: dateTime, toDate: dateTime };
  const { attempt, entities } = await getEntities(target, 'DVIRLog', search, new Budget(opts));
  if (!entities) return { ...attempt, found: false };
  const at = Date.parse(dateTime);
  const ours = entities.find(
    (l) => typeof l.id === 'string' && Date.parse(String(l.dateTime)) === at && (l.driver as { id?: string } | undefined)?.id === driver && l.logType === entity.logType,
  );
  return ours ? { ...attempt, found: true, sourceId: ours.id as string } : { ...attempt, found: false };
}

export const geotabDvirLogs: ResourceAdapter = {
  operations: { create: 'implemented' },
  // The first call: the defect list (kept lists skip it; the class is still the right one to wait for).
  rateClass: () => WRITE_CLASSES.getDefect,
  fields: GEOTAB_DVIR_FIELD_SUPPORT,
  map: mapDvirLogToGeotab,
  send: sendDvirLog,
  findExisting: findExistingDvirLog,
};
