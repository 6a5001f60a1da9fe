// The contract, re-read from the seed (shared/seeds/catena-create-user.txt, the original Catena v2
// "Create User" page): every enumeration, body field, pattern and response field that the seed lists
// must be exactly what src/contract declares — in the constants AND in the zod schemas that validate
// requests. No database.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  HOS_COMPLIANCE_TYPES,
  HOS_RULESET_CODES,
  HOS_TRACKING_METHODS,
  OPERATION_STATUSES,
  OPERATION_TYPES,
  RESOURCES,
  TIME_ZONES,
  USER_STATUSES,
} from '../src/contract/enums.ts';
import { ResourceOperation, ResourceOperationLog } from '../src/contract/common/operations.ts';
import { CreateUserBody, HosTrackingMode, UpdateUserBody, USER_ATTRIBUTE_NAMES } from '../src/contract/resources/users.ts';

// ---------- reading the seed ----------

// The repo is …/main and the seeds live in its sibling …/shared (locally and in CI alike).
const SEED_URL = new URL('../../shared/seeds/catena-create-user.txt', import.meta.url);
const SEED_PATH = fileURLToPath(SEED_URL);
// A plain clone has no ../shared: the tests that read the seed then skip, saying so; the counts and
// the schema checks that need no seed still run.
const SEED_TEXT = fs.existsSync(SEED_PATH) ? fs.readFileSync(SEED_PATH, 'utf8') : undefined;
const NEEDS_SEED = SEED_TEXT === undefined && `needs the Catena seed at ${SEED_PATH} (../shared beside the repository; absent on a plain clone)`;
const seedLines = (SEED_TEXT ?? '').split(/\r?\n/).map((l) => l.trimEnd());

// A field's type line as the page prints it: `string | null`, `string<uuid>`, `enum<string> | null`,
// `string<date-time>`, `HosTrackingMode · object`, `ResourceOperationLog · object[]`.
const TYPE_LINE = /^(?:(?:string|boolean|integer|number|enum<string>|string<[\w-]+>)(?: \| null)?|[\w ]+ · object(?:\[\])?)$/;

interface SeedField {
  name: string;
  type: string;
  required: boolean;
  options?: string[];
  pattern?: string;
}

function sectionBounds(start: string, end: string | null): [number, number] {
  const from = seedLines.indexOf(start);
  assert.ok(from >= 0, `seed has no "${start}" line`);
  const to = end === null ? seedLines.length : seedLines.indexOf(end, from + 1);
  assert.ok(to > from, `seed has no "${end}" line after "${start}"`);
  return [from + 1, to];
}

/** Every field of a section: a name line followed by a type line, with its options and pattern. */
function parseFields(from: number, to: number): SeedField[] {
  const fields: SeedField[] = [];
  for (let i = from; i < to; i++) {
    const line = seedLines[i]!;
    if (/^[a-z][a-z0-9_]*$/.test(line) && TYPE_LINE.test(seedLines[i + 1] ?? '')) {
      fields.push({ name: line, type: seedLines[i + 1]!, required: seedLines[i + 2] === 'required' });
      i++;
      continue;
    }
    const current = fields.at(-1);
    if (line === 'Available options:') {
      assert.ok(current, `options at seed line ${i + 1} before any field`);
      assert.equal(current.options, undefined, `${current.name} has two option lists`);
      // One value a line, each but the last followed by a comma.
      const options: string[] = [];
      for (let j = i + 1; j < to; j++) {
        const item = seedLines[j]!.trim();
        options.push(item.replace(/,$/, ''));
        if (!item.endsWith(',')) {
          i = j;
          break;
        }
      }
      current.options = options;
      continue;
    }
    const pattern = /^Pattern: (.+)$/.exec(line);
    if (pattern) {
      assert.ok(current, `pattern at seed line ${i + 1} before any field`);
      current.pattern = pattern[1];
    }
  }
  return fields;
}

const body = SEED_TEXT === undefined ? [] : parseFields(...sectionBounds('Body', 'Response'));
const response = SEED_TEXT === undefined ? [] : parseFields(...sectionBounds('Response', null));
const bodyField = (name: string): SeedField => {
  const f = body.find((x) => x.name === name);
  assert.ok(f, `seed Body has no field ${name}`);
  return f;
};
const responseField = (name: string): SeedField => {
  const f = response.find((x) => x.name === name);
  assert.ok(f, `seed Response has no field ${name}`);
  return f;
};

/** The seed's example response: the JSON object whose first member is "partner_id". */
function exampleResponse(): Record<string, unknown> {
  const start = seedLines.findIndex((l, i) => l === '{' && /^\s*"partner_id":/.test(seedLines[i + 1] ?? ''));
  assert.ok(start >= 0, 'seed has no example response');
  const end = seedLines.indexOf('}', start + 1);
  assert.ok(end > start, 'example response is not closed');
  return JSON.parse(seedLines.slice(start, end + 1).join('\n')) as Record<string, unknown>;
}

// ---------- reading the schemas ----------

/** The options of an enum schema, through any optional/nullable wrappers. */
function enumOptions(schema: z.ZodType): readonly string[] {
  let s: z.ZodType = schema;
  for (let depth = 0; depth < 10 && (s instanceof z.ZodOptional || s instanceof z.ZodNullable); depth++) {
    s = s.unwrap() as z.ZodType;
  }
  assert.ok(s instanceof z.ZodEnum, `not an enum schema: ${s.def.type}`);
  return s.options as readonly string[];
}

const UUID = '3c90c3cc-0d44-4b50-8888-8dd25736052a';

// ---------- the enumerations ----------

/** Values the seed lists that Catena's published documents (shared/reference/catena, which win) do not. */
interface SeedOnly {
  values: string[];
  why: string;
}
const ENUMS: Array<{ what: string; seed: () => SeedField; constant: readonly string[]; count: number; seedOnly?: SeedOnly; schemas: Array<[string, z.ZodType]> }> = [
  {
    what: 'hos_ruleset_code',
    seed: () => bodyField('hos_ruleset_code'),
    constant: HOS_RULESET_CODES,
    count: 134,
    schemas: [
      ['CreateUserBody.hos_ruleset_code', CreateUserBody.shape.hos_ruleset_code],
      ['UpdateUserBody.hos_ruleset_code', UpdateUserBody.shape.hos_ruleset_code],
    ],
  },
  {
    what: 'default_time_zone',
    seed: () => bodyField('default_time_zone'),
    constant: TIME_ZONES,
    count: 169,
    schemas: [
      ['CreateUserBody.default_time_zone', CreateUserBody.shape.default_time_zone],
      ['UpdateUserBody.default_time_zone', UpdateUserBody.shape.default_time_zone],
    ],
  },
  {
    what: 'status (user)',
    seed: () => bodyField('status'),
    constant: USER_STATUSES,
    count: 2,
    schemas: [
      ['CreateUserBody.status', CreateUserBody.shape.status],
      ['UpdateUserBody.status', UpdateUserBody.shape.status],
    ],
  },
  {
    what: 'hos_compliance_type',
    seed: () => bodyField('hos_compliance_type'),
    constant: HOS_COMPLIANCE_TYPES,
    count: 2,
    schemas: [
      ['CreateUserBody.hos_compliance_type', CreateUserBody.shape.hos_compliance_type],
      ['UpdateUserBody.hos_compliance_type', UpdateUserBody.shape.hos_compliance_type],
      ['HosTrackingMode.hos_compliance_type', HosTrackingMode.shape.hos_compliance_type],
    ],
  },
  {
    what: 'hos_tracking_method',
    seed: () => bodyField('hos_tracking_method'),
    constant: HOS_TRACKING_METHODS,
    count: 2,
    schemas: [
      ['CreateUserBody.hos_tracking_method', CreateUserBody.shape.hos_tracking_method],
      ['UpdateUserBody.hos_tracking_method', UpdateUserBody.shape.hos_tracking_method],
      ['HosTrackingMode.hos_tracking_method', HosTrackingMode.shape.hos_tracking_method],
    ],
  },
  {
    what: 'resource',
    seed: () => responseField('resource'),
    constant: RESOURCES,
    count: 31,
    seedOnly: { values: ['fleet_info'], why: "Catena's published ResourceEnum (telematics and integrations documents, 31 values) has no fleet_info" },
    schemas: [['ResourceOperation.resource', ResourceOperation.shape.resource]],
  },
  {
    what: 'operation_type',
    seed: () => responseField('operation_type'),
    constant: OPERATION_TYPES,
    count: 2,
    schemas: [['ResourceOperation.operation_type', ResourceOperation.shape.operation_type]],
  },
  {
    what: 'status (operation)',
    seed: () => responseField('status'),
    constant: OPERATION_STATUSES,
    count: 3,
    schemas: [['ResourceOperation.status', ResourceOperation.shape.status]],
  },
];

describe('enumerations are copied once, with their counts', () => {
  for (const e of ENUMS) {
    test(`${e.what}: ${e.count} values in the constant and in every schema that uses it`, () => {
      assert.equal(e.constant.length, e.count);
      assert.equal(new Set(e.constant).size, e.count, `a value of ${e.what} repeats`);
      for (const [name, schema] of e.schemas) assert.deepEqual([...enumOptions(schema)], [...e.constant], `${name} drifted from the constant`);
    });
  }
});

describe('enumerations match the seed value for value, in order', { skip: NEEDS_SEED }, () => {
  for (const e of ENUMS) {
    test(`${e.what}: the seed's ${e.count} options are the constant and the schema options`, () => {
      const listed = e.seed().options;
      assert.ok(listed, `seed lists no options for ${e.what}`);
      for (const v of e.seedOnly?.values ?? []) assert.ok(listed.includes(v), `${v} is no longer in the seed: drop it from seedOnly`);
      const options = listed.filter((o) => !e.seedOnly?.values.includes(o));
      assert.equal(options.length, e.count, `seed option count for ${e.what}`);
      assert.equal(new Set(options).size, options.length, `seed repeats an option of ${e.what}`);
      for (const o of options) assert.match(o, /^[\w/+-]+$/, `odd option ${JSON.stringify(o)} parsed for ${e.what}`);
      assert.deepEqual([...e.constant], options, `src/contract/enums.ts drifted from the seed for ${e.what}`);
      for (const [name, schema] of e.schemas) {
        assert.deepEqual([...enumOptions(schema)], options, `${name} drifted from the seed`);
      }
    });
  }

  test('enum fields of the seed body are exactly the enum fields of the schema', () => {
    const seedEnums = body.filter((f) => f.type.startsWith('enum<')).map((f) => f.name).sort();
    assert.deepEqual(seedEnums, ['default_time_zone', 'hos_compliance_type', 'hos_ruleset_code', 'hos_tracking_method', 'status']);
    for (const f of body) {
      if (!f.type.startsWith('enum<')) assert.equal(f.options, undefined, `${f.name} has options but no enum type`);
    }
  });
});

// ---------- the body fields ----------

describe('body fields match the seed', { skip: NEEDS_SEED }, () => {
  test('the seed body lists the same field names as CreateUserBody and UpdateUserBody', () => {
    const names = body.map((f) => f.name);
    assert.equal(new Set(names).size, names.length, 'a body field is listed twice in the seed');
    assert.equal(names.length, 28, `parsed ${names.length} body fields from the seed: ${names.join(', ')}`);
    assert.deepEqual(new Set(names), new Set(Object.keys(CreateUserBody.shape)));
    assert.deepEqual(new Set(names), new Set(Object.keys(UpdateUserBody.shape)));
    assert.deepEqual(new Set(USER_ATTRIBUTE_NAMES), new Set(names.filter((n) => n !== 'connection_id')));
  });

  test('only connection_id is required; it is a UUID', () => {
    assert.deepEqual(body.filter((f) => f.required).map((f) => f.name), ['connection_id']);
    assert.equal(bodyField('connection_id').type, 'string<uuid>');
    assert.equal(CreateUserBody.safeParse({}).success, false);
    assert.equal(CreateUserBody.safeParse({ connection_id: 'not-a-uuid' }).success, false);
    assert.equal(CreateUserBody.safeParse({ connection_id: UUID }).success, true);
  });

  test("each seed field's type is what the schema accepts and refuses", () => {
    const samples: Record<string, { ok: unknown[]; bad: unknown[] }> = {
      'string | null': { ok: ['x', null], bad: [1, true, {}] },
      'boolean | null': { ok: [true, false, null], bad: ['true', 1, {}] },
      'string<date> | null': { ok: ['2024-02-29', null], bad: ['2023-02-29', '12/31/2025', 20250101] },
      'enum<string> | null': { ok: [null], bad: ['NOT_AN_OPTION', 1, {}] },
      'HosTrackingMode · object': { ok: [{}, { hos_compliance_type: 'exempt' }], bad: ['exempt', [], 1] },
      'string<uuid>': { ok: [UUID], bad: ['nope', 1, null] },
    };
    for (const f of body) {
      const sample = samples[f.type];
      assert.ok(sample, `no samples for seed type ${JSON.stringify(f.type)} (${f.name})`);
      const ok = [...sample.ok, ...(f.options ? [f.options[0], f.options.at(-1)] : [])];
      if (f.pattern === '^\\w{3}$') ok.splice(0, 1, 'USA');
      for (const value of ok) {
        const r = CreateUserBody.safeParse({ connection_id: UUID, [f.name]: value });
        assert.ok(r.success, `${f.name} (${f.type}) should accept ${JSON.stringify(value)}: ${r.error?.message}`);
      }
      for (const value of sample.bad) {
        const probe = f.name === 'connection_id' ? { connection_id: value } : { connection_id: UUID, [f.name]: value };
        const r = CreateUserBody.safeParse(probe);
        assert.equal(r.success, false, `${f.name} (${f.type}) should refuse ${JSON.stringify(value)}`);
        assert.deepEqual(r.error!.issues.map((i) => i.path.join('.')), [f.name]);
      }
    }
  });

  test('unknown fields are ignored (dropped), at the top level and inside hos_tracking_mode, as Catena ignores them', () => {
    assert.deepEqual(CreateUserBody.parse({ connection_id: UUID, colour: 'red' }), { connection_id: UUID });
    assert.deepEqual(UpdateUserBody.parse({ connection_id: UUID, colour: 'red' }), { connection_id: UUID });
    assert.deepEqual(CreateUserBody.parse({ connection_id: UUID, hos_tracking_mode: { mode: 'x' } }), { connection_id: UUID, hos_tracking_mode: {} });
    // Beside them, a known field is as strict as ever.
    assert.equal(CreateUserBody.safeParse({ connection_id: UUID, colour: 'red', status: 'active' }).success, false);
  });
});

// ---------- patterns ----------

describe('patterns match the seed', { skip: NEEDS_SEED }, () => {
  test('the seed gives ^\\w{3}$ to country_code and license_country only', () => {
    const patterned = body.filter((f) => f.pattern !== undefined);
    assert.deepEqual(patterned.map((f) => f.name).sort(), ['country_code', 'license_country']);
    for (const f of patterned) assert.equal(f.pattern, '^\\w{3}$');
  });

  for (const field of ['country_code', 'license_country'] as const) {
    test(`${field}: 'USA' is accepted; 'US', 'USAA', '' and 'US-' are refused`, () => {
      const schema = CreateUserBody.shape[field];
      assert.equal(schema.safeParse('USA').success, true);
      assert.equal(schema.safeParse('CAN').success, true);
      assert.equal(schema.safeParse(null).success, true);
      for (const bad of ['US', 'USAA', '', 'US-']) {
        assert.equal(schema.safeParse(bad).success, false, `${field} accepted ${JSON.stringify(bad)}`);
        const r = CreateUserBody.safeParse({ connection_id: UUID, [field]: bad });
        assert.equal(r.success, false);
        assert.deepEqual(r.error!.issues[0]!.path, [field]);
        assert.equal(r.error!.issues[0]!.code, 'invalid_format');
      }
    });
  }
});

// ---------- the response ----------

describe('the resource operation matches the seed response', { skip: NEEDS_SEED }, () => {
  test('every response field of the seed is a key of ResourceOperation', () => {
    const names = response.map((f) => f.name);
    assert.deepEqual(names, [
      'partner_id',
      'connection_id',
      'resource',
      'operation_type',
      'payload',
      'id',
      'created_at',
      'updated_at',
      'deleted_at',
      'resource_id',
      'source_id',
      'status',
      'logs',
    ]);
    const keys = new Set(Object.keys(ResourceOperation.shape));
    for (const n of names) assert.ok(keys.has(n), `ResourceOperation has no ${n}`);
    assert.deepEqual(
      response.filter((f) => f.required).map((f) => f.name),
      ['partner_id', 'connection_id', 'resource', 'operation_type', 'payload'],
    );
  });

  test("the seed's example response and its log entry use only ResourceOperation / ResourceOperationLog keys", () => {
    const example = exampleResponse();
    const opKeys = new Set(Object.keys(ResourceOperation.shape));
    for (const k of Object.keys(example)) assert.ok(opKeys.has(k), `ResourceOperation has no ${k}`);
    const logs = example.logs as Array<Record<string, unknown>>;
    assert.ok(Array.isArray(logs) && logs.length > 0, 'example has no log entry');
    const logKeys = new Set(Object.keys(ResourceOperationLog.shape));
    const exampleLogKeys = Object.keys(logs[0]!);
    assert.deepEqual(exampleLogKeys.sort(), [
      'created_at',
      'error_details',
      'id',
      'resource_operation_id',
      'response_headers',
      'response_status_code',
      'updated_at',
    ]);
    for (const k of exampleLogKeys) assert.ok(logKeys.has(k), `ResourceOperationLog has no ${k}`);
  });
});
