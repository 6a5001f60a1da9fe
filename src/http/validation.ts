// Request validation with zod, reporting every problem at once in the contract's detail shape
// ({path, input, message, error_type}); the error handler turns it into the 422 (or 400) envelope.
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import type { ValidationProblem } from '../domain/errors.ts';

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

export function toProblems(issues: readonly z.core.$ZodIssue[], part: string): ValidationProblem[] {
  const prefix = PART_NAMES[part] ?? part;
  const problems: ValidationProblem[] = [];
  for (const issue of issues) {
    const path = [prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    const input = (issue as { input?: unknown }).input;
    if (issue.code === 'unrecognized_keys') {
      // One problem per unknown field, each with its own path and value.
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

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) return { value: result.data };
    return { error: new RequestValidationError(toProblems(result.error.issues, httpPart ?? 'body')) };
  };
