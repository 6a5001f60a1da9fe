// Progress of a bulk command on stderr (stdout stays the result, for scripts): a bar redrawn in place
// on a terminal, one plain line per item otherwise (a log file or CI output has no carriage returns).

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  /** One item done: `ok` false counts it as refused; `note` is its line when not on a terminal. */
  tick(ok: boolean, note: string): void;
  done(): void;
}

const BAR_WIDTH = 30;

export function createProgress(stream: ProgressStream, total: number, verb: string): Progress {
  let done = 0;
  let refused = 0;
  const line = () => {
    const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
    const text = `${bar} ${done}/${total} ${verb} ${done - refused}, refused ${refused}`;
    // Never wider than the terminal: a wrapped line cannot be redrawn in place.
    return stream.columns ? text.slice(0, stream.columns - 1) : text;
  };
  if (stream.isTTY) stream.write(line());
  return {
    tick(ok, note) {
      done++;
      if (!ok) refused++;
      if (stream.isTTY) stream.write(`\r\x1b[2K${line()}`);
      else stream.write(`[${done}/${total}] ${note}\n`);
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
