// Clear messages for what goes wrong: a file that is not a message (an image, the partner's CSV),
// a message from another session, one out of order, an offer where a reply was expected, a CSV
// without usable columns. Each is named in words, and the page stays usable afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseSharing, createFirst, crmPair, firstMessage, loadMessage, pageTests, shot, startWith } from './page.mjs';

const pages = pageTests('err');
// The committed slices: these tests are about the page's behaviour, not the data.
const data = crmPair({ fixtures: true });
const dir = pages.dir();


// A 1×1 PNG.
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201b7e2ff2c0000000049454e44ae426082', 'hex');

async function refused(page, file) {
  await page.setInputFiles('[data-loader]:not([disabled])', file);
  await page.waitForSelector('#exchange-error .callout.error');
  const text = await page.textContent('#exchange-error .callout.error');
  assert.ok(await page.isEnabled('[data-loader]'), 'the loader stays usable after an error');
  return text;
}

test('wrong files, another session and messages out of order are refused with a clear message', async () => {
  const A = await pages.open('A');
  const B = await pages.open('B');
  const C = await pages.open('C');
  const offer = await firstMessage(A.page, { csv: data.a, dir });

  const image = join(dir, 'screenshot.png');
  writeFileSync(image, png);
  let text = await refused(A.page, image);
  assert.match(text, /screenshot\.png: this is not an overlap message/);
  assert.match(text, /looks like a PNG image/);
  await shot(A.page, 'error-not-a-message');

  text = await refused(A.page, data.b);
  assert.match(text, /this is not an overlap message/);
  assert.match(text, /looks like a CSV or text export/);

  text = await refused(A.page, offer);
  assert.match(text, /this is the offer \(message 1\), but the next one expected is the reply \(message 2\)/);

  // C starts another session from a smaller export (so every size in its reply differs from
  // what A's session expects); B answers it; that reply is not for A's session, and the page
  // says so (decided from the header), not "damaged, ask your partner to create it again".
  const smaller = join(dir, 'smaller.csv');
  writeFileSync(smaller, readFileSync(data.a, 'utf8').split('\n').slice(0, 200).join('\n') + '\n');
  const otherOffer = await firstMessage(C.page, { csv: smaller, dir });
  const otherReply = await firstMessage(B.page, { role: 'B', csv: data.b, offer: otherOffer, dir });
  text = await refused(A.page, otherReply);
  assert.match(text, /this file belongs to another mapping/);
  assert.doesNotMatch(text, /create it again|count_mismatch|damaged/);
  assert.match(text, new RegExp(`made for session ${otherReply.split('-').at(-3)}`));
  await shot(A.page, 'error-other-session');

  // After all that, A's own session still works.
  const B2 = await pages.open('B2');
  const reply = await firstMessage(B2.page, { role: 'B', csv: data.b, offer, dir });
  await loadMessage(A.page, reply, 2);
  assert.equal(await A.page.$('#exchange-error .callout.error'), null, 'the error is gone once a good file is loaded');

  await pages.done(A, B, C, B2);
});

test('tiny partner populations when sharing counts, a later message given as the offer, and a CSV without usable columns are explained', async () => {
  const A = await pages.open('A');
  const B = await pages.open('B');
  const offer = await firstMessage(A.page, { csv: data.a, dir });
  await startWith(B.page, { role: 'B', csv: data.b, offer });
  // Sharing counts, B refuses A's populations when they are smaller than its guard (here set far
  // above them: every population of A's is then too small to share counts with).
  await chooseSharing(B.page, { sharing: 'counts', minPopulation: 100000 });
  await assert.rejects(createFirst(B.page, dir), /populations are too small to share counts safely.*Choose “Overlaps”/s);
  await shot(B.page, 'error-unsafe');
  await B.page.click('#steps button[data-step=sharing]');
  await B.page.check('input[name=sharing][value=overlaps]');
  await B.page.click('#sharing-next');
  const reply = await createFirst(B.page, dir);

  const P = await pages.open('P');
  const page = P.page;
  await page.check('input[name=role][value=B]');
  await page.setInputFiles('#offer-file', reply);
  await page.waitForSelector('#routed');
  assert.match(await page.textContent('#routed'), /is file 2 \(the reply\) of mapping [0-9a-f]{8}, which is not saved in this browser/);
  await page.setInputFiles('#offer-file', data.a);
  await page.waitForFunction(() => /not an overlap message/.test(document.getElementById('offer-info').textContent));

  const noKeys = join(dir, 'no-keys.csv');
  writeFileSync(noKeys, 'Phone,Notes,Revenue\n555-0100,call back,100\n555-0101,left a message,200\n');
  await page.check('input[name=role][value=A]');
  await page.setInputFiles('#csv-file', noKeys);
  await page.waitForSelector('#file-info .callout.error');
  const text = await page.textContent('#file-info');
  assert.match(text, /no-keys\.csv: no column to match accounts on/);
  assert.match(text, /website, domain, email, DUNS, LinkedIn or company name/);
  assert.ok(await page.isDisabled('#start-next'), 'no way forward with an unusable file');
  await shot(page, 'error-no-columns');

  // The page offers to pick the columns by hand (the Columns step repeats why), and keeps working
  // with another file.
  await page.click('#file-info button:has-text("Choose the columns yourself")');
  await page.waitForSelector('#step-columns:not([hidden])');
  assert.match(await page.textContent('#columns-error'), /no column to match accounts on/);
  await page.click('[data-go=start]');
  await page.setInputFiles('#csv-file', data.a);
  await page.waitForSelector('#start-next:not([disabled])', { timeout: 60_000 });
  assert.equal(await page.$('#file-info .callout.error'), null);

  await pages.done(A, B, P);
});
