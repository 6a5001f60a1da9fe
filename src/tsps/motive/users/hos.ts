// Normalized HOS ruleset code → Motive `cycle` + `exception_*` flags, as data.
// Meanings of the codes: shared/reference/providers.md "What the HOS codes mean". Motive's vocabulary:
// MOTIVE_CYCLES / MOTIVE_EXCEPTION_FLAGS (native.ts). Rule followed throughout (providers.md): where
// Motive has no faithful equivalent, refuse (`unsupported_by_tsp`) rather than write a different ruleset.
// Every entry is explicit, so a reviewer can check each code against its rule in one place.
import type { HosRulesetCode } from '../../../contract/enums.ts';
import type { MotiveCycle, MotiveExceptionFlag } from '../native.ts';

export type MotiveHosMapping = {
  cycle: MotiveCycle;
  exceptions: Partial<Record<MotiveExceptionFlag, true>>;
};
export type MotiveHosEntry = MotiveHosMapping | { unsupported: string };

const to = (cycle: MotiveCycle, ...flags: MotiveExceptionFlag[]): MotiveHosMapping => ({
  cycle,
  exceptions: Object.fromEntries(flags.map((f) => [f, true])) as Partial<Record<MotiveExceptionFlag, true>>,
});
const refuse = (why: string): { unsupported: string } => ({ unsupported: why });

// Oilfield operations, 49 CFR 395.1(d): every oilfield driver may use the 24-hour restart (d)(1);
// only drivers of oil-well *service* vehicles may log waiting time off duty (d)(2). Motive models
// these as its oil-and-gas cycles (`*_o`) plus the exception_24_hour_restart / exception_wait_time flags.
const OILTR = ['exception_24_hour_restart'] as const;
const OILWL = ['exception_24_hour_restart', 'exception_wait_time'] as const;

// _NOBRK (no 30-minute break, 49 CFR 395.3(a)(3)(ii) not applied) → exception_8_hour_break: Motive's
// flag waives the break owed after 8 hours of driving (providers.md example, tagged [guess]).
const BRK: MotiveExceptionFlag = 'exception_8_hour_break';
// _SH (short-haul, 49 CFR 395.1(e)(1): 150 air-miles, 14-hour window) → exception_short_haul.
const SH: MotiveExceptionFlag = 'exception_short_haul';

// _SLP (sleeper-berth split, 49 CFR 395.1(g)) is part of the federal rules every Motive federal cycle
// already computes for property and oilfield drivers; it adds no setting, so _SLP maps like its base.

const BIG =
  'Motive has no exception flag for the 16-hour big-day exemption (49 CFR 395.1(o)); writing the base cycle would drop it';
const NORST =
  'Motive has no setting that disables the 34-hour restart (_NORST); writing the base cycle would allow restarts';
const NO_CYCLE =
  'the code names no 60/7 or 70/8 cycle and Motive requires one; fleetgate will not choose a cycle for the fleet';
const SLPVAR =
  'sleeper-berth variant (_SLPVAR) is not a documented Motive setting; Motive applies only the standard 395.1(g) split';
const HOS_EXEMPT =
  'Motive has no cycle for an HOS-exempt ruleset; send hos_compliance_type "exempt" (eld_mode exempt) instead';
const SALESP =
  'Motive has no cycle or exception flag for the salesperson provision; the base cycle would apply different limits';
const STATE = (state: string): string =>
  `Motive's documented cycle list has no ${state} intrastate cycle; a federal cycle would apply different limits`;
const TEAM =
  'Motive has no Canadian team-driving setting (SOR/2005-313 s.13 team limits); the solo cycle would differ';
const CA_PROV = (prov: string): string =>
  `Motive's documented cycle list has no ${prov} provincial ruleset; the federal Canadian cycle would differ`;

export const MOTIVE_HOS: Readonly<Record<HosRulesetCode, MotiveHosEntry>> = {
  // US federal property, 60 h / 7 days → `60_7`.
  US_INT_PROP_60_7: to('60_7'),
  US_INT_PROP_60_7_BIG: refuse(BIG),
  US_INT_PROP_60_7_BIG_SLP: refuse(BIG),
  US_INT_PROP_60_7_NORST: refuse(NORST),
  US_INT_PROP_60_7_NORST_SLP: refuse(NORST),
  US_INT_PROP_60_7_NOBRK: to('60_7', BRK),
  US_INT_PROP_60_7_NOBRK_BIG: refuse(BIG),
  US_INT_PROP_60_7_NOBRK_BIG_SLP: refuse(BIG),
  US_INT_PROP_60_7_NOBRK_SLP: to('60_7', BRK),
  US_INT_PROP_60_7_SH: to('60_7', SH),
  US_INT_PROP_60_7_SH_NORST: refuse(NORST),
  // US federal property, 70 h / 8 days → `70_8` (providers.md: US_INT_PROP_70_8 → 70_8).
  US_INT_PROP_70_8: to('70_8'),
  US_INT_PROP_70_8_BIG: refuse(BIG),
  US_INT_PROP_70_8_BIG_SLP: refuse(BIG),
  US_INT_PROP_70_8_NORST: refuse(NORST),
  US_INT_PROP_70_8_NORST_SLP: refuse(NORST),
  US_INT_PROP_70_8_NOBRK: to('70_8', BRK),
  US_INT_PROP_70_8_NOBRK_BIG: refuse(BIG),
  US_INT_PROP_70_8_NOBRK_BIG_SLP: refuse(BIG),
  US_INT_PROP_70_8_NOBRK_SLP: to('70_8', BRK),
  US_INT_PROP_70_8_SH: to('70_8', SH),
  // _SH_14H is the 14-hour short-haul of 395.1(e)(1), exactly what exception_short_haul applies.
  US_INT_PROP_70_8_SH_14H: to('70_8', SH),
  US_INT_PROP_70_8_SH_NORST: refuse(NORST),
  US_INT_PROP_SH_14H: refuse(NO_CYCLE),
  // US federal passenger (10 h driving / 15 h on duty) → `60_7_p` / `70_8_p`; 395.1(e)(1) short-haul
  // covers passenger carriers too, and Motive's flag is independent of the cycle.
  US_INT_PAX_60_7: to('60_7_p'),
  US_INT_PAX_60_7_SH: to('60_7_p', SH),
  US_INT_PAX_70_8: to('70_8_p'),
  US_INT_PAX_70_8_SH: to('70_8_p', SH),
  US_INT_SALESP: refuse(SALESP),
  US_INT_SALESP_NCDL_SH: refuse(SALESP),
  // Oilfield: oil transport (OILTR) and oil-well service (OILWL) → `*_o` + 395.1(d) flags (see above).
  US_INT_OILTR_60_7: to('60_7_o', ...OILTR),
  US_INT_OILTR_70_8: to('70_8_o', ...OILTR),
  US_INT_OILWL_60_7: to('60_7_o', ...OILWL),
  US_INT_OILWL_70_8: to('70_8_o', ...OILWL),
  US_INT_RAIL_EX: refuse(HOS_EXEMPT),
  US_INT_PROP_SLPVAR: refuse(SLPVAR),
  US_INT_PROP_60_7_SLPVAR: refuse(SLPVAR),
  US_INT_PROP_70_8_SLPVAR: refuse(SLPVAR),
  US_INT_CARRIER_EX: refuse(HOS_EXEMPT),
  US_INT_NOHOS_7: refuse(HOS_EXEMPT),
  US_INT_NOHOS_8: refuse(HOS_EXEMPT),
  // Texas intrastate 70/7 → `tx_70_7` (providers.md example). Texas short-haul (37 TAC 4.12) is a state
  // rule, not 395.1(e), and Motive documents no Texas short-haul or 70/8 setting.
  US_TX_INTRA_PROP_70_7: to('tx_70_7'),
  US_TX_INTRA_SH_70_7: refuse('Texas intrastate short-haul is a state rule Motive does not document; exception_short_haul is the federal 395.1(e)'),
  US_TX_INTRA_SH_70_8: refuse('Motive has only tx_70_7; no Texas 70/8 cycle'),
  // California intrastate (Cal. Veh. Code 34501.2: 12 h driving, 80 h / 8 days) → `80_8`, passenger
  // `80_8_p`, oilfield `80_8_o` (+ 395.1(d) flags as federal oilfield). Farm (112/8), flammable-liquid
  // tank (10 h driving) and school-bus rules differ; Motive's exception_ca_farm_school_bus is documented
  // only by name, so which of those limits it applies is unknown: refuse rather than guess.
  US_CA_INTRA_PROP_80_8: to('80_8'),
  US_CA_INTRA_PAX_80_8: to('80_8_p'),
  US_CA_INTRA_FARM_112_8: refuse('Motive has no 112/8 cycle; exception_ca_farm_school_bus is undocumented beyond its name'),
  US_CA_INTRA_FARM_BRK: refuse('California farm ruleset: exception_ca_farm_school_bus semantics are undocumented'),
  US_CA_INTRA_FLAM_80_8: refuse('Motive has no California flammable-liquid (10 h driving) ruleset; 80_8 allows 12 h'),
  US_CA_INTRA_FLAM_BRK: refuse('Motive has no California flammable-liquid (10 h driving) ruleset; 80_8 allows 12 h'),
  US_CA_INTRA_SCH_80_8: refuse('California school-bus ruleset: exception_ca_farm_school_bus semantics are undocumented'),
  US_CA_INTRA_SCH_BRK: refuse('California school-bus ruleset: exception_ca_farm_school_bus semantics are undocumented'),
  US_CA_INTRA_OILTR_80_8: to('80_8_o', ...OILTR),
  US_CA_INTRA_OILTR_PROP: refuse('California oil-transport "PROP" variant names no cycle Motive documents'),
  US_CA_INTRA_OILWL_80_8: to('80_8_o', ...OILWL),
  US_CA_INTRA_OILWL_PROP: refuse('California oil-well "PROP" variant names no cycle Motive documents'),
  // Alaska intrastate → `ak_70_7` / `ak_80_8` (+ `_p`). The Alaska sleeper-berth variant (395.1(h))
  // differs from the federal split and Motive documents no Alaska sleeper setting.
  US_AK_INTRA_PROP_70_7: to('ak_70_7'),
  US_AK_INTRA_PROP_80_8: to('ak_80_8'),
  US_AK_INTRA_PAX_70_7: to('ak_70_7_p'),
  US_AK_INTRA_PAX_80_8: to('ak_80_8_p'),
  US_AK_INTRA_PROP_70_7_SLP: refuse('Alaska sleeper-berth rule (395.1(h)) has no documented Motive setting'),
  US_AK_INTRA_PROP_80_8_SLP: refuse('Alaska sleeper-berth rule (395.1(h)) has no documented Motive setting'),
  // Other states: Motive's documented list has no cycle for them.
  US_FL_INTRA_PROP_70_7: refuse(STATE('Florida')),
  US_FL_INTRA_PROP_80_8: refuse(STATE('Florida')),
  US_FL_INTRA_SH_70_7: refuse(STATE('Florida')),
  US_FL_INTRA_SH_80_8: refuse(STATE('Florida')),
  US_OR_INTRA_PROP_70_7: refuse(STATE('Oregon')),
  US_OR_INTRA_PROP_80_8: refuse(STATE('Oregon')),
  US_MD_INTRA_SH_70_7: refuse(STATE('Maryland')),
  US_MD_INTRA_SH_80_8: refuse(STATE('Maryland')),
  US_NE_INTRA_PROP_70_7: refuse(STATE('Nebraska')),
  US_NE_INTRA_PROP_80_8: refuse(STATE('Nebraska')),
  US_NC_INTRA_PROP_70_7: refuse(STATE('North Carolina')),
  US_NC_INTRA_PROP_80_8: refuse(STATE('North Carolina')),
  US_ND_INTRA_PROP_70_7: refuse(STATE('North Dakota')),
  US_ND_INTRA_SH_70_7: refuse(STATE('North Dakota')),
  US_SC_INTRA_PROP_70_7: refuse(STATE('South Carolina')),
  US_SC_INTRA_PROP_80_8: refuse(STATE('South Carolina')),
  US_WA_INTRA_PROP_70_7: refuse(STATE('Washington')),
  US_WA_INTRA_PROP_80_8: refuse(STATE('Washington')),
  US_WI_INTRA_PROP_70_7: refuse(STATE('Wisconsin')),
  US_WI_INTRA_PROP_80_8: refuse(STATE('Wisconsin')),
  // Canada federal (SOR/2005-313): cycle 1 70 h / 7 d → `70_7`, cycle 2 120 h / 14 d → `120_14`;
  // north of 60: `80_7` and `120_14_north` (providers.md). Team and exempt variants have no setting.
  CA_FED_C1_70_7: to('70_7'),
  CA_FED_C2_120_14: to('120_14'),
  CA_FED_C1_TEAM: refuse(TEAM),
  CA_FED_C2_TEAM: refuse(TEAM),
  CA_FED_NOHOS: refuse(HOS_EXEMPT),
  CA_N60_C1_80_7: to('80_7'),
  CA_N60_C2_120_14: to('120_14_north'),
  CA_N60_C1_TEAM: refuse(TEAM),
  CA_N60_C2_TEAM: refuse(TEAM),
  CA_N60_NOHOS: refuse(HOS_EXEMPT),
  // `canada_oil` is unqualified; Motive marks north-of-60 cycles explicitly (`80_7`, `120_14_north`),
  // so the plain name is read as the south-of-60 oil-well-service permit ruleset only.
  CA_N60_OIL: refuse('Motive documents canada_oil without a north-of-60 variant'),
  CA_N60_OIL_TEAM: refuse(TEAM),
  CA_AB_PROV_PROP_70_7: refuse(CA_PROV('Alberta')),
  CA_SK_PROV_PROP_70_7: refuse(CA_PROV('Saskatchewan')),
  CA_SK_PROV_FERT_EX: refuse(CA_PROV('Saskatchewan fertilizer-exemption')),
  CA_BC_PROV_LOG: refuse(CA_PROV('British Columbia logging')),
  CA_S60_OIL: to('canada_oil'),
  CA_OIL_TEAM: refuse(TEAM),
  // Oilfield variants of the federal property codes: same _BIG/_SLP/_NOBRK rules as above.
  US_INT_OILTR_60_7_BIG: refuse(BIG),
  US_INT_OILTR_60_7_BIG_SLP: refuse(BIG),
  US_INT_OILTR_60_7_SLP: to('60_7_o', ...OILTR),
  US_INT_OILTR_70_8_BIG: refuse(BIG),
  US_INT_OILTR_70_8_BIG_SLP: refuse(BIG),
  US_INT_OILTR_70_8_SLP: to('70_8_o', ...OILTR),
  US_INT_OILTR_60_7_NOBRK: to('60_7_o', ...OILTR, BRK),
  US_INT_OILTR_60_7_NOBRK_BIG: refuse(BIG),
  US_INT_OILTR_60_7_NOBRK_BIG_SLP: refuse(BIG),
  US_INT_OILTR_60_7_NOBRK_SLP: to('60_7_o', ...OILTR, BRK),
  US_INT_OILTR_70_8_NOBRK: to('70_8_o', ...OILTR, BRK),
  US_INT_OILTR_70_8_NOBRK_BIG: refuse(BIG),
  US_INT_OILTR_70_8_NOBRK_BIG_SLP: refuse(BIG),
  US_INT_OILTR_70_8_NOBRK_SLP: to('70_8_o', ...OILTR, BRK),
  // A 12-hour short-haul window is not 395.1(e)(1)'s 14 hours, which is all exception_short_haul means.
  US_INT_OILTR_SH_12H: refuse(NO_CYCLE),
  US_INT_OILTR_SH_14H: refuse(NO_CYCLE),
  US_INT_OILTR_70_8_SH_12H: refuse('12-hour short-haul window: Motive exception_short_haul is the 14-hour 395.1(e)(1) rule'),
  US_INT_OILTR_70_8_SH_14H: to('70_8_o', ...OILTR, SH),
  US_TX_INTRA_OILTR_70_7: refuse('Motive has no Texas oilfield cycle (only tx_70_7)'),
  US_INT_OILWL_60_7_BIG: refuse(BIG),
  US_INT_OILWL_60_7_BIG_SLP: refuse(BIG),
  US_INT_OILWL_60_7_SLP: to('60_7_o', ...OILWL),
  US_INT_OILWL_70_8_BIG: refuse(BIG),
  US_INT_OILWL_70_8_BIG_SLP: refuse(BIG),
  US_INT_OILWL_70_8_SLP: to('70_8_o', ...OILWL),
  US_INT_OILWL_60_7_NOBRK: to('60_7_o', ...OILWL, BRK),
  US_INT_OILWL_60_7_NOBRK_BIG: refuse(BIG),
  US_INT_OILWL_60_7_NOBRK_BIG_SLP: refuse(BIG),
  US_INT_OILWL_60_7_NOBRK_SLP: to('60_7_o', ...OILWL, BRK),
  US_INT_OILWL_70_8_NOBRK: to('70_8_o', ...OILWL, BRK),
  US_INT_OILWL_70_8_NOBRK_BIG: refuse(BIG),
  US_INT_OILWL_70_8_NOBRK_BIG_SLP: refuse(BIG),
  US_INT_OILWL_70_8_NOBRK_SLP: to('70_8_o', ...OILWL, BRK),
  US_TX_INTRA_OILWL_70_7: refuse('Motive has no Texas oilfield cycle (only tx_70_7)'),
};
