// Property-based: generated bodies thrown at POST /v2/telematics/users never get a 5xx, every
// refusal is the {code, message, detail} envelope, and an accepted body's unknown fields (ignored, as
// Catena ignores them) are exactly the operation's ignored_fields. 10,000 runs in-process (app.inject) plus a sample
// over real HTTP. The bodies: valid ones built from the contract's fields and enumerations, the same
// with wrong types, nulls, unknown keys (__proto__ too), huge strings, odd unicode (NUL, lone
// surrogates, bidi controls) and nested junk; arbitrary JSON; malformed raw text; odd query strings,
// idempotency keys and tokens. No worker runs, so accepted writes stay queued and the sandbox is
// never called.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  HOS_COMPLIANCE_TYPES,
  HOS_RULESET_CODES,
  HOS_TRACKING_METHODS,
  TIME_ZONES,
  USER_STATUSES,
} from '../src/contract/enums.ts';
import { USER_ATTRIBUTE_NAMES } from '../src/contract/resources/users.ts';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { motiveConnection } from './helpers/motive.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const HTTP_RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 500);

interface Req {
  kind: 'valid' | 'mixed' | 'json' | 'raw' | 'auth';
  query: string;
  headers: Record<string, string>;
  /** A JSON value to send, or raw text. */
  json?: unknown;
  raw?: string;
}

// ---------- values ----------

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });
const oddChars = fc.constantFrom('\u0000', '\u0001', '\ud800', '\udfff', '\u202e', '\ufeff', '\u200b', '\u2028', 'é', 'e\u0301', '𝔘', '👩‍👩‍👧', '\n', '"', '\\', '%00', "'; DROP TABLE users; --");
const texty = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: oddChars, maxLength: 12 }) },
);
/** Long strings: mostly 256 to 20,000 characters, sometimes past the 1 MiB body limit (a 413). */
const huge = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 256, max: 20_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_040_000, max: 1_100_000 }) },
).map((n) => 'x'.repeat(n));
/** [[[...]]] nested `depth` deep once serialized (fast-check shows it by its depth, not recursively). */
class Deep {
  constructor(readonly depth: number) {}
  toJSON(): unknown {
    let v: unknown = [];
    for (let i = 0; i < this.depth; i++) v = [v];
    return v;
  }
  [fc.toStringMethod](): string {
    return `Deep(${this.depth})`;
  }
}
const deep = fc.integer({ min: 2, max: 3000 }).map((depth) => new Deep(depth));
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  texty,
  texty,
  huge,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  deep,
);

const ENUMS: Record<string, readonly string[]> = {
  status: USER_STATUSES,
  hos_ruleset_code: HOS_RULESET_CODES,
  default_time_zone: TIME_ZONES,
  hos_compliance_type: HOS_COMPLIANCE_TYPES,
  hos_tracking_method: HOS_TRACKING_METHODS,
};
const FLAGS = new Set(['is_active', 'is_driver', 'allow_yard_move', 'allow_personal_conveyance', 'allow_adverse_driving']);

/** A value the contract accepts for the field (fields not special-cased are nullable strings). */
function validValue(name: string): fc.Arbitrary<unknown> {
  const e = ENUMS[name];
  if (e) return fc.constantFrom(...e);
  if (FLAGS.has(name)) return fc.boolean();
  if (name === 'country_code' || name === 'license_country') return fc.oneof(fc.constantFrom('USA', 'CAN', 'MEX'), fc.stringMatching(/^\w{3}$/));
  if (name === 'license_expiration') return fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (name === 'hos_tracking_mode') return fc.record({ hos_compliance_type: validValue('hos_compliance_type'), hos_tracking_method: validValue('hos_tracking_method') }, { requiredKeys: [] });
  if (name === 'phone_country_code') return fc.constantFrom('+1', '+52', '+44');
  return texty;
}

/** The same, but sometimes null, a wrong type, or an almost-right value. */
function mixedValue(name: string): fc.Arbitrary<unknown> {
  const near: fc.Arbitrary<unknown>[] = [];
  const e = ENUMS[name];
  if (e) near.push(fc.constantFrom(...e).map((v) => v.toLowerCase()), fc.constantFrom(...e).map((v) => ` ${v}`));
  if (name === 'license_expiration') near.push(fc.constantFrom('2024-02-30', '2024-13-01', '24-01-01', '2024-01-01T00:00:00Z', '0000-00-00'));
  if (name === 'hos_tracking_mode') near.push(fc.dictionary(fc.constantFrom('hos_compliance_type', 'hos_tracking_method', 'extra', '__proto__'), junk, { maxKeys: 3 }));
  return fc.oneof(
    { weight: 5, arbitrary: validValue(name) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: junk },
    ...near.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
}

const unknownKeys = fc.dictionary(
  fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'connectionId', 'FIRST_NAME', 'is_sync')),
  junk,
  { maxKeys: 3 },
);

// ---------- requests ----------

function requests(ctx: { conn: string; token: string }): fc.Arbitrary<Req> {
  const fields = (value: (n: string) => fc.Arbitrary<unknown>) =>
    fc.record(Object.fromEntries(USER_ATTRIBUTE_NAMES.map((n) => [n, value(n)])) as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] });
  const query = fc.oneof(
    { weight: 8, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constant('?is_sync=false') },
    // Never a true is_sync: that would call the sandbox.
    { weight: 1, arbitrary: fc.constantFrom('?is_sync=', '?is_sync=maybe', '?is_sync=2', '?is_sync=false&is_sync=x', '?x=%ZZ', '?is_sync[a]=1') },
  );
  const headers = fc.record(
    { 'idempotency-key': fc.oneof(printable, fc.constant('')) },
    { requiredKeys: [] },
  ).map((h) => ({ authorization: `Bearer ${ctx.token}`, ...h }));
  const connection = fc.oneof(
    { weight: 8, arbitrary: fc.constant(ctx.conn) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: junk },
  );
  const validHeaders = fc
    // HTTP strips the spaces around a header value, so a key of spaces alone arrives empty (a 422).
    .record({ 'idempotency-key': printable.filter((k) => k.trim().length >= 1 && k.length <= 255) }, { requiredKeys: [] })
    .map((h) => ({ authorization: `Bearer ${ctx.token}`, ...h }));
  // A few fields (most valid bodies Motive takes as they are) or all of them (cross-field refusals).
  const validFields = fc.oneof(
    { weight: 3, arbitrary: fc.subarray([...USER_ATTRIBUTE_NAMES], { maxLength: 4 }).chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, validValue(k)])))) },
    { weight: 1, arbitrary: fields(validValue) },
  );
  // Unknown fields a valid body may carry (ignored and listed, as Catena ignores them); not the names
  // the JSON parser refuses as prototype poisoning (a 400), which `mixed` sends.
  const ignorable = fc.dictionary(
    fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('prototype', 'id', 'connectionId', 'FIRST_NAME', 'is_sync')).filter((k) => k !== '__proto__' && k !== 'constructor'),
    junk,
    { minKeys: 1, maxKeys: 3 },
  );
  const valid = fc
    .record({ query: fc.constantFrom('', '?is_sync=false'), headers: validHeaders, fields: validFields, notes: fc.option(huge, { freq: 20 }), extra: fc.option(ignorable, { freq: 3 }) })
    .map(({ query, headers, fields, notes, extra }) => ({
      kind: 'valid' as const,
      query,
      headers,
      json: { ...extra, connection_id: ctx.conn, first_name: 'Fuzz', last_name: 'Valid', phone_country_code: '+1', ...fields, ...(notes === null ? {} : { notes }) },
    }));
  const mixed = fc
    .record({ query, headers, fields: fields(mixedValue), extra: fc.option(unknownKeys), connection: fc.option(connection, { freq: 8 }) })
    .map(({ query, headers, fields, extra, connection }) => {
      const body: Record<string, unknown> = { ...(connection === null ? {} : { connection_id: connection }), ...fields };
      // Own keys, __proto__ included (Object.assign would call the setter instead).
      for (const [k, v] of Object.entries(extra ?? {})) Object.defineProperty(body, k, { value: v, enumerable: true, writable: true, configurable: true });
      return { kind: 'mixed' as const, query, headers, json: body };
    });
  const json = fc.record({ query, headers, json: fc.jsonValue({ maxDepth: 4 }) }).map((r) => ({ kind: 'json' as const, ...r }));
  const raw = fc
    .record({
      headers,
      raw: fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.constantFrom('', '{', '{"connection_id":', 'null', '[]', '{"a":1}{"b":2}', '\ufeff{}', '{"first_name":"\\ud800"}', '{"notes":"\\u0000"}'),
        // Nesting far deeper than JSON.stringify can produce (up to 400 KB, under the 1 MiB limit).
        fc.record({ depth: fc.integer({ min: 1000, max: 200_000 }), field: fc.constantFrom('first_name', 'hos_tracking_mode', 'unknown') }).map(({ depth, field }) =>
          `{"connection_id":"${ctx.conn}","${field}":${'['.repeat(depth)}${']'.repeat(depth)}}`,
        ),
        fc.integer({ min: 1000, max: 50_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
      ),
      type: fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'),
    })
    .map(({ headers, raw, type }) => ({ kind: 'raw' as const, query: '', headers: { ...headers, 'content-type': type }, raw }));
  const auth = fc
    .record({ token: fc.oneof(printable, fc.constant(ctx.token.slice(0, -2))), scheme: fc.constantFrom('Bearer ', 'bearer ', 'Basic ', '') })
    .map(({ token, scheme }) => ({ kind: 'auth' as const, query: '', headers: { authorization: `${scheme}${token}` }, json: { connection_id: ctx.conn, first_name: 'A', last_name: 'B' } }));
  return fc.oneof(
    { weight: 10, arbitrary: valid },
    { weight: 25, arbitrary: mixed },
    { weight: 10, arbitrary: json },
    { weight: 5, arbitrary: raw },
    { weight: 1, arbitrary: auth },
  );
}

// ---------- the property ----------

/** Accepted bodies whose operation listed ignored fields (the property is not vacuous). */
let withIgnored = 0;
const KNOWN = new Set<string>(['connection_id', ...USER_ATTRIBUTE_NAMES]);
const KNOWN_MODE = new Set(['hos_compliance_type', 'hos_tracking_method']);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The fields of an accepted body that the contract does not know (dot-separated), as the operation lists them. */
function unknownFields(body: Record<string, unknown>): string[] {
  const fields = Object.keys(body).filter((k) => !KNOWN.has(k));
  if (isObject(body.hos_tracking_mode)) fields.push(...Object.keys(body.hos_tracking_mode).filter((k) => !KNOWN_MODE.has(k)).map((k) => `hos_tracking_mode.${k}`));
  return fields.sort();
}

function checkAnswer(req: Req, status: number, text: string): void {
  const where = () => `${req.kind} request → ${status}: ${text.slice(0, 400)}`;
  assert.ok(status < 500, `5xx: ${where()}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`not JSON: ${where()}`);
  }
  if (status === 202 || status === 200) {
    const op = body as { id?: unknown; status?: unknown; resource?: unknown; ignored_fields?: string[]; payload?: Record<string, unknown> };
    assert.equal(typeof op.id, 'string', where());
    assert.equal(op.resource, 'user', where());
    // A replay (a repeated Idempotency-Key) answers the first request's operation, whose list that was.
    const sent = req.json !== undefined ? req.json : JSON.parse(req.raw ?? 'null');
    if (isObject(sent) && !req.headers['idempotency-key']) {
      assert.deepEqual(op.ignored_fields, unknownFields(sent), where());
      if (op.ignored_fields?.length) withIgnored++;
      assert.deepEqual(Object.keys(op.payload ?? {}).filter((k) => !KNOWN.has(k)), [], `ignored fields are not in the payload: ${where()}`);
    }
    return;
  }
  assert.ok(status >= 400, where());
  const env = body as Record<string, unknown>;
  assert.deepEqual(Object.keys(env).sort(), ['code', 'detail', 'message'], `envelope: ${where()}`);
  assert.equal(env.code, status, where());
  assert.equal(typeof env.message, 'string', where());
  assert.ok(env.detail === null || typeof env.detail === 'string' || typeof env.detail === 'object', where());
  if (req.kind === 'valid' && status !== 409 && status !== 413) {
    // A body the contract accepts may still be refused for what Motive cannot represent, or for a
    // character PostgreSQL cannot store (U+0000, an unpaired surrogate), never otherwise.
    assert.equal(status, 422, where());
    for (const p of env.detail as Array<{ error_type: string }>) assert.ok(['unsupported_by_tsp', 'character'].includes(p.error_type), where());
  }
}

describe('POST /v2/telematics/users under generated bodies (pglite)', () => {
  let t: TestApp;
  let p: Partner;
  let conn: string;
  const seen: Record<string, Record<number, number>> = {};

  before(async () => {
    t = await startTestApp('pglite');
    p = await newPartner(t);
    conn = (await motiveConnection(t, p)).connectionId;
  });
  after(async () => {
    await t?.close();
  });

  const tally = (req: Req, status: number) => {
    seen[req.kind] ??= {};
    seen[req.kind]![status] = (seen[req.kind]![status] ?? 0) + 1;
  };

  test(`${RUNS} generated requests in-process: never a 5xx, always the envelope or an operation`, { timeout: 300_000 }, async (ctx) => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(requests({ conn, token: p.token }), async (req) => {
        const res = await t.app.inject({
          method: 'POST',
          url: `/v2/telematics/users${req.query}`,
          headers: { ...(req.json !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
          payload: req.json !== undefined ? JSON.stringify(req.json) : req.raw,
        });
        tally(req, res.statusCode);
        checkAnswer(req, res.statusCode, res.body);
      }),
      { numRuns: RUNS, includeErrorInReport: true },
    );
    ctx.diagnostic(`in-process: ${RUNS} runs in ${((Date.now() - started) / 1000).toFixed(1)} s, statuses by kind ${JSON.stringify(seen)}, ${withIgnored} accepted with ignored fields`);
    const accepted = Object.values(seen).reduce((a, s) => a + (s[202] ?? 0), 0);
    assert.ok(accepted > RUNS / 20, `enough valid bodies accepted (${accepted})`);
    assert.ok(withIgnored > RUNS / 200, `enough accepted bodies with ignored fields (${withIgnored})`);
  });

  test(`${HTTP_RUNS} generated requests over real HTTP: the same`, { timeout: 120_000 }, async (ctx) => {
    const started = Date.now();
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(requests({ conn, token: p.token }), async (req) => {
        const res = await call(t, 'POST', `/v2/telematics/users${req.query}`, req.json !== undefined ? { json: req.json, headers: req.headers } : { raw: req.raw, headers: req.headers });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        checkAnswer(req, res.status, res.text);
      }),
      { numRuns: HTTP_RUNS, includeErrorInReport: true },
    );
    ctx.diagnostic(`over HTTP: ${HTTP_RUNS} runs in ${((Date.now() - started) / 1000).toFixed(1)} s, statuses ${JSON.stringify(statuses)}`);
  });
});
