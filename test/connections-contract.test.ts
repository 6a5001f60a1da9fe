// The connection and catalogue contract against Catena's integrations document (no database): the
// enumerations copied once and counted, each TSP's masked credentials in one of Catena's output models,
// and Catena's one status per resource from fleetgate's per-operation support.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConnectionRead, SETTABLE_CONNECTION_STATUSES, connectionContract } from '../src/contract/connections.ts';
import { CREDENTIAL_READ_MODELS, ConnectionCredentialsRead } from '../src/contract/credentials-read.ts';
import { CONNECTION_STATUSES, INTEGRATION_STATUSES, RESOURCES, TSP_SOURCE_NAMES } from '../src/contract/enums.ts';
import { TspIntegrationsRead } from '../src/contract/tsps.ts';
import { integrationStatus, viewTsp } from '../src/http/routes/tsps.ts';
import { ADAPTERS } from '../src/tsps/registry.ts';

type Schema = Record<string, any>; // `any`: JSON Schema read from Catena's document
// ../shared beside the repository; CATENA_REFERENCE_DIR overrides it (a worktree elsewhere), as test/helpers/catena-docs.ts reads it.
const DOC_PATH = path.join(process.env.CATENA_REFERENCE_DIR ?? fileURLToPath(new URL('../../shared/reference/catena', import.meta.url)), 'integrations.openapi.json');
const DOC = fs.existsSync(DOC_PATH) ? (JSON.parse(fs.readFileSync(DOC_PATH, 'utf8')) as { components: { schemas: Record<string, Schema> } }) : undefined;
const NEEDS_DOC = DOC === undefined && `needs Catena's document at ${DOC_PATH} (../shared beside the repository; absent on a plain clone)`;
const catena = (name: string): Schema => DOC!.components.schemas[name]!;

const ENUMS: Array<{ what: string; constant: readonly string[]; count: number; schemas: Array<[string, z.ZodType]> }> = [
  { what: 'ConnectionStatusEnum', constant: CONNECTION_STATUSES, count: 6, schemas: [['ConnectionRead.status', ConnectionRead.shape.status]] },
  { what: 'IntegrationStatusEnum', constant: INTEGRATION_STATUSES, count: 3, schemas: [['TspIntegrationsRead.integrations values', TspIntegrationsRead.shape.integrations.valueType]] },
  { what: 'ResourceEnum', constant: RESOURCES, count: 31, schemas: [['TspIntegrationsRead.integrations keys', TspIntegrationsRead.shape.integrations.keyType]] },
  { what: 'TspEnum', constant: TSP_SOURCE_NAMES, count: 166, schemas: [['ConnectionRead.source_name', ConnectionRead.shape.source_name]] },
];

const optionsOf = (schema: z.ZodType): string[] => {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Schema;
  // A registered component (TspEnum) comes back as a $ref into $defs.
  const target = json.$ref ? (json.$defs as Record<string, Schema>)[String(json.$ref).split('/').pop()!]! : json;
  const e = target.enum ?? target.anyOf?.find((b: Schema) => b.enum)?.enum;
  assert.ok(Array.isArray(e), `no enum in ${JSON.stringify(json).slice(0, 200)}`);
  return e as string[];
};

describe("Catena's connection and catalogue enumerations are copied once, with their counts", () => {
  for (const e of ENUMS) {
    test(`${e.what}: ${e.count} values, the constant and the schemas that use it`, () => {
      assert.equal(e.constant.length, e.count);
      assert.equal(new Set(e.constant).size, e.count, `a value of ${e.what} repeats`);
      for (const [where, schema] of e.schemas) assert.deepEqual(optionsOf(schema), [...e.constant], where);
    });
    test(`${e.what}: Catena's document lists exactly these, in its order`, { skip: NEEDS_DOC }, () => {
      assert.deepEqual([...e.constant], catena(e.what).enum);
    });
  }

  test("every TSP fleetgate writes to is a Catena source_name, with a tsp_id of its own", () => {
    const adapters = Object.values(ADAPTERS);
    for (const a of adapters) assert.ok((TSP_SOURCE_NAMES as readonly string[]).includes(a.tsp), a.tsp);
    assert.equal(new Set(adapters.map((a) => a.tspId)).size, adapters.length);
    for (const a of adapters) assert.match(a.tspId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  test('a PATCH may set active or paused, the statuses fleetgate sets itself besides failed and deleted', () => {
    assert.deepEqual([...SETTABLE_CONNECTION_STATUSES], ['active', 'paused']);
    for (const s of SETTABLE_CONNECTION_STATUSES) assert.ok((CONNECTION_STATUSES as readonly string[]).includes(s));
    const { UpdateConnectionBody } = connectionContract(ADAPTERS);
    for (const s of CONNECTION_STATUSES) {
      const parsed = UpdateConnectionBody.safeParse({ status: s });
      assert.equal(parsed.success, s === 'active' || s === 'paused', s);
      if (!parsed.success) assert.match(parsed.error.issues[0]!.message, /cancelled and stale are statuses of Catena that fleetgate never sets/);
    }
  });
});

describe("the masked credentials are one of Catena's output models", () => {
  // Every form a descriptor accepts: each alternative of an exactly-one rule with the other fields.
  for (const a of Object.values(ADAPTERS)) {
    const { fields, exactlyOneOf = [] } = a.descriptor.credentials;
    const always = fields.filter((f) => !exactlyOneOf.includes(f.name)).map((f) => f.name);
    const forms = exactlyOneOf.length ? exactlyOneOf.map((one) => [...always, one]) : [always];
    // Further accepted shapes a descriptor may declare (Catena's typed models): each with all its fields.
    const models = (a.descriptor.credentials as { models?: ReadonlyArray<{ fields: ReadonlyArray<{ name: string; secret: boolean }> }> }).models ?? [];
    for (const m of models) forms.push(m.fields.map((f) => f.name));
    const secrets = new Set([...fields, ...models.flatMap((m) => m.fields)].filter((f) => f.secret).map((f) => f.name));
    for (const form of forms) {
      test(`${a.displayName} {${form.join(', ')}}`, () => {
        const sent = Object.fromEntries(form.map((name) => [name, `value-of-${name}-0123456789`]));
        const parsed = a.credentialsSchema.parse(sent);
        const masked = a.maskCredentials(parsed);
        const read = ConnectionCredentialsRead.safeParse(masked);
        assert.ok(read.success, `${JSON.stringify(masked)} fits no model: ${read.error?.message}`);
        assert.deepEqual(read.data, masked, 'a model dropped or changed a field');
        for (const name of form.filter((n) => secrets.has(n) && masked[n] !== undefined)) assert.doesNotMatch(masked[name]!, /value-of/, `${name} shown`);
      });
    }
  }

  test("each output model requires what Catena's requires", { skip: NEEDS_DOC }, () => {
    for (const [name, model] of Object.entries(CREDENTIAL_READ_MODELS)) {
      const json = z.toJSONSchema(model, { io: 'output' }) as Schema;
      const ours = (json.$defs?.[name] ?? json) as Schema;
      assert.deepEqual([...ours.required].sort(), [...catena(name).required].sort(), name);
      assert.deepEqual(Object.keys(ours.properties).sort(), Object.keys(catena(name).properties).sort(), name);
    }
  });
});

describe("the catalogue's one status per resource", () => {
  test('implemented when fleetgate writes it, not_supported when the TSP can take none of the writes, else not_implemented', () => {
    assert.equal(integrationStatus({ create: 'implemented', update: 'not_supported' }), 'implemented');
    assert.equal(integrationStatus({ create: 'not_supported', update: 'implemented' }), 'implemented');
    assert.equal(integrationStatus({ create: 'not_supported' }), 'not_supported');
    assert.equal(integrationStatus({ create: 'not_supported', update: 'not_implemented' }), 'not_implemented');
    assert.equal(integrationStatus({}), 'not_implemented');
    assert.equal(integrationStatus(undefined), 'not_implemented', 'a resource fleetgate does not write');
  });

  test('every item: 31 resources, the counts add up, and the schema reads it back unchanged', () => {
    for (const a of Object.values(ADAPTERS)) {
      const v = viewTsp(a);
      assert.deepEqual(Object.keys(v.integrations), [...RESOURCES]);
      const count = (s: string) => Object.values(v.integrations).filter((x) => x === s).length;
      assert.equal(v.implemented_count, count('implemented'));
      assert.equal(v.not_implemented_count, count('not_implemented'));
      assert.equal(v.not_supported_count, count('not_supported'));
      assert.equal(v.implemented_count + v.not_implemented_count + v.not_supported_count, 31);
      assert.deepEqual(TspIntegrationsRead.parse(v), v);
    }
    assert.equal(viewTsp(ADAPTERS.motive!).integrations.dvir_log, 'not_supported', "Motive's API has no DVIR write");
    assert.equal(viewTsp(ADAPTERS.geotab!).integrations.dvir_log, 'implemented');
    assert.equal(viewTsp(ADAPTERS.motive!).integrations.hos_event, 'not_implemented', 'fleetgate writes no HOS event');
  });
});
