// The Geotab DVIRLog entity as the sandbox validates, stores, renders and searches it (sources in
// ./writes-vendor.ts). Rules, each Geotab's:
// - "Either a Device or a Trailer is defined for a log, not both" [dev:DVIRLog].
// - "`DefectList` must be provided with `DVIRLog`" [notes 5.7.2004]; a DVIRDefect names a Defect of that list,
//   or a Part of it for "Other" [drive].
// - "Providing `RepairUser` and `RepairDateTime` are no longer supported for unrepaired `DVIRDefect`"
//   [notes 5.7.2004]; "A repair cannot be completed without the `RepairUser`, `RepairDate`, and
//   `RepairStatus`" and "`RepairStatus` / `RepairUser` / `RepairDate` cannot be changed once set" [notes 8.0].
// - The previous log: "DVIR can be certified with outstanding defects … new DVIR can be created after the
//   previous log has been certified" [drive]. An Add whose asset's previous log (by dateTime) has a defect not
//   repaired and no certifyDate is refused.
// DISAGREES WITH VENDOR: Geotab does not document the error of the previous-log rule; the sandbox answers an
// ArgumentException naming the log. Set implements certifying and repairing (certifiedBy, certifyDate,
// certifyRemark, repairedBy, repairDate, repairRemark, driverRemark, isSafeToOperate, and a DVIRDefect's repair
// by its id); a Set that changes any other member is refused. DefectRemarks are not implemented.
import { argumentError } from './errors.ts';
import { serializerError } from './asset-fields.ts';
import { criteria } from './asset-search.ts';
import { defectIdsOf } from './defect-lists.ts';
import type { StoredDefectList } from './defect-lists.ts';
import type { Lookups } from './writes-lookups.ts';
import { given, idOnlySearch, isObject, readBool, readDate, readEnum, readNumber, readRef, readText, ref, refuseMembers } from './writes-fields.ts';
import { DVIR_LOG_TYPES, DVIR_SEARCH_IMPLEMENTED, DVIR_SEARCH_NOT_IMPLEMENTED, REPAIR_STATUSES, UNMODELLED_DVIR_MEMBERS } from './writes-vendor.ts';

type Json = Record<string, unknown>;
type RepairStatus = (typeof REPAIR_STATUSES)[number];

export interface StoredDvirDefect {
  id: string;
  defect: string;
  repairStatus: RepairStatus;
  repairDateTime: string | null;
  repairUser: string | null;
}

export interface DvirFields {
  dateTime: string;
  device: string | null;
  trailer: string | null;
  driver: string;
  logType: (typeof DVIR_LOG_TYPES)[number];
  defectList: string;
  dvirDefects: StoredDvirDefect[];
  driverRemark: string;
  certifiedBy: string | null;
  certifyDate: string | null;
  certifyRemark: string;
  repairedBy: string | null;
  repairDate: string | null;
  repairRemark: string;
  isSafeToOperate: boolean | null;
  isInspectedByDriver: boolean;
  odometer: number | null;
}

export interface StoredDvirLog {
  id: string;
  version: number;
  fields: DvirFields;
}

export interface DvirContext {
  lookups: Lookups;
  lists: readonly StoredDefectList[];
  newId: () => string;
  now: number;
}

// What Get renders for the members the sandbox does not store (./writes-vendor.ts): sending that value back
// (a Get-then-Set client does) is no change; any other value is refused.
const RENDERED_UNMODELLED: Readonly<Record<string, unknown>> = { authorityName: '', authorityAddress: '', isRejected: false };

function refuseUnmodelled(entity: Json): void {
  const changed = Object.fromEntries(Object.entries(entity).filter(([k, v]) => !(k in RENDERED_UNMODELLED && v === RENDERED_UNMODELLED[k])));
  refuseMembers('DVIRLog', changed, UNMODELLED_DVIR_MEMBERS);
}

function user(member: string, value: unknown, lookups: Lookups): string {
  const id = readRef(value);
  if (!lookups.user(id)) throw argumentError(`DVIRLog.${member}: no User with id '${id}'`);
  return id;
}

const optionalUser = (member: string, value: unknown, lookups: Lookups): string | null => (given(value) ? user(member, value, lookups) : null);
const optionalDate = (value: unknown): string | null => (given(value) ? readDate(value) : null);
const optionalText = (name: string, value: unknown): string => (given(value) ? readText(name, value) : '');

function readRepair(raw: Json, lookups: Lookups): Pick<StoredDvirDefect, 'repairStatus' | 'repairDateTime' | 'repairUser'> {
  const repairStatus = given(raw.repairStatus) ? readEnum(raw.repairStatus, REPAIR_STATUSES) : 'NotRepaired';
  const repairDateTime = optionalDate(raw.repairDateTime);
  const repairUser = optionalUser('dvirDefects.repairUser', raw.repairUser, lookups);
  if (repairStatus === 'NotRepaired' && (repairDateTime !== null || repairUser !== null)) {
    throw argumentError('Providing RepairUser and RepairDateTime is not supported for an unrepaired DVIRDefect');
  }
  if (repairStatus !== 'NotRepaired' && (repairDateTime === null || repairUser === null)) {
    throw argumentError('A repair cannot be completed without the RepairUser, RepairDateTime and RepairStatus');
  }
  return { repairStatus, repairDateTime, repairUser };
}

function readDefects(value: unknown, list: StoredDefectList, ctx: DvirContext): StoredDvirDefect[] {
  if (!given(value)) return [];
  if (!Array.isArray(value)) throw serializerError();
  const allowed = defectIdsOf(list);
  return value.map((raw: unknown) => {
    if (!isObject(raw)) throw serializerError();
    if (Array.isArray(raw.defectRemarks) && raw.defectRemarks.length > 0) throw argumentError('DVIRDefect.defectRemarks is not supported by the fleetgate sandbox');
    const defect = readRef(raw.defect);
    if (!allowed.has(defect)) throw argumentError(`DVIRDefect.defect '${defect}' is not a defect or part of the log's defect list '${list.id}'`);
    return { id: ctx.newId(), defect, ...readRepair(raw, ctx.lookups) };
  });
}

export function parseDvirAdd(entity: Json, ctx: DvirContext): DvirFields {
  const { lookups } = ctx;
  refuseUnmodelled(entity);
  const device = given(entity.device) ? readRef(entity.device) : null;
  const trailer = given(entity.trailer) ? readRef(entity.trailer) : null;
  if ((device === null) === (trailer === null)) throw argumentError('Either a Device or a Trailer is defined for a log, not both');
  if (device !== null && !lookups.device(device)) throw argumentError(`DVIRLog.device: no Device with id '${device}'`);
  if (trailer !== null && !lookups.trailer(trailer)) throw argumentError(`DVIRLog.trailer: no Trailer with id '${trailer}'`);
  if (!given(entity.driver)) throw argumentError("'driver' is required");
  if (!given(entity.defectList)) throw argumentError('DefectList must be provided with DVIRLog');
  const listId = readRef(entity.defectList);
  const list = ctx.lists.find((l) => l.id === listId);
  if (!list) throw argumentError(`DVIRLog.defectList: no defect list with id '${listId}'`);
  const own = device !== null ? 'Device' : 'Trailer';
  if (list.assetType !== own && list.assetType !== 'All') throw argumentError(`Defect list '${listId}' is for ${list.assetType} assets, not a ${own}`);
  return {
    dateTime: given(entity.dateTime) ? readDate(entity.dateTime) : new Date(ctx.now).toISOString(),
    device,
    trailer,
    driver: user('driver', entity.driver, lookups),
    logType: given(entity.logType) ? readEnum(entity.logType, DVIR_LOG_TYPES) : 'Unknown',
    defectList: listId,
    dvirDefects: readDefects(entity.dvirDefects, list, ctx),
    driverRemark: optionalText('driverRemark', entity.driverRemark),
    certifiedBy: optionalUser('certifiedBy', entity.certifiedBy, lookups),
    certifyDate: optionalDate(entity.certifyDate),
    certifyRemark: optionalText('certifyRemark', entity.certifyRemark),
    repairedBy: optionalUser('repairedBy', entity.repairedBy, lookups),
    repairDate: optionalDate(entity.repairDate),
    repairRemark: optionalText('repairRemark', entity.repairRemark),
    isSafeToOperate: given(entity.isSafeToOperate) ? readBool(entity.isSafeToOperate) : null,
    isInspectedByDriver: given(entity.isInspectedByDriver) ? readBool(entity.isInspectedByDriver) : true,
    odometer: given(entity.odometer) ? readNumber(entity.odometer) : null,
  };
}

const outstanding = (f: DvirFields): number => f.dvirDefects.filter((d) => d.repairStatus === 'NotRepaired').length;

/** The previous-log rule: refused when the asset's latest earlier log has outstanding defects and no certifyDate. */
export function assertPreviousCertified(fields: DvirFields, logs: readonly StoredDvirLog[]): void {
  const at = Date.parse(fields.dateTime);
  const previous = logs
    .filter((l) => l.fields.device === fields.device && l.fields.trailer === fields.trailer && Date.parse(l.fields.dateTime) < at)
    .sort((a, b) => Date.parse(b.fields.dateTime) - Date.parse(a.fields.dateTime))[0];
  if (previous && outstanding(previous.fields) > 0 && previous.fields.certifyDate === null) {
    throw argumentError(
      `The previous DVIRLog '${previous.id}' of this asset has ${outstanding(previous.fields)} unrepaired defect(s) and is not certified: certify it before adding a new log`,
    );
  }
}

const SETTABLE = ['certifiedBy', 'certifyDate', 'certifyRemark', 'repairedBy', 'repairDate', 'repairRemark', 'driverRemark', 'isSafeToOperate'] as const;

/** Set: certify and repair (the stored log with what was sent); any other change is refused. */
export function parseDvirSet(entity: Json, stored: StoredDvirLog, ctx: DvirContext): DvirFields {
  const { lookups } = ctx;
  refuseUnmodelled(entity);
  const fields: DvirFields = structuredClone(stored.fields);
  const readers: Record<(typeof SETTABLE)[number], (v: unknown) => unknown> = {
    certifiedBy: (v) => user('certifiedBy', v, lookups),
    certifyDate: readDate,
    certifyRemark: (v) => readText('certifyRemark', v),
    repairedBy: (v) => user('repairedBy', v, lookups),
    repairDate: readDate,
    repairRemark: (v) => readText('repairRemark', v),
    driverRemark: (v) => readText('driverRemark', v),
    isSafeToOperate: readBool,
  };
  for (const member of SETTABLE) if (given(entity[member])) (fields as unknown as Json)[member] = readers[member](entity[member]);
  for (const member of ['dateTime', 'logType', 'odometer', 'isInspectedByDriver'] as const) {
    if (given(entity[member]) && JSON.stringify(entity[member]) !== JSON.stringify(stored.fields[member])) {
      const same = member === 'dateTime' && Date.parse(String(entity[member])) === Date.parse(stored.fields.dateTime);
      if (!same) throw argumentError(`Changing DVIRLog.${member} with Set is not supported by the fleetgate sandbox`);
    }
  }
  for (const [member, id] of [['device', stored.fields.device], ['trailer', stored.fields.trailer], ['driver', stored.fields.driver], ['defectList', stored.fields.defectList]] as const) {
    if (given(entity[member]) && readRef(entity[member]) !== id) throw argumentError(`Changing DVIRLog.${member} with Set is not supported by the fleetgate sandbox`);
  }
  if (given(entity.dvirDefects)) {
    if (!Array.isArray(entity.dvirDefects)) throw serializerError();
    for (const raw of entity.dvirDefects as unknown[]) {
      if (!isObject(raw)) throw serializerError();
      const target = fields.dvirDefects.find((d) => d.id === raw.id);
      if (!target) throw argumentError(`DVIRDefect '${String(raw.id)}' is not a defect of DVIRLog '${stored.id}' (adding defects with Set is not supported by the fleetgate sandbox)`);
      const repair = readRepair(raw, lookups);
      if (target.repairStatus !== 'NotRepaired' && JSON.stringify(repair) !== JSON.stringify({ repairStatus: target.repairStatus, repairDateTime: target.repairDateTime, repairUser: target.repairUser })) {
        throw argumentError('RepairStatus / RepairUser / RepairDate cannot be changed once set');
      }
      Object.assign(target, repair);
    }
  }
  return fields;
}

export const renderDvirLog = (l: StoredDvirLog): Json => {
  const f = l.fields;
  return {
    id: l.id,
    version: l.version,
    dateTime: f.dateTime,
    device: ref(f.device),
    trailer: ref(f.trailer),
    driver: ref(f.driver),
    logType: f.logType,
    defectList: ref(f.defectList),
    dvirDefects: f.dvirDefects.map((d) => ({
      id: d.id,
      defect: { id: d.defect },
      repairStatus: d.repairStatus,
      repairDateTime: d.repairDateTime,
      repairUser: ref(d.repairUser),
      defectRemarks: [],
    })),
    driverRemark: f.driverRemark,
    certifiedBy: ref(f.certifiedBy),
    certifyDate: f.certifyDate,
    certifyRemark: f.certifyRemark,
    repairedBy: ref(f.repairedBy),
    repairDate: f.repairDate,
    repairRemark: f.repairRemark,
    isSafeToOperate: f.isSafeToOperate,
    isInspectedByDriver: f.isInspectedByDriver,
    isRejected: false,
    odometer: f.odometer,
    authorityName: '',
    authorityAddress: '',
  };
};

/**
 * DVIRLogSearch: fromDate / toDate on dateTime ("recorded at this date or after / before", [ff]);
 * includeBoundaryLogs adds "the log immediately preceding the from date" (and the one following the to date)
 * among the logs the other criteria match.
 */
export function searchDvirLogs(logs: readonly StoredDvirLog[], search: unknown): StoredDvirLog[] {
  const c = criteria('DVIRLog', search, DVIR_SEARCH_IMPLEMENTED, DVIR_SEARCH_NOT_IMPLEMENTED);
  if (c.deviceSearch !== undefined && c.trailerSearch !== undefined) {
    throw argumentError('A trailerSearch and deviceSearch cannot be used at the same time');
  }
  const tests: Array<(l: StoredDvirLog) => boolean> = [];
  if (c.id !== undefined) {
    if (typeof c.id !== 'string') throw serializerError();
    const id = c.id;
    tests.push((l) => l.id === id);
  }
  for (const [member, path] of [['deviceSearch', 'device'], ['trailerSearch', 'trailer'], ['userSearch', 'driver']] as const) {
    if (c[member] === undefined) continue;
    const id = idOnlySearch(`DVIRLogSearch.${member}`, c[member]);
    tests.push((l) => l.fields[path] === id);
  }
  if (c.logTypes !== undefined) {
    if (!Array.isArray(c.logTypes)) throw serializerError();
    const types = c.logTypes.map((t) => readEnum(t, DVIR_LOG_TYPES));
    tests.push((l) => types.includes(l.fields.logType));
  }
  const flags: Array<[string, (l: StoredDvirLog) => boolean]> = [
    ['isCertified', (l) => l.fields.certifyDate !== null],
    ['isRepaired', (l) => l.fields.repairDate !== null],
    ['isDefective', (l) => l.fields.dvirDefects.length > 0],
    ['isSafeToOperate', (l) => l.fields.isSafeToOperate === true],
  ];
  for (const [member, holds] of flags) {
    if (c[member] === undefined) continue;
    const wanted = readBool(c[member]);
    tests.push((l) => holds(l) === wanted);
  }
  const candidates = logs.filter((l) => tests.every((t) => t(l)));
  const from = c.fromDate === undefined ? undefined : Date.parse(readDate(c.fromDate));
  const to = c.toDate === undefined ? undefined : Date.parse(readDate(c.toDate));
  const at = (l: StoredDvirLog) => Date.parse(l.fields.dateTime);
  const inRange = candidates.filter((l) => (from === undefined || at(l) >= from) && (to === undefined || at(l) <= to));
  if (c.includeBoundaryLogs === undefined || !readBool(c.includeBoundaryLogs)) return inRange;
  const before = from === undefined ? undefined : candidates.filter((l) => at(l) < from).sort((a, b) => at(b) - at(a))[0];
  const after = to === undefined ? undefined : candidates.filter((l) => at(l) > to).sort((a, b) => at(a) - at(b))[0];
  return [...(before ? [before] : []), ...inRange, ...(after ? [after] : [])];
}
