// The static server (scripts/serve.mjs), run as `make demo` runs it and in-process with other
// mounts as the package tests run it, serves files inside its mounts and nothing else: encoded
// traversal (`..%2f`, `%2e%2e`, backslashes, NUL) is refused with 403 or 404 and no byte of the
// file it aims at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let page; // scripts/serve.mjs, as its own process
let pkgServer; // scripts/serve.mjs in this process, mounted as the package tests mount it

/** Starts scripts/serve.mjs on a free port. */
function startPageServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'scripts/serve.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.stdout.setEncoding('utf8');
    child.stdout.once('data', (line) => {
      const url = line.match(/http:\/\/\S+/)?.[0];
      if (url) resolve({ url, close: async () => child.kill() });
      else reject(new Error(`server said: ${line}`));
    });
  });
}

/** GETs `path` exactly as written (no URL normalisation on our side). */
function get(base, path) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, csp: res.headers['content-security-policy'], body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  page = await startPageServer();
  pkgServer = await serve([
    ['/pkg/', join(root, 'pkg')],
    ['/samples/', join(root, 'tests/fixtures')],
    ['/', join(root, 'tests/js/pages')],
  ]);
});

after(async () => {
  await page?.close();
  await pkgServer?.close();
});

// Files just outside the mounts, and a line of each that must never come back.
const secrets = {
  'pkg.json': readFileSync(join(root, 'pkg.json'), 'utf8').split('\n')[1],
  'package.json': readFileSync(join(root, 'package.json'), 'utf8').split('\n')[1],
  'Cargo.toml': '[package]',
};

const attacks = [
  '/pkg/..%2fpkg.json',
  '/pkg/..%2Fpkg.json',
  '/pkg/%2e%2e%2fpkg.json',
  '/pkg/%2E%2E%2Fpkg.json',
  '/pkg/.%2e/pkg.json',
  '/pkg/%2e%2e/pkg.json',
  '/pkg/..%5cpkg.json',
  '/pkg/..%5C..%5CCargo.toml',
  '/pkg/..\\pkg.json',
  '/pkg/%2e%2e%5cpkg.json',
  '/pkg/x/..%2f..%2fpkg.json',
  '/pkg/%00../pkg.json',
  '/pkg/..%2f..%2f..%2f..%2fetc%2fpasswd',
  '/..%2fpackage.json',
  '/..%2f..%2fCargo.toml',
  '/%2e%2e/package.json',
  '/%2e%2e%2fpackage.json',
  '/%2e%2e/%2e%2e/Cargo.toml',
  '/.%2e%2fpackage.json',
  '/..%5cpackage.json',
  '/samples/..%2f..%2fCargo.toml',
  '/samples/..%2fjs%2fstatic-servers.test.mjs',
  '/bench/..%2fpackage.json',
  '/pkg/%',
  '/pkg/%zz',
];

for (const [name, server] of [
  ['scripts/serve.mjs', () => page],
  ['scripts/serve.mjs in-process, other mounts', () => pkgServer],
]) {
  test(`${name}: encoded traversal is refused with no file content`, async () => {
    for (const path of attacks) {
      const { status, body } = await get(server().url, path);
      assert.ok(status === 403 || status === 404, `${path}: ${status}`);
      assert.ok(body === 'forbidden\n' || body === 'not found\n', `${path}: ${JSON.stringify(body.slice(0, 80))}`);
      for (const [file, line] of Object.entries(secrets)) {
        assert.ok(!body.includes(line), `${path} served ${file}`);
      }
    }
  });

  test(`${name}: files inside the mounts are still served, with the page's policy`, async () => {
    const csv = await get(server().url, '/samples/partner_a.csv');
    assert.equal(csv.status, 200);
    assert.equal(csv.body, readFileSync(join(root, 'tests/fixtures/partner_a.csv'), 'utf8'));
    assert.match(csv.csp, /^default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self';/);
    const index = await get(server().url, '/');
    assert.equal(index.status, 200);
    assert.match(index.body, /^<!doctype html>/i);
    // An encoded character that is not a separator is decoded as usual.
    assert.equal((await get(server().url, '/samples/partner%5Fa.csv')).status, 200);
    // A sibling whose name starts like the mount's directory is outside it.
    assert.equal((await get(server().url, '/pkg.json')).status, 404);
  });
}
