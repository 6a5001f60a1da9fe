// `npm run bench -- <name> [--flags]`: runs one benchmark (or `all`), prints its table and writes its
// JSON to bench/results/<name>-<timestamp>.json. Benchmarks report; they never fail on time.
import { load, parseFlags } from './lib.ts';
import type { Figure } from './targets.ts';
import { printFigures } from './targets.ts';

const BENCHES = {
  submit: () => import('./submit.ts'),
  sync: () => import('./sync.ts'),
  drain: () => import('./drain.ts'),
  ratelimit: () => import('./ratelimit.ts'),
  retention: () => import('./retention.ts'),
  revocation: () => import('./revocation.ts'),
  pages: () => import('./pages.ts'),
} as const;

type Name = keyof typeof BENCHES;

const [name, ...rest] = process.argv.slice(2);
const listed = name === 'all' ? (Object.keys(BENCHES) as Name[]) : (name ?? '').split(',');
if (!name || !listed.every((n) => n in BENCHES)) {
  process.stderr.write(
    `usage: npm run bench -- <${Object.keys(BENCHES).join('|')}|all|a,b,...> [--quick] [--flag value ...]\n` +
      '  submit     --db pglite,postgres --connections 10 --duration 20 --rounds 4 --warmup 3 --log-level info\n' +
      '  sync       --db pglite,postgres --duration 30 --warmup 3 --concurrency 1 --log-level info --sandbox process|in-server\n' +
      '  drain      --ops 10000 --connections 10 --workers bare,1,2 --latency 0,50 --concurrency 16 --timeout 300\n' +
      '  ratelimit  --db pglite --limit 300 --window 120\n' +
      '  retention  --db pglite,postgres --ops 20000 --keep 20000 --batch 500 (comma list: one fresh database each) --rounds 3 --settle 0 [--pg-vacuum]\n' +
      '  revocation --db pglite,postgres --checks 20000 --concurrency 1,10,50 --revoked 1000\n' +
      '  pages      --db pglite,postgres --rows 10000 --size 300 --reps 30 (the cost of a page\'s total)\n' +
      '  --cpu-prof (submit, sync, ratelimit, drain): V8 profile of the server (workers) in $TMPDIR/fleetgate-bench-profiles; --node-flags="--a --b=1": more Node flags for them\n' +
      '  PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a fresh database per run, dropped after.\n',
  );
  process.exit(2);
}
const flags = parseFlags(rest);
const names = listed as Name[];
const figures: Figure[] = [];
const loadAtStart = load();
for (const n of names) {
  const mod = await BENCHES[n]();
  // submit, sync, drain and ratelimit give the figures of issue 15; the others only their tables.
  const got = (await mod.run(flags)) as Figure[] | void;
  if (got) figures.push(...got);
}
if (names.length > 1) printFigures(`all: every figure beside its baseline and target (load ${loadAtStart.join(' ')} → ${load().join(' ')})`, figures);
process.exit(0);
