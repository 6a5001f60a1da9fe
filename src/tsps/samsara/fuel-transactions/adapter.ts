// Samsara fuel transactions: POST /fuel-purchase (SDK samsarahq/samsara-python src/samsara/
// fuel_and_energy/raw_client.py post_fuel_purchase), the mapping in mapping.ts. Samsara answers
// `{"data": {"uuid"}}`: the uuid is the record's source id.
//
// Duplicate safety: Samsara has no read of fuel purchases and no documented uniqueness of
// transactionReference, so `refindable: false`: a purchase whose answer was lost is failed with that
// reason (FUEL_NOT_REFINDABLE, ../writes-once-refind.ts) instead of being sent again; the partner checks
// the fleet (the purchase carries fleetgate's id as its transactionReference) and retries if it is not
// there. A partner's manual retry sends it.
// Call: POST /fuel-purchase, class fuel_purchases (100 requests/min).
import type { ResourceAdapter } from '../../kit/types.ts';
import { SAMSARA_RATE_CLASSES } from '../descriptor.ts';
import { fuelPurchaseAttempt, postFuelPurchase } from '../writes-once-client.ts';
import { cannotLookUp, FUEL_NOT_REFINDABLE } from '../writes-once-refind.ts';
import { mapFuelTransactionToSamsara, SAMSARA_FUEL_TRANSACTION_FIELD_SUPPORT } from './mapping.ts';

export const samsaraFuelTransactions: ResourceAdapter = {
  operations: { create: 'implemented' },
  rateClass: () => SAMSARA_RATE_CLASSES.fuelPurchases,
  fields: SAMSARA_FUEL_TRANSACTION_FIELD_SUPPORT,
  map: mapFuelTransactionToSamsara,
  send: async (target, _write, body, opts) => fuelPurchaseAttempt(await postFuelPurchase(target, body, opts)),
  refindable: false,
  refindReason: FUEL_NOT_REFINDABLE,
  findExisting: async () => cannotLookUp(FUEL_NOT_REFINDABLE),
};
