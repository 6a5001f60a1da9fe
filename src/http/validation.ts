// Request validation with zod, reporting every problem of a part at once as ValidationProblems (the
// error handler renders them as Catena's 422 detail items), plus the two rules that hold for every
// route: a query parameter the route does not declare is refused, and a field name or kept string
// holding a character PostgreSQL cannot store is refused. A body field the schema does not know is
// dropped by the schema (Catena's pydantic models ignore them) and recorded: ignoredFieldsOf(body).
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import type { ValidationProblem } from '../platform/errors.ts';

export class RequestValidationError extends Error {
  override name = 'RequestValidationError';
  constructor(readonly problems: ValidationProblem[]) {
    super('Validation failed');
  }
}

// Where a problem sits, as partners read it: body.country_code, query.size, path.id, header.idempotency-key.
const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

function errorType(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? 'missing' : 'type';
    case 'invalid_format':
      if (issue.format === 'regex') return 'pattern';
      return issue.format; // 'date', 'uuid', 'datetime', 'email', ...
    case 'invalid_value':
      return 'enum';
    case 'unrecognized_keys':
      return 'unknown_field';
    case 'too_small':
    case 'too_big':
      return 'range';
    default:
      return issue.code;
  }
}

/**
 * What a problem at `path` may show of the input: nothing under `credentials`, and nothing of a field
 * named as a secret (a webhook's `secret`, a `client_secret`, a `password`, a token), anywhere.
 */
const SECRET_NAME = /secret|password|token/i;
const secretAt = (path: ReadonlyArray<string | number>): boolean =>
  path.includes('credentials') || path.some((p) => typeof p === 'string' && SECRET_NAME.test(p));

export function toProblems(issues: readonly z.core.$ZodIssue[], part: string): ValidationProblem[] {
  const prefix = PART_NAMES[part] ?? part;
  const problems: ValidationProblem[] = [];
  for (const issue of issues) {
    const path = [prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    // Never echo what was sent as a credential.
    const input = secretAt(path) ? undefined : (issue as { input?: unknown }).input;
    if (issue.code === 'unrecognized_keys') {
      // A strict object (not a Catena body): one problem per unknown field, each with its own path and value.
      for (const key of issue.keys) {
        const value = input && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
        problems.push({ path: [...path, key], input: value, message: 'unknown field', error_type: 'unknown_field' });
      }
      continue;
    }
    problems.push({ path, input, message: issue.message, error_type: errorType(issue, input) });
  }
  return problems;
}

// PostgreSQL stores neither U+0000 nor an unpaired UTF-16 surrogate in text or jsonb: a string holding
// one would pass the schema and then fail at the database (a 500). Refused up front, at its path.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_CHARACTER_PROBLEMS = 50;

type Node = { key: string | number; parent: Node | undefined } | undefined;

type ZodDef = { type: string; [k: string]: unknown };
const defOf = (s: unknown): ZodDef => (s as { _zod: { def: ZodDef } })._zod.def;

/** A schema under its wrappers (optional, nullable, default, ...): an object, an array, or anything else. */
function shapeOf(schema: unknown): { object: Record<string, unknown>; keepsUnknown: unknown } | { element: unknown } | undefined {
  for (let s = schema, depth = 0; s !== undefined && depth < 32; depth++) {
    const def = defOf(s);
    switch (def.type) {
      case 'object': {
        const catchall = def.catchall as unknown;
        // A strip object drops unknown keys, a strict one refuses them: neither keeps their values.
        return { object: (s as z.ZodObject).shape, keepsUnknown: catchall && defOf(catchall).type !== 'never' ? catchall : undefined };
      }
      case 'array':
        return { element: def.element };
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'catch':
      case 'readonly':
      case 'nonoptional':
        s = def.innerType;
        break;
      case 'pipe':
        s = defOf(def.in).type === 'transform' ? def.out : def.in;
        break;
      case 'lazy':
        s = (def.getter as () => unknown)();
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}

/**
 * Walks a parsed JSON value without recursion (a body may nest far deeper than the stack). With a
 * schema, only what it keeps: not the values of keys an object of the schema drops or refuses.
 */
function walk(data: unknown, visit: (value: unknown, node: Node) => boolean | void, schema?: unknown): void {
  const stack: Array<[unknown, Node, unknown]> = [[data, undefined, schema]];
  while (stack.length) {
    const [value, node, at] = stack.pop()!;
    if (visit(value, node) === false) return;
    if (value === null || typeof value !== 'object') continue;
    const shape = at === undefined ? undefined : shapeOf(at);
    if (Array.isArray(value)) {
      const element = shape && 'element' in shape ? shape.element : undefined;
      value.forEach((child, i) => stack.push([child, { key: i, parent: node }, element]));
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      if (shape && 'object' in shape) {
        const own = Object.hasOwn(shape.object, key) ? shape.object[key] : shape.keepsUnknown;
        if (own === undefined) continue;
        stack.push([child, { key, parent: node }, own]);
      } else stack.push([child, { key, parent: node }, undefined]);
    }
  }
}

function keysOf(node: Node): Array<string | number> {
  const keys: Array<string | number> = [];
  for (let n = node; n; n = n.parent) keys.push(n.key);
  return keys.reverse();
}

/**
 * Unstorable characters: in every field name of `input` (a name is refused wherever it is, kept or
 * ignored: the ignored ones are listed in the operation), and in the string values the schema keeps (an
 * ignored field's value is not stored): those of the output when the part passed, else those of the
 * input the schema does not drop.
 */
function unstorableStrings(input: unknown, part: string, kept: { output: unknown } | { schema: z.ZodType }): ValidationProblem[] {
  const prefix = PART_NAMES[part] ?? part;
  const problems: ValidationProblem[] = [];
  const add = (p: ValidationProblem) => problems.length < MAX_CHARACTER_PROBLEMS && problems.push(p);
  const visitValue = (value: unknown, node: Node) => {
    if (typeof value === 'string' && UNSTORABLE.test(value)) {
      const path = [prefix, ...keysOf(node)];
      add({ path, input: secretAt(path) ? undefined : value, message: 'contains U+0000 or an unpaired surrogate, which cannot be stored', error_type: 'character' });
    }
    return problems.length < MAX_CHARACTER_PROBLEMS;
  };
  if ('output' in kept) walk(kept.output, visitValue);
  else walk(input, visitValue, kept.schema);
  walk(input, (_value, node) => {
    if (node && typeof node.key === 'string' && UNSTORABLE.test(node.key)) {
      add({ path: [prefix, ...keysOf(node)], input: node.key, message: 'the field name contains U+0000 or an unpaired surrogate', error_type: 'character' });
    }
    return problems.length < MAX_CHARACTER_PROBLEMS;
  });
  return problems;
}

// ---------- ignored body fields ----------

const IGNORED = Symbol('fleetgate.ignoredFields');

/**
 * The fields of `input` the schema dropped, dot-separated from the part's root ("colour",
 * "hos_tracking_mode.mode", "recipients.0.nickname"): keys an input object has and its output does
 * not. Compared only where the output keeps the input's shape (an object for an object, an array of the
 * same length for an array); a transformed value is not looked into.
 */
export function droppedFields(input: unknown, output: unknown): string[] {
  const dropped: string[] = [];
  const stack: Array<[unknown, unknown, string]> = [[input, output, '']];
  while (stack.length) {
    const [inp, out, at] = stack.pop()!;
    if (inp === null || typeof inp !== 'object' || out === null || typeof out !== 'object') continue;
    if (Array.isArray(inp)) {
      if (!Array.isArray(out) || out.length !== inp.length) continue;
      inp.forEach((v, i) => stack.push([v, out[i], `${at}${i}.`]));
      continue;
    }
    if (Array.isArray(out)) continue;
    for (const [key, value] of Object.entries(inp)) {
      if (!Object.hasOwn(out, key)) dropped.push(`${at}${key}`);
      else stack.push([value, (out as Record<string, unknown>)[key], `${at}${key}.`]);
    }
  }
  return dropped.sort();
}

/** The body fields validation ignored (accepted, not kept), for a body that passed it; [] otherwise. */
export function ignoredFieldsOf(body: unknown): string[] {
  return body !== null && typeof body === 'object' ? [...((body as { [IGNORED]?: string[] })[IGNORED] ?? [])] : [];
}

// ---------- unknown query parameters ----------

/**
 * The query parameter names a querystring schema declares; null when it takes any (a loose object or
 * a catch-all). Throws for a schema whose names cannot be read, so a route cannot silently take every
 * parameter: checked when the route is registered.
 */
export function declaredQueryNames(schema: unknown): ReadonlySet<string> | null {
  if (!(schema instanceof z.ZodType)) throw new Error('a querystring schema must be a zod schema');
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const catchall = def.catchall as z.ZodType | undefined;
      if (catchall && defOf(catchall).type !== 'never') return null;
      return new Set(Object.keys((schema as z.ZodObject).shape));
    }
    case 'pipe':
      // z.preprocess(fn, object) is a pipe from a transform: the names are the object's.
      return declaredQueryNames(defOf(def.in).type === 'transform' ? def.out : def.in);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return declaredQueryNames(def.innerType);
    case 'lazy':
      return declaredQueryNames((def.getter as () => unknown)());
    case 'union': {
      const names = new Set<string>();
      for (const option of def.options as unknown[]) {
        const own = declaredQueryNames(option);
        if (own === null) return null;
        for (const n of own) names.add(n);
      }
      return names;
    }
    case 'intersection': {
      const [left, right] = [declaredQueryNames(def.left), declaredQueryNames(def.right)];
      return left === null || right === null ? null : new Set([...left, ...right]);
    }
    default:
      throw new Error(`cannot read the parameter names of a querystring schema of type ${def.type}`);
  }
}

/** The problems of the query parameters not in `declared` (one per name, at query.<name>). */
export function unknownQueryParameters(query: unknown, declared: ReadonlySet<string>): ValidationProblem[] {
  if (query === null || typeof query !== 'object') return [];
  const known = [...declared];
  return Object.entries(query as Record<string, unknown>)
    .filter(([name]) => !declared.has(name))
    .map(([name, value]) => ({
      path: ['query', name],
      input: value,
      message: known.length ? `unknown query parameter; this operation takes ${known.sort().join(', ')}` : 'unknown query parameter; this operation takes none',
      error_type: 'unknown_parameter',
    }));
}

// ---------- the compiler ----------

/** One part of a request checked against its schema: the value to use, or every problem found. */
export function validatePart(schema: z.ZodType, data: unknown, part: string): { value: unknown } | { problems: ValidationProblem[] } {
  const result = schema.safeParse(data, { reportInput: true });
  const characters = unstorableStrings(data, part, result.success ? { output: result.data } : { schema });
  if (result.success && !characters.length) {
    const value = result.data;
    if (part === 'body' && value !== null && typeof value === 'object') {
      Object.defineProperty(value, IGNORED, { value: droppedFields(data, value), enumerable: false });
    }
    return { value };
  }
  const problems = result.success ? [] : toProblems(result.error.issues, part);
  const reported = new Set(problems.map((p) => JSON.stringify(p.path)));
  problems.push(...characters.filter((p) => !reported.has(JSON.stringify(p.path))));
  return { problems };
}

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const checked = validatePart(schema, data, httpPart ?? 'body');
    return 'value' in checked ? { value: checked.value } : { error: new RequestValidationError(checked.problems) };
  };
