// The two tables the Catena contract suites share (test/catena-contract-*.test.ts): where fleetgate may
// take fewer of Catena's values in a request, and why; and the Catena operations fleetgate does not serve
// (the README's "not drop-in" list). Changing either is a decision about the contract: say why here.
import type { Allowance } from './catena-compare.ts';

/**
 * Where fleetgate may accept fewer of Catena's values in a REQUEST than Catena lists, and why. Every
 * other Catena value (and every value in `keep`) must be accepted. A response is never allowed values
 * outside Catena's.
 */
export const ALLOWANCES: Allowance[] = [
  {
    name: 'TspEnum',
    keep: ['motive', 'samsara', 'geotab'],
    why: "fleetgate has adapters for 3 of Catena's 166 TSPs: a filter or body naming another is refused, not silently matched to nothing",
  },
  {
    name: 'ResourceEnum',
    keep: ['user', 'vehicle', 'trailer', 'message', 'group_message', 'fuel_transaction', 'dvir_log'],
    why: "fleetgate writes 7 of Catena's 31 resources; an operation of another resource cannot exist",
  },
  {
    name: 'WebhookEventNameEnum',
    keep: ['resource_operation.created', 'resource_operation.succeeded', 'resource_operation.failed', 'resource_operation.*'],
    why: 'fleetgate emits the resource_operation events (and connection/webhook lifecycle events where it has the fact); a subscription to a telematics data event it never emits may be refused',
  },
  {
    name: 'WebhookCatchAllEvents',
    keep: ['resource_operation.*'],
    why: 'as WebhookEventNameEnum: only the catch-alls of events fleetgate emits need be accepted',
  },
  {
    name: 'ConnectionStatusEnum',
    keep: ['active', 'paused'],
    why: "a PATCH may set active or paused: failed is fleetgate's to set (the TSP refused the credentials), deleted is DELETE's, and cancelled and stale are statuses fleetgate never has (refused with 422, as ConnectionUpdate.status says)",
  },
  {
    name: /^(?!(?:Motive|Samsara|Geotab)Creds-Input$).*(?:Creds|SLC)(?:-Input)?$/,
    keep: ['MotiveCreds-Input', 'SamsaraCreds-Input', 'GeotabCreds-Input'],
    why: "credential models of TSPs fleetgate has no adapter for (ConnectionCreate/ConnectionUpdate's credentials anyOf): only Motive's, Samsara's and Geotab's must be taken",
  },
];

/**
 * The Catena operations fleetgate does not serve (when issue 13 is done): the README's "not drop-in"
 * list. Catena's own spelling of the path; method and path as a client sends them.
 */
export const NOT_SERVED = [
  // integrations: data freshness, pre-authorized connections, ingestion schedules (fleetgate writes; it does not ingest)
  'GET /v2/integrations/connections/data-freshness',
  'POST /v2/integrations/connections/schedules/backfill',
  'POST /v2/integrations/connection-pre-auths',
  'GET /v2/integrations/connections/{connection_id}/schedules',
  'POST /v2/integrations/connections/{connection_id}/schedules',
  'GET /v2/integrations/connections/{connection_id}/schedules/{schedule_id}',
  'PATCH /v2/integrations/connections/{connection_id}/schedules/{schedule_id}',
  'DELETE /v2/integrations/connections/{connection_id}/schedules/{schedule_id}',
  'POST /v2/integrations/connections/{connection_id}/schedules/activate-schedules',
  'POST /v2/integrations/connections/{connection_id}/schedules/{schedule_id}/activate',
  'GET /v2/integrations/connections/{connection_id}/schedules/{schedule_id}/executions',
  // telematics: analytics and the read-only data fleetgate does not ingest
  'GET /v2/telematics/analytics/overview',
  'GET /v2/telematics/analytics/drivers/time-series',
  'GET /v2/telematics/analytics/fleets/time-series',
  'GET /v2/telematics/analytics/trailers/time-series',
  'GET /v2/telematics/analytics/vehicles/time-series',
  'GET /v2/telematics/analytics/drivers',
  'GET /v2/telematics/analytics/fleets',
  'GET /v2/telematics/analytics/trailers/live-locations',
  'GET /v2/telematics/analytics/trailers',
  'GET /v2/telematics/analytics/vehicles/live-locations',
  'GET /v2/telematics/analytics/vehicles',
  'GET /v2/telematics/dvir-logs/{dvir_log_id}/defects',
  'GET /v2/telematics/hos-events/{hos_event_id}/attachments',
  'GET /v2/telematics/dvir-logs/defects',
  'GET /v2/telematics/hos-availabilities',
  'GET /v2/telematics/hos-daily-snapshots',
  'GET /v2/telematics/hos-events',
  'GET /v2/telematics/hos-violations',
  'GET /v2/telematics/ifta-summaries',
  'GET /v2/telematics/driver-vehicle-associations',
  'GET /v2/telematics/engine-statuses',
  'GET /v2/telematics/trailer-locations',
  'GET /v2/telematics/trailer-statuses',
  'GET /v2/telematics/trailer-vehicle-associations',
  'GET /v2/telematics/vehicle-locations',
  'GET /v2/telematics/vehicle-region-segments',
  'GET /v2/telematics/engine-logs',
  'GET /v2/telematics/vehicle-sensor-events',
  'GET /v2/telematics/ref-hos-event-codes',
  'GET /v2/telematics/ref-hos-malfunction-codes',
  'GET /v2/telematics/ref-hos-record-origins',
  'GET /v2/telematics/ref-hos-record-statuses',
  'GET /v2/telematics/ref-hos-regions',
  'GET /v2/telematics/ref-hos-violation-codes',
  'GET /v2/telematics/ref-hos-rulesets',
  'GET /v2/telematics/ref-timezones',
  'GET /v2/telematics/driver-safety-events',
];

/**
 * Error statuses Catena's documents declare on an operation that fleetgate never answers there, so its
 * document does not declare them ("the document lists exactly what the server answers"). A client
 * generated from Catena's documents is not broken by a status that never comes. Each says why it cannot.
 */
export const NEVER_ANSWERED: Array<{ ops: RegExp; statuses: string[]; why: string }> = [
  {
    ops: /^GET \/v2\/integrations\/tsps/,
    statuses: ['401', '403'],
    why: 'the catalogue needs no token (Catena declares no security on it): a token sent is not read, so nothing is refused',
  },
  {
    ops: /^GET \/v2\/notifications\/schemas\//,
    statuses: ['403'],
    why: "any valid token will do (Catena's Bearer: []): there is no scope to lack",
  },
  {
    ops: /^(GET|POST|PATCH) \/v2\/telematics\/users/,
    statuses: ['501'],
    why: 'every TSP fleetgate serves has a user adapter; a write route declares 501 only while some TSP lacks one (routes/resources.ts)',
  },
  {
    ops: /^(GET \/v2\/integrations\/connections\/resource-operations|GET \/v2\/integrations\/connections|POST \/v2\/integrations\/connections|GET \/v2\/integrations\/tsps|GET \/v2\/notifications\/webhooks|POST \/v2\/notifications\/webhooks|GET \/v2\/telematics\/users)$/,
    statuses: ['404'],
    why: 'a list or a create of a top-level collection names no record that could be missing',
  },
  {
    ops: /^(GET|POST|PATCH|DELETE) \/v2\/(integrations|notifications)\/|^GET \/v2\/telematics\//,
    statuses: ['409', '429', '504'],
    why: 'fleetgate limits no partner (no 429), these endpoints and the record reads have no state conflict to report (no 409), and none waits on a TSP with a deadline that answers 504 (a connection check that gets no answer is a 422 naming the TSP)',
  },
];

/**
 * Request bodies where fleetgate is stricter than Catena's pydantic models on purpose, with the reason.
 * The models themselves are compared field by field with Catena's -Input models in
 * test/catena-credentials.test.ts.
 */
export const STRICTER_BODIES: Array<{ ops: RegExp; where: RegExp; why: string }> = [
  {
    ops: /^(POST|PATCH) \/v2\/integrations\/connections/,
    where: /^request body application\/json( \.credentials)?$/,
    why: "credentials refuse fields of no shape: a body mixing two shapes (an API key and Catena's OAuth model) must not be read as one of them, silently dropping the other",
  },
];
