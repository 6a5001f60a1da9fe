// Samsara as fleetgate uses it: the descriptor, the credential check it names, and one adapter per resource.
import { defineTsp } from '../kit/descriptor.ts';
import { restVerifier } from '../kit/http.ts';
import { samsaraErrorDetails } from './client.ts';
import { SAMSARA } from './descriptor.ts';
import { samsaraDvirLogs } from './dvir-logs/adapter.ts';
import { samsaraFuelTransactions } from './fuel-transactions/adapter.ts';
import { samsaraGroupMessages } from './group-messages/adapter.ts';
import { samsaraMessages } from './messages/adapter.ts';
import { samsaraTrailers } from './trailers/adapter.ts';
import { samsaraUsers } from './users/adapter.ts';
import { samsaraVehicles } from './vehicles/adapter.ts';

export const samsaraAdapter = defineTsp(SAMSARA, {
  checkCredentials: restVerifier(SAMSARA, samsaraErrorDetails),
  resources: {
    user: samsaraUsers,
    vehicle: samsaraVehicles,
    trailer: samsaraTrailers,
    message: samsaraMessages,
    group_message: samsaraGroupMessages,
    fuel_transaction: samsaraFuelTransactions,
    dvir_log: samsaraDvirLogs,
  },
});
