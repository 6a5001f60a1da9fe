// Geotab as fleetgate uses it: the descriptor, the credential check it names (a session login), and
// one adapter per resource.
import { defineTsp } from '../kit/descriptor.ts';
import type { Attempt, CallOptions, TspTarget } from '../kit/types.ts';
import { GEOTAB } from './descriptor.ts';
import { authenticate, rememberSession } from './session.ts';
import { geotabDvirLogs } from './dvir-logs/adapter.ts';
import { geotabFuelTransactions } from './fuel-transactions/adapter.ts';
import { geotabGroupMessages } from './group-messages/adapter.ts';
import { geotabMessages } from './messages/adapter.ts';
import { geotabTrailers } from './trailers/adapter.ts';
import { geotabUsers } from './users/adapter.ts';
import { geotabVehicles } from './vehicles/adapter.ts';

/** Authenticate is the cheapest proof a login works; the session it opens is kept for the next write. */
async function checkGeotabCredentials(target: TspTarget, opts: CallOptions): Promise<Attempt> {
  const login = await authenticate(target, opts);
  rememberSession(target, login);
  return login.attempt;
}

export const geotabAdapter = defineTsp(GEOTAB, {
  checkCredentials: checkGeotabCredentials,
  resources: {
    user: geotabUsers,
    vehicle: geotabVehicles,
    trailer: geotabTrailers,
    message: geotabMessages,
    group_message: geotabGroupMessages,
    fuel_transaction: geotabFuelTransactions,
    dvir_log: geotabDvirLogs,
  },
});
