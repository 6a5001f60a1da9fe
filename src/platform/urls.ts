// Outbound URLs a partner chooses (a TSP base_url, a webhook endpoint) are fetched by fleetgate from
// inside the deployment's network. Unless the operator allows it, they may not point at loopback,
// private, link-local or otherwise internal addresses, so a partner cannot use fleetgate to reach
// services that are not theirs (SSRF).
//
// The check runs twice: when a URL is saved (a clear 422 for the partner), and on every connection
// fleetgate opens to it (outboundDispatcher), against the address actually connected to. The second is
// the one that holds: DNS can re-point a name at an internal address after it was saved.
import dns from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { LookupFunction, Socket } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { Dispatcher } from 'undici';
import type { Config } from './config.ts';
import { validationFailed } from './errors.ts';

const V4_BLOCKED: Array<[number, number]> = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local (cloud metadata)
  [0xac100000, 12], // 172.16/12
  [0xc0a80000, 16], // 192.168/16
  [0xe0000000, 3], // 224/3 multicast and reserved
];

function v4Blocked(ip: string): boolean {
  const n = ip.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
  return V4_BLOCKED.some(([net, bits]) => n >>> (32 - bits) === net >>> (32 - bits));
}

export function isInternalAddress(ip: string): boolean {
  if (isIP(ip) === 4) return v4Blocked(ip);
  const a = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return v4Blocked(mapped[1]!);
  return a === '::' || a === '::1' || /^f[cd]/.test(a) || /^fe[89ab]/.test(a) || /^ff/.test(a);
}

const ALLOW_HINT = 'an operator can allow these with FLEETGATE_ALLOW_PRIVATE_URLS=true';

/** Refuses (422 at `path`) a URL that resolves to an internal address, unless the operator allows them. */
export async function checkOutboundUrl(config: Config, raw: string, path: string[]): Promise<void> {
  if (config.allowPrivateUrls) return;
  const refuse = (message: string) =>
    validationFailed([{ path: ['body', ...path], input: raw, message, error_type: 'private_address' }]);
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw refuse('the host name does not resolve');
  }
  if (addresses.some(isInternalAddress)) {
    throw refuse(`points at a loopback, private or link-local address; ${ALLOW_HINT}`);
  }
}

/**
 * The error code of a connection the guard refused. src/tsps/kit/http.ts classifies it (the kit may not
 * import platform, so the code is the contract between them): the request was never sent.
 */
export const PRIVATE_ADDRESS_CODE = 'ERR_PRIVATE_ADDRESS';

export class PrivateAddressError extends Error {
  override name = 'PrivateAddressError';
  readonly code = PRIVATE_ADDRESS_CODE;
  constructor(host: string, address: string) {
    const at = host === address ? address : `${host} (${address})`;
    super(`refused to connect to ${at}: a loopback, private or link-local address; ${ALLOW_HINT}`);
  }
}

type Resolve = (hostname: string, options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/**
 * A `lookup` for net/tls.connect that resolves as usual and refuses the name when any of its addresses
 * is internal (not only the first: with Happy Eyeballs, Node may try each of them).
 */
export function guardedLookup(resolve: Resolve = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const internal = addresses.find((a) => isInternalAddress(a.address));
      if (internal) return callback(new PrivateAddressError(hostname, internal.address), '', 0);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * An undici connector that never connects to an internal address: names are resolved through
 * guardedLookup, address literals are checked before connecting (net.connect does not look them up),
 * and the connected socket's peer address is checked again before a byte of the request is written.
 */
export function guardedConnector(resolve?: Resolve): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup(resolve) });
  return (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && isInternalAddress(host)) return callback(new PrivateAddressError(host, host), null);
    connect(opts, (err, socket) => {
      if (err) return callback(err, null);
      const peer = (socket as Socket).remoteAddress;
      if (peer === undefined || isInternalAddress(peer)) {
        socket!.destroy();
        return callback(new PrivateAddressError(host, peer ?? 'an unknown address'), null);
      }
      callback(null, socket!);
    });
  };
}

let guarded: Agent | undefined;

/**
 * The dispatcher for calls to partner-chosen URLs (TSP base_urls, webhook endpoints): one guarded
 * agent per process, or undefined (undici's default) when the operator allows internal addresses.
 * Read at every call, so it follows the configuration, not the URL's state when it was saved.
 */
export function outboundDispatcher(config: Pick<Config, 'allowPrivateUrls'>): Dispatcher | undefined {
  if (config.allowPrivateUrls) return undefined;
  return (guarded ??= new Agent({ connect: guardedConnector() }));
}
