// The generated half of @fleetgate/client (sdk/src/openapi.gen.ts) is what `npm run sdk:generate`
// writes for the routes as they are now: a change to the API without regenerating fails here (and in CI).
// The file covers the partner-facing paths, all of them, and only them; and it depends on what the
// routes are, not on the order they were registered in, so regenerating after a merge is reproducible.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../src/main/openapi.ts';
import { GENERATED_PATH, clientTypesOf, partnerDocument } from '../sdk/scripts/schema.ts';

type Doc = { paths: Record<string, Record<string, unknown>>; components: Record<string, Record<string, unknown>> };

const reversed = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).reverse());
const refsIn = (node: unknown): string[] => [...JSON.stringify(node).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);

describe('sdk: generated client types', () => {
  let doc: Doc;
  let generated: string;
  before(async () => {
    doc = (await buildOpenApiDocument()) as unknown as Doc;
    generated = await clientTypesOf(doc);
  });

  test('the committed file is what `npm run sdk:generate` writes for the current routes', () => {
    const committed = readFileSync(fileURLToPath(new URL(`../${GENERATED_PATH}`, import.meta.url)), 'utf8');
    assert.ok(committed === generated, `${GENERATED_PATH} is stale against the OpenAPI document: run \`npm run sdk:generate\` and commit it`);
  });

  test('every partner path is typed, and no operator path', () => {
    const partnerPaths = Object.keys(doc.paths).filter((p) => !p.startsWith('/admin/'));
    assert.ok(partnerPaths.includes('/v2/telematics/users') && partnerPaths.includes('/oauth/token'));
    const typed = [...generated.matchAll(/^ {4}"(\/[^"]*)": \{$/gm)].map((m) => m[1]!);
    assert.deepEqual([...typed].sort(), [...partnerPaths].sort());
    assert.ok(Object.keys(doc.paths).some((p) => p.startsWith('/admin/')), 'the document has an operator API to leave out');
  });

  test("the partner document keeps every schema its paths reach and drops the operator API's own", () => {
    const partner = partnerDocument(doc as unknown as Record<string, unknown>) as unknown as Doc;
    const schemas = partner.components.schemas!;
    // Closed under $ref: nothing the kept paths name is missing.
    for (const name of refsIn([partner.paths, schemas])) assert.ok(name in schemas, `dangling $ref ${name}`);
    // Partner and NewClient are answered by /admin only; ResourceOperation by the partner API.
    assert.ok(!('Partner' in schemas) && !('NewClient' in schemas) && 'ResourceOperation' in schemas);
    assert.ok(!('adminToken' in partner.components.securitySchemes!) && 'Bearer' in partner.components.securitySchemes!);
  });

  test('the file does not depend on the order routes or schemas were registered in', async () => {
    const shuffled = {
      ...doc,
      paths: reversed(doc.paths),
      components: { ...doc.components, schemas: reversed(doc.components.schemas!) },
    };
    assert.ok((await clientTypesOf(shuffled)) === generated, 'registration order leaked into the generated file');
  });
});
