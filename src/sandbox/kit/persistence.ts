// Optional state file so a sandbox's accounts survive a restart. Writes are debounced (a burst of
// creates costs one write) and atomic (temp file + rename), so a crash mid-write leaves the previous
// file intact rather than a truncated one that would fail to load. A write serialises every account on
// the sandbox's own thread, so its cost grows with the state: the next write waits at least
// WRITE_SHARE_INVERSE times as long as the last one took (capped at MAX_DEBOUNCE_MS), which keeps the
// writer under about 5 % of the thread however big the state grows (at 10,000 users, writing every
// 100 ms took half of a busy server's CPU: docs/benchmarks.md). close() always writes what is pending. The file is
// `{"version": 1, "<listKey>": [...]}`; each sandbox names its list (accounts, databases).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const DEBOUNCE_MS = 100;
const MAX_DEBOUNCE_MS = 5_000;
const WRITE_SHARE_INVERSE = 20;

/** How long a change waits for its write, after a write whose serialisation took `lastCostMs`. */
export function debounceAfter(lastCostMs: number): number {
  return Math.min(MAX_DEBOUNCE_MS, Math.max(DEBOUNCE_MS, lastCostMs * WRITE_SHARE_INVERSE));
}

export interface StateFileFormat {
  /** The list's key in the file: "accounts" (Motive, Samsara), "databases" (Geotab). */
  listKey: string;
  /** Names the sandbox in the error for a file that is not a state file ("Motive"). */
  label: string;
}

/** The snapshots stored in the file; none when the file does not exist yet. */
export async function loadStateFile<T>(file: string, format: StateFileFormat): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed: unknown = JSON.parse(text);
  const list = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[format.listKey] : undefined;
  if (typeof parsed !== 'object' || parsed === null || (parsed as { version?: unknown }).version !== 1 || !Array.isArray(list)) {
    throw new Error(`${format.label} sandbox state file ${file} is not a version 1 state file`);
  }
  return list as T[];
}

export class DebouncedStateWriter {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  // Writes are chained so two flushes never race on the temp file or rename out of order.
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;
  private lastCostMs = 0;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => unknown,
  ) {}

  schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => {
        // A failed background write stays dirty and is retried by the next mutation or close().
      });
    }, debounceAfter(this.lastCostMs));
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.chain = this.chain
      .catch(() => undefined)
      .then(async () => {
        if (!this.dirty) return;
        this.dirty = false;
        const started = performance.now();
        const text = JSON.stringify(this.snapshot(), null, 2);
        this.lastCostMs = performance.now() - started;
        const tmp = `${this.file}.${process.pid}.${++this.seq}.tmp`;
        try {
          await mkdir(dirname(this.file), { recursive: true });
          await writeFile(tmp, text, 'utf8');
          await rename(tmp, this.file);
        } catch (err) {
          this.dirty = true;
          throw err;
        }
      });
    return this.chain;
  }
}
