// Motive trailers are Motive assets ("Any piece of equipment that is used along with your vehicle is
// called an asset", https://developer.gomotive.com/reference/create-a-new-asset): the mapping (mapping.ts)
// on Motive's v1 assets calls (assets-client.ts). A retried create is found again by the documented
// GET /v1/assets/lookup_by_external_id
// (https://developer-docs.gomotive.com/reference/lookup-an-asset-using-an-external-id).
import { ASSETS } from '../assets-client.ts';
import { motiveRecordAdapter } from '../record-adapter.ts';
import { mapTrailerToMotive, MOTIVE_TRAILER_FIELD_SUPPORT } from './mapping.ts';

export const motiveTrailers = motiveRecordAdapter({ collection: ASSETS, fields: MOTIVE_TRAILER_FIELD_SUPPORT, map: mapTrailerToMotive });
