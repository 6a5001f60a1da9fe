// A scripted run against a live fleetgate that checks each answer against Catena's documents and
// fleetgate's own (GET /openapi.json), and collects every failure instead of stopping at the first, so
// one run shows everything. For each call:
//   - the operation is found in Catena's documents by method and path template (the most literal match);
//   - the status must be the one the script expects, and one Catena declares for that operation;
//   - the body is validated by Ajv against (a) Catena's schema for that operation and status, when Catena's
//     document has one (an excerpt's write stub: its stated pattern, ResourceOperation for 200/202/502),
//     and (b) always, fleetgate's own document's schema for it.
import type { CallResult, TestApp } from './app.ts';
import { call } from './app.ts';
import type { ApiDoc, Json, Operation, SchemaRef } from './catena-docs.ts';
import { DocValidator, label, operationsOf, responseSchemaRef } from './catena-docs.ts';

interface Compiled {
  o: Operation;
  re: RegExp;
  params: number;
}

function compile(ops: Operation[]): Compiled[] {
  return ops
    .map((o) => ({ o, re: new RegExp(`^${o.fullPath.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`), params: (o.fullPath.match(/\{/g) ?? []).length }))
    .sort((a, b) => a.params - b.params);
}

function find(compiled: Compiled[], method: string, path: string): Operation | undefined {
  const p = path.split('?')[0]!;
  return compiled.find((c) => c.o.method === method.toLowerCase() && c.re.test(p))?.o;
}

/** Any operation on the path (for a method the path does not have: 405). */
function findPath(compiled: Compiled[], path: string): Operation | undefined {
  const p = path.split('?')[0]!;
  return compiled.find((c) => c.re.test(p))?.o;
}

const WRITE_PATTERN = /answers 200\/202\/502 with ResourceOperation/;

export interface Expect {
  /** The status the script expects (one of them). */
  status: number | number[];
  /** Further checks of the body; each returned string is a failure. */
  check?: (body: any) => Array<string | false | undefined | null>; // `any`: response bodies are read loosely
}

export class LiveRun {
  readonly failures: string[] = [];
  /** Catena operations called at least once (Catena's label). */
  readonly covered = new Set<string>();
  private catena: Compiled[];
  private fleet: Compiled[];
  private validator: DocValidator;
  private step = '';

  constructor(
    private t: TestApp,
    catenaDocs: ApiDoc[],
    private fleetgate: ApiDoc,
  ) {
    this.catena = compile(catenaDocs.flatMap(operationsOf));
    this.fleet = compile(operationsOf(fleetgate));
    this.validator = new DocValidator([...catenaDocs, fleetgate]);
  }

  /** Names the part of the script the next calls belong to (it prefixes their failures). */
  section(name: string) {
    this.step = name;
  }

  fail(what: string) {
    this.failures.push(`[${this.step}] ${what}`);
  }

  /**
   * Catena's statuses for an operation. An excerpt stub: its stated write pattern (200/202/502) with the
   * error statuses of the document's complete writes, or (a read) those of its complete reads.
   */
  private catenaStatuses(o: Operation): string[] {
    if (!o.stub) return Object.keys(o.op.responses ?? {});
    const complete = this.catena.filter((c) => c.o.doc === o.doc && !c.o.stub && c.o.method === o.method).flatMap((c) => Object.keys(c.o.op.responses ?? {}));
    if (WRITE_PATTERN.test(o.op['x-excerpt-note'] ?? '')) return [...new Set(['200', '202', '502', ...complete.filter((s) => !/^2/.test(s))])];
    return [...new Set(complete)];
  }

  private catenaSchema(o: Operation, status: number): SchemaRef | undefined {
    if (!o.stub) return responseSchemaRef(o, status);
    if (WRITE_PATTERN.test(o.op['x-excerpt-note'] ?? '') && [200, 202, 502].includes(status) && o.doc.json.components?.schemas?.ResourceOperation) {
      return { doc: o.doc, pointer: '/components/schemas/ResourceOperation' };
    }
    return undefined;
  }

  /**
   * One call, checked. `as`: for a method the path does not serve (405), the statuses and schemas are
   * those of the path's operations.
   */
  // `any`: response bodies are read loosely, field by field
  async call(method: string, path: string, opts: Parameters<typeof call>[3] & { expect: Expect; what?: string }): Promise<CallResult<any>> {
    const res = await call(this.t, method, path, opts);
    const name = `${method} ${path.replace(/cursor=[^&]+/, 'cursor=…')}${opts.what ? ` (${opts.what})` : ''} → ${res.status}`;
    const expected = Array.isArray(opts.expect.status) ? opts.expect.status : [opts.expect.status];
    const methodMissing = expected.includes(405);
    const c = find(this.catena, method, path) ?? (methodMissing ? findPath(this.catena, path) : undefined);
    const f = find(this.fleet, method, path) ?? (methodMissing ? findPath(this.fleet, path) : undefined);
    const brief = res.text.length > 400 ? `${res.text.slice(0, 400)}…` : res.text;
    if (!expected.includes(res.status)) this.fail(`${name}: expected ${expected.join(' or ')}: ${brief}`);
    if (!c) {
      this.fail(`${name}: no Catena operation for ${method} ${path.split('?')[0]}`);
    } else {
      if (!methodMissing || find(this.catena, method, path)) this.covered.add(label(c));
      const statuses = this.catenaStatuses(c);
      if (!statuses.includes(String(res.status))) this.fail(`${name}: ${res.status} is not a status Catena declares for ${label(c)} (${statuses.join(', ')})`);
      const ref = this.catenaSchema(c, res.status);
      if (ref) for (const e of this.validator.errors(ref, res.body)) this.fail(`${name}: Catena's schema (${label(c)} ${res.status}): ${e}`);
    }
    if (!f) {
      this.fail(`${name}: fleetgate's document has no operation for ${method} ${path.split('?')[0]}`);
    } else if (res.status === 204 || (f.op.responses?.[String(res.status)] && !f.op.responses[String(res.status)].content)) {
      // No content declared (a 204, or a 200 "body may be empty" such as revoke's): none answered.
      if (res.text !== '') this.fail(`${name}: a ${res.status} with a body where fleetgate's document declares none`);
    } else {
      const ref = responseSchemaRef(f, res.status);
      if (!ref) this.fail(`${name}: fleetgate's document declares no JSON schema for ${res.status} of ${label(f)}`);
      else for (const e of this.validator.errors(ref, res.body)) this.fail(`${name}: fleetgate's own schema (${label(f)} ${res.status}): ${e}`);
    }
    if (res.status >= 500 && res.status !== 502 && res.status !== 504) this.fail(`${name}: a ${res.status}: ${brief}`);
    if (opts.expect.check && expected.includes(res.status)) {
      try {
        for (const problem of opts.expect.check(res.body)) if (problem) this.fail(`${name}: ${problem}`);
      } catch (err) {
        this.fail(`${name}: the body could not be read: ${(err as Error).message}`);
      }
    }
    return res;
  }
}
