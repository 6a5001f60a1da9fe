// The http(s) URLs partners give fleetgate (a connection's base_url, a webhook endpoint), as one
// grammar: the pattern the OpenAPI document publishes is the check the validator runs, so a client that
// checks a URL against the document is never surprised. The grammar is a subset of both RFC 3986 (the
// document's `format: uri`) and the WHATWG URL parser (what fleetgate calls the URL with); the parse
// below is a belt-and-braces check that can refuse, never throw.
import { z } from 'zod';

const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
// The last label starts with a letter: WHATWG parses a host ending in a number (or 0x...) as IPv4.
const topLabel = '[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
// No "xy--" labels: WHATWG decodes xn-- labels as punycode and refuses invalid ones.
const noDashes = '(?![A-Za-z0-9]{2}--)';
const dnsName = `(?:${noDashes}${label}\\.)*${noDashes}${topLabel}`;
const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4 = `(?:${octet}\\.){3}${octet}`;
const h16 = '[0-9A-Fa-f]{1,4}';
const ipv6 =
  `(?:(?:${h16}:){7}${h16}|(?:${h16}:){1,7}:|(?:${h16}:){1,6}:${h16}|(?:${h16}:){1,5}(?::${h16}){1,2}|` +
  `(?:${h16}:){1,4}(?::${h16}){1,3}|(?:${h16}:){1,3}(?::${h16}){1,4}|(?:${h16}:){1,2}(?::${h16}){1,5}|` +
  `${h16}:(?::${h16}){1,6}|:(?:(?::${h16}){1,7}|:))`;
const host = `(?:${ipv4}|\\[${ipv6}\\]|${dnsName})`;
// 1..65535, no leading zero.
const port = '(?::(?:6553[0-5]|655[0-2]\\d|65[0-4]\\d\\d|6[0-4]\\d{3}|[1-5]\\d{4}|[1-9]\\d{0,3}))?';
const pchar = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})";
const path = `(?:/${pchar}*)*`;
const query = `(?:\\?(?:${pchar}|[/?])*)?`;

// Catena's WebhookCreate allows 2083 (pydantic's HttpUrl limit); one limit for every URL fleetgate takes.
export const MAX_URL_LENGTH = 2083;

/** scheme://host[:port][/path]: no credentials, query or fragment. */
export const BASE_URL_PATTERN = new RegExp(`^https?://${host}${port}${path}$`);
/** scheme://host[:port][/path][?query]: no credentials or fragment. */
export const ENDPOINT_URL_PATTERN = new RegExp(`^https?://${host}${port}${path}${query}$`);

function httpUrl(pattern: RegExp, what: string) {
  return z
    .string()
    .max(MAX_URL_LENGTH)
    .regex(pattern, `must be ${what}`)
    // Only a URL the pattern took is parsed (one problem per URL), without aborting the body's parse:
    // an abort would also skip the checks of the object the URL is a field of.
    .refine((u) => !pattern.test(u) || URL.canParse(u), 'not a URL')
    .meta({ format: 'uri' });
}

/** A connection's base URL (the adapter appends the TSP's paths to it). */
export const baseUrlSchema = () =>
  httpUrl(BASE_URL_PATTERN, 'http(s)://host[:port][/path], without credentials, query or fragment');

/** A webhook endpoint (a query string is kept and sent). */
export const endpointUrlSchema = () =>
  httpUrl(ENDPOINT_URL_PATTERN, 'http(s)://host[:port][/path][?query], without credentials or fragment');
