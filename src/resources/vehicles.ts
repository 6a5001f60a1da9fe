// The vehicle resource (Catena's VehicleCreate / VehicleUpdate): the declaration every layer reads.
import { CreateVehicleBody, UpdateVehicleBody, VehicleRecord } from '../contract/resources/vehicles.ts';
import type { ResourceDefinition } from '../engine/resource.ts';

export const vehicleResource: ResourceDefinition = {
  name: 'vehicle',
  plural: 'vehicles',
  idParam: 'vehicle_id',
  title: 'Vehicle',
  operations: {
    create: {
      body: CreateVehicleBody,
      operationId: 'create_vehicle',
      summary: 'Create Vehicle',
      description: 'Create a new vehicle. By default, the vehicle will be created asynchronously, and you can check the status of the operation using the returned operation ID.',
    },
    update: {
      body: UpdateVehicleBody,
      operationId: 'update_vehicle',
      summary: 'Update Vehicle',
      description: 'Updates a vehicle fleetgate created: only the fields sent change. `is_active: false` (or `status: OUT_OF_SERVICE`) deactivates it where the TSP can.',
    },
  },
  // Only the fields sent change; is_active and status are kept as sent (a status such as IN_REPAIR says
  // nothing about activation), and each TSP's mapping reads activation from both (tsps/kit/assets.ts).
  merge: (current, changes) => ({ ...(current ?? {}), ...changes }),
  view: VehicleRecord,
  reads: { listOperationId: 'list_vehicles', getOperationId: 'get_vehicle', listSummary: 'List Vehicles', getSummary: 'Get Vehicle', idsParam: 'vehicle_ids' },
  orderedWrites: true,
};
