// The console's one way to the API. The session (mode and bearer token) lives in sessionStorage: it
// goes with the tab, never into a cookie (so no other site can ride on it) nor into a URL.
const KEY = 'fleetgate.console.session';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? body?.error_description ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export const session = {
  get() {
    try {
      const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
      if (value && value.expiresAt && Date.now() >= value.expiresAt) {
        sessionStorage.removeItem(KEY);
        return null;
      }
      return value;
    } catch {
      return null;
    }
  },
  set(value) {
    sessionStorage.setItem(KEY, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
};

export async function api(method, path, { params, body } = {}) {
  const s = session.get();
  const headers = { accept: 'application/json' };
  if (s) headers.authorization = `Bearer ${s.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${path}${query(params)}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (res.status === 401 && s) window.dispatchEvent(new CustomEvent('fleetgate:signed-out', { detail: 'Your session has ended: sign in again.' }));
  if (!res.ok) throw new ApiError(res.status, parsed);
  return parsed;
}

/** A partner signs in with its OAuth client (client credentials); the secret is sent once and not kept. */
export async function signInPartner(clientId, clientSecret) {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  const res = await fetch('/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, credentials: 'omit' });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body);
  session.set({ mode: 'partner', token: body.access_token, label: clientId, scopes: String(body.scope ?? '').split(' '), expiresAt: Date.now() + (body.expires_in - 30) * 1000 });
}

/** An operator signs in with the admin token, checked against the operator API before it is kept. */
export async function signInOperator(token) {
  const res = await fetch('/admin/v1/partners', { headers: { authorization: `Bearer ${token}` }, credentials: 'omit' });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})));
  session.set({ mode: 'operator', token, label: 'operator' });
}

/**
 * The live feed of operation changes: server-sent events read with fetch, so the token goes in the
 * Authorization header. Calls onChange per change; reconnects after a drop; returns a stop function.
 */
export function followChanges(path, onChange, onState) {
  let stopped = false;
  let controller;
  let pauseMs = 2000;
  const run = async () => {
    while (!stopped) {
      const s = session.get();
      if (!s) return onState?.('off');
      controller = new AbortController();
      try {
        const res = await fetch(path, { headers: { authorization: `Bearer ${s.token}`, accept: 'text/event-stream' }, signal: controller.signal, credentials: 'omit', cache: 'no-store' });
        // Too many feeds open (other tabs): wait as long as the server asks before trying again.
        if (res.status === 429) pauseMs = Math.max(2000, Number(res.headers.get('retry-after')) * 1000 || 0);
        if (!res.ok) throw new ApiError(res.status, {});
        onState?.('live');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event === 'operation' && data) onChange(JSON.parse(data));
            if (event === 'end') stopped = stopped || JSON.parse(data ?? '{}').reason !== 'server_closing';
          }
        }
      } catch (err) {
        if (stopped || err.name === 'AbortError') return;
        if (err.status === 401 || err.status === 403 || err.status === 404) {
          onState?.('off');
          return;
        }
      }
      if (!stopped) {
        onState?.('reconnecting');
        await new Promise((r) => setTimeout(r, pauseMs));
        pauseMs = 2000;
      }
    }
  };
  run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

let documentPromise;
/** fleetgate's OpenAPI document: the filters a list takes are read off it, so the form has every one. */
export function openapi() {
  documentPromise ??= fetch('/openapi.json', { credentials: 'omit' }).then((r) => (r.ok ? r.json() : Promise.reject(new ApiError(r.status, {}))));
  return documentPromise;
}
