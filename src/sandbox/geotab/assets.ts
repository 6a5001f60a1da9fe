// The vehicles (Device) and trailers (Trailer) of one sandbox database: Add, Set and Get as MyGeotab
// answers them, and what persists of them. A device's serial number is unique in the database
// (DuplicateException, "an exception that occurs when adding a new object or when updating an existing
// object that would cause a duplicate entry to occur", [sdkxml]); names are not: Geotab's current
// reference calls a Device's name the one "which identifies it and is used when displaying this entity"
// [dev:Device] and a Trailer's just "the name of the trailer" [dev:Trailer].
import { argumentError, GeotabRpcError } from './errors.ts';
import { deviceFilter, trailerFilter } from './asset-search.ts';
import { parseDeviceAdd, parseDeviceSet, renderDevice } from './device-model.ts';
import type { StoredDevice } from './device-model.ts';
import { parseTrailerAdd, parseTrailerSet, renderTrailer } from './trailer-model.ts';
import type { StoredTrailer } from './trailer-model.ts';
import type { AssetFields } from './asset-fields.ts';

export interface AssetsSnapshot {
  devices: StoredDevice[];
  trailers: StoredTrailer[];
}

const fold = (s: string): string => s.trim().toLowerCase();

function entityId(entity: Record<string, unknown>): string {
  const id = entity.id;
  if (typeof id !== 'string' || id === '') throw argumentError("'id' is required to Set an entity");
  return id;
}

export class GeotabAssets {
  private readonly devices = new Map<string, StoredDevice>();
  private readonly trailers = new Map<string, StoredTrailer>();

  constructor(
    saved: Partial<AssetsSnapshot>,
    private readonly newId: () => string,
    private readonly changed: () => void,
  ) {
    for (const d of saved.devices ?? []) this.devices.set(d.id, d);
    for (const t of saved.trailers ?? []) this.trailers.set(t.id, t);
  }

  snapshot(): AssetsSnapshot {
    return { devices: [...this.devices.values()], trailers: [...this.trailers.values()] };
  }

  addDevice(entity: Record<string, unknown>, now: number): string {
    const fields = parseDeviceAdd(entity, now);
    this.assertUniqueSerial(fields, undefined);
    const id = this.newId();
    this.devices.set(id, { id, version: 0, fields });
    this.changed();
    return id;
  }

  /** Validates everything first, then replaces: a failed Set leaves the device untouched. */
  setDevice(entity: Record<string, unknown>, now: number): void {
    const id = entityId(entity);
    const stored = this.devices.get(id);
    if (!stored) throw argumentError(`Device '${id}' does not exist`);
    const fields = parseDeviceSet(entity, stored, now);
    this.assertUniqueSerial(fields, id);
    stored.fields = fields;
    stored.version += 1;
    this.changed();
  }

  getDevices(search: unknown, resultsLimit: number | undefined): Record<string, unknown>[] {
    const matches = [...this.devices.values()].filter(deviceFilter(search));
    return matches.slice(0, resultsLimit ?? matches.length).map(renderDevice);
  }

  addTrailer(entity: Record<string, unknown>): string {
    const fields = parseTrailerAdd(entity);
    const id = this.newId();
    this.trailers.set(id, { id, version: 0, fields });
    this.changed();
    return id;
  }

  setTrailer(entity: Record<string, unknown>): void {
    const id = entityId(entity);
    const stored = this.trailers.get(id);
    if (!stored) throw argumentError(`Trailer '${id}' does not exist`);
    stored.fields = parseTrailerSet(entity, stored);
    stored.version += 1;
    this.changed();
  }

  getTrailers(search: unknown, resultsLimit: number | undefined): Record<string, unknown>[] {
    const matches = [...this.trailers.values()].filter(trailerFilter(search));
    return matches.slice(0, resultsLimit ?? matches.length).map(renderTrailer);
  }

  private assertUniqueSerial(fields: AssetFields, selfId: string | undefined): void {
    const serial = fold(fields.serialNumber as string);
    const other = [...this.devices.values()].find((d) => d.id !== selfId && fold(d.fields.serialNumber as string) === serial);
    if (other) {
      throw new GeotabRpcError('DuplicateException', `Duplicate data: a device with serial number '${String(fields.serialNumber)}' already exists`);
    }
  }
}
