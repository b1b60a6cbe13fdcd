#!/usr/bin/env node
// The one static file server, with no dependencies: `make demo` serves the page with it, and the
// tests serve the page, the package's test pages and the example builds with it. By default it
// serves www/, the built package under /pkg/, the sample exports under /samples/ and the
// benchmark pages under /bench/, always with the page's Content-Security-Policy (nothing may
// connect off this origin).
//
//   node scripts/serve.mjs [--port N] [--host H]     (port 0 picks a free one)
// Prints the page's address on its first line of output.
//
//   import { serve } from '../../scripts/serve.mjs';
//   const server = await serve([['/pkg/', 'pkg'], ['/', 'tests/js/pages']]);   // server.url, server.close()
import { createServer } from 'node:http';
import { readFile, realpath, stat } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** What `make demo` serves: [URL prefix, directory] pairs, longest prefix first. */
export const PAGE = [
  ['/pkg/', 'pkg'],
  ['/samples/', 'tests/fixtures'],
  ['/bench/', 'bench'],
  ['/', 'www'],
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
 * The file a request names, `null` when its path is not a plain path inside its mount, or
 * `undefined` when no mount takes it: the path after the mount's prefix is decoded once, and a
 * `.` or `..` segment (`..%2f`), a backslash or a NUL in it is refused before anything is
 * resolved; the resolved file, and the real file behind any symbolic link, must be inside the
 * mount's directory.
 * @param {[string, string][]} mounts [prefix, absolute directory]
 * @param {string} pathname the request's path, still percent-encoded (`%2e%2e` segments are
 *   already resolved by the URL parser)
 * @returns {Promise<string | null | undefined>}
 */
async function fileFor(mounts, pathname) {
  const [prefix, dir] = mounts.find(([p]) => pathname.startsWith(p)) ?? [];
  if (dir === undefined) return undefined;
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

/**
 * Serves `mounts` ([URL prefix, directory] pairs, longest prefix first; directories relative to
 * the repository) with the page's headers.
 * @param {[string, string][]} [mounts] default: the page ({@link PAGE})
 * @param {{port?: number, host?: string}} [options] default: a free port on 127.0.0.1
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function serve(mounts = PAGE, { port = 0, host = '127.0.0.1' } = {}) {
  const dirs = mounts.map(([prefix, dir]) => /** @type {[string, string]} */ ([prefix, resolve(root, dir)]));
  const server = createServer(async (req, res) => {
    try {
      const file = await fileFor(dirs, new URL(req.url ?? '/', 'http://x').pathname);
      if (file === undefined) throw Object.assign(new Error('no mount'), { code: 'ENOENT' });
      if (file === null) {
        res.writeHead(403, { 'Content-Type': 'text/plain' });
        res.end('forbidden\n');
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': types[/** @type {keyof types} */ (extname(file))] ?? 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'Cross-Origin-Opener-Policy': 'same-origin',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-cache',
      });
      res.end(body);
    } catch (e) {
      const missing = e.code === 'ENOENT' || e.code === 'ENOTDIR';
      res.writeHead(missing ? 404 : 500, { 'Content-Type': 'text/plain' });
      res.end(missing ? 'not found\n' : 'error\n');
    }
  });
  await new Promise((ok) => server.listen(port, host, () => ok(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://${host}:${address.port}/`,
    close: () => new Promise((ok) => server.close(() => ok(undefined))),
  };
}

/** Run as a script: serve the page and print its address. */
async function main() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const { url } = await serve(PAGE, { port: Number(opt('--port', process.env.PORT ?? 8080)), host: opt('--host', '127.0.0.1') });
  console.log(`overlap page: ${url}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) main();
