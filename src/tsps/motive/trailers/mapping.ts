// Normalized trailer (Catena TrailerCreate / TrailerUpdate) → Motive asset, `POST/PUT /v1/assets` body.
// One row per normalized field, each with its source; the capability matrix and the mapper read it.
// Sources:
//   [create-asset] https://developer.gomotive.com/reference/create-a-new-asset ("you must provide … Name,
//                  Type, Make, Model, Year"; fields vin, license_plate_state, license_plate_number, status,
//                  type, custom_type; external_ids_attributes)
//   [update-asset] https://developer.gomotive.com/reference/update-an-existing-asset (status, VIN, external
//                  ids, groups, lease, gateway id are updatable)
//   [lookup-asset] https://developer-docs.gomotive.com/reference/lookup-an-asset-using-an-external-id
//                  (`axle` integer "Number of axles on the asset"; year a string; type e.g. "low_boy")
//   [seen]         third-party clients of Motive's asset API send `notes` on create
//                  (providers-assets.md lists it "not confirmed")
import type { TrailerAttributeName } from '../../../contract/resources/trailers.ts';
import { activationSent, activationView, assetActivation } from '../../kit/assets.ts';
import { applyFieldRules, fieldSupport, refusalCollector, sent, writtenChanges } from '../../kit/mapping-kit.ts';
import type { DirectRule, FieldSupport } from '../../kit/mapping-kit.ts';
import type { MappingResult, Write } from '../../kit/types.ts';
import type { MotiveAssetStatus } from '../fleet-native.ts';
import { MOTIVE_INTEGRATION_NAME } from '../native.ts';
import { assetTypeFor, assetTypeRefusal } from './types.ts';

type FieldRule = DirectRule | { kind: 'derived'; group: 'status' } | { kind: 'not_stored'; why: string };

const requiredMessage = (native: string, field: TrailerAttributeName) => `Motive requires ${native} (the ${field}) on every asset`;

/** A field Motive requires on every asset [create-asset]: refused when missing on create or cleared. */
const required = (native: string, field: TrailerAttributeName, extra: Partial<DirectRule> = {}): DirectRule => ({
  kind: 'direct',
  native,
  onNull: 'refuse',
  nullRefusal: requiredMessage(native, field),
  // Rails' presence validation refuses blank text too ("Name can't be blank").
  refuse: (v) => (typeof v === 'string' && v.trim() === '' ? requiredMessage(native, field) : null),
  ...extra,
});

const NO_GATEWAY_LOOKUP = "Motive attaches an asset gateway only by its own asset_gateway_id, which fleetgate does not resolve";

const FIELD_RULES: Readonly<Record<TrailerAttributeName, FieldRule>> = {
  trailer_name: required('name', 'trailer_name'), // [create-asset]
  oem: required('make', 'oem'), // [create-asset]
  model_type: required('model', 'model_type'), // [create-asset]
  model_year: required('year', 'model_year', { convert: (v) => String(v) }), // [create-asset], a string [lookup-asset]
  vin: { kind: 'direct', native: 'vin', onNull: 'null' }, // [create-asset]
  license_plate_region: { kind: 'direct', native: 'license_plate_state', onNull: 'null' }, // [create-asset]
  license_plate_country: { kind: 'not_stored', why: 'Motive assets keep the plate state only [create-asset]' },
  license_plate_number: { kind: 'direct', native: 'license_plate_number', onNull: 'null' }, // [create-asset]
  is_active: { kind: 'derived', group: 'status' }, // [update-asset] status; fleet-native.ts MOTIVE_ASSET_STATUSES
  status: { kind: 'not_stored', why: "a trailer's status is a free-text label; Motive's asset status is activation only (is_active)" },
  notes: { kind: 'direct', native: 'notes', onNull: 'null' }, // [seen]
  eld_id: { kind: 'not_stored', why: NO_GATEWAY_LOOKUP },
  eld_serial_number: { kind: 'not_stored', why: NO_GATEWAY_LOOKUP },
  eld_device_type: { kind: 'not_stored', why: 'Motive assets have no gateway model field to write' },
  eld_product_id: { kind: 'not_stored', why: 'Motive assets have no gateway product field' },
  total_axles: { kind: 'direct', native: 'axle', onNull: 'null' }, // [lookup-asset]
  external_id: { kind: 'not_stored', why: "Motive's external ids are keyed by integration; fleetgate's pair holds its own id" },
  trailer_length: { kind: 'not_stored', why: "Catena gives no unit; a length written to Motive would be read in Motive's unit" },
  trailer_type: required('type', 'trailer_type', { convert: assetTypeFor, refuse: assetTypeRefusal }), // [create-asset] via MOTIVE_ASSET_TYPE_FOR
};

/** What Motive keeps of each normalized trailer field (read by the capability matrix). */
export const MOTIVE_TRAILER_FIELD_SUPPORT: Readonly<Record<TrailerAttributeName, FieldSupport>> = fieldSupport(FIELD_RULES);

/** The fields a create must carry, in the table's order: every required row. */
const REQUIRED_ON_CREATE = (Object.keys(FIELD_RULES) as TrailerAttributeName[]).filter((f) => {
  const rule = FIELD_RULES[f];
  return rule.kind === 'direct' && rule.onNull === 'refuse';
});

export function mapTrailerToMotive(write: Write): MappingResult {
  const isCreate = write.operation === 'create';
  // On create a null means "not set": nothing is sent, refused or dropped for it.
  const changes = writtenChanges(write.operation, write.changes);
  const body: Record<string, unknown> = {};
  const dropped: string[] = [];
  const { refusals, refuse } = refusalCollector();

  applyFieldRules('Motive', FIELD_RULES, changes, { body, drop: (f) => dropped.push(f), refuse });
  if (isCreate) {
    for (const field of REQUIRED_ON_CREATE) {
      const rule = FIELD_RULES[field] as DirectRule;
      if (!sent(changes, field)) refuse({ field, input: null, message: requiredMessage(rule.native, field) });
    }
  }

  // A trailer's status says nothing about activation (kit/assets.ts): only is_active decides.
  if (activationSent(changes, { statusSaysActive: false })) {
    const activation = assetActivation(activationView(changes, write.merged, { statusSaysActive: false }), { statusSaysActive: false });
    if ('refusal' in activation) refuse(activation.refusal);
    else if (activation.active !== undefined) {
      const status: MotiveAssetStatus = activation.active ? 'active' : 'deactivated';
      body.status = status;
    }
  }

  if (refusals.length > 0) return { ok: false, refusals };
  if (isCreate) body.external_ids_attributes = [{ external_id: write.externalId, integration_name: MOTIVE_INTEGRATION_NAME }]; // [create-asset]
  return { ok: true, body, dropped };
}
