// Catena's published OpenAPI documents (../shared/reference/catena/*.json beside the repository) and
// fleetgate's own, as the contract suites read them: loading (absent on a plain clone: the suites that
// need them skip, saying so), their operations matched by method and path template, and an Ajv
// (JSON Schema 2020-12 with formats) validator over any schema of either document.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export type Json = any; // `any`: OpenAPI documents and response bodies are read loosely, key by key

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where Catena's documents are: ../shared beside the repository (CATENA_REFERENCE_DIR overrides it, for a worktree elsewhere). */
export const CATENA_DIR = process.env.CATENA_REFERENCE_DIR ?? path.resolve(ROOT, '../shared/reference/catena');
export const CATENA_FILES = [
  'authentication.openapi.json',
  'integrations.openapi.json',
  'notifications.openapi.excerpt.json',
  'telematics.openapi.excerpt.json',
] as const;

export interface ApiDoc {
  /** Short name (the file name without .openapi[.excerpt].json, or "fleetgate"). */
  name: string;
  json: Json;
  /** The path of its first server URL (Catena's token endpoints live under /realms/catena). */
  prefix: string;
}

function prefixOf(json: Json): string {
  const url = json.servers?.[0]?.url;
  if (!url) return '';
  return new URL(url).pathname.replace(/\/$/, '');
}

export function apiDoc(name: string, json: Json): ApiDoc {
  return { name, json, prefix: prefixOf(json) };
}

const present = CATENA_FILES.every((f) => fs.existsSync(path.join(CATENA_DIR, f)));
/** The skip reason of a test that needs Catena's documents, or false when they are there. */
export const NEEDS_CATENA: string | false =
  !present && `needs Catena's OpenAPI documents in ${CATENA_DIR} (../shared beside the repository; absent on a plain clone)`;

export function loadCatenaDocs(): ApiDoc[] {
  return CATENA_FILES.map((f) => apiDoc(f.replace(/\.openapi(\.excerpt)?\.json$/, ''), JSON.parse(fs.readFileSync(path.join(CATENA_DIR, f), 'utf8'))));
}

export const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export interface Operation {
  doc: ApiDoc;
  method: string;
  /** The path as the document spells it (without the server prefix). */
  path: string;
  /** Server prefix + path: what a client requests. */
  fullPath: string;
  op: Json;
  /** Path-item parameters merged with the operation's. */
  parameters: Json[];
  /** An excerpt stub: the operation body was not transcribed (only what its x- fields say is known). */
  stub: boolean;
}

export const templateKey = (p: string): string => p.replace(/\{[^}]+\}/g, '{}');
export const pathParamNames = (p: string): string[] => [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
export const label = (o: Pick<Operation, 'method' | 'fullPath'>): string => `${o.method.toUpperCase()} ${o.fullPath}`;

export function operationsOf(doc: ApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [p, item] of Object.entries<Json>(doc.json.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const own: Json[] = op.parameters ?? [];
      const inherited: Json[] = (item.parameters ?? []).filter((ip: Json) => !own.some((o) => o.name === ip.name && o.in === ip.in));
      out.push({ doc, method, path: p, fullPath: doc.prefix + p, op, parameters: [...inherited, ...own], stub: 'x-excerpt' in op });
    }
  }
  return out;
}

/** fleetgate's operation for a Catena one (same method, same path template), if fleetgate serves it. */
export function matchOperation(index: Map<string, Operation>, o: Operation): Operation | undefined {
  return index.get(`${o.method} ${templateKey(o.fullPath)}`);
}

export function operationIndex(ops: Operation[]): Map<string, Operation> {
  return new Map(ops.map((o) => [`${o.method} ${templateKey(o.fullPath)}`, o]));
}

// ---------- Ajv over whole documents ----------

const { default: addFormats } = addFormatsModule as unknown as { default: (ajv: unknown) => void };

const pointerEscape = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

export interface SchemaRef {
  doc: ApiDoc;
  /** JSON pointer inside the document, e.g. /paths/~1v2~1x/get/responses/200/content/application~1json/schema */
  pointer: string;
}

/** The response schema an operation declares for a status (application/json), or undefined. */
export function responseSchemaRef(o: Operation, status: number | string): SchemaRef | undefined {
  const r = o.op.responses?.[String(status)];
  if (!r) return undefined;
  const content = r.content ?? {};
  const media = Object.keys(content).find((m) => m.startsWith('application/json'));
  if (!media || !content[media].schema) return undefined;
  return { doc: o.doc, pointer: `/paths/${pointerEscape(o.path)}/${o.method}/responses/${status}/content/${pointerEscape(media)}/schema` };
}

export class DocValidator {
  // @ts-expect-error ajv's CommonJS default export is the class
  private ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, validateSchema: false, logger: false });
  private cache = new Map<string, (data: unknown) => boolean>();

  constructor(docs: ApiDoc[]) {
    addFormats(this.ajv);
    // OpenAPI's own formats that JSON Schema does not define: annotations only.
    for (const f of ['password', 'int32', 'int64', 'float', 'double', 'binary', 'byte']) this.ajv.addFormat(f, true);
    for (const d of docs) this.ajv.addSchema({ ...d.json, $id: `doc:${d.name}` });
  }

  /** Ajv's complaints about `data` under the schema, one line each ('' when valid). */
  errors(ref: SchemaRef, data: unknown): string[] {
    const key = `doc:${ref.doc.name}#${ref.pointer}`;
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.getSchema(key) as (data: unknown) => boolean;
      if (!validate) throw new Error(`no schema at ${key}`);
      this.cache.set(key, validate);
    }
    if (validate(data)) return [];
    const errs = (validate as unknown as { errors: Array<{ instancePath: string; message?: string; params: Record<string, unknown> }> }).errors ?? [];
    // anyOf reports every branch, and a list each item: the distinct lines (items as *) say what is wrong.
    return [...new Set(errs.map((e) => `${e.instancePath.replace(/\/\d+(?=\/|$)/g, '/*') || '/'} ${e.message ?? ''}${e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params.allowedValues).slice(0, 120)}` : ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`))];
  }
}
