// The Motive asset (trailers and other towed equipment) as the sandbox stores and renders it. Name, Type,
// Make, Model and Year are required [create-asset] and stay so. Attributes and their types are those of
// [create-asset] and [lookup-asset]; notes, leased and length come from [seen] (the pages are cut off
// before them). Value lists come from ./fleet-vendor.ts (sources there). No uniqueness of name or VIN is
// documented; external id pairs are unique.
import { ASSET_STATUSES, ASSET_TYPES } from './fleet-vendor.ts';
import { bool, int, num, oneOf, ref, str } from './record-fields.ts';
import type { RecordModel } from './record-store.ts';

export const ASSET_MODEL: RecordModel = {
  name: 'Asset',
  fields: [
    str('name'),
    oneOf('status', ASSET_STATUSES, 'active'),
    // Required; the default only stands until presence is checked (a create without type is refused).
    oneOf('type', ASSET_TYPES, null),
    str('custom_type'),
    str('vin'),
    str('license_plate_state'),
    str('license_plate_number'),
    str('make'),
    str('model'),
    str('year'),
    int('axle'),
    bool('weight_metric_units'),
    bool('length_metric_units'),
    bool('leased'),
    str('notes'),
    num('length'),
    // "Corresponding Gateway ID" is updatable [update-asset]: gateways are installed, never created by API.
    ref('asset_gateway_id', 'asset_gateway'),
  ],
  required: ['name', 'type', 'make', 'model', 'year'],
};
