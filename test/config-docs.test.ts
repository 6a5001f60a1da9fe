// README's configuration table against the parser (src/platform/config.ts): every variable the parser
// knows has a row, every row names a variable the parser knows, and each row states the limits the
// parser enforces (numeric ranges, length bounds, the words of an enumeration).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { EnvSchema, parseConfig } from '../src/platform/config.ts';
import { ROOT } from './helpers/proc.ts';

/** The rows of the table under README's "## Configuration": variable name → the row's text. */
function readmeRows(): Map<string, string> {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## Configuration\s*$/m)[1]?.split(/^## /m)[0];
  assert.ok(section, 'README has a "## Configuration" section');
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) continue;
    const first = line.split('|')[1] ?? '';
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) rows.set(m[1]!, line);
  }
  return rows;
}

/** The schema under its default/optional wrappers. */
function inner(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

/** Numbers as README writes them: 120,000 and 120 000 and 120_000 are 120000. */
const mentions = (row: string, n: number) => new RegExp(`(^|[^0-9.])${n}([^0-9]|$)`).test(row.replace(/(\d)[,_\u202f ](?=\d{3}\b)/g, '$1'));

describe('README configuration table', () => {
  const rows = readmeRows();
  const known = Object.keys(EnvSchema.shape);

  test('every variable the parser knows has a row, and every row is one the parser knows', () => {
    assert.deepEqual(known.filter((k) => !rows.has(k)), [], 'missing from README');
    assert.deepEqual([...rows.keys()].filter((k) => !known.includes(k)), [], 'in README, unknown to the parser');
  });

  test('each row states the limits the parser enforces', () => {
    const missing: string[] = [];
    for (const [name, schema] of Object.entries(EnvSchema.shape)) {
      const row = rows.get(name) ?? '';
      const s = inner(schema as z.ZodType);
      const bounds: number[] = [];
      if (s instanceof z.ZodNumber) {
        for (const b of [s.minValue, s.maxValue]) if (b !== null && Number.isSafeInteger(b)) bounds.push(b);
      } else if (s instanceof z.ZodString) {
        // A minimum length of 1 is "not empty", said in words.
        if (s.minLength !== null && s.minLength > 1) bounds.push(s.minLength);
        if (s.maxLength !== null) bounds.push(s.maxLength);
      } else if (s instanceof z.ZodEnum) {
        for (const o of s.options) if (!row.includes(`\`${String(o)}\``)) missing.push(`${name}: \`${String(o)}\``);
      }
      for (const b of bounds) if (!mentions(row, b)) missing.push(`${name}: ${b}`);
    }
    assert.deepEqual(missing, []);
  });

  test('the limits are the parser\'s: a value just outside a documented numeric range is refused', () => {
    // A cross-check that the introspection above reads real bounds, on two of them.
    assert.throws(() => parseConfig({ FLEETGATE_RETENTION_DAYS: '1' }), /FLEETGATE_RETENTION_DAYS/);
    assert.throws(() => parseConfig({ FLEETGATE_BOOTSTRAP_CLIENT_ID: 'ab', FLEETGATE_BOOTSTRAP_CLIENT_SECRET: 'x'.repeat(16) }), /FLEETGATE_BOOTSTRAP_CLIENT_ID/);
    assert.throws(() => parseConfig({ FLEETGATE_RETENTION_INTERVAL_MS: '500' }), /FLEETGATE_RETENTION_INTERVAL_MS/);
    assert.equal(parseConfig({ FLEETGATE_RETENTION_INTERVAL_MS: '0' }).retention.intervalMs, 0, '0: retention off');
    const defaults = parseConfig({}).retention;
    assert.deepEqual(defaults, { days: 30, webhookDays: 30, intervalMs: 60_000, batchSize: 500 });
  });
});

describe('runtime settings of the fleetgate processes', () => {
  test('npm start and npm run fleetgate run with the same environment and Node flags, which README gives the installed command', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const prefix = (script: string) => script.slice(0, script.indexOf(' --import tsx src/main/cli.ts'));
    const start = prefix(pkg.scripts.start!);
    assert.match(start, /^MALLOC_MMAP_THRESHOLD_=\d+ node --max-semi-space-size=\d+$/);
    assert.equal(prefix(pkg.scripts.fleetgate!), start);
    const [assignment, , flag] = start.split(' ');
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.ok(readme.includes(`${assignment} NODE_OPTIONS=${flag} fleetgate serve`), 'README runs the installed command with them');
    assert.ok(fs.readFileSync(path.join(ROOT, 'bin/fleetgate.js'), 'utf8').includes(`${assignment} NODE_OPTIONS=${flag}`), 'the command says so');
    // The benchmarks run every process with them (bench/lib.ts reads the start script).
    const { productRuntime } = await import('../bench/lib.ts');
    const runtime = productRuntime(pkg.scripts.start!);
    assert.deepEqual(runtime.env, { MALLOC_MMAP_THRESHOLD_: assignment!.split('=')[1] });
    assert.deepEqual(runtime.nodeFlags, [flag]);
  });
});
