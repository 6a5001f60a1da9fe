// Motive's vocabulary for messages (/v2/messages) and fuel purchases (/v1/fuel_purchases), as Motive
// defines it. Like fleet-vendor.ts, taken from Motive's own pages and never from the adapter under
// src/tsps, so the fake can disagree with the adapter when the adapter is wrong.
// Sources:
//   [v2-send]     https://developer.gomotive.com/reference/send-a-a-bulk-message-to-your-users-v2 (POST
//                 /v2/messages: `sender_id` int32 required, `receiver_id` OR `receiver_ids` int32[] required,
//                 `body` required; answer `message {id (string), sent_at, sender_id, recipient_ids[], body,
//                 attachment, location, status ("e.g., sent")}`)
//   [v2-list]     https://developer.gomotive.com/reference/fetch-a-list-of-all-messages-for-user-using-a-date-range
//                 (GET /v2/messages: "all the messages sent by a user", example params sender_id and
//                 receiver_ids; items `message {id, sent_at, sender_id, receiver_ids[], body, attachment,
//                 location, status}`; "The date range must be between the start of the last week and end of
//                 current day (today) and in UTC")
//   [KT16-msg]    armdev/public_api_docs @4281fc1c pages/09-send-messages.markdown (the v1 send: 201 "Message
//                 sent", 404 "recipient not found"; ids "are the same as id in the user API")
//   [fuel-create] https://developer.gomotive.com/reference/create-a-new-fuel-purchase-transaction ("You must
//                 provide … Vehicle ID, Driver ID, Jurisdiction, Fuel Type and others"; example body vehicle_id,
//                 driver_id, purchased_at '2019-04-23', jurisdiction 'AL', fuel_type 'diesel', fuel 12,
//                 fuel_unit 'gal'; response fields id, offline_id, purchased_at, jurisdiction, fuel_type, ref_no,
//                 vendor, total_cost, currency "e.g., USD", fuel, fuel_unit "e.g., gal", odometer "Integer or
//                 Null", odometer_unit "e.g., mi", receipt_upload_url, receipt_filename)
//   [fuel-list]   https://developer.gomotive.com/reference/fetch-all-the-fuel-purchases-of-your-company,
//                 https://developer-docs.gomotive.com/reference/view-the-fuel-purchases-by-an-id
//   [inspections] https://developer.gomotive.com/docs/step-4-view-reports and the inspection-report reference
//                 pages: GET lists and PUT updates only; no create, so the sandbox has no POST for them.
// The stored copies of [fuel-create] lack its "Body Params" table: which fields beyond the note's four are
// required, and which values fuel_unit and odometer_unit take, are not published there. The sandbox takes
// the example's seven fields as required (the note's four "and others", which the example shows) and only
// the units the pages show, refusing any other the way Rails refuses a value outside an inclusion list.

/** `fuel_unit`: the one value Motive's pages show, "gal" [fuel-create]. */
export const FUEL_UNITS = ['gal'] as const;

/** `odometer_unit`: the one value Motive's pages show, "mi" [fuel-create]. */
export const ODOMETER_UNITS = ['mi'] as const;

/** The fuel purchase fields a create must carry: the note's four and the rest of its example [fuel-create]. */
export const FUEL_PURCHASE_REQUIRED = ['vehicle_id', 'driver_id', 'purchased_at', 'jurisdiction', 'fuel_type', 'fuel', 'fuel_unit'] as const;

/** A message's status when sent [v2-send]; "read" once the recipient has seen it [v2-list]. */
export const MESSAGE_SENT = 'sent';

/** The start of the previous ISO week (Monday 00:00 UTC): how far back the message list reaches [v2-list]. */
export function startOfLastWeek(nowMs: number): number {
  const d = new Date(nowMs);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return midnight - (sinceMonday + 7) * 86_400_000;
}
