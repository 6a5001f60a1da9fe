// The Samsara driver as the sandbox validates, stores and renders it. Samsara's API rejects unknown
// fields (providers.md), so every key of a body must be one listed here; value lists come from
// ./vendor.ts, taken from Samsara's official SDK and never from the adapter, so the sandbox stays an
// independent witness.
import { badRequest } from './errors.ts';
import { parseExternalIds } from './external-ids.ts';
import { isObject, oneOf, str } from './field-checks.ts';
import {
  ACTIVATION_STATUSES,
  BOOLEAN_FIELDS,
  CYCLES,
  isIanaTimeZone,
  LICENSE_STATES,
  LOCALES,
  OVERRIDE_STATES,
  RESTARTS,
  RESTBREAKS,
  USERNAME_FORBIDDEN,
} from './vendor.ts';

export type WriteMode = 'create' | 'update';
type Json = Record<string, unknown>;

/** A stored driver: every accepted field (password aside) plus identity and timestamps. */
export interface StoredDriver {
  id: string;
  fields: Json;
  driverActivationStatus: 'active' | 'deactivated';
  /** salt:sha256 hex; the sandbox, like any real service, never keeps the password itself. */
  password_digest: string | null;
  createdAtTime: string;
  updatedAtTime: string;
  deactivatedAtTime?: string;
}

/** What a create/update body asks for, after type checks. */
export interface DriverWrite {
  /** Fields to set (present in the body with a value). */
  set: Json;
  /** Fields an update clears (sent as null). */
  clear: string[];
  password?: string;
  driverActivationStatus?: 'active' | 'deactivated';
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const CARRIER_FIELDS = ['carrierName', 'dotNumber', 'mainOfficeAddress', 'homeTerminalName', 'homeTerminalAddress'];

function carrierSettings(value: unknown): Json {
  if (!isObject(value)) throw badRequest('Invalid value for carrierSettings: must be an object');
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (!CARRIER_FIELDS.includes(k)) throw badRequest(`Unknown field carrierSettings.${k}`);
    if (v === null) continue;
    if (k === 'dotNumber') {
      if (!Number.isSafeInteger(v) || (v as number) < 0) throw badRequest('Invalid value for carrierSettings.dotNumber: must be an integer');
      out[k] = v;
    } else out[k] = str(`carrierSettings.${k}`, v, 255);
  }
  return out;
}

const OVERRIDE_FIELDS = ['cycle', 'restart', 'restbreak', 'usStateToOverride'] as const;

/** All four fields are required together, each from its documented list [doc]. */
function rulesetOverride(value: unknown): Json {
  if (!isObject(value)) throw badRequest('Invalid value for usDriverRulesetOverride: must be an object');
  for (const k of Object.keys(value)) {
    if (!(OVERRIDE_FIELDS as readonly string[]).includes(k)) throw badRequest(`Unknown field usDriverRulesetOverride.${k}`);
  }
  for (const k of OVERRIDE_FIELDS) {
    if (!Object.hasOwn(value, k) || value[k] === null) throw badRequest(`usDriverRulesetOverride.${k} is required`);
  }
  return {
    cycle: oneOf('usDriverRulesetOverride.cycle', value.cycle, CYCLES),
    restart: oneOf('usDriverRulesetOverride.restart', value.restart, RESTARTS),
    restbreak: oneOf('usDriverRulesetOverride.restbreak', value.restbreak, RESTBREAKS),
    usStateToOverride: oneOf('usDriverRulesetOverride.usStateToOverride', value.usStateToOverride, OVERRIDE_STATES),
  };
}

type Parser = (value: unknown) => unknown;
const FIELD_PARSERS: Readonly<Record<string, Parser>> = {
  name: (v) => str('name', v, 255, { nonEmpty: true }),
  username: (v) => {
    const s = str('username', v, 189, { nonEmpty: true });
    if (USERNAME_FORBIDDEN.test(s)) throw badRequest('Invalid value for username: may not contain spaces or the @ symbol');
    return s;
  },
  email: (v) => {
    const s = str('email', v, 255);
    if (s !== '' && !EMAIL.test(s)) throw badRequest('Invalid value for email: not an email address');
    return s;
  },
  phone: (v) => str('phone', v, 255),
  notes: (v) => str('notes', v, 4096),
  licenseNumber: (v) => str('licenseNumber', v, 255),
  licenseState: (v) => oneOf('licenseState', v, LICENSE_STATES),
  timezone: (v) => {
    if (typeof v !== 'string' || !isIanaTimeZone(v)) throw badRequest(`Invalid value for timezone: ${JSON.stringify(v)} is not an IANA time zone`);
    return v;
  },
  locale: (v) => oneOf('locale', v, LOCALES),
  eldExemptReason: (v) => str('eldExemptReason', v, 255),
  carrierSettings,
  externalIds: parseExternalIds,
  tagIds: (v) => {
    if (!Array.isArray(v) || v.some((t) => typeof t !== 'string' || !/^\d+$/.test(t))) {
      throw badRequest('Invalid value for tagIds: must be an array of tag id strings');
    }
    return [...v];
  },
  usDriverRulesetOverride: rulesetOverride,
  ...Object.fromEntries(
    BOOLEAN_FIELDS.map((f) => [
      f,
      (v: unknown) => {
        if (typeof v !== 'boolean') throw badRequest(`Invalid value for ${f}: must be a boolean`);
        return v;
      },
    ]),
  ),
};

/** Fields an update may not clear: the driver would be invalid without them. */
const NOT_CLEARABLE = new Set(['name', 'username', 'usDriverRulesetOverride']);

export function parseDriverWrite(body: unknown, mode: WriteMode): DriverWrite {
  if (!isObject(body)) throw badRequest('Request body must be a JSON object');
  const write: DriverWrite = { set: {}, clear: [] };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'password') {
      if (value === null && mode === 'update') continue;
      write.password = str('password', value, 255, { nonEmpty: true });
      continue;
    }
    // driverActivationStatus is PATCH-only [doc]: a create always makes an active driver.
    if (key === 'driverActivationStatus' && mode === 'update') {
      write.driverActivationStatus = oneOf(key, value, ACTIVATION_STATUSES) as 'active' | 'deactivated';
      continue;
    }
    const parse = Object.hasOwn(FIELD_PARSERS, key) ? FIELD_PARSERS[key] : undefined;
    if (parse === undefined) throw badRequest(`Unknown field: ${key}`);
    if (value === null) {
      if (mode === 'create') continue;
      if (NOT_CLEARABLE.has(key)) throw badRequest(`${key} cannot be removed`);
      write.clear.push(key);
      continue;
    }
    write.set[key] = parse(value);
  }
  if (mode === 'create') {
    for (const required of ['name', 'username']) {
      if (write.set[required] === undefined) throw badRequest(`${required} is required`);
    }
    if (write.password === undefined) throw badRequest('password is required');
  }
  return write;
}

/** The driver as the API renders it: id first, every stored field, status, timestamps; never the password. */
export function renderDriver(d: StoredDriver): Json {
  const out: Json = { id: d.id, ...structuredClone(d.fields), driverActivationStatus: d.driverActivationStatus };
  out.createdAtTime = d.createdAtTime;
  out.updatedAtTime = d.updatedAtTime;
  if (d.deactivatedAtTime) out.deactivatedAtTime = d.deactivatedAtTime;
  return out;
}
