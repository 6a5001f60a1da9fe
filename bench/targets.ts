// The figures of issue 15, each beside its baseline and its target, as `npm run bench -- all` prints them
// at the end (every benchmark also prints its own at its end). A figure missing a target is reported,
// never failed: benchmarks report, they do not pass or fail on time.
import { printTable, round } from './lib.ts';

export interface Figure {
  figure: string;
  fleetgate: number | string;
  baseline?: number | string;
  /** The value the target is about (a ratio, or the figure itself). */
  value: number;
  /** `>= 0.6`, `<= 1.5`: the comparison and the bound (none: the figure is only reported). */
  target?: { op: '>=' | '<='; bound: number; unit?: string };
  load_1m?: number;
}

export function met(f: Figure): boolean | undefined {
  if (!f.target) return undefined;
  return f.target.op === '>=' ? f.value >= f.target.bound : f.value <= f.target.bound;
}

export function printFigures(title: string, figures: Figure[]): void {
  if (!figures.length) return;
  printTable(
    title,
    figures.map((f) => ({
      figure: f.figure,
      fleetgate: f.fleetgate,
      baseline: f.baseline ?? '',
      value: round(f.value, 3),
      target: f.target ? `${f.target.op} ${f.target.bound}${f.target.unit ?? ''}` : '(reported)',
      met: Number.isNaN(f.value) ? 'not measured' : met(f) === undefined ? '' : met(f) ? 'yes' : 'NO',
      load_1m: f.load_1m ?? '',
    })),
  );
}
