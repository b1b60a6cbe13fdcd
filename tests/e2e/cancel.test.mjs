// Long runs: a generated export of 300,000 rows shows a progress bar with percentage and rows
// (then keys) processed, the page stays responsive, and Cancel returns it to a usable state with
// a clear note — while reading the file, and while blinding for the offer. And a table of 100,000
// overlapping rows stays in the engine: the page holds one page of it, sorting and searching
// never block the main thread.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { download, root } from './lib.mjs';
import { idle, pageTests, shot } from './page.mjs';

const pages = pageTests('big');
const dir = pages.dir();
const big = join(dir, 'big.csv');

before(() => {
  execFileSync(process.execPath, [join(root, 'bench/gen.mjs'), '300000', big], { stdio: 'ignore' });
});

/** Milliseconds the page's main thread takes to run a 0 ms timer: stays small while the engine works. */
const lag = (page) => page.evaluate(() => new Promise((r) => { const t = performance.now(); setTimeout(() => r(performance.now() - t), 0); }));

test('reading and blinding a 300,000-row export show progress, keep the page responsive, and cancel cleanly', async () => {
  const side = await pages.open();
  const { page } = side;

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
  assert.match(await page.textContent('#file-info'), /300,000 accounts \(rows\)/);
  await page.click('#start-next');
  await page.click('#columns-next');
  await page.click('#sharing-next');

  // Cancel while blinding.
  await page.click('#create-first');
  await page.waitForFunction(() => document.getElementById('busy-bar').value > 0.01, null, { timeout: 60_000 });
  assert.match(await page.textContent('#busy-detail'), /^\d+% · [\d,]+ of [\d,]+ entries$/);
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

  await pages.done(side);
});

test('a table of 100,000 overlapping rows sorts, searches and pages without blocking the page', async () => {
  const rows = join(dir, 'hundred-k.csv');
  execFileSync(process.execPath, [join(root, 'bench/gen.mjs'), '100000', rows, '7'], { stdio: 'ignore' });
  // Quick mode against the same export: (nearly) every row overlaps, fast to set up. A starts
  // with a suggested secret; B answers A's list; A matches the answer.
  const sides = [];
  let secret;
  let list;
  for (const name of ['A', 'B']) {
    const s = await pages.open(name);
    if (name === 'B') {
      await s.page.check('input[name=role][value=B]');
      await s.page.setInputFiles('#offer-file', list);
    }
    await s.page.setInputFiles('#csv-file', rows);
    await s.page.waitForSelector('#start-next:not([disabled])', { timeout: 120_000 });
    await s.page.click('#start-next');
    await s.page.click('#columns-next');
    if (name === 'A') await s.page.check('input[name=method][value=quick]');
    await s.page.click('#sharing-next');
    if (name === 'A') {
      await s.page.click('#quick-suggest');
      await s.page.waitForSelector('#quick-secret-status.ok-text');
      secret = await s.page.inputValue('#quick-secret');
      await s.page.click('#quick-create');
    } else {
      await s.page.fill('#quick-secret', secret);
      await s.page.waitForSelector('#quick-secret-status.ok-text');
      await s.page.click('#quick-answer');
    }
    await s.page.waitForSelector('#download-quick', { timeout: 120_000 });
    list = await download(s.page, '#download-quick', dir);
    sides.push(s);
  }
  const [A] = sides;
  const page = A.page;
  await page.setInputFiles('[data-loader]:not([disabled])', list);
  await page.waitForSelector('#see-results', { timeout: 120_000 });
  await page.click('#see-results');
  await page.waitForSelector('#matches tbody tr');
  const total = Number((await page.textContent('#table-status')).match(/of ([\d,]+)/)[1].replace(/,/g, ''));
  assert.ok(total > 90_000, `${total} overlapping rows`);
  assert.equal(await page.locator('#matches tbody tr').count(), 100, 'one page of rows in the DOM, not all of them');

  // Sorting and searching run in the engine: the main thread stays free meanwhile.
  const sorting = page.click('#matches thead button.sort >> nth=0');
  const lags = [];
  for (let i = 0; i < 5; i++) lags.push(await lag(page));
  await sorting;
  await page.waitForSelector('#matches th[aria-sort=ascending]');
  assert.ok(Math.max(...lags) < 250, `main thread lag while sorting: ${lags.map(Math.round).join(', ')} ms`);
  const first = await page.textContent('#matches tbody tr:first-child td:first-child');
  await page.click('#matches thead button.sort >> nth=0');
  await page.waitForSelector('#matches th[aria-sort=descending]');
  assert.notEqual(await page.textContent('#matches tbody tr:first-child td:first-child'), first);
  await page.fill('#search', 'gmbh');
  await page.waitForFunction(() => /matching/.test(document.getElementById('table-status').textContent));
  const found = Number((await page.textContent('#table-status')).match(/of ([\d,]+) matching/)[1].replace(/,/g, ''));
  assert.ok(found > 0 && found < total);
  await page.click('#page-next');
  await page.waitForFunction(() => /^Rows 101–/.test(document.getElementById('table-status').textContent));
  await pages.done(...sides);
});
