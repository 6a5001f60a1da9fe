// Samsara's native vocabulary for the create-only writes fleetgate sends it: driver messages
// (POST /v1/fleet/messages) and fuel purchases (POST /fuel-purchase), as the adapters' mappings use it.
// Sources:
// [sdk-py] samsarahq/samsara-python @ e2e567ef60f6398525df8b31b7d2724d80091548, src/samsara/messages/
//   raw_client.py v_1_create_messages, src/samsara/fuel_and_energy/raw_client.py post_fuel_purchase,
//   src/samsara/fuel_and_energy/types/fuel_purchase_post_fuel_purchase_request_body_ifta_fuel_type.py,
//   src/samsara/types/post_fuel_purchase_request_body_price_request_body_currency.py;
// [ref-fuel] developers.samsara.com/reference/postfuelpurchase (transactionReference length 1-32).

/** `text`: "The text sent in the message. Max 2500 characters allowed." [sdk-py]. */
export const SAMSARA_MESSAGE_TEXT_MAX = 2500;

/** `transactionPrice.currency`: "Valid values: usd, gbp, cad, eur, chf, mxn" [sdk-py]. */
export const SAMSARA_FUEL_CURRENCIES = ['usd', 'gbp', 'cad', 'eur', 'chf', 'mxn'] as const;
export type SamsaraFuelCurrency = (typeof SAMSARA_FUEL_CURRENCIES)[number];

/** `iftaFuelType`: "The type of fuel purchased supported by IFTA" [sdk-py], its 16 values. */
export const SAMSARA_IFTA_FUEL_TYPES = [
  'Unspecified', 'A55', 'Biodiesel', 'CompressedNaturalGas', 'Diesel', 'E85', 'Electricity', 'Ethanol',
  'Gasohol', 'Gasoline', 'Hydrogen', 'LiquifiedNaturalGas', 'M85', 'Methanol', 'Propane', 'Other',
] as const;
export type SamsaraIftaFuelType = (typeof SAMSARA_IFTA_FUEL_TYPES)[number];

/** `transactionReference`: required, "length between 1 and 32" [ref-fuel]. */
export const SAMSARA_TRANSACTION_REFERENCE_MAX = 32;
