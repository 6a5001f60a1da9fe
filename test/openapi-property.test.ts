// Property: the server and its own OpenAPI document agree. The document is read from GET /openapi.json
// of a test app on PGlite; requests are generated for a handful of operations (the query parameters
// of the list endpoints, the connection create body, the user create body's enums and patterns),
// with values the document calls valid and values it calls invalid. Which is which is decided by an
// independent witness, Ajv (JSON Schema 2020-12, with formats) run on the document's own schemas, plus
// the rules the document states in words (quoted where they are applied). Then:
//   - a value the document calls valid is never refused at its path;
//   - a value the document calls invalid is refused (422, in a query as in a body) at its path;
//   - a query parameter the document does not declare is refused at its path;
//   - nothing is ever a 5xx.
// Bodies carry one deliberately unknown field (`__probe`): the document says whether the body refuses it
// (additionalProperties: false, a strict body) or ignores it (a Catena write body), and the witness
// applies that. A strict body is then refused with every problem listed, and nothing reaches a TSP; a
// user body, which ignores it, is stopped after the body by an Idempotency-Key longer than the document
// allows (so it is always a 422 and nothing is stored); a sample without the probe creates real connections.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
// Ajv and ajv-formats come with @seriousme/openapi-schema-validator (a devDependency), which uses them
// the same way.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Partner, TestApp } from './helpers/app.ts';
import { call, newPartner, startTestApp } from './helpers/app.ts';
import { motiveConnection } from './helpers/motive.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

type Schema = Record<string, any>; // `any`: JSON Schema read from the document
type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };

const { default: addFormats } = addFormatsModule as unknown as { default: (ajv: unknown) => void };

/** Ajv over the document: components reachable as fleetgate#/components/schemas/<name>. */
function witness(doc: Doc) {
  // @ts-expect-error ajv's CommonJS default export is the class
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'fleetgate', components: doc.components });
  const rebase = (s: Schema): Schema => JSON.parse(JSON.stringify(s).replaceAll('"#/components/', '"fleetgate#/components/'));
  return {
    compile(schema: Schema) {
      const validate = ajv.compile(rebase(schema));
      /** The top-level fields the schema refuses in `value` (for a non-object schema: [''] or []). */
      return (value: unknown): Set<string> => {
        if (validate(value)) return new Set();
        const fields = new Set<string>();
        for (const e of validate.errors as Array<{ instancePath: string; keyword: string; params: Record<string, string> }>) {
          const first = e.instancePath.split('/')[1];
          if (first !== undefined) fields.add(first.replaceAll('~1', '/').replaceAll('~0', '~'));
          else if (e.keyword === 'required') fields.add(e.params.missingProperty!);
          else if (e.keyword === 'additionalProperties') fields.add(e.params.additionalProperty!);
          else fields.add('');
        }
        return fields;
      };
    },
  };
}

// The document's rule in words (every 422 response's description): no string or field name may hold
// U+0000 or an unpaired surrogate (PostgreSQL stores neither); a query parameter is refused the same way.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
function unstorable(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => UNSTORABLE.test(k) || unstorable(v));
}

/** The fields the server refused, from the envelope's detail (`part` = body | query | header): Catena's dotted paths. */
function refusedFields(status: number, body: any, part: string): Set<string> {
  if (status !== 422) return new Set();
  const detail = Array.isArray(body?.detail) ? (body.detail as Array<{ path: string }>) : [];
  // The field is the path's second segment (a field name holding a dot is not generated here).
  return new Set(detail.map((d) => d.path.split('.')).filter((p) => p[0] === part).map((p) => p[1] ?? ''));
}

const sorted = (s: Set<string>) => [...s].sort();

// ---------- values ----------

const oddChars = fc.constantFrom('\u0000', '\ud800', 'é', '👩‍👩‍👧', ' ', '\n', '"', '%', '+', '&', '#', '\u202e');
const text = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: oddChars, maxLength: 6 }) },
    { weight: 1, arbitrary: fc.integer({ min: max - 2, max: max + 2 }).map((n) => 'x'.repeat(Math.max(0, n))) },
  );
const junk = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }));

/** Text a query string can carry (no lone surrogates: a URL cannot encode them). */
const queryText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('\u0000', 'é', '👩', ' ', '+', '&', '=', '%', '#', '/'), maxLength: 4 }),
);
const integerText = fc.oneof(
  fc.integer({ min: -5, max: 1005 }).map(String),
  fc.integer({ min: 0, max: 2_000_000 }).map(String),
  fc.constantFrom('1e2', '0x10', '7.0', '+7', ' 7', '7 ', '', '007', '00', '1_000', 'Infinity', 'NaN', '１２', '99999999999999999999'),
);
function dateTimeText() {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const parts = fc.record({
    year: fc.oneof(fc.constantFrom(0, 1, 2, 1970, 2024, 2100, 9998, 9999), fc.integer({ min: 0, max: 9999 })),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\.[0-9]{1,11}$/)),
    offset: fc.constantFrom('Z', 'Z', '+00:00', '-14:00', '+14:00', '+01:00', '-00:01', '+23:59', '+24:00', 'z', '', '+0100', '+01'),
    sep: fc.constantFrom('T', 'T', 'T', 't', ' '),
  });
  return fc.oneof(
    { weight: 6, arbitrary: parts.map((p) => `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}${p.sep}${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}${p.fraction}${p.offset}`) },
    { weight: 1, arbitrary: fc.constantFrom('0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.9999999Z', '0001-01-01T00:00:00+00:01') },
    { weight: 1, arbitrary: queryText },
  );
}

/**
 * The date-time rule the parameter's description states ("between A and B once converted to UTC"),
 * read from the description and applied with calendar arithmetic of the test's own.
 */
function dateTimeRange(description: string): (s: string) => boolean {
  const m = /between (\S+) and (\S+?) once converted to UTC/.exec(description);
  assert.ok(m, `the date-time description states its range: ${description}`);
  const [min, max] = [Date.parse(m[1]!), Date.parse(m[2]!)];
  return (s) => {
    const p = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|([+-])(\d\d):(\d\d))$/.exec(s);
    if (!p) return false;
    const d = new Date(0);
    d.setUTCFullYear(Number(p[1]), Number(p[2]) - 1, Number(p[3]));
    d.setUTCHours(Number(p[4]), Number(p[5]), Number(p[6]), Number((p[7] ?? '').padEnd(3, '0').slice(0, 3)));
    const offsetMs = p[8] === 'Z' ? 0 : (p[9] === '-' ? -1 : 1) * (Number(p[10]) * 60 + Number(p[11])) * 60_000;
    const t = d.getTime() - offsetMs;
    return t >= min && t <= max;
  };
}

/**
 * A query string value decoded as the document's parameter schema types it (integers: digits, RFC 8259;
 * an array parameter, OpenAPI's default `form` style exploded: each occurrence is one item).
 */
function decodeQueryValue(schema: Schema, raw: string): unknown {
  if (schema.type === 'array') return [decodeQueryValue(schema.items ?? {}, raw)];
  if (schema.type === 'integer' && /^-?[0-9]+$/.test(raw)) return Number(raw);
  if (schema.type === 'array') return [decodeQueryValue(schema.items as Schema, raw)];
  return raw;
}

/**
 * The rules between parameters that no one parameter's schema can state, as their descriptions do
 * (Catena's): the parameters a combination of valid values makes the server refuse (422).
 */
function crossParameterRefusals(path: string, q: Record<string, string>): string[] {
  if (path !== '/v2/integrations/connections/resource-operations') return [];
  const refused: string[] = [];
  // "Requires the resource parameter."
  if (q.source_id !== undefined && q.resource === undefined) refused.push('source_id');
  // "to_datetime - from_datetime cannot exceed 45 days" (to_datetime defaults to now).
  if (q.from_datetime !== undefined) {
    const to = q.to_datetime === undefined ? Date.now() : Date.parse(q.to_datetime);
    if (to - Date.parse(q.from_datetime) > 45 * 86_400_000) refused.push('from_datetime');
  }
  return refused;
}

// ---------- the property ----------

describe('the server agrees with its OpenAPI document (pglite)', () => {
  let t: TestApp;
  let p: Partner;
  let doc: Doc;
  let w: ReturnType<typeof witness>;
  let connectionId: string;
  let sandboxKey: string;
  const statuses: Record<string, Record<number, number>> = {};
  const tally = (what: string, status: number) => {
    statuses[what] ??= {};
    statuses[what]![status] = (statuses[what]![status] ?? 0) + 1;
  };

  before(async () => {
    t = await startTestApp('pglite');
    p = await newPartner(t);
    const motive = await motiveConnection(t, p);
    connectionId = motive.connectionId;
    sandboxKey = motive.apiKey;
    const res = await call(t, 'GET', '/openapi.json');
    assert.equal(res.status, 200);
    doc = res.body as Doc;
    w = witness(doc);
    assert.match(doc.paths['/v2/telematics/users']!.post.responses['422'].description, /U\+0000 or an unpaired surrogate/);
  });
  after(async () => {
    await t?.close();
  });

  const LISTS = ['/v2/integrations/connections', '/v2/integrations/connections/resource-operations', '/v2/telematics/users', '/v2/notifications/webhooks'];
  for (const path of LISTS) {
    test(`GET ${path}: query parameters`, { timeout: 60_000 }, async () => {
      // `cursor` is opaque: only a value the API issued is one (its description says so).
      const params = (doc.paths[path]!.get.parameters as Array<{ in: string; name: string; schema: Schema; description?: string }>).filter((x) => x.in === 'query' && x.name !== 'cursor');
      assert.ok(params.length > 0);
      const checks = Object.fromEntries(
        params.map((x) => {
          const schema = w.compile(x.schema);
          const inRange = x.schema.format === 'date-time' ? dateTimeRange(x.description ?? '') : () => true;
          return [x.name, (raw: string) => schema(decodeQueryValue(x.schema, raw)).size === 0 && inRange(raw) && !unstorable(raw)];
        }),
      );
      const valueFor = (x: (typeof params)[number]): fc.Arbitrary<string> => {
        // An array parameter is sent once here: one item.
        const s = x.schema.type === 'array' ? (x.schema.items as Schema) : x.schema;
        if (s.enum) return fc.oneof(fc.constantFrom(...(s.enum as string[])), fc.constantFrom(...(s.enum as string[])).map((v) => v.toUpperCase()), queryText);
        if (s.type === 'integer') return integerText;
        if (s.format === 'date-time') return dateTimeText();
        if (s.format === 'uuid') return fc.oneof(fc.uuid().map(String), fc.constant(connectionId), queryText, fc.uuid().map((u) => u.toUpperCase()));
        return queryText;
      };
      const seen = { valid: new Set<string>(), invalid: new Set<string>() };
      // A name the document does not declare for the operation: always refused, whatever its value.
      const declared = new Set((doc.paths[path]!.get.parameters as Array<{ in: string; name: string }>).filter((x) => x.in === 'query').map((x) => x.name));
      const names = ['colour', 'page', 'limit', 'Size', 'user_id', 'q'].filter((n) => !declared.has(n));
      const undeclared = fc.constantFrom(...names);
      for (const name of names) checks[name] = () => false;
      // Several parameters at once, or one alone (so that valid values are often the only ones sent), sometimes with an undeclared one.
      const known = fc.oneof(
        fc.record(Object.fromEntries(params.map((x) => [x.name, valueFor(x)])) as Record<string, fc.Arbitrary<string>>, { requiredKeys: [] }),
        fc.constantFrom(...params).chain((x) => valueFor(x).map((v) => ({ [x.name]: v }))),
      );
      const query = fc.oneof(
        { weight: 5, arbitrary: known },
        { weight: 1, arbitrary: fc.tuple(known, undeclared, queryText).map(([q, name, v]) => ({ ...q, [name]: v })) },
      );
      await fc.assert(
        fc.asyncProperty(query, async (generated) => {
          const q = generated as Record<string, string>;
          const qs = Object.entries(q).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
          const res = await t.app.inject({ method: 'GET', url: `${path}?${qs}`, headers: { authorization: `Bearer ${p.token}` } });
          tally(`GET ${path}`, res.statusCode);
          const where = `GET ${path}?${qs} → ${res.statusCode} ${res.body.slice(0, 300)}`;
          assert.ok(res.statusCode < 500, where);
          const invalid = new Set(Object.entries(q).filter(([k, v]) => !checks[k]!(v)).map(([k]) => k));
          // Once every parameter is valid, the rules between them (a 422 naming the parameter).
          const combination = invalid.size ? new Set<string>() : new Set(crossParameterRefusals(path, q));
          const expected = invalid.size ? invalid : combination;
          assert.deepEqual(sorted(refusedFields(res.statusCode, res.json(), 'query')), sorted(expected), where);
          assert.equal(res.statusCode, expected.size ? 422 : 200, where);
          for (const [k, v] of Object.entries(q)) if (declared.has(k)) seen[checks[k]!(v) ? 'valid' : 'invalid'].add(k);
        }),
        { numRuns: RUNS, includeErrorInReport: true },
      );
      // Not vacuous: most parameters were seen both valid and invalid.
      const both = params.filter((x) => seen.valid.has(x.name) && seen.invalid.has(x.name)).length;
      assert.ok(both >= params.length / 2, `valid ${sorted(seen.valid)} invalid ${sorted(seen.invalid)}`);
    });
  }

  /**
   * Generated bodies for a body schema, compared field by field with the witness. `probe` is added to
   * every body so that validation refuses it and nothing reaches a TSP: by default one unknown field,
   * `__probe`, which the document says the body refuses (additionalProperties: false) or ignores; a body
   * that ignores unknown fields is given a declared field's invalid value too (Catena's connection body),
   * or a `stopper`: headers the document refuses, validated after the body (Catena's user body), so the
   * request is a 422 either way and nothing is stored. `acceptsValid`: no probe, and a body with no
   * invalid field is accepted (200), not refused (Catena's webhook bodies). `rule` applies a rule the
   * document states in words to the witness's verdict.
   */
  async function bodyProperty(
    what: string,
    url: string,
    schema: Schema,
    bodies: fc.Arbitrary<Record<string, unknown>>,
    opts: {
      acceptsValid?: boolean;
      probe?: Record<string, unknown>;
      stopper?: Record<string, string>;
      rule?: (body: Record<string, unknown>, expected: Set<string>) => Set<string>;
    } = {},
  ) {
    const check = w.compile(schema);
    const seen = { valid: new Set<string>(), invalid: new Set<string>() };
    let ignoredProbe = 0;
    await fc.assert(
      fc.asyncProperty(bodies, async (fields) => {
        // What the server receives: the JSON text (Infinity is sent as null, -0 as 0).
        const probe = opts.acceptsValid ? {} : (opts.probe ?? { __probe: true });
        const body = JSON.parse(JSON.stringify({ ...fields, ...probe })) as Record<string, unknown>;
        const res = await t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json', ...opts.stopper }, payload: JSON.stringify(body) });
        tally(what, res.statusCode);
        const where = `${what} ${JSON.stringify(fields).slice(0, 400)} → ${res.statusCode} ${res.body.slice(0, 400)}`;
        assert.ok(res.statusCode < 500, where);
        let expected = check(body);
        if (opts.rule) expected = opts.rule(body, expected);
        for (const [k, v] of Object.entries(body)) if (unstorable(k) || unstorable(v)) expected.add(k);
        assert.equal(res.statusCode, opts.acceptsValid && !expected.size ? 200 : 422, where);
        assert.deepEqual(sorted(refusedFields(res.statusCode, res.json(), 'body')), sorted(expected), where);
        // A body the document calls valid is refused only by the stopper, after it (unless it is accepted).
        if (!expected.size && !opts.acceptsValid) assert.ok(opts.stopper && refusedFields(res.statusCode, res.json(), 'header').size > 0, where);
        if ('__probe' in probe && !expected.has('__probe')) ignoredProbe++;
        for (const k of Object.keys(body)) seen[expected.has(k) ? 'invalid' : 'valid'].add(k);
      }),
      { numRuns: RUNS * 2, includeErrorInReport: true },
    );
    // The probe is refused exactly where the document says the body is strict.
    const strict = (schema.$ref ? doc.components.schemas[String(schema.$ref).split('/').pop()!]! : schema).additionalProperties === false;
    if (!opts.acceptsValid && (opts.probe === undefined || '__probe' in opts.probe)) assert.equal(ignoredProbe === 0, strict, `${what}: additionalProperties ${strict ? 'false' : 'allowed'}, probe ignored ${ignoredProbe} times`);
    const resolved = schema.$ref ? doc.components.schemas[String(schema.$ref).split('/').pop()!]! : schema;
    const names = Object.keys(resolved.properties as Schema);
    const both = names.filter((k) => seen.valid.has(k) && seen.invalid.has(k));
    assert.ok(names.length > 0 && both.length >= names.length / 2, `${what}: valid ${sorted(seen.valid)} invalid ${sorted(seen.invalid)}`);
  }

  const urls = fc.oneof(
    { weight: 3, arbitrary: fc.webUrl({ validSchemes: ['http', 'https'], authoritySettings: { withPort: true, withIPv4: true, withIPv6: true } }) },
    {
      weight: 2,
      arbitrary: fc.webUrl({ validSchemes: ['http', 'https', 'ftp', 'HTTP'], withQueryParameters: true, withFragments: true, authoritySettings: { withUserInfo: true, withPort: true, withIPv4: true, withIPv4Extended: true, withIPv6: true } }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('x', 'http://', 'http://a b', 'http://[::1', 'https://1.2.3.999', 'http://a:99999', 'http://a:0', 'http://a:080', 'http://%zz', 'http://xn--zz', 'http://a.1', 'http://[::ffff:1.2.3.4]', 'http://[::1]:8080/x', 'https://api.gomotive.com'),
    },
    { weight: 1, arbitrary: text(2048) },
  );

  test('POST /v2/integrations/connections: the body, field by field', { timeout: 60_000 }, async () => {
    const schema = doc.paths['/v2/integrations/connections']!.post.requestBody.content['application/json'].schema;
    const create = doc.components.schemas.ConnectionCreateInput!;
    const tsps = create.properties.tsp.enum as string[];
    const tspIds = create.properties.tsp_id.enum as string[];
    const credentials = fc.oneof(
      fc.constant({ api_key: sandboxKey }),
      fc.record({ api_key: text(10), access_token: text(10) }, { requiredKeys: [] }),
      fc.record({ database: text(5), username: text(5), password: text(5), server: text(5) }, { requiredKeys: [] }),
      junk,
    );
    const bodies = fc.record(
      {
        tsp_id: fc.oneof(fc.constantFrom(...tspIds), fc.uuid().map(String), fc.constantFrom('motive', tspIds[0]!.toUpperCase()), junk),
        tsp: fc.oneof(fc.constantFrom(...tsps), fc.constantFrom('Motive', 'teletrac', ''), junk),
        credentials,
        fleet_ref: fc.oneof(text(200), fc.constant(null), junk),
        fleet_id: fc.oneof(fc.uuid().map(String), fc.constant(null), text(5), junk),
        description: fc.oneof(text(1000), fc.constant(null), junk),
        sandbox: fc.oneof(fc.boolean(), junk),
        base_url: fc.oneof(urls, junk),
        rate_limit_per_minute: fc.oneof(fc.integer({ min: -1, max: 100_002 }), fc.constantFrom(1, 100_000, 1.5, 1e308), fc.constant(null), junk),
      },
      { requiredKeys: [] },
    );
    // The document's rule in words (ConnectionCreate's description): exactly one of tsp_id or tsp; without
    // either the problem is at tsp_id, with both at tsp. The witness reports a failed root `oneOf` as ''
    // (with its branches' missing fields), so the rule says where it lands.
    assert.match(create.description, /Exactly one of tsp_id or tsp: without either, the problem is at tsp_id; with both, at tsp\./);
    const exactlyOne = (body: Record<string, unknown>, expected: Set<string>) => {
      if (!expected.has('')) return expected;
      const out = new Set([...expected].filter((k) => k !== ''));
      const neither = !('tsp_id' in body) && !('tsp' in body);
      if (neither) out.delete('tsp');
      out.add(neither ? 'tsp_id' : 'tsp');
      return out;
    };
    // Catena's bodies ignore unknown fields: the probe is an invalid value of a declared field (so that
    // validation refuses every body and none reaches a TSP), and an unknown field that must not be refused.
    await bodyProperty('POST connections', '/v2/integrations/connections', schema, bodies, {
      probe: { rate_limits_per_minute: 'probe', __probe: true },
      rule: exactlyOne,
    });
  });

  test('POST /v2/integrations/connections: a body the document calls valid is created', { timeout: 60_000 }, async () => {
    const schema = doc.paths['/v2/integrations/connections']!.post.requestBody.content['application/json'].schema;
    const check = w.compile(schema);
    const bodies = fc.record(
      { fleet_ref: fc.oneof(text(200), fc.constant(null)), description: fc.oneof(text(1000), fc.constant(null)), rate_limit_per_minute: fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.constant(null)) },
      { requiredKeys: [] },
    );
    let created = 0;
    await fc.assert(
      fc.asyncProperty(bodies, async (fields) => {
        const body = JSON.parse(JSON.stringify({ tsp: 'motive', sandbox: true, credentials: { api_key: sandboxKey }, ...fields })) as Record<string, unknown>;
        if (check(body).size || unstorable(body)) return; // documented-invalid: the other property covers it
        const res = await t.app.inject({ method: 'POST', url: '/v2/integrations/connections', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        tally('POST connections (valid)', res.statusCode);
        assert.equal(res.statusCode, 200, `${JSON.stringify(fields).slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
        created++;
      }),
      // Bounded: each creation checks the key against one sandbox account, which has its own rate limit.
      { numRuns: Math.min(30, Math.ceil(RUNS / 2)), includeErrorInReport: true },
    );
    assert.ok(created > 0);
  });

  test('POST /v2/notifications/webhooks: the body, field by field', { timeout: 60_000 }, async () => {
    const schema = doc.paths['/v2/notifications/webhooks']!.post.requestBody.content['application/json'].schema;
    const create = doc.components.schemas[String(schema.$ref).split('/').pop()!]!;
    const names = (create.properties.event_name.anyOf as Schema[]).flatMap((b) => b.enum as string[]);
    const list = (item: fc.Arbitrary<unknown>) => fc.oneof(fc.array(item, { maxLength: 2 }), fc.constant(null), junk);
    const bodies = fc.record(
      {
        url: fc.oneof(urls, fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true }), junk),
        event_name: fc.oneof(fc.constantFrom(...names), text(20), junk),
        filters: fc.oneof(fc.record({ fleet_ids: list(fc.oneof(fc.uuid(), text(8))), fleet_refs: list(text(10)) }, { requiredKeys: [] }), fc.constant(null), junk),
        secret: fc.oneof(text(30), fc.constant(null), junk),
        description: fc.oneof(text(1000), fc.constant(null), junk),
      },
      { requiredKeys: [] },
    );
    await bodyProperty('POST webhooks', '/v2/notifications/webhooks', schema, bodies, { acceptsValid: true });
  });

  test('POST /v2/telematics/users: enums, patterns and types, field by field', { timeout: 60_000 }, async () => {
    const schema = doc.paths['/v2/telematics/users']!.post.requestBody.content['application/json'].schema;
    const user = doc.components.schemas.UserCreateInput!;
    /** A field's own choices (enum members, pattern-shaped strings, dates) and near misses. */
    const valueFor = (s: Schema): fc.Arbitrary<unknown> => {
      const branches = (s.anyOf as Schema[] | undefined) ?? [s];
      const options: Array<fc.Arbitrary<unknown>> = [junk];
      for (const b of branches) {
        if (b.$ref) {
          const target = doc.components.schemas[String(b.$ref).split('/').pop()!]!;
          options.push(fc.record(Object.fromEntries(Object.entries(target.properties ?? {}).map(([k, v]) => [k, valueFor(v as Schema)])), { requiredKeys: [] }));
        } else if (b.enum) {
          const e = b.enum as string[];
          options.push(fc.constantFrom(...e), fc.constantFrom(...e).map((v) => v.toLowerCase()), fc.constantFrom(...e).map((v) => ` ${v}`));
        } else if (b.format === 'date') {
          options.push(fc.stringMatching(/^[0-9]{4}-(0[0-9]|1[0-3])-([0-2][0-9]|3[0-2])$/), fc.constantFrom('0000-01-01', '0000-02-29', '9999-12-31', '2024-02-29', '2023-02-29', '2024-1-1'));
        } else if (b.pattern) {
          options.push(fc.stringMatching(new RegExp(b.pattern)), fc.string({ maxLength: 5 }), fc.string({ unit: oddChars, maxLength: 3 }));
        } else if (b.type === 'string') {
          options.push(text(40));
        } else if (b.type === 'boolean') {
          options.push(fc.boolean(), fc.constantFrom('true', 0));
        } else if (b.type === 'null') {
          options.push(fc.constant(null));
        }
      }
      return fc.oneof(...options);
    };
    const fields = Object.fromEntries(Object.entries(user.properties as Record<string, Schema>).filter(([k]) => k !== 'connection_id').map(([k, v]) => [k, valueFor(v)]));
    const bodies = fc
      .record(fields, { requiredKeys: [] })
      .chain((f) => fc.oneof(fc.constant(connectionId), fc.uuid().map(String), junk).map((c) => ({ connection_id: c, ...f })));
    // Catena's write body ignores unknown fields: the document says so, and the probe is not refused.
    assert.equal(user.additionalProperties, true);
    const maxKey = doc.paths['/v2/telematics/users']!.post.parameters.find((x: { in: string; name: string }) => x.in === 'header' && x.name === 'idempotency-key').schema.maxLength as number;
    await bodyProperty('POST users', '/v2/telematics/users', schema, bodies, { stopper: { 'idempotency-key': 'k'.repeat(maxKey + 1) } });
  });

  test('statuses seen', (ctx) => {
    ctx.diagnostic(`statuses by operation ${JSON.stringify(statuses)}`);
    assert.ok(Object.values(statuses).every((byStatus) => Object.keys(byStatus).every((code) => Number(code) < 500)));
  });
});
