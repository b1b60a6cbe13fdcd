#!/usr/bin/env node
// A static file server for the page, with no dependencies: serves www/, the built package under
// /pkg/, the sample exports under /samples/ and the benchmark pages under /bench/, with the
// page's Content-Security-Policy (nothing may connect off this origin).
//
//   node scripts/serve.mjs [--port N] [--host H]     (port 0 picks a free one)
// Prints the page's address on its first line of output.
import { createServer } from 'node:http';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const port = Number(opt('--port', process.env.PORT ?? 8080));
const host = opt('--host', '127.0.0.1');

const mounts = [
  ['/pkg/', join(root, 'pkg')],
  ['/samples/', join(root, 'tests/fixtures')],
  ['/bench/', join(root, 'bench')],
  ['/', join(root, 'www')],
];
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ts': 'text/plain; charset=utf-8',
};
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** `file` is `dir` or inside it (compared with a trailing separator: `/pkg` does not hold `/pkg.json`). */
const inside = (dir, file) => file === dir || file.startsWith(dir + sep);

/**
 * The file a request names, or null when its path is not a plain path inside its mount: the path
 * after the mount's prefix is decoded once, and a `.` or `..` segment (`..%2f`), a backslash or a
 * NUL in it is refused before anything is resolved; the resolved file, and the real file behind
 * any symbolic link, must be inside the mount's directory.
 * @param {string} pathname the request's path, still percent-encoded (`%2e%2e` segments are
 *   already resolved by the URL parser)
 */
async function fileFor(pathname) {
  const [prefix, dir] = mounts.find(([p]) => pathname.startsWith(p));
  let rest;
  try {
    rest = decodeURIComponent(pathname.slice(prefix.length));
  } catch {
    return null;
  }
  if (/[\\\0]/.test(rest) || rest.split('/').some((s) => s === '..' || s === '.')) return null;
  let file = resolve(dir, `./${rest}`);
  if (!inside(dir, file)) return null;
  if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
  return inside(await realpath(dir), await realpath(file)) ? file : null;
}

const server = createServer(async (req, res) => {
  try {
    const file = await fileFor(new URL(req.url, 'http://x').pathname);
    if (!file) {
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      res.end('forbidden\n');
      return;
    }
    const body = await readFile(file);
    res.writeHead(200, {
      'Content-Type': types[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'Cross-Origin-Opener-Policy': 'same-origin',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    res.end(body);
  } catch (e) {
    res.writeHead(e.code === 'ENOENT' || e.code === 'ENOTDIR' ? 404 : 500, { 'Content-Type': 'text/plain' });
    res.end(e.code === 'ENOENT' || e.code === 'ENOTDIR' ? 'not found\n' : 'error\n');
  }
});
server.listen(port, host, () => {
  const { port: p } = server.address();
  console.log(`overlap page: http://${host}:${p}/`);
});
