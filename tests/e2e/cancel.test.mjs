// Long runs: a generated export of 300,000 rows shows a progress bar with percentage and rows
// (then keys) processed, the page stays responsive, and Cancel returns it to a usable state with
// a clear note — while reading the file, and while blinding for the offer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, offOrigin, root, startServer } from './lib.mjs';
import { idle, openPage, shot } from './page.mjs';

let server, browser;
const dir = mkdtempSync(join(tmpdir(), 'overlap-e2e-big-'));
const big = join(dir, 'big.csv');

before(async () => {
  execFileSync(process.execPath, [join(root, 'bench/gen.mjs'), '300000', big], { stdio: 'ignore' });
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** Milliseconds the page's main thread takes to run a 0 ms timer: stays small while the engine works. */
const lag = (page) => page.evaluate(() => new Promise((r) => { const t = performance.now(); setTimeout(() => r(performance.now() - t), 0); }));

test('reading and blinding a 300,000-row export show progress, keep the page responsive, and cancel cleanly', async () => {
  const { context, page, requests, problems } = await openPage(browser, server);

  // Cancel while reading.
  await page.setInputFiles('#csv-file', big);
  await page.waitForSelector('#busy:not([hidden])');
  await page.waitForFunction(() => /^\d+% · [\d,]+ rows read$/.test(document.getElementById('busy-detail').textContent));
  assert.match(await page.textContent('#busy-label'), /Reading big\.csv/);
  await page.click('#busy-cancel');
  await idle(page);
  assert.match(await page.textContent('#file-info'), /Reading big\.csv was cancelled/);
  assert.ok(await page.isDisabled('#start-next'));

  // Read it whole this time.
  await page.setInputFiles('#csv-file', big);
  await page.waitForSelector('#start-next:not([disabled])', { timeout: 120_000 });
  assert.match(await page.textContent('#file-info'), /300,000 rows/);
  await page.click('#start-next');
  await page.click('#columns-next');
  await page.click('#sharing-next');

  // Cancel while blinding.
  await page.click('#create-first');
  await page.waitForFunction(() => document.getElementById('busy-bar').value > 0.01, null, { timeout: 60_000 });
  assert.match(await page.textContent('#busy-detail'), /^\d+% · [\d,]+ of [\d,]+ keys$/);
  assert.ok((await lag(page)) < 250, 'the main thread is free while the engine blinds');
  await page.click('#privacy-open');
  await page.waitForSelector('#privacy-dialog[open]');
  await page.keyboard.press('Escape');
  await shot(page, 'cancel-1-progress');
  await page.click('#busy-cancel');
  await idle(page, 10_000);
  assert.match(await page.textContent('#exchange-error'), /Cancelled\./);
  assert.ok(await page.isEnabled('#create-first'), 'the offer can be created again');
  assert.equal(await page.locator('#session-bar').textContent().then((t) => /session [0-9a-f]{8}/.test(t)), false, 'no session was saved');
  await shot(page, 'cancel-2-cancelled');

  assert.deepEqual(offOrigin(requests, server.url), []);
  assert.deepEqual(problems, []);
  await context.close();
});
