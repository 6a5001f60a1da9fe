// Motive as fleetgate uses it: the descriptor, the credential check it names, and one adapter per resource.
import { defineTsp } from '../kit/descriptor.ts';
import { restVerifier } from '../kit/http.ts';
import { motiveErrorDetails } from './client.ts';
import { MOTIVE } from './descriptor.ts';
import { motiveDvirLogs } from './dvir-logs/adapter.ts';
import { motiveFuelTransactions } from './fuel-transactions/adapter.ts';
import { motiveGroupMessages } from './group-messages/adapter.ts';
import { motiveMessages } from './messages/adapter.ts';
import { motiveTrailers } from './trailers/adapter.ts';
import { motiveUsers } from './users/adapter.ts';
import { motiveVehicles } from './vehicles/adapter.ts';

export const motiveAdapter = defineTsp(MOTIVE, {
  checkCredentials: restVerifier(MOTIVE, motiveErrorDetails),
  resources: {
    user: motiveUsers,
    vehicle: motiveVehicles,
    trailer: motiveTrailers,
    message: motiveMessages,
    group_message: motiveGroupMessages,
    fuel_transaction: motiveFuelTransactions,
    // Not supported: Motive has no DVIR create (dvir-logs/adapter.ts).
    dvir_log: motiveDvirLogs,
  },
});
