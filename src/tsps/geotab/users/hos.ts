// Normalized HOS ruleset code → Geotab `hosRuleSet`, as data. Every one of the 134 codes is explicit:
// mapped to the Geotab ruleset with the same rules, or refused with the reason (providers.md: where a
// TSP has no faithful equivalent, refuse with unsupported_by_tsp rather than write a different ruleset).
// Code meanings: providers.md "What the HOS codes mean". Geotab values: GEOTAB_HOS_RULESETS (native.ts).
//
// Geotab's naming leaves the 7-day (60 h / 7 d) cycle unmarked and marks 8-day ones ("AmericaShortHaul"
// vs "AmericaShortHaul8Day"); _SLP → "…Sleeper", _BIG → "…Big", _NORST → "…No34h", _NOBRK →
// "NoRestRequirement…", OILTR → "OilTransport…" (24 h restart), OILWL → "OilWell…" (plus waiting time).
import type { HosRulesetCode } from '../../../contract/enums.ts';
import type { GeotabHosRuleSet } from '../native.ts';

export type GeotabHosEntry = GeotabHosRuleSet | { unsupported: string };

const refuse = (why: string): { unsupported: string } => ({ unsupported: why });

const STATE = (state: string): string =>
  `Geotab has no ${state} intrastate ruleset; a federal ruleset would apply different limits`;
const SLPVAR =
  'sleeper-berth variant (_SLPVAR) has no Geotab ruleset; Geotab\'s "…Sleeper" rulesets are the standard 395.1(g) split (_SLP)';
const CA_PROV = (prov: string): string =>
  `Geotab has no ${prov} provincial ruleset; the federal Canadian cycle would differ`;
const SH_12H =
  'Geotab has no oil-transport short-haul ruleset with a 12-hour window (its short-haul rulesets are the _SH and 14-hour rules)';

export const GEOTAB_HOS: Readonly<Record<HosRulesetCode, GeotabHosEntry>> = {
  // US federal property, 60 h / 7 d (providers.md: America7Day family).
  US_INT_PROP_60_7: 'America7Day',
  US_INT_PROP_60_7_BIG: 'America7DayBig',
  US_INT_PROP_60_7_BIG_SLP: 'America7DayBigSleeper',
  US_INT_PROP_60_7_NORST: 'America7DayNo34h',
  US_INT_PROP_60_7_NORST_SLP: 'America7DayNo34hSleeper',
  US_INT_PROP_60_7_NOBRK: 'AmericaNoRestRequirement7Day',
  US_INT_PROP_60_7_NOBRK_BIG: 'AmericaNoRestRequirement7DayBig',
  US_INT_PROP_60_7_NOBRK_BIG_SLP: 'AmericaNoRestRequirement7DayBigSleeper',
  US_INT_PROP_60_7_NOBRK_SLP: 'AmericaNoRestRequirement7DaySleeper',
  US_INT_PROP_60_7_SH: 'AmericaShortHaul',
  US_INT_PROP_60_7_SH_NORST: 'AmericaShortHaulNo34h',
  // US federal property, 70 h / 8 d (providers.md: US_INT_PROP_70_8 → America8Day,
  // _SH → AmericaShortHaul8Day, _NOBRK → AmericaNoRestRequirement8Day).
  US_INT_PROP_70_8: 'America8Day',
  US_INT_PROP_70_8_BIG: 'America8DayBig',
  US_INT_PROP_70_8_BIG_SLP: 'America8DayBigSleeper',
  US_INT_PROP_70_8_NORST: 'America8DayNo34h',
  US_INT_PROP_70_8_NORST_SLP: 'America8DayNo34hSleeper',
  US_INT_PROP_70_8_NOBRK: 'AmericaNoRestRequirement8Day',
  US_INT_PROP_70_8_NOBRK_BIG: 'AmericaNoRestRequirement8DayBig',
  US_INT_PROP_70_8_NOBRK_BIG_SLP: 'AmericaNoRestRequirement8DayBigSleeper',
  US_INT_PROP_70_8_NOBRK_SLP: 'AmericaNoRestRequirement8DaySleeper',
  US_INT_PROP_70_8_SH: 'AmericaShortHaul8Day',
  US_INT_PROP_70_8_SH_14H: 'AmericaShortHaul8Day14hrWorkday',
  US_INT_PROP_70_8_SH_NORST: 'AmericaShortHaul8DayNo34h',
  // The normalized set has only this and the _70_8_ variant, exactly Geotab's pair
  // AmericaShortHaul14hrWorkday (unmarked = 7-day) / AmericaShortHaul8Day14hrWorkday.
  US_INT_PROP_SH_14H: 'AmericaShortHaul14hrWorkday',
  // Passenger (10 h driving, 15 h on duty).
  US_INT_PAX_60_7: 'America7DayPassenger',
  US_INT_PAX_60_7_SH: 'AmericaShortHaulPassenger',
  US_INT_PAX_70_8: 'America8DayPassenger',
  US_INT_PAX_70_8_SH: 'AmericaShortHaulPassenger8Day',
  US_INT_SALESP: 'AmericaSalesperson',
  US_INT_SALESP_NCDL_SH: 'AmericaSalespersonNonCdlShortHaul',
  // Oilfield, 49 CFR 395.1(d): transport = 24 h restart; well service adds waiting time.
  US_INT_OILTR_60_7: 'OilTransport7Day',
  US_INT_OILTR_70_8: 'OilTransport8Day',
  US_INT_OILWL_60_7: 'OilWell7Day',
  US_INT_OILWL_70_8: 'OilWell8Day',
  // Geotab's railroad rulesets come as America7DayRailroad and America8DayRailroad; the code names no cycle.
  US_INT_RAIL_EX: refuse('Geotab\'s railroad rulesets are per cycle (7-day or 8-day) and the code names none'),
  US_INT_PROP_SLPVAR: refuse(SLPVAR),
  US_INT_PROP_60_7_SLPVAR: refuse(SLPVAR),
  US_INT_PROP_70_8_SLPVAR: refuse(SLPVAR),
  US_INT_CARRIER_EX: 'CarrierExemption',
  // Geotab's "No Ruleset (7-day cycle)" / "No Ruleset (8-day cycle)".
  US_INT_NOHOS_7: 'None',
  US_INT_NOHOS_8: 'None8Day',
  // Texas intrastate 70 h / 7 d; short-haul in its 7-day (unmarked) and 8-day forms.
  US_TX_INTRA_PROP_70_7: 'AmericaTexas',
  US_TX_INTRA_SH_70_7: 'AmericaTexasShortHaul',
  US_TX_INTRA_SH_70_8: 'AmericaTexasShortHaul8Day',
  // California intrastate 80 h / 8 d. Geotab has two property rulesets both titled "California
  // Property Intrastate"; California8day is the one that names the 8-day cycle the code names, and
  // the oilfield pair below (…California8day / …CaliforniaProperty) has a normalized code each.
  US_CA_INTRA_PROP_80_8: 'California8day',
  US_CA_INTRA_PAX_80_8: 'CaliforniaPassenger',
  US_CA_INTRA_FARM_112_8: 'CaliforniaFarmProduct',
  // _BRK: with the rest (break) requirement → Geotab's "…WithRestRequirement".
  US_CA_INTRA_FARM_BRK: 'CaliforniaFarmProductWithRestRequirement',
  US_CA_INTRA_FLAM_80_8: 'CaliforniaFlammableLiquid',
  US_CA_INTRA_FLAM_BRK: 'CaliforniaFlammableLiquidWithRestRequirement',
  US_CA_INTRA_SCH_80_8: 'CaliforniaSchoolPupil',
  US_CA_INTRA_SCH_BRK: 'CaliforniaSchoolPupilWithRestRequirement',
  // Alaska intrastate 70/7 and 80/8.
  US_AK_INTRA_PROP_70_7: 'AlaskaProperty7Day',
  US_AK_INTRA_PROP_80_8: 'AlaskaProperty8Day',
  US_AK_INTRA_PAX_70_7: 'AlaskaPassenger7Day',
  US_AK_INTRA_PAX_80_8: 'AlaskaPassenger8Day',
  US_AK_INTRA_PROP_70_7_SLP: 'AlaskaProperty7DaySleeper',
  US_AK_INTRA_PROP_80_8_SLP: 'AlaskaProperty8DaySleeper',
  US_FL_INTRA_PROP_70_7: 'Florida7Day',
  US_FL_INTRA_PROP_80_8: 'Florida8Day',
  US_FL_INTRA_SH_70_7: 'FloridaShortHaul7Day',
  US_FL_INTRA_SH_80_8: 'FloridaShortHaul8Day',
  US_OR_INTRA_PROP_70_7: 'Oregon7day',
  US_OR_INTRA_PROP_80_8: 'Oregon8day',
  US_MD_INTRA_SH_70_7: 'MarylandShortHaul7Day',
  US_MD_INTRA_SH_80_8: 'MarylandShortHaul8Day',
  US_NE_INTRA_PROP_70_7: 'Nebraska7day',
  US_NE_INTRA_PROP_80_8: 'Nebraska8day',
  US_NC_INTRA_PROP_70_7: refuse(STATE('North Carolina')),
  US_NC_INTRA_PROP_80_8: refuse(STATE('North Carolina')),
  US_ND_INTRA_PROP_70_7: 'NorthDakota7Day',
  US_ND_INTRA_SH_70_7: 'NorthDakotaShortHaul7Day',
  US_SC_INTRA_PROP_70_7: 'SouthCarolina7Day',
  US_SC_INTRA_PROP_80_8: 'SouthCarolina8Day',
  US_WA_INTRA_PROP_70_7: 'WashingtonIntrastate7Day',
  US_WA_INTRA_PROP_80_8: 'WashingtonIntrastate8Day',
  US_WI_INTRA_PROP_70_7: refuse(STATE('Wisconsin')),
  US_WI_INTRA_PROP_80_8: refuse(STATE('Wisconsin')),
  // Canada federal (SOR/2005-313), south of 60: cycle 1 70 h / 7 d, cycle 2 120 h / 14 d.
  CA_FED_C1_70_7: 'CanadaCycleOne',
  CA_FED_C2_120_14: 'CanadaCycleTwo',
  CA_FED_C1_TEAM: 'CanadaCycleOneTeam',
  CA_FED_C2_TEAM: 'CanadaCycleTwoTeam',
  // Geotab's "NoneCanada (South of 60)".
  CA_FED_NOHOS: 'NoneCanada',
  CA_N60_C1_80_7: 'CanadaNorthOf60CycleOne',
  CA_N60_C2_120_14: 'CanadaNorthOf60CycleTwo',
  // Team, no-ruleset and oil-and-gas (oil well service permit) rulesets, south and north of 60: Geotab
  // added them in SDK 6.0 and 7.0 (providers.md corrections).
  CA_N60_C1_TEAM: 'CanadaNorthOf60CycleOneTeam',
  CA_N60_C2_TEAM: 'CanadaNorthOf60CycleTwoTeam',
  CA_N60_NOHOS: 'NoneCanadaNorthOf60',
  CA_N60_OIL: 'CanadaNorthOf60Oil',
  CA_N60_OIL_TEAM: 'CanadaNorthOf60OilTeam',
  CA_S60_OIL: 'CanadaOil',
  CA_OIL_TEAM: 'CanadaOilTeam',
  CA_AB_PROV_PROP_70_7: refuse(CA_PROV('Alberta')),
  CA_SK_PROV_PROP_70_7: refuse(CA_PROV('Saskatchewan')),
  CA_SK_PROV_FERT_EX: refuse(CA_PROV('Saskatchewan fertilizer-exemption')),
  // British Columbia's logging-truck hours (Geotab release notes, Patch 11.0.28xx).
  CA_BC_PROV_LOG: 'CanadaBCLoggingTruck',
  // Oilfield variants of the federal property codes: same suffix rules as above.
  US_INT_OILTR_60_7_BIG: 'OilTransport7DayBig',
  US_INT_OILTR_60_7_BIG_SLP: 'OilTransport7DayBigSleeper',
  US_INT_OILTR_60_7_SLP: 'OilTransport7DaySleeper',
  US_INT_OILTR_70_8_BIG: 'OilTransport8DayBig',
  US_INT_OILTR_70_8_BIG_SLP: 'OilTransport8DayBigSleeper',
  US_INT_OILTR_70_8_SLP: 'OilTransport8DaySleeper',
  US_CA_INTRA_OILTR_80_8: 'OilTransportCalifornia8day',
  US_CA_INTRA_OILTR_PROP: 'OilTransportCaliforniaProperty',
  US_INT_OILTR_60_7_NOBRK: 'OilTransportNoRestRequirement7Day',
  US_INT_OILTR_60_7_NOBRK_BIG: 'OilTransportNoRestRequirement7DayBig',
  US_INT_OILTR_60_7_NOBRK_BIG_SLP: 'OilTransportNoRestRequirement7DayBigSleeper',
  US_INT_OILTR_60_7_NOBRK_SLP: 'OilTransportNoRestRequirement7DaySleeper',
  US_INT_OILTR_70_8_NOBRK: 'OilTransportNoRestRequirement8Day',
  US_INT_OILTR_70_8_NOBRK_BIG: 'OilTransportNoRestRequirement8DayBig',
  US_INT_OILTR_70_8_NOBRK_BIG_SLP: 'OilTransportNoRestRequirement8DayBigSleeper',
  US_INT_OILTR_70_8_NOBRK_SLP: 'OilTransportNoRestRequirement8DaySleeper',
  // Short-haul oil transport. providers.md reads Geotab's unmarked short-haul rulesets as the _SH rule
  // (US_INT_PROP_70_8_SH → AmericaShortHaul8Day) and "…14hrWorkday" as _SH_14H; no Geotab ruleset
  // names a 12-hour window, so the _SH_12H codes are refused rather than guessed.
  US_INT_OILTR_SH_12H: refuse(SH_12H),
  US_INT_OILTR_SH_14H: 'OilTransportShortHaul14hrWorkday',
  US_INT_OILTR_70_8_SH_12H: refuse(SH_12H),
  US_INT_OILTR_70_8_SH_14H: 'OilTransportShortHaul8Day14hrWorkday',
  US_TX_INTRA_OILTR_70_7: 'OilTransportTexas',
  US_INT_OILWL_60_7_BIG: 'OilWell7DayBig',
  US_INT_OILWL_60_7_BIG_SLP: 'OilWell7DayBigSleeper',
  US_INT_OILWL_60_7_SLP: 'OilWell7DaySleeper',
  US_INT_OILWL_70_8_BIG: 'OilWell8DayBig',
  US_INT_OILWL_70_8_BIG_SLP: 'OilWell8DayBigSleeper',
  US_INT_OILWL_70_8_SLP: 'OilWell8DaySleeper',
  US_CA_INTRA_OILWL_80_8: 'OilWellCalifornia8day',
  US_CA_INTRA_OILWL_PROP: 'OilWellCaliforniaProperty',
  US_INT_OILWL_60_7_NOBRK: 'OilWellNoRestRequirement7Day',
  US_INT_OILWL_60_7_NOBRK_BIG: 'OilWellNoRestRequirement7DayBig',
  US_INT_OILWL_60_7_NOBRK_BIG_SLP: 'OilWellNoRestRequirement7DayBigSleeper',
  US_INT_OILWL_60_7_NOBRK_SLP: 'OilWellNoRestRequirement7DaySleeper',
  US_INT_OILWL_70_8_NOBRK: 'OilWellNoRestRequirement8Day',
  US_INT_OILWL_70_8_NOBRK_BIG: 'OilWellNoRestRequirement8DayBig',
  US_INT_OILWL_70_8_NOBRK_BIG_SLP: 'OilWellNoRestRequirement8DayBigSleeper',
  US_INT_OILWL_70_8_NOBRK_SLP: 'OilWellNoRestRequirement8DaySleeper',
  US_TX_INTRA_OILWL_70_7: 'OilWellTexas',
};
