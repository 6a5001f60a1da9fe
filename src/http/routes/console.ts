// The operations console: static files from src/console/ (plain HTML, CSS and ES modules, no build
// step) under /console. The files are read once at start into memory and served by exact name, so no
// request path ever reaches the file system. The page talks to the API with a bearer header it keeps
// in sessionStorage: no cookie (nothing for a cross-site request to ride on), no token in a URL.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '../../platform/errors.ts';

const ROOT = fileURLToPath(new URL('../../console/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Scripts and styles from this origin only (no inline script, no eval), calls to this origin only, no
 * frames, no plugins, no forms posting elsewhere: an injected string can neither run nor send a token away.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function loadFiles(dir: string, prefix = ''): Map<string, { type: string; body: Buffer }> {
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory()) for (const [k, v] of loadFiles(path.join(dir, entry.name), `${rel}/`)) files.set(k, v);
    else {
      const type = TYPES[path.extname(entry.name)];
      if (type) files.set(rel, { type, body: readFileSync(path.join(dir, entry.name)) });
    }
  }
  return files;
}

function secure(reply: FastifyReply, type: string) {
  return reply
    .type(type)
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin')
    // The page holds a token while open; a shared cache must not keep it or its scripts stale.
    .header('cache-control', 'no-cache');
}

export function consoleRoutes(app: FastifyInstance) {
  const files = loadFiles(ROOT);
  const index = files.get('index.html');
  const schema = { hide: true };
  app.get('/console', { schema }, async (_request, reply) => {
    if (!index) throw notFound('Console');
    return secure(reply, index.type).send(index.body);
  });
  app.get<{ Params: { '*': string } }>('/console/*', { schema }, async (request, reply) => {
    const name = request.params['*'] || 'index.html';
    const file = files.get(name);
    if (!file) throw notFound(`Console file ${name.slice(0, 100)}`);
    return secure(reply, file.type).send(file.body);
  });
}
