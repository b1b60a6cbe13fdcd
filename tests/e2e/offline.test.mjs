// Privacy shown, not claimed: with the network cut right after the pages load, two partners
// still complete an exchange; the page's Content-Security-Policy (header and meta) allows no
// other origin; and an attempt to reach one from the page is blocked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures, root } from './lib.mjs';
import { cliExchange, downloadOutgoing, firstMessage, loadMessage, pageTests, parseCsv, readMatrix, toResults } from './page.mjs';

const pages = pageTests('off');


test('with the network cut after loading, two partners complete an exchange', async () => {
  const dir = pages.dir();
  const a = join(fixtures, 'partner_a.csv');
  const b = join(fixtures, 'partner_b.csv');
  const A = await pages.open('A');
  const B = await pages.open('B');
  await A.context.setOffline(true);
  await B.context.setOffline(true);
  assert.equal(await A.page.evaluate(() => navigator.onLine), false);

  const offer = await firstMessage(A.page, { csv: a, dir });
  const reply = await firstMessage(B.page, { role: 'B', csv: b, offer, dir });
  await loadMessage(A.page, reply, 2);
  const confirm = await downloadOutgoing(A.page, dir);
  await loadMessage(B.page, confirm, 3);

  const want = cliExchange({ a, b, aSharing: 'overlaps', bSharing: 'overlaps' }, dir);
  await toResults(A.page);
  await toResults(B.page);
  assert.deepEqual(await readMatrix(A.page), parseCsv(want.a.matrix));
  assert.deepEqual(await readMatrix(B.page), parseCsv(want.b.matrix));

  await pages.done(A, B);
});

test('the policy allows no other origin, and the page says what its own record shows', async () => {
  const side = await pages.open();
  const { page } = side;
  const res = await page.request.get(pages.url);
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
  assert.deepEqual(pages.offOrigin(side), [], 'the refused attempt never became a request');
  await side.context.close();
});
