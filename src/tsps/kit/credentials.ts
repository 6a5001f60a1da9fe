// How adapters show stored credentials back to a partner (GET /connections): enough to recognise
// which key is in use, never enough to use it.
export type CredentialDisplay =
  /** The last 4 characters, and none of a value too short for that to be safe. */
  | 'tail'
  /** Never shown. */
  | 'hidden'
  /** Not a secret (it identifies the connection, e.g. a Geotab database name). */
  | 'shown';

const maskTail = (value: string): string => (value.length >= 12 ? `****${value.slice(-4)}` : '****');

/** The credentials named in `display`, each shown as it says; absent ones stay absent. */
export function maskCredentialFields(
  credentials: Record<string, string>,
  display: Readonly<Record<string, CredentialDisplay>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, how] of Object.entries(display)) {
    const value = credentials[name];
    if (typeof value !== 'string') continue;
    out[name] = how === 'shown' ? value : how === 'hidden' ? '****' : maskTail(value);
  }
  return out;
}

// Catena's authorization-code models (MotiveCreds, SamsaraCreds) as fleetgate holds them: the code as
// sent, then (once exchanged, kit/oauth.ts) a token pair in its place: client_id, client_secret,
// redirect_uri (Motive's), access_token, refresh_token, expires_at (ISO 8601) and expires_in (seconds).
type Credentials = Readonly<Record<string, string>>;

/** An authorization code to exchange (Catena's model as sent). */
export const isAuthorizationCode = (c: Credentials): boolean => typeof c.auth_code === 'string' && typeof c.client_id === 'string';

/** A token pair obtained from a code (what a connection stores in place of the code). */
export const isTokenPair = (c: Credentials): boolean =>
  typeof c.refresh_token === 'string' && typeof c.client_id === 'string' && typeof c.access_token === 'string';

/** The most of a pair's life renewal runs ahead of its expiry; a short-lived token renews with a quarter of its life left. */
const MAX_RENEWAL_MARGIN_MS = 60_000;

/** Whether the pair's access token expires within the renewal margin (false when the TSP gave no lifetime). */
export function tokenPairExpiring(c: Credentials, nowMs: number): boolean {
  if (!isTokenPair(c)) return false;
  const at = Date.parse(c.expires_at ?? '');
  if (Number.isNaN(at)) return false;
  const lifetimeMs = Number(c.expires_in) * 1000;
  const margin = Number.isFinite(lifetimeMs) && lifetimeMs > 0 ? Math.min(MAX_RENEWAL_MARGIN_MS, lifetimeMs / 4) : MAX_RENEWAL_MARGIN_MS;
  return at - nowMs <= margin;
}

/** Whether the pair's access token is past its expiry (no margin). */
export function tokenPairExpired(c: Credentials, nowMs: number): boolean {
  const at = Date.parse(c.expires_at ?? '');
  return isTokenPair(c) && !Number.isNaN(at) && at <= nowMs;
}
