// Motive as fleetgate uses it: the descriptor, the credential check it names, and one adapter per resource.
import { defineTsp } from '../kit/descriptor.ts';
import { restVerifier } from '../kit/http.ts';
import { motiveErrorDetails } from './client.ts';
import { MOTIVE } from './descriptor.ts';
import { motiveTrailers } from './trailers/adapter.ts';
import { motiveUsers } from './users/adapter.ts';
import { motiveVehicles } from './vehicles/adapter.ts';

export const motiveAdapter = defineTsp(MOTIVE, {
  checkCredentials: restVerifier(MOTIVE, motiveErrorDetails),
  resources: { user: motiveUsers, vehicle: motiveVehicles, trailer: motiveTrailers },
});
