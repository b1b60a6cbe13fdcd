// The built package (pkg/, unbundled ES modules) in Chromium: the exchange on one thread, with
// the pool from the page, and with the pool from inside a dedicated worker (nested workers);
// cancelling a running step. The bundled case is tests/js/tarball.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, root } from '../e2e/lib.mjs';
import { serve } from '../../scripts/serve.mjs';

let server, browser, page;
const errors = [];

before(async () => {
  server = await serve([
    ['/pkg/', join(root, 'pkg')],
    ['/samples/', join(root, 'tests/fixtures')],
    ['/', join(root, 'tests/js/pages')],
  ]);
  browser = await launch();
  page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForFunction(() => window.ready === true);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('the pool from the page and from a worker gives the same overlap as one thread', async () => {
  const single = await page.evaluate(() => window.tests.exchange({ pooled: false }));
  const pooled = await page.evaluate(() => window.tests.exchange({ pooled: true }));
  const nested = await page.evaluate(() => window.tests.inWorker({ pooled: true, size: 2 }));
  assert.ok(single.a.length > 50 && single.b.length > 50);
  assert.deepEqual([pooled.a, pooled.b], [single.a, single.b]);
  assert.deepEqual([nested.a, nested.b], [single.a, single.b]);
  assert.equal(pooled.workers, await page.evaluate(() => navigator.hardwareConcurrency));
  assert.equal(nested.workers, 2);
  assert.ok(pooled.progress > single.progress, 'progress per chunk with the pool');
  assert.deepEqual(errors, []);
});

test('an AbortSignal stops a running step at once and the pool runs the next one', async () => {
  const r = await page.evaluate(() => window.tests.abortThenRun());
  assert.equal(r.outcome, 'AbortError');
  assert.ok(r.ms < 3000, `aborted after ${r.ms} ms`);
  assert.ok(r.after > 64);
});
