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
import { ExternalIdSequence, pairKey, pairsHeldByOthers, resolveExternalIds } from './external-ids.ts';
import type { ExternalId, ExternalIdChange } from './external-ids.ts';
import { FuelPurchaseStore } from './fuel-purchase-store.ts';
import type { FuelPurchaseSnapshot } from './fuel-purchase-store.ts';
import { MessageStore } from './message-store.ts';
import type { MessageSnapshot } from './message-store.ts';
import { RecordStore } from './record-store.ts';
import type { RecordSnapshot } from './record-store.ts';
import { defaultFields } from './user-model.ts';
import type { FieldValue, StoredUser } from './user-model.ts';
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
  /** The next external id record's id; a file from before external ids had ids gives them ids on load. */
  next_external_id?: number;
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

/** The list's filters (routes.ts has their sources); each given one must match. */
export interface UserListFilter {
  role?: string;
  status?: string;
  duty_status?: string;
  name?: string;
}

export interface UserLookup {
  email?: string;
  username?: string;
  driver_company_id?: string;
  phone?: string;
}

const fold = (v: FieldValue | undefined): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : null;

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
  private readonly externalIdIds: ExternalIdSequence;

  constructor(snapshot: AccountSnapshot, onChange: () => void) {
    super(DEFAULT_SETTINGS, snapshot.settings, onChange);
    this.apiKey = snapshot.api_key;
    this.nextId = snapshot.next_id;
    for (const u of snapshot.users) this.users.set(u.id, u);
    this.externalIdIds = new ExternalIdSequence(snapshot.next_external_id ?? 1);
    this.vehicles = new RecordStore(VEHICLE_MODEL, snapshot.vehicles, onChange, this.externalIdIds);
    this.assets = new RecordStore(ASSET_MODEL, snapshot.assets, onChange, this.externalIdIds);
    this.externalIdIds.adopt([...this.users.values(), ...this.vehicles.all(), ...this.assets.all()]);
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
      next_external_id: this.externalIdIds.peek(),
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
    this.assertUnique(fields, undefined);
    const externalIds = this.externalIdsAfter([], write.externalIds, undefined);
    const user: StoredUser = {
      id: this.nextId++,
      fields,
      external_ids: externalIds,
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
    this.assertUnique(fields, id);
    const externalIds = this.externalIdsAfter(existing.external_ids, write.externalIds, id);
    // Validate everything first, then mutate: a 422 must leave the user untouched.
    existing.fields = fields;
    existing.external_ids = externalIds;
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

  listUsers(filter: UserListFilter): StoredUser[] {
    const name = filter.name?.trim().toLowerCase();
    const fullName = (u: StoredUser): string => `${String(u.fields.first_name ?? '')} ${String(u.fields.last_name ?? '')}`.toLowerCase();
    return [...this.users.values()]
      .filter((u) => filter.role === undefined || u.fields.role === filter.role)
      .filter((u) => filter.status === undefined || u.fields.status === filter.status)
      .filter((u) => filter.duty_status === undefined || u.fields.duty_status === filter.duty_status)
      .filter((u) => name === undefined || fullName(u).includes(name))
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

  lookupByExternalId(pair: Omit<ExternalId, 'id'>): StoredUser | undefined {
    const key = pairKey(pair);
    return this.listUsers({}).find((u) => u.external_ids.some((e) => pairKey(e) === key));
  }

  /** Rails uniqueness validations: username and email per company, case-insensitive, blanks exempt. */
  private assertUnique(fields: Record<string, FieldValue>, selfId: number | undefined): void {
    const username = fold(fields.username);
    const email = fold(fields.email);
    const others = [...this.users.values()].filter((u) => u.id !== selfId);
    if (username !== null && others.some((u) => fold(u.fields.username) === username)) {
      throw validationFailed('Username has already been taken');
    }
    if (email !== null && others.some((u) => fold(u.fields.email) === email)) {
      throw validationFailed('Email has already been taken');
    }
  }

  /** The user's external ids after the write; (external_id, integration_name) is unique per company. */
  private externalIdsAfter(current: readonly ExternalId[], changes: readonly ExternalIdChange[], selfId: number | undefined): ExternalId[] {
    if (changes.length === 0) return [...current];
    const holder = { model: 'User', id: selfId };
    return resolveExternalIds(current, changes, holder, pairsHeldByOthers(this.users.values(), selfId), this.externalIdIds);
  }
}
