// Motive fuel purchases: the mapping (mapping.ts) on POST /v1/fuel_purchases (writes-once-client.ts).
//
// Not refindable: a fuel purchase whose create answer was lost cannot be told apart at Motive. Motive's
// external ids cover users, vehicles, assets and groups only
// (https://developer.gomotive.com/reference/update-the-external-id-of-an-entity), so fleetgate has no
// reference of its own to write on a purchase; whether ref_no or offline_id may be set by a client, and
// whether Motive keeps them unique, is not documented; and the list (GET /v1/fuel_purchases,
// https://developer.gomotive.com/reference/fetch-all-the-fuel-purchases-of-your-company) documents no
// filter in any stored copy, so looking would mean paging the company's whole fuel history at Motive's
// ~60 requests/min. The engine therefore fails a create whose outcome is unknown with this reason instead
// of sending it again; the partner checks the fleet and retries the operation by hand.
import type { ResourceAdapter } from '../../kit/types.ts';
import { createFuelPurchase, fuelPurchaseAttempt } from '../writes-once-client.ts';
import { mapFuelTransactionToMotive, MOTIVE_FUEL_FIELD_SUPPORT } from './mapping.ts';

const REFIND_REASON =
  'Motive gives a fuel purchase no external id and documents no way to search its fuel purchases, so one an earlier attempt may have recorded cannot be found';

export const motiveFuelTransactions: ResourceAdapter = {
  operations: { create: 'implemented' },
  fields: MOTIVE_FUEL_FIELD_SUPPORT,
  map: mapFuelTransactionToMotive,
  send: async (target, _write, body, opts) => fuelPurchaseAttempt(await createFuelPurchase(target, body, opts)),
  refindable: false,
  refindReason: REFIND_REASON,
  // The engine never calls it for a refindable: false adapter; if anything does, it answers why not.
  findExisting: async () => ({ ok: false, found: false, statusCode: null, headers: {}, errorType: 'validation', errorDetails: REFIND_REASON, durationMs: 0 }),
};
