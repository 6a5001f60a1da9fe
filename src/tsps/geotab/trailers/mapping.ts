// Normalized trailer (Catena's TrailerCreate / TrailerUpdate) → Geotab `Trailer` members for Add (create)
// or the members to apply to the fetched trailer before Set (update). A Geotab Trailer is a name, a
// comment and groups, nothing else ([ff:Trailer]; [dev:Trailer]), so most fields are not stored. One row
// per normalized field (FIELD_RULES), each with its source; keys as in ../assets-native.ts.
import type { TrailerAttributeName, TrailerAttributes } from '../../../contract/resources/trailers.ts';
import { activationSent, activationView, assetActivation } from '../../kit/assets.ts';
import { applyFieldRules, fieldSupport, refusalCollector, sent, writtenChanges } from '../../kit/mapping-kit.ts';
import type { Attrs, DirectRule, FieldSupport, MappingResult } from '../../kit/mapping-kit.ts';
import { GEOTAB_TRAILER_GROUPS, GEOTAB_TRAILER_MAX_NAME } from '../assets-native.ts';

type FieldRule =
  | DirectRule
  /** is_active: nothing to write (a Trailer has no active period); false is refused, true is not stored. */
  | { kind: 'activation' }
  | { kind: 'not_stored'; why: string };

const notStored = (why: string): FieldRule => ({ kind: 'not_stored', why });
const ONLY = 'a Geotab Trailer has only a name, a comment and groups [ff:Trailer]';
const NO_DEVICE = 'a Geotab Trailer has no device of its own: a TrailerAttachment links it to the vehicle pulling it [ff:TrailerAttachment]';

function trailerName(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (value.trim() === '') return 'Geotab requires a non-empty trailer name';
  return value.length > GEOTAB_TRAILER_MAX_NAME
    ? `Geotab limits a trailer's name to ${GEOTAB_TRAILER_MAX_NAME} characters (got ${value.length})`
    : null;
}

const FIELD_RULES: Readonly<Record<TrailerAttributeName, FieldRule>> = {
  // Trailer.name "Maximum length [255]" [dev:Trailer]; fleetgate finds a trailer again by it.
  trailer_name: { kind: 'direct', native: 'name', onNull: 'refuse', nullRefusal: 'Geotab always holds a trailer\'s name; it cannot be cleared', refuse: trailerName },
  oem: notStored(ONLY),
  model_type: notStored(ONLY),
  model_year: notStored(ONLY),
  vin: notStored(ONLY),
  license_plate_region: notStored(ONLY),
  license_plate_country: notStored(ONLY),
  license_plate_number: notStored(ONLY),
  // "the Trailer entity has no activeTo" [ff:Trailer]; fleetgate never Removes (deletes) one to deactivate it.
  is_active: { kind: 'activation' },
  // Catena's trailer status is free text that says nothing fleetgate can read (tsps/kit/assets.ts).
  status: notStored('a Geotab Trailer has no status member [ff:Trailer]'),
  // Trailer.comment: "Free text field … Default [""]" [dev:Trailer].
  notes: { kind: 'direct', native: 'comment', onNull: 'empty' },
  eld_id: notStored(NO_DEVICE),
  eld_serial_number: notStored(NO_DEVICE),
  eld_device_type: notStored(NO_DEVICE),
  eld_product_id: notStored(NO_DEVICE),
  total_axles: notStored(ONLY),
  // Geotab keeps no external id on a trailer: findExisting finds one by its name instead.
  external_id: notStored(ONLY),
  trailer_length: notStored(ONLY),
  // No trailer-type member, and no built-in groups for body types [ff:KnownId].
  trailer_type: notStored(ONLY),
};

/** is_active is read, never stored: the matrix says so. */
export const GEOTAB_TRAILER_FIELD_SUPPORT: Readonly<Record<TrailerAttributeName, FieldSupport>> = fieldSupport(
  FIELD_RULES,
  (rule) => rule.kind === 'direct',
);

const DEACTIVATION_REFUSED =
  "Geotab's Trailer has no active period (no activeTo) to end; fleetgate does not delete (Remove) a trailer to deactivate it";

export function mapTrailerToGeotab(input: { operation: 'create' | 'update'; changes: TrailerAttributes; merged: TrailerAttributes }): MappingResult {
  const isCreate = input.operation === 'create';
  const changes = writtenChanges(input.operation, input.changes as Attrs);
  const body: Record<string, unknown> = {};
  const dropped: TrailerAttributeName[] = [];
  const { refusals, refuse } = refusalCollector();

  applyFieldRules('Geotab', FIELD_RULES, changes, { body, drop: (field) => dropped.push(field), refuse });
  if (isCreate && !sent(changes, 'trailer_name')) {
    refuse({ field: 'trailer_name', input: null, message: 'Geotab requires a trailer name (Trailer.name, at most 255 characters): send trailer_name' });
  }
  if (activationSent(changes, { statusSaysActive: false })) {
    const activation = assetActivation(activationView(changes, input.merged as Attrs, { statusSaysActive: false }), { statusSaysActive: false });
    if ('refusal' in activation) refuse(activation.refusal);
    else if (activation.active === false) refuse({ field: 'is_active', input: false, message: DEACTIVATION_REFUSED });
    else if (activation.active === true) dropped.push('is_active');
  }

  if (refusals.length > 0) return { ok: false, refusals };
  if (isCreate) body.groups = GEOTAB_TRAILER_GROUPS.map((g) => ({ ...g }));
  return { ok: true, body, dropped };
}
