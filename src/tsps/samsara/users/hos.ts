// Normalized HOS ruleset code → Samsara `usDriverRulesetOverride` {cycle, restart, restbreak,
// usStateToOverride} (all four required together [doc]) + `eldBigDayExemptionEnabled` +
// `waitingTimeDutyStatusEnabled`, as data. Meanings of the codes: providers.md "What the HOS codes
// mean"; Samsara's vocabulary: native.ts and the SDK's types (../sdk-types.ts). Rule followed throughout (providers.md): where Samsara has no
// faithful equivalent, refuse (`unsupported_by_tsp`) rather than write a different ruleset.
// Every one of the 134 codes is explicit, so a reviewer can check each against its rule in one place.
import type { HosRulesetCode } from '../../../contract/enums.ts';
import type { SamsaraCycle, SamsaraOverrideState, SamsaraRestart, SamsaraRestbreak, SamsaraRulesetOverride } from '../sdk-types.ts';

// The SDK's own type: a state outside its UsStateToOverride enum fails tsc.
export type { SamsaraRulesetOverride } from '../sdk-types.ts';
export interface SamsaraHosMapping {
  override: SamsaraRulesetOverride;
  /** eldBigDayExemptionEnabled: the 16-hour big-day exemption, 49 CFR 395.1(o). */
  bigDay: boolean;
  /** waitingTimeDutyStatusEnabled: oil-well service waiting time, 49 CFR 395.1(d)(2). */
  waitingTime: boolean;
}
export type SamsaraHosEntry = SamsaraHosMapping | { unsupported: string };

type Opt = { bigDay?: boolean; waitingTime?: boolean };
const to = (cycle: SamsaraCycle, restart: SamsaraRestart, restbreak: SamsaraRestbreak, state: SamsaraOverrideState, opt: Opt = {}): SamsaraHosMapping => ({
  override: { cycle, restart, restbreak, usStateToOverride: state },
  bigDay: opt.bigDay === true,
  waitingTime: opt.waitingTime === true,
});
const refuse = (why: string): { unsupported: string } => ({ unsupported: why });

// Federal property: 34-hour restart (395.3(c)) and the 30-minute break (395.3(a)(3)(ii)).
// _NORST → restart "None"; _NOBRK → restbreak "None"; _BIG → eldBigDayExemptionEnabled.
// _SLP (the 395.1(g) sleeper-berth split) is part of the federal rules Samsara computes for every
// property cycle; it adds no setting, so _SLP maps like its base code.
const PROP = 'Property (off-duty/sleeper)' as const;
const R34 = '34-hour Restart' as const;
const fed = (hours: '60_7' | '70_8', o: { norst?: boolean; nobrk?: boolean; big?: boolean } = {}): SamsaraHosMapping =>
  to(hours === '60_7' ? 'USA Property (7/60)' : 'USA Property (8/70)', o.norst ? 'None' : R34, o.nobrk ? 'None' : PROP, '', {
    bigDay: o.big,
  });

// Oilfield, 395.1(d): every oilfield driver may restart after 24 h off (d)(1); only oil-well *service*
// drivers log waiting time off duty (d)(2) — Samsara's "24-hour Restart" and waitingTimeDutyStatusEnabled.
const oil = (kind: 'TR' | 'WL', hours: '60_7' | '70_8', o: { nobrk?: boolean; big?: boolean } = {}): SamsaraHosMapping =>
  to(hours === '60_7' ? 'USA Property (7/60)' : 'USA Property (8/70)', '24-hour Restart', o.nobrk ? 'None' : PROP, '', {
    bigDay: o.big,
    waitingTime: kind === 'WL',
  });

// Passenger carriers (395.5): no restart provision and no 30-minute break (both are property-only).
const pax = (cycle: SamsaraCycle, state: SamsaraOverrideState): SamsaraHosMapping => to(cycle, 'None', 'None', state);

// State intrastate property cycles: the states adopt Part 395 by reference with their own cycle
// limits, so the federal 34-hour restart and 30-minute break apply [guess, per state adoption].
const state = (cycle: SamsaraCycle, code: SamsaraOverrideState): SamsaraHosMapping => to(cycle, R34, PROP, code);

const SH =
  "Samsara's driver API has no short-haul setting (395.1(e)); writing the long-haul cycle would require logs the driver is exempt from";
const HOS_EXEMPT =
  'Samsara has no ruleset for an HOS-exempt driver; send hos_compliance_type "exempt" (eldExempt) instead';
const SALESP = 'Samsara has no ruleset or exemption flag for the salesperson provision (395.1(c))';
const SLPVAR = 'sleeper-berth variant (_SLPVAR) is not a Samsara setting; Samsara applies only the standard 395.1(g) split';
const NO_CYCLE = 'the code names no 60/7 or 70/8 cycle and usDriverRulesetOverride requires one; fleetgate will not choose it';
const CANADA = 'Canadian cycles cannot be set through the Samsara API (they are read-only there)';
const NO_STATE = (name: string): string => `Samsara's usDriverRulesetOverride has no ${name} intrastate cycle`;
const AK_SLP = "Alaska's sleeper-berth rule (395.1(h)) has no Samsara setting; the Alaska cycle alone would differ";
const CA_OIL_PROP = 'the California oilfield "PROP" variant names no cycle Samsara documents';

export const SAMSARA_HOS: Readonly<Record<HosRulesetCode, SamsaraHosEntry>> = {
  // US federal property 60 h / 7 days → "USA Property (7/60)".
  US_INT_PROP_60_7: fed('60_7'),
  US_INT_PROP_60_7_BIG: fed('60_7', { big: true }),
  US_INT_PROP_60_7_BIG_SLP: fed('60_7', { big: true }),
  US_INT_PROP_60_7_NORST: fed('60_7', { norst: true }),
  US_INT_PROP_60_7_NORST_SLP: fed('60_7', { norst: true }),
  US_INT_PROP_60_7_NOBRK: fed('60_7', { nobrk: true }),
  US_INT_PROP_60_7_NOBRK_BIG: fed('60_7', { nobrk: true, big: true }),
  US_INT_PROP_60_7_NOBRK_BIG_SLP: fed('60_7', { nobrk: true, big: true }),
  US_INT_PROP_60_7_NOBRK_SLP: fed('60_7', { nobrk: true }),
  US_INT_PROP_60_7_SH: refuse(SH),
  US_INT_PROP_60_7_SH_NORST: refuse(SH),
  // US federal property 70 h / 8 days → "USA Property (8/70)" (providers.md example).
  US_INT_PROP_70_8: fed('70_8'),
  US_INT_PROP_70_8_BIG: fed('70_8', { big: true }),
  US_INT_PROP_70_8_BIG_SLP: fed('70_8', { big: true }),
  US_INT_PROP_70_8_NORST: fed('70_8', { norst: true }),
  US_INT_PROP_70_8_NORST_SLP: fed('70_8', { norst: true }),
  US_INT_PROP_70_8_NOBRK: fed('70_8', { nobrk: true }),
  US_INT_PROP_70_8_NOBRK_BIG: fed('70_8', { nobrk: true, big: true }),
  US_INT_PROP_70_8_NOBRK_BIG_SLP: fed('70_8', { nobrk: true, big: true }),
  US_INT_PROP_70_8_NOBRK_SLP: fed('70_8', { nobrk: true }),
  US_INT_PROP_70_8_SH: refuse(SH),
  US_INT_PROP_70_8_SH_14H: refuse(SH),
  US_INT_PROP_70_8_SH_NORST: refuse(SH),
  US_INT_PROP_SH_14H: refuse(SH),
  // US federal passenger → "USA Passenger (7/60)" / "(8/70)".
  US_INT_PAX_60_7: pax('USA Passenger (7/60)', ''),
  US_INT_PAX_60_7_SH: refuse(SH),
  US_INT_PAX_70_8: pax('USA Passenger (8/70)', ''),
  US_INT_PAX_70_8_SH: refuse(SH),
  US_INT_SALESP: refuse(SALESP),
  US_INT_SALESP_NCDL_SH: refuse(SALESP),
  US_INT_OILTR_60_7: oil('TR', '60_7'),
  US_INT_OILTR_70_8: oil('TR', '70_8'),
  US_INT_OILWL_60_7: oil('WL', '60_7'),
  US_INT_OILWL_70_8: oil('WL', '70_8'),
  US_INT_RAIL_EX: refuse(HOS_EXEMPT),
  US_INT_PROP_SLPVAR: refuse(SLPVAR),
  US_INT_PROP_60_7_SLPVAR: refuse(SLPVAR),
  US_INT_PROP_70_8_SLPVAR: refuse(SLPVAR),
  US_INT_CARRIER_EX: refuse(HOS_EXEMPT),
  US_INT_NOHOS_7: refuse(HOS_EXEMPT),
  US_INT_NOHOS_8: refuse(HOS_EXEMPT),
  // Texas intrastate 70/7 → "Texas (7/70)" with state TX (providers.md example). 37 TAC 4.12 keeps the
  // 34-hour restart but does not adopt the 30-minute break for intrastate drivers [guess].
  US_TX_INTRA_PROP_70_7: to('Texas (7/70)', R34, 'None', 'TX'),
  US_TX_INTRA_SH_70_7: refuse(SH),
  US_TX_INTRA_SH_70_8: refuse(SH),
  // California intrastate (13 CCR 1212, Veh. Code 34501.2): no federal 30-minute break; Samsara's only
  // California break is the meal break, written for the _BRK variants [guess: _BRK = "with break"].
  // Property-type cycles keep the 34-hour restart; passenger, school/FLV and farm have none [guess].
  US_CA_INTRA_PROP_80_8: to('California Property (8/80)', R34, 'None', 'CA'),
  US_CA_INTRA_PAX_80_8: pax('California Passenger (8/80)', 'CA'),
  US_CA_INTRA_FARM_112_8: to('California Farm (8/112)', 'None', 'None', 'CA'),
  US_CA_INTRA_FARM_BRK: to('California Farm (8/112)', 'None', 'California Mealbreak (off-duty/sleeper)', 'CA'),
  US_CA_INTRA_FLAM_80_8: to('California Flammable Liquid (8/80)', R34, 'None', 'CA'),
  US_CA_INTRA_FLAM_BRK: to('California Flammable Liquid (8/80)', R34, 'California Mealbreak (off-duty/sleeper)', 'CA'),
  US_CA_INTRA_SCH_80_8: to('California School/FLV (8/80)', 'None', 'None', 'CA'),
  US_CA_INTRA_SCH_BRK: to('California School/FLV (8/80)', 'None', 'California Mealbreak (off-duty/sleeper)', 'CA'),
  // Alaska intrastate (395.1(h)) → the Alaska cycles with state AK.
  US_AK_INTRA_PROP_70_7: state('Alaska Property (7/70)', 'AK'),
  US_AK_INTRA_PROP_80_8: state('Alaska Property (8/80)', 'AK'),
  US_AK_INTRA_PAX_70_7: pax('Alaska Passenger (7/70)', 'AK'),
  US_AK_INTRA_PAX_80_8: pax('Alaska Passenger (8/80)', 'AK'),
  US_AK_INTRA_PROP_70_7_SLP: refuse(AK_SLP),
  US_AK_INTRA_PROP_80_8_SLP: refuse(AK_SLP),
  // Other states with a Samsara cycle: the cycle of the same limits, usStateToOverride = the state.
  US_FL_INTRA_PROP_70_7: state('Florida (7/70)', 'FL'),
  US_FL_INTRA_PROP_80_8: state('Florida (8/80)', 'FL'),
  US_FL_INTRA_SH_70_7: refuse(SH),
  US_FL_INTRA_SH_80_8: refuse(SH),
  US_OR_INTRA_PROP_70_7: state('Oregon (7/70)', 'OR'),
  US_OR_INTRA_PROP_80_8: state('Oregon (8/80)', 'OR'),
  US_MD_INTRA_SH_70_7: refuse(NO_STATE('Maryland')),
  US_MD_INTRA_SH_80_8: refuse(NO_STATE('Maryland')),
  US_NE_INTRA_PROP_70_7: state('Nebraska (7/70)', 'NE'),
  US_NE_INTRA_PROP_80_8: state('Nebraska (8/80)', 'NE'),
  US_NC_INTRA_PROP_70_7: state('North Carolina (7/70)', 'NC'),
  US_NC_INTRA_PROP_80_8: state('North Carolina (8/80)', 'NC'),
  US_ND_INTRA_PROP_70_7: refuse(NO_STATE('North Dakota')),
  US_ND_INTRA_SH_70_7: refuse(NO_STATE('North Dakota')),
  US_SC_INTRA_PROP_70_7: state('South Carolina (7/70)', 'SC'),
  US_SC_INTRA_PROP_80_8: state('South Carolina (8/80)', 'SC'),
  US_WA_INTRA_PROP_70_7: refuse(NO_STATE('Washington')),
  US_WA_INTRA_PROP_80_8: refuse(NO_STATE('Washington')),
  US_WI_INTRA_PROP_70_7: state('Wisconsin (7/70)', 'WI'),
  US_WI_INTRA_PROP_80_8: state('Wisconsin (8/80)', 'WI'),
  // Canada: every Canadian ruleset is read-only in Samsara's API [doc].
  CA_FED_C1_70_7: refuse(CANADA),
  CA_FED_C2_120_14: refuse(CANADA),
  CA_FED_C1_TEAM: refuse(CANADA),
  CA_FED_C2_TEAM: refuse(CANADA),
  CA_FED_NOHOS: refuse(CANADA),
  CA_N60_C1_80_7: refuse(CANADA),
  CA_N60_C2_120_14: refuse(CANADA),
  CA_N60_C1_TEAM: refuse(CANADA),
  CA_N60_C2_TEAM: refuse(CANADA),
  CA_N60_NOHOS: refuse(CANADA),
  CA_N60_OIL: refuse(CANADA),
  CA_N60_OIL_TEAM: refuse(CANADA),
  CA_AB_PROV_PROP_70_7: refuse(CANADA),
  CA_SK_PROV_PROP_70_7: refuse(CANADA),
  CA_SK_PROV_FERT_EX: refuse(CANADA),
  CA_BC_PROV_LOG: refuse(CANADA),
  CA_S60_OIL: refuse(CANADA),
  CA_OIL_TEAM: refuse(CANADA),
  // Oilfield variants of the federal property codes: same _BIG/_SLP/_NOBRK rules as above.
  US_INT_OILTR_60_7_BIG: oil('TR', '60_7', { big: true }),
  US_INT_OILTR_60_7_BIG_SLP: oil('TR', '60_7', { big: true }),
  US_INT_OILTR_60_7_SLP: oil('TR', '60_7'),
  US_INT_OILTR_70_8_BIG: oil('TR', '70_8', { big: true }),
  US_INT_OILTR_70_8_BIG_SLP: oil('TR', '70_8', { big: true }),
  US_INT_OILTR_70_8_SLP: oil('TR', '70_8'),
  // California intrastate oilfield: the California property cycle with the 395.1(d) restart/waiting time.
  US_CA_INTRA_OILTR_80_8: to('California Property (8/80)', '24-hour Restart', 'None', 'CA'),
  US_CA_INTRA_OILTR_PROP: refuse(CA_OIL_PROP),
  US_INT_OILTR_60_7_NOBRK: oil('TR', '60_7', { nobrk: true }),
  US_INT_OILTR_60_7_NOBRK_BIG: oil('TR', '60_7', { nobrk: true, big: true }),
  US_INT_OILTR_60_7_NOBRK_BIG_SLP: oil('TR', '60_7', { nobrk: true, big: true }),
  US_INT_OILTR_60_7_NOBRK_SLP: oil('TR', '60_7', { nobrk: true }),
  US_INT_OILTR_70_8_NOBRK: oil('TR', '70_8', { nobrk: true }),
  US_INT_OILTR_70_8_NOBRK_BIG: oil('TR', '70_8', { nobrk: true, big: true }),
  US_INT_OILTR_70_8_NOBRK_BIG_SLP: oil('TR', '70_8', { nobrk: true, big: true }),
  US_INT_OILTR_70_8_NOBRK_SLP: oil('TR', '70_8', { nobrk: true }),
  US_INT_OILTR_SH_12H: refuse(NO_CYCLE),
  US_INT_OILTR_SH_14H: refuse(NO_CYCLE),
  US_INT_OILTR_70_8_SH_12H: refuse(SH),
  US_INT_OILTR_70_8_SH_14H: refuse(SH),
  // Texas intrastate oilfield: "Texas (7/70)" with the 395.1(d) 24-hour restart.
  US_TX_INTRA_OILTR_70_7: to('Texas (7/70)', '24-hour Restart', 'None', 'TX'),
  US_INT_OILWL_60_7_BIG: oil('WL', '60_7', { big: true }),
  US_INT_OILWL_60_7_BIG_SLP: oil('WL', '60_7', { big: true }),
  US_INT_OILWL_60_7_SLP: oil('WL', '60_7'),
  US_INT_OILWL_70_8_BIG: oil('WL', '70_8', { big: true }),
  US_INT_OILWL_70_8_BIG_SLP: oil('WL', '70_8', { big: true }),
  US_INT_OILWL_70_8_SLP: oil('WL', '70_8'),
  US_CA_INTRA_OILWL_80_8: to('California Property (8/80)', '24-hour Restart', 'None', 'CA', { waitingTime: true }),
  US_CA_INTRA_OILWL_PROP: refuse(CA_OIL_PROP),
  US_INT_OILWL_60_7_NOBRK: oil('WL', '60_7', { nobrk: true }),
  US_INT_OILWL_60_7_NOBRK_BIG: oil('WL', '60_7', { nobrk: true, big: true }),
  US_INT_OILWL_60_7_NOBRK_BIG_SLP: oil('WL', '60_7', { nobrk: true, big: true }),
  US_INT_OILWL_60_7_NOBRK_SLP: oil('WL', '60_7', { nobrk: true }),
  US_INT_OILWL_70_8_NOBRK: oil('WL', '70_8', { nobrk: true }),
  US_INT_OILWL_70_8_NOBRK_BIG: oil('WL', '70_8', { nobrk: true, big: true }),
  US_INT_OILWL_70_8_NOBRK_BIG_SLP: oil('WL', '70_8', { nobrk: true, big: true }),
  US_INT_OILWL_70_8_NOBRK_SLP: oil('WL', '70_8', { nobrk: true }),
  US_TX_INTRA_OILWL_70_7: to('Texas (7/70)', '24-hour Restart', 'None', 'TX', { waitingTime: true }),
};
