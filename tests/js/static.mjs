// A tiny static file server for the package tests (a built Vite app, test pages over pkg/):
// serves directories at URL prefixes, with the MIME types browsers insist on for modules and wasm.
import { createServer } from 'node:http';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
};

/** `file` is `dir` or inside it (compared with a trailing separator: `/pkg` does not hold `/pkg.json`). */
const inside = (dir, file) => file === dir || file.startsWith(dir + sep);

/**
 * The file a request names under `mounts`, or null when its path is not a plain path inside its
 * mount (the same rule as scripts/serve.mjs): the path after the prefix is decoded once; a `.` or
 * `..` segment, a backslash or a NUL is refused; the resolved and the real file must be inside.
 * @param {[string, string][]} mounts
 * @param {string} pathname still percent-encoded
 * @returns {Promise<string | null | undefined>} undefined when no mount takes the path
 */
async function fileFor(mounts, pathname) {
  const [prefix, mount] = mounts.find(([p]) => pathname.startsWith(p)) ?? [];
  if (!mount) return undefined;
  const dir = resolve(mount);
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
 * Serves `mounts` ([prefix, dir] pairs, longest prefix first) on 127.0.0.1 and a free port.
 * @param {[string, string][]} mounts
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function serve(mounts) {
  const server = createServer(async (req, res) => {
    try {
      const file = await fileFor(mounts, new URL(req.url, 'http://x').pathname);
      if (file === undefined) throw Object.assign(new Error('no mount'), { code: 'ENOENT' });
      if (file === null) {
        res.writeHead(403, { 'Content-Type': 'text/plain' });
        res.end('forbidden\n');
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': types[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'",
        'Cache-Control': 'no-cache',
      });
      res.end(body);
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' || e.code === 'ENOTDIR' ? 404 : 500, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
