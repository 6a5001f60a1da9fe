// The trailer resource (Catena's TrailerCreate / TrailerUpdate): the declaration every layer reads.
import { CreateTrailerBody, TrailerRecord, UpdateTrailerBody } from '../contract/resources/trailers.ts';
import type { ResourceDefinition } from '../engine/resource.ts';

export const trailerResource: ResourceDefinition = {
  name: 'trailer',
  plural: 'trailers',
  idParam: 'trailer_id',
  title: 'Trailer',
  operations: {
    create: {
      body: CreateTrailerBody,
      operationId: 'create_trailer',
      summary: 'Create Trailer',
      description: 'Create a new trailer. By default, the trailer will be created asynchronously, and you can check the status of the operation using the returned operation ID.',
    },
    update: {
      body: UpdateTrailerBody,
      operationId: 'update_trailer',
      summary: 'Update Trailer',
      description: 'Updates a trailer fleetgate created: only the fields sent change. `is_active: false` deactivates it where the TSP can.',
    },
  },
  merge: (current, changes) => ({ ...(current ?? {}), ...changes }),
  view: TrailerRecord,
  reads: { listOperationId: 'list_trailers', getOperationId: 'get_trailer', listSummary: 'List Trailers', getSummary: 'Get Trailer', idsParam: 'trailer_ids' },
  orderedWrites: true,
};
