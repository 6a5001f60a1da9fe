// The layer rules (.dependency-cruiser.cjs, `npm run lint`) bite: depcruise, run with the project's
// config on small fixture trees, reports every forbidden import by rule name, and passes a clean tree.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2023',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    verbatimModuleSyntax: true,
    allowImportingTsExtensions: true,
    noEmit: true,
  },
  include: ['src', 'test', 'sdk'],
});

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A temp project holding `files` (path → source) and a minimal tsconfig. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleetgate-lint-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries({ 'tsconfig.json': TSCONFIG, ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/**
 * Runs depcruise on `dir` exactly as `npm run lint` does (its src and sdk, the project's config, the default `err`
 * reporter) and reads the violations off what it prints: `error <rule>: <from> → <to>` (a cycle lists its
 * modules on the lines below, the first of them being `to`).
 */
function lint(dir: string): { status: number | null; text: string; violations: string[] } {
  const res = spawnSync(DEPCRUISE, ['src', 'sdk', '--config', CONFIG], { cwd: dir, encoding: 'utf8' });
  assert.equal(res.error, undefined, `depcruise did not run: ${res.error}`);
  const text = res.stdout + res.stderr;
  const violations = [...text.matchAll(/^\s*(\w+) ([a-z-]+): (\S+) →\s*(\S+)/gm)].map(
    ([, severity, rule, from, to]) => `${severity} ${rule}: ${from} -> ${to}`,
  );
  return { status: res.status, text, violations };
}

/** Every layer, importing only what the rules allow (including each rule's exceptions). */
const CLEAN: Record<string, string> = {
  'src/contract/enums.ts': "export const STATUSES = ['active'] as const;\n",
  'src/contract/resources/users.ts': "import { STATUSES } from '../enums.ts';\nexport type User = { status: (typeof STATUSES)[number] };\n",
  'src/db/client.ts': "import type { User } from '../contract/resources/users.ts';\nexport const rows: User[] = [];\n",
  'src/db/pagination.ts': "import { rows } from './client.ts';\nexport const page = () => rows;\n",
  'src/platform/errors.ts': "export class AppError extends Error {}\n",
  'src/platform/config.ts': "import { AppError } from './errors.ts';\nimport { rows } from '../db/client.ts';\nexport const config = { AppError, rows };\n",
  // The composition root may import anything, the sandboxes included.
  'src/platform/services.ts':
    "import { config } from './config.ts';\nimport { partners } from '../accounts/partners.ts';\nimport { submit } from '../engine/submit.ts';\n" +
    "import { users } from '../resources/users.ts';\nimport { tsps } from '../tsps/registry.ts';\nimport { sandboxes } from '../sandbox/registry.ts';\n" +
    'export const services = { config, partners, submit, users, tsps, sandboxes };\n',
  'src/accounts/partners.ts': "import { config } from '../platform/config.ts';\nexport const partners = [config];\n",
  'src/engine/submit.ts': "import { page } from '../db/pagination.ts';\nimport type { Services } from './types.ts';\nexport const submit = (s?: Services) => [s, page()];\n",
  'src/engine/types.ts': 'export interface Services { name: string }\n',
  'src/resources/users.ts': "import { submit } from '../engine/submit.ts';\nexport const users = { submit };\n",
  'src/tsps/kit/http.ts': "import { STATUSES } from '../../contract/enums.ts';\nexport const call = () => STATUSES;\n",
  'src/tsps/motive/native.ts': "import { createHash } from 'node:crypto';\nexport const TABLE = { createHash };\n",
  'src/tsps/motive/users/map.ts':
    "import { TABLE } from '../native.ts';\nimport { call } from '../../kit/http.ts';\nimport type { User } from '../../../contract/resources/users.ts';\n" +
    'export const map = (u: User) => [TABLE, call(), u];\n',
  'src/tsps/samsara/native.ts': "import { call } from '../kit/http.ts';\nexport const TABLE = call;\n",
  // The registry, outside every TSP folder, may import them all.
  'src/tsps/registry.ts': "import { map } from './motive/users/map.ts';\nimport { TABLE } from './samsara/native.ts';\nexport const tsps = { map, TABLE };\n",
  'src/sandbox/kit/state.ts': 'export const state = new Map<string, unknown>();\n',
  'src/sandbox/motive/index.ts': "import { state } from '../kit/state.ts';\nexport const motive = state;\n",
  'src/sandbox/registry.ts': "import { motive } from './motive/index.ts';\nimport { page } from '../db/pagination.ts';\nexport const sandboxes = { motive, page };\n",
  'src/http/app.ts': "import { sandboxes } from '../sandbox/registry.ts';\nimport { users } from '../resources/users.ts';\nexport const app = { sandboxes, users };\n",
  'src/worker/worker.ts': "import { submit } from '../engine/submit.ts';\nexport const worker = submit;\n",
  'src/main/cli.ts':
    "import { app } from '../http/app.ts';\nimport { worker } from '../worker/worker.ts';\nimport type { motive } from '../sandbox/motive/index.ts';\n" +
    'export const cli = { app, worker } as { app: unknown; worker: unknown; m?: typeof motive };\n',
  'test/helpers.ts': "import { cli } from '../src/main/cli.ts';\nexport const h = cli;\n",
  // The client imports only itself and packages; its generator may read the server's document.
  'sdk/src/types.ts': 'export const types = 1;\n',
  'sdk/src/client.ts': "import { randomUUID } from 'node:crypto';\nimport { types } from './types.ts';\nexport const c = { randomUUID, types };\n",
  'sdk/scripts/generate.ts': "import { cli } from '../../src/main/cli.ts';\nimport { c } from '../src/client.ts';\nexport const g = { cli, c };\n",
};

/** One violation per rule (two for the TSP folder rule), each an import added to an otherwise clean tree. */
const DIRTY: Record<string, string> = {
  ...CLEAN,
  'src/contract/leaky.ts': "import { rows } from '../db/client.ts';\nexport const leaky = rows;\n",
  'src/db/a.ts': "import { b } from '../engine/b.ts';\nexport const a = b;\n",
  'src/engine/b.ts': 'export const b = 1;\n',
  'src/engine/x.ts': "import { y } from './y.ts';\nexport const x = () => y;\n",
  'src/engine/y.ts': "import { x } from './x.ts';\nexport const y = () => x;\n",
  // Type-only: counts all the same (tsPreCompilationDeps).
  'src/engine/names-resource.ts': "import type { users } from '../resources/users.ts';\nexport type U = typeof users;\n",
  'src/engine/uses-http.ts': "import { app } from '../http/app.ts';\nexport const e = app;\n",
  'src/platform/keys.ts': "import { partners } from '../accounts/partners.ts';\nexport const keys = partners;\n",
  'src/tsps/motive/cross.ts': "import { TABLE } from '../samsara/native.ts';\nimport { b } from '../../engine/b.ts';\nexport const cross = [TABLE, b];\n",
  'src/tsps/kit/names-tsp.ts': "import { TABLE } from '../motive/native.ts';\nexport const t = TABLE;\n",
  'src/sandbox/motive/z.ts': "import { TABLE } from '../../tsps/motive/native.ts';\nexport const z = TABLE;\n",
  'src/http/routes/r.ts': "import { state } from '../../sandbox/kit/state.ts';\nexport const r = state;\n",
  'src/worker/uses-main.ts': "import { cli } from '../main/cli.ts';\nexport const w = cli;\n",
  'src/accounts/uses-test.ts': "import { h } from '../../test/helpers.ts';\nexport const u = h;\n",
  'src/accounts/typo.ts': "import { nothing } from './no-such-file.ts';\nexport const n = nothing;\n",
  'sdk/src/uses-server.ts': "import { rows } from '../../src/db/client.ts';\nimport { g } from '../scripts/generate.ts';\nexport const s = [rows, g];\n",
};

describe('layer rules (.dependency-cruiser.cjs)', () => {
  test('a tree that keeps every rule passes', () => {
    const { status, violations, text } = lint(fixture(CLEAN));
    assert.deepEqual(violations, [], text);
    assert.match(text, /no dependency violations found/, text);
    assert.equal(status, 0, text);
  });

  test('each forbidden import is reported by rule name, and nothing else; the lint fails', () => {
    const { status, violations, text } = lint(fixture(DIRTY));
    assert.deepEqual(
      violations.sort(),
      [
        'error contract-self-contained: src/contract/leaky.ts -> src/db/client.ts',
        'error db-only-db: src/db/a.ts -> src/engine/b.ts',
        'error engine-names-no-resource: src/engine/names-resource.ts -> src/resources/users.ts',
        'error engine-resources-not-outer: src/engine/uses-http.ts -> src/http/app.ts',
        'error http-worker-not-main: src/worker/uses-main.ts -> src/main/cli.ts',
        // The one cycle, once.
        'error no-circular: src/engine/x.ts -> src/engine/y.ts',
        'error no-product-to-sandbox: src/http/routes/r.ts -> src/sandbox/kit/state.ts',
        'error not-to-unresolvable: src/accounts/typo.ts -> ./no-such-file.ts',
        'error platform-low: src/platform/keys.ts -> src/accounts/partners.ts',
        'error sdk-standalone: sdk/src/uses-server.ts -> sdk/scripts/generate.ts',
        'error sdk-standalone: sdk/src/uses-server.ts -> src/db/client.ts',
        'error sandbox-independent: src/sandbox/motive/z.ts -> src/tsps/motive/native.ts',
        'error src-not-test-bench: src/accounts/uses-test.ts -> test/helpers.ts',
        'error tsp-own-folder: src/tsps/motive/cross.ts -> src/engine/b.ts',
        'error tsp-own-folder: src/tsps/motive/cross.ts -> src/tsps/samsara/native.ts',
        'error tsps-kit-self-contained: src/tsps/kit/names-tsp.ts -> src/tsps/motive/native.ts',
      ].sort(),
      text,
    );
    // Non-zero (the number of errors), so `npm run lint` fails CI.
    assert.equal(status, violations.length, text);
  });
});
