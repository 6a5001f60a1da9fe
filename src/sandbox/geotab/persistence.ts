// Optional state file so a demo database survives a restart. Writes are debounced (a burst of Adds
// costs one write) and atomic (temp file + rename): a crash mid-write leaves the previous file intact.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DatabaseSnapshot } from './database.ts';

export interface StateSnapshot {
  version: 1;
  databases: DatabaseSnapshot[];
}

const DEBOUNCE_MS = 100;

export async function loadStateFile(file: string): Promise<StateSnapshot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, databases: [] };
    throw err;
  }
  const parsed: unknown = JSON.parse(text);
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    (parsed as { version?: unknown }).version !== 1 ||
    !Array.isArray((parsed as { databases?: unknown }).databases)
  ) {
    throw new Error(`Geotab sandbox state file ${file} is not a version 1 state file`);
  }
  return parsed as StateSnapshot;
}

export class DebouncedStateWriter {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  // Chained so two flushes never race on the temp file or rename out of order.
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => StateSnapshot,
  ) {}

  schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => {
        // Stays dirty; the next change or close() retries.
      });
    }, DEBOUNCE_MS);
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
        const tmp = `${this.file}.${process.pid}.${++this.seq}.tmp`;
        try {
          await mkdir(dirname(this.file), { recursive: true });
          await writeFile(tmp, JSON.stringify(this.snapshot(), null, 2), 'utf8');
          await rename(tmp, this.file);
        } catch (err) {
          this.dirty = true;
          throw err;
        }
      });
    return this.chain;
  }
}
