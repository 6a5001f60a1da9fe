// Outbound URLs a partner chooses (a TSP base_url, a webhook endpoint) are fetched by fleetgate from
// inside the deployment's network. Unless the operator allows it, they may not point at loopback,
// private, link-local or otherwise internal addresses, so a partner cannot use fleetgate to reach
// services that are not theirs (SSRF).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
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
    throw refuse('points at a loopback, private or link-local address; an operator can allow these with FLEETGATE_ALLOW_PRIVATE_URLS=true');
  }
}
