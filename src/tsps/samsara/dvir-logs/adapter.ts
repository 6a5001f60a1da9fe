// Samsara DVIR logs: not supported (the catalogue says `not_supported`; submit answers 422
// unsupported_by_tsp). Why:
// - Samsara's API creates only mechanic DVIRs, signed by a Samsara *user*: POST /fleet/dvirs requires
//   `authorId`, "Samsara user ID of the mechanic creating the DVIR", and `type`, "Only type 'mechanic'
//   is currently accepted" (samsarahq/samsara-python @ e2e567ef, src/samsara/maintenance/raw_client.py
//   create_dvir). "Driver DVIRs are submitted through the Samsara Driver App. Mechanic DVIRs are
//   submitted through the cloud dashboard, or they can be created via the REST API"
//   (developers.samsara.com/docs/digital-vehicle-inspection-reports).
// - Catena's DvirLogCreate names its author only by `driver_id` (required), a fleetgate user, which
//   fleetgate writes to Samsara as a *driver* (POST /fleet/drivers, users/adapter.ts; back-office users
//   are refused there, users/derive.ts deriveDriver). Samsara's users are another entity (POST /users,
//   "Add a user to the organization", with an email and roles: src/samsara/users/raw_client.py
//   create_user): a driver id is not a user id. Sent as authorId it would be refused, or sign the DVIR
//   as whichever dashboard user holds that number.
// So no Catena DVIR log, whatever its log_type, can be written to Samsara as Samsara requires; fleetgate
// refuses it rather than misattribute an inspection. (Samsara has no field for pre- or post-trip logs,
// the inspection time or new defects either: the create takes safetyStatus, vehicleId xor trailerId,
// odometerMeters, mechanicNotes, licensePlate, location and resolvedDefectIds only.)
import { DVIR_LOG_ATTRIBUTE_NAMES } from '../../../contract/resources/dvir-logs.ts';
import { notSupportedCreate } from '../../kit/adapter-kit.ts';

export const samsaraDvirLogs = notSupportedCreate(
  DVIR_LOG_ATTRIBUTE_NAMES,
  "Samsara creates only mechanic DVIRs signed by a Samsara user (POST /fleet/dvirs authorId), and a DVIR log's driver_id is a Samsara driver, not a user: fleetgate cannot write DVIR logs to Samsara",
  'driver_id',
);
