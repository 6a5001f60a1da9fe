// One sandbox account: what a Samsara organization's API token sees (its drivers, assets, trailers,
// driver messages and fuel purchases) plus the sandbox's own knobs (settings, fault queue, rate
// windows, request log; kit/account.ts). Entities and settings persist; the rest is per-process on
// purpose, so a restart never replays stale faults. The entities share one id counter and one
// external-id space (values unique across kinds).
import { digestPassword, SandboxAccount } from '../kit/account.ts';
import type { Fault } from '../kit/faults.ts';
import { SandboxOAuth } from '../kit/oauth.ts';
import type { OAuthSnapshot } from '../kit/oauth.ts';
import { SlidingWindow } from '../kit/ratelimit.ts';
import type { RequestLogEntry } from '../kit/request-log.ts';
import type { StoredAsset } from './asset-model.ts';
import { AssetStore } from './asset-store.ts';
import { badRequest, notFound } from './errors.ts';
import type { ExternalIdHolder, ExternalIds } from './external-ids.ts';
import { assertExternalIdsFree, hasExternalId, splitExternalId } from './external-ids.ts';
import { FuelPurchaseStore } from './fuel-store.ts';
import type { FuelReferences, StoredFuelPurchase } from './fuel-store.ts';
import { MessageStore } from './message-store.ts';
import type { StoredMessage } from './message-store.ts';
import { EndpointLimits, RATE_WINDOW_MS } from './ratelimit.ts';
import { parseDriverWrite, renderDriver } from './driver-model.ts';
import type { DriverRefs, StoredDriver } from './driver-model.ts';
import type { DriverFilter } from './driver-filter.ts';
import { driverMatches } from './driver-filter.ts';
import { TagStore } from './tag-store.ts';
import type { StoredTag } from './tag-store.ts';
import type { StoredTrailer } from './trailer-model.ts';
import { TrailerStore } from './trailer-store.ts';

export interface SandboxSettings {
  rate_limit_per_second: number;
  latency_ms: number;
}

/** 150 requests/s per token [doc]. */
export const DEFAULT_SETTINGS: Readonly<SandboxSettings> = { rate_limit_per_second: 150, latency_ms: 0 };

export type { RequestLogEntry } from '../kit/request-log.ts';

/** What persists of an account (the state file's shape, version 1; files from before a kind load with none). */
export interface AccountSnapshot {
  api_key: string;
  settings: SandboxSettings;
  next_id: number;
  drivers: StoredDriver[];
  assets?: StoredAsset[];
  trailers?: StoredTrailer[];
  messages?: StoredMessage[];
  fuel_purchases?: StoredFuelPurchase[];
  tags?: StoredTag[];
  /** The organization's OAuth 2.0 apps and grants (kit/oauth.ts); a file from before them loads with none. */
  oauth?: OAuthSnapshot;
}

/**
 * How long an OAuth access token lives: an hour unless PUT /_sandbox/oauth says otherwise. Samsara's
 * docs say tokens expire and are refreshed (developers.samsara.com/docs/oauth-20) but give no figure in
 * any stored copy; an hour is the common lifetime, and fleetgate reads expires_in whatever it is.
 */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

const fold = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : null);

export class SamsaraAccount extends SandboxAccount<SandboxSettings, Fault, RequestLogEntry> {
  readonly apiKey: string;
  readonly limiter = new SlidingWindow(RATE_WINDOW_MS);
  /** Samsara's endpoint-level limits (per organization), beside the per-token one above. */
  readonly endpointLimits = new EndpointLimits();
  readonly assets: AssetStore;
  readonly trailers: TrailerStore;
  readonly messages: MessageStore;
  readonly fuelPurchases: FuelPurchaseStore;
  readonly tags: TagStore;
  /** The organization's OAuth 2.0 apps, the codes its admins granted them and the tokens they bought. */
  readonly oauth: SandboxOAuth;
  private readonly drivers = new Map<string, StoredDriver>();
  private nextId: number;

  constructor(snapshot: AccountSnapshot, onChange: () => void) {
    super(DEFAULT_SETTINGS, snapshot.settings, onChange);
    this.apiKey = snapshot.api_key;
    this.nextId = snapshot.next_id;
    for (const d of snapshot.drivers) this.drivers.set(d.id, d);
    // Samsara ids are strings of digits, unique across the organization's entities here.
    const env = { newId: () => String(this.nextId++), changed: () => this.onChange(), holders: () => this.holders() };
    this.assets = new AssetStore(snapshot.assets ?? [], env);
    this.trailers = new TrailerStore(snapshot.trailers ?? [], env);
    this.tags = new TagStore(snapshot.tags ?? [], env);
    this.messages = new MessageStore(snapshot.messages ?? [], env.changed);
    this.fuelPurchases = new FuelPurchaseStore(snapshot.fuel_purchases ?? [], env.changed);
    this.oauth = new SandboxOAuth(snapshot.oauth, env.changed, 'samsara_sbx_', ACCESS_TOKEN_LIFETIME_SECONDS);
  }

  snapshot(): AccountSnapshot {
    return {
      api_key: this.apiKey,
      settings: { ...this.settings },
      next_id: this.nextId,
      drivers: [...this.drivers.values()],
      assets: this.assets.all(),
      trailers: this.trailers.all(),
      messages: this.messages.all(),
      fuel_purchases: this.fuelPurchases.all(),
      tags: this.tags.all(),
      oauth: this.oauth.snapshot(),
    };
  }

  /** Every entity's external ids, of every kind (the uniqueness rule spans them all). */
  *holders(): Iterable<ExternalIdHolder> {
    for (const d of this.drivers.values()) yield { kind: 'driver', id: d.id, externalIds: d.fields.externalIds as ExternalIds | undefined };
    yield* this.assets.holders();
    yield* this.trailers.holders();
    yield* this.tags.holders();
  }

  /** What a driver may refer to: the organization's tags and vehicles (assets of type vehicle). */
  private driverRefs(nowIso: string): DriverRefs {
    return { ...this.readRefs, tag: (id, field) => this.tags.get(id, field), nowMs: Date.parse(nowIso) };
  }

  private readonly readRefs: Pick<DriverRefs, 'findTag' | 'vehicleName'> = {
    findTag: (id) => this.tags.all().find((t) => t.id === id),
    vehicleName: (id) => {
      const asset = /^\d+$/.test(id) ? this.assets.find(id) : undefined;
      return asset?.fields.type === 'vehicle' ? String(asset.fields.name ?? '') : undefined;
    },
  };

  /** The driver as the API answers it (SDK Driver). */
  render(driver: StoredDriver): Record<string, unknown> {
    return renderDriver(driver, this.readRefs);
  }

  createDriver(body: unknown, nowIso: string): StoredDriver {
    const write = parseDriverWrite(body, 'create', this.driverRefs(nowIso));
    this.assertUnique(write.set, undefined);
    const driver: StoredDriver = {
      id: String(this.nextId++),
      fields: write.set,
      driverActivationStatus: 'active',
      password_digest: digestPassword(write.password as string),
      createdAtTime: nowIso,
      updatedAtTime: nowIso,
    };
    this.drivers.set(driver.id, driver);
    this.onChange();
    return driver;
  }

  updateDriver(id: string, body: unknown, nowIso: string): StoredDriver {
    const existing = this.getDriver(id);
    const write = parseDriverWrite(body, 'update', this.driverRefs(nowIso));
    const fields = { ...existing.fields, ...write.set };
    for (const key of write.clear) delete fields[key];
    this.assertUnique(fields, existing.id);
    const status = write.driverActivationStatus ?? existing.driverActivationStatus;
    // "It will be considered an error if deactivatedAtTime is provided with a driverActivationStatus of active" [sdk].
    if (write.deactivatedAtTime !== undefined && status === 'active') {
      throw badRequest('deactivatedAtTime may only be sent with driverActivationStatus deactivated');
    }
    // Validate everything first, then mutate: a 400 must leave the driver untouched.
    existing.fields = fields;
    if (write.password) existing.password_digest = digestPassword(write.password);
    if (status !== existing.driverActivationStatus || write.deactivatedAtTime !== undefined) {
      existing.driverActivationStatus = status;
      if (status === 'deactivated') existing.deactivatedAtTime = write.deactivatedAtTime ?? existing.deactivatedAtTime ?? nowIso;
      else delete existing.deactivatedAtTime;
    }
    existing.updatedAtTime = nowIso;
    this.onChange();
    return existing;
  }

  /** By Samsara id, or by an external id written `key:value` [doc]. */
  getDriver(id: string): StoredDriver {
    const byId = /^\d+$/.test(id) ? this.drivers.get(id) : undefined;
    if (byId) return byId;
    const external = splitExternalId(id);
    if (external) {
      const found = [...this.drivers.values()].find((d) => hasExternalId(d.fields.externalIds as ExternalIds | undefined, external));
      if (found) return found;
    }
    throw notFound(`Driver ${id} not found`);
  }

  /** Whether a Samsara id (digits only) names a driver of the organization. */
  isDriver(id: string): boolean {
    return /^\d+$/.test(id) && this.drivers.has(id);
  }

  /**
   * What a vehicleId of a fuel purchase may name: a vehicle. Every vehicle here is an asset of type
   * vehicle (nothing installs gateways in the sandbox), and an asset's id is the id the vehicle endpoints
   * take: "Use this ID on PATCH vehicle, equipment, or trailer endpoints to update the asset" (SDK
   * samsarahq/samsara-python src/samsara/types/gateway_asset_response_object_response_body.py).
   */
  readonly fuelReferences: FuelReferences = {
    isDriver: (id) => this.isDriver(id),
    isVehicle: (id) => /^\d+$/.test(id) && this.assets.find(id)?.fields.type === 'vehicle',
  };

  listDrivers(filter: DriverFilter): StoredDriver[] {
    const tagScope = filter.parentTagIds && this.tags.withDescendants(filter.parentTagIds);
    return [...this.drivers.values()].filter((d) => driverMatches(d, filter, tagScope)).sort((a, b) => Number(a.id) - Number(b.id));
  }

  /**
   * Samsara's uniqueness rules: an external id (key, value) pair across every entity of the
   * organization; username (case-insensitive); the licenseNumber + licenseState pair [doc]. The external
   * id is checked first, so a retried create reports the duplicate that identifies the earlier driver.
   */
  private assertUnique(fields: Record<string, unknown>, selfId: string | undefined): void {
    const others = [...this.drivers.values()].filter((d) => d.id !== selfId);
    assertExternalIdsFree((fields.externalIds ?? {}) as ExternalIds, { kind: 'driver', id: selfId }, this.holders());
    const username = fold(fields.username);
    if (username !== null && others.some((d) => fold(d.fields.username) === username)) {
      throw badRequest(`username ${String(fields.username)} is already in use`);
    }
    const license = fold(fields.licenseNumber);
    if (license !== null && typeof fields.licenseState === 'string') {
      const clash = others.some((d) => fold(d.fields.licenseNumber) === license && d.fields.licenseState === fields.licenseState);
      if (clash) throw badRequest('a driver with this licenseNumber and licenseState already exists');
    }
  }
}
