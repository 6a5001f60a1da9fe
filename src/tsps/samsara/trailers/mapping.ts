// Normalized trailer (Catena TrailerCreate / TrailerUpdate) → Samsara `POST /fleet/trailers` /
// `PATCH /fleet/trailers/{id}` body. One row per normalized field (FIELD_RULES), each with its source;
// the capability matrix, the submit-time refusals and the mapper all read it (../asset-mapping.ts).
// Sources: [sdk-py] samsarahq/samsara-python @ e2e567ef, src/samsara/trailers/raw_client.py create_trailer
// (name required) / update_trailer ("uses the JSON merge patch proposed standard", so a null removes a
// field); [ref] developers.samsara.com/reference/updatetrailer (licensePlate ≤ 12, notes ≤ 255);
// [pa] shared/reference/providers-assets.md §2.2 and §3.
import type { TrailerAttributeName } from '../../../contract/resources/trailers.ts';
import { TRAILER_ATTRIBUTE_NAMES } from '../../../contract/resources/trailers.ts';
import type { Attrs } from '../../kit/mapping-kit.ts';
import type { MappingResult, Write } from '../../kit/types.ts';
import { assetFieldSupport, deriveActivation, deriveExternalIds, mapAsset } from '../asset-mapping.ts';
import type { AssetFieldRule, DeriveContext } from '../asset-mapping.ts';
import type { SamsaraTrailerPatch } from '../sdk-types.ts';
import { SAMSARA_TRAILER_EXTERNAL_ID_KEY, SAMSARA_TRAILER_LICENSE_PLATE_MAX, SAMSARA_TRAILER_NOTES_MAX } from '../assets-native.ts';

type Group = 'activation' | 'externalIds';
// Natives typed by the SDK's PATCH body (a superset of the create's members).
type Rule = AssetFieldRule<Group, keyof SamsaraTrailerPatch>;

const maxLength = (native: string, max: number) => (value: unknown): string | null =>
  typeof value === 'string' && value.length > max ? `Samsara keeps a trailer's ${native} of at most ${max} characters (got ${value.length})` : null;

const NO_MAKE = 'Samsara trailers have no make, model or year (/fleet/trailers) [sdk-py, pa]';
const NO_GATEWAY = "a trailer's installedGateway is read-only; Samsara pairs a gateway when it is installed [sdk-py]";

const FIELD_RULES: Readonly<Record<TrailerAttributeName, Rule>> = {
  // `name` is create_trailer's one required argument [sdk-py]; PATCH cannot remove it.
  trailer_name: {
    kind: 'direct',
    native: 'name',
    onNull: 'refuse',
    nullRefusal: 'Samsara requires a name on every trailer; it cannot be cleared',
    refuse: (v) => (typeof v === 'string' && v.trim() === '' ? 'Samsara requires a non-blank name on every trailer' : null),
  },
  oem: { kind: 'not_stored', why: NO_MAKE },
  model_type: { kind: 'not_stored', why: NO_MAKE },
  model_year: { kind: 'not_stored', why: NO_MAKE },
  // `trailerSerialNumber`: "The serial number of the trailer" [sdk-py]; a trailer's serial is its VIN
  // (Samsara's own example value is a 17-character VIN, 8V8WD530FLN016251 [ref]); trailers have no `vin`.
  vin: { kind: 'direct', native: 'trailerSerialNumber', onNull: 'null' },
  license_plate_region: { kind: 'not_stored', why: 'Samsara keeps the plate number only [sdk-py]' },
  license_plate_country: { kind: 'not_stored', why: 'Samsara keeps the plate number only [sdk-py]' },
  // `licensePlate`, length ≤ 12 [ref].
  license_plate_number: {
    kind: 'direct',
    native: 'licensePlate',
    onNull: 'null',
    refuse: maxLength('licensePlate', SAMSARA_TRAILER_LICENSE_PLATE_MAX),
  },
  // Samsara trailers have no deactivation, only DELETE, which fleetgate never sends [pa §3].
  is_active: { kind: 'derived', group: 'activation' },
  // Free text in Catena; Samsara has no status for a trailer.
  status: { kind: 'not_stored', why: 'Samsara trailers have no status field [sdk-py]' },
  // `notes`, length ≤ 255 [ref].
  notes: { kind: 'direct', native: 'notes', onNull: 'null', refuse: maxLength('notes', SAMSARA_TRAILER_NOTES_MAX) },
  eld_id: { kind: 'not_stored', why: NO_GATEWAY },
  eld_serial_number: { kind: 'not_stored', why: NO_GATEWAY },
  eld_device_type: { kind: 'not_stored', why: NO_GATEWAY },
  eld_product_id: { kind: 'not_stored', why: NO_GATEWAY },
  total_axles: { kind: 'not_stored', why: 'Samsara trailers have no axle count [sdk-py]' },
  // `externalIds` [sdk-py; developers.samsara.com/docs/external-ids], with fleetgate's own id.
  external_id: { kind: 'derived', group: 'externalIds' },
  trailer_length: { kind: 'not_stored', why: 'Samsara trailers have no length [sdk-py]' },
  trailer_type: { kind: 'not_stored', why: 'Samsara trailers have no body type [sdk-py]' },
};

const NO_DEACTIVATION =
  'Samsara has no deactivation for a trailer: the only way out is DELETE /fleet/trailers/{id}, which erases the trailer, and fleetgate does not delete';

const SPEC = {
  rules: FIELD_RULES,
  fields: TRAILER_ATTRIBUTE_NAMES,
  derivations: {
    // A trailer's status is free text: only is_active says anything about activation (tsps/kit/assets.ts).
    activation: (m: Attrs, ctx: DeriveContext) => deriveActivation<TrailerAttributeName>(m, ctx, { statusSaysActive: false, why: NO_DEACTIVATION }),
    externalIds: (m: Attrs, ctx: DeriveContext) => deriveExternalIds<TrailerAttributeName>(m, ctx, SAMSARA_TRAILER_EXTERNAL_ID_KEY),
  },
  onCreate: ['externalIds'] as const,
  requiredOnCreate: [{ field: 'trailer_name' as const, message: 'Samsara requires a name on every trailer (POST /fleet/trailers)' }],
};

/** What Samsara keeps of each normalized trailer field (read by the capability matrix). */
export const SAMSARA_TRAILER_FIELD_SUPPORT = assetFieldSupport(FIELD_RULES);

/** The /fleet/trailers body for a trailer write, or the refusals. */
export const mapTrailerToSamsara = (write: Write): MappingResult => mapAsset<TrailerAttributeName, Group>(SPEC, write);
