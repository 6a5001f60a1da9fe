// Add, Set and Get of the TextMessage, FuelTransaction, DVIRLog and Defect entities inside an authenticated
// JSON-RPC call (./rpc.ts authenticates the session first). Each call takes a slot of its own class
// `<method>:<typeName>` before the entity is read: at the limit Geotab documents for it (./writes-vendor.ts),
// or `call_per_minute` for TextMessage, which documents none. A method the sandbox does not implement for
// one of these entities is refused with an ArgumentException naming it.
import type { GeotabDatabase, SandboxSettings } from './database.ts';
import { admit } from './admission.ts';
import { argumentError } from './errors.ts';
import { entityOf, resultsLimit } from './params.ts';
import type { Params } from './params.ts';
import type { WriteRateClass } from './writes-vendor.ts';

const WRITE_TYPES = new Set(['TextMessage', 'FuelTransaction', 'DVIRLog', 'Defect']);

/** The setting holding each documented class's limit (defaults: Geotab's documented ones). */
export const WRITE_LIMIT_SETTINGS: Readonly<Record<WriteRateClass, keyof SandboxSettings>> = {
  'Add:FuelTransaction': 'add_fuel_transaction_per_minute',
  'Get:FuelTransaction': 'get_fuel_transaction_per_minute',
  'Add:DVIRLog': 'add_dvir_log_per_minute',
  'Set:DVIRLog': 'set_dvir_log_per_minute',
  'Get:DVIRLog': 'get_dvir_log_per_minute',
  'Get:Defect': 'get_defect_per_minute',
};

/** What the sandbox implements of each entity. */
const IMPLEMENTED: Readonly<Record<string, readonly string[]>> = {
  TextMessage: ['Add', 'Get'],
  FuelTransaction: ['Add', 'Get'],
  DVIRLog: ['Add', 'Set', 'Get'],
  Defect: ['Get'],
};

export const isWritesCall = (params: Params): boolean => typeof params.typeName === 'string' && WRITE_TYPES.has(params.typeName);

export function writesCall(db: GeotabDatabase, userName: string, method: string, params: Params, now: number): { result: unknown; headers: Record<string, string> } {
  const typeName = params.typeName as string;
  if (!IMPLEMENTED[typeName]!.includes(method)) {
    throw argumentError(`${method} of ${typeName} is not supported by the fleetgate sandbox (${IMPLEMENTED[typeName]!.join(', ')} only)`);
  }
  const rateClass = `${method}:${typeName}`;
  const setting = WRITE_LIMIT_SETTINGS[rateClass as WriteRateClass];
  const headers = admit(db, userName, rateClass, (setting ? db.settings[setting] : db.settings.call_per_minute) as number, now);
  const w = db.writes;
  const limit = method === 'Get' ? resultsLimit(params) : undefined;
  switch (`${method} ${typeName}`) {
    case 'Add TextMessage':
      return { result: w.addTextMessage(entityOf(params), now), headers };
    case 'Get TextMessage':
      return { result: w.getTextMessages(params.search, limit), headers };
    case 'Add FuelTransaction':
      return { result: w.addFuelTransaction(entityOf(params), now), headers };
    case 'Get FuelTransaction':
      return { result: w.getFuelTransactions(params.search, limit), headers };
    case 'Add DVIRLog':
      return { result: w.addDvirLog(entityOf(params), now), headers };
    case 'Set DVIRLog':
      w.setDvirLog(entityOf(params), now);
      return { result: null, headers };
    case 'Get DVIRLog':
      return { result: w.getDvirLogs(params.search, limit), headers };
    default:
      return { result: w.getDefects(params.search, limit), headers };
  }
}
