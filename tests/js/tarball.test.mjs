// What a real client sees: `npm pack` the built package, install the tarball into fresh copies of
// examples/node-match (a Node project) and examples/vite-app (a Vite app), type-check both with
// tsc against the generated declarations, run the Node script, build the app with Vite (and with
// esbuild, by the README's recipe, and with webpack 5), serve each build and run the exchange in Chromium (pool from the page,
// and from a worker). No workspace links: `overlap` comes from the tarball only.
//
// The other dependencies (vite, webpack, typescript, @types/node, pinned in the examples) come from npm's
// cache when it has them (`--offline`), else from the registry once (`--prefer-offline`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, root } from '../e2e/lib.mjs';
import { serve } from '../../scripts/serve.mjs';

const work = mkdtempSync(join(tmpdir(), 'overlap-tarball-'));
const fixtures = join(root, 'tests/fixtures');
let tarball;
let version;

function run(cmd, args, cwd, timeout = 300_000) {
  return String(execFileSync(cmd, args, { cwd, timeout, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } }));
}

/** A fresh copy of an example with the tarball installed; returns its directory. */
function project(example) {
  const dir = join(work, example);
  cpSync(join(root, 'examples', example), dir, { recursive: true, filter: (p) => !/node_modules|dist|esb|package-lock\.json|overlap-a\.csv/.test(p.slice(root.length)) });
  const npm = ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball];
  try {
    run('npm', [...npm, '--offline'], dir);
  } catch {
    run('npm', [...npm, '--prefer-offline'], dir);
  }
  const installed = join(dir, 'node_modules/overlap');
  assert.ok(lstatSync(installed).isDirectory() && !lstatSync(installed).isSymbolicLink(), 'overlap is installed, not linked');
  assert.equal(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version, version);
  assert.match(readFileSync(join(dir, 'package.json'), 'utf8'), /"overlap": "file:.*overlap-.*\.tgz"/);
  return dir;
}

before(() => {
  const out = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], join(root, 'pkg')));
  tarball = join(work, out[0].filename);
  version = out[0].version;
  const files = out[0].files.map((f) => f.path);
  for (const f of ['index.js', 'node.js', 'index.d.ts', 'overlap_wasm_bg.wasm', 'pool-worker.js', 'README.md', 'CHANGELOG.md', 'LICENSE']) assert.ok(files.includes(f), `tarball has ${f}`);
});
after(() => rmSync(work, { recursive: true, force: true }));

test('a fresh Node project: installs the tarball, type-checks, and two partners match', () => {
  const dir = project('node-match');
  run('npx', ['--no-install', 'tsc', '--noEmit', '-p', '.'], dir);
  const sample = JSON.parse(run('node', ['match.mjs'], dir).trim().split('\n').at(-1));
  assert.deepEqual([sample.a, sample.b], [2, 2]);
  const real = JSON.parse(run('node', ['match.mjs', join(fixtures, 'partner_a.csv'), join(fixtures, 'partner_b.csv')], dir).trim().split('\n').at(-1));
  assert.ok(real.a > 50 && real.b > 50, JSON.stringify(real));
  assert.match(readFileSync(join(dir, 'overlap-a.csv'), 'utf8'), /^\uFEFFAccount ID,/, 'for Excel: a BOM');
  assert.match(readFileSync(join(dir, 'overlap-a-crm.csv'), 'utf8'), /^Account ID,/, 'for a CRM import: none');
});

test('a fresh Vite app: installs the tarball, type-checks, builds (Vite, esbuild, webpack), and matches in Chromium', async () => {
  const dir = project('vite-app');
  run('npx', ['--no-install', 'tsc', '--noEmit', '-p', '.'], dir);
  run('npx', ['--no-install', 'vite', 'build', '--logLevel', 'warn'], dir);
  const assets = readdirSync(join(dir, 'dist/assets'));
  assert.equal(assets.filter((f) => f.endsWith('.wasm')).length, 1, `one .wasm emitted: ${assets}`);
  assert.ok(assets.some((f) => f.startsWith('pool-worker')), `the pool's worker is bundled: ${assets}`);

  const server = await serve([['/esb/', join(dir, 'esb')], ['/wp/', join(dir, 'dist-webpack')], ['/', join(dir, 'dist')]]);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    const outcome = async (button) => {
      await page.click(button);
      await page.waitForFunction(() => document.getElementById('result').dataset.state !== 'running', null, { timeout: 60_000 });
      const state = await page.getAttribute('#result', 'data-state');
      assert.equal(state, 'done', await page.textContent('#result'));
      return JSON.parse(await page.getAttribute('#result', 'data-outcome'));
    };
    const here = await outcome('#run-here');
    assert.deepEqual([here.a, here.b, here.workers], [2, 2, await page.evaluate(() => navigator.hardwareConcurrency)]);
    const inWorker = await outcome('#run-worker');
    assert.deepEqual([inWorker.a, inWorker.b], [2, 2]);
    await page.setInputFiles('#mine', join(fixtures, 'partner_a.csv'));
    await page.setInputFiles('#theirs', join(fixtures, 'partner_b.csv'));
    const files = await outcome('#run-worker');
    assert.ok(files.a > 50 && files.b > 50, JSON.stringify(files));
    assert.deepEqual(errors, []);

    // esbuild does not rewrite `new URL(…, import.meta.url)`: the README's recipe bundles the pool
    // worker as a second entry point and copies the .wasm next to the bundle.
    const esb = join(dir, 'esb');
    run('npx', ['--no-install', 'esbuild', 'main=src/main.ts', 'pool-worker=overlap/pool-worker.js', '--bundle', '--format=esm', '--log-level=warning', `--outdir=${esb}`], dir);
    cpSync(join(dir, 'node_modules/overlap/overlap_wasm_bg.wasm'), join(esb, 'overlap_wasm_bg.wasm'));
    writeFileSync(join(esb, 'index.html'), readFileSync(join(dir, 'index.html'), 'utf8').replace('/src/main.ts', './main.js'));
    assert.deepEqual(readdirSync(esb).sort(), ['index.html', 'main.js', 'overlap_wasm_bg.wasm', 'pool-worker.js']);
    await page.goto(`${server.url}esb/index.html`);
    const viaEsbuild = await outcome('#run-here');
    assert.deepEqual([viaEsbuild.a, viaEsbuild.b], [2, 2]);
    assert.deepEqual(errors, []);

    // webpack 5 (the example's webpack.config.mjs): the .wasm becomes an emitted asset and the
    // package's pool worker and the app's worker become worker chunks, with no configuration for
    // the package.
    run('npx', ['--no-install', 'webpack', '--no-stats'], dir);
    const wp = join(dir, 'dist-webpack');
    const emitted = readdirSync(wp);
    assert.equal(emitted.filter((f) => f.endsWith('.wasm')).length, 1, `one .wasm emitted: ${emitted}`);
    assert.ok(emitted.includes('overlap-pool.js'), `the pool's worker is a chunk: ${emitted}`);
    writeFileSync(join(wp, 'index.html'), readFileSync(join(dir, 'index.html'), 'utf8').replace('/src/main.ts', './main.js'));
    await page.goto(`${server.url}wp/index.html`);
    const viaWebpack = await outcome('#run-here');
    assert.deepEqual([viaWebpack.a, viaWebpack.b, viaWebpack.workers], [2, 2, here.workers]);
    const viaWebpackWorker = await outcome('#run-worker');
    assert.deepEqual([viaWebpackWorker.a, viaWebpackWorker.b], [2, 2]);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
