// Geotab's fault syntax for the control API: the shared fields (kit/faults.ts) plus two of its own.
// `method` aims a fault at one JSON-RPC method (e.g. "Add") so a test can fault a write without the
// adapter's Authenticate consuming it; `error` is a shortcut for a Geotab error inside HTTP 200.
import { COMMON_FAULT_FIELDS, parseFaults as parseKitFaults } from '../kit/faults.ts';
import type { Fault as KitFault, FaultField } from '../kit/faults.ts';
import { ControlError } from './errors.ts';

export interface Fault extends KitFault {
  /** Only calls of this JSON-RPC method take the fault (first matching fault in queue order). */
  method?: string;
  /** Shortcut for a Geotab error answer: `{type: "OverLimitException", message?}` inside HTTP 200. */
  error?: { type: string; message?: string };
}

const bad = (message: string) => new ControlError(400, message);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Checked in this order (an answer names the first bad field); HTTP status 200 when only a body or
// error is given.
const FIELDS: Record<string, FaultField<Fault>> = {
  method: (v, at, fault, fail) => {
    if (typeof v !== 'string' || v === '') throw fail(`${at}.method must be a method name`);
    fault.method = v;
  },
  status: (v, at, fault, fail) => {
    if (!Number.isInteger(v) || (v as number) < 200 || (v as number) > 599) throw fail(`${at}.status must be 200-599`);
    fault.status = v as number;
  },
  body: COMMON_FAULT_FIELDS.body,
  error: (e, at, fault, fail) => {
    if (!isObject(e) || typeof e.type !== 'string' || (e.message !== undefined && typeof e.message !== 'string')) {
      throw fail(`${at}.error must be {"type": string, "message"?: string}`);
    }
    fault.error = { type: e.type, ...(e.message !== undefined ? { message: e.message as string } : {}) };
  },
  headers: COMMON_FAULT_FIELDS.headers,
  delay_ms: COMMON_FAULT_FIELDS.delay_ms,
  after_apply: COMMON_FAULT_FIELDS.after_apply,
};

/** Accepts `{faults: [...]}` or a single fault object. */
export const parseFaults = (body: unknown): Fault[] =>
  parseKitFaults(body, { bad, fields: FIELDS, unknownField: (at, key) => `${at}.${key} is not a fault field` });

/** Whether the fault replaces the answer (otherwise it only delays it). */
export const replacesAnswer = (f: Fault): boolean => f.status !== undefined || f.body !== undefined || f.error !== undefined;
