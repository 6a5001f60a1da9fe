// PGlite is one process's database: two processes writing the same data directory lose writes
// without an error. A lock file beside the data says who holds it; a second process refuses.
import fs from 'node:fs';
import path from 'node:path';

export interface LockInfo {
  pid: number;
  url?: string;
  started_at: string;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    super(
      holder.pid < 0
        ? `the data directory ${dataDir} has a lock file that cannot be read: ${holder.started_at}`
        : `the data directory ${dataDir} is in use by another fleetgate process (pid ${holder.pid}` +
        `${holder.url ? `, serving ${holder.url}` : ''}). The embedded database allows one process: ` +
        'stop that process, point FLEETGATE_DATA_DIR elsewhere, or use DATABASE_URL (PostgreSQL) for several processes.',
    );
  }
}

export const lockPath = (dataDir: string) => path.join(dataDir, 'fleetgate.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds the data directory now, or undefined (a lock left by a dead process does not count). */
export function readLock(dataDir: string): LockInfo | undefined {
  let text: string;
  try {
    text = fs.readFileSync(lockPath(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    if (typeof info.pid === 'number') return alive(info.pid) ? info : undefined;
  } catch {
    // fall through
  }
  // A lock that cannot be read is treated as held: guessing "stale" could put two processes on one
  // directory. Removing it is a decision for a person.
  return { pid: -1, started_at: `unknown (unreadable lock file ${lockPath(dataDir)}; remove it if no fleetgate runs)` };
}

export interface DataDirLock {
  /** Records the URL the holder serves, so CLI commands can reach it instead. */
  setUrl(url: string): void;
  release(): void;
}

export function acquireLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  const info: LockInfo = { pid: process.pid, started_at: new Date().toISOString() };
  // The lock is written whole to a private file, then linked into place: link() fails if the lock
  // exists, so of two processes exactly one wins, and nobody ever reads a half-written lock.
  const mine = `${file}.${process.pid}.${Date.now()}`;
  fs.writeFileSync(mine, JSON.stringify(info), { mode: 0o600 });
  try {
    for (let tries = 0; ; tries++) {
      try {
        fs.linkSync(mine, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 2) throw err;
        const holder = readLock(dataDir);
        if (holder) throw new DataDirLockedError(dataDir, holder);
        // Stale (its process is gone): move that very file aside, then check it was the stale one and
        // not a lock another starter put in its place meanwhile.
        const aside = `${file}.stale.${process.pid}.${tries}`;
        try {
          fs.renameSync(file, aside);
        } catch {
          continue;
        }
        const moved = (() => {
          try {
            return JSON.parse(fs.readFileSync(aside, 'utf8')) as LockInfo;
          } catch {
            return undefined;
          }
        })();
        if (moved && alive(moved.pid) && moved.pid !== process.pid) {
          fs.renameSync(aside, file);
          throw new DataDirLockedError(dataDir, moved);
        }
        fs.rmSync(aside, { force: true });
      }
    }
  } finally {
    fs.rmSync(mine, { force: true });
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
      if (current.pid === process.pid) fs.rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
  process.once('exit', release);
  return {
    setUrl(url) {
      info.url = url;
      fs.writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
    },
    release,
  };
}
