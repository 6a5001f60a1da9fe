// OAuth 2.0 client credentials (RFC 6749 §4.4) at fleetgate's POST /oauth/token. fleetgate issues no
// refresh token, so "renewal" is asking again with the client's credentials; it is done before the token
// expires (a request never leaves with a token about to lapse in flight), and only once at a time: callers
// that find the token due while a renewal is under way wait for that one instead of each asking.
import type { components } from './openapi.gen.ts';
import { FleetgateAuthError } from './errors.ts';

type TokenResponse = components['schemas']['TokenResponse'];

export interface TokenSourceOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scope names; absent: every scope the client holds. */
  scope?: string;
  /** Renew this long before expiry (default 60 s; at most half the token's lifetime). */
  renewBeforeMs?: number;
  fetch?: (request: Request) => Promise<Response>;
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
}

export class TokenSource {
  // ECMAScript private fields: the secret and the token stay out of console.log, util.inspect and JSON.
  readonly #opts: TokenSourceOptions;
  #token: { value: string; renewAt: number; expiresAt: number } | undefined;
  #renewal: Promise<string> | undefined;
  readonly #now: () => number;
  readonly #fetch: (request: Request) => Promise<Response>;

  constructor(opts: TokenSourceOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#fetch = opts.fetch ?? ((request) => fetch(request));
  }

  /** A token valid for a while yet: the cached one, or the result of the (single) renewal. */
  async get(): Promise<string> {
    const held = this.#token;
    if (held && this.#now() < held.renewAt) return held.value;
    try {
      return await this.#renew();
    } catch (err) {
      // Renewing early is what leaves room for this: a token endpoint that failed once costs nothing
      // while the token in hand is still good (5 s short of expiry, so it does not lapse in flight).
      if (held && this.#token === held && this.#now() < held.expiresAt - 5_000) return held.value;
      throw err;
    }
  }

  /** Forget `value` (the API refused it: revoked, or the server's key changed); the next get() renews. */
  invalidate(value: string): void {
    if (this.#token?.value === value) this.#token = undefined;
  }

  #renew(): Promise<string> {
    this.#renewal ??= this.#request().finally(() => {
      this.#renewal = undefined;
    });
    return this.#renewal;
  }

  async #request(): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.#opts.clientId, client_secret: this.#opts.clientSecret });
    if (this.#opts.scope) form.set('scope', this.#opts.scope);
    const asked = this.#now();
    const res = await this.#fetch(
      new Request(`${this.#opts.baseUrl.replace(/\/+$/, '')}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
      }),
    );
    const text = await res.text();
    const body = parse(text);
    if (!res.ok) {
      const err = body as { error?: string; error_description?: string } | undefined;
      throw new FleetgateAuthError(res.status, err?.error ?? 'unknown', err?.error_description ?? text.slice(0, 200));
    }
    const token = body as TokenResponse;
    if (typeof token?.access_token !== 'string' || typeof token.expires_in !== 'number') {
      throw new FleetgateAuthError(res.status, 'invalid_response', 'the token endpoint answered no access_token and expires_in');
    }
    // Counted from when the request left: the server's clock started the token's life no later than that.
    const lifetimeMs = token.expires_in * 1000;
    const margin = Math.min(this.#opts.renewBeforeMs ?? 60_000, lifetimeMs / 2);
    this.#token = { value: token.access_token, renewAt: asked + lifetimeMs - margin, expiresAt: asked + lifetimeMs };
    return token.access_token;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
