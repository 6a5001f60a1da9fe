// Geotab vehicles: the mapping (mapping.ts) and MyGeotab's Add / Get / Set of `Device` (../assets-client.ts),
// wired to the resource adapter interface. A vehicle is the Device that tracks it (Geotab keeps VIN, plate
// and plate state on the device): create is Add Device; update is Get Device then Set Device.
import type { VehicleAttributes } from '../../../contract/resources/vehicles.ts';
import type { Attempt, CallOptions, ResourceAdapter, TspTarget, Write } from '../../kit/types.ts';
import { addEntity, getEntities, updateEntity } from '../assets-client.ts';
import { DEVICE_CLASSES } from '../assets-native.ts';
import { Budget } from '../session.ts';
import { GEOTAB_VEHICLE_FIELD_SUPPORT, mapVehicleToGeotab } from './mapping.ts';

async function sendVehicle(target: TspTarget, write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt> {
  const budget = new Budget(opts);
  if (write.operation === 'create') return addEntity(target, 'Device', body, budget);
  // A caller bug, not a TSP answer: an update always follows a successful create.
  if (!write.sourceId) throw new Error('Geotab vehicle update needs write.sourceId (the Geotab device id)');
  return updateEntity(target, 'Device', write.sourceId, body, budget);
}

// What the create writes that another device with the same serial number would not share.
const IDENTITY_MEMBERS = ['name', 'vehicleIdentificationNumber'] as const;
const same = (a: unknown, b: unknown): boolean => String(a ?? '').trim().toLowerCase() === String(b ?? '').trim().toLowerCase();

/**
 * Geotab keeps no external id on a Device, so a create that may have landed is found by what Geotab
 * keeps unique: the serial number (a second device with it is a DuplicateException). `DeviceSearch`
 * searches by it directly ("search for a Device by its unique serial number", fairfleet/geotab
 * DeviceSearch.ts) — better than a name, which Geotab does not keep unique, or a VIN, which is optional.
 * The device found is adopted only when it looks like ours: the name and VIN the create sends, and not
 * archived (a create never archives). A device on that serial that this create did not make is a
 * 'validation' failure naming it: retrying cannot free a serial number another device holds.
 */
async function findExistingVehicle(target: TspTarget, _write: Write, body: Record<string, unknown>, opts: CallOptions): Promise<Attempt & { found: boolean }> {
  const serial = body.serialNumber as string;
  const { attempt, entities } = await getEntities(target, 'Device', { serialNumber: serial }, new Budget(opts));
  if (!entities) return { ...attempt, found: false };
  const device = entities.find((d) => same(d.serialNumber, serial));
  if (!device) return { ...attempt, found: false };
  const differing: string[] = IDENTITY_MEMBERS.filter((m) => !same(device[m], body[m]));
  if (typeof device.activeTo === 'string' && Date.parse(device.activeTo) <= Date.now()) differing.push('activeTo (archived)');
  if (differing.length > 0) {
    return {
      ...attempt,
      ok: false,
      found: false,
      errorType: 'validation',
      errorDetails: `Geotab already has a device with serial number ${JSON.stringify(serial)} (id ${String(device.id)}, name ${JSON.stringify(device.name)}) that this create did not make: ${differing.join(', ')} differ`,
    };
  }
  return { ...attempt, found: true, sourceId: String(device.id), sourceData: device };
}

export const geotabVehicles: ResourceAdapter = {
  operations: { create: 'implemented', update: 'implemented' },
  // The first call: Add:Device for a create, Get:Device (before Set:Device) for an update.
  rateClass: (operation) => (operation === 'create' ? DEVICE_CLASSES.add : DEVICE_CLASSES.get),
  fields: GEOTAB_VEHICLE_FIELD_SUPPORT,
  map: (write) => mapVehicleToGeotab({ operation: write.operation, changes: write.changes as VehicleAttributes, merged: write.merged as VehicleAttributes }),
  send: sendVehicle,
  findExisting: findExistingVehicle,
};
