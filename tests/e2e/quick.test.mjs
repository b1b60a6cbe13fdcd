// Quick mode on the page (labelled weaker), in order: the first partner checks and suggests a
// secret, makes its list (the key derivation shown as it runs) and keeps the session id across a
// reload; the second partner drops that list, answers it and gets its results; the first partner
// matches the answer. Each result equals the CLI's. Another secret, the first partner's own list
// sent back, and an answer altered on the way (re-sealed as anyone without the secret could) are
// refused by name; an implausibly large partner list is flagged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { download, fixtures, root } from './lib.mjs';
import { chooseSharing, cliQuick, crmPair, pageTests, parseCsv, quickList, readMatrix, ready, shot, startWith } from './page.mjs';

const pages = pageTests('q');
const data = crmPair();
const OTHER_SECRET = 'plaza-venom-ninth-gravy-ounce-lapel';


/** Types the secret and waits for the engine's verdict. */
async function typeSecret(page, secret, verdict = /Strong enough/) {
  await page.fill('#quick-secret', secret);
  await page.waitForFunction((src) => new RegExp(src, 'is').test(document.querySelector('#quick-secret-status')?.textContent ?? ''), verdict.source);
}

/** Waits for the exchange's error to say `re` (an earlier error may still be shown meanwhile). */
async function expectError(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('#exchange-error .callout.error')?.textContent ?? ''), re.source, { timeout: 60_000 });
}

/** What someone without the secret can do to a list: flip bits, then recompute the SHA-256 at its end. */
function altered(file, dir) {
  const b = readFileSync(file);
  // The population bits of the first element: after the header, role, key check and populations.
  let at = 55 + b[54] + 1 + 16;
  const pops = b[at++];
  for (let i = 0; i < pops; i++) at += 1 + b[at] + 4;
  b[at + 4 + 33] ^= 0b11;
  const n = b.length - 32;
  createHash('sha256').update(b.subarray(0, n)).digest().copy(b, n);
  const out = join(dir, 'altered.msg');
  writeFileSync(out, b);
  return out;
}

test('two partners map in quick mode in order, matching the CLI; wrong secret, reflected and altered lists are refused', async () => {
  const dir = pages.dir();
  const A = await pages.open('A');
  const B = await pages.open('B');

  await startWith(A.page, { csv: data.a });
  await chooseSharing(A.page, { method: 'quick' });
  assert.match(await A.page.textContent('#session-bar'), /quick mode.*Weaker/is);

  // A weak secret is refused with its reason, and nothing can be created with it.
  await typeSecret(A.page, 'Summer2024!!', /too easy to guess.*common password.*year/);
  assert.ok(await A.page.isDisabled('#quick-create'));
  await typeSecret(A.page, 'short', /at least 12 characters/);
  // "Suggest one": six short words, accepted.
  await A.page.click('#quick-suggest');
  await A.page.waitForSelector('#quick-secret-status.ok-text');
  const SECRET = await A.page.inputValue('#quick-secret');
  assert.match(SECRET, /^[a-z]{3,5}(-[a-z]{3,5}){5}$/);
  assert.equal(await A.page.getAttribute('#quick-secret', 'type'), 'text', 'a suggested secret is shown, to be read out');

  // Creating the list shows the key derivation while it runs.
  await A.page.click('#quick-create');
  await A.page.waitForFunction(() => /Deriving the key/.test(document.querySelector('#busy-label')?.textContent ?? '') && !document.querySelector('#busy').hidden);
  assert.match(await A.page.textContent('#busy-detail'), /about half a second/);
  await A.page.waitForSelector('#download-quick');
  const aList = await download(A.page, '#download-quick', dir);
  assert.match(aList, /overlap-quick-[0-9a-f]{8}-1-list\.overlap$/);
  const session = readFileSync(aList).subarray(6, 22).toString('hex');
  assert.match(await A.page.textContent('#session-bar'), /saved in this browser \(the session id, not the secret\)/);
  await shot(A.page, 'quick-1-first-list');

  // A closes the tab and comes back: the session id was kept, the secret was not.
  await A.page.reload();
  await ready(A.page);
  await A.page.waitForSelector('#saved .saved-list li');
  assert.match(await A.page.textContent('#saved .saved-list li'), /quick mode · waiting for your partner's answer/);
  const stored = JSON.stringify(await A.page.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open('overlap');
    req.onsuccess = () => {
      const all = req.result.transaction('sessions').objectStore('sessions').getAll();
      all.onsuccess = () => resolve(all.result.map(({ file, outgoing, ...r }) => r));
      all.onerror = () => reject(all.error);
    };
    req.onerror = () => reject(req.error);
  })));
  assert.ok(stored.includes(session) && !stored.includes(SECRET), 'the saved session holds its id, never the secret');
  await A.page.click('#saved .saved-list li button:has-text("Resume")');
  await A.page.waitForSelector('#step-exchange:not([hidden]) #quick-secret');
  assert.equal(await A.page.inputValue('#quick-secret'), '');

  // B drops A's list where an offer goes: the page switches to quick mode.
  await startWith(B.page, { role: 'B', csv: data.b, offer: aList });
  assert.match(await B.page.textContent('#offer-info'), /quick mode/);
  await chooseSharing(B.page, { method: 'quick' });

  // A wrong secret first: a clear refusal, then the right one.
  await typeSecret(B.page, OTHER_SECRET);
  await B.page.click('#quick-answer');
  await expectError(B.page, /made with a different shared secret/);
  await typeSecret(B.page, SECRET);
  await B.page.click('#quick-answer');
  await B.page.waitForSelector('#download-quick');
  const bList = await download(B.page, '#download-quick', dir);
  assert.match(bList, new RegExp(`overlap-quick-${session.slice(0, 8)}-2-answer\\.overlap$`));
  await B.page.waitForSelector('#see-results');

  // A: its own list sent back, then an altered answer, then the answer.
  await typeSecret(A.page, SECRET);
  await A.page.setInputFiles('[data-loader]:not([disabled])', aList);
  await expectError(A.page, /starts a quick-mode session; it is not your partner's answer/);
  await A.page.setInputFiles('[data-loader]:not([disabled])', altered(bList, dir));
  await expectError(A.page, /changed after your partner made it/);
  await A.page.setInputFiles('[data-loader]:not([disabled])', bList);
  await A.page.waitForSelector('#see-results');

  for (const [page, csv, partner, side, opts] of [
    [A.page, data.a, bList, 'a', { session }],
    [B.page, data.b, aList, 'b', {}],
  ]) {
    await page.click('#see-results');
    await page.waitForSelector('.heatmap');
    const want = cliQuick(csv, partner, SECRET, pages.dir(), opts);
    assert.deepEqual(await readMatrix(page), parseCsv(want.matrix));
    const exported = await download(page, '#export-csv', dir);
    assert.equal(readFileSync(exported, 'utf8'), want.report);
    assert.match(await page.textContent('.sharing-line'), /quick mode/i);
  }
  await shot(A.page, 'quick-2-results');

  await pages.done(A, B);
});

test('a partner list more than ten times larger than mine is flagged in the results', async () => {
  const dir = pages.dir();
  const huge = join(dir, 'huge.csv');
  execFileSync(process.execPath, [join(root, 'bench/gen.mjs'), '30000', huge, '3'], { stdio: 'ignore' });
  const A = await pages.open('A');
  const B = await pages.open('B');
  await startWith(A.page, { csv: join(fixtures, 'partner_a.csv') });
  await chooseSharing(A.page, { method: 'quick' });
  const { secret, list: aList } = await quickList(A.page, dir);
  await startWith(B.page, { role: 'B', csv: huge, offer: aList });
  await chooseSharing(B.page, { method: 'quick' });
  await typeSecret(B.page, secret);
  await B.page.click('#quick-answer');
  await B.page.waitForSelector('#download-quick', { timeout: 60_000 });
  const bList = await download(B.page, '#download-quick', dir);
  await A.page.setInputFiles('[data-loader]:not([disabled])', bList);
  await A.page.click('#see-results');
  await A.page.waitForSelector('.heatmap');
  const warning = await A.page.textContent('#results .callout.warning');
  assert.match(warning, /Check this partner’s list/);
  assert.match(warning, /more than ten times yours/);
  assert.match(await A.page.textContent('#fig-partner'), /^[\d,]+$/);
  await shot(A.page, 'quick-3-large-partner-warning');
  await pages.done(A, B);
});
