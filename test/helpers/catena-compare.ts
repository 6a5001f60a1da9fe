// A generic comparator of two OpenAPI 3.1 documents, Catena's (the contract) and fleetgate's (the
// candidate): for every Catena operation fleetgate serves, its security scopes, parameters, request body
// and responses, schema by schema. Direction matters:
//   - what a Catena client SENDS (parameters, request bodies) must be accepted by fleetgate: Catena's
//     values ⊆ fleetgate's, every Catena property declared, nothing required that Catena does not require;
//   - what fleetgate ANSWERS must be what a Catena client parses: fleetgate's values ⊆ Catena's, every
//     property Catena requires required, the same types and formats, null only where Catena allows it.
// Every difference is one Mismatch (operation, location, what differs); nothing is fixed up silently.
import type { ApiDoc, Json, Operation } from './catena-docs.ts';
import { label, matchOperation, operationIndex, operationsOf, pathParamNames } from './catena-docs.ts';

export interface Mismatch {
  op: string;
  where: string;
  what: string;
}

export type Direction = 'request' | 'response';

/**
 * A Catena enumeration (or credential model) of which fleetgate may accept fewer values in a request,
 * and why. `keep`: the values (or alternatives) fleetgate must still accept.
 */
export interface Allowance {
  /** Catena's component name, as its $ref names it. */
  name: string | RegExp;
  keep: string[];
  why: string;
}

// ---------- normalized schemas ----------

interface Norm {
  doc: ApiDoc;
  /** No constraint at all ({}), or an excerpt whose schema was not transcribed. */
  any: boolean;
  opaque: boolean;
  types: Set<string>;
  nullable: boolean;
  enum?: unknown[];
  /** Per enum value, the Catena component it comes from (for merged alternatives). */
  enumSrc?: Map<unknown, string | undefined>;
  format?: string;
  pattern?: string;
  properties?: Record<string, Json>;
  required: string[];
  /** An excerpt stub's property names (types not transcribed). */
  namesOnly?: string[];
  additional?: Json | boolean;
  propertyNames?: Json;
  items?: Json;
  /** Two or more non-null alternatives (anyOf / oneOf), raw. */
  alts?: Json[];
  bounds: Record<string, number | undefined>;
  hasDefault: boolean;
  default?: unknown;
  refName?: string;
  title?: string;
}

const BOUND_KEYS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems'] as const;
const LOWER = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems']);
const SAFE = Number.MAX_SAFE_INTEGER;

function pointer(doc: ApiDoc, ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`${doc.name}: external $ref ${ref}`);
  let node: Json = doc.json;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  if (node === undefined) throw new Error(`${doc.name}: dangling $ref ${ref}`);
  return node;
}

/** Follows a $ref chain (siblings of a $ref override the target's), remembering the last component name. */
function deref(doc: ApiDoc, schema: Json): { s: Json; refName?: string } {
  let s = schema ?? {};
  let refName: string | undefined;
  for (let i = 0; s && typeof s === 'object' && typeof s.$ref === 'string' && i < 20; i++) {
    refName = s.$ref.split('/').pop();
    const { $ref, ...siblings } = s;
    s = { ...pointer(doc, $ref), ...siblings };
  }
  return { s, refName };
}

const isNullSchema = (s: Json) => s?.type === 'null' || (Array.isArray(s?.enum) && s.enum.length === 1 && s.enum[0] === null) || s?.const === null;

export function normalize(doc: ApiDoc, raw: Json): Norm {
  const { s, refName } = deref(doc, raw);
  const n: Norm = { doc, any: false, opaque: false, types: new Set(), nullable: false, required: [], bounds: {}, hasDefault: false, refName, title: s?.title };
  if (s === true || s === undefined || s === null) return { ...n, any: true };
  if (typeof s !== 'object') return { ...n, any: true };
  if ('default' in s) {
    n.hasDefault = true;
    n.default = s.default;
  }
  const alternatives: Json[] | undefined = s.anyOf ?? s.oneOf;
  if (Array.isArray(alternatives) && (s.type || s.properties)) {
    // A typed schema with alternatives beside it (an object whose oneOf picks which fields are required):
    // each alternative is the schema with that alternative's constraints added.
    const { anyOf: _a, oneOf: _o, ...base } = s;
    const merged = alternatives.map((a) => {
      const d = deref(doc, a).s;
      if (isNullSchema(d)) return d;
      return { ...base, ...d, properties: { ...base.properties, ...d.properties }, required: [...(base.required ?? []), ...(d.required ?? [])] };
    });
    const inner = normalize(doc, { anyOf: merged, ...('default' in s && { default: s.default }) });
    return { ...inner, refName: inner.refName ?? refName, title: inner.title ?? n.title };
  }
  if (Array.isArray(alternatives)) {
    const resolved = alternatives.map((a) => ({ raw: a, d: deref(doc, a).s }));
    const nonNull = resolved.filter((a) => !isNullSchema(a.d));
    const nullable = nonNull.length < resolved.length;
    if (nonNull.length === 1) {
      const inner = normalize(doc, nonNull[0]!.raw);
      return { ...inner, nullable: inner.nullable || nullable, hasDefault: n.hasDefault || inner.hasDefault, default: n.hasDefault ? n.default : inner.default, refName: inner.refName ?? refName, title: inner.title ?? n.title };
    }
    const norms = nonNull.map((a) => normalize(doc, a.raw));
    // Enumerations split over alternatives (WebhookEventNameEnum | WebhookCatchAllEvents, a union of literals) are one enumeration.
    if (norms.length > 1 && norms.every((m) => m.enum && !m.properties && !m.items && !m.alts)) {
      const enumSrc = new Map<unknown, string | undefined>();
      for (const m of norms) for (const v of m.enum!) if (!enumSrc.has(v)) enumSrc.set(v, m.enumSrc?.get(v) ?? m.refName);
      return { ...n, types: new Set(norms.flatMap((m) => [...m.types])), nullable, enum: [...enumSrc.keys()], enumSrc };
    }
    return { ...n, nullable, alts: nonNull.map((a) => a.raw) };
  }
  if (Array.isArray(s.allOf) && s.allOf.length === 1 && Object.keys(s).filter((k) => !['allOf', 'description', 'title', 'default'].includes(k)).length === 0) {
    const inner = normalize(doc, s.allOf[0]);
    return { ...inner, hasDefault: n.hasDefault || inner.hasDefault, default: n.hasDefault ? n.default : inner.default };
  }
  if (s['x-excerpt'] && !s.type && !s.properties && !s.enum && !s['x-property-names']) return { ...n, opaque: true };
  if (Array.isArray(s.type)) {
    for (const t of s.type) if (t === 'null') n.nullable = true;
    else n.types.add(t);
  } else if (typeof s.type === 'string') {
    if (s.type === 'null') n.nullable = true;
    else n.types.add(s.type);
  }
  if ('const' in s) n.enum = [s.const];
  else if (Array.isArray(s.enum)) n.enum = [...s.enum];
  if (n.enum) {
    if (n.enum.includes(null)) {
      n.nullable = true;
      n.enum = n.enum.filter((v) => v !== null);
    }
    if (n.types.size === 0) for (const v of n.enum) n.types.add(typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);
    n.enumSrc = new Map(n.enum.map((v) => [v, refName]));
  }
  if (typeof s.format === 'string') n.format = s.format;
  if (typeof s.pattern === 'string') n.pattern = s.pattern;
  if (s.properties) n.properties = s.properties;
  if (Array.isArray(s['x-property-names'])) n.namesOnly = s['x-property-names'];
  if (Array.isArray(s.required)) n.required = s.required;
  if ('additionalProperties' in s) n.additional = s.additionalProperties;
  if (s.propertyNames) n.propertyNames = s.propertyNames;
  if (s.items) n.items = s.items;
  if (n.types.size === 0 && (n.properties || n.namesOnly || 'additionalProperties' in s)) n.types.add('object');
  if (n.types.size === 0 && n.items) n.types.add('array');
  for (const k of BOUND_KEYS) if (typeof s[k] === 'number') n.bounds[k] = s[k];
  if (n.types.size === 0 && !n.enum && !n.properties && !n.namesOnly && !n.items && !n.nullable) n.any = true;
  return n;
}

// ---------- describing ----------

function typesText(n: Norm): string {
  if (n.any) return 'any';
  if (n.alts) return `anyOf(${n.alts.length})`;
  const t = [...n.types].join('|') || 'untyped';
  return `${t}${n.format ? `<${n.format}>` : ''}${n.nullable ? '|null' : ''}`;
}

function list(values: unknown[], max = 8): string {
  const shown = values.slice(0, max).map((v) => JSON.stringify(v));
  return values.length > max ? `${shown.join(', ')} … (${values.length} in all)` : shown.join(', ');
}

// A pattern that only refuses blank text (zod's non-empty credential strings): no value a Catena client means is refused by it.
const NON_BLANK = new Set(['\\S']);

const FORMATS_COMPARED = new Set(['uuid', 'date-time', 'date', 'uri', 'email', 'time']);
const formatOf = (n: Norm) => (n.format && FORMATS_COMPARED.has(n.format) ? n.format : undefined);

// ---------- the comparison ----------

interface Ctx {
  dir: Direction;
  allow: Allowance[];
  /** Comparing a query or path parameter: values travel as text (a boolean may be a string enum of "true"/"false"). */
  param: boolean;
  depth: number;
}

type Diff = { where: string; what: string };

const allowed = (allow: Allowance[], name: string | undefined) => (name ? allow.find((a) => (typeof a.name === 'string' ? a.name === name : a.name.test(name))) : undefined);

function acceptsType(acceptor: Set<string>, t: string): boolean {
  return acceptor.has(t) || (t === 'integer' && acceptor.has('number'));
}

/** Compares Catena's schema `c` with fleetgate's `f` at `where`, pushing each difference to `out`. */
export function compareSchemas(c: Norm, f: Norm, where: string, ctx: Ctx, out: Diff[]): void {
  if (ctx.depth > 16) return;
  const sub = (cs: Json, fs: Json, w: string) => compareSchemas(normalize(c.doc, cs), normalize(f.doc, fs), w, { ...ctx, depth: ctx.depth + 1 }, out);
  if (c.opaque || c.any) return;
  const at = where || '(root)';
  const response = ctx.dir === 'response';

  if (response && f.nullable && !c.nullable) out.push({ where: at, what: `fleetgate may answer null; Catena's ${typesText(c)} is not nullable` });
  // A query or path parameter has no null on the wire (a client leaves it out): only bodies compare nullability.
  if (!response && !ctx.param && c.nullable && !f.nullable && !f.any) out.push({ where: at, what: `Catena sends null here (${typesText(c)}); fleetgate refuses null (${typesText(f)})` });

  if (c.alts || f.alts) return compareAlternatives(c, f, at, ctx, out);

  if (f.any) {
    if (response) out.push({ where: at, what: `fleetgate declares no type; Catena's is ${typesText(c)}` });
    return;
  }

  // A boolean query parameter is text on the wire: a string enum holding "true" and "false" takes what a Catena client sends.
  const textBoolean = ctx.param && c.types.has('boolean') && f.types.has('string') && f.enum?.includes('true') && f.enum?.includes('false');
  if (!textBoolean) {
    const [producer, acceptor] = response ? [f, c] : [c, f];
    if (producer.types.size && acceptor.types.size) {
      const bad = [...producer.types].filter((t) => !acceptsType(acceptor.types, t));
      if (bad.length) out.push({ where: at, what: `type ${typesText(f)} where Catena has ${typesText(c)}` });
    } else if (acceptor.types.size && !producer.types.size && response) {
      out.push({ where: at, what: `fleetgate declares no type; Catena's is ${typesText(c)}` });
    }
  }

  const cf = formatOf(c);
  const ff = formatOf(f);
  if (response && cf && cf !== ff) out.push({ where: at, what: `format ${ff ?? '(none)'} where Catena has ${cf}` });
  if (!response && ff && ff !== cf) out.push({ where: at, what: `fleetgate requires format ${ff}; Catena's has ${cf ?? 'none'}` });
  // A pattern zod adds to a format (uuid, date) says the format again; any other must be Catena's.
  const fPattern = ff || (f.pattern && NON_BLANK.has(f.pattern)) ? undefined : f.pattern;
  if (response && c.pattern && c.pattern !== f.pattern) out.push({ where: at, what: `pattern ${f.pattern ? JSON.stringify(f.pattern) : '(none)'} where Catena has ${JSON.stringify(c.pattern)}` });
  if (!response && fPattern && fPattern !== c.pattern) out.push({ where: at, what: `fleetgate requires pattern ${JSON.stringify(fPattern)}; Catena's is ${c.pattern ? JSON.stringify(c.pattern) : 'none'}` });

  if (c.enum && !textBoolean) {
    const name = c.refName ?? c.title;
    if (response) {
      if (!f.enum) out.push({ where: at, what: `fleetgate declares no enumeration; Catena's ${name ?? ''} has ${c.enum.length} values` });
      else {
        const extra = f.enum.filter((v) => !c.enum!.includes(v));
        if (extra.length) out.push({ where: at, what: `values not in Catena's ${name ?? 'enumeration'}: ${list(extra)}` });
      }
    } else if (f.enum) {
      const missing = c.enum.filter((v) => !f.enum!.includes(v));
      const reported = missing.filter((v) => {
        const a = allowed(ctx.allow, c.enumSrc?.get(v) ?? name);
        return !a || a.keep.includes(String(v));
      });
      if (reported.length) out.push({ where: at, what: `refuses Catena's ${name ?? 'enumeration'} values: ${list(reported)}` });
    }
  }

  for (const k of BOUND_KEYS) {
    const cv = c.bounds[k];
    const fv = f.bounds[k];
    if (cv === undefined || fv === undefined || Math.abs(fv) >= SAFE) continue;
    const stricter = LOWER.has(k) ? fv > cv : fv < cv;
    if (!response && stricter) out.push({ where: at, what: `${k} ${fv} is stricter than Catena's ${cv}` });
    if (response && !stricter && fv !== cv) out.push({ where: at, what: `${k} ${fv} is looser than Catena's ${cv}` });
  }

  if (ctx.param && c.hasDefault) {
    if (!f.hasDefault) out.push({ where: at, what: `no default; Catena's is ${JSON.stringify(c.default)}` });
    else if (String(f.default) !== String(c.default)) out.push({ where: at, what: `default ${JSON.stringify(f.default)} where Catena's is ${JSON.stringify(c.default)}` });
  }

  // Objects
  if (c.properties || c.namesOnly) {
    const fProps = f.properties ?? {};
    const cProps = c.properties ?? {};
    if (response) {
      for (const name of c.required) {
        if (!(name in fProps)) out.push({ where: `${where}.${name}`, what: 'missing: Catena requires it' });
        else if (!f.required.includes(name)) out.push({ where: `${where}.${name}`, what: 'optional in fleetgate; Catena requires it' });
      }
      if (c.additional === false) for (const name of Object.keys(fProps)) if (!(name in cProps)) out.push({ where: `${where}.${name}`, what: 'not a Catena field, and Catena allows no others' });
    } else {
      const names = [...new Set([...Object.keys(cProps), ...(c.namesOnly ?? [])])];
      for (const name of names) {
        if (name in fProps) continue;
        out.push({ where: `${where}.${name}`, what: f.additional === false ? "refused: not one of fleetgate's fields" : 'not declared by fleetgate (taken only as an unknown field)' });
      }
      for (const name of f.required) {
        if (c.required.includes(name)) continue;
        out.push({ where: `${where}.${name}`, what: names.includes(name) ? 'required by fleetgate; optional in Catena' : 'required by fleetgate; not a Catena field' });
      }
      if (f.additional === false && c.additional !== false) out.push({ where: at, what: 'fleetgate refuses unknown properties (additionalProperties: false); Catena accepts them' });
    }
    for (const [name, cs] of Object.entries(cProps)) if (name in fProps) sub(cs, fProps[name], `${where}.${name}`);
  } else if (c.additional && typeof c.additional === 'object') {
    if (f.additional && typeof f.additional === 'object') sub(c.additional, f.additional, `${where}{*}`);
    else if (response && f.properties && !f.additional) {
      // fleetgate names its keys: each must be a value Catena's map takes.
      for (const [name, fs] of Object.entries(f.properties)) sub(c.additional, fs, `${where}.${name}`);
    }
    if (c.propertyNames) {
      const fNames = f.propertyNames ?? (f.properties && !f.additional ? { enum: Object.keys(f.properties) } : undefined);
      if (fNames) sub(c.propertyNames, fNames, `${where}{keys}`);
      else if (response) sub(c.propertyNames, {}, `${where}{keys}`);
    }
  }

  if (c.items) {
    if (f.items) sub(c.items, f.items, `${where}[]`);
    else if (response && f.types.has('array')) out.push({ where: `${where}[]`, what: `fleetgate declares no item schema; Catena's items are ${typesText(normalize(c.doc, c.items))}` });
  }
}

function altLabel(n: Norm): string {
  return n.refName ?? typesText(n);
}

function altsText(ns: Norm[]): string {
  const names = ns.map(altLabel);
  return names.length > 4 ? `${names.slice(0, 4).join(' | ')} | … (${names.length} in all)` : names.join(' | ');
}

function compareAlternatives(c: Norm, f: Norm, at: string, ctx: Ctx, out: Diff[]): void {
  const nonNull = (n: Norm): Norm[] => (n.alts ? n.alts.map((a) => ({ ...normalize(n.doc, a), nullable: false })) : [{ ...n, nullable: false }]);
  const cAlts = nonNull(c);
  const fAlts = nonNull(f);
  const trial = (ca: Norm, fa: Norm): Diff[] => {
    const d: Diff[] = [];
    compareSchemas(ca, fa, at, { ...ctx, depth: ctx.depth + 1 }, d);
    return d;
  };
  // The closest alternative: fewest differences, a missing or refused field weighing most.
  const weight = (r: Diff[]) => r.reduce((n, d) => n + (/missing|refused|matches none|taken by none/.test(d.what) ? 3 : 1), 0);
  const best = (results: Diff[][]): Diff[] => results.reduce((a, b) => (weight(b) < weight(a) ? b : a));
  if (ctx.dir === 'response') {
    // Whatever fleetgate answers must parse as one of Catena's alternatives.
    for (const fa of fAlts) {
      const results = cAlts.map((ca) => trial(ca, fa));
      if (results.some((r) => r.length === 0)) continue;
      const closest = best(results);
      out.push({ where: at, what: `fleetgate's alternative ${altLabel(fa)} matches none of Catena's (${altsText(cAlts)}); closest: ${closest.map((d) => `${d.where === at ? '' : `${d.where.slice(at.length)} `}${d.what}`).join('; ')}` });
    }
  } else {
    // Whatever a Catena client sends must be taken by one of fleetgate's alternatives.
    for (const ca of cAlts) {
      const a = allowed(ctx.allow, ca.refName);
      if (a && !a.keep.includes(ca.refName!)) continue;
      const results = fAlts.map((fa) => trial(ca, fa));
      if (results.some((r) => r.length === 0)) continue;
      const closest = best(results);
      out.push({ where: at, what: `Catena's alternative ${altLabel(ca)} is taken by none of fleetgate's (${altsText(fAlts)}); closest: ${closest.map((d) => `${d.where === at ? '' : `${d.where.slice(at.length)} `}${d.what}`).join('; ')}` });
    }
  }
}

// ---------- operations ----------

function securityOf(doc: ApiDoc, op: Json): { anonymous: boolean; scopes: string[] } {
  const reqs: Json[] = op.security ?? doc.json.security ?? [];
  const anonymous = reqs.length === 0 || reqs.some((r) => Object.keys(r).length === 0);
  const scopes = [...new Set(reqs.flatMap((r) => Object.values<string[]>(r).flat()))].sort();
  return { anonymous, scopes };
}

const WRITE_PATTERN = /answers 200\/202\/502 with ResourceOperation/;

/** What a stub tells: its request schema, and (the excerpt's stated write pattern) is_sync and 200/202/502 ResourceOperation. */
function stubContract(o: Operation): { body?: Json; parameters: Json[]; responses: Record<string, Json> } {
  const schemas = o.doc.json.components?.schemas ?? {};
  const name = o.op['x-request-schema'];
  const body = name && schemas[name] ? { content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } } : undefined;
  if (!WRITE_PATTERN.test(o.op['x-excerpt-note'] ?? '') || !schemas.ResourceOperation) return { body, parameters: [], responses: {} };
  const op = { content: { 'application/json': { schema: { $ref: '#/components/schemas/ResourceOperation' } } } };
  return {
    body,
    parameters: [{ name: 'is_sync', in: 'query', required: false, schema: { type: 'boolean', default: false } }],
    responses: { 200: op, 202: op, 502: op },
  };
}

const mediaOf = (content: Json | undefined, media: string): string | undefined =>
  content ? Object.keys(content).find((m) => m === media || m.split(';')[0]!.trim() === media) : undefined;

/** Every difference between a Catena operation and fleetgate's for it. */
export function compareOperation(c: Operation, f: Operation, allow: Allowance[]): Mismatch[] {
  const out: Mismatch[] = [];
  const opName = label(c);
  const push = (where: string, what: string) => out.push({ op: opName, where, what });
  const diffs = (where: string, cs: Json, fs: Json, dir: Direction, param = false) => {
    const d: Diff[] = [];
    compareSchemas(normalize(c.doc, cs), normalize(f.doc, fs), '', { dir, allow, param, depth: 0 }, d);
    for (const x of d) push(x.where === '(root)' ? where : `${where} ${x.where}`, x.what);
  };
  const stub = c.stub ? stubContract(c) : undefined;
  const note = c.stub ? ' (per the excerpt)' : '';

  // Path parameters: matched by position, and named as Catena names them.
  const cNames = pathParamNames(c.fullPath);
  const fNames = pathParamNames(f.fullPath);
  cNames.forEach((name, i) => {
    if (fNames[i] !== name) push(`path parameter ${i + 1}`, `{${fNames[i]}} where Catena names it {${name}}`);
  });

  if (!c.stub) {
    const cs = securityOf(c.doc, c.op);
    const fs = securityOf(f.doc, f.op);
    if (cs.anonymous !== fs.anonymous) push('security', cs.anonymous ? 'fleetgate requires a token; Catena requires none' : 'fleetgate requires no token; Catena does');
    if (cs.scopes.join(' ') !== fs.scopes.join(' ')) push('security', `scopes [${fs.scopes.join(', ')}] where Catena has [${cs.scopes.join(', ')}]`);
  }

  // Parameters (query and path; path ones by position).
  const cParams: Json[] = stub ? stub.parameters : c.parameters;
  for (const cp of cParams) {
    if (cp.in !== 'query' && cp.in !== 'path') continue;
    const fp =
      cp.in === 'path'
        ? f.parameters.find((p: Json) => p.in === 'path' && p.name === fNames[cNames.indexOf(cp.name)])
        : f.parameters.find((p: Json) => p.in === 'query' && p.name === cp.name);
    const where = `${cp.in} parameter ${cp.name}`;
    if (!fp) {
      push(where, `not declared by fleetgate${note}`);
      continue;
    }
    if (fp.required && !cp.required) push(where, 'required by fleetgate; optional in Catena');
    diffs(where, cp.schema, fp.schema, 'request', true);
  }
  if (!c.stub) {
    for (const fp of f.parameters) {
      if (fp.in === 'query' && fp.required && !cParams.some((cp) => cp.in === 'query' && cp.name === fp.name)) push(`query parameter ${fp.name}`, 'required by fleetgate; not a Catena parameter');
    }
  }

  // Request body.
  const cBody = stub ? stub.body : c.op.requestBody;
  const fBody = f.op.requestBody;
  if (cBody) {
    for (const [media, mc] of Object.entries<Json>(cBody.content ?? {})) {
      const fm = mediaOf(fBody?.content, media);
      if (!fm) {
        push(`request body ${media}`, `not accepted by fleetgate (it takes ${fBody ? Object.keys(fBody.content ?? {}).join(', ') : 'no body'})`);
        continue;
      }
      diffs(`request body ${media}`, mc.schema, fBody.content[fm].schema, 'request');
    }
  } else if (!c.stub && fBody?.required) push('request body', 'required by fleetgate; Catena sends none');

  // Responses.
  const cResponses: Record<string, Json> = stub ? stub.responses : (c.op.responses ?? {});
  const fResponses: Record<string, Json> = f.op.responses ?? {};
  for (const [status, cr] of Object.entries(cResponses)) {
    const fr = fResponses[status];
    if (!fr) {
      push(`response ${status}`, `not declared by fleetgate${note}`);
      continue;
    }
    for (const [media, mc] of Object.entries<Json>(cr.content ?? {})) {
      const fm = mediaOf(fr.content, media);
      if (!fm) {
        push(`response ${status} ${media}`, `no ${media} body declared by fleetgate`);
        continue;
      }
      if (mc.schema) diffs(`response ${status}`, mc.schema, fr.content[fm].schema, 'response');
    }
  }
  if (!c.stub || Object.keys(cResponses).length) {
    for (const status of Object.keys(fResponses)) {
      if (/^2/.test(status) && !(status in cResponses)) push(`response ${status}`, `declared by fleetgate; Catena answers ${Object.keys(cResponses).filter((s) => /^2/.test(s)).join('/') || 'no success status'}${note}`);
    }
  }
  return out;
}

export interface DocumentComparison {
  mismatches: Mismatch[];
  /** Catena operations fleetgate serves (Catena's label). */
  served: string[];
  notServed: string[];
}

export function compareDocuments(catena: ApiDoc[], fleetgate: ApiDoc, allow: Allowance[]): DocumentComparison {
  const index = operationIndex(operationsOf(fleetgate));
  const result: DocumentComparison = { mismatches: [], served: [], notServed: [] };
  for (const doc of catena) {
    for (const c of operationsOf(doc)) {
      const f = matchOperation(index, c);
      if (!f) {
        result.notServed.push(label(c));
        continue;
      }
      result.served.push(label(c));
      result.mismatches.push(...compareOperation(c, f, allow));
    }
  }
  return result;
}

/**
 * One line per difference; a difference found the same in several operations (the shared error envelope)
 * is one line naming them all.
 */
export function formatMismatches(ms: Mismatch[]): string[] {
  const groups = new Map<string, string[]>();
  for (const m of ms) {
    const key = `${m.where}: ${m.what}`;
    const ops = groups.get(key) ?? [];
    ops.push(m.op);
    groups.set(key, ops);
  }
  return [...groups.entries()]
    .map(([key, ops]) => (ops.length === 1 ? `${ops[0]} | ${key}` : `[${ops.length} operations: ${ops.join(', ')}] | ${key}`))
    .sort();
}
