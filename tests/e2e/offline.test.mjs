// Privacy shown, not claimed: with the network cut right after the pages load, two partners
// still complete an exchange; the page's Content-Security-Policy (header and meta) allows no
// other origin; and an attempt to reach one from the page is blocked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtures, launch, offOrigin, root, startServer } from './lib.mjs';
import { chooseSharing, cliExchange, createFirst, downloadOutgoing, loadMessage, openPage, parseCsv, readMatrix, startWith, toResults } from './page.mjs';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

test('with the network cut after loading, two partners complete an exchange', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'overlap-e2e-off-'));
  const a = join(fixtures, 'partner_a.csv');
  const b = join(fixtures, 'partner_b.csv');
  const A = await openPage(browser, server, { name: 'A' });
  const B = await openPage(browser, server, { name: 'B' });
  await A.context.setOffline(true);
  await B.context.setOffline(true);
  assert.equal(await A.page.evaluate(() => navigator.onLine), false);

  await startWith(A.page, { csv: a });
  await chooseSharing(A.page, { sharing: 'overlaps' });
  const offer = await createFirst(A.page, dir);
  await startWith(B.page, { role: 'B', csv: b, offer });
  await chooseSharing(B.page, { sharing: 'overlaps' });
  const reply = await createFirst(B.page, dir);
  await loadMessage(A.page, reply, 2);
  const confirm = await downloadOutgoing(A.page, dir);
  await loadMessage(B.page, confirm, 3);

  const want = cliExchange({ a, b, aSharing: 'overlaps', bSharing: 'overlaps' }, dir);
  await toResults(A.page);
  await toResults(B.page);
  assert.deepEqual(await readMatrix(A.page), parseCsv(want.a.matrix));
  assert.deepEqual(await readMatrix(B.page), parseCsv(want.b.matrix));

  for (const side of [A, B]) {
    assert.deepEqual(offOrigin(side.requests, server.url), []);
    assert.deepEqual(side.problems, []);
    await side.context.close();
  }
});

test('the policy allows no other origin, and the page says what its own record shows', async () => {
  const { context, page, requests } = await openPage(browser, server);
  const res = await page.request.get(server.url);
  const header = res.headers()['content-security-policy'];
  const meta = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  for (const csp of [header, meta]) {
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|https?:|\*/);
  }
  // The html has no inline script or style for the policy to refuse.
  const html = readFileSync(join(root, 'www/index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=/);

  // A connection attempt elsewhere is refused by the browser, and nothing goes out.
  const outcome = await page.evaluate(() => fetch('https://example.com/').then(() => 'connected', (e) => `refused: ${e.name}`));
  assert.match(outcome, /^refused/);
  await page.click('#privacy-open');
  const text = await page.textContent('#privacy-dialog [data-network]');
  assert.match(text, /Blocked by the policy: [1-9]/);
  assert.deepEqual(offOrigin(requests, server.url), [], 'the refused attempt never became a request');
  await context.close();
});
