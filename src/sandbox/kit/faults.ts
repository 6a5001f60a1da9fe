// Forced outcomes for an account's next API requests, so tests and partners can provoke what a TSP
// does on a bad day: 5xx and 429 answers, slow answers that trip client timeouts, and "lost
// responses" where the write happened but the client never learns it (after_apply). The queue's
// parsing and the order a faulted request runs in are shared; what a fault's answer looks like
// (Motive's error_message, Samsara's requestId, Geotab's JSON-RPC error inside 200) is each vendor's.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Answer } from './answer.ts';

export interface Fault {
  /** Replaces the answer's status; absent means "answer normally" (after any delay). */
  status?: number;
  /** Replaces the body: a string is sent as-is (e.g. an HTML 502 page), anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delay_ms?: number;
  /**
   * Perform the real request first, then wait and answer with the fault (or, without a status, with
   * the real answer after the delay: the write lands before the client times out).
   */
  after_apply?: boolean;
}

// Long enough to outlast any sane client timeout, short enough that a typo can't wedge a test run.
export const MAX_DELAY_MS = 600_000;

/** Builds the control API's error for a bad fault (each sandbox answers its own status and shape). */
export type Bad = (message: string) => Error;

/** Reads one field of a fault into `fault`, throwing `bad(...)` for a wrong value. */
export type FaultField<F> = (value: unknown, at: string, fault: F, bad: Bad) => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields every sandbox's faults have, in the order they are checked. */
export const COMMON_FAULT_FIELDS = {
  status: (v, at, fault, bad) => {
    if (!Number.isInteger(v) || (v as number) < 200 || (v as number) > 599) throw bad(`${at}.status must be an integer between 200 and 599`);
    fault.status = v as number;
  },
  body: (v, _at, fault) => {
    fault.body = v;
  },
  headers: (h, at, fault, bad) => {
    if (!isObject(h)) throw bad(`${at}.headers must be an object`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) {
      if (typeof v !== 'string' && typeof v !== 'number') throw bad(`${at}.headers.${k} must be a string`);
      headers[k.toLowerCase()] = String(v);
    }
    fault.headers = headers;
  },
  delay_ms: (d, at, fault, bad) => {
    if (!Number.isInteger(d) || (d as number) < 0 || (d as number) > MAX_DELAY_MS) {
      throw bad(`${at}.delay_ms must be an integer between 0 and ${MAX_DELAY_MS}`);
    }
    fault.delay_ms = d as number;
  },
  after_apply: (v, at, fault, bad) => {
    if (typeof v !== 'boolean') throw bad(`${at}.after_apply must be true or false`);
    fault.after_apply = v;
  },
} satisfies Record<string, FaultField<Fault>>;

export interface FaultSyntax<F> {
  bad: Bad;
  /** Checked in this order; a field not listed is ignored unless `unknownField` is given. */
  fields: Readonly<Record<string, FaultField<F>>>;
  /** The message for a field not in `fields`; absent: unknown fields are ignored. */
  unknownField?: (at: string, key: string) => string;
}

function parseFault<F extends Fault>(raw: unknown, index: number, syntax: FaultSyntax<F>): F {
  const at = `faults[${index}]`;
  if (!isObject(raw)) throw syntax.bad(`${at} must be an object`);
  if (syntax.unknownField) {
    for (const key of Object.keys(raw)) {
      if (!Object.hasOwn(syntax.fields, key)) throw syntax.bad(syntax.unknownField(at, key));
    }
  }
  const fault = {} as F;
  for (const [key, read] of Object.entries(syntax.fields)) {
    if (raw[key] !== undefined) read(raw[key], at, fault, syntax.bad);
  }
  return fault;
}

/** Accepts `{faults: [...]}` or a single fault object. */
export function parseFaults<F extends Fault>(body: unknown, syntax: FaultSyntax<F>): F[] {
  if (!isObject(body)) throw syntax.bad('Body must be {"faults": [...]} or a single fault object');
  if (Object.hasOwn(body, 'faults')) {
    if (!Array.isArray(body.faults)) throw syntax.bad('faults must be an array');
    return body.faults.map((raw, i) => parseFault(raw, i, syntax));
  }
  return [parseFault(body, 0, syntax)];
}

/**
 * Takes the first queued fault this request matches (any, by default). Called at arrival, so
 * concurrent requests consume faults in arrival order.
 */
export function takeFault<F>(queue: F[], matches: (f: F) => boolean = () => true): F | undefined {
  const index = queue.findIndex(matches);
  return index >= 0 ? queue.splice(index, 1)[0] : undefined;
}

export interface FaultedRun<F> {
  fault: F | undefined;
  /**
   * The real request. `when` says whether it runs on arrival (after_apply) or after the fault's
   * delay, for a sandbox whose action reads the clock it was given rather than the time it runs.
   */
  perform(when: 'arrival' | 'after_delay'): Answer;
  /** Whether the fault replaces the real answer (otherwise it only delays it). */
  replaces(fault: F): boolean;
  /** The answer a replacing fault gives. */
  faultAnswer(fault: F): Answer;
  /** The account's extra latency, added to every answer. */
  latencyMs: number;
}

/** Runs a request under its fault: delay, lost response (after_apply) or replaced answer, then latency. */
export async function runWithFault<F extends Fault>(run: FaultedRun<F>): Promise<Answer> {
  const { fault } = run;
  let answer: Answer;
  if (fault?.after_apply) {
    // Lost response: the write lands now, the client hears the fault (or nothing, until it times out).
    answer = run.perform('arrival');
    if (fault.delay_ms) await sleep(fault.delay_ms);
    if (run.replaces(fault)) answer = run.faultAnswer(fault);
  } else {
    // A slow server: the write happens after the wait, possibly after the client gave up.
    if (fault?.delay_ms) await sleep(fault.delay_ms);
    answer = fault && run.replaces(fault) ? run.faultAnswer(fault) : run.perform('after_delay');
  }
  if (run.latencyMs > 0) await sleep(run.latencyMs);
  return answer;
}
