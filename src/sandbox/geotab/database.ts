// One sandbox database: what a MyGeotab database holds (users, with the admin login among them; devices
// and trailers in ./assets.ts; text messages, fuel transactions, DVIR logs and defect lists in ./writes.ts;
// users' ruleset history in ./user-hos-rule-sets.ts) plus the sandbox's own knobs (settings, fault queue, rate windows,
// sessions, request log). Users, devices, trailers, the ./writes.ts entities, settings and the id counter persist; sessions,
// faults, windows and the log are per process, so a restart never replays stale faults and every client
// re-authenticates (as after a server move).
import { randomBytes } from 'node:crypto';
import { digestPassword, passwordMatches, SandboxAccount } from '../kit/account.ts';
import { KeyedSlidingWindows } from '../kit/ratelimit.ts';
import type { Admission } from '../kit/ratelimit.ts';
import { GeotabAssets } from './assets.ts';
import type { AssetsSnapshot } from './assets.ts';
import { ASSET_RATE_LIMITS } from './asset-vendor.ts';
import { GeotabWrites } from './writes.ts';
import type { WritesSnapshot } from './writes.ts';
import { WRITE_RATE_LIMITS } from './writes-vendor.ts';
import { argumentError, GeotabRpcError } from './errors.ts';
import type { Fault } from './faults.ts';
import { UserHosRuleSets } from './user-hos-rule-sets.ts';
import type { StoredUserHosRuleSet } from './user-hos-rule-sets.ts';
import { renderUser } from './user-model.ts';
import type { StoredUser, UserFields } from './user-model.ts';
import { userFilter } from './user-search.ts';
import { parseUserEntity } from './validation.ts';
import { ACTIVE_FOREVER } from './vendor.ts';

export interface SandboxSettings {
  add_user_per_minute: number;
  authenticate_per_minute: number;
  /** Every other method (Get, Set …), per user and method. Not a documented Geotab figure. */
  call_per_minute: number;
  /** Device and Trailer calls, per user and `<method>:<typeName>` (./asset-vendor.ts). */
  add_device_per_minute: number;
  set_device_per_minute: number;
  get_device_per_minute: number;
  add_trailer_per_minute: number;
  set_trailer_per_minute: number;
  get_trailer_per_minute: number;
  /** FuelTransaction, DVIRLog and Defect calls, per user and `<method>:<typeName>` (./writes-vendor.ts). */
  add_fuel_transaction_per_minute: number;
  get_fuel_transaction_per_minute: number;
  add_dvir_log_per_minute: number;
  set_dvir_log_per_minute: number;
  get_dvir_log_per_minute: number;
  get_defect_per_minute: number;
  latency_ms: number;
  /** Sessions older than this answer InvalidUserException. Geotab sessions last about 14 days. */
  session_ttl_ms: number;
  /** Authenticate answers `path` = this (a host, or a base URL for the sandbox) instead of "ThisServer". */
  redirect_to: string | null;
}

export const DEFAULT_SETTINGS: Readonly<SandboxSettings> = {
  add_user_per_minute: 250,
  authenticate_per_minute: 10,
  call_per_minute: 1000,
  add_device_per_minute: ASSET_RATE_LIMITS['Add:Device'],
  set_device_per_minute: ASSET_RATE_LIMITS['Set:Device'],
  get_device_per_minute: ASSET_RATE_LIMITS['Get:Device'],
  add_trailer_per_minute: ASSET_RATE_LIMITS['Add:Trailer'],
  set_trailer_per_minute: ASSET_RATE_LIMITS['Set:Trailer'],
  get_trailer_per_minute: ASSET_RATE_LIMITS['Get:Trailer'],
  add_fuel_transaction_per_minute: WRITE_RATE_LIMITS['Add:FuelTransaction'],
  get_fuel_transaction_per_minute: WRITE_RATE_LIMITS['Get:FuelTransaction'],
  add_dvir_log_per_minute: WRITE_RATE_LIMITS['Add:DVIRLog'],
  set_dvir_log_per_minute: WRITE_RATE_LIMITS['Set:DVIRLog'],
  get_dvir_log_per_minute: WRITE_RATE_LIMITS['Get:DVIRLog'],
  get_defect_per_minute: WRITE_RATE_LIMITS['Get:Defect'],
  latency_ms: 0,
  session_ttl_ms: 14 * 24 * 60 * 60 * 1000,
  redirect_to: null,
};

export interface RequestLogEntry {
  at: string;
  /** The mount prefix that received the call ("" at the root): shows which "server" was used. */
  server: string;
  /** The host name the call was sent to: tells the servers of a host-name redirect apart. */
  host: string;
  method: string;
  params: unknown;
  status: number;
  response: unknown;
}

/** What persists of a database (the state file's shape, version 1; devices, trailers, the writes and ruleset history optional). */
export interface DatabaseSnapshot extends Partial<AssetsSnapshot>, Partial<WritesSnapshot> {
  database: string;
  admin_user_name: string;
  settings: SandboxSettings;
  next_id: number;
  users: StoredUser[];
  user_hos_rule_sets?: StoredUserHosRuleSet[];
}

interface Session {
  userName: string;
  createdAt: number;
}

// Sliding one-minute windows, one per (user, method) as MyGeotab counts them (providers.md:
// Authenticate 10/min per user, Add:User 250/min).
const RATE_WINDOW_MS = 60_000;
const fold = (s: string): string => s.trim().toLowerCase();

export class GeotabDatabase extends SandboxAccount<SandboxSettings, Fault, RequestLogEntry> {
  readonly name: string;
  readonly adminUserName: string;
  readonly limiter = new KeyedSlidingWindows(RATE_WINDOW_MS);
  private readonly sessions = new Map<string, Session>();
  private readonly users = new Map<string, StoredUser>();
  private nextId: number;
  readonly assets: GeotabAssets;
  readonly writes: GeotabWrites;
  readonly hosRuleSets: UserHosRuleSets;

  constructor(snapshot: DatabaseSnapshot, onChange: () => void) {
    super(DEFAULT_SETTINGS, snapshot.settings, onChange);
    this.name = snapshot.database;
    this.adminUserName = snapshot.admin_user_name;
    this.nextId = snapshot.next_id;
    for (const u of snapshot.users) this.users.set(u.id, u);
    this.assets = new GeotabAssets(snapshot, () => this.newId(), onChange);
    this.hosRuleSets = new UserHosRuleSets(snapshot.user_hos_rule_sets ?? [], () => this.newId());
    const one = (typeName: 'Device' | 'Trailer', search: Record<string, unknown>) => this.assets[typeName === 'Device' ? 'getDevices' : 'getTrailers'](search, 1)[0];
    this.writes = new GeotabWrites(
      snapshot,
      {
        user: (id) => this.users.has(id),
        device: (id) => one('Device', { id }) !== undefined,
        trailer: (id) => one('Trailer', { id }) !== undefined,
        deviceMatching: (f) => {
          const criteria: Array<[string, string]> = [
            ['vehicleIdentificationNumber', f.vehicleIdentificationNumber],
            ['serialNumber', f.serialNumber],
            ['licensePlate', f.licencePlate],
          ];
          for (const [member, value] of criteria) {
            // The value as an exact (any case) search: '%' is a wildcard in DeviceSearch, never in a fuel card's data.
            if (value.trim() === '' || value.includes('%')) continue;
            const device = one('Device', { [member]: value });
            if (device) return device.id as string;
          }
          return undefined;
        },
      },
      () => this.newId(),
      onChange,
    );
  }

  /** Geotab-style entity ids ("b1A"), one sequence for every entity type of the database. */
  private newId(): string {
    return `b${(this.nextId++).toString(16).toUpperCase()}`;
  }

  /** A new database whose only user is its administrator (Everything clearance). */
  static create(database: string, adminUserName: string, adminPassword: string, now: number, onChange: () => void): GeotabDatabase {
    const db = new GeotabDatabase(
      { database, admin_user_name: adminUserName, settings: { ...DEFAULT_SETTINGS }, next_id: 0x1a, users: [] },
      onChange,
    );
    db.addUser(
      {
        name: adminUserName,
        firstName: 'Sandbox',
        lastName: 'Administrator',
        password: adminPassword,
        securityGroups: [{ id: 'GroupEverythingSecurityId' }],
        companyGroups: [{ id: 'GroupCompanyId' }],
        activeTo: ACTIVE_FOREVER,
      },
      now,
    );
    return db;
  }

  snapshot(): DatabaseSnapshot {
    return {
      database: this.name,
      admin_user_name: this.adminUserName,
      settings: { ...this.settings },
      next_id: this.nextId,
      users: [...this.users.values()],
      user_hos_rule_sets: this.hosRuleSets.snapshot(),
      ...this.assets.snapshot(),
      ...this.writes.snapshot(),
    };
  }

  admit(userName: string, method: string, limit: number, now: number): Admission {
    return this.limiter.admit(`${fold(userName)}\u0000${method}`, now, limit);
  }

  /** The user a login (name + password) names, if the password is right. */
  checkLogin(userName: string, password: string): StoredUser | undefined {
    const user = this.findByName(userName);
    return user && passwordMatches(user.password_digest, password) ? user : undefined;
  }

  openSession(userName: string, now: number): string {
    const sessionId = randomBytes(16).toString('base64url');
    this.sessions.set(sessionId, { userName: fold(userName), createdAt: now });
    return sessionId;
  }

  /** True when the session exists, belongs to the user and has not expired. */
  sessionValid(sessionId: string, userName: string, now: number): boolean {
    const s = this.sessions.get(sessionId);
    if (!s || s.userName !== fold(userName)) return false;
    if (now - s.createdAt >= this.settings.session_ttl_ms) {
      this.sessions.delete(sessionId);
      return false;
    }
    return true;
  }

  expireSessions(): number {
    const n = this.sessions.size;
    this.sessions.clear();
    return n;
  }

  findByName(name: string): StoredUser | undefined {
    const key = fold(name);
    return [...this.users.values()].find((u) => fold(u.fields.name as string) === key);
  }

  addUser(entity: Record<string, unknown>, now: number): string {
    const fields = parseUserEntity(entity, now);
    const password = entity.password;
    if (fields.userAuthenticationType === 'BasicAuthentication' && (typeof password !== 'string' || password === '')) {
      throw argumentError("'password' is required for a user with BasicAuthentication");
    }
    if (password !== undefined && password !== null && typeof password !== 'string') throw argumentError("'password' must be a string");
    this.assertUniqueName(fields, undefined);
    const id = this.newId();
    this.users.set(id, { id, fields, password_digest: typeof password === 'string' && password !== '' ? digestPassword(password) : null });
    this.hosRuleSets.record(id, fields.hosRuleSet as string, new Date(now).toISOString());
    this.onChange();
    return id;
  }

  /** Set replaces the whole entity; the password stays unless a new one is sent. */
  setUser(entity: Record<string, unknown>, now: number): void {
    const id = entity.id;
    if (typeof id !== 'string' || id === '') throw argumentError("'id' is required to Set an entity");
    const existing = this.users.get(id);
    if (!existing) throw argumentError(`User '${id}' does not exist`);
    const fields = parseUserEntity(entity, now);
    this.assertUniqueName(fields, id);
    const password = entity.password;
    if (password !== undefined && password !== null && typeof password !== 'string') throw argumentError("'password' must be a string");
    // Validate everything first, then mutate: a failed Set leaves the user untouched.
    if (fields.hosRuleSet !== existing.fields.hosRuleSet) this.hosRuleSets.record(id, fields.hosRuleSet as string, new Date(now).toISOString());
    existing.fields = fields;
    if (typeof password === 'string' && password !== '') existing.password_digest = digestPassword(password);
    this.onChange();
  }

  getUsers(search: unknown, resultsLimit?: number): Record<string, unknown>[] {
    const users = [...this.users.values()].filter(userFilter(search));
    return users.slice(0, resultsLimit ?? users.length).map(renderUser);
  }

  get userCount(): number {
    return this.users.size;
  }

  /** Adds a UserHosRuleSet; one in force now (the latest by then) becomes the user's hosRuleSet. */
  addUserHosRuleSet(entity: Record<string, unknown>, now: number): string {
    const r = this.hosRuleSets.parse(entity, (id) => this.users.has(id), now);
    const id = this.hosRuleSets.record(r.userId, r.hosRuleSet, r.dateTime);
    const current = this.hosRuleSets.current(r.userId, now);
    if (current?.id === id) this.users.get(r.userId)!.fields.hosRuleSet = r.hosRuleSet;
    this.onChange();
    return id;
  }

  private assertUniqueName(fields: UserFields, selfId: string | undefined): void {
    const other = this.findByName(fields.name as string);
    if (other && other.id !== selfId) {
      throw new GeotabRpcError('DuplicateException', `Duplicate data: a user named '${String(fields.name)}' already exists`);
    }
  }
}
