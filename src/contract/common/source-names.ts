// Catena's `TspEnum` (telematics and integrations documents alike, shared/reference/catena/*.json): every
// TSP name Catena's reads carry as `source_name` and its filters take. fleetgate writes to three of them
// (the TSP registry's wire names); a filter naming another is valid and matches nothing.
import { z } from 'zod';

/** Catena's TspEnum: 166 values. */
export const SOURCE_NAMES = [
  'ada', 'ai_eld', 'air_eld', 'alfa_eld', 'alpha_eld', 'als', 'anytrek_pro', 'anytrek_classic', 'apex_eld', 'apollo',
  'apollocloud', 'ascend', 'att', 'awaregps', 'azuga', 'bigroad', 'bluehorse_eld', 'blueinktech', 'bouncie',
  'budgetgps', 'catena_simulator', 'captain_eld', 'carrier_lynx', 'club_eld', 'counting_trucks_eld', 'cyntrx',
  'digital_eld', 'dragon_eld', 'drive_hos', 'driver_tech', 'dsg_elogs', 'dynamic_eld', 'eighteighteight_eld',
  'eld_88', 'eld_books', 'eld_mandate', 'eld_mandate_prime', 'eroad', 'eva_eld', 'evo_eld', 'expressway_eld',
  'extreme_eld', 'ezlogz', 'ez_lynk', 'factor_eld', 'firstgate', 'fleetcomplete', 'fleetcompletehub', 'fleethunt',
  'fleetsharp', 'fleetup', 'fm', 'forwardthinking', 'forza_eld', 'geotab', 'gpsinsight', 'gpstab', 'gpstrackit',
  'grand_eld', 'greenlight', 'groundhog', 'hcss', 'hos247', 'hutch', 'intellishift', 'ironman_eld', 'isaac',
  'jjkeller', 'kinexaiot', 'knight_eld', 'konexial', 'lioneight', 'linxup', 'loop_eld', 'lucid_eld', 'luna_eld',
  'lytx', 'lytxv3', 'mapon', 'matrack', 'maven', 'mdm_eld', 'mobilefleet', 'moonlight_eld', 'motion_eld', 'motive',
  'my_drivebook', 'my_logs_eld', 'nero', 'netradyne', 'new_eld_world', 'nextgen_eld', 'nextraq', 'omnitracs',
  'onestep', 'ontime_eld', 'optima', 'orbcomm', 'orient_eld', 'panda_eld', 'payd', 'peak_eld', 'peoplenet',
  'phillips_connect', 'phoenix', 'pop_eld', 'prologs', 'proride_eld', 'qualitylogs_eld', 'randmcnally', 'rastrac',
  'raven', 'redfox', 'regulog_eld', 'ridehub', 'roadeazy', 'rock_eld', 'rollingtrans', 'routemate', 'royal_eld',
  'safelane', 'samsara', 'selectivedrive', 'simba_eld', 'skybitz', 'smart_elds', 'sparkle_eld', 'spireon', 'sun_eld',
  'surfsight', 'swift', 'switchboard', 'synergy_eld', 'teletracnavman', 'teletracnavman_director', 'telogis',
  'tenna', 'thermo_king', 'think', 'tive', 'topcompliance_eld', 'traccar', 'trackease_eld', 'trackpro', 'traclog',
  'transflo', 'trimble', 'truckford', 'truckspy', 'truckx', 'trueroad_eld', 'tt', 'txt_eld', 'us_fast_eld',
  'verizon_connect', 'vista_eld', 'vistracks', 'vlog_eld', 'vulcansols_eld', 'wialon', 'webfleet', 'xplore_eld',
  'zigzag_eld', 'zms_eld', 'zonar', 'zubie',
] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export const SourceNameEnum = z.enum(SOURCE_NAMES).meta({ id: 'TspEnum', description: 'Enum for TSPs' });
