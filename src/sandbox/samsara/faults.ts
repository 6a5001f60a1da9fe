// Samsara's fault syntax for the control API: the shared fields (kit/faults.ts), unknown fields
// refused, mistakes answered 400 in Samsara's `{"message", "requestId"}` shape.
import { COMMON_FAULT_FIELDS, parseFaults } from '../kit/faults.ts';
import type { Fault } from '../kit/faults.ts';
import { badRequest } from './errors.ts';

/** Accepts `{faults: [...]}` or a single fault object. */
export const parseSamsaraFaults = (body: unknown): Fault[] =>
  parseFaults(body, { bad: badRequest, fields: COMMON_FAULT_FIELDS, unknownField: (at, key) => `${at}: unknown field ${key}` });
