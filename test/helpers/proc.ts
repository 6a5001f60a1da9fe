// Runs the real `fleetgate` CLI as a child process, for what only a second process can prove
// (the data-directory lock, shutdown, advisory-locked migrations).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'src/main/cli.ts');

export interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line matching, or rejects after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

export function cli(args: string[], env: Record<string, string | undefined>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<{ pattern: RegExp; resolve: (l: string) => void }> = [];
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
    for (const w of [...waiters]) {
      const line = out.split('\n').find((l) => w.pattern.test(l));
      if (line) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}\nstdout:\n${out}\nstderr:\n${err}`)), timeoutMs);
        exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`exited ${code} before ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
        });
        waiters.push({
          pattern,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      });
    },
  };
}

/** Runs a CLI command to completion. */
export async function runCli(args: string[], env: Record<string, string | undefined>) {
  const p = cli(args, env);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** Starts `serve` and waits until it listens; returns its URL. */
export async function serve(env: Record<string, string | undefined>, args: string[] = []) {
  const p = cli(['serve', ...args], { PORT: '0', ...env });
  const line = await p.waitFor(/"msg":"fleetgate listening"/);
  const url = (JSON.parse(line) as { url: string }).url;
  return {
    ...p,
    url,
    async stop() {
      p.child.kill('SIGTERM');
      return p.exited;
    },
  };
}
