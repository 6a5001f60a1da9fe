// Issue 13's acceptance, part 1: fleetgate's OpenAPI document against Catena's four published documents
// (../shared/reference/catena/*.json), by one generic comparator (test/helpers/catena-compare.ts), not by
// hand-written checks per endpoint. For every Catena operation fleetgate serves (same method, same path
// template; Catena's path-parameter names must be used): the security scopes, every query and path
// parameter, the request body, every success status with its schema, every error status Catena declares
// with Catena's error shape. A failure lists every difference, one line each. The Catena operations
// fleetgate does not serve must be exactly NOT_SERVED (test/helpers/catena-tables.ts) (the README's "not drop-in" list), so an
// endpoint newly served, or dropped, changes this test.
//
// The comparator itself is tested first, on small documents, so that a comparison that finds nothing
// means there was nothing to find.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildOpenApiDocument } from '../src/main/openapi.ts';
import type { Allowance, Mismatch } from './helpers/catena-compare.ts';
import { compareDocuments, formatMismatches } from './helpers/catena-compare.ts';
import type { ApiDoc, Json } from './helpers/catena-docs.ts';
import { NEEDS_CATENA, apiDoc, loadCatenaDocs, operationsOf } from './helpers/catena-docs.ts';
import { ALLOWANCES, NEVER_ANSWERED, NOT_SERVED, STRICTER_BODIES } from './helpers/catena-tables.ts';

// ---------- the comparator, on small documents ----------

const doc = (name: string, paths: Json, schemas: Json = {}, servers?: Json): ApiDoc =>
  apiDoc(name, { openapi: '3.1.0', ...(servers && { servers }), paths, components: { schemas } });
const json = (schema: Json) => ({ content: { 'application/json': { schema } } });
const sec = (scopes: string[]) => [{ Bearer: scopes }];

const CATENA_ITEM = {
  type: 'object',
  required: ['id', 'status', 'fleet_id'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { $ref: '#/components/schemas/StatusEnum' },
    fleet_id: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] },
    note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
  },
};
const CATENA_BODY = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, kind: { anyOf: [{ $ref: '#/components/schemas/KindEnum' }, { type: 'null' }] } },
};
const catenaToy = () =>
  doc(
    'toy-catena',
    {
      '/things': {
        post: { security: sec(['thing:create']), requestBody: json({ $ref: '#/components/schemas/ThingCreate' }), responses: { 200: json({ $ref: '#/components/schemas/Thing' }), 422: json({ type: 'object', properties: { detail: { type: 'string' } } }) } },
      },
      '/things/{thing_id}': {
        get: { security: sec(['thing:read']), parameters: [{ name: 'thing_id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, { name: 'size', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 300 } }], responses: { 200: json({ $ref: '#/components/schemas/Thing' }) } },
      },
      '/unserved': { get: { responses: { 200: json({}) } } },
    },
    {
      Thing: CATENA_ITEM,
      ThingCreate: CATENA_BODY,
      StatusEnum: { type: 'string', enum: ['active', 'paused'] },
      KindEnum: { type: 'string', enum: ['a', 'b', 'c'] },
    },
    [{ url: 'https://api.example.com/base' }],
  );
// fleetgate's spelling: inline schemas, 3.1 type arrays, zod's uuid pattern; the same contract.
const fleetToy = (patch: (d: Json) => void = () => {}) => {
  const d = {
    openapi: '3.1.0',
    paths: {
      '/base/things': {
        post: {
          security: [{ bearerAuth: ['thing:create'] }],
          requestBody: json({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, kind: { anyOf: [{ type: 'string', enum: ['a', 'b', 'c', 'd'] }, { type: 'null' }] }, extra: { type: 'integer' } } }),
          responses: {
            200: json({ $ref: '#/components/schemas/Thing' }),
            422: json({ type: 'object', properties: { detail: { type: 'string' } }, required: ['detail'] }),
            503: json({ type: 'object' }),
          },
        },
      },
      '/base/things/{thing_id}': {
        get: {
          security: [{ bearerAuth: ['thing:read'] }],
          parameters: [
            { name: 'thing_id', in: 'path', required: true, schema: { type: 'string', format: 'uuid', pattern: '^[0-9a-f-]{36}$' } },
            { name: 'size', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 300 } },
          ],
          responses: { 200: json({ $ref: '#/components/schemas/Thing' }) },
        },
      },
    },
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['id', 'status', 'fleet_id', 'added'],
          properties: { id: { type: 'string', format: 'uuid' }, status: { type: 'string', enum: ['active'] }, fleet_id: { type: ['string', 'null'], format: 'uuid' }, note: { type: ['string', 'null'] }, added: { type: 'boolean' } },
        },
      },
    },
  };
  patch(d);
  return apiDoc('toy-fleetgate', d);
};
const toyDiff = (patch?: (d: Json) => void, allow: Allowance[] = []) => formatMismatches(compareDocuments([catenaToy()], fleetToy(patch), allow).mismatches);

describe('the document comparator (on small documents)', () => {
  test('the same contract in another spelling (inline, type arrays, an added field, a narrower enum in a response) has no difference', () => {
    assert.deepEqual(toyDiff(), []);
    const r = compareDocuments([catenaToy()], fleetToy(), []);
    assert.deepEqual([r.served, r.notServed], [['POST /base/things', 'GET /base/things/{thing_id}'], ['GET /base/unserved']]);
  });

  const cases: Array<[string, (d: Json) => void, RegExp]> = [
    ['a required response field missing', (d) => delete d.components.schemas.Thing.properties.fleet_id, /GET \/base\/things\/\{thing_id\}\] \| response 200 \.fleet_id: missing: Catena requires it/],
    ['a required response field optional', (d) => (d.components.schemas.Thing.required = ['id', 'status']), /response 200 \.fleet_id: optional in fleetgate; Catena requires it/],
    ['a response value outside Catena’s enum', (d) => d.components.schemas.Thing.properties.status.enum.push('stale'), /\.status: values not in Catena's StatusEnum: "stale"/],
    ['null where Catena has none', (d) => (d.components.schemas.Thing.properties.id.type = ['string', 'null']), /\.id: fleetgate may answer null/],
    ['a missing date/uuid format', (d) => delete d.components.schemas.Thing.properties.id.format, /\.id: format \(none\) where Catena has uuid/],
    ['a response type change', (d) => (d.components.schemas.Thing.properties.note.type = ['integer', 'null']), /\.note: type integer\|null where Catena has string\|null/],
    ['a request value refused', (d) => (d.paths['/base/things'].post.requestBody.content['application/json'].schema.properties.kind.anyOf[0].enum = ['a']), /request body application\/json \.kind: refuses Catena's KindEnum values: "b", "c"/],
    ['a request field required that Catena does not require', (d) => d.paths['/base/things'].post.requestBody.content['application/json'].schema.required.push('extra'), /\.extra: required by fleetgate; not a Catena field/],
    ['a Catena request field missing', (d) => delete d.paths['/base/things'].post.requestBody.content['application/json'].schema.properties.kind, /\.kind: not declared by fleetgate/],
    ['unknown request fields refused', (d) => (d.paths['/base/things'].post.requestBody.content['application/json'].schema.additionalProperties = false), /request body application\/json: fleetgate refuses unknown properties/],
    ['a null Catena sends refused', (d) => (d.paths['/base/things'].post.requestBody.content['application/json'].schema.properties.kind = { type: 'string', enum: ['a', 'b', 'c'] }), /\.kind: Catena sends null here/],
    ['another path-parameter name', (d) => {
      const item = d.paths['/base/things/{thing_id}'];
      item.get.parameters[0].name = 'id';
      d.paths['/base/things/{id}'] = item;
      delete d.paths['/base/things/{thing_id}'];
    }, /GET \/base\/things\/\{thing_id\} \| path parameter 1: \{id\} where Catena names it \{thing_id\}/],
    ['other scopes', (d) => (d.paths['/base/things'].post.security = [{ bearerAuth: [] }]), /POST \/base\/things \| security: scopes \[\] where Catena has \[thing:create\]/],
    ['201 for Catena’s 200', (d) => {
      const r = d.paths['/base/things'].post.responses;
      r[201] = r[200];
      delete r[200];
    }, /response 200: not declared by fleetgate[\s\S]*response 201: declared by fleetgate; Catena answers 200/],
    ['an error status Catena declares missing', (d) => delete d.paths['/base/things'].post.responses[422], /POST \/base\/things \| response 422: not declared by fleetgate/],
    ['an error shape other than Catena’s', (d) => (d.paths['/base/things'].post.responses[422].content['application/json'].schema.properties.detail = { type: 'array', items: {} }), /response 422 \.detail: type array where Catena has string/],
    ['a stricter query bound', (d) => (d.paths['/base/things/{thing_id}'].get.parameters[1].schema.maximum = 100), /query parameter size: maximum 100 is stricter than Catena's 1000/],
    ['another query default', (d) => (d.paths['/base/things/{thing_id}'].get.parameters[1].schema.default = 50), /query parameter size: default 50 where Catena's is 300/],
    ['a query parameter not declared', (d) => d.paths['/base/things/{thing_id}'].get.parameters.pop(), /query parameter size: not declared by fleetgate/],
  ];
  for (const [name, patch, expected] of cases) {
    test(`finds ${name}`, () => {
      const lines = toyDiff(patch);
      assert.match(lines.join('\n'), expected, lines.join('\n'));
    });
  }

  test('an allowance lets a request take fewer of an enumeration’s values, except those it keeps', () => {
    const narrow = (d: Json) => (d.paths['/base/things'].post.requestBody.content['application/json'].schema.properties.kind.anyOf[0].enum = ['a']);
    assert.deepEqual(toyDiff(narrow, [{ name: 'KindEnum', keep: ['a'], why: 'test' }]), []);
    assert.match(toyDiff(narrow, [{ name: 'KindEnum', keep: ['a', 'b'], why: 'test' }]).join('\n'), /refuses Catena's KindEnum values: "b"$/m);
  });

  test('one difference in several operations is one line naming them all', () => {
    const lines = toyDiff((d) => (d.components.schemas.Thing.properties.status.enum = ['x']));
    assert.deepEqual(lines, ['[2 operations: POST /base/things, GET /base/things/{thing_id}] | response 200 .status: values not in Catena\'s StatusEnum: "x"']);
  });
});

// ---------- Catena's documents against fleetgate's ----------

/** A difference one of the tables in catena-tables.ts explains. */
function excused(m: Mismatch): boolean {
  const status = /^response (\d{3})$/.exec(m.where)?.[1];
  if (status && m.what.startsWith('not declared by fleetgate')) return NEVER_ANSWERED.some((n) => n.ops.test(m.op) && n.statuses.includes(status));
  return STRICTER_BODIES.some((b) => b.ops.test(m.op) && b.where.test(m.where) && /refuses unknown properties/.test(m.what));
}

describe("fleetgate's OpenAPI document against Catena's", { skip: NEEDS_CATENA }, () => {
  let catena: ApiDoc[];
  let fleetgate: ApiDoc;
  const load = async () => {
    catena ??= loadCatenaDocs();
    fleetgate ??= apiDoc('fleetgate', await buildOpenApiDocument());
    return { catena, fleetgate };
  };

  test('every Catena operation fleetgate serves matches it: scopes, parameters, bodies, statuses, schemas', async () => {
    const { catena, fleetgate } = await load();
    const { mismatches: all, served } = compareDocuments(catena, fleetgate, ALLOWANCES);
    assert.ok(served.length >= 30, `only ${served.length} Catena operations matched: the path matching is broken`);
    const mismatches = all.filter((m) => !excused(m));
    const lines = formatMismatches(mismatches);
    assert.equal(lines.length, 0, `${mismatches.length} differences from Catena's documents (${lines.length} lines):\n${lines.join('\n')}`);
  });

  test('the Catena operations fleetgate does not serve are exactly NOT_SERVED', async () => {
    const { catena, fleetgate } = await load();
    const { notServed } = compareDocuments(catena, fleetgate, ALLOWANCES);
    const unexpected = notServed.filter((o) => !NOT_SERVED.includes(o)).map((o) => `not served, but not in NOT_SERVED: ${o}`);
    const served = NOT_SERVED.filter((o) => !notServed.includes(o)).map((o) => `in NOT_SERVED, but served (or no Catena operation): ${o}`);
    assert.deepEqual([...unexpected, ...served], []);
  });

  test('every allowance names a Catena enumeration or model that exists, and what it keeps is Catena’s', async () => {
    const { catena } = await load();
    const problems: string[] = [];
    for (const a of ALLOWANCES) {
      const components = catena.flatMap((d) => Object.entries<Json>(d.json.components?.schemas ?? {}));
      const hits = components.filter(([n]) => (typeof a.name === 'string' ? n === a.name : a.name.test(n)));
      if (!hits.length) problems.push(`${String(a.name)}: no such Catena component`);
      const values = new Set(hits.flatMap(([n, s]) => [n, ...(s.enum ?? [])]));
      const kept = typeof a.name === 'string' ? a.keep : a.keep.filter((k) => !components.some(([n]) => n === k));
      for (const k of kept) if (!values.has(k)) problems.push(`${String(a.name)}: keeps ${k}, which is not Catena's`);
      if (!a.why) problems.push(`${String(a.name)}: no reason`);
    }
    assert.deepEqual(problems, []);
  });

  test('the four documents are the ones this suite reads (every operation is found)', async () => {
    const { catena } = await load();
    assert.deepEqual(
      catena.map((d) => [d.name, operationsOf(d).length]),
      [['authentication', 2], ['integrations', 20], ['notifications', 12], ['telematics', 57]],
    );
  });
});
