// Query-string parameters: they arrive as text, so each is parsed from a documented textual form, and
// the OpenAPI document says exactly what that form is (an integer in digits, one of a list of words, a
// date-time in a given range). No coercion: `size=1e2`, `size=0x10`, `size=7.0` are not integers as
// the document writes them, so they are refused, not read as 100, 16 and 7.
import { z } from 'zod';

/** An integer written in decimal digits (no sign, exponent, fraction or hex), min..max. */
export function queryInt(opts: { min: number; max: number; default: number; description: string }) {
  // A check and a coercion of digits only, not a transform: the document then keeps the default.
  return z
    .string()
    .superRefine((s, ctx) => {
      if (!/^[0-9]+$/.test(s)) ctx.addIssue({ code: 'invalid_type', expected: 'int', input: s, message: 'must be a whole number written in digits' });
    })
    .pipe(z.coerce.number<string>().int().min(opts.min).max(opts.max))
    .default(opts.default)
    .meta({ type: 'integer', minimum: opts.min, maximum: opts.max, description: opts.description });
}

export const PageQuery = {
  // A cursor carries its sort key's value (a sort by a text field: up to 200 characters of it).
  cursor: z.string().max(4096).optional().describe('Opaque cursor from a page (next_page, previous_page, current_page or current_page_backwards).'),
  size: queryInt({ min: 1, max: 1000, default: 300, description: 'Items per page (1..1000).' }),
};

const TRUE_WORDS = ['true', '1', 'yes', 'on', 'y', 'enabled', 'True'] as const;
const FALSE_WORDS = ['false', '0', 'no', 'off', 'n', 'disabled', 'False'] as const;
const TRUE_SET: ReadonlySet<string> = new Set(TRUE_WORDS);

/**
 * A boolean query parameter: exactly these words (the usual spellings, and Python's and .NET's
 * `True`/`False`), listed as the document's enum.
 */
export function queryBool(defaultValue: boolean, description: string) {
  return z
    .enum([...TRUE_WORDS, ...FALSE_WORDS])
    .default(defaultValue ? 'true' : 'false')
    .describe(`${description} Accepted: ${TRUE_WORDS.join(', ')} (true); ${FALSE_WORDS.join(', ')} (false).`)
    .transform((w) => TRUE_SET.has(w));
}

/** A boolean filter with no default: absent means "either". The same words as queryBool. */
export function queryFlag(description: string) {
  return z
    .enum([...TRUE_WORDS, ...FALSE_WORDS])
    .optional()
    .describe(`${description} Accepted: ${TRUE_WORDS.join(', ')} (true); ${FALSE_WORDS.join(', ')} (false).`)
    .transform((w) => (w === undefined ? undefined : TRUE_SET.has(w)));
}

/**
 * A list filter sent as a repeated parameter (`?ids=a&ids=b`, Catena's form): one occurrence arrives as
 * a string, several as an array, so one becomes a list of one. At most `maxItems` values.
 */
export function queryList<T extends z.ZodType<string, string>>(item: T, opts: { maxItems: number; description: string }) {
  const list = z.array(item).min(1).max(opts.maxItems);
  const { $schema: _dialect, ...schema } = z.toJSONSchema(list, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return z
    .preprocess((v) => (typeof v === 'string' ? [v] : v), list)
    .optional()
    .meta({
      // What the document says a client sends: the array, repeated in the query (style form, explode).
      ...schema,
      description: `${opts.description} At most ${opts.maxItems} values. To specify several, repeat the parameter (e.g. \`?name=a&name=b\`).`,
    });
}

// RFC 3339 date-time with an offset. The year 0000 is refused (PostgreSQL has no year zero), the
// fraction has at most 9 digits, and the offset is at most ±15:59 (PostgreSQL's limit; real ones stop at ±14:00).
const DATE =
  '(?!0000)(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|' +
  '\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8])))';
const TIME = 'T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d{1,9})?';
const OFFSET = '(?:Z|[+-](?:0\\d|1[0-5]):[0-5]\\d)';
export const DATE_TIME_PATTERN = new RegExp(`^${DATE}${TIME}${OFFSET}$`);

/** The instants a date-time filter may name (UTC): what PostgreSQL and a JavaScript Date both hold. */
export const DATE_TIME_MIN = '0001-01-01T00:00:00Z';
export const DATE_TIME_MAX = '9999-12-31T23:59:59.999Z';
const MIN_MS = Date.parse(DATE_TIME_MIN);
const MAX_MS = Date.parse(DATE_TIME_MAX);

/** A date-time filter: RFC 3339 with an offset, between DATE_TIME_MIN and DATE_TIME_MAX once in UTC. */
export function queryDateTime(description: string) {
  return z
    .string()
    .regex(DATE_TIME_PATTERN, { message: 'must be an RFC 3339 date-time with an offset (Z or ±hh:mm up to ±15:59), year 0001 or later', abort: true })
    .superRefine((s, ctx) => {
      const ms = Date.parse(s);
      if (ms < MIN_MS) ctx.addIssue({ code: 'too_small', origin: 'date', minimum: MIN_MS, inclusive: true, input: s, message: `must not be before ${DATE_TIME_MIN}` });
      else if (!(ms <= MAX_MS)) ctx.addIssue({ code: 'too_big', origin: 'date', maximum: MAX_MS, inclusive: true, input: s, message: `must not be after ${DATE_TIME_MAX}` });
    })
    .meta({
      format: 'date-time',
      description: `${description} RFC 3339 with an offset (Z or ±hh:mm, at most ±15:59), at most 9 fractional digits; between ${DATE_TIME_MIN} and ${DATE_TIME_MAX} once converted to UTC.`,
    });
}
