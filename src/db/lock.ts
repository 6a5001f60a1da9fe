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
      `the data directory ${dataDir} is in use by another fleetgate process (pid ${holder.pid}` +
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
  try {
    const info = JSON.parse(fs.readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
    return typeof info.pid === 'number' && alive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
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
  for (let tries = 0; ; tries++) {
    try {
      // 'wx' creates exclusively: of two processes racing here, exactly one succeeds.
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 2) throw err;
      const holder = readLock(dataDir);
      if (holder && holder.pid !== process.pid) throw new DataDirLockedError(dataDir, holder);
      // Stale: its process is gone. Remove it and race again.
      fs.rmSync(file, { force: true });
    }
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
