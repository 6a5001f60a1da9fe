// Samsara as fleetgate uses it: the descriptor, the credential check it names, and one adapter per resource.
import { defineTsp } from '../kit/descriptor.ts';
import { restVerifier } from '../kit/http.ts';
import { samsaraErrorDetails } from './client.ts';
import { SAMSARA } from './descriptor.ts';
import { samsaraTrailers } from './trailers/adapter.ts';
import { samsaraUsers } from './users/adapter.ts';
import { samsaraVehicles } from './vehicles/adapter.ts';

export const samsaraAdapter = defineTsp(SAMSARA, {
  checkCredentials: restVerifier(SAMSARA, samsaraErrorDetails),
  resources: { user: samsaraUsers, vehicle: samsaraVehicles, trailer: samsaraTrailers },
});
