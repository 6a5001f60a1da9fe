// Bad user writes over HTTP, one table: every field of the seed with a wrong type, every pattern and
// enum, impossible dates, the hos_tracking_mode object, the connection (missing, not a UUID, unknown,
// another partner's), non-object bodies, a bad or unknown query parameter, several problems at once,
// and the values Motive cannot represent. Each is refused with Catena's envelope and the problem's path
// (Catena's ValidationErrorDetail: a dotted path, the input as text), and none of them stores an
// operation: refused before anything is written. Unknown body fields are not problems: Catena ignores
// them, and so does fleetgate, listing them in the operation (the last tests).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { testDbKinds } from './helpers/db.ts';
import type { CallResult, Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';

type Path = Array<string | number>;

interface Ctx {
  /** Partner A's Motive sandbox connection (every case is sent by A). */
  conn: string;
  /** Partner B's connection: invisible to A. */
  foreign: string;
}

interface Problem {
  path: Path;
  error_type?: string;
  /** When present, the problem's `input` must equal it (required for type, pattern and enum). */
  input?: unknown;
  message?: RegExp;
}

interface BadCase {
  name: string;
  method?: 'POST' | 'PATCH';
  url?: (c: Ctx) => string;
  /** The JSON body (a function of the connections); absent when `raw` is sent. */
  body?: (c: Ctx) => unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: 400 | 404 | 422;
  /** Expected problems in `detail`; [] with detailNull or detailText for errors that carry none. */
  problems: Problem[];
  /** detail lists exactly these problems and no other (default true when problems are given). */
  exact?: boolean;
  detailNull?: boolean;
  /** detail is a sentence (not a list) matching this. */
  detailText?: RegExp;
}

const USERS = '/v2/telematics/users';
const KNOWN_USER = '3c90c3cc-0d44-4b50-8888-8dd25736052a';

/** A body Motive accepts as it is: the cases change one thing in it. */
const valid = (c: Ctx, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  connection_id: c.conn,
  first_name: 'Ada',
  last_name: 'Lovelace',
  phone_country_code: '+1',
  ...extra,
});
const without = (o: Record<string, unknown>, ...keys: string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

// ---------- the table ----------

const STRING_FIELDS = [
  'username',
  'user_designation',
  'user_email',
  'first_name',
  'last_name',
  'phone_number',
  'country_code',
  'license_country',
  'license_region',
  'license_number',
  'license_expiration',
  'employee_number',
  'carrier_number',
  'notes',
  'dot_id',
  'phone_country_code',
] as const;
const BOOLEAN_FIELDS = ['is_active', 'is_driver', 'allow_yard_move', 'allow_personal_conveyance', 'allow_adverse_driving'] as const;
const ENUM_FIELDS = ['status', 'hos_ruleset_code', 'default_time_zone', 'hos_compliance_type', 'hos_tracking_method'] as const;

const one = (field: Path | string, error_type: string, input?: unknown, message?: RegExp): Problem[] => {
  const p: Problem = { path: ['body', ...(typeof field === 'string' ? [field] : field)], error_type };
  if (input !== undefined || error_type === 'type' || error_type === 'pattern' || error_type === 'enum') p.input = input;
  if (message) p.message = message;
  return [p];
};
const motive = (field: string, input: unknown): Problem => ({
  path: ['body', field],
  error_type: 'unsupported_by_tsp',
  input,
  message: /Motive/,
});

const CASES: BadCase[] = [
  // Wrong JSON type for every field of the seed.
  ...STRING_FIELDS.map(
    (f): BadCase => ({ name: `${f}: a number where a string belongs`, body: (c) => valid(c, { [f]: 123 }), status: 422, problems: one(f, 'type', 123) }),
  ),
  ...BOOLEAN_FIELDS.map(
    (f): BadCase => ({ name: `${f}: the string "true" where a boolean belongs`, body: (c) => valid(c, { [f]: 'true' }), status: 422, problems: one(f, 'type', 'true') }),
  ),
  ...ENUM_FIELDS.map(
    (f): BadCase => ({ name: `${f}: an object where an enum value belongs`, body: (c) => valid(c, { [f]: { value: 'x' } }), status: 422, problems: one(f, 'enum', { value: 'x' }) }),
  ),
  { name: 'hos_tracking_mode: a string where an object belongs', body: (c) => valid(c, { hos_tracking_mode: 'automatic' }), status: 422, problems: one('hos_tracking_mode', 'type', 'automatic') },
  { name: 'hos_tracking_mode: an array where an object belongs', body: (c) => valid(c, { hos_tracking_mode: ['exempt'] }), status: 422, problems: one('hos_tracking_mode', 'type', ['exempt']) },
  { name: 'connection_id: a number', body: (c) => valid(c, { connection_id: 42 }), status: 422, problems: one('connection_id', 'type', 42) },

  // Patterns (^\w{3}$).
  { name: "country_code 'US' (two letters)", body: (c) => valid(c, { country_code: 'US' }), status: 422, problems: one('country_code', 'pattern', 'US', /\^\\w\{3\}\$/) },
  { name: "country_code 'USAA' (four letters)", body: (c) => valid(c, { country_code: 'USAA' }), status: 422, problems: one('country_code', 'pattern', 'USAA') },
  { name: "license_country '' (empty)", body: (c) => valid(c, { license_country: '' }), status: 422, problems: one('license_country', 'pattern', '') },
  { name: "license_country 'U-S' (not word characters)", body: (c) => valid(c, { license_country: 'U-S' }), status: 422, problems: one('license_country', 'pattern', 'U-S') },

  // Enumerations: values outside the seed's lists.
  { name: "status 'active' (lowercase)", body: (c) => valid(c, { status: 'active' }), status: 422, problems: one('status', 'enum', 'active') },
  { name: "status 'SUSPENDED' (in the seed's prose, not its options)", body: (c) => valid(c, { status: 'SUSPENDED' }), status: 422, problems: one('status', 'enum', 'SUSPENDED') },
  { name: "hos_ruleset_code 'US_FAKE'", body: (c) => valid(c, { hos_ruleset_code: 'US_FAKE' }), status: 422, problems: one('hos_ruleset_code', 'enum', 'US_FAKE') },
  { name: "default_time_zone 'Mars/Base'", body: (c) => valid(c, { default_time_zone: 'Mars/Base' }), status: 422, problems: one('default_time_zone', 'enum', 'Mars/Base') },
  { name: "hos_compliance_type 'EXEMPT' (uppercase)", body: (c) => valid(c, { hos_compliance_type: 'EXEMPT' }), status: 422, problems: one('hos_compliance_type', 'enum', 'EXEMPT') },
  { name: "hos_tracking_method 'gps'", body: (c) => valid(c, { hos_tracking_method: 'gps' }), status: 422, problems: one('hos_tracking_method', 'enum', 'gps') },

  // Dates: real calendar dates, YYYY-MM-DD only.
  { name: "license_expiration '2023-02-29' (not a leap year)", body: (c) => valid(c, { license_expiration: '2023-02-29' }), status: 422, problems: one('license_expiration', 'date', '2023-02-29') },
  { name: "license_expiration '2024-13-01' (month 13)", body: (c) => valid(c, { license_expiration: '2024-13-01' }), status: 422, problems: one('license_expiration', 'date', '2024-13-01') },
  { name: "license_expiration '12/31/2025' (US format)", body: (c) => valid(c, { license_expiration: '12/31/2025' }), status: 422, problems: one('license_expiration', 'date', '12/31/2025') },
  { name: "license_expiration '2024-02-30'", body: (c) => valid(c, { license_expiration: '2024-02-30' }), status: 422, problems: one('license_expiration', 'date', '2024-02-30') },
  { name: "license_expiration '2025-12-31T00:00:00Z' (a datetime)", body: (c) => valid(c, { license_expiration: '2025-12-31T00:00:00Z' }), status: 422, problems: one('license_expiration', 'date', '2025-12-31T00:00:00Z') },

  // hos_tracking_mode: its members only, with their enums.
  { name: "hos_tracking_mode.hos_tracking_method 'gps'", body: (c) => valid(c, { hos_tracking_mode: { hos_tracking_method: 'gps' } }), status: 422, problems: one(['hos_tracking_mode', 'hos_tracking_method'], 'enum', 'gps') },
  {
    name: 'hos_tracking_mode with a bad member and an unknown key: the bad member alone is listed',
    body: (c) => valid(c, { hos_tracking_mode: { hos_compliance_type: 'EXEMPT', foo: 1 } }),
    status: 422,
    problems: one(['hos_tracking_mode', 'hos_compliance_type'], 'enum', 'EXEMPT'),
  },

  // Unknown fields are ignored, but their names are kept (in the operation): a name PostgreSQL cannot
  // store is refused wherever it is.
  { name: 'an unknown field whose name holds U+0000', body: (c) => valid(c, { 'col\u0000our': 'red' }), status: 422, problems: one('col\u0000our', 'character', 'col\u0000our') },
  {
    name: 'a known field holding U+0000 beside a bad one: both listed',
    body: (c) => valid(c, { first_name: 'A\u0000', country_code: 'US' }),
    status: 422,
    problems: [...one('first_name', 'character', 'A\u0000'), ...one('country_code', 'pattern', 'US')],
  },
  {
    name: 'an ignored field holding U+0000 beside a bad one: the bad one alone (the ignored value is not stored)',
    body: (c) => valid(c, { remark: 'a\u0000b', hos_tracking_mode: { note: '\ud800' }, country_code: 'US' }),
    status: 422,
    problems: one('country_code', 'pattern', 'US'),
  },
  { name: 'an unknown nested field whose name holds an unpaired surrogate', body: (c) => valid(c, { hos_tracking_mode: { ['m\ud800']: 1 } }), status: 422, problems: one(['hos_tracking_mode', 'm\ud800'], 'character', 'm\ud800') },

  // The connection.
  { name: 'connection_id missing', body: (c) => without(valid(c), 'connection_id'), status: 422, problems: one('connection_id', 'missing') },
  { name: 'connection_id not a UUID', body: (c) => valid(c, { connection_id: 'conn-1' }), status: 422, problems: one('connection_id', 'uuid', 'conn-1') },
  { name: 'connection_id null', body: (c) => valid(c, { connection_id: null }), status: 422, problems: one('connection_id', 'type', null) },
  { name: 'an unknown connection (random UUID) is 404 naming body.connection_id', body: (c) => valid(c, { connection_id: randomUUID() }), status: 404, problems: [], detailText: /^body\.connection_id: no connection / },
  { name: "another partner's connection is 404, as if it did not exist", body: (c) => valid(c, { connection_id: c.foreign }), status: 404, problems: [], detailText: /^body\.connection_id: no connection / },

  // Bodies that are not objects, or not JSON.
  { name: 'the body is an array', body: () => [{ first_name: 'Ada' }], status: 422, problems: [{ path: ['body'], error_type: 'type', input: [{ first_name: 'Ada' }] }] },
  { name: 'the body is a JSON string', body: () => 'create a user please', status: 422, problems: [{ path: ['body'], error_type: 'type', input: 'create a user please' }] },
  { name: 'the body is JSON null', body: () => null, status: 422, problems: [{ path: ['body'], error_type: 'type', input: null }] },
  { name: 'the body is an empty object (connection_id missing)', body: () => ({}), status: 422, problems: one('connection_id', 'missing') },
  { name: 'the body is malformed JSON', raw: '{"connection_id": ', status: 400, problems: [], detailNull: true },

  // Query and headers.
  { name: '?is_sync=maybe is a bad query (422, as Catena)', url: () => `${USERS}?is_sync=maybe`, body: (c) => valid(c), status: 422, problems: [{ path: ['query', 'is_sync'], error_type: 'enum', input: 'maybe' }] },
  { name: '?is_sync= (empty) is a bad query (422)', url: () => `${USERS}?is_sync=`, body: (c) => valid(c), status: 422, problems: [{ path: ['query', 'is_sync'], input: '' }] },
  { name: '?is_sync given twice is a bad query (a list where one word belongs)', url: () => `${USERS}?is_sync=true&is_sync=false`, body: (c) => valid(c), status: 422, problems: [{ path: ['query', 'is_sync'], input: ['true', 'false'] }] },
  {
    name: 'an unknown query parameter is refused, naming it (never ignored)',
    url: () => `${USERS}?is_sync=true&dry_run=1`,
    body: (c) => valid(c),
    status: 422,
    problems: [{ path: ['query', 'dry_run'], error_type: 'unknown_parameter', input: '1', message: /unknown query parameter; this operation takes is_sync/ }],
  },
  {
    name: 'an unknown query parameter beside a bad one: both listed',
    url: () => `${USERS}?is_sync=maybe&colour=red`,
    body: (c) => valid(c),
    status: 422,
    problems: [
      { path: ['query', 'colour'], error_type: 'unknown_parameter', input: 'red' },
      { path: ['query', 'is_sync'], error_type: 'enum', input: 'maybe' },
    ],
  },
  {
    name: 'an Idempotency-Key over 255 characters',
    body: (c) => valid(c),
    headers: { 'idempotency-key': 'k'.repeat(256) },
    status: 422,
    problems: [{ path: ['header', 'idempotency-key'], error_type: 'range' }],
  },

  // Several problems at once: every one is listed in the same response (the unknown fields among them
  // are ignored, not listed).
  {
    name: 'five problems in one body are all listed at once, the two unknown fields are not problems',
    body: () => ({
      connection_id: 'not-a-uuid',
      country_code: 'US',
      status: 'active',
      license_expiration: '2023-02-29',
      is_driver: 'yes',
      colour: 'red',
      hos_tracking_mode: { mode: 1 },
    }),
    status: 422,
    problems: [
      ...one('connection_id', 'uuid', 'not-a-uuid'),
      ...one('country_code', 'pattern', 'US'),
      ...one('status', 'enum', 'active'),
      ...one('license_expiration', 'date', '2023-02-29'),
      ...one('is_driver', 'type', 'yes'),
    ],
  },
  {
    name: 'a missing connection_id beside wrong types: all listed',
    body: () => ({ first_name: 1, last_name: 2, allow_yard_move: 'no' }),
    status: 422,
    problems: [...one('connection_id', 'missing'), ...one('first_name', 'type', 1), ...one('last_name', 'type', 2), ...one('allow_yard_move', 'type', 'no')],
  },

  // Values the connection's TSP (Motive) cannot represent: refused at submit, naming Motive.
  {
    name: 'a HOS ruleset Motive refuses (US_INT_PROP_60_7_BIG) is unsupported_by_tsp',
    body: (c) => valid(c, { hos_ruleset_code: 'US_INT_PROP_60_7_BIG' }),
    status: 422,
    problems: [{ ...motive('hos_ruleset_code', 'US_INT_PROP_60_7_BIG'), message: /Motive.*US_INT_PROP_60_7_BIG/ }],
  },
  { name: 'a HOS ruleset Motive refuses (CA_FED_C1_TEAM) is unsupported_by_tsp', body: (c) => valid(c, { hos_ruleset_code: 'CA_FED_C1_TEAM' }), status: 422, problems: [motive('hos_ruleset_code', 'CA_FED_C1_TEAM')] },
  {
    name: 'a Motive create without first_name and last_name is unsupported_by_tsp for both',
    body: (c) => without(valid(c), 'first_name', 'last_name'),
    status: 422,
    problems: [motive('first_name', null), motive('last_name', null)],
  },
  { name: 'a Motive create with a blank first_name is unsupported_by_tsp', body: (c) => valid(c, { first_name: '   ' }), status: 422, problems: [motive('first_name', '   ')] },
  { name: 'a Motive create with last_name null is unsupported_by_tsp', body: (c) => valid(c, { last_name: null }), status: 422, problems: [motive('last_name', null)] },
  { name: 'a time zone Motive has no Rails zone for (America/Adak)', body: (c) => valid(c, { default_time_zone: 'America/Adak' }), status: 422, problems: [motive('default_time_zone', 'America/Adak')] },
  { name: "phone_country_code '1' (no '+') for Motive", body: (c) => valid(c, { phone_country_code: '1' }), status: 422, problems: [motive('phone_country_code', '1')] },
  {
    name: 'neither phone_country_code nor country_code for Motive',
    body: (c) => without(valid(c), 'phone_country_code'),
    status: 422,
    problems: [motive('phone_country_code', null)],
  },
  { name: 'status INACTIVE contradicting is_active=true', body: (c) => valid(c, { status: 'INACTIVE', is_active: true }), status: 422, problems: [motive('status', 'INACTIVE')] },
  { name: 'is_driver=true contradicting user_designation ADMIN', body: (c) => valid(c, { is_driver: true, user_designation: 'ADMIN' }), status: 422, problems: [motive('is_driver', true)] },
  {
    name: 'hos_tracking_mode disagreeing with the top-level hos_compliance_type',
    body: (c) => valid(c, { hos_compliance_type: 'exempt', hos_tracking_mode: { hos_compliance_type: 'non_exempt' } }),
    status: 422,
    problems: [{ path: ['body', 'hos_tracking_mode'], error_type: 'unsupported_by_tsp', message: /Motive/ }],
  },
  { name: 'non_exempt without hos_tracking_method for Motive', body: (c) => valid(c, { hos_compliance_type: 'non_exempt' }), status: 422, problems: [motive('hos_tracking_method', null)] },
  {
    name: 'several Motive refusals at once are all listed',
    body: (c) => without(valid(c, { hos_ruleset_code: 'US_INT_NOHOS_7', default_time_zone: 'Asia/Beirut' }), 'first_name', 'last_name'),
    status: 422,
    problems: [motive('first_name', null), motive('last_name', null), motive('hos_ruleset_code', 'US_INT_NOHOS_7'), motive('default_time_zone', 'Asia/Beirut')],
  },

  // PATCH /v2/telematics/users/{id}.
  { name: 'PATCH: a bad field is 422 at its path', method: 'PATCH', url: () => `${USERS}/${KNOWN_USER}`, body: (c) => ({ connection_id: c.conn, country_code: 'US' }), status: 422, problems: one('country_code', 'pattern', 'US') },
  { name: 'PATCH: connection_id is required', method: 'PATCH', url: () => `${USERS}/${KNOWN_USER}`, body: () => ({ first_name: 'Ada' }), status: 422, problems: one('connection_id', 'missing') },
  { name: 'PATCH: an unknown field beside a bad one: the bad one alone is listed', method: 'PATCH', url: () => `${USERS}/${KNOWN_USER}`, body: (c) => ({ connection_id: c.conn, nickname: 'A', country_code: 'US' }), status: 422, problems: one('country_code', 'pattern', 'US') },
  { name: 'PATCH: a user id that is not a UUID', method: 'PATCH', url: () => `${USERS}/user-1`, body: (c) => ({ connection_id: c.conn }), status: 422, problems: [{ path: ['path', 'id'], error_type: 'uuid', input: 'user-1' }] },
  { name: "PATCH: another partner's connection is 404", method: 'PATCH', url: () => `${USERS}/${KNOWN_USER}`, body: (c) => ({ connection_id: c.foreign, first_name: 'Ada' }), status: 404, problems: [], detailText: /^body\.connection_id: no connection / },
  { name: 'PATCH: a user that does not exist is 404', method: 'PATCH', url: () => `${USERS}/${KNOWN_USER}`, body: (c) => ({ connection_id: c.conn, first_name: 'Ada' }), status: 404, problems: [], detailNull: true },
  { name: 'PATCH: the body is an array', method: 'PATCH', url: () => `${USERS}/${KNOWN_USER}`, body: () => [{ first_name: 'Ada' }], status: 422, problems: [{ path: ['body'], error_type: 'type', input: [{ first_name: 'Ada' }] }] },
];

// ---------- checking one answer ----------

/** Catena's ValidationErrorDetail. */
interface DetailItem {
  path: string;
  input: string;
  message: string;
  error_type: string;
}
interface ErrorBody {
  code: number;
  message: string;
  detail: null | string | DetailItem[];
}

/** A path of the table as Catena writes it: body.hos_tracking_mode.mode. */
const dotted = (path: Path): string => path.join('.');
/** An input of the table as Catena writes it: a string as is, anything else as JSON, "" for none. */
const asText = (input: unknown): string => (input === undefined ? '' : typeof input === 'string' ? input : JSON.stringify(input));

function assertEnvelope(res: CallResult<ErrorBody>, label: string): void {
  assert.ok(res.status < 500, `${label}: ${res.status} ${res.text}`);
  assert.ok(res.body && typeof res.body === 'object' && !Array.isArray(res.body), `${label}: not an envelope: ${res.text}`);
  assert.deepEqual(Object.keys(res.body).sort(), ['code', 'detail', 'message'], `${label}: ${res.text}`);
  assert.equal(res.body.code, res.status, label);
  assert.equal(typeof res.body.message, 'string', label);
  assert.ok(res.body.message.length > 0, label);
  assert.doesNotMatch(res.text, /\bat \S+\.(?:ts|js):\d+|\bSELECT\b|\bINSERT\b|api_key/i, `${label}: internals in the body`);
}

function assertProblems(res: CallResult<ErrorBody>, c: BadCase, label: string): void {
  const detail = res.body.detail;
  if (c.detailNull) {
    assert.equal(detail, null, `${label}: ${res.text}`);
    return;
  }
  if (c.detailText) {
    assert.equal(typeof detail, 'string', `${label}: ${res.text}`);
    assert.match(detail as string, c.detailText, label);
    return;
  }
  assert.ok(Array.isArray(detail), `${label}: detail is not a list: ${res.text}`);
  const items: DetailItem[] = detail;
  for (const d of items) {
    // Catena's ValidationErrorDetail: exactly these four, all strings.
    assert.deepEqual(Object.keys(d).sort(), ['error_type', 'input', 'message', 'path'], `${label}: ${JSON.stringify(d)}`);
    for (const v of Object.values(d)) assert.equal(typeof v, 'string', `${label}: ${JSON.stringify(d)}`);
    assert.match(d.path, /^(body|query|path|header)(\.|$)/, `${label}: path root of ${d.path}`);
  }
  for (const want of c.problems) {
    const at = dotted(want.path);
    const got: DetailItem | undefined = items.find((d) => d.path === at);
    assert.ok(got, `${label}: no problem at ${at} in ${JSON.stringify(items)}`);
    if (want.error_type !== undefined) assert.equal(got.error_type, want.error_type, `${label}: error_type at ${at}: ${JSON.stringify(got)}`);
    if (Object.hasOwn(want, 'input')) assert.equal(got.input, asText(want.input), `${label}: input at ${at} is not echoed as text`);
    if (want.message) assert.match(got.message, want.message, `${label}: message at ${at}`);
  }
  if (c.exact ?? c.problems.length > 0) {
    assert.equal(items.length, c.problems.length, `${label}: other problems listed too: ${JSON.stringify(items)}`);
  }
}

// ---------- the suite ----------

test('the table covers every field of the seed and at least 45 bad bodies', () => {
  assert.ok(CASES.length >= 45, `${CASES.length} cases`);
  assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length, 'case names repeat');
  const covered = new Set(CASES.flatMap((c) => c.problems.map((p) => (p.path[0] === 'body' ? String(p.path[1]) : ''))));
  for (const f of [...STRING_FIELDS, ...BOOLEAN_FIELDS, ...ENUM_FIELDS, 'hos_tracking_mode', 'connection_id']) {
    assert.ok(covered.has(f), `no case for ${f}`);
  }
  for (const c of CASES) {
    for (const p of c.problems) {
      if (['type', 'pattern', 'enum'].includes(p.error_type ?? '')) assert.ok(Object.hasOwn(p, 'input'), `${c.name}: say which input is echoed`);
    }
  }
});

for (const kind of testDbKinds()) {
  describe(`users write validation (${kind})`, () => {
    let t: TestApp;
    let a: Partner;
    let b: Partner;
    let ctx: Ctx;

    const connect = async (p: Partner): Promise<string> => {
      const acct = await call(t, 'POST', '/sandbox/motive/_sandbox/accounts');
      assert.equal(acct.status, 201, acct.text);
      const res = await call(t, 'POST', '/v2/integrations/connections', {
        token: p.token,
        json: { tsp: 'motive', sandbox: true, credentials: { api_key: acct.body.api_key } },
      });
      assert.equal(res.status, 200, res.text);
      return res.body.id;
    };
    const operationsOf = async (p: Partner): Promise<unknown[]> => {
      const res = await call(t, 'GET', '/v2/integrations/connections/resource-operations', { token: p.token });
      assert.equal(res.status, 200, res.text);
      return res.body.items;
    };
    const count = async (table: string): Promise<number> => {
      const rows = await t.database.withSession((q) => q(`SELECT count(*)::int AS n FROM ${table}`));
      return Number(rows[0]!.n);
    };

    before(async () => {
      t = await startTestApp(kind);
      a = await newPartner(t);
      b = await newPartner(t);
      ctx = { conn: await connect(a), foreign: await connect(b) };
    });
    after(async () => {
      await t?.close();
    });

    describe('each bad body is refused with its path and error_type', () => {
      for (const c of CASES) {
        test(c.name, async () => {
          const method = c.method ?? 'POST';
          const url = c.url ? c.url(ctx) : USERS;
          const res =
            c.raw !== undefined
              ? await call(t, method, url, { token: a.token, raw: c.raw, headers: c.headers })
              : await call(t, method, url, { token: a.token, json: c.body!(ctx), headers: c.headers });
          const label = `${method} ${url} [${c.name}]`;
          assert.equal(res.status, c.status, `${label}: ${res.text}`);
          assertEnvelope(res, label);
          assertProblems(res, c, label);
        });
      }
    });

    test('refused before anything is written: no operation, resource or idempotency key was stored', async () => {
      assert.deepEqual(await operationsOf(a), []);
      assert.deepEqual(await operationsOf(b), []);
      assert.equal(await count('resource_operations'), 0);
      assert.equal(await count('operation_logs'), 0);
      assert.equal(await count('resources'), 0);
      assert.equal(await count('idempotency_keys'), 0);
    });

    test('the minimal valid body (connection_id, first and last name, phone_country_code) is accepted: 202', async () => {
      const res = await call(t, 'POST', USERS, { token: a.token, json: valid(ctx) });
      assert.equal(res.status, 202, res.text);
      assert.equal(res.body.status, 'pending');
      assert.equal(res.body.resource, 'user');
      assert.equal(res.body.operation_type, 'create');
      assert.equal(res.body.connection_id, ctx.conn);
      assert.deepEqual(res.body.payload, valid(ctx));
      // The same body with any one of the table's null-able extras, at its valid extreme, is accepted too.
      const edge = await call(t, 'POST', USERS, {
        token: a.token,
        json: valid(ctx, { country_code: 'USA', license_country: 'CAN', license_expiration: '2024-02-29', status: 'ACTIVE', is_active: true, hos_tracking_mode: {} }),
      });
      assert.equal(edge.status, 202, edge.text);
      const ops = (await operationsOf(a)) as Array<{ id: string }>;
      assert.deepEqual(ops.map((o) => o.id).sort(), [res.body.id, edge.body.id].sort());
      assert.deepEqual(await operationsOf(b), []);
    });

    test('updates Motive cannot take, or sent with the wrong connection, are refused and store nothing', async () => {
      const created = await call(t, 'POST', `${USERS}?is_sync=true`, { token: a.token, json: valid(ctx) });
      assert.equal(created.status, 200, created.text);
      assert.equal(created.body.status, 'success', created.text);
      const userId = created.body.resource_id;
      const before = (await operationsOf(a)).length;
      const second = await connect(a);

      const cases: Array<{ body: Record<string, unknown>; problem: Problem }> = [
        { body: { connection_id: ctx.conn, first_name: null }, problem: motive('first_name', null) },
        { body: { connection_id: ctx.conn, last_name: '' }, problem: motive('last_name', '') },
        { body: { connection_id: ctx.conn, hos_ruleset_code: 'US_INT_PROP_70_8_NORST' }, problem: motive('hos_ruleset_code', 'US_INT_PROP_70_8_NORST') },
        { body: { connection_id: second, first_name: 'Grace' }, problem: { path: ['body', 'connection_id'], error_type: 'connection_mismatch', input: second } },
        { body: { connection_id: ctx.conn, license_expiration: '2024-02-30' }, problem: one('license_expiration', 'date', '2024-02-30')[0]! },
      ];
      for (const c of cases) {
        const res = await call(t, 'PATCH', `${USERS}/${userId}`, { token: a.token, json: c.body });
        const label = `PATCH ${JSON.stringify(c.body)}`;
        assert.equal(res.status, 422, `${label}: ${res.text}`);
        assertEnvelope(res, label);
        assertProblems(res, { name: label, status: 422, problems: [c.problem] }, label);
      }
      // Partner B cannot address A's user through its own connection either.
      const foreign = await call(t, 'PATCH', `${USERS}/${userId}`, { token: b.token, json: { connection_id: ctx.foreign, first_name: 'Eve' } });
      assert.equal(foreign.status, 404, foreign.text);
      assertEnvelope(foreign, 'foreign PATCH');

      assert.equal((await operationsOf(a)).length, before);
      assert.deepEqual(await operationsOf(b), []);
    });

    describe('unknown body fields are accepted, ignored and listed in the operation (as Catena ignores them)', () => {
      const cases: Array<{ name: string; extra: Record<string, unknown>; ignored: string[]; kept?: Record<string, unknown> }> = [
        { name: 'an unknown top-level field', extra: { colour: 'red' }, ignored: ['colour'] },
        { name: "two unknown fields, one a near-miss of a seed field ('email')", extra: { email: 'a@b.c', id: KNOWN_USER }, ignored: ['email', 'id'] },
        { name: 'an unknown key inside hos_tracking_mode', extra: { hos_tracking_mode: { mode: 'eld', hos_compliance_type: 'exempt' } }, ignored: ['hos_tracking_mode.mode'], kept: { hos_tracking_mode: { hos_compliance_type: 'exempt' } } },
        { name: 'an unknown field holding an object, a list, null', extra: { meta: { a: [1, { b: 2 }] }, tags: ['x'], nothing: null }, ignored: ['meta', 'nothing', 'tags'] },
        // The value of an ignored field is not stored, so PostgreSQL's limits do not apply to it.
        { name: 'an unknown field whose value holds U+0000', extra: { remark: 'a\u0000b' }, ignored: ['remark'] },
      ];
      for (const c of cases) {
        test(c.name, async () => {
          const body = valid(ctx, c.extra);
          const res = await call(t, 'POST', USERS, { token: a.token, json: body });
          assert.equal(res.status, 202, res.text);
          assert.deepEqual(res.body.ignored_fields, c.ignored);
          // Not in the payload, so never sent to the TSP; the known fields are.
          assert.deepEqual(res.body.payload, { ...valid(ctx), ...(c.kept ?? {}) });
          const read = await call(t, 'GET', `/v2/integrations/connections/${ctx.conn}/resource-operations/${res.body.id}`, { token: a.token });
          assert.equal(read.status, 200, read.text);
          assert.deepEqual(read.body.ignored_fields, c.ignored, 'stored, not only answered');
        });
      }

      test('typed fields stay strict beside ignored ones: a wrong type, an enum miss, a too-long Idempotency-Key', async () => {
        for (const [extra, at] of [
          [{ colour: 'red', first_name: 42 }, 'body.first_name'],
          [{ colour: 'red', status: 'active' }, 'body.status'],
          [{ colour: 'red', hos_tracking_mode: { foo: 1, hos_tracking_method: 'gps' } }, 'body.hos_tracking_mode.hos_tracking_method'],
        ] as const) {
          const res = await call(t, 'POST', USERS, { token: a.token, json: valid(ctx, extra) });
          assert.equal(res.status, 422, res.text);
          assert.deepEqual(res.body.detail.map((d: DetailItem) => d.path), [at]);
        }
      });

      test('a PATCH ignores and lists them too', async () => {
        const created = await call(t, 'POST', `${USERS}?is_sync=true`, { token: a.token, json: valid(ctx, { first_name: 'Patchable' }) });
        assert.equal(created.status, 200, created.text);
        const res = await call(t, 'PATCH', `${USERS}/${created.body.resource_id}?is_sync=true`, { token: a.token, json: { connection_id: ctx.conn, nickname: 'A', last_name: 'Byron' } });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.status, 'success', JSON.stringify(res.body.logs));
        assert.deepEqual(res.body.ignored_fields, ['nickname']);
        assert.deepEqual(res.body.payload, { connection_id: ctx.conn, last_name: 'Byron' });
      });

      test('Idempotency-Key: an ignored field is not part of the fingerprint (the same write replays; a changed known field is a 409)', async () => {
        const key = `ignored-${randomUUID()}`;
        const headers = { 'idempotency-key': key };
        const first = await call(t, 'POST', USERS, { token: a.token, headers, json: valid(ctx, { colour: 'red' }) });
        assert.equal(first.status, 202, first.text);
        const again = await call(t, 'POST', USERS, { token: a.token, headers, json: valid(ctx, { colour: 'blue', size: 'XL' }) });
        assert.equal(again.status, 202, again.text);
        assert.equal(again.headers['idempotent-replayed'], 'true');
        assert.equal(again.body.id, first.body.id);
        assert.deepEqual(again.body.ignored_fields, ['colour'], "the first request's operation, as it was stored");
        const other = await call(t, 'POST', USERS, { token: a.token, headers, json: valid(ctx, { colour: 'red', first_name: 'Grace' }) });
        assert.equal(other.status, 409, other.text);
      });
    });
  });
}
