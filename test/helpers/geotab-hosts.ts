// Reaching a local Geotab sandbox under the host names MyGeotab uses (my.geotab.com, my1001.geotab.com …):
// the sandbox tells the servers of a "database moved" redirect apart by the Host a call is sent to, and
// Geotab's clients build `https://<host>/apiv1` themselves. These helpers keep the host (and so the Host
// header) and only swap the connection: plain TCP to the sandbox's loopback port instead of TLS to port 443.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { Agent } from 'undici';

export interface HostRes {
  status: number;
  // any: these tests read arbitrary JSON-RPC answers field by field.
  body: Record<string, any>;
}

/** One JSON-RPC call to `/apiv1` of the sandbox on `port`, sent as if to `host`. */
export function hostRpc(port: number, host: string, method: string, params: Record<string, unknown>, path = '/apiv1'): Promise<HostRes> {
  const payload = JSON.stringify({ method, params });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, any> });
          } catch (err) {
            reject(err as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * An https.Agent whose connections go to the sandbox on `port` in the clear. Installed as
 * `https.globalAgent`, it carries every request a client (mg-api-js) makes to `https://<any host>/…`.
 */
export class LoopbackHttpsAgent extends https.Agent {
  constructor(port: number) {
    super({ keepAlive: false });
    // Node's Agent calls createConnection for every new socket; @types/node does not declare it on Agent.
    (this as unknown as { createConnection: () => Duplex }).createConnection = () => net.connect(port, '127.0.0.1');
  }
}

/** Runs `fn` with `https.globalAgent` replaced by a LoopbackHttpsAgent to `port`, then restores it. */
export async function withLoopbackHttps<T>(port: number, fn: () => Promise<T>): Promise<T> {
  const original = https.globalAgent;
  const agent = new LoopbackHttpsAgent(port);
  https.globalAgent = agent;
  try {
    return await fn();
  } finally {
    https.globalAgent = original;
    agent.destroy();
  }
}

/** An undici dispatcher (a TspTarget's `dispatcher`) that connects every origin to the sandbox on `port`. */
export function loopbackDispatcher(port: number): Agent {
  return new Agent({
    connect: (_opts, callback) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => callback(null, socket));
      socket.once('error', (err) => callback(err, null));
    },
  });
}
