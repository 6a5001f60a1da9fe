// Motive's fault syntax for the control API: the shared fields (kit/faults.ts), unknown fields ignored,
// mistakes answered 422 like Motive's own validation errors.
import { COMMON_FAULT_FIELDS, parseFaults } from '../kit/faults.ts';
import type { Fault } from '../kit/faults.ts';
import { MotiveApiError } from './errors.ts';


const bad = (message: string) => new MotiveApiError(422, message);

/** Accepts `{faults: [...]}` or a single fault object. */
export const parseMotiveFaults = (body: unknown): Fault[] => parseFaults(body, { bad, fields: COMMON_FAULT_FIELDS });
