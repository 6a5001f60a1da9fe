// One sandbox account: what a Motive company holds (its users, vehicles, assets, messages and fuel purchases) plus the sandbox's own knobs
// (settings, fault queue, rate window, request log; kit/account.ts). Users and settings persist; the
// rest is per-process on purpose, so a restart never replays stale faults.
import { digestPassword, SandboxAccount } from '../kit/account.ts';
import type { Fault } from '../kit/faults.ts';
import { SandboxOAuth } from '../kit/oauth.ts';
import type { OAuthSnapshot } from '../kit/oauth.ts';
import { SlidingWindow } from '../kit/ratelimit.ts';
import type { RequestLogEntry } from '../kit/request-log.ts';
import { ASSET_MODEL } from './asset-model.ts';
import { notFound, validationFailed } from './errors.ts';
import { FuelPurchaseStore } from './fuel-purchase-store.ts';
import type { FuelPurchaseSnapshot } from './fuel-purchase-store.ts';
import { MessageStore } from './message-store.ts';
import type { MessageSnapshot } from './message-store.ts';
import { RecordStore } from './record-store.ts';
import type { RecordSnapshot } from './record-store.ts';
import { defaultFields } from './user-model.ts';
import type { ExternalId, FieldValue, StoredUser } from './user-model.ts';
import { checkResultingUser, parseUserWrite } from './validation.ts';
import { VEHICLE_MODEL } from './vehicle-model.ts';

export interface SandboxSettings {
  rate_limit_per_minute: number;
  latency_ms: number;
}

export const DEFAULT_SETTINGS: Readonly<SandboxSettings> = { rate_limit_per_minute: 60, latency_ms: 0 };

export type { RequestLogEntry } from '../kit/request-log.ts';

// Motive publishes no limit; 60 requests/minute was found safe by integrators (providers.md), so
// that is the default, counted over a sliding minute.
export const RATE_WINDOW_MS = 60_000;

/** What persists of an account (the state file's shape, version 1; a file from before vehicles, assets, messages or fuel purchases still loads). */
export interface AccountSnapshot {
  api_key: string;
  settings: SandboxSettings;
  next_id: number;
  users: StoredUser[];
  vehicles?: RecordSnapshot;
  assets?: RecordSnapshot;
  messages?: MessageSnapshot;
  fuel_purchases?: FuelPurchaseSnapshot;
  /** The account's OAuth apps and grants (kit/oauth.ts); a file from before them loads with none. */
  oauth?: OAuthSnapshot;
}

/**
 * Motive's OAuth access tokens: an example token answer of theirs says expires_in 7200, and the Freight
 * Marketplace token page "The token expires within 2 hours" (developer-docs.gomotive.com/reference/
 * freight-marketplace-step-1). Two hours, unless PUT /_sandbox/oauth says otherwise.
 */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 7200;

export interface UserLookup {
  email?: string;
  username?: string;
  driver_company_id?: string;
  phone?: string;
}

const fold = (v: FieldValue | undefined): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : null;
const pairKey = (e: ExternalId): string => `${e.external_id}\u0000${e.integration_name}`;

export class MotiveAccount extends SandboxAccount<SandboxSettings, Fault, RequestLogEntry> {
  /** Replaced by a key rotation (the old key is revoked: 401 from then on). */
  apiKey: string;
  readonly limiter = new SlidingWindow(RATE_WINDOW_MS);
  /** Motive's vehicles (/v1/vehicles) and assets (/v1/assets), each numbered on its own. */
  readonly vehicles: RecordStore;
  readonly assets: RecordStore;
  /** Messages sent through /v2/messages and fuel purchases of /v1/fuel_purchases. */
  readonly messages: MessageStore;
  readonly fuelPurchases: FuelPurchaseStore;
  /** The company's OAuth apps, the codes its admin granted them and the tokens they bought. */
  readonly oauth: SandboxOAuth;
  private readonly users = new Map<number, StoredUser>();
  private nextId: number;

  constructor(snapshot: AccountSnapshot, onChange: () => void) {
    super(DEFAULT_SETTINGS, snapshot.settings, onChange);
    this.apiKey = snapshot.api_key;
    this.nextId = snapshot.next_id;
    for (const u of snapshot.users) this.users.set(u.id, u);
    this.vehicles = new RecordStore(VEHICLE_MODEL, snapshot.vehicles, onChange);
    this.assets = new RecordStore(ASSET_MODEL, snapshot.assets, onChange);
    this.messages = new MessageStore(snapshot.messages, onChange);
    this.fuelPurchases = new FuelPurchaseStore(snapshot.fuel_purchases, onChange);
    this.oauth = new SandboxOAuth(snapshot.oauth, onChange, 'motive_sbx_', ACCESS_TOKEN_LIFETIME_SECONDS);
  }

  snapshot(): AccountSnapshot {
    return {
      api_key: this.apiKey,
      settings: { ...this.settings },
      next_id: this.nextId,
      users: [...this.users.values()],
      vehicles: this.vehicles.snapshot(),
      assets: this.assets.snapshot(),
      messages: this.messages.snapshot(),
      fuel_purchases: this.fuelPurchases.snapshot(),
      oauth: this.oauth.snapshot(),
    };
  }

  createUser(body: Record<string, unknown>, nowIso: string): StoredUser {
    const write = parseUserWrite(body, 'create');
    const fields = { ...defaultFields(), ...write.changes };
    checkResultingUser(fields);
    this.assertUnique(fields, write.externalIds, undefined);
    const user: StoredUser = {
      id: this.nextId++,
      fields,
      external_ids: write.externalIds,
      password_digest: write.password ? digestPassword(write.password) : null,
      created_at: nowIso,
      updated_at: nowIso,
    };
    this.users.set(user.id, user);
    this.onChange();
    return user;
  }

  updateUser(id: number, body: Record<string, unknown>, nowIso: string): StoredUser {
    const existing = this.getUser(id);
    const write = parseUserWrite(body, 'update');
    const fields = { ...existing.fields, ...write.changes };
    checkResultingUser(fields);
    this.assertUnique(fields, write.externalIds, id);
    // Validate everything first, then mutate: a 422 must leave the user untouched.
    existing.fields = fields;
    existing.external_ids = [...existing.external_ids, ...write.externalIds];
    if (write.password) existing.password_digest = digestPassword(write.password);
    existing.updated_at = nowIso;
    this.onChange();
    return existing;
  }

  getUser(id: number): StoredUser {
    const user = this.users.get(id);
    if (!user) throw notFound(`Couldn't find User with 'id'=${id}`);
    return user;
  }

  hasUser(id: number): boolean {
    return this.users.has(id);
  }

  listUsers(filter: { role?: string; status?: string }): StoredUser[] {
    return [...this.users.values()]
      .filter((u) => filter.role === undefined || u.fields.role === filter.role)
      .filter((u) => filter.status === undefined || u.fields.status === filter.status)
      .sort((a, b) => a.id - b.id);
  }

  /** Every given criterion must match; email and username compare case-insensitively. */
  lookup(criteria: UserLookup): StoredUser | undefined {
    return this.listUsers({}).find(
      (u) =>
        (criteria.email === undefined || fold(u.fields.email) === fold(criteria.email)) &&
        (criteria.username === undefined || fold(u.fields.username) === fold(criteria.username)) &&
        (criteria.driver_company_id === undefined || u.fields.driver_company_id === criteria.driver_company_id) &&
        (criteria.phone === undefined || u.fields.phone === criteria.phone),
    );
  }

  lookupByExternalId(pair: ExternalId): StoredUser | undefined {
    const key = pairKey(pair);
    return this.listUsers({}).find((u) => u.external_ids.some((e) => pairKey(e) === key));
  }

  /**
   * Rails uniqueness validations: username and email per company, case-insensitive, blanks exempt;
   * (external_id, integration_name) per company. Nested attributes without an id always build new
   * records, so re-sending a pair the same user already has is "taken" too.
   */
  private assertUnique(fields: Record<string, FieldValue>, added: ExternalId[], selfId: number | undefined): void {
    const username = fold(fields.username);
    const email = fold(fields.email);
    const others = [...this.users.values()].filter((u) => u.id !== selfId);
    if (username !== null && others.some((u) => fold(u.fields.username) === username)) {
      throw validationFailed('Username has already been taken');
    }
    if (email !== null && others.some((u) => fold(u.fields.email) === email)) {
      throw validationFailed('Email has already been taken');
    }
    const taken = new Set<string>();
    for (const u of this.users.values()) for (const e of u.external_ids) taken.add(pairKey(e));
    for (const e of added) {
      const key = pairKey(e);
      if (taken.has(key)) throw validationFailed('External ids external id has already been taken');
      taken.add(key);
    }
  }
}
