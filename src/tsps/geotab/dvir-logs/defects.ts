// Catena's DvirDefectEnum (60 values) → the Part of a Geotab defect list that records it.
// Geotab has no fixed defect vocabulary: each database has its own defect lists, "a Group tree" — a defect
// list, its Parts, each Part's Defects — and "the deviceId, defectId … will be different depending on which
// database you are using" [drive]. When a driver cannot find the defect under a Part, "they can choose
// 'Other' … When a user chooses 'Other', we use the Parts id to represent the Defect" [drive]. Catena names a
// part, never a defect within it, so fleetgate records each Catena defect as that Part's "Other": the
// DVIRDefect's defect is the Part's id.
// Which Part: a Part whose `reference` ("The string reference to add to the database entry for this
// group", [dev:Defect]) is the Catena value — the way a fleet ties its own list to Catena's names — else the
// first Part whose name is one of PART_NAMES[value] (compared without case, spaces or punctuation, "&" read
// as "and"). The names are the part as Catena names it, then the part of 49 CFR 396.11(a)(1) that holds it
// (service brakes including trailer brake connections, parking brake, steering mechanism, lighting devices
// and reflectors, tires, horn, windshield wipers, rear vision mirrors, coupling devices, wheels and rims,
// emergency equipment), the regulation Geotab's regulated defects are those of [drive: "Unregulated" defects
// "are not included in the Electronic Code of Federal Regulations §396.11"].
// `unset` names no part: refused at submit (mapping.ts).
import type { DvirDefect } from '../../../contract/enums.ts';

const BRAKES = 'Service Brakes Including Trailer Brake Connections';
const LIGHTS = 'Lighting Devices and Reflectors';
const WHEELS = 'Wheels and Rims';
const EMERGENCY = 'Emergency Equipment';

export const PART_NAMES: Readonly<Record<Exclude<DvirDefect, 'unset'>, readonly string[]>> = {
  fluid_levels: ['Fluid Levels', 'Fluids'],
  battery: ['Battery'],
  belts_hoses: ['Belts and Hoses', 'Belts', 'Hoses'],
  radiator: ['Radiator'],
  frame_assembly: ['Frame Assembly', 'Frame'],
  front_axle: ['Front Axle', 'Axles'],
  starter: ['Starter'],
  transmission: ['Transmission'],
  oil_pressure: ['Oil Pressure'],
  defroster_heater: ['Defroster/Heater', 'Defroster', 'Heater'],
  lights_front: ['Lights (Front)', 'Front Lights', 'Headlights', 'Lights', LIGHTS],
  windshield_clean: ['Windshield Clean', 'Windshield'],
  windshield_wiper_fluid: ['Windshield Wiper Fluid', 'Windshield Washer Fluid', 'Windshield Wipers'],
  windshield_wipers: ['Windshield Wipers', 'Wipers'],
  brakes: ['Brakes', 'Service Brakes', BRAKES],
  brake_check: ['Brake Check', 'Brakes', 'Service Brakes', BRAKES],
  clutch: ['Clutch'],
  mirrors: ['Mirrors', 'Rear Vision Mirrors'],
  horn: ['Horn'],
  safety_equipment: ['Safety Equipment', EMERGENCY],
  trip_recorder: ['Trip Recorder'],
  air_conditioner: ['Air Conditioner', 'Air Conditioning'],
  doors: ['Doors'],
  stop_arm_control: ['Stop Arm Control', 'Stop Arm'],
  steering_wheel: ['Steering Wheel', 'Steering', 'Steering Mechanism'],
  emergency_door_buzzer: ['Emergency Door Buzzer', 'Emergency Exits'],
  entrance_steps: ['Entrance Steps', 'Steps'],
  interior_floor: ['Interior Floor', 'Floor'],
  windows: ['Windows'],
  exhaust: ['Exhaust'],
  fifth_wheel: ['Fifth Wheel', 'Coupling Devices'],
  landing_gear: ['Landing Gear'],
  suspension: ['Suspension'],
  alignment: ['Alignment'],
  rims: ['Rims', WHEELS],
  tires: ['Tires', 'Tyres'],
  tire_chains: ['Tire Chains'],
  stop_arm: ['Stop Arm'],
  muffler: ['Muffler', 'Exhaust'],
  roof: ['Roof', 'Body'],
  wheels: ['Wheels', WHEELS],
  wheels_rims: ['Wheels/Rims', WHEELS, 'Wheels', 'Rims'],
  suspension_under: ['Suspension (Under)', 'Suspension'],
  scratches: ['Scratches', 'Body'],
  air_compressor: ['Air Compressor'],
  air_lines: ['Air Lines'],
  brake_connections: ['Brake Connections', 'Trailer Brake Connections', BRAKES],
  coupling_devices: ['Coupling Devices', 'Coupling Devices (Fifth Wheel)'],
  reflectors: ['Reflectors', LIGHTS],
  lights_rear: ['Lights (Rear)', 'Rear Lights', 'Tail Lights', 'Lights', LIGHTS],
  rear_end: ['Rear End'],
  tire_chains_rear: ['Tire Chains (Rear)', 'Tire Chains'],
  brake_accessories: ['Brake Accessories', BRAKES],
  drive_line: ['Drive Line', 'Driveline'],
  engine: ['Engine'],
  fuel_tanks: ['Fuel Tanks', 'Fuel Tank'],
  lights_general: ['Lights', 'Lighting', LIGHTS],
  other: ['Other'],
  first_aid_kit: ['First Aid Kit', EMERGENCY, 'Safety Equipment'],
};

/** A part name as compared: lower case, "&" as "and", letters and digits only. */
export const nameKey = (name: string): string => name.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]/g, '');
