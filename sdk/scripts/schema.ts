// The generated half of @fleetgate/client: openapi-typescript's types for the partner-facing part of
// fleetgate's OpenAPI document. A pure function of the routes and schemas (the document is built in
// process, as `fleetgate openapi` builds it), so the staleness test and `npm run sdk:generate` agree byte for byte.
import openapiTS, { COMMENT_HEADER, astToString } from 'openapi-typescript';
import type { OpenAPI3 } from 'openapi-typescript';
import { buildOpenApiDocument } from '../../src/main/openapi.ts';

/** Where the generated types live, relative to the repository root. */
export const GENERATED_PATH = 'sdk/src/openapi.gen.ts';

// The operator API (/admin/v1) is left out: it takes the deployment's admin token, not an OAuth client,
// and is driven by the `fleetgate` CLI and the console, never by a partner's code. The sandboxes
// (/sandbox/<tsp>) are not in the document at all: they speak each vendor's own API, and a partner
// reaches them through a `sandbox: true` connection, which the client types like any other.
const OPERATOR_ONLY = /^\/admin\//;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The document without the operator paths, and without the components only those paths used. */
export function partnerDocument(doc: Record<string, unknown>): Record<string, unknown> {
  const paths = Object.fromEntries(Object.entries(doc.paths as Record<string, Json>).filter(([p]) => !OPERATOR_ONLY.test(p)));
  const components = (doc.components ?? {}) as Record<string, Record<string, Json>>;
  const schemas = components.schemas ?? {};
  const used = new Set<string>();
  const usedSchemes = new Set<string>();
  const walk = (node: Json): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      const name = ref.slice('#/components/schemas/'.length);
      if (!used.has(name)) {
        used.add(name);
        walk(schemas[name] ?? null);
      }
    }
    if (Array.isArray(node.security)) for (const req of node.security) for (const k of Object.keys(req as object)) usedSchemes.add(k);
    for (const v of Object.values(node)) walk(v);
  };
  walk(paths as Json);
  const pick = (all: Record<string, Json> | undefined, keep: Set<string>) =>
    Object.fromEntries(Object.entries(all ?? {}).filter(([k]) => keep.has(k)));
  return {
    ...doc,
    paths,
    components: { ...components, schemas: pick(schemas, used), securitySchemes: pick(components.securitySchemes, usedSchemes) },
  };
}

/** The text of sdk/src/openapi.gen.ts for the current routes and schemas. */
export async function generateClientTypes(): Promise<string> {
  return clientTypesOf(await buildOpenApiDocument());
}

/** The text of sdk/src/openapi.gen.ts for one (whole) OpenAPI document. */
export async function clientTypesOf(fullDocument: Record<string, unknown>): Promise<string> {
  const doc = partnerDocument(fullDocument);
  const ast = await openapiTS(doc as unknown as OpenAPI3, {
    // Keys sorted: a route added by another change lands in its place, not at the end, so the lead's
    // regeneration after a merge gives the same file whatever order the routes were registered in.
    alphabetize: true,
    // Trust each schema's `required`: zod lists a defaulted field as required in answers and optional
    // in requests, which openapi-typescript's default (every defaulted field required) would undo.
    defaultNonNullable: false,
    silent: true,
  });
  const header = `${COMMENT_HEADER}// Regenerate with \`npm run sdk:generate\`; test/sdk-generated.test.ts fails while this file is stale.\n\n`;
  return header + astToString(ast);
}
