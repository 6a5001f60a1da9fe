// Normalized DVIR log (Catena's DvirLogCreate) → the MyGeotab `DVIRLog` entity for Add, and the Catena defects
// to record on it. One row per normalized field (FIELD_RULES), each with its source; the capability matrix,
// the submit-time refusals and the mapper read the table. Source keys as in ../writes-native.ts.
// What needs Geotab itself waits for send (adapter.ts): the asset's defect list and the Part ids of the
// defects (./defect-lists.ts), and the previous log's rule.
// A log names a device or a trailer: "Either a Device or a Trailer is defined for a log, not both"
// [dev:DVIRLog]. Catena allows both in one log but does not say which asset each defect is on, so a log
// naming both cannot be split faithfully: it is refused at submit (send the vehicle's and the trailer's
// inspections as two logs).
import type { DVIR_LOG_ATTRIBUTE_NAMES } from '../../../contract/resources/dvir-logs.ts';
import type { DistanceUnit, DvirDefect, DvirLogType } from '../../../contract/enums.ts';
import { fieldSupport, refusalCollector, sent, writtenChanges } from '../../kit/mapping-kit.ts';
import type { Attrs, FieldSupport, MappingResult } from '../../kit/mapping-kit.ts';
import type { Refusal, Write } from '../../kit/types.ts';
import { METRES_PER, times } from '../units.ts';
import type { GeotabDvirLogType } from '../writes-native.ts';

type DvirField = (typeof DVIR_LOG_ATTRIBUTE_NAMES)[number];

type FieldRule =
  | { kind: 'ref'; native: 'driver' | 'device' | 'trailer' }
  | { kind: 'direct'; native: 'dateTime' | 'driverRemark' | 'certifyRemark' }
  | { kind: 'derived'; group: 'logType' | 'defects' | 'safety' | 'odometer' }
  | { kind: 'not_stored'; why: string };

const FIELD_RULES: Readonly<Record<DvirField, FieldRule>> = {
  // driver: "The User who created the log" [dev:DVIRLog].
  driver_id: { kind: 'ref', native: 'driver' },
  // device / trailer: "Either a Device or a Trailer is defined for a log, not both" [dev:DVIRLog].
  vehicle_id: { kind: 'ref', native: 'device' },
  trailer_id: { kind: 'ref', native: 'trailer' },
  // dateTime: "The date and time the log was created" [dev:DVIRLog].
  occurred_at: { kind: 'direct', native: 'dateTime' },
  // logType: DVIRLogType [ff:DVIRLogType]; a mechanic's log is isInspectedByDriver false (LOG_TYPE).
  log_type: { kind: 'derived', group: 'logType' },
  inspected_by: { kind: 'not_stored', why: "a Geotab DVIRLog names its people as Users (driver, certifiedBy, repairedBy), not by a free-text name [dev:DVIRLog]" },
  // The number of dvirDefects Geotab records; checked against defects (deriveDefects).
  defect_count: { kind: 'derived', group: 'defects' },
  // dvirDefects [{defect: {id}}] with the asset's defectList: the Part of each defect (./defects.ts).
  defects: { kind: 'derived', group: 'defects' },
  // isSafeToOperate: "whether or not the Device or Trailer was certified as safe to operate" [dev:DVIRLog]:
  // a safety-critical log is not safe to operate.
  is_safety_critical: { kind: 'derived', group: 'safety' },
  // driverRemark: "The remark recorded by the driver for this log" [dev:DVIRLog].
  driver_comment: { kind: 'direct', native: 'driverRemark' },
  // certifyRemark: "The remark recorded by the User who certified the repairs (or no repairs made)"
  // [dev:DVIRLog]. fleetgate does not certify the log (certifyDate, certifiedBy stay unset).
  certify_comment: { kind: 'direct', native: 'certifyRemark' },
  // odometer: "The odometer or hubometer of the vehicle or trailer. The unit is in meters (m)" [dev:DVIRLog].
  odometer: { kind: 'derived', group: 'odometer' },
  odometer_unit: { kind: 'derived', group: 'odometer' },
};

export const GEOTAB_DVIR_FIELD_SUPPORT: Readonly<Record<DvirField, FieldSupport>> = fieldSupport(FIELD_RULES);

/**
 * Catena's DvirLogTypeEnum → DVIRLogType. Geotab has no mechanic's log type; a mechanic's inspection is a
 * log "inspected by an inspector" — isInspectedByDriver "If false, the log was inspected by an inspector.
 * Default [true]" [ff:DVIRLog] — of type Unknown.
 */
const LOG_TYPE: Readonly<Record<DvirLogType, { logType: GeotabDvirLogType; isInspectedByDriver?: false }>> = {
  pre_trip: { logType: 'PreTrip' },
  post_trip: { logType: 'PostTrip' },
  unknown: { logType: 'Unknown' },
  mechanic: { logType: 'Unknown', isInspectedByDriver: false },
};

/** The native body: the DVIRLog members known at submit, and the Catena defects to resolve at send. */
export interface DvirBody extends Record<string, unknown> {
  entity: Record<string, unknown>;
  defects: Array<Exclude<DvirDefect, 'unset'>>;
}

function deriveDefects(changes: Attrs, refuse: (r: Refusal) => void): DvirBody['defects'] {
  const defects = (sent(changes, 'defects') ? (changes.defects as DvirDefect[]) : []);
  if (defects.includes('unset')) {
    refuse({ field: 'defects', input: changes.defects, message: 'Geotab records a defect as a part of the database\'s defect list; "unset" names no part' });
  }
  if (sent(changes, 'defect_count') && changes.defect_count !== defects.length) {
    refuse({
      field: 'defect_count',
      input: changes.defect_count,
      message: `Geotab counts the defects it is sent (dvirDefects): defect_count ${String(changes.defect_count)} does not match the ${defects.length} defects listed`,
    });
  }
  return [...new Set(defects.filter((d): d is Exclude<DvirDefect, 'unset'> => d !== 'unset'))];
}

function deriveOdometer(changes: Attrs, refuse: (r: Refusal) => void): Record<string, unknown> {
  if (!sent(changes, 'odometer')) return {};
  if (!sent(changes, 'odometer_unit')) {
    refuse({ field: 'odometer_unit', input: null, message: 'Geotab records the odometer in metres (DVIRLog.odometer): send odometer_unit with odometer' });
    return {};
  }
  const odometer = times(changes.odometer as number, METRES_PER[changes.odometer_unit as DistanceUnit]);
  if (!Number.isFinite(odometer)) {
    // Past a double's range it would reach Geotab as null: refused instead.
    refuse({ field: 'odometer', input: changes.odometer, message: `Geotab cannot be sent odometer ${String(changes.odometer)} (beyond range in metres)` });
    return {};
  }
  return { odometer };
}

function assetRefusal(changes: Attrs): Refusal | undefined {
  const vehicle = sent(changes, 'vehicle_id');
  const trailer = sent(changes, 'trailer_id');
  if (vehicle && trailer) {
    return {
      field: 'trailer_id',
      input: changes.trailer_id,
      message: 'Geotab\'s DVIRLog names a device or a trailer, not both: send the vehicle\'s and the trailer\'s inspections as two DVIR logs',
    };
  }
  if (!vehicle && !trailer) {
    return { field: 'vehicle_id', input: null, message: 'Geotab\'s DVIRLog is the inspection of a device or a trailer: send vehicle_id or trailer_id' };
  }
  return undefined;
}

export function mapDvirLogToGeotab(write: Write): MappingResult {
  const changes = writtenChanges('create', write.changes);
  const { refusals, refuse } = refusalCollector();
  const entity: Record<string, unknown> = {};
  const dropped: DvirField[] = [];
  const asset = assetRefusal(changes);
  if (asset) refuse(asset);
  if (!sent(changes, 'occurred_at')) {
    // The log's time is what a retried create finds it by, and what orders it after the asset's previous log.
    refuse({ field: 'occurred_at', input: null, message: 'Geotab records when the inspection happened (DVIRLog.dateTime): send occurred_at' });
  }
  for (const [field, rule] of Object.entries(FIELD_RULES) as Array<[DvirField, FieldRule]>) {
    if (!sent(changes, field)) continue;
    if (rule.kind === 'not_stored') dropped.push(field);
    else if (rule.kind === 'ref') {
      const id = write.refs?.[field];
      if (typeof id !== 'string') throw new Error(`Geotab DVIR log: ${field} was not resolved to a Geotab id`);
      entity[rule.native] = { id };
    } else if (rule.kind === 'direct') {
      entity[rule.native] = field === 'occurred_at' ? new Date(changes.occurred_at as string).toISOString() : changes[field];
    }
  }
  Object.assign(entity, LOG_TYPE[(changes.log_type as DvirLogType | undefined) ?? 'unknown']);
  if (sent(changes, 'is_safety_critical')) entity.isSafeToOperate = changes.is_safety_critical !== true;
  Object.assign(entity, deriveOdometer(changes, refuse));
  const defects = deriveDefects(changes, refuse);
  if (refusals.length > 0) return { ok: false, refusals };
  const body: DvirBody = { entity, defects };
  return { ok: true, body, dropped };
}
