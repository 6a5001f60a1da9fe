// Geotab as fleetgate uses it: the descriptor, the credential check it names (a session login), and
// one adapter per resource.
import { defineTsp } from '../kit/descriptor.ts';
import type { Attempt, CallOptions, TspTarget } from '../kit/types.ts';
import { GEOTAB } from './descriptor.ts';
import { authenticate, checkGivenSession, givenSession, rememberSession } from './session.ts';
import { geotabDvirLogs } from './dvir-logs/adapter.ts';
import { geotabFuelTransactions } from './fuel-transactions/adapter.ts';
import { geotabGroupMessages } from './group-messages/adapter.ts';
import { geotabMessages } from './messages/adapter.ts';
import { geotabTrailers } from './trailers/adapter.ts';
import { geotabUsers } from './users/adapter.ts';
import { geotabVehicles } from './vehicles/adapter.ts';

/**
 * Authenticate is the cheapest proof a login works; the session it opens is kept for the next write. A
 * session the credentials name (Catena's session_id) is tried first; refused, the password authenticates.
 */
async function checkGeotabCredentials(target: TspTarget, opts: CallOptions): Promise<Attempt> {
  if (givenSession(target)) {
    const given = await checkGivenSession(target, opts);
    if (!given.refused) {
      if (given.login) rememberSession(target, given.login);
      return given.attempt;
    }
  }
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
