// Normalized vehicle (Catena VehicleCreate / VehicleUpdate) → Samsara `POST /assets` (type vehicle) /
// `PATCH /assets?id=` body. One row per normalized field (FIELD_RULES), each with its source; the
// capability matrix, the submit-time refusals and the mapper all read it (../asset-mapping.ts).
// Sources: [sdk-py] samsarahq/samsara-python @ e2e567ef, src/samsara/assets/raw_client.py create_asset /
// update_asset (the body's fields and docstrings); [guide] developers.samsara.com/docs/assets-vehicles-
// trailers-equipment; [pa] shared/reference/providers-assets.md §2.1 (the mapping table, Samsara column).
// Clearing: the SDK types these fields optional, not nullable (providers.md, corrections), so a null
// empties a text field with "" (a vehicle's notes and plate are "empty by default", SDK vehicles/
// raw_client.py update) and is refused where Samsara keeps a value (name, year).
import type { VehicleAttributeName } from '../../../contract/resources/vehicles.ts';
import { VEHICLE_ATTRIBUTE_NAMES } from '../../../contract/resources/vehicles.ts';
import type { Attrs } from '../../kit/mapping-kit.ts';
import type { MappingResult, Write } from '../../kit/types.ts';
import { assetFieldSupport, deriveActivation, deriveExternalIds, mapAsset } from '../asset-mapping.ts';
import type { AssetFieldRule, DeriveContext, GroupResult } from '../asset-mapping.ts';
import type { SamsaraAssetPatch } from '../sdk-types.ts';
import { SAMSARA_VEHICLE_ASSET_TYPE, SAMSARA_VEHICLE_EXTERNAL_ID_KEY, SAMSARA_VIN_LENGTH } from '../assets-native.ts';

type Group = 'vin' | 'activation' | 'externalIds';
// Natives typed by the SDK's PATCH /assets body (the create's members plus none it lacks).
type Rule = AssetFieldRule<Group, keyof SamsaraAssetPatch>;

const NO_UNITS = 'Samsara assets have no unit fields [sdk-py create_asset]';
const NO_GATEWAY = 'the /assets API has no gateway field; a gateway is paired in Samsara when it is installed [sdk-py]';

const FIELD_RULES: Readonly<Record<VehicleAttributeName, Rule>> = {
  // `name`: "The human-readable name of the asset" [sdk-py]; Samsara always shows one (the gateway serial by default).
  vehicle_name: { kind: 'direct', native: 'name', onNull: 'refuse', nullRefusal: 'Samsara keeps a name on every vehicle; it cannot be cleared' },
  // `make`: "The OEM/manufacturer of the asset" [sdk-py]; read-only on /fleet/vehicles, writable on /assets [pa].
  oem: { kind: 'direct', native: 'make', onNull: 'empty' },
  // `model`: "The model of the asset" [sdk-py].
  model_type: { kind: 'direct', native: 'model', onNull: 'empty' },
  // `year`: integer, "The model year of the asset" [sdk-py]; no documented empty value.
  model_year: { kind: 'direct', native: 'year', onNull: 'refuse', nullRefusal: 'Samsara documents no way to clear an asset\'s year' },
  // `vin` (17 characters) or, for a shorter legacy VIN, `serialNumber` [sdk-py]: derived below.
  vin: { kind: 'derived', group: 'vin' },
  engine_vin: { kind: 'not_stored', why: 'Samsara assets have no engine serial or engine VIN field [sdk-py]' },
  license_plate_region: { kind: 'not_stored', why: 'Samsara keeps the plate number only [sdk-py, pa]' },
  license_plate_country: { kind: 'not_stored', why: 'Samsara keeps the plate number only [sdk-py, pa]' },
  // `licensePlate`: "The license plate of the asset" [sdk-py]; no documented length for assets.
  license_plate_number: { kind: 'direct', native: 'licensePlate', onNull: 'empty' },
  // No deactivation for a Samsara vehicle [guide, pa §3]: active is what every vehicle is; inactive is refused.
  is_active: { kind: 'derived', group: 'activation' },
  status: { kind: 'derived', group: 'activation', stored: false },
  // `notes`: "generic notes about the asset" [sdk-py].
  notes: { kind: 'direct', native: 'notes', onNull: 'empty' },
  eld_id: { kind: 'not_stored', why: NO_GATEWAY },
  eld_serial_number: { kind: 'not_stored', why: NO_GATEWAY },
  eld_device_type: { kind: 'not_stored', why: NO_GATEWAY },
  eld_product_id: { kind: 'not_stored', why: NO_GATEWAY },
  total_axles: { kind: 'not_stored', why: 'Samsara assets have no axle count [sdk-py]' },
  // `externalIds` [sdk-py; developers.samsara.com/docs/external-ids], with fleetgate's own id.
  external_id: { kind: 'derived', group: 'externalIds' },
  speed_unit: { kind: 'not_stored', why: NO_UNITS },
  odometer_unit: { kind: 'not_stored', why: NO_UNITS },
  fuel_unit: { kind: 'not_stored', why: NO_UNITS },
  fuel_capacity: { kind: 'not_stored', why: 'Samsara assets have no fuel capacity [sdk-py]' },
  engine_type: { kind: 'not_stored', why: 'Samsara assets have no fuel or engine type [sdk-py]' },
};

/**
 * A 17-character VIN goes to `vin`; a shorter (legacy) one to `serialNumber`, which Samsara documents
 * as "used to hold legacy VIN/PIN numbers such as ones of shorter lengths" [sdk-py]. fleetgate owns
 * both as the vehicle's VIN: an update writes one and empties the other, so a VIN that changes kind
 * leaves no stale copy; a cleared VIN empties both.
 */
function deriveVin(m: Attrs, ctx: DeriveContext): GroupResult<VehicleAttributeName, SamsaraAssetPatch> {
  const raw = typeof m.vin === 'string' ? m.vin.trim() : '';
  const update = ctx.operation === 'update';
  if (raw === '') return { fields: update ? { vin: '', serialNumber: '' } : {} };
  if (raw.length > SAMSARA_VIN_LENGTH) {
    return { refusal: { field: 'vin', message: `Samsara keeps a VIN of at most ${SAMSARA_VIN_LENGTH} characters (got ${raw.length})` } };
  }
  if (raw.length === SAMSARA_VIN_LENGTH) return { fields: { vin: raw, ...(update && { serialNumber: '' }) } };
  return { fields: { serialNumber: raw, ...(update && { vin: '' }) } };
}

const NO_DEACTIVATION =
  'Samsara has no deactivation for a vehicle: its records "cannot be deleted; if a vehicle is retired, mark it using fields such as name or notes" (developers.samsara.com/docs/assets-vehicles-trailers-equipment)';

const SPEC = {
  rules: FIELD_RULES,
  fields: VEHICLE_ATTRIBUTE_NAMES,
  derivations: {
    vin: deriveVin,
    activation: (m: Attrs, ctx: DeriveContext) => deriveActivation<VehicleAttributeName>(m, ctx, { statusSaysActive: true, why: NO_DEACTIVATION }),
    externalIds: (m: Attrs, ctx: DeriveContext) => deriveExternalIds<VehicleAttributeName>(m, ctx, SAMSARA_VEHICLE_EXTERNAL_ID_KEY),
  },
  onCreate: ['externalIds'] as const,
  requiredOnCreate: [],
};

/** What Samsara keeps of each normalized vehicle field (read by the capability matrix). */
export const SAMSARA_VEHICLE_FIELD_SUPPORT = assetFieldSupport(FIELD_RULES);

/** The /assets body for a vehicle write (a create also names the asset's type), or the refusals. */
export function mapVehicleToSamsara(write: Write): MappingResult {
  const mapped = mapAsset<VehicleAttributeName, Group>(SPEC, write);
  if (!mapped.ok || write.operation !== 'create') return mapped;
  return { ...mapped, body: { type: SAMSARA_VEHICLE_ASSET_TYPE, ...mapped.body } };
}
