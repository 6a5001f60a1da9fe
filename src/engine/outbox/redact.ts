// What reads show of a subscription's URL and secret. Catena: the URL is "partially redacted for
// security" (https://your-domain.com/webhooks/catena reads as https://your-domain.com/webhooks/*****),
// the secret "masked as ***** in all API responses after creation".
export const REDACTED = '*****';

/** Scheme, host, port and path with its last segment masked; the query (which may carry a token) is dropped. */
export function redactUrl(raw: string): string {
  if (!URL.canParse(raw)) return REDACTED;
  const u = new URL(raw);
  const segments = u.pathname.split('/');
  // "/a/b" -> ["", "a", "b"]; "/" -> ["", ""]: the last segment is replaced, so something is always masked.
  segments[segments.length - 1] = REDACTED;
  return `${u.protocol}//${u.host}${segments.join('/')}`;
}
