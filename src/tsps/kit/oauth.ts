// OAuth 2.0 authorization-code credentials (Catena's MotiveCreds and SamsaraCreds): the code a fleet's
// admin granted the partner's app is exchanged once at the TSP's token endpoint (RFC 6749 §4.1.3) for
// an access token and a refresh token; API calls carry the access token as Bearer; shortly before it
// expires, or once after the API answered 401, the refresh token buys a new pair (§6). Refresh tokens
// may rotate: the pair a refresh answers replaces the stored one whole.
//
// Each TSP's token endpoint is data in its descriptor (`oauth`): its path under the API's base URL, how
// the app authenticates (form body or HTTP Basic) and whether the code exchange names the redirect URI.
// Nothing here stores anything: the engine persists what a refresh answers (accounts/credential-refresh.ts).
// No secret (client secret, code, token) is ever put in an Attempt, an error or a log: a refusal names
// the TSP, the HTTP status and the OAuth error code only.
import type { TspDescriptor } from './descriptor.ts';
import { adapterUserAgent, joinUrl, tspRequest } from './http.ts';
import type { TspResult } from './http.ts';
import type { Attempt, CallOptions, TokenRenewal, TspTarget } from './types.ts';

export type { OAuthTokenEndpoint } from './descriptor.ts';
export { isAuthorizationCode, isTokenPair, tokenPairExpired, tokenPairExpiring } from './credentials.ts';

type Credentials = Readonly<Record<string, string>>;

// RFC 6749 §5.2's error codes: the only part of a refusal fleetgate repeats (a short, known token).
const OAUTH_ERRORS = new Set(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope']);

const failedAttempt = (errorType: Attempt['errorType'], errorDetails: string, statusCode: number | null, durationMs: number): Attempt => ({
  ok: false,
  statusCode,
  headers: {},
  errorType,
  errorDetails,
  durationMs,
});

function oauthErrorOf(json: unknown): string | undefined {
  const error = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).error : undefined;
  return typeof error === 'string' && OAUTH_ERRORS.has(error) ? error : undefined;
}

/** The token endpoint's answer read as a pair, or the attempt that says why there is none. */
function readTokenAnswer(d: TspDescriptor, res: TspResult, what: string, previous: Credentials, nowMs: number): TokenRenewal {
  if (res.kind === 'failure') {
    return { ok: false, attempt: failedAttempt(res.errorType, `${d.displayName}'s token endpoint: ${res.message}`, res.statusCode ?? null, res.durationMs) };
  }
  const status = res.statusCode;
  if (status >= 200 && status < 300) {
    const body = (typeof res.json === 'object' && res.json !== null ? res.json : {}) as Record<string, unknown>;
    const access = body.access_token;
    if (typeof access !== 'string' || access === '') {
      return { ok: false, attempt: failedAttempt('unknown', `${d.displayName}'s token endpoint answered HTTP ${status} without an access_token`, status, res.durationMs) };
    }
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in);
    // A refresh that answers no new refresh token leaves the old one in force (RFC 6749 §6).
    const refresh = typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : previous.refresh_token;
    const pair: Record<string, string> = { client_id: previous.client_id!, client_secret: previous.client_secret! };
    if (previous.redirect_uri !== undefined) pair.redirect_uri = previous.redirect_uri;
    pair.access_token = access;
    if (refresh !== undefined) pair.refresh_token = refresh;
    if (Number.isFinite(seconds) && seconds > 0) {
      pair.expires_in = String(seconds);
      pair.expires_at = new Date(nowMs + seconds * 1000).toISOString();
    }
    if (pair.refresh_token === undefined) {
      return { ok: false, attempt: failedAttempt('unknown', `${d.displayName}'s token endpoint answered ${what} without a refresh_token`, status, res.durationMs) };
    }
    return { ok: true, credentials: pair };
  }
  const error = oauthErrorOf(res.json);
  const named = error ? `: ${error}` : '';
  // 400 and 401 are the token endpoint's refusals (RFC 6749 §5.2): the code, the refresh token or the
  // app's client id and secret are not (or no longer) good. Anything else says nothing about them.
  if (status === 400 || status === 401 || status === 403) {
    return { ok: false, attempt: failedAttempt('auth', `${d.displayName} refused the ${what} (HTTP ${status}${named})`, status, res.durationMs) };
  }
  const errorType = status === 429 ? 'rate_limited' : status >= 500 ? 'transient' : 'unknown';
  return { ok: false, attempt: failedAttempt(errorType, `${d.displayName}'s token endpoint answered HTTP ${status}${named}`, status, res.durationMs) };
}

async function tokenRequest(d: TspDescriptor, target: TspTarget, form: Record<string, string>, opts: CallOptions): Promise<TspResult> {
  const oauth = d.oauth!;
  const { client_id: clientId = '', client_secret: clientSecret = '' } = target.credentials;
  const headers: Record<string, string> = { 'user-agent': adapterUserAgent(d.tsp) };
  const body = { ...form };
  if (oauth.clientAuth === 'basic') {
    // RFC 6749 §2.3.1: each part form-urlencoded, then base64 of "id:secret".
    const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
    headers.authorization = `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
  } else {
    body.client_id = clientId;
    body.client_secret = clientSecret;
  }
  return tspRequest({
    method: 'POST',
    url: joinUrl(target.baseUrl, oauth.path),
    headers,
    form: body,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
    dispatcher: target.dispatcher,
  });
}

/**
 * Exchanges the authorization code of Catena's model (`target.credentials`) for a token pair: what the
 * connection stores instead of the code (client_id, client_secret, redirect_uri when the model has one,
 * access_token, refresh_token, expires_at, expires_in). A code the TSP refuses is an `auth` attempt.
 */
export async function exchangeAuthorizationCode(d: TspDescriptor, target: TspTarget, opts: CallOptions): Promise<TokenRenewal> {
  if (!d.oauth) throw new Error(`${d.displayName} has no OAuth token endpoint`);
  const c = target.credentials;
  const form: Record<string, string> = { grant_type: 'authorization_code', code: c.auth_code ?? '' };
  if (d.oauth.sendsRedirectUri && c.redirect_uri !== undefined) form.redirect_uri = c.redirect_uri;
  const { auth_code: _used, ...kept } = c;
  return readTokenAnswer(d, await tokenRequest(d, target, form, opts), 'authorization code', kept, Date.now());
}

/** A new pair for the stored one's refresh token (the new one replaces it whole: refresh tokens may rotate). */
export async function refreshTokenPair(d: TspDescriptor, target: TspTarget, opts: CallOptions): Promise<TokenRenewal> {
  if (!d.oauth) throw new Error(`${d.displayName} has no OAuth token endpoint`);
  const c = target.credentials;
  const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: c.refresh_token ?? '' };
  return readTokenAnswer(d, await tokenRequest(d, target, form, opts), 'refresh token', c, Date.now());
}
