// The OAuth 2.0 authorization server a REST sandbox account carries (Motive, Samsara): the account's
// registered apps (client_id + client_secret + redirect URI), the authorization codes its fleet admin
// granted them, and the access and refresh tokens those codes bought (RFC 6749 §4.1 authorization code,
// §6 refresh). Refresh tokens rotate: a refresh answers a new pair and the refresh token it used is dead,
// as the real services do. Access tokens authorize the account's API like its API key, until they expire
// (access_token_lifetime_seconds: the vendor's documented lifetime unless PUT /_sandbox/oauth changes it,
// which a test uses to watch a refresh happen).
//
// Each vendor's token endpoint (its path, how the app authenticates, its wording) is the vendor's own
// route (motive/oauth-routes.ts, samsara/oauth-routes.ts); what they share is here, with the admin surface
// that stands in for the consent screen: POST /_sandbox/authorization_codes mints a code for the account.
// Secrets are kept as SHA-256 digests (they are random, so no salt is needed), never in clear; apps and
// tokens persist with the account, codes too (ten minutes).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 6749 §5.2 error codes a token endpoint answers. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type';

export interface OAuthSnapshot {
  access_token_lifetime_seconds?: number;
  apps: Array<{ client_id: string; secret_digest: string; redirect_uri: string }>;
  codes: Array<{ digest: string; client_id: string; redirect_uri: string; expires_at: number }>;
  access_tokens: Array<{ digest: string; client_id: string; expires_at: number }>;
  refresh_tokens: Array<{ digest: string; client_id: string }>;
}

export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  /** Seconds. */
  expires_in: number;
}

export type TokenOutcome = { ok: true; tokens: IssuedTokens } | { ok: false; status: 400 | 401; error: OAuthErrorCode };

/** How long a minted code is good for: Motive's are valid ten minutes (developer-docs.gomotive.com/docs/oauth-20). */
export const CODE_LIFETIME_MS = 600_000;

const digest = (value: string): string => createHash('sha256').update(value).digest('hex');
const sameDigest = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const random = (prefix: string): string => `${prefix}${randomBytes(24).toString('base64url')}`;

export class SandboxOAuth {
  private readonly apps = new Map<string, { secretDigest: string; redirectUri: string }>();
  private readonly codes = new Map<string, { clientId: string; redirectUri: string; expiresAt: number }>();
  private readonly accessTokens = new Map<string, { clientId: string; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, { clientId: string }>();
  /** Token endpoint exchanges answered 200 in this process, by grant (GET /_sandbox/oauth). */
  readonly exchanges = { authorization_code: 0, refresh_token: 0 };
  /** How long an access token issued from now on lives. */
  lifetimeSeconds: number;

  constructor(
    snapshot: OAuthSnapshot | undefined,
    private readonly onChange: () => void,
    /** The prefix of what it issues, so a leaked value is recognisable as a sandbox one (motive_sbx_). */
    private readonly prefix: string,
    /** The vendor's access token lifetime. */
    defaultLifetimeSeconds: number,
  ) {
    this.lifetimeSeconds = snapshot?.access_token_lifetime_seconds ?? defaultLifetimeSeconds;
    for (const a of snapshot?.apps ?? []) this.apps.set(a.client_id, { secretDigest: a.secret_digest, redirectUri: a.redirect_uri });
    for (const c of snapshot?.codes ?? []) this.codes.set(c.digest, { clientId: c.client_id, redirectUri: c.redirect_uri, expiresAt: c.expires_at });
    for (const t of snapshot?.access_tokens ?? []) this.accessTokens.set(t.digest, { clientId: t.client_id, expiresAt: t.expires_at });
    for (const t of snapshot?.refresh_tokens ?? []) this.refreshTokens.set(t.digest, { clientId: t.client_id });
  }

  snapshot(): OAuthSnapshot {
    return {
      access_token_lifetime_seconds: this.lifetimeSeconds,
      apps: [...this.apps].map(([client_id, a]) => ({ client_id, secret_digest: a.secretDigest, redirect_uri: a.redirectUri })),
      codes: [...this.codes].map(([d, c]) => ({ digest: d, client_id: c.clientId, redirect_uri: c.redirectUri, expires_at: c.expiresAt })),
      access_tokens: [...this.accessTokens].map(([d, t]) => ({ digest: d, client_id: t.clientId, expires_at: t.expiresAt })),
      refresh_tokens: [...this.refreshTokens].map(([d, t]) => ({ digest: d, client_id: t.clientId })),
    };
  }

  /** Registers an app for the account (the vendor's developer portal); the secret is shown this once. */
  registerApp(redirectUri: string): { client_id: string; client_secret: string } {
    const clientId = random(`${this.prefix}app_`);
    const secret = random(`${this.prefix}secret_`);
    this.apps.set(clientId, { secretDigest: digest(secret), redirectUri });
    this.onChange();
    return { client_id: clientId, client_secret: secret };
  }

  hasApp(clientId: string): boolean {
    return this.apps.has(clientId);
  }

  redirectUriOf(clientId: string): string | undefined {
    return this.apps.get(clientId)?.redirectUri;
  }

  /** Whether the id and secret are one of this account's apps. */
  clientAuthenticates(clientId: string, secret: string): boolean {
    const app = this.apps.get(clientId);
    return app !== undefined && sameDigest(app.secretDigest, digest(secret));
  }

  /** A code the fleet admin granted the app (what the consent screen's redirect would carry). */
  mintCode(clientId: string, redirectUri: string, now: number): string {
    const code = random(`${this.prefix}code_`);
    this.codes.set(digest(code), { clientId, redirectUri, expiresAt: now + CODE_LIFETIME_MS });
    this.onChange();
    return code;
  }

  holdsCode(code: string): boolean {
    return this.codes.has(digest(code));
  }

  holdsRefreshToken(token: string): boolean {
    return this.refreshTokens.has(digest(token));
  }

  /**
   * §4.1.3: the code must be this client's, unexpired and unused; `redirectUri` (when the vendor requires
   * it, or the client sent one) must be the one it was granted for. A code is used once, even refused.
   */
  redeemCode(clientId: string, code: string, redirectUri: string | undefined, now: number): TokenOutcome {
    const key = digest(code);
    const grant = this.codes.get(key);
    if (!grant) return { ok: false, status: 400, error: 'invalid_grant' };
    this.codes.delete(key);
    this.onChange();
    if (grant.clientId !== clientId || grant.expiresAt <= now) return { ok: false, status: 400, error: 'invalid_grant' };
    if (redirectUri !== undefined && redirectUri !== grant.redirectUri) return { ok: false, status: 400, error: 'invalid_grant' };
    this.exchanges.authorization_code += 1;
    return { ok: true, tokens: this.issue(clientId, now) };
  }

  setLifetime(seconds: number): void {
    this.lifetimeSeconds = seconds;
    this.onChange();
  }

  /** §6: a new pair for a live refresh token of this client; the one used dies (rotation). */
  refresh(clientId: string, refreshToken: string, now: number): TokenOutcome {
    const key = digest(refreshToken);
    const held = this.refreshTokens.get(key);
    if (!held || held.clientId !== clientId) return { ok: false, status: 400, error: 'invalid_grant' };
    this.refreshTokens.delete(key);
    this.exchanges.refresh_token += 1;
    return { ok: true, tokens: this.issue(clientId, now) };
  }

  /** Whether an access token is live (it authorizes the account's API). */
  acceptsAccessToken(token: string, now: number): boolean {
    const t = this.accessTokens.get(digest(token));
    return t !== undefined && t.expiresAt > now;
  }

  /** Whether the value was an access token of this account that has expired (for the vendor's 401 wording). */
  expiredAccessToken(token: string, now: number): boolean {
    const t = this.accessTokens.get(digest(token));
    return t !== undefined && t.expiresAt <= now;
  }

  /** What GET /_sandbox/oauth shows: the apps (never a secret), the exchanges answered, the live tokens. */
  summary(now: number): unknown {
    return {
      access_token_lifetime_seconds: this.lifetimeSeconds,
      apps: [...this.apps].map(([client_id, a]) => ({ client_id, redirect_uri: a.redirectUri })),
      exchanges: { ...this.exchanges },
      live_access_tokens: [...this.accessTokens.values()].filter((t) => t.expiresAt > now).length,
      live_refresh_tokens: this.refreshTokens.size,
    };
  }

  private issue(clientId: string, now: number): IssuedTokens {
    const lifetimeSeconds = this.lifetimeSeconds;
    // Expired access tokens are forgotten as new ones come: the map does not grow with every refresh.
    for (const [k, t] of this.accessTokens) if (t.expiresAt <= now - 86_400_000) this.accessTokens.delete(k);
    const access = random(`${this.prefix}at_`);
    const refresh = random(`${this.prefix}rt_`);
    this.accessTokens.set(digest(access), { clientId, expiresAt: now + lifetimeSeconds * 1000 });
    this.refreshTokens.set(digest(refresh), { clientId });
    this.onChange();
    return { access_token: access, refresh_token: refresh, expires_in: lifetimeSeconds };
  }
}

/** An OAuth token request's parameters: a form body (RFC 6749 §4.1.3, application/x-www-form-urlencoded), or JSON. */
export function tokenRequestParams(raw: string | undefined, contentType: string | undefined): Record<string, string> | undefined {
  const text = raw ?? '';
  if (/\bjson\b/i.test(contentType ?? '')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** HTTP Basic client credentials (§2.3.1: each part form-urlencoded); undefined without a Basic header, null when it does not decode. */
export function basicClient(header: string | undefined): { clientId: string; secret: string } | undefined | null {
  const m = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const part = (v: string) => {
    try {
      return decodeURIComponent(v.replace(/\+/g, ' '));
    } catch {
      return v;
    }
  };
  return { clientId: part(decoded.slice(0, colon)), secret: part(decoded.slice(colon + 1)) };
}
