// Why Samsara's messages and fuel purchases cannot be found again after an answer is lost, in the words
// the operation log gives (the engine writes "not tried again automatically: an earlier attempt may have
// been recorded, and <reason>. Check the fleet at Samsara, then retry ..."; engine/execute.ts), and the
// findExisting such an adapter still has to offer (the engine never calls it: `refindable: false`).
// Sources: samsarahq/samsara-python @ e2e567ef: src/samsara/messages/raw_client.py (POST answers
// {driverId, text} rows; GET v_1_get_messages lists them), types/v_1_message_response.py (driverId "uses
// 0 as a sentinel when the message belongs to a non–single-driver channel ... multi-member groups"),
// src/samsara/fuel_and_energy/raw_client.py (post_fuel_purchase is the only fuel-purchase call);
// developers.samsara.com/reference/postfuelpurchase (transactionReference: no uniqueness stated).
import type { Attempt } from '../kit/types.ts';

/**
 * Messages and group messages. The lookup Samsara offers (GET /v1/fleet/messages: driverId, text,
 * sentAtMs, sender) cannot tell fleetgate's message from another with the same text: adopting one would
 * report a message sent that never was, which is worse than asking the partner.
 */
export const MESSAGES_NOT_REFINDABLE =
  'Samsara gives a message no id and fleetgate cannot tell it from another: GET /v1/fleet/messages lists only driverId, text, sentAtMs and sender, so the same text sent to the same driver by anyone would pass for it, and in Messages v2 organizations a message to several drivers is listed once with driverId 0';

/** Fuel purchases: nothing to read back, and no documented rule that refuses a repeated reference. */
export const FUEL_NOT_REFINDABLE =
  'Samsara has no read API for fuel purchases (POST /fuel-purchase is the only fuel-purchase call) and does not document transactionReference as unique, so another attempt may record the purchase twice; the purchase carries fleetgate\'s id without hyphens as its transactionReference';

/** The lookup of an adapter with `refindable: false`: it cannot look, and says why. */
export const cannotLookUp = (reason: string): Attempt & { found: boolean } => ({
  ok: false,
  found: false,
  statusCode: null,
  headers: {},
  errorType: 'validation',
  errorDetails: `fleetgate cannot look this up at Samsara: ${reason}`,
  durationMs: 0,
});
