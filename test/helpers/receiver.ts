// A webhook receiver on a loopback port that records what it is sent and answers as told. A gzip body
// (Catena's deliveries) is recorded decompressed, as an HTTP server that honours Content-Encoding reads it.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

export async function startReceiver(answer: () => number = () => 204) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      received.push({ headers: req.headers, body });
      res.writeHead(answer()).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
