// Motive DVIR logs: not supported. Motive has no API to create an inspection report; its documented
// inspection-report operations are reads and updates only: GET /v1/inspection_reports and
// /v2/inspection_reports, PUT /v1|v2|v3/inspection_reports/{id} (status, defect resolution, external ids)
// and lookup_by_external_id (https://developer.gomotive.com/docs/step-4-view-reports,
// https://developer.gomotive.com/reference/inspection-reports-put-v2,
// https://developer.gomotive.com/reference/update-an-existing-inspection-report-v3; the 2016 docs,
// armdev/public_api_docs @f67857fd pages/10-inspection-reports.markdown, have GET only). Drivers create
// DVIRs in the Motive Driver app. The capability catalogue shows dvir_log create as not_supported, and a
// submit answers 422 unsupported_by_tsp before this adapter is asked to map anything; should anything ask
// anyway, it refuses with the same reason and never calls Motive.
import { DVIR_LOG_ATTRIBUTE_NAMES } from '../../../contract/resources/dvir-logs.ts';
import { notSupportedCreate } from '../../kit/adapter-kit.ts';

export const motiveDvirLogs = notSupportedCreate(
  DVIR_LOG_ATTRIBUTE_NAMES,
  'Motive has no API to create an inspection report (DVIR): its inspection reports are read and updated only, and drivers create them in the Motive app',
  'driver_id',
);
