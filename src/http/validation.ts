// Request validation with zod, reporting every problem at once in the contract's detail shape
// ({path, input, message, error_type}); the error handler turns it into the 422 (or 400) envelope.
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import type { ValidationProblem } from '../platform/errors.ts';

export class RequestValidationError extends Error {
  override name = 'RequestValidationError';
  constructor(readonly problems: ValidationProblem[]) {
    super('Validation failed');
  }
}

// Where a problem sits, as partners read it: ["body", "country_code"], ["query", "size"], ["path", "id"].
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

// A problem echoes the input as sent, unless it nests deeper than this: a 100,000-deep array fits well
// under the body limit and parses, but would overflow the stack of the envelope's serializer (a 500).
const MAX_ECHO_DEPTH = 32;

/** The input to echo: itself, or a note naming what it was when it nests deeper than MAX_ECHO_DEPTH. */
function echo(input: unknown): unknown {
  const stack: Array<[unknown, number]> = [[input, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_ECHO_DEPTH) return `(${Array.isArray(input) ? 'an array' : 'an object'} nested deeper than ${MAX_ECHO_DEPTH} levels)`;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return input;
}

/** What a problem at `path` may show of the input: nothing under `credentials`, which are secrets. */
const secretAt = (path: ReadonlyArray<string | number>): boolean => path.includes('credentials');

export function toProblems(issues: readonly z.core.$ZodIssue[], part: string): ValidationProblem[] {
  const prefix = PART_NAMES[part] ?? part;
  const problems: ValidationProblem[] = [];
  for (const issue of issues) {
    const path = [prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    // Never echo what was sent as a credential.
    const input = secretAt(path) ? undefined : (issue as { input?: unknown }).input;
    if (issue.code === 'unrecognized_keys') {
      // One problem per unknown field, each with its own path and value.
      for (const key of issue.keys) {
        const value = input && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
        problems.push({ path: [...path, key], input: echo(value), message: 'unknown field', error_type: 'unknown_field' });
      }
      continue;
    }
    problems.push({ path, input: echo(input), message: issue.message, error_type: errorType(issue, input) });
  }
  return problems;
}

// PostgreSQL stores neither U+0000 nor an unpaired UTF-16 surrogate in text or jsonb: a string holding
// one would pass the schema and then fail at the database (a 500). Refused up front, at its path.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_CHARACTER_PROBLEMS = 50;

function unstorableStrings(data: unknown, part: string): ValidationProblem[] {
  const prefix = PART_NAMES[part] ?? part;
  type Node = { key: string | number; parent: Node | undefined } | undefined;
  const pathOf = (node: Node): Array<string | number> => {
    const keys: Array<string | number> = [];
    for (let n = node; n; n = n.parent) keys.push(n.key);
    return [prefix, ...keys.reverse()];
  };
  const problems: ValidationProblem[] = [];
  // Iterative, with parent links: a body may nest far deeper than the stack (see MAX_ECHO_DEPTH).
  const stack: Array<[unknown, Node]> = [[data, undefined]];
  while (stack.length && problems.length < MAX_CHARACTER_PROBLEMS) {
    const [value, node] = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) {
        problems.push({ path: pathOf(node), input: secretAt(pathOf(node)) ? undefined : value, message: 'contains U+0000 or an unpaired surrogate, which cannot be stored', error_type: 'character' });
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const isArray = Array.isArray(value);
    for (const [key, child] of Object.entries(value)) {
      const childNode = { key: isArray ? Number(key) : key, parent: node };
      if (!isArray && UNSTORABLE.test(key)) {
        problems.push({ path: pathOf(childNode), input: key, message: 'the field name contains U+0000 or an unpaired surrogate', error_type: 'character' });
      }
      stack.push([child, childNode]);
    }
  }
  return problems;
}

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const part = httpPart ?? 'body';
    const result = schema.safeParse(data, { reportInput: true });
    const characters = unstorableStrings(data, part);
    if (result.success && !characters.length) return { value: result.data };
    const problems = result.success ? [] : toProblems(result.error.issues, part);
    const reported = new Set(problems.map((p) => JSON.stringify(p.path)));
    problems.push(...characters.filter((p) => !reported.has(JSON.stringify(p.path))));
    return { error: new RequestValidationError(problems) };
  };
