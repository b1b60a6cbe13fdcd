// Quick mode on the page (labelled weaker): each partner keys its list under a shared secret,
// they swap one file each way, and each result equals the CLI's. A list made with another
// secret is refused by name, and an implausibly large partner list is flagged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { download, fixtures, launch, offOrigin, root, startServer } from './lib.mjs';
import { chooseSharing, cliQuick, crmPair, openPage, parseCsv, readMatrix, shot, startWith } from './page.mjs';

let server, browser;
const data = crmPair();
const SECRET = 'correct horse battery staple';

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function makeList(page, secret, dir) {
  await page.fill('#quick-secret', secret);
  await page.click('#quick-create');
  await page.waitForSelector('#download-quick');
  return download(page, '#download-quick', dir);
}

test('two partners map in quick mode, matching the CLI; another secret is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'overlap-e2e-q-'));
  const A = await openPage(browser, server, { name: 'A' });
  const B = await openPage(browser, server, { name: 'B' });

  await startWith(A.page, { csv: data.a });
  await chooseSharing(A.page, { method: 'quick' });
  assert.match(await A.page.textContent('#session-bar'), /quick mode.*Weaker/is);
  const aList = await makeList(A.page, SECRET, dir);
  assert.match(aList, /overlap-quick-[0-9a-f]{8}-partner_a\.msg$/);
  await shot(A.page, 'quick-1-exchange');

  // B drops A's list where an offer goes: the page switches to quick mode.
  await startWith(B.page, { role: 'B', csv: data.b, offer: aList });
  assert.match(await B.page.textContent('#offer-info'), /quick mode/);
  await chooseSharing(B.page, { method: 'quick' });
  const bList = await makeList(B.page, SECRET, dir);

  // A wrong secret first: a clear refusal, then the right one.
  await B.page.fill('#quick-secret', 'a different secret');
  await B.page.click('#quick-match');
  await B.page.waitForSelector('#exchange-error .callout.error');
  assert.match(await B.page.textContent('#exchange-error'), /made with a different shared secret/);
  await B.page.fill('#quick-secret', SECRET);
  await B.page.click('#quick-match');
  await B.page.waitForSelector('#see-results');

  await A.page.setInputFiles('[data-loader]:not([disabled])', bList);
  await A.page.waitForSelector('#see-results');

  for (const [page, csv, partner, side] of [
    [A.page, data.a, bList, 'a'],
    [B.page, data.b, aList, 'b'],
  ]) {
    await page.click('#see-results');
    await page.waitForSelector('.heatmap');
    const want = cliQuick(csv, partner, SECRET, mkdtempSync(join(tmpdir(), `overlap-e2e-q${side}-`)));
    assert.deepEqual(await readMatrix(page), parseCsv(want.matrix));
    const exported = await download(page, '#export-csv', dir);
    assert.equal(readFileSync(exported, 'utf8'), want.report);
    assert.match(await page.textContent('.sharing-line'), /quick mode/i);
  }
  await shot(A.page, 'quick-2-results');

  for (const side of [A, B]) {
    assert.deepEqual(offOrigin(side.requests, server.url), []);
    assert.deepEqual(side.problems, []);
    await side.context.close();
  }
});

test('a partner list more than ten times larger than mine is flagged in the results', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'overlap-e2e-q2-'));
  const huge = join(dir, 'huge.csv');
  execFileSync(process.execPath, [join(root, 'bench/gen.mjs'), '30000', huge, '3'], { stdio: 'ignore' });
  const A = await openPage(browser, server, { name: 'A' });
  const B = await openPage(browser, server, { name: 'B' });
  await startWith(A.page, { csv: join(fixtures, 'partner_a.csv') });
  await chooseSharing(A.page, { method: 'quick' });
  await startWith(B.page, { csv: huge });
  await chooseSharing(B.page, { method: 'quick' });
  const bList = await makeList(B.page, SECRET, dir);
  await A.page.fill('#quick-secret', SECRET);
  await A.page.setInputFiles('[data-loader]:not([disabled])', bList);
  await A.page.click('#see-results');
  await A.page.waitForSelector('.heatmap');
  const warning = await A.page.textContent('#results .callout.warning');
  assert.match(warning, /Check this partner’s list/);
  assert.match(warning, /more than ten times yours/);
  assert.match(await A.page.textContent('#fig-partner'), /^[\d,]+$/);
  await shot(A.page, 'quick-3-large-partner-warning');
  for (const side of [A, B]) {
    assert.deepEqual(side.problems, []);
    await side.context.close();
  }
});
