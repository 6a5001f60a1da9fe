// The Motive vehicle as the sandbox stores and renders it: the create/update parameters of [KT16] in its
// order, plus `notes` [create-vehicle]; `number` is required on create [KT16] and, being the vehicle's
// name, can't be blanked later. Value lists come from ./fleet-vendor.ts (sources there). Motive documents
// no uniqueness of number or VIN, so the sandbox enforces none; external id pairs are unique.
import { FUEL_TYPES, VEHICLE_STATUSES } from './fleet-vendor.ts';
import { bool, oneOf, ref, str } from './record-fields.ts';
import type { RecordModel } from './record-store.ts';

export const VEHICLE_MODEL: RecordModel = {
  name: 'Vehicle',
  fields: [
    str('number'),
    // A new vehicle is active ([create-vehicle]'s example sends "active"); blank is refused.
    oneOf('status', VEHICLE_STATUSES, 'active'),
    bool('ifta'),
    str('vin'),
    str('make'),
    str('model'),
    str('year'),
    str('license_plate_state'),
    str('license_plate_number'),
    bool('metric_units'),
    // Optional: KT16 lists it "(optional | string)"; null clears it.
    oneOf('fuel_type', FUEL_TYPES, null),
    bool('prevent_auto_odometer_entry'),
    str('notes'),
    // "id of the eld device to attach to the vehicle" [KT16]: devices are installed, never created by API.
    ref('eld_device_id', 'eld_device'),
  ],
  required: ['number'],
  // KT16's vehicle also shows the attached device and the current driver; neither exists here.
  rendered: { eld_device: null, current_driver: null },
};
