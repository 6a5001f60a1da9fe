// The Samsara driver as the sandbox validates, stores and renders it. A body may hold exactly the
// members of the SDK's CreateDriverRequest (POST) or UpdateDriverRequest (PATCH), each of the SDK's type
// (./sdk-check.ts over the generated ./sdk-vocabulary.ts): an unknown member such as `email` is a 400,
// and so is a null, except where the SDK documents one (`usDriverRulesetOverride: null` "will delete
// driver's ruleset override"). On top of the types, the rules the SDK states in prose (./vendor.ts) and
// the references a driver makes to the organization's tags and vehicles. The read is the SDK's Driver:
// `tags` (not tagIds), the group tags and the static vehicle as objects, isDeactivated.
import { badRequest } from './errors.ts';
import { parseExternalIds } from './external-ids.ts';
import { isObject, str } from './field-checks.ts';
import type { Json } from './field-checks.ts';
import { checkSdkValue, sdkObject } from './sdk-check.ts';
import type { StoredTag } from './tag-store.ts';
import { tinyTag } from './tag-store.ts';
import { DEACTIVATED_AT_MAX_AGE_MS, ELD_DAY_START_HOURS, isIanaTimeZone, LICENSE_STATES, USERNAME_FORBIDDEN } from './vendor.ts';

export type WriteMode = 'create' | 'update';

/** A stored driver: every accepted member (password aside) plus identity and timestamps. */
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

/** What a driver may refer to in the organization (tags, vehicles), and the clock for time rules. */
export interface DriverRefs {
  /** The tag, or a 400 naming `field`. */
  tag(id: string, field: string): StoredTag;
  findTag(id: string): StoredTag | undefined;
  vehicleName(id: string): string | undefined;
  nowMs: number;
}

/** What a create/update body asks for, after every check. */
export interface DriverWrite {
  set: Json;
  /** Members an update deletes (only the documented null clear). */
  clear: string[];
  password?: string;
  driverActivationStatus?: 'active' | 'deactivated';
  deactivatedAtTime?: string;
}

const TAG_REFERENCES = ['vehicleGroupTagId', 'trailerGroupTagId', 'peerGroupTagId'] as const;

/** Samsara's rules on one member's value beyond its SDK type; returns what is stored. */
function refine(key: string, value: unknown, refs: DriverRefs): [string, unknown] {
  switch (key) {
    case 'name':
      return [key, str('name', value, 255, { nonEmpty: true })];
    case 'username': {
      const s = str('username', value, 189, { nonEmpty: true });
      if (USERNAME_FORBIDDEN.test(s)) throw badRequest('Invalid value for username: may not contain spaces or the @ symbol');
      return [key, s];
    }
    case 'notes':
      return [key, str('notes', value, 4096)];
    case 'licenseState':
      if (!LICENSE_STATES.has(value as string)) throw badRequest(`Invalid value for licenseState: ${JSON.stringify(value)} is not a US state, US territory or Canadian province code`);
      return [key, value];
    case 'timezone':
      if (!isIanaTimeZone(value as string)) throw badRequest(`Invalid value for timezone: ${JSON.stringify(value)} is not an IANA time zone`);
      return [key, value];
    case 'eldDayStartHour':
      if (!ELD_DAY_START_HOURS.includes(value as number)) throw badRequest('Invalid value for eldDayStartHour: must be 0 or 12');
      return [key, value];
    case 'carrierSettings': {
      const dot = (value as Json).dotNumber;
      if (dot !== undefined && (!Number.isSafeInteger(dot) || (dot as number) < 0)) throw badRequest('Invalid value for carrierSettings.dotNumber: must be an integer');
      return [key, structuredClone(value)];
    }
    case 'externalIds':
      return [key, parseExternalIds(value)];
    case 'tagIds':
      return [key, (value as string[]).map((id) => refs.tag(id, 'tagIds').id)];
    case 'staticAssignedVehicleId':
      if (refs.vehicleName(value as string) === undefined) throw badRequest(`Invalid value for staticAssignedVehicleId: no vehicle ${String(value)} in this organization`);
      return [key, value];
    case 'profileImageBase64': {
      const b64 = (value as string).replace(/\s+/g, '');
      if (b64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) throw badRequest('Invalid value for profileImageBase64: not base64 data');
      // "The image will be processed and stored, and the profileImageUrl will be returned" [sdk]: the
      // sandbox has no image store, so the URL it returns carries the image itself.
      return ['profileImageUrl', `data:application/octet-stream;base64,${b64}`];
    }
    case 'profileImageUrl':
      if (!/^https?:\/\/\S+$/i.test(value as string)) throw badRequest('Invalid value for profileImageUrl: must be an http(s) URL');
      return [key, value];
    default:
      if ((TAG_REFERENCES as readonly string[]).includes(key)) return [key, refs.tag(value as string, key).id];
      return [key, structuredClone(value)];
  }
}

export function parseDriverWrite(body: unknown, mode: WriteMode, refs: DriverRefs): DriverWrite {
  if (!isObject(body)) throw badRequest('Request body must be a JSON object');
  const { fields } = sdkObject(mode === 'create' ? 'CreateDriverRequest' : 'UpdateDriverRequest');
  const write: DriverWrite = { set: {}, clear: [] };
  if (body.profileImageBase64 !== undefined && body.profileImageUrl !== undefined) {
    throw badRequest('Send profileImageBase64 or profileImageUrl, not both');
  }
  for (const [key, value] of Object.entries(body)) {
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (field === undefined) throw badRequest(`Unknown field: ${key}`);
    if (value === null && field.clearedByNull) {
      // Nothing to delete on a create: the driver starts without an override.
      if (mode === 'update') write.clear.push(key);
      continue;
    }
    checkSdkValue(field.type, value, key);
    if (key === 'password') write.password = str('password', value, 255, { nonEmpty: true });
    else if (key === 'driverActivationStatus') write.driverActivationStatus = value as 'active' | 'deactivated';
    else if (key === 'deactivatedAtTime') write.deactivatedAtTime = deactivatedAt(value as string, refs.nowMs);
    else {
      const [stored, v] = refine(key, value, refs);
      write.set[stored] = v;
    }
  }
  if (mode === 'create') {
    for (const [key, field] of Object.entries(fields)) if (field.required && body[key] === undefined) throw badRequest(`${key} is required`);
  }
  return write;
}

function deactivatedAt(value: string, nowMs: number): string {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw badRequest('Invalid value for deactivatedAtTime: must be an RFC 3339 date-time');
  if (nowMs - ms > DEACTIVATED_AT_MAX_AGE_MS) throw badRequest('Invalid value for deactivatedAtTime: cannot be more than 6 months in the past');
  return new Date(ms).toISOString();
}

/** The driver as GET answers it: the SDK's Driver members only, never the password. */
export function renderDriver(d: StoredDriver, refs: Pick<DriverRefs, 'findTag' | 'vehicleName'>): Json {
  const { tagIds, vehicleGroupTagId, trailerGroupTagId, peerGroupTagId, staticAssignedVehicleId, ...rest } = structuredClone(d.fields);
  const tag = (id: unknown): Json | undefined => {
    const t = typeof id === 'string' ? refs.findTag(id) : undefined;
    return t && tinyTag(t);
  };
  // Only what the SDK's Driver has: a request-only member (hosSetting) stays unread, and a state file
  // written before the SDK vocabulary (an `email`) shows nothing the real API would not.
  const readable = sdkObject('Driver').fields;
  const out: Json = { id: d.id, ...Object.fromEntries(Object.entries(rest).filter(([k]) => Object.hasOwn(readable, k))) };
  if (Array.isArray(tagIds)) out.tags = tagIds.map(tag).filter((t) => t !== undefined);
  for (const [member, id] of [['vehicleGroupTag', vehicleGroupTagId], ['trailerGroupTag', trailerGroupTagId], ['peerGroupTag', peerGroupTagId]] as const) {
    const t = tag(id);
    if (t) out[member] = t;
  }
  if (typeof staticAssignedVehicleId === 'string') out.staticAssignedVehicle = { id: staticAssignedVehicleId, name: refs.vehicleName(staticAssignedVehicleId) ?? '' };
  out.driverActivationStatus = d.driverActivationStatus;
  out.isDeactivated = d.driverActivationStatus === 'deactivated';
  out.createdAtTime = d.createdAtTime;
  out.updatedAtTime = d.updatedAtTime;
  return out;
}
